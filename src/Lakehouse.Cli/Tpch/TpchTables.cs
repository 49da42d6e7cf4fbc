using ParquetSharp;

namespace Lakehouse.Cli.Tpch;

/// <summary>Column layouts of the eight TPC-H tables, with the specification's column names.</summary>
internal static class TpchSchemas
{
    public static readonly TpchColumn[] Region =
    [
        new("r_regionkey", TpchColumnKind.BigInt),
        new("r_name", TpchColumnKind.Varchar),
        new("r_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] Nation =
    [
        new("n_nationkey", TpchColumnKind.BigInt),
        new("n_name", TpchColumnKind.Varchar),
        new("n_regionkey", TpchColumnKind.BigInt),
        new("n_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] Supplier =
    [
        new("s_suppkey", TpchColumnKind.BigInt),
        new("s_name", TpchColumnKind.Varchar),
        new("s_address", TpchColumnKind.Varchar),
        new("s_nationkey", TpchColumnKind.BigInt),
        new("s_phone", TpchColumnKind.Varchar),
        new("s_acctbal", TpchColumnKind.Money),
        new("s_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] Customer =
    [
        new("c_custkey", TpchColumnKind.BigInt),
        new("c_name", TpchColumnKind.Varchar),
        new("c_address", TpchColumnKind.Varchar),
        new("c_nationkey", TpchColumnKind.BigInt),
        new("c_phone", TpchColumnKind.Varchar),
        new("c_acctbal", TpchColumnKind.Money),
        new("c_mktsegment", TpchColumnKind.Varchar, Dictionary: true),
        new("c_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] Part =
    [
        new("p_partkey", TpchColumnKind.BigInt),
        new("p_name", TpchColumnKind.Varchar),
        new("p_mfgr", TpchColumnKind.Varchar, Dictionary: true),
        new("p_brand", TpchColumnKind.Varchar, Dictionary: true),
        new("p_type", TpchColumnKind.Varchar, Dictionary: true),
        new("p_size", TpchColumnKind.Integer),
        new("p_container", TpchColumnKind.Varchar, Dictionary: true),
        new("p_retailprice", TpchColumnKind.Money),
        new("p_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] PartSupp =
    [
        new("ps_partkey", TpchColumnKind.BigInt),
        new("ps_suppkey", TpchColumnKind.BigInt),
        new("ps_availqty", TpchColumnKind.Integer),
        new("ps_supplycost", TpchColumnKind.Money),
        new("ps_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] Orders =
    [
        new("o_orderkey", TpchColumnKind.BigInt),
        new("o_custkey", TpchColumnKind.BigInt),
        new("o_orderstatus", TpchColumnKind.Varchar, Dictionary: true),
        new("o_totalprice", TpchColumnKind.Money),
        new("o_orderdate", TpchColumnKind.Date),
        new("o_orderpriority", TpchColumnKind.Varchar, Dictionary: true),
        new("o_clerk", TpchColumnKind.Varchar),
        new("o_shippriority", TpchColumnKind.Integer),
        new("o_comment", TpchColumnKind.Varchar),
    ];

    public static readonly TpchColumn[] LineItem =
    [
        new("l_orderkey", TpchColumnKind.BigInt),
        new("l_partkey", TpchColumnKind.BigInt),
        new("l_suppkey", TpchColumnKind.BigInt),
        new("l_linenumber", TpchColumnKind.Integer),
        new("l_quantity", TpchColumnKind.Money),
        new("l_extendedprice", TpchColumnKind.Money),
        new("l_discount", TpchColumnKind.Money),
        new("l_tax", TpchColumnKind.Money),
        new("l_returnflag", TpchColumnKind.Varchar, Dictionary: true),
        new("l_linestatus", TpchColumnKind.Varchar, Dictionary: true),
        new("l_shipdate", TpchColumnKind.Date),
        new("l_commitdate", TpchColumnKind.Date),
        new("l_receiptdate", TpchColumnKind.Date),
        new("l_shipinstruct", TpchColumnKind.Varchar, Dictionary: true),
        new("l_shipmode", TpchColumnKind.Varchar, Dictionary: true),
        new("l_comment", TpchColumnKind.Varchar),
    ];
}

/// <summary>
/// Generates the rows of the TPC-H tables (specification clause 4.2.3) for key ranges. Every row's
/// values come from its own random stream, so a range's output depends only on the seed and the range.
/// </summary>
internal sealed class TpchTables
{
    public const int RowGroupRows = 131_072;
    public const int OrdersPerRowGroup = 32_768;

    private const int PoolLength = 4 << 20;
    private static readonly byte[] Alphanumeric = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, "u8.ToArray();

    private readonly PinnedText _pool;
    private readonly ByteArray[] _regionNames;
    private readonly ByteArray[] _nationNames;
    private readonly ByteArray[] _manufacturers;
    private readonly ByteArray[] _brands;
    private readonly ByteArray[] _types;
    private readonly ByteArray[] _containers;
    private readonly ByteArray[] _segments;
    private readonly ByteArray[] _priorities;
    private readonly ByteArray[] _instructions;
    private readonly ByteArray[] _modes;
    private readonly ByteArray[] _flags;
    private readonly byte[][] _colors;
    private readonly List<PinnedText> _keepAlive = [];
    private readonly int _supplierBlock;

    private readonly TpchSeed _regionSeed;
    private readonly TpchSeed _nationSeed;
    private readonly TpchSeed _supplierSeed;
    private readonly TpchSeed _supplierSpecialSeed;
    private readonly TpchSeed _customerSeed;
    private readonly TpchSeed _partSeed;
    private readonly TpchSeed _partSuppSeed;
    private readonly TpchSeed _orderSeed;
    private readonly TpchSeed _lineSeed;

    public TpchTables(TpchScale scale, long seed)
    {
        Scale = scale;

        // One supplier in 2000 per special comment, as in the specification; small scales still get one of each.
        _supplierBlock = (int)Math.Max(2, Math.Min(2000, scale.Suppliers));
        _pool = new PinnedText(TpchText.BuildPool(seed, PoolLength));
        _regionNames = Pin(TpchText.Regions);
        var nationNames = new string[TpchText.Nations.Length];
        for (var i = 0; i < nationNames.Length; i++)
        {
            nationNames[i] = TpchText.Nations[i].Name;
        }

        _nationNames = Pin(nationNames);
        var manufacturers = new string[5];
        var brands = new string[25];
        for (var m = 1; m <= 5; m++)
        {
            manufacturers[m - 1] = $"Manufacturer#{m}";
            for (var n = 1; n <= 5; n++)
            {
                brands[((m - 1) * 5) + n - 1] = $"Brand#{m}{n}";
            }
        }

        _manufacturers = Pin(manufacturers);
        _brands = Pin(brands);
        _types = Pin(TpchText.PartTypes());
        _containers = Pin(TpchText.Containers());
        _segments = Pin(TpchText.Segments);
        _priorities = Pin(TpchText.Priorities);
        _instructions = Pin(TpchText.ShipInstructions);
        _modes = Pin(TpchText.ShipModes);
        _flags = Pin(["A", "F", "N", "O", "P", "R"]);
        _colors = new byte[TpchText.Colors.Length][];
        for (var i = 0; i < _colors.Length; i++)
        {
            _colors[i] = System.Text.Encoding.ASCII.GetBytes(TpchText.Colors[i]);
        }

        _regionSeed = new TpchSeed(seed, "region");
        _nationSeed = new TpchSeed(seed, "nation");
        _supplierSeed = new TpchSeed(seed, "supplier");
        _supplierSpecialSeed = new TpchSeed(seed, "supplier special comments");
        _customerSeed = new TpchSeed(seed, "customer");
        _partSeed = new TpchSeed(seed, "part");
        _partSuppSeed = new TpchSeed(seed, "partsupp");
        _orderSeed = new TpchSeed(seed, "orders");
        _lineSeed = new TpchSeed(seed, "lineitem");
    }

    public TpchScale Scale { get; }

    private const int FlagA = 0;
    private const int FlagF = 1;
    private const int FlagN = 2;
    private const int FlagO = 3;
    private const int FlagP = 4;
    private const int FlagR = 5;

    public void WriteRegion(TpchParquetFile file)
    {
        var count = TpchText.Regions.Length;
        var keys = new long[count];
        var names = new ByteArray[count];
        var comments = new ByteArray[count];
        for (var i = 0; i < count; i++)
        {
            var random = _regionSeed.Row(i);
            keys[i] = i;
            names[i] = _regionNames[i];
            comments[i] = Comment(ref random, 31, 115);
        }

        file.StartRowGroup(count);
        file.WriteLongs(keys);
        file.WriteStrings(names);
        file.WriteStrings(comments);
        file.Close();
    }

    public void WriteNation(TpchParquetFile file)
    {
        var count = TpchText.Nations.Length;
        var keys = new long[count];
        var names = new ByteArray[count];
        var regions = new long[count];
        var comments = new ByteArray[count];
        for (var i = 0; i < count; i++)
        {
            var random = _nationSeed.Row(i);
            keys[i] = i;
            names[i] = _nationNames[i];
            regions[i] = TpchText.Nations[i].Region;
            comments[i] = Comment(ref random, 31, 114);
        }

        file.StartRowGroup(count);
        file.WriteLongs(keys);
        file.WriteStrings(names);
        file.WriteLongs(regions);
        file.WriteStrings(comments);
        file.Close();
    }

    /// <summary>Suppliers with keys first+1 .. first+count.</summary>
    public void WriteSupplier(TpchParquetFile file, long first, long count, CancellationToken ct)
    {
        var size = (int)Math.Min(RowGroupRows, count);
        var keys = new long[size];
        var names = new ByteArray[size];
        var addresses = new ByteArray[size];
        var nations = new long[size];
        var phones = new ByteArray[size];
        var balances = new long[size];
        var comments = new ByteArray[size];
        var arena = new TextArena(size * (18 + 40 + 15 + 100));
        for (long start = 0; start < count; start += size)
        {
            ct.ThrowIfCancellationRequested();
            var rows = (int)Math.Min(size, count - start);
            arena.Reset(size * (18 + 40 + 15 + 100));
            for (var i = 0; i < rows; i++)
            {
                var row = first + start + i;
                var key = row + 1;
                var random = _supplierSeed.Row(row);
                keys[i] = key;
                names[i] = KeyName(arena, "Supplier#"u8, key);
                addresses[i] = VariableText(arena, ref random, 10, 40);
                var nation = random.Next(0, 24);
                nations[i] = nation;
                phones[i] = Phone(arena, ref random, nation);
                balances[i] = random.Next(-99_999, 999_999);
                comments[i] = SupplierComment(arena, ref random, row);
            }

            file.StartRowGroup(rows);
            file.WriteLongs(keys.AsSpan(0, rows));
            file.WriteStrings(names.AsSpan(0, rows));
            file.WriteStrings(addresses.AsSpan(0, rows));
            file.WriteLongs(nations.AsSpan(0, rows));
            file.WriteStrings(phones.AsSpan(0, rows));
            file.WriteLongs(balances.AsSpan(0, rows));
            file.WriteStrings(comments.AsSpan(0, rows));
        }

        file.Close();
    }

    public void WriteCustomer(TpchParquetFile file, long first, long count, CancellationToken ct)
    {
        var size = (int)Math.Min(RowGroupRows, count);
        var keys = new long[size];
        var names = new ByteArray[size];
        var addresses = new ByteArray[size];
        var nations = new long[size];
        var phones = new ByteArray[size];
        var balances = new long[size];
        var segments = new ByteArray[size];
        var comments = new ByteArray[size];
        var arena = new TextArena(size * (18 + 40 + 15));
        for (long start = 0; start < count; start += size)
        {
            ct.ThrowIfCancellationRequested();
            var rows = (int)Math.Min(size, count - start);
            arena.Reset(size * (18 + 40 + 15));
            for (var i = 0; i < rows; i++)
            {
                var row = first + start + i;
                var key = row + 1;
                var random = _customerSeed.Row(row);
                keys[i] = key;
                names[i] = KeyName(arena, "Customer#"u8, key);
                addresses[i] = VariableText(arena, ref random, 10, 40);
                var nation = random.Next(0, 24);
                nations[i] = nation;
                phones[i] = Phone(arena, ref random, nation);
                balances[i] = random.Next(-99_999, 999_999);
                segments[i] = _segments[random.Next(0, _segments.Length - 1)];
                comments[i] = Comment(ref random, 29, 116);
            }

            file.StartRowGroup(rows);
            file.WriteLongs(keys.AsSpan(0, rows));
            file.WriteStrings(names.AsSpan(0, rows));
            file.WriteStrings(addresses.AsSpan(0, rows));
            file.WriteLongs(nations.AsSpan(0, rows));
            file.WriteStrings(phones.AsSpan(0, rows));
            file.WriteLongs(balances.AsSpan(0, rows));
            file.WriteStrings(segments.AsSpan(0, rows));
            file.WriteStrings(comments.AsSpan(0, rows));
        }

        file.Close();
    }

    public void WritePart(TpchParquetFile file, long first, long count, CancellationToken ct)
    {
        const int maxName = (5 * 10) + 4;
        var size = (int)Math.Min(RowGroupRows, count);
        var keys = new long[size];
        var names = new ByteArray[size];
        var manufacturers = new ByteArray[size];
        var brands = new ByteArray[size];
        var types = new ByteArray[size];
        var sizes = new int[size];
        var containers = new ByteArray[size];
        var prices = new long[size];
        var comments = new ByteArray[size];
        var arena = new TextArena(size * maxName);
        Span<int> picked = stackalloc int[5];
        for (long start = 0; start < count; start += size)
        {
            ct.ThrowIfCancellationRequested();
            var rows = (int)Math.Min(size, count - start);
            arena.Reset(size * maxName);
            for (var i = 0; i < rows; i++)
            {
                var row = first + start + i;
                var key = row + 1;
                var random = _partSeed.Row(row);
                keys[i] = key;
                names[i] = PartName(arena, ref random, picked);
                var manufacturer = random.Next(1, 5);
                manufacturers[i] = _manufacturers[manufacturer - 1];
                brands[i] = _brands[((manufacturer - 1) * 5) + random.Next(0, 4)];
                types[i] = _types[random.Next(0, _types.Length - 1)];
                sizes[i] = random.Next(1, 50);
                containers[i] = _containers[random.Next(0, _containers.Length - 1)];
                prices[i] = RetailPriceCents(key);
                comments[i] = Comment(ref random, 5, 22);
            }

            file.StartRowGroup(rows);
            file.WriteLongs(keys.AsSpan(0, rows));
            file.WriteStrings(names.AsSpan(0, rows));
            file.WriteStrings(manufacturers.AsSpan(0, rows));
            file.WriteStrings(brands.AsSpan(0, rows));
            file.WriteStrings(types.AsSpan(0, rows));
            file.WriteInts(sizes.AsSpan(0, rows));
            file.WriteStrings(containers.AsSpan(0, rows));
            file.WriteLongs(prices.AsSpan(0, rows));
            file.WriteStrings(comments.AsSpan(0, rows));
        }

        file.Close();
    }

    /// <summary>The four suppliers of each part with keys first+1 .. first+partCount.</summary>
    public void WritePartSupp(TpchParquetFile file, long firstPart, long partCount, CancellationToken ct)
    {
        var partsPerGroup = (int)Math.Min(RowGroupRows / 4, partCount);
        var size = partsPerGroup * 4;
        var parts = new long[size];
        var suppliers = new long[size];
        var quantities = new int[size];
        var costs = new long[size];
        var comments = new ByteArray[size];
        var supplierCount = Scale.Suppliers;
        for (long start = 0; start < partCount; start += partsPerGroup)
        {
            ct.ThrowIfCancellationRequested();
            var groupParts = (int)Math.Min(partsPerGroup, partCount - start);
            var rows = groupParts * 4;
            for (var p = 0; p < groupParts; p++)
            {
                var partKey = firstPart + start + p + 1;
                for (var s = 0; s < 4; s++)
                {
                    var i = (p * 4) + s;
                    var random = _partSuppSeed.Row(((partKey - 1) * 4) + s);
                    parts[i] = partKey;
                    suppliers[i] = PartSupplier(partKey, s, supplierCount);
                    quantities[i] = random.Next(1, 9999);
                    costs[i] = random.Next(100, 100_000);
                    comments[i] = Comment(ref random, 49, 198);
                }
            }

            file.StartRowGroup(rows);
            file.WriteLongs(parts.AsSpan(0, rows));
            file.WriteLongs(suppliers.AsSpan(0, rows));
            file.WriteInts(quantities.AsSpan(0, rows));
            file.WriteLongs(costs.AsSpan(0, rows));
            file.WriteStrings(comments.AsSpan(0, rows));
        }

        file.Close();
    }

    /// <summary>Orders first .. first+count-1 (0-based order numbers) and their line items.</summary>
    public void WriteOrdersAndLineItems(TpchParquetFile ordersFile, TpchParquetFile lineFile, long first, long count, CancellationToken ct)
    {
        var size = (int)Math.Min(OrdersPerRowGroup, count);
        var orderKeys = new long[size];
        var customers = new long[size];
        var statuses = new ByteArray[size];
        var totals = new long[size];
        var orderDates = new int[size];
        var priorities = new ByteArray[size];
        var clerks = new ByteArray[size];
        var shipPriorities = new int[size];
        var orderComments = new ByteArray[size];
        var clerkArena = new TextArena(size * 15);

        var lines = size * 7;
        var lOrderKeys = new long[lines];
        var lParts = new long[lines];
        var lSuppliers = new long[lines];
        var lNumbers = new int[lines];
        var lQuantities = new long[lines];
        var lPrices = new long[lines];
        var lDiscounts = new long[lines];
        var lTaxes = new long[lines];
        var lReturnFlags = new ByteArray[lines];
        var lStatuses = new ByteArray[lines];
        var lShipDates = new int[lines];
        var lCommitDates = new int[lines];
        var lReceiptDates = new int[lines];
        var lInstructions = new ByteArray[lines];
        var lModes = new ByteArray[lines];
        var lComments = new ByteArray[lines];

        var customerCount = Scale.Customers;
        var customersWithOrders = customerCount - (customerCount / 3);
        var partCount = Scale.Parts;
        var supplierCount = Scale.Suppliers;
        var clerkCount = Scale.Clerks;
        for (long start = 0; start < count; start += size)
        {
            ct.ThrowIfCancellationRequested();
            var rows = (int)Math.Min(size, count - start);
            clerkArena.Reset(size * 15);
            var line = 0;
            for (var i = 0; i < rows; i++)
            {
                var order = first + start + i;
                var orderKey = SparseOrderKey(order + 1);
                var random = _orderSeed.Row(order);

                // Every third customer places no orders (clause 4.2.3).
                var pick = random.Next(0, customersWithOrders - 1);
                customers[i] = ((pick / 2) * 3) + (pick % 2) + 1;
                var orderDate = random.Next(TpchDates.Start, TpchDates.End - 151);
                orderKeys[i] = orderKey;
                orderDates[i] = orderDate;
                priorities[i] = _priorities[random.Next(0, _priorities.Length - 1)];
                clerks[i] = KeyName(clerkArena, "Clerk#"u8, random.Next(1, clerkCount));
                shipPriorities[i] = 0;
                orderComments[i] = Comment(ref random, 19, 78);
                var lineCount = random.Next(1, 7);

                long total = 0;
                var shipped = 0;
                for (var n = 1; n <= lineCount; n++, line++)
                {
                    var lineRandom = _lineSeed.Row((order * 8) + n);
                    var partKey = lineRandom.Next(1, partCount);
                    var quantity = lineRandom.Next(1, 50);
                    var discount = lineRandom.Next(0, 10);
                    var tax = lineRandom.Next(0, 8);
                    var shipDate = orderDate + lineRandom.Next(1, 121);
                    var commitDate = orderDate + lineRandom.Next(30, 90);
                    var receiptDate = shipDate + lineRandom.Next(1, 30);
                    var extended = quantity * RetailPriceCents(partKey);
                    lOrderKeys[line] = orderKey;
                    lParts[line] = partKey;
                    lSuppliers[line] = PartSupplier(partKey, lineRandom.Next(0, 3), supplierCount);
                    lNumbers[line] = n;
                    lQuantities[line] = quantity * 100;
                    lPrices[line] = extended;
                    lDiscounts[line] = discount;
                    lTaxes[line] = tax;
                    var returnedOrAccepted = lineRandom.Next(0, 1) == 0 ? FlagR : FlagA;
                    lReturnFlags[line] = _flags[receiptDate <= TpchDates.Current ? returnedOrAccepted : FlagN];
                    var open = shipDate > TpchDates.Current;
                    shipped += open ? 0 : 1;
                    lStatuses[line] = _flags[open ? FlagO : FlagF];
                    lShipDates[line] = shipDate;
                    lCommitDates[line] = commitDate;
                    lReceiptDates[line] = receiptDate;
                    lInstructions[line] = _instructions[lineRandom.Next(0, _instructions.Length - 1)];
                    lModes[line] = _modes[lineRandom.Next(0, _modes.Length - 1)];
                    lComments[line] = Comment(ref lineRandom, 10, 43);
                    total += extended * (100 - discount) * (100 + tax);
                }

                // Sum of extendedprice * (1 - discount) * (1 + tax), rounded to cents once.
                totals[i] = (total + 5_000) / 10_000;
                statuses[i] = _flags[shipped == lineCount ? FlagF : shipped == 0 ? FlagO : FlagP];
            }

            ordersFile.StartRowGroup(rows);
            ordersFile.WriteLongs(orderKeys.AsSpan(0, rows));
            ordersFile.WriteLongs(customers.AsSpan(0, rows));
            ordersFile.WriteStrings(statuses.AsSpan(0, rows));
            ordersFile.WriteLongs(totals.AsSpan(0, rows));
            ordersFile.WriteInts(orderDates.AsSpan(0, rows));
            ordersFile.WriteStrings(priorities.AsSpan(0, rows));
            ordersFile.WriteStrings(clerks.AsSpan(0, rows));
            ordersFile.WriteInts(shipPriorities.AsSpan(0, rows));
            ordersFile.WriteStrings(orderComments.AsSpan(0, rows));
            ordersFile.EndRowGroup();

            lineFile.StartRowGroup(line);
            lineFile.WriteLongs(lOrderKeys.AsSpan(0, line));
            lineFile.WriteLongs(lParts.AsSpan(0, line));
            lineFile.WriteLongs(lSuppliers.AsSpan(0, line));
            lineFile.WriteInts(lNumbers.AsSpan(0, line));
            lineFile.WriteLongs(lQuantities.AsSpan(0, line));
            lineFile.WriteLongs(lPrices.AsSpan(0, line));
            lineFile.WriteLongs(lDiscounts.AsSpan(0, line));
            lineFile.WriteLongs(lTaxes.AsSpan(0, line));
            lineFile.WriteStrings(lReturnFlags.AsSpan(0, line));
            lineFile.WriteStrings(lStatuses.AsSpan(0, line));
            lineFile.WriteInts(lShipDates.AsSpan(0, line));
            lineFile.WriteInts(lCommitDates.AsSpan(0, line));
            lineFile.WriteInts(lReceiptDates.AsSpan(0, line));
            lineFile.WriteStrings(lInstructions.AsSpan(0, line));
            lineFile.WriteStrings(lModes.AsSpan(0, line));
            lineFile.WriteStrings(lComments.AsSpan(0, line));
            lineFile.EndRowGroup();
        }

        ordersFile.Close();
        lineFile.Close();
    }

    /// <summary>p_retailprice in cents (clause 4.2.3).</summary>
    public static long RetailPriceCents(long partKey) => 90_000 + ((partKey / 10) % 20_001) + (100 * (partKey % 1_000));

    /// <summary>The i-th (0..3) supplier of a part (clause 4.2.3, PS_SUPPKEY).</summary>
    public static long PartSupplier(long partKey, int i, long supplierCount) =>
        ((partKey + (i * ((supplierCount / 4) + ((partKey - 1) / supplierCount)))) % supplierCount) + 1;

    /// <summary>Order keys use the first 8 of every 32 numbers (clause 4.2.3, O_ORDERKEY).</summary>
    public static long SparseOrderKey(long orderNumber) => ((orderNumber >> 3) << 5) | (orderNumber & 7);

    private ByteArray Comment(ref RowRandom random, int minLength, int maxLength)
    {
        var length = random.Next(minLength, maxLength);
        var offset = random.Next(0, _pool.Length - length);
        return _pool.Slice(offset, length);
    }

    /// <summary>
    /// A supplier comment; one supplier in every block of 2000 gets
    /// "Customer ... Complaints" and another "Customer ... Recommends" (clause 4.2.3, S_COMMENT).
    /// </summary>
    private ByteArray SupplierComment(TextArena arena, ref RowRandom random, long row)
    {
        var length = random.Next(25, 100);
        var offset = random.Next(0, _pool.Length - length);
        var block = _supplierSpecialSeed.Row(row / _supplierBlock);
        var complaint = block.Next(0, _supplierBlock - 1);
        var recommend = block.Next(0, _supplierBlock - 2);
        if (recommend >= complaint)
        {
            recommend++;
        }

        var position = row % _supplierBlock;
        if (position != complaint && position != recommend)
        {
            return _pool.Slice(offset, length);
        }

        var target = arena.Reserve(length);
        _pool.Span.Slice(offset, length).CopyTo(target);
        var room = length - 18;
        var gap = random.Next(0, room);
        var start = random.Next(0, room - gap);
        "Customer"u8.CopyTo(target[start..]);
        (position == complaint ? "Complaints"u8 : "Recommends"u8).CopyTo(target[(start + 8 + gap)..]);
        return arena.Commit(length);
    }

    private ByteArray PartName(TextArena arena, ref RowRandom random, Span<int> picked)
    {
        for (var w = 0; w < picked.Length; w++)
        {
            int color;
            do
            {
                color = random.Next(0, _colors.Length - 1);
            }
            while (picked[..w].Contains(color));
            picked[w] = color;
        }

        var target = arena.Reserve((5 * 10) + 4);
        var length = 0;
        for (var w = 0; w < picked.Length; w++)
        {
            if (w > 0)
            {
                target[length++] = (byte)' ';
            }

            _colors[picked[w]].CopyTo(target[length..]);
            length += _colors[picked[w]].Length;
        }

        return arena.Commit(length);
    }

    private static ByteArray KeyName(TextArena arena, ReadOnlySpan<byte> prefix, long key)
    {
        var target = arena.Reserve(prefix.Length + 9);
        prefix.CopyTo(target);
        WriteDigits(target.Slice(prefix.Length, 9), key);
        return arena.Commit(prefix.Length + 9);
    }

    private static ByteArray VariableText(TextArena arena, ref RowRandom random, int minLength, int maxLength)
    {
        var length = random.Next(minLength, maxLength);
        var target = arena.Reserve(length);
        for (var c = 0; c < length; c++)
        {
            target[c] = Alphanumeric[random.Next(0, Alphanumeric.Length - 1)];
        }

        return arena.Commit(length);
    }

    /// <summary>Phone numbers start with the nation's country code, nation key + 10 (clause 4.2.2.9).</summary>
    private static ByteArray Phone(TextArena arena, ref RowRandom random, int nation)
    {
        var target = arena.Reserve(15);
        WriteDigits(target[..2], nation + 10);
        target[2] = (byte)'-';
        WriteDigits(target.Slice(3, 3), random.Next(100, 999));
        target[6] = (byte)'-';
        WriteDigits(target.Slice(7, 3), random.Next(100, 999));
        target[10] = (byte)'-';
        WriteDigits(target.Slice(11, 4), random.Next(1000, 9999));
        return arena.Commit(15);
    }

    /// <summary>Writes <paramref name="value"/> zero-padded to the width of <paramref name="target"/>.</summary>
    private static void WriteDigits(Span<byte> target, long value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private ByteArray[] Pin(IReadOnlyList<string> words)
    {
        var values = PinnedText.Words(words, out var storage);
        _keepAlive.Add(storage);
        return values;
    }
}

/// <summary>The date constants of clause 4.2.2.12, in days since 1970-01-01.</summary>
internal static class TpchDates
{
    public static readonly int Start = Days(1992, 1, 1);
    public static readonly int Current = Days(1995, 6, 17);
    public static readonly int End = Days(1998, 12, 31);

    private static int Days(int year, int month, int day) => new DateOnly(year, month, day).DayNumber - new DateOnly(1970, 1, 1).DayNumber;
}

/// <summary>Row counts of a scale factor (clause 4.2.5).</summary>
public sealed record TpchScale(double ScaleFactor)
{
    public long Suppliers => Rows(10_000);

    public long Customers => Rows(150_000);

    public long Parts => Rows(200_000);

    public long PartSupps => Parts * 4;

    public long Orders => Rows(1_500_000);

    public int Clerks => (int)Math.Max(1, Rows(1_000));

    private long Rows(long perUnit) => Math.Max(1, (long)Math.Round(ScaleFactor * perUnit, MidpointRounding.AwayFromZero));
}
