using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Server.FlightSql.Protocol;

namespace Lakehouse.Server.FlightSql;

/// <summary>
/// Result sets of the Flight SQL catalog commands, shaped exactly as the specification prescribes so
/// that JDBC/ADBC tools can browse the server. Tables are reached through table functions such as
/// <c>iceberg_scan(...)</c>, so there are no catalogs, schemas or named tables to list.
/// </summary>
public static class MetadataResults
{
    public const string ServerName = "Lakehouse";
    public const string ArrowVersion = "23.0.0";

    public static readonly Schema CatalogsSchema = new Schema.Builder()
        .Field(new Field("catalog_name", StringType.Default, nullable: false))
        .Build();

    public static readonly Schema DbSchemasSchema = new Schema.Builder()
        .Field(new Field("catalog_name", StringType.Default, nullable: true))
        .Field(new Field("db_schema_name", StringType.Default, nullable: false))
        .Build();

    public static readonly Schema TablesSchema = new Schema.Builder()
        .Field(new Field("catalog_name", StringType.Default, nullable: true))
        .Field(new Field("db_schema_name", StringType.Default, nullable: true))
        .Field(new Field("table_name", StringType.Default, nullable: false))
        .Field(new Field("table_type", StringType.Default, nullable: false))
        .Build();

    public static readonly Schema TablesWithSchemaSchema = new Schema.Builder()
        .Field(new Field("catalog_name", StringType.Default, nullable: true))
        .Field(new Field("db_schema_name", StringType.Default, nullable: true))
        .Field(new Field("table_name", StringType.Default, nullable: false))
        .Field(new Field("table_type", StringType.Default, nullable: false))
        .Field(new Field("table_schema", BinaryType.Default, nullable: false))
        .Build();

    public static readonly Schema TableTypesSchema = new Schema.Builder()
        .Field(new Field("table_type", StringType.Default, nullable: false))
        .Build();

    private static readonly string[] TableTypes = ["TABLE"];

    private static readonly UnionType SqlInfoValueType = new(
        [
            new Field("string_value", StringType.Default, nullable: true),
            new Field("bool_value", BooleanType.Default, nullable: true),
            new Field("bigint_value", Int64Type.Default, nullable: true),
            new Field("int32_bitmask", Int32Type.Default, nullable: true),
            new Field("string_list", new ListType(new Field("item", StringType.Default, nullable: true)), nullable: true),
            new Field(
                "int32_to_int32_list_map",
                new MapType(
                    new Field("key", Int32Type.Default, nullable: false),
                    new Field("value", new ListType(new Field("item", Int32Type.Default, nullable: true)), nullable: true)),
                nullable: true),
        ],
        [0, 1, 2, 3, 4, 5],
        UnionMode.Dense);

    public static readonly Schema SqlInfoSchema = new Schema.Builder()
        .Field(new Field("info_name", UInt32Type.Default, nullable: false))
        .Field(new Field("value", SqlInfoValueType, nullable: false))
        .Build();

    private const sbyte StringValueTypeId = 0;
    private const sbyte BoolValueTypeId = 1;
    private const sbyte Int32BitmaskTypeId = 3;

    /// <summary>Schema of the result a metadata command produces, or null when the command is not a metadata command.</summary>
    public static Schema? SchemaFor(Google.Protobuf.WellKnownTypes.Any command)
    {
        if (FlightSqlCommand.Is<CommandGetCatalogs>(command))
        {
            return CatalogsSchema;
        }

        if (FlightSqlCommand.Is<CommandGetDbSchemas>(command))
        {
            return DbSchemasSchema;
        }

        if (FlightSqlCommand.Is<CommandGetTables>(command))
        {
            return FlightSqlCommand.Unpack<CommandGetTables>(command).IncludeSchema ? TablesWithSchemaSchema : TablesSchema;
        }

        if (FlightSqlCommand.Is<CommandGetTableTypes>(command))
        {
            return TableTypesSchema;
        }

        if (FlightSqlCommand.Is<CommandGetSqlInfo>(command))
        {
            return SqlInfoSchema;
        }

        return null;
    }

