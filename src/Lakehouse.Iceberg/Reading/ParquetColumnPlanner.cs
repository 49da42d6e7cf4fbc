using System.Text.Json.Nodes;
using IArrowType = Apache.Arrow.Types.IArrowType;
using Lakehouse.Iceberg.Conversions;
using Lakehouse.Iceberg.Types;
using ParquetSharp;
using ParquetSharp.Schema;
using IcebergStructType = Lakehouse.Iceberg.Types.StructType;

namespace Lakehouse.Iceberg.Reading;

/// <summary>
/// Matches Iceberg fields to the columns of one Parquet file (by field id, else through the name
/// mapping, else by name) and builds the column plans that decode them.
/// </summary>
internal sealed class ParquetColumnPlanner
{
    private readonly SchemaDescriptor _schema;
    private readonly string _filePath;
    private readonly FileNode _root;
    private readonly ResolutionMode _mode;
    private readonly NameMapping? _nameMapping;
    private readonly IReadOnlyDictionary<int, object?> _constants;

    public ParquetColumnPlanner(SchemaDescriptor schema, string filePath, string? nameMappingJson, IReadOnlyDictionary<int, object?> constants)
    {
        _schema = schema;
        _filePath = filePath;
        _constants = constants;
        var leafIndex = 0;
        _root = FileNode.Build(schema.GroupNode, parent: null, ref leafIndex);
        if (_root.AnyFieldId())
        {
            _mode = ResolutionMode.FieldIds;
        }
        else if (nameMappingJson is not null)
        {
            _mode = ResolutionMode.NameMapping;
            _nameMapping = NameMapping.Parse(nameMappingJson);
        }
        else
        {
            _mode = ResolutionMode.Names;
        }
    }

    private enum ResolutionMode
    {
        FieldIds,
        NameMapping,
        Names,
    }

    public ColumnPlan Plan(NestedField field) => Plan(field, _root, _nameMapping);

    private ColumnPlan Plan(NestedField field, FileNode parent, NameMapping? mapping)
    {
        var arrowType = IcebergArrowSchema.ToArrowType(field.Type);
        var node = FindChild(parent, field, mapping, out var nestedMapping);
        if (node is null || field.Type.Id == TypeId.Unknown)
        {
            return PlanMissing(field, arrowType);
        }

        switch (field.Type)
        {
            case IcebergStructType structType:
                {
                    if (node.IsLeaf || node.IsRepeatedContainer)
                    {
                        throw Mismatch(field, node, "a struct");
                    }

                    var children = new List<ColumnPlan>(structType.Fields.Count);
                    ILevelSource? levelSource = null;
                    foreach (var child in structType.Fields)
                    {
                        var plan = Plan(child, node, nestedMapping);
                        levelSource ??= plan.LevelSource;
                        children.Add(plan);
                    }

                    LeafColumn? own = null;
                    if (levelSource is null)
                    {
                        var leaf = node.FirstLeaf() ?? throw Mismatch(field, node, "a struct with at least one column");
                        own = NewLeaf(leaf);
                        levelSource = own;
                    }

                    return new StructColumnPlan(arrowType, children, levelSource, own, (short)node.DefinitionLevel, constantValid: true);
                }

            case Types.ListType or Types.MapType:
                return PlanRepeated(field, node, nestedMapping, arrowType);
        }

        if (!node.IsLeaf || node.RepetitionLevel > 0)
        {
            throw Mismatch(field, node, "a primitive column");
        }

        var descriptor = _schema.Column(node.LeafIndex);
        var leafColumn = NewLeaf(node);
        var (decoding, fixedLength) = ChooseDecoding(field, descriptor, node);
        return new PrimitiveColumnPlan(arrowType, leafColumn, decoding, fixedLength);
    }

