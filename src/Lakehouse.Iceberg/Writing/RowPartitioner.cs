using System.Globalization;
using System.Numerics;
using Apache.Arrow;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Expressions;
using Lakehouse.Iceberg.Metadata;
using Lakehouse.Iceberg.Transforms;
using Lakehouse.Iceberg.Types;
using IcebergSchema = Lakehouse.Iceberg.Types.Schema;

namespace Lakehouse.Iceberg.Writing;

/// <summary>Groups the rows of Arrow batches by their partition tuple under a spec, keeping first-seen order.</summary>
internal sealed class RowPartitioner
{
    private readonly PartitionSpec _spec;
    private readonly int[] _sourceColumns;
    private readonly IcebergType[] _sourceTypes;
    private readonly Dictionary<PartitionKey, PartitionGroup> _byKey = new();
    private readonly List<PartitionGroup> _groups = new();

    public RowPartitioner(IcebergSchema schema, PartitionSpec spec)
    {
        _spec = spec;
        _sourceColumns = new int[spec.Fields.Count];
        _sourceTypes = new IcebergType[spec.Fields.Count];
        for (var i = 0; i < spec.Fields.Count; i++)
        {
            var field = spec.Fields[i];
            _sourceColumns[i] = -1;
            for (var c = 0; c < schema.Columns.Count; c++)
            {
                if (schema.Columns[c].Id == field.SourceId)
                {
                    _sourceColumns[i] = c;
                    _sourceTypes[i] = schema.Columns[c].Type;
                }
            }

            if (_sourceColumns[i] < 0)
            {
                throw new IcebergException(IcebergException.Unsupported, $"partition field '{field.Name}': source column id {field.SourceId} is not a top-level column of schema {schema.SchemaId}");
            }
        }
    }

    public IReadOnlyList<PartitionGroup> Groups => _groups;

    public void Add(RecordBatch batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        if (_sourceColumns.Length == 0)
        {
            GroupFor(new object?[0]).Batches.Add(batch);
            return;
        }

        var scratch = new object?[_sourceColumns.Length];
        var probe = new PartitionKey(scratch);
        var rowsByGroup = new Dictionary<PartitionGroup, List<int>>();
        var order = new List<PartitionGroup>();
        PartitionGroup? previous = null;
        List<int>? previousRows = null;
        for (var row = 0; row < batch.Length; row++)
        {
            for (var f = 0; f < scratch.Length; f++)
            {
                var value = ArrowRows.Value(batch.Column(_sourceColumns[f]), row, _sourceTypes[f]);
                scratch[f] = _spec.Fields[f].Transform.Apply(_sourceTypes[f], value);
            }

            probe.Rehash();
            if (previous is not null && previous.Key.Equals(probe))
            {
                previousRows!.Add(row);
                continue;
            }

            if (!_byKey.TryGetValue(probe, out var group))
            {
                group = GroupFor((object?[])scratch.Clone());
            }

            if (!rowsByGroup.TryGetValue(group, out var rows))
            {
                rows = new List<int>();
                rowsByGroup[group] = rows;
                order.Add(group);
            }

            rows.Add(row);
            previous = group;
            previousRows = rows;
        }

        foreach (var group in order)
        {
            group.Batches.Add(ArrowRows.Take(batch, rowsByGroup[group]));
        }
    }

    private PartitionGroup GroupFor(object?[] values)
    {
        var key = new PartitionKey(values);
        key.Rehash();
        if (!_byKey.TryGetValue(key, out var group))
        {
            group = new PartitionGroup(key);
            _byKey[key] = group;
            _groups.Add(group);
        }

        return group;
    }
}

/// <summary>The rows of one partition: its tuple and the batches holding them.</summary>
internal sealed class PartitionGroup(PartitionKey key)
{
    public PartitionKey Key { get; } = key;

    public IReadOnlyList<object?> Values => Key.Values;

    public List<RecordBatch> Batches { get; } = new();
}

/// <summary>A partition tuple compared by value (byte arrays by content).</summary>
internal sealed class PartitionKey(object?[] values) : IEquatable<PartitionKey>
{
    private int _hash;

    public object?[] Values { get; } = values;

    public void Rehash()
    {
        var hash = new HashCode();
        foreach (var v in Values)
        {
            if (v is byte[] bytes)
            {
                hash.AddBytes(bytes);
            }
            else
            {
                hash.Add(v);
            }
        }

        _hash = hash.ToHashCode();
    }

    public bool Equals(PartitionKey? other)
    {
        if (other is null || other.Values.Length != Values.Length || other._hash != _hash)
        {
            return false;
        }

        for (var i = 0; i < Values.Length; i++)
        {
            var left = Values[i];
            var right = other.Values[i];
            if (left is null || right is null)
            {
                if (left is not null || right is not null)
                {
                    return false;
                }

                continue;
            }

            if (left is byte[] || right is byte[])
            {
                if (IcebergValueComparer.Compare(left, right) != 0)
                {
                    return false;
                }
            }
            else if (!left.Equals(right))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is PartitionKey other && Equals(other);

    public override int GetHashCode() => _hash;
}

/// <summary>Human-readable partition values for data file folders (<c>2024-01-31</c>, <c>2024-01</c>, <c>2024-01-31-13</c>).</summary>
internal static class PartitionText
{
    public static string Human(Transform transform, IcebergType sourceType, object? value)
    {
        if (value is null)
        {
            return "null";
        }

        if (transform is TimeTransform time)
        {
            var ordinal = Convert.ToInt32(value, CultureInfo.InvariantCulture);
            switch (time.Unit)
            {
                case Transforms.TimeUnit.Day:
                    return ValueText.FormatDate(ordinal);
                case Transforms.TimeUnit.Year:
                    return (1970 + ordinal).ToString("D4", CultureInfo.InvariantCulture);
                case Transforms.TimeUnit.Month:
                {
                    var year = 1970 + (int)Math.Floor(ordinal / 12.0);
                    var month = ordinal - ((year - 1970) * 12) + 1;
                    return string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}");
                }

                default:
                {
                    var day = (int)Math.Floor(ordinal / 24.0);
                    return string.Create(CultureInfo.InvariantCulture, $"{ValueText.FormatDate(day)}-{ordinal - (day * 24):D2}");
                }
            }
        }

        var resultType = transform.ResultType(sourceType);
        return resultType switch
        {
            DecimalType d => ValueText.FormatDecimal(value is BigInteger b ? b : SingleValueSerialization.ToBigInteger(value), d.Scale),
            _ => resultType.Id switch
            {
                TypeId.Date => ValueText.FormatDate(Convert.ToInt32(value, CultureInfo.InvariantCulture)),
                TypeId.Time => ValueText.FormatTimeMicros(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                TypeId.Timestamp or TypeId.TimestampTz => ValueText.FormatTimestampMicros(Convert.ToInt64(value, CultureInfo.InvariantCulture), resultType.Id == TypeId.TimestampTz),
                TypeId.TimestampNs or TypeId.TimestampTzNs => ValueText.FormatTimestampNanos(Convert.ToInt64(value, CultureInfo.InvariantCulture), resultType.Id == TypeId.TimestampTzNs),
                _ => value switch
                {
                    byte[] bytes => Convert.ToBase64String(bytes),
                    bool flag => flag ? "true" : "false",
                    IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                    _ => value.ToString() ?? string.Empty,
                },
            },
        };
    }
}
