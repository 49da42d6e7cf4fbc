using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;
using Lakehouse.Execution.Arrays;
using Lakehouse.Execution.Catalog;
using Lakehouse.Execution.Kernels;
using Lakehouse.Execution.Operators;
using Lakehouse.Planning;
using Lakehouse.Planning.Binding;
using Lakehouse.Planning.Expressions;
using Lakehouse.Planning.Logical;
using Lakehouse.Planning.Types;
using Lakehouse.Sql.Ast;

namespace Lakehouse.Execution.Engine.Statements;

/// <summary>
/// Plans the statements that are not queries against the memory catalog: CREATE TABLE, CREATE TABLE AS,
/// INSERT, DROP TABLE, SHOW TABLES/SCHEMAS/CATALOGS and DESCRIBE. Names, types and columns are checked
/// when the statement is prepared; the change itself happens when the result is read, and each write
/// publishes all its rows at once or none of them.
/// </summary>
public sealed class StatementExecutor
{
    public const string ConstraintViolation = "CONSTRAINT_VIOLATION";

    /// <summary>Rows per stored batch: written rows are copied into batches of at most this size.</summary>
    private const int MaxBatchRows = 64 * 1024;

    private static readonly Schema RowsSchema = new([new Field("rows", SqlTypes.BigInt, false)], null);
    private static readonly Schema ResultSchema = new([new Field("result", SqlTypes.Boolean, false)], null);

    private readonly MemoryCatalog _catalog;
    private readonly Func<Query, LogicalPlan> _bind;
    private readonly Func<LogicalPlan, PhysicalOperator> _plan;

    /// <param name="bind">Binds a query to a logical plan (tables resolve through the catalog).</param>
    /// <param name="plan">Optimizes a logical plan and plans its operators.</param>
    public StatementExecutor(MemoryCatalog catalog, Func<Query, LogicalPlan> bind, Func<LogicalPlan, PhysicalOperator> plan)
    {
        _catalog = catalog;
        _bind = bind;
        _plan = plan;
    }

    public MemoryCatalog Catalog => _catalog;

    public PhysicalOperator Prepare(Statement statement) => statement switch
    {
        CreateTableStatement create => CreateTable(create),
        CreateTableAsStatement create => CreateTableAs(create),
        InsertStatement insert => Insert(insert),
        DropTableStatement drop => DropTable(drop),
        ShowTablesStatement show => ShowTables(show),
        ShowSchemasStatement show => ShowSchemas(show),
        ShowCatalogsStatement show => ShowCatalogs(show),
        ShowColumnsStatement show => Describe(show),
        ShowCreateTableStatement show => ShowCreateTable(show),
        ExplainStatement { Analyze: false, Statement: not QueryStatement } explain => Explain(Prepare(explain.Statement)),
        _ => throw new PlanningException(PlanningException.NotSupported, $"{statement.Span}: {StatementKind(statement)} is not supported"),
    };

    private PhysicalOperator CreateTable(CreateTableStatement create)
    {
        RejectProperties(create.Properties);
        var name = MemoryCatalog.NameOf(create.Name);
        if (create.Columns.Count == 0)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{create.Span}: table '{name}' needs at least one column");
        }

        var fields = new List<Field>(create.Columns.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in create.Columns)
        {
            if (!seen.Add(column.Name.Value))
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{column.Span}: column '{column.Name.Value}' is specified more than once");
            }