    private ColumnPlan PlanRepeated(NestedField field, FileNode node, NameMapping? mapping, IArrowType arrowType)
    {
        if (node.IsLeaf || node.Children.Count != 1)
        {
            throw Mismatch(field, node, $"a {field.Type}");
        }

        var repeated = node.Children[0];
        if (repeated.RepetitionLevel != 1 || repeated.RepetitionLevel == node.RepetitionLevel)
        {
            throw new IcebergException(IcebergException.Unsupported, $"column '{node.DottedPath}' in {_filePath}: lists and maps nested inside other lists or maps are not supported");
        }

        var elements = new List<EntryPlan>(2);
        if (field.Type is Types.ListType listType)
        {
            // Backward-compatible list layouts: a repeated leaf, or a repeated group that is itself the element.
            var element = repeated.IsLeaf || repeated.Children.Count != 1 || repeated.Name == "array" || repeated.Name == node.Name + "_tuple"
                ? repeated
                : repeated.Children[0];
            elements.Add(PlanEntry(listType.ElementField, element, MappingOf(mapping, "element")));
        }
        else
        {
            var mapType = (Types.MapType)field.Type;
            if (repeated.IsLeaf || repeated.Children.Count != 2)
            {
                throw Mismatch(field, node, "a map with key and value columns");
            }

            elements.Add(PlanEntry(mapType.KeyField, repeated.Children[0], MappingOf(mapping, "key")));
            elements.Add(PlanEntry(mapType.ValueField, repeated.Children[1], MappingOf(mapping, "value")));
        }

        EntryLevels? source = null;
        foreach (var element in elements)
        {
            source ??= element.Levels;
        }

        var own = source is null;
        source ??= new EntryLevels(NewLeaf(repeated.FirstLeafAtAnyDepth() ?? throw Mismatch(field, node, "at least one column")));
        return new RepeatedColumnPlan(arrowType, elements, source, own, (short)node.DefinitionLevel, (short)repeated.DefinitionLevel);
    }

    private static NameMapping? MappingOf(NameMapping? mapping, string name) => mapping?.FindByName(name)?.Nested;

    private EntryPlan PlanEntry(NestedField field, FileNode node, NameMapping? mapping)
    {
        var arrowType = IcebergArrowSchema.ToArrowType(field.Type);
        switch (field.Type)
        {
            case IcebergStructType structType:
                {
                    if (node.IsLeaf)
                    {
                        throw Mismatch(field, node, "a struct");
                    }

                    var children = new List<EntryPlan>(structType.Fields.Count);
                    EntryLevels? levels = null;
                    foreach (var child in structType.Fields)
                    {
                        var childNode = FindChild(node, child, mapping, out var childMapping);
                        var plan = childNode is null
                            ? new EntryConstant(IcebergArrowSchema.ToArrowType(child.Type), child.Type, child.Type.IsPrimitive ? MissingValue(child) : null)
                            : PlanEntry(child, childNode, childMapping);
                        levels ??= plan.Levels;
                        children.Add(plan);
                    }

                    var own = levels is null;
                    levels ??= new EntryLevels(NewLeaf(node.FirstLeafAtAnyDepth() ?? throw Mismatch(field, node, "a struct with at least one column")));
                    return new EntryStruct(arrowType, children, levels, own, (short)node.DefinitionLevel);
                }

            case Types.ListType or Types.MapType:
                throw new IcebergException(IcebergException.Unsupported, $"column '{node.DottedPath}' in {_filePath}: lists and maps nested inside other lists or maps are not supported");
        }

        if (!node.IsLeaf || node.RepetitionLevel != 1)
        {
            throw Mismatch(field, node, "a primitive element");
        }

        var descriptor = _schema.Column(node.LeafIndex);
        var leaf = NewLeaf(node);
        var (decoding, fixedLength) = ChooseDecoding(field, descriptor, node);
        return new EntryPrimitive(arrowType, new PrimitiveColumnPlan(arrowType, leaf, decoding, fixedLength), leaf);
    }

    private object? MissingValue(NestedField field)
    {
        if (_constants.TryGetValue(field.Id, out var partitionValue))
        {
            return partitionValue;
        }

        return field.InitialDefault is JsonNode initialDefault ? JsonSingleValue.FromJson(field.Type, initialDefault) : null;
    }

    private ColumnPlan PlanMissing(NestedField field, IArrowType arrowType)
    {
        if (_constants.TryGetValue(field.Id, out var partitionValue))
        {
            return new ConstantColumnPlan(arrowType, field.Type, partitionValue);
        }

        if (field.Type is IcebergStructType structType)
        {
            var present = field.InitialDefault is not null;
            var children = new List<ColumnPlan>(structType.Fields.Count);
            foreach (var child in structType.Fields)
            {
                children.Add(PlanMissing(child, IcebergArrowSchema.ToArrowType(child.Type)));
            }

            return new StructColumnPlan(arrowType, children, levelSource: null, ownLevelSource: null, presentLevel: 0, constantValid: present);
        }

        object? value = null;
        if (field.InitialDefault is JsonNode initialDefault && field.Type.IsPrimitive)
        {
            value = JsonSingleValue.FromJson(field.Type, initialDefault);
        }

        return new ConstantColumnPlan(arrowType, field.Type, value);
    }

