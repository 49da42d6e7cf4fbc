using Lakehouse.Iceberg.Types;
using ParquetSharp;
using ParquetSharp.Schema;
using static Lakehouse.Iceberg.Tests.ParquetTestSupport;

namespace Lakehouse.Iceberg.Tests;

/// <summary>Lists (3-level and legacy 2-level), lists of structs and maps, with null, empty and null-element rows.</summary>
public class ParquetNestedTests
{
    private static readonly Types.Schema NestedSchema = new(0, [
        new NestedField(1, "id", true, PrimitiveType.Long),
        new NestedField(2, "tags", false, new Types.ListType(3, false, PrimitiveType.String)),
        new NestedField(4, "points", false, new Types.ListType(5, false, new Types.StructType([
            new NestedField(6, "x", false, PrimitiveType.Int),
            new NestedField(7, "y", false, PrimitiveType.Int),
            new NestedField(13, "z_added", false, PrimitiveType.Int),
        ]))),
        new NestedField(8, "props", false, new Types.MapType(9, PrimitiveType.String, 10, false, PrimitiveType.Long)),
        new NestedField(11, "legacy", false, new Types.ListType(12, true, PrimitiveType.Int)),
        new NestedField(14, "wrapper", false, new Types.StructType([
            new NestedField(15, "inner", false, new Types.ListType(16, false, PrimitiveType.Long)),
        ])),
    ]);

    [Fact]
    public void ReadsListsMapsAndListsOfStructs()
    {
        using var temp = new TempFolder();
        var path = temp.File("nested.parquet");
        WriteNestedFile(path);
        var rows = ReadRows(Task(DataFileAt(path), NestedSchema), [1, 2, 4, 8, 11, 14], batchSize: 3);
        Assert.Equal(4, rows.Count);

        Assert.Equal(new List<object?> { "a", null, "b" }, rows[0][1]);
        Assert.Null(rows[1][1]);
        Assert.Equal(new List<object?>(), rows[2][1]);
        Assert.Equal(new List<object?> { "c" }, rows[3][1]);

        Assert.Equal(new List<object?> { new object?[] { 1, 2, null }, null, new object?[] { 3, null, null } }, rows[0][2]);
        Assert.Null(rows[1][2]);
        Assert.Equal(new List<object?>(), rows[2][2]);
        Assert.Equal(new List<object?> { new object?[] { 5, 6, null } }, rows[3][2]);

        Assert.Equal(new List<object?> { new object?[] { "k1", 1L }, new object?[] { "k2", null } }, rows[0][3]);
        Assert.Null(rows[1][3]);
        Assert.Equal(new List<object?>(), rows[2][3]);
        Assert.Equal(new List<object?> { new object?[] { "k3", 3L } }, rows[3][3]);

        Assert.Equal(new List<object?> { 1, 2 }, rows[0][4]);
        Assert.Null(rows[1][4]);
        Assert.Equal(new List<object?>(), rows[2][4]);
        Assert.Equal(new List<object?> { 3 }, rows[3][4]);

        Assert.Equal(new object?[] { new List<object?> { 10L, 11L } }, rows[0][5]);
        Assert.Null(rows[1][5]);
        Assert.Equal(new object?[] { null }, rows[2][5]);
        Assert.Equal(new object?[] { new List<object?>() }, rows[3][5]);
    }

    [Fact]
    public void EqualityAndPositionDeletesApplyToNestedColumns()
    {
        using var temp = new TempFolder();
        var path = temp.File("nested.parquet");
        WriteNestedFile(path);
        var bitmap = File.ReadAllBytes(Shared("iceberg/spec-vectors/apache-iceberg/org/apache/iceberg/deletes/small-alternating-values-position-index.bin"));
        var dv = temp.File("dv.bin");
        File.WriteAllBytes(dv, bitmap);
        var vector = DataFileAt(dv, Scan.FileContent.PositionDeletes, Scan.FileFormat.Puffin) with { ContentOffset = 0, ContentSizeInBytes = bitmap.Length };
        var rows = ReadRows(Task(DataFileAt(path), NestedSchema, [vector]), [1, 2, 8]);
        Assert.Equal([0L, 2L], rows.Select(r => (long)r[0]!));
        Assert.Equal(new List<object?> { "a", null, "b" }, rows[0][1]);
        Assert.Equal(new List<object?>(), rows[1][2]);
    }

