using System.Text.Json.Nodes;
using Lakehouse.Iceberg.Scan;
using Lakehouse.Iceberg.Types;
using Lakehouse.Storage;
using static Lakehouse.Iceberg.Tests.ParquetTestSupport;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Reads data files of the shared test tables through hand-built scan tasks.</summary>
public class ParquetSharedTableTests
{
    private static readonly Types.Schema IsNullSchema = new(0, [
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "value", false, PrimitiveType.String),
    ]);

    [Fact]
    public void ReadsAllNullAndMixedStringColumns()
    {
        var folder = Persistent("is_null_is_not_null/data");
        var rows = new List<object?[]>();
        foreach (var file in Directory.GetFiles(folder, "*.parquet"))
        {
            rows.AddRange(ReadRows(Task(DataFileAt(file), IsNullSchema), [1, 2]));
        }

        rows.Sort((a, b) => ((long)a[0]!).CompareTo((long)b[0]!));
        Assert.Equal(
            new object?[][] { [1L, null], [2L, null], [3L, null], [4L, "foo"], [5L, "bar"], [6L, "baz"], [7L, null], [8L, "blah"] },
            rows);
    }

    [Fact]
    public void ProjectionOrderAndSubsetAreHonoured()
    {
        var file = Directory.GetFiles(Persistent("is_null_is_not_null/data"), "*.parquet")[0];
        var rows = ReadRows(Task(DataFileAt(file), IsNullSchema), [2, 1]);
        Assert.All(rows, r => Assert.IsType<long>(r[1]));
        var batches = Reading.IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(file), IsNullSchema), [2, 1]).ToList();
        Assert.Equal("value", batches[0].Schema.FieldsList[0].Name);
        Assert.Equal("2", batches[0].Schema.FieldsList[0].Metadata["PARQUET:field_id"]);
    }

    [Fact]
    public void EmptyProjectionCountsRows()
    {
        var file = Directory.GetFiles(Persistent("is_null_is_not_null/data"), "*.parquet")[0];
        var batches = Reading.IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(file), IsNullSchema), []).ToList();
        Assert.All(batches, b => Assert.Equal(0, b.ColumnCount));
        Assert.True(batches.Sum(b => b.Length) > 0);
    }

    [Fact]
    public void SmallBatchesSplitRowGroups()
    {
        var file = Directory.GetFiles(Persistent("is_null_is_not_null/data"), "*.parquet").First(f => f.Contains("0defd709", StringComparison.Ordinal));
        var batches = Reading.IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(file), IsNullSchema), [1, 2], batchSize: 2).ToList();
        Assert.Equal([2, 1], batches.Select(b => b.Length));
    }

    [Fact]
    public void EqualityDeletesRemoveMatchingRows()
    {
        var folder = Persistent("equality_deletes/warehouse/mydb/mytable/data");
        var schema = new Types.Schema(0, [
            new NestedField(1, "id", false, PrimitiveType.Int),
            new NestedField(2, "name", false, PrimitiveType.String),
            new NestedField(3, "bir", false, PrimitiveType.Date),
        ]);
        DataFile EqualityDelete(string id, params int[] ids) =>
            DataFileAt(Directory.GetFiles(folder, $"delete-{id}*.parquet").Single(), FileContent.EqualityDeletes) with { EqualityFieldIds = ids };
        var deletes = new[]
        {
            EqualityDelete("242a4468", 1),
            EqualityDelete("93d19556", 2),
            EqualityDelete("6b31fafe", 1, 2),
            EqualityDelete("2ca427ee", 2),
        };
        var firstFile = Directory.GetFiles(folder, "00000-9-*.parquet").Single();

        var all = ReadRows(Task(DataFileAt(firstFile), schema), [1, 2]);
        Assert.Equal(new object?[][] { [1, "a"], [2, "b"], [3, "c"], [4, "d"] }, all);

        // Only the id column is projected: the name key column is still read for the deletes.
        var kept = ReadRows(Task(DataFileAt(firstFile), schema, deletes), [1, 3]);
        Assert.Equal(new object?[][] { [4, 20092] }, kept);
    }

    [Fact]
    public void LegacyBareDeletionVectorDeletesPositionOne()
    {
        var folder = Persistent("legacy_bare_deletion_vector/warehouse/default/legacy_bare_deletion_vector/data");
        var schema = new Types.Schema(0, [
            new NestedField(1, "id", true, PrimitiveType.Long),
            new NestedField(2, "source", true, PrimitiveType.String),
        ]);
        var vector = DataFileAt(Path.Combine(folder, "legacy-bare-deletion-vector.puffin"), FileContent.PositionDeletes, FileFormat.Puffin)
            with { ContentOffset = 0, ContentSizeInBytes = 42 };
        var data = DataFileAt(Directory.GetFiles(folder, "*.parquet").Single());
        Assert.Equal(new object?[][] { [1L, "legacy"], [3L, "legacy"] }, ReadRows(Task(data, schema, [vector]), [1, 2]));

        // Without a recorded blob location the bare blob is decoded from the whole file.
        var unlocated = vector with { ContentOffset = null, ContentSizeInBytes = null };
        Assert.Equal(2, ReadRows(Task(data, schema, [unlocated]), [1]).Count);
    }

    [Fact]
    public void NameMappingResolvesColumnsOfFilesWithoutFieldIds()
    {
        var file = Persistent("column_mapping/warehouse/example/mock_data.parquet");
        var schema = new Types.Schema(0, [
            new NestedField(1, "id", false, PrimitiveType.Long),
            new NestedField(2, "renamed", false, PrimitiveType.String),
            new NestedField(3, "age", false, PrimitiveType.Long),
            new NestedField(6, "profile", false, new Types.StructType([
                new NestedField(10, "email", false, PrimitiveType.String),
                new NestedField(11, "verified", false, PrimitiveType.Boolean),
            ])),
        ]);
        const string mapping = """[{"names":["id"],"field-id":1},{"names":["name"],"field-id":2},{"names":["age"],"field-id":3},{"names":["profile"],"field-id":6,"fields":[{"names":["email"],"field-id":10},{"names":["verified"],"field-id":11}]}]""";
        var rows = ReadRows(Task(DataFileAt(file), schema, nameMapping: mapping), [1, 2, 3]);
        Assert.Equal(new object?[][] { [1L, "Alice", 25L], [2L, "Bob", 30L], [3L, "Charlie", 35L] }, rows);

        var profiles = ReadRows(Task(DataFileAt(file), schema, nameMapping: mapping), [6]);
        Assert.Equal(3, profiles.Count);
        Assert.All(profiles, p => Assert.True(p[0] is null || ((object?[])p[0]!).Length == 2));

        // An empty mapping maps nothing: every column reads as NULL.
        Assert.All(ReadRows(Task(DataFileAt(file), schema, nameMapping: "[]"), [1, 2]), r => Assert.Equal([null, null], r));

        // Without any mapping, columns match by name ("renamed" is absent).
        Assert.Equal(new object?[][] { [1L, null], [2L, null], [3L, null] }, ReadRows(Task(DataFileAt(file), schema), [1, 2]));
    }

    [Fact]
    public void MissingColumnsTakeInitialDefaultsOrPartitionValues()
    {
        var folder = Persistent("add_columns_with_defaults/default.db/add_columns_with_defaults/data");
        var oldFile = Directory.GetFiles(folder, "*0bb8c58e*.parquet").Single();
        var newFile = Directory.GetFiles(folder, "*f1823874*.parquet").Single();
        var schema = new Types.Schema(1, [
            new NestedField(1, "col1", false, PrimitiveType.String),
            new NestedField(3, "col_integer", false, PrimitiveType.Int, initialDefault: JsonValue.Create(342342)),
            new NestedField(7, "col_decimal", false, new DecimalType(16, 2), initialDefault: JsonValue.Create("12345.00")),
            new NestedField(12, "col_string", false, PrimitiveType.String, initialDefault: JsonValue.Create("HELLO")),
            new NestedField(13, "col_uuid", false, PrimitiveType.Uuid, initialDefault: JsonValue.Create("f79c3e09-677c-4bbd-a479-3f349cb785e7")),
            new NestedField(14, "col_fixed", false, new FixedType(5), initialDefault: JsonValue.Create("010203ff03")),
            new NestedField(99, "no_default", false, PrimitiveType.Long),
        ]);
        int[] ids = [1, 3, 7, 12, 13, 14, 99];
        var old = ReadRows(Task(DataFileAt(oldFile), schema), ids);
        Assert.Equal(2, old.Count);
        Assert.All(old, r =>
        {
            Assert.Equal(342342, r[1]);
            Assert.Equal((Int128)1234500, r[2]);
            Assert.Equal("HELLO", r[3]);
            Assert.Equal(Guid.Parse("f79c3e09-677c-4bbd-a479-3f349cb785e7"), r[4]);
            Assert.Equal(new byte[] { 1, 2, 3, 0xff, 3 }, r[5]);
            Assert.Null(r[6]);
        });
        Assert.Equal(["click", "purchase"], old.Select(r => (string)r[0]!).Order());

        var fresh = ReadRows(Task(DataFileAt(newFile), schema), [1, 3]);
        Assert.Equal(new object?[][] { ["test", 453243] }, fresh);

        var partitioned = ReadRows(Task(DataFileAt(oldFile), schema, partitionValues: new Dictionary<int, object?> { [99] = 7L, [3] = 5 }), [99, 3]);
        Assert.All(partitioned, r => Assert.Equal([7L, 5], r));
    }

    [Fact]
    public void UnknownFieldIdIsRejected()
    {
        var file = Directory.GetFiles(Persistent("is_null_is_not_null/data"), "*.parquet")[0];
        var error = Assert.Throws<IcebergException>(() => Reading.IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(file), IsNullSchema), [42]));
        Assert.Equal(IcebergException.InvalidValue, error.Code);
    }

    [Fact]
    public void MissingFileFailsWithStorageError()
    {
        var error = Assert.Throws<StorageException>(() => Reading.IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt("/nonexistent/file.parquet"), IsNullSchema), [1]).ToList());
        Assert.Equal("FILE_NOT_FOUND", error.Code);
    }

    [Fact]
    public void NonParquetFileFailsWithClearError()
    {
        var bogus = Shared("iceberg/README.md");
        var error = Assert.Throws<IcebergException>(() => Reading.IcebergDataFileReader.Read(LocalFileIO.Instance, Task(DataFileAt(bogus), IsNullSchema), [1]).ToList());
        Assert.Equal(Reading.IcebergDataFileReader.InvalidDataFile, error.Code);
    }
}