            fields.Add(new Field(column.Name.Value, ColumnType(column.Type), column.Nullable));
        }

        var schema = new Schema(fields, null);
        ThrowIfExists(name, create.IfNotExists, create.Name.Span);
        return new StatementOperator(ResultSchema, $"CreateTable {name}", _ =>
        {
            _catalog.Create(name, schema, [], create.IfNotExists, create.Name.Span);
            return Task.FromResult(ResultBatch());
        });
    }

    private PhysicalOperator CreateTableAs(CreateTableAsStatement create)
    {
        RejectProperties(create.Properties);
        var name = MemoryCatalog.NameOf(create.Name);
        bool exists = ThrowIfExists(name, create.IfNotExists, create.Name.Span);
        var plan = _bind(create.Query);
        var columns = plan.Columns;
        if (create.ColumnAliases.Count > 0 && create.ColumnAliases.Count != columns.Count)
        {
            throw new PlanningException(
                PlanningException.InvalidArgument,
                $"{create.Span}: {create.ColumnAliases.Count} column names are given but the query produces {columns.Count} columns");
        }

        var fields = new List<Field>(columns.Count);
        var names = new List<string>(columns.Count);
        var expressions = new List<BoundExpression>(columns.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < columns.Count; i++)
        {
            string columnName = create.ColumnAliases.Count > 0 ? create.ColumnAliases[i].Value : columns[i].Name;
            if (!seen.Add(columnName))
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{create.Span}: column '{columnName}' is specified more than once");
            }

            if (columns[i].Type is NullType)
            {
                throw new PlanningException(
                    PlanningException.TypeMismatch,
                    $"{create.Span}: the type of column '{columnName}' is unknown (it is always NULL); cast it to a type");
            }

            fields.Add(new Field(columnName, columns[i].Type, true));
            names.Add(columnName);
            expressions.Add(new ColumnReference(i, columns[i].Type, columns[i].Name));
        }

        var schema = new Schema(fields, null);
        if (exists)
        {
            return new StatementOperator(RowsSchema, $"CreateTableAs {name} (exists)", _ => Task.FromResult(RowsBatch(0)));
        }

        var source = _plan(new ProjectNode(plan, expressions, names));
        return new StatementOperator(
            RowsSchema,
            $"CreateTableAs {name}",
            async cancellationToken =>
            {
                var batches = create.WithData ? await CollectAsync(source, schema, cancellationToken).ConfigureAwait(false) : [];
                var table = _catalog.Create(name, schema, batches, create.IfNotExists, create.Name.Span);
                return RowsBatch(table is null ? 0 : CountRows(batches));
            },
            source);
    }

    private PhysicalOperator Insert(InsertStatement insert)
    {
        var table = _catalog.GetRequired(MemoryCatalog.NameOf(insert.Target), insert.Target.Span);
        var tableFields = table.Schema.FieldsList;
        int[] targets = TargetColumns(insert, table);
        var plan = _bind(insert.Query);
        var queryColumns = plan.Columns;
        if (queryColumns.Count != targets.Length)
        {
            throw new PlanningException(
                PlanningException.TypeMismatch,
                $"{insert.Span}: INSERT into '{table.Name}' expects {targets.Length} columns but the query produces {queryColumns.Count}");
        }

        var sourceOf = new int[tableFields.Count];
        System.Array.Fill(sourceOf, -1);
        for (int i = 0; i < targets.Length; i++)
        {
            sourceOf[targets[i]] = i;
        }

        var expressions = new List<BoundExpression>(tableFields.Count);
        var names = new List<string>(tableFields.Count);
        for (int column = 0; column < tableFields.Count; column++)
        {
            var field = tableFields[column];
            names.Add(field.Name);
            int source = sourceOf[column];
            if (source < 0)
            {
                if (!field.IsNullable)
                {
                    throw new PlanningException(
                        ConstraintViolation,
                        $"{insert.Span}: NOT NULL column '{field.Name}' of '{table.Name}' needs a value");
                }

                expressions.Add(Literal.Null(field.DataType));
                continue;
            }

            var sourceType = queryColumns[source].Type;
            if (!CanStore(sourceType, field.DataType))
            {
                throw new PlanningException(
                    PlanningException.TypeMismatch,
                    $"{insert.Span}: column '{field.Name}' of '{table.Name}' is {SqlTypes.Display(field.DataType)} but the query produces {SqlTypes.Display(sourceType)}");
            }

            var reference = new ColumnReference(source, sourceType, queryColumns[source].Name);
            expressions.Add(SqlTypes.AreEqual(sourceType, field.DataType) ? reference : new Planning.Expressions.CastExpression(reference, field.DataType, false));
        }

        var operatorTree = _plan(new ProjectNode(plan, expressions, names));
        return new StatementOperator(
            RowsSchema,
            $"Insert {table.Name}",
            async cancellationToken =>
            {
                var batches = await CollectAsync(operatorTree, table.Schema, cancellationToken).ConfigureAwait(false);
                table.Append(batches);
                return RowsBatch(CountRows(batches));
            },
            operatorTree);
    }

    private static int[] TargetColumns(InsertStatement insert, MemoryTable table)
    {
        var fields = table.Schema.FieldsList;
        if (insert.Columns.Count == 0)
        {
            var all = new int[fields.Count];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            return all;
        }

        var targets = new int[insert.Columns.Count];
        var used = new bool[fields.Count];
        for (int i = 0; i < targets.Length; i++)
        {
            var identifier = insert.Columns[i];
            int index = -1;
            for (int column = 0; column < fields.Count && index < 0; column++)
            {
                index = identifier.Matches(fields[column].Name) ? column : -1;
            }

            if (index < 0)
            {
                throw new PlanningException(
                    PlanningException.ColumnNotFound,
                    $"{identifier.Span}: insert column '{identifier.Value}' is not a column of '{table.Name}'");
            }

            if (used[index])
            {
                throw new PlanningException(PlanningException.InvalidArgument, $"{identifier.Span}: insert column '{identifier.Value}' is listed more than once");
            }

            used[index] = true;
            targets[i] = index;
        }

        return targets;
    }

    /// <summary>
    /// Whether INSERT converts values of <paramref name="from"/> into a column of type <paramref name="to"/>:
    /// the implicit coercions (to a type that holds every value), and any numeric to numeric conversion,
    /// which fails at run time for a value out of the column's range.
    /// </summary>
    private static bool CanStore(IArrowType from, IArrowType to)
    {
        if (from is NullType || SqlTypes.AreEqual(from, to) || (SqlTypes.IsNumeric(from) && SqlTypes.IsNumeric(to)))
        {
            return true;
        }

        return SqlTypes.CommonSuperType(from, to) is { } common && SqlTypes.AreEqual(common, to);
    }

    private PhysicalOperator DropTable(DropTableStatement drop)
    {
        var name = MemoryCatalog.NameOf(drop.Name);
        if (!drop.IfExists)
        {
            _catalog.GetRequired(name, drop.Name.Span);
        }

        return new StatementOperator(ResultSchema, $"DropTable {name}", _ =>
        {
            if (!_catalog.Drop(name) && !drop.IfExists)
            {
                throw new PlanningException(PlanningException.TableNotFound, $"{drop.Name.Span}: table '{name}' does not exist");
            }

            return Task.FromResult(ResultBatch());
        });
    }

    private PhysicalOperator ShowTables(ShowTablesStatement show)
    {
        string schema = MemoryCatalog.DefaultSchema;
        if (show.Schema is { } qualified)
        {
            schema = qualified.Parts.Count switch
            {
                1 => qualified.Parts[0].Value,
                2 when qualified.Parts[0].Matches(MemoryCatalog.CatalogName) => qualified.Parts[1].Value,
                _ => throw new PlanningException(PlanningException.NotSupported, $"{qualified.Span}: schema '{qualified.Value}' is not in the '{MemoryCatalog.CatalogName}' catalog"),
            };
        }

        var matcher = Matcher(show.LikePattern);
        var outputSchema = new Schema([new Field("Table", SqlTypes.Varchar, false)], null);
        return new StatementOperator(outputSchema, $"ShowTables {schema}", _ =>
        {
            var names = new List<string>();
            foreach (var table in _catalog.ListTables(schema))
            {
                if (Matches(matcher, table.Name.Table))
                {
                    names.Add(table.Name.Table);
                }
            }

            return Task.FromResult(StringBatch(outputSchema, [names]));
        });
    }

    private PhysicalOperator ShowSchemas(ShowSchemasStatement show)
    {
        if (show.Catalog is { } catalog && !catalog.Matches(MemoryCatalog.CatalogName))
        {
            throw new PlanningException(PlanningException.NotSupported, $"{catalog.Span}: catalog '{catalog.Value}' does not exist; the only catalog is '{MemoryCatalog.CatalogName}'");
        }

        var matcher = Matcher(show.LikePattern);
        var outputSchema = new Schema([new Field("Schema", SqlTypes.Varchar, false)], null);
        return new StatementOperator(outputSchema, "ShowSchemas", _ =>
        {
            var names = new List<string>();
            foreach (var schema in _catalog.ListSchemas())
            {
                if (Matches(matcher, schema))
                {
                    names.Add(schema);
                }
            }

            return Task.FromResult(StringBatch(outputSchema, [names]));
        });
    }

    private static PhysicalOperator ShowCatalogs(ShowCatalogsStatement show)
    {
        var matcher = Matcher(show.LikePattern);
        var outputSchema = new Schema([new Field("Catalog", SqlTypes.Varchar, false)], null);
        var names = Matches(matcher, MemoryCatalog.CatalogName) ? new List<string> { MemoryCatalog.CatalogName } : [];
        return new StatementOperator(outputSchema, "ShowCatalogs", _ => Task.FromResult(StringBatch(outputSchema, [names])));
    }

    private PhysicalOperator Describe(ShowColumnsStatement show)
    {
        var name = MemoryCatalog.NameOf(show.Table);
        _catalog.GetRequired(name, show.Table.Span);
        var outputSchema = new Schema(
            [
                new Field("Column", SqlTypes.Varchar, false),
                new Field("Type", SqlTypes.Varchar, false),
                new Field("Extra", SqlTypes.Varchar, false),
                new Field("Comment", SqlTypes.Varchar, false),
            ],
            null);
        return new StatementOperator(outputSchema, $"Describe {name}", _ =>
        {
            var table = _catalog.GetRequired(name, show.Table.Span);
            var columns = new List<string>();
            var types = new List<string>();
            var extras = new List<string>();
            var comments = new List<string>();
            foreach (var field in table.Schema.FieldsList)
            {
                columns.Add(field.Name);
                types.Add(SqlTypes.Display(field.DataType));
                extras.Add(field.IsNullable ? string.Empty : "not null");
                comments.Add(string.Empty);
            }

            return Task.FromResult(StringBatch(outputSchema, [columns, types, extras, comments]));
        });
    }

    private PhysicalOperator ShowCreateTable(ShowCreateTableStatement show)
    {
        var name = MemoryCatalog.NameOf(show.Table);
        _catalog.GetRequired(name, show.Table.Span);
        var outputSchema = new Schema([new Field("Create Table", SqlTypes.Varchar, false)], null);
        return new StatementOperator(outputSchema, $"ShowCreateTable {name}", _ =>
        {
            var table = _catalog.GetRequired(name, show.Table.Span);
            var text = new StringBuilder();
            text.Append("CREATE TABLE ").Append(name).Append(" (");
            var fields = table.Schema.FieldsList;
            for (int i = 0; i < fields.Count; i++)
            {
                text.Append(i == 0 ? "\n   " : ",\n   ").Append(QuoteIfNeeded(fields[i].Name)).Append(' ').Append(SqlTypes.Display(fields[i].DataType));
                if (!fields[i].IsNullable)
                {
                    text.Append(" NOT NULL");
                }
            }

            text.Append("\n)");
            return Task.FromResult(StringBatch(outputSchema, [[text.ToString()]]));
        });
    }

    /// <summary>A column name as SQL reads it back: plain when it is a lower-case identifier, double-quoted otherwise.</summary>
    private static string QuoteIfNeeded(string name)
    {
        bool plain = name.Length > 0 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_');
        foreach (char c in name)
        {
            plain &= char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_';
        }

        return plain ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The plan of a statement (which is not run), one line per row.</summary>
    private static ValuesOperator Explain(PhysicalOperator root)
    {
        var lines = new List<string>();
        root.Explain(lines);
        var schema = new Schema([new Field("Query Plan", SqlTypes.Varchar, false)], null);
        return new ValuesOperator(schema, [StringBatch(schema, [lines])]);
    }

    private bool ThrowIfExists(MemoryTableName name, bool ifNotExists, SourceSpan span)
    {
        if (_catalog.Get(name) is null)
        {
            return false;
        }

        return ifNotExists ? true : throw new PlanningException(MemoryCatalog.TableAlreadyExists, $"{span}: table '{name}' already exists");
    }

    private static IArrowType ColumnType(DataTypeSyntax syntax)
    {
        if (syntax.Name is "char" or "varchar" && syntax.Parameters.Count > 0 && syntax.Parameters[0] < 1)
        {
            throw new PlanningException(PlanningException.InvalidArgument, $"{syntax.Span}: {syntax.Name} length must be at least 1");
        }

        return TypeSyntax.Resolve(syntax);
    }

    private static void RejectProperties(IReadOnlyList<Property> properties)
    {
        if (properties.Count > 0)
        {
            throw new PlanningException(
                PlanningException.NotSupported,
                $"{properties[0].Span}: table property '{properties[0].Name.Value}' is not supported by the '{MemoryCatalog.CatalogName}' catalog");
        }
    }

    /// <summary>Copies the rows into fresh batches of the table's schema, checking NOT NULL columns.</summary>
    private static async Task<List<RecordBatch>> CollectAsync(PhysicalOperator source, Schema schema, CancellationToken cancellationToken)
    {
        var fields = schema.FieldsList;
        var batches = new List<RecordBatch>();
        ColumnBuilder[]? builders = null;
        int rows = 0;
        await foreach (var batch in source.ExecuteAsync(cancellationToken).ConfigureAwait(false))
        {
            int offset = 0;
            while (offset < batch.Length)
            {
                builders ??= CreateBuilders(fields);
                int count = Math.Min(batch.Length - offset, MaxBatchRows - rows);
                for (int column = 0; column < builders.Length; column++)
                {
                    var array = batch.Column(column);
                    if (!fields[column].IsNullable && array.NullCount > 0 && HasNull(array, offset, count))
                    {
                        throw new ExecutionException(ConstraintViolation, $"NULL value not allowed for NOT NULL column '{fields[column].Name}'");
                    }

                    builders[column].AppendRange(array, offset, count);
                }

                rows += count;
                offset += count;
                if (rows == MaxBatchRows)
                {
                    batches.Add(Build(schema, builders, rows));
                    builders = null;
                    rows = 0;
                }
            }
        }

        if (builders is not null && rows > 0)
        {
            batches.Add(Build(schema, builders, rows));
        }

        return batches;
    }

    private static bool HasNull(IArrowArray array, int offset, int count)
    {
        for (int row = offset; row < offset + count; row++)
        {
            if (array.IsNull(row))
            {
                return true;
            }
        }

        return false;
    }

    private static ColumnBuilder[] CreateBuilders(IReadOnlyList<Field> fields)
    {
        var builders = new ColumnBuilder[fields.Count];
        for (int i = 0; i < builders.Length; i++)
        {
            builders[i] = ColumnBuilder.Create(fields[i].DataType);
        }

        return builders;
    }

    private static RecordBatch Build(Schema schema, ColumnBuilder[] builders, int rows)
    {
        var arrays = new IArrowArray[builders.Length];
        for (int i = 0; i < arrays.Length; i++)
        {
            arrays[i] = builders[i].Build();
        }

        return new RecordBatch(schema, arrays, rows);
    }

    private static long CountRows(IReadOnlyList<RecordBatch> batches)
    {
        long rows = 0;
        foreach (var batch in batches)
        {
            rows += batch.Length;
        }

        return rows;
    }

    private static RecordBatch RowsBatch(long rows)
    {
        var builder = ColumnBuilder.Create(SqlTypes.BigInt, 1);
        builder.AppendScalar(rows);
        return new RecordBatch(RowsSchema, [builder.Build()], 1);
    }

    /// <summary>DDL answers no rows (an update count of zero), as Trino's DDL does.</summary>
    private static RecordBatch ResultBatch() => ArrayFactory.EmptyBatch(ResultSchema);

    private static RecordBatch StringBatch(Schema schema, IReadOnlyList<List<string>> columns)
    {
        int rows = columns[0].Count;
        var arrays = new IArrowArray[columns.Count];
        for (int i = 0; i < arrays.Length; i++)
        {
            var builder = ColumnBuilder.Create(SqlTypes.Varchar, rows);
            foreach (var value in columns[i])
            {
                builder.AppendScalar(value);
            }

            arrays[i] = builder.Build();
        }

        return new RecordBatch(schema, arrays, rows);
    }

    private static LikeMatcher? Matcher(string? pattern) => pattern is null ? null : new LikeMatcher(pattern, null);

    private static bool Matches(LikeMatcher? matcher, string text) => matcher is null || matcher.Matches(Encoding.UTF8.GetBytes(text));

    private static string StatementKind(Statement statement) => statement switch
    {
        ExplainStatement => "EXPLAIN ANALYZE of a statement that is not a query",
        DeleteStatement => "DELETE",
        SetSessionStatement => "SET SESSION",
        ResetSessionStatement => "RESET SESSION",
        UseStatement => "USE",
        _ => "this statement",
    };
}