    [Fact]
    public void NameMappedListAndMapColumnsOfSharedFile()
    {
        var file = Persistent("column_mapping/warehouse/example/mock_data.parquet");
        var schema = new Types.Schema(0, [
            new NestedField(1, "id", false, PrimitiveType.Long),
            new NestedField(4, "attributes", false, new Types.MapType(7, PrimitiveType.String, 8, false, PrimitiveType.String)),
            new NestedField(5, "scores", false, new Types.ListType(9, false, PrimitiveType.Long)),
        ]);
        const string mapping = """[{"names":["id"],"field-id":1},{"names":["attributes"],"field-id":4,"fields":[{"names":["key"],"field-id":7},{"names":["value"],"field-id":8}]},{"names":["scores"],"field-id":5,"fields":[{"names":["element"],"field-id":9}]}]""";
        var rows = ReadRows(Task(DataFileAt(file), schema, nameMapping: mapping), [1, 4, 5]);
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.True(r[1] is null || r[1] is List<object?>));
        Assert.Contains(rows, r => r[2] is List<object?> { Count: > 0 } scores && scores.All(s => s is long));
        Assert.Contains(rows, r => r[1] is List<object?> { Count: > 0 } entries && entries.All(e => e is object?[] { Length: 2 } kv && kv[0] is string));
    }

    private static void WriteNestedFile(string path)
    {
        var schema = new GroupNode("schema", Repetition.Required, [
            new PrimitiveNode("id", Repetition.Required, LogicalType.None(), PhysicalType.Int64, -1, 1),
            new GroupNode("tags", Repetition.Optional, [
                new GroupNode("list", Repetition.Repeated, [new PrimitiveNode("element", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray, -1, 3)]),
            ], LogicalType.List(), 2),
            new GroupNode("points", Repetition.Optional, [
                new GroupNode("list", Repetition.Repeated, [
                    new GroupNode("element", Repetition.Optional, [
                        new PrimitiveNode("x", Repetition.Optional, LogicalType.None(), PhysicalType.Int32, -1, 6),
                        new PrimitiveNode("y", Repetition.Optional, LogicalType.None(), PhysicalType.Int32, -1, 7),
                    ], null, 5),
                ]),
            ], LogicalType.List(), 4),
            new GroupNode("props", Repetition.Optional, [
                new GroupNode("key_value", Repetition.Repeated, [
                    new PrimitiveNode("key", Repetition.Required, LogicalType.String(), PhysicalType.ByteArray, -1, 9),
                    new PrimitiveNode("value", Repetition.Optional, LogicalType.None(), PhysicalType.Int64, -1, 10),
                ]),
            ], LogicalType.Map(), 8),
            new GroupNode("legacy", Repetition.Optional, [
                new PrimitiveNode("element", Repetition.Repeated, LogicalType.None(), PhysicalType.Int32, -1, 12),
            ], LogicalType.List(), 11),
            new GroupNode("wrapper", Repetition.Optional, [
                new GroupNode("inner", Repetition.Optional, [
                    new GroupNode("list", Repetition.Repeated, [new PrimitiveNode("element", Repetition.Optional, LogicalType.None(), PhysicalType.Int64, -1, 16)]),
                ], LogicalType.List(), 15),
            ], null, 14),
        ]);
        using var writer = new ParquetFileWriter(path, schema, new WriterPropertiesBuilder().Build());
        using var rowGroup = writer.AppendRowGroup();
        Write(rowGroup, null, null, new long[] { 0, 1, 2, 3 });
        ParquetTypeCoverageTests.WriteStringsWithLevels(rowGroup, [3, 2, 3, 0, 1, 3], [0, 1, 1, 0, 0, 0], ["a", "b", "c"]);
        Write(rowGroup, new short[] { 4, 2, 4, 0, 1, 4 }, new short[] { 0, 1, 1, 0, 0, 0 }, new[] { 1, 3, 5 });
        Write(rowGroup, new short[] { 4, 2, 3, 0, 1, 4 }, new short[] { 0, 1, 1, 0, 0, 0 }, new[] { 2, 6 });
        ParquetTypeCoverageTests.WriteStringsWithLevels(rowGroup, [2, 2, 0, 1, 2], [0, 1, 0, 0, 0], ["k1", "k2", "k3"]);
        Write(rowGroup, new short[] { 3, 2, 0, 1, 3 }, new short[] { 0, 1, 0, 0, 0 }, new[] { 1L, 3L });
        Write(rowGroup, new short[] { 2, 2, 0, 1, 2 }, new short[] { 0, 1, 0, 0, 0 }, new[] { 1, 2, 3 });

        // wrapper.inner: row 0 [10, 11], row 1 wrapper null, row 2 inner null, row 3 inner empty.
        Write(rowGroup, new short[] { 4, 4, 0, 1, 2 }, new short[] { 0, 1, 0, 0, 0 }, new[] { 10L, 11L });
    }

    private static void Write<T>(RowGroupWriter rowGroup, short[]? def, short[]? rep, T[] values)
        where T : unmanaged
    {
        using var column = (ColumnWriter<T>)rowGroup.NextColumn();
        column.WriteBatch(def?.Length ?? values.Length, def, rep, values);
    }
}