    /// <summary>The batch a metadata command produces, or null when the command is not a metadata command.</summary>
    public static RecordBatch? BatchFor(Google.Protobuf.WellKnownTypes.Any command, string serverVersion)
    {
        if (FlightSqlCommand.Is<CommandGetCatalogs>(command))
        {
            return new RecordBatch(CatalogsSchema, [EmptyStrings()], 0);
        }

        if (FlightSqlCommand.Is<CommandGetDbSchemas>(command))
        {
            return new RecordBatch(DbSchemasSchema, [EmptyStrings(), EmptyStrings()], 0);
        }

        if (FlightSqlCommand.Is<CommandGetTables>(command))
        {
            var includeSchema = FlightSqlCommand.Unpack<CommandGetTables>(command).IncludeSchema;
            IArrowArray[] columns = includeSchema
                ? [EmptyStrings(), EmptyStrings(), EmptyStrings(), EmptyStrings(), new BinaryArray.Builder().Build()]
                : [EmptyStrings(), EmptyStrings(), EmptyStrings(), EmptyStrings()];
            return new RecordBatch(includeSchema ? TablesWithSchemaSchema : TablesSchema, columns, 0);
        }

        if (FlightSqlCommand.Is<CommandGetTableTypes>(command))
        {
            return new RecordBatch(TableTypesSchema, [new StringArray.Builder().AppendRange(TableTypes).Build()], TableTypes.Length);
        }

        if (FlightSqlCommand.Is<CommandGetSqlInfo>(command))
        {
            return BuildSqlInfo(FlightSqlCommand.Unpack<CommandGetSqlInfo>(command).Info, serverVersion);
        }

        return null;
    }

    private static RecordBatch BuildSqlInfo(IReadOnlyCollection<uint> requested, string serverVersion)
    {
        var entries = new List<(SqlInfo Name, object Value)>
        {
            (SqlInfo.FlightSqlServerName, ServerName),
            (SqlInfo.FlightSqlServerVersion, serverVersion),
            (SqlInfo.FlightSqlServerArrowVersion, ArrowVersion),
            (SqlInfo.FlightSqlServerReadOnly, true),
            (SqlInfo.FlightSqlServerSql, true),
            (SqlInfo.FlightSqlServerSubstrait, false),
            (SqlInfo.FlightSqlServerTransaction, 0),
            (SqlInfo.FlightSqlServerCancel, false),
            (SqlInfo.FlightSqlServerBulkIngestion, false),
            (SqlInfo.SqlDdlCatalog, false),
            (SqlInfo.SqlDdlSchema, false),
            (SqlInfo.SqlDdlTable, false),
            (SqlInfo.SqlIdentifierQuoteChar, "\""),
            (SqlInfo.SqlAllTablesAreSelectable, true),
        };

        var names = new UInt32Array.Builder();
        var typeIds = new ArrowBuffer.Builder<sbyte>();
        var offsets = new ArrowBuffer.Builder<int>();
        var strings = new StringArray.Builder();
        var booleans = new BooleanArray.Builder();
        var ints = new Int32Array.Builder();
        var rows = 0;
        foreach (var (name, value) in entries)
        {
            if (requested.Count > 0 && !requested.Contains((uint)name))
            {
                continue;
            }

            names.Append((uint)name);
            switch (value)
            {
                case string text:
                    typeIds.Append(StringValueTypeId);
                    offsets.Append(strings.Length);
                    strings.Append(text);
                    break;
                case bool flag:
                    typeIds.Append(BoolValueTypeId);
                    offsets.Append(booleans.Length);
                    booleans.Append(flag);
                    break;
                case int bitmask:
                    typeIds.Append(Int32BitmaskTypeId);
                    offsets.Append(ints.Length);
                    ints.Append(bitmask);
                    break;
            }

            rows++;
        }

        var stringList = new ListArray.Builder(StringType.Default).Build();
        var mapType = (MapType)SqlInfoValueType.Fields[5].DataType;
        var emptyMap = (MapArray)ArrowArrayFactory.BuildArray(EmptyArrayData(mapType));
        IArrowArray[] children =
        [
            strings.Build(),
            booleans.Build(),
            new Int64Array.Builder().Build(),
            ints.Build(),
            stringList,
            emptyMap,
        ];
        var union = new DenseUnionArray(SqlInfoValueType, rows, children, typeIds.Build(), offsets.Build());
        return new RecordBatch(SqlInfoSchema, [names.Build(), union], rows);
    }

    private static StringArray EmptyStrings() => new StringArray.Builder().Build();

    private static ArrayData EmptyArrayData(IArrowType type)
    {
        var zeroOffset = new ArrowBuffer.Builder<int>().Append(0).Build();
        return type switch
        {
            MapType map => new ArrayData(map, 0, 0, 0, [ArrowBuffer.Empty, zeroOffset], [EmptyArrayData(map.KeyValueType)]),
            ListType list => new ArrayData(list, 0, 0, 0, [ArrowBuffer.Empty, zeroOffset], [EmptyArrayData(list.ValueDataType)]),
            StructType structType => new ArrayData(
                structType, 0, 0, 0, [ArrowBuffer.Empty], structType.Fields.Select(field => EmptyArrayData(field.DataType)).ToArray()),
            StringType or BinaryType => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, zeroOffset, ArrowBuffer.Empty]),
            _ => new ArrayData(type, 0, 0, 0, [ArrowBuffer.Empty, ArrowBuffer.Empty]),
        };
    }
}