    private FileNode? FindChild(FileNode parent, NestedField field, NameMapping? mapping, out NameMapping? nestedMapping)
    {
        nestedMapping = null;
        switch (_mode)
        {
            case ResolutionMode.FieldIds:
                foreach (var child in parent.Children)
                {
                    if (child.FieldId == field.Id)
                    {
                        return child;
                    }
                }

                return null;
            case ResolutionMode.NameMapping:
                if (mapping is null)
                {
                    return null;
                }

                foreach (var child in parent.Children)
                {
                    var mapped = mapping.FindByName(child.Name);
                    if (mapped is not null && mapped.FieldId == field.Id)
                    {
                        nestedMapping = mapped.Nested;
                        return child;
                    }
                }

                return null;
            default:
                foreach (var child in parent.Children)
                {
                    if (string.Equals(child.Name, field.Name, StringComparison.Ordinal))
                    {
                        return child;
                    }
                }

                foreach (var child in parent.Children)
                {
                    if (string.Equals(child.Name, field.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        return child;
                    }
                }

                return null;
        }
    }

    private LeafColumn NewLeaf(FileNode node) => new(node.LeafIndex, _schema.Column(node.LeafIndex), $"{node.DottedPath} in {_filePath}");

    private (Decoding Decoding, int FixedLength) ChooseDecoding(NestedField field, ColumnDescriptor descriptor, FileNode node)
    {
        var physical = descriptor.PhysicalType;
        using var logical = descriptor.LogicalType;
        var type = field.Type;
        switch (type.Id)
        {
            case TypeId.Boolean when physical == PhysicalType.Boolean:
                return (Decoding.Boolean, 0);
            case TypeId.Int or TypeId.Date when physical == PhysicalType.Int32:
                return (Decoding.Int32, 0);
            case TypeId.Long when physical == PhysicalType.Int64:
                return (Decoding.Int64, 0);
            case TypeId.Long when physical == PhysicalType.Int32:
                return (Decoding.Int32ToInt64, 0);
            case TypeId.Float when physical == PhysicalType.Float:
                return (Decoding.Float, 0);
            case TypeId.Double when physical == PhysicalType.Double:
                return (Decoding.Double, 0);
            case TypeId.Double when physical == PhysicalType.Float:
                return (Decoding.FloatToDouble, 0);
            case TypeId.Time when physical == PhysicalType.Int64:
                return (logical is TimeLogicalType { TimeUnit: TimeUnit.Nanos } ? Decoding.Int64FloorDivThousand : Decoding.Int64, 0);
            case TypeId.Time when physical == PhysicalType.Int32:
                return (Decoding.Int32TimesThousand, 0);
            case TypeId.Timestamp or TypeId.TimestampTz:
                switch (physical)
                {
                    case PhysicalType.Int64:
                        return (TimestampUnit(logical) switch
                        {
                            TimeUnit.Millis => Decoding.Int64TimesThousand,
                            TimeUnit.Nanos => Decoding.Int64FloorDivThousand,
                            _ => Decoding.Int64,
                        }, 0);
                    case PhysicalType.Int96:
                        return (Decoding.Int96ToMicros, 0);
                    case PhysicalType.Int32 when logical is DateLogicalType:
                        return (Decoding.DaysToMicros, 0);
                }

                break;
            case TypeId.TimestampNs or TypeId.TimestampTzNs:
                switch (physical)
                {
                    case PhysicalType.Int64:
                        return (TimestampUnit(logical) switch
                        {
                            TimeUnit.Millis => Decoding.Int64TimesMillion,
                            TimeUnit.Nanos => Decoding.Int64,
                            _ => Decoding.Int64TimesThousand,
                        }, 0);
                    case PhysicalType.Int96:
                        return (Decoding.Int96ToNanos, 0);
                    case PhysicalType.Int32 when logical is DateLogicalType:
                        return (Decoding.DaysToNanos, 0);
                }

                break;
            case TypeId.Decimal:
                {
                    var decimalType = (DecimalType)type;
                    if (logical is DecimalLogicalType fileDecimal && fileDecimal.Scale != decimalType.Scale)
                    {
                        throw new IcebergException(IcebergException.InvalidValue, $"column {node.DottedPath} in {_filePath}: decimal scale {fileDecimal.Scale} does not match the table's {type}");
                    }

                    switch (physical)
                    {
                        case PhysicalType.Int32: return (Decoding.Int32ToDecimal, 0);
                        case PhysicalType.Int64: return (Decoding.Int64ToDecimal, 0);
                        case PhysicalType.FixedLenByteArray: return (Decoding.FixedToDecimal, descriptor.TypeLength);
                        case PhysicalType.ByteArray: return (Decoding.BytesToDecimal, 0);
                    }

                    break;
                }

            case TypeId.String or TypeId.Binary or TypeId.Geometry or TypeId.Geography when physical == PhysicalType.ByteArray:
                return (Decoding.Binary, 0);
            case TypeId.Uuid when physical == PhysicalType.FixedLenByteArray && descriptor.TypeLength == 16:
                return (Decoding.FixedBinary, 16);
            case TypeId.Fixed when physical == PhysicalType.FixedLenByteArray && descriptor.TypeLength == ((FixedType)type).Length:
                return (Decoding.FixedBinary, descriptor.TypeLength);
        }

        throw Mismatch(field, node, $"{type} (file column is {physical}{(logical is NoneLogicalType ? string.Empty : " " + logical)})");
    }

    private static TimeUnit TimestampUnit(LogicalType logical) =>
        logical is TimestampLogicalType timestamp ? timestamp.TimeUnit : TimeUnit.Micros;

    private IcebergException Mismatch(NestedField field, FileNode node, string expected) =>
        new(IcebergException.InvalidValue, $"column '{node.DottedPath}' in {_filePath} cannot be read as field '{field.Name}' (id {field.Id}): expected {expected}");

    /// <summary>The Parquet schema tree with the levels Iceberg reading needs.</summary>
    private sealed class FileNode
    {
        public required string Name { get; init; }

        public required string DottedPath { get; init; }

        public required int FieldId { get; init; }

        public required int DefinitionLevel { get; init; }

        public required int RepetitionLevel { get; init; }

        public required bool IsRepeatedContainer { get; init; }

        public int LeafIndex { get; init; } = -1;

        public bool IsLeaf => LeafIndex >= 0;

        public List<FileNode> Children { get; } = [];

        public static FileNode Build(Node node, FileNode? parent, ref int leafIndex)
        {
            var repetition = parent is null ? Repetition.Required : node.Repetition;
            var definition = (parent?.DefinitionLevel ?? 0) + (repetition == Repetition.Required ? 0 : 1);
            var repeat = (parent?.RepetitionLevel ?? 0) + (repetition == Repetition.Repeated ? 1 : 0);
            var path = parent is null || parent.DottedPath.Length == 0 ? (parent is null ? string.Empty : node.Name) : parent.DottedPath + "." + node.Name;
            if (node is GroupNode group)
            {
                using var logical = group.LogicalType;
                var result = new FileNode
                {
                    Name = node.Name,
                    DottedPath = path,
                    FieldId = node.FieldId,
                    DefinitionLevel = definition,
                    RepetitionLevel = repeat,
                    IsRepeatedContainer = repetition == Repetition.Repeated || logical is ListLogicalType or MapLogicalType,
                };
                foreach (var child in group.Fields)
                {
                    result.Children.Add(Build(child, result, ref leafIndex));
                }

                return result;
            }

            return new FileNode
            {
                Name = node.Name,
                DottedPath = path,
                FieldId = node.FieldId,
                DefinitionLevel = definition,
                RepetitionLevel = repeat,
                IsRepeatedContainer = repetition == Repetition.Repeated,
                LeafIndex = leafIndex++,
            };
        }

        public bool AnyFieldId()
        {
            foreach (var child in Children)
            {
                if (child.FieldId >= 0 || child.AnyFieldId())
                {
                    return true;
                }
            }

            return false;
        }

        public FileNode? FirstLeafAtAnyDepth()
        {
            foreach (var child in Children)
            {
                var leaf = child.IsLeaf ? child : child.FirstLeafAtAnyDepth();
                if (leaf is not null)
                {
                    return leaf;
                }
            }

            return IsLeaf ? this : null;
        }

        public FileNode? FirstLeaf()
        {
            foreach (var child in Children)
            {
                if (child.IsLeaf && !child.IsRepeatedContainer)
                {
                    return child;
                }

                var leaf = child.IsRepeatedContainer ? null : child.FirstLeaf();
                if (leaf is not null)
                {
                    return leaf;
                }
            }

            return null;
        }
    }
}
