using Apache.Arrow;
using Apache.Arrow.Types;

namespace Lakehouse.Execution.Operators;

/// <summary>
/// The hash table of a join's build side: an id per distinct key, and for each id the chain of build
/// rows holding it (in row order). Rows with a NULL key are in no chain: they match nothing.
/// </summary>
internal sealed class JoinTable
{
    private JoinTable(KeyIndex index, int[] ids, int[] heads, int[] next, bool hasNullKey)
    {
        Index = index;
        Ids = ids;
        Heads = heads;
        Next = next;
        HasNullKey = hasNullKey;
    }

    public KeyIndex Index { get; }

    /// <summary>Each build row's key id.</summary>
    public int[] Ids { get; }

    /// <summary>First build row of each key id, or -1 when only NULL-keyed rows have it.</summary>
    public int[] Heads { get; }

    /// <summary>Next build row with the same key, or -1.</summary>
    public int[] Next { get; }

    /// <summary>Whether some build row has a NULL key.</summary>
    public bool HasNullKey { get; }

    public static JoinTable Build(IReadOnlyList<IArrowType> keyTypes, IArrowArray[] keys, int length)
    {
        var index = KeyIndex.CreateForBuild(keyTypes, keys);
        var ids = new int[length];
        index.GetOrAdd(keys, length, ids, []);
        var nullKeyRows = KeyIndex.NullKeyRows(keys, length);
        var heads = new int[Math.Max(1, index.Count)];
        System.Array.Fill(heads, -1);
        var next = new int[Math.Max(1, length)];
        bool hasNullKey = false;
        for (int row = length - 1; row >= 0; row--)
        {
            if (nullKeyRows is not null && nullKeyRows[row])
            {
                hasNullKey = true;
                continue;
            }

            next[row] = heads[ids[row]];
            heads[ids[row]] = row;
        }

        return new JoinTable(index, ids, heads, next, hasNullKey);
    }
}
