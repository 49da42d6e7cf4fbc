namespace Lakehouse.Cli.Tpch;

/// <summary>
/// Counter-based random numbers: every (seed, column, row) triple has its own stream, so any row
/// range can be generated on its own and the output does not depend on how work is split.
/// </summary>
internal readonly struct TpchSeed
{
    private readonly ulong _key;

    public TpchSeed(long seed, string column)
    {
        var key = Mix((ulong)seed ^ 0x6A09E667F3BCC909UL);
        foreach (var c in column)
        {
            key = Mix(key ^ c);
        }

        _key = key;
    }

    /// <summary>The stream of one row of this column.</summary>
    public RowRandom Row(long row) => new(Mix(_key ^ ((ulong)row * 0x9E3779B97F4A7C15UL)));

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>A short SplitMix64 sequence for the draws of one row.</summary>
internal struct RowRandom
{
    private ulong _state;

    public RowRandom(ulong state) => _state = state;

    public ulong NextBits()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return TpchSeed.Mix(_state);
    }

    /// <summary>Uniform integer in [<paramref name="low"/>, <paramref name="high"/>], both inclusive.</summary>
    public long Next(long low, long high)
    {
        var span = (ulong)(high - low) + 1;
        return low + (long)Math.BigMul(NextBits(), span, out _);
    }

    public int Next(int low, int high) => (int)Next((long)low, high);
}
