using System.Text;

namespace Lakehouse.Cli.Tpch;

/// <summary>The fixed value lists of the TPC-H specification (clause 4.2.2 and 4.2.3).</summary>
internal static class TpchText
{
    public static readonly string[] Regions = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"];

    /// <summary>Nations in key order with their region keys.</summary>
    public static readonly (string Name, int Region)[] Nations =
    [
        ("ALGERIA", 0), ("ARGENTINA", 1), ("BRAZIL", 1), ("CANADA", 1), ("EGYPT", 4),
        ("ETHIOPIA", 0), ("FRANCE", 3), ("GERMANY", 3), ("INDIA", 2), ("INDONESIA", 2),
        ("IRAN", 4), ("IRAQ", 4), ("JAPAN", 2), ("JORDAN", 4), ("KENYA", 0),
        ("MOROCCO", 0), ("MOZAMBIQUE", 0), ("PERU", 1), ("CHINA", 2), ("ROMANIA", 3),
        ("SAUDI ARABIA", 4), ("VIETNAM", 2), ("RUSSIA", 3), ("UNITED KINGDOM", 3), ("UNITED STATES", 1),
    ];

    public static readonly string[] Colors =
    [
        "almond", "antique", "aquamarine", "azure", "beige", "bisque", "black", "blanched", "blue", "blush",
        "brown", "burlywood", "burnished", "chartreuse", "chiffon", "chocolate", "coral", "cornflower", "cornsilk", "cream",
        "cyan", "dark", "deep", "dim", "dodger", "drab", "firebrick", "floral", "forest", "frosted",
        "gainsboro", "ghost", "goldenrod", "green", "grey", "honeydew", "hot", "indian", "ivory", "khaki",
        "lace", "lavender", "lawn", "lemon", "light", "lime", "linen", "magenta", "maroon", "medium",
        "metallic", "midnight", "mint", "misty", "moccasin", "navajo", "navy", "olive", "orange", "orchid",
        "pale", "papaya", "peach", "peru", "pink", "plum", "powder", "puff", "purple", "red",
        "rose", "rosy", "royal", "saddle", "salmon", "sandy", "seashell", "sienna", "sky", "slate",
        "smoke", "snow", "spring", "steel", "tan", "thistle", "tomato", "turquoise", "violet", "wheat",
        "white", "yellow",
    ];

    public static readonly string[] TypeSyllable1 = ["STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"];
    public static readonly string[] TypeSyllable2 = ["ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"];
    public static readonly string[] TypeSyllable3 = ["TIN", "NICKEL", "BRASS", "STEEL", "COPPER"];
    public static readonly string[] ContainerSyllable1 = ["SM", "LG", "MED", "JUMBO", "WRAP"];
    public static readonly string[] ContainerSyllable2 = ["CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"];
    public static readonly string[] Segments = ["AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"];
    public static readonly string[] Priorities = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"];
    public static readonly string[] ShipInstructions = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"];
    public static readonly string[] ShipModes = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"];

    /// <summary>Every p_type value: one word of each syllable list.</summary>
    public static string[] PartTypes()
    {
        var result = new List<string>();
        foreach (var a in TypeSyllable1)
        {
            foreach (var b in TypeSyllable2)
            {
                foreach (var c in TypeSyllable3)
                {
                    result.Add($"{a} {b} {c}");
                }
            }
        }

        return [.. result];
    }

    public static string[] Containers()
    {
        var result = new List<string>();
        foreach (var a in ContainerSyllable1)
        {
            foreach (var b in ContainerSyllable2)
            {
                result.Add($"{a} {b}");
            }
        }

        return [.. result];
    }

    // Grammar word lists of the comment text (clause 4.2.2.10). Nouns and adjectives that the
    // benchmark queries search for ("special ... requests", "Customer ... Complaints") are included.
    private static readonly string[] Nouns =
    [
        "foxes", "ideas", "theodolites", "pinto beans", "instructions", "dependencies", "excuses", "platelets",
        "asymptotes", "courts", "dolphins", "multipliers", "sauternes", "warthogs", "frets", "dinos",
        "attainments", "somas", "Tiresias", "patterns", "forges", "braids", "hockey players", "frays",
        "warhorses", "dugouts", "notornis", "epitaphs", "pearls", "tithes", "waters", "orbits",
        "gifts", "sheaves", "depths", "sentiments", "decoys", "realms", "pains", "grouches", "escapades",
        "packages", "packages", "requests", "requests", "accounts", "accounts", "deposits", "deposits",
    ];

    private static readonly string[] Verbs =
    [
        "sleep", "wake", "are", "cajole", "haggle", "nag", "use", "boost", "affix", "detect", "integrate",
        "maintain", "nod", "was", "lose", "sublate", "solve", "thrash", "promise", "engage", "hinder",
        "print", "x-ray", "breach", "eat", "grow", "impress", "mold", "poach", "serve", "run", "dazzle",
        "snooze", "doze", "unwind", "kindle", "play", "hang", "believe", "doubt",
    ];

    private static readonly string[] Adjectives =
    [
        "special", "pending", "unusual", "express", "furious", "sly", "careful", "blithe", "quick", "fluffy",
        "slow", "quiet", "ruthless", "thin", "close", "dogged", "daring", "brave", "stealthy", "permanent",
        "enticing", "idle", "busy", "regular", "final", "ironic", "even", "bold", "silent",
    ];

    private static readonly string[] Adverbs =
    [
        "sometimes", "always", "never", "furiously", "slyly", "carefully", "blithely", "quickly", "fluffily",
        "slowly", "quietly", "ruthlessly", "thinly", "closely", "doggedly", "daringly", "bravely", "stealthily",
        "permanently", "enticingly", "idly", "busily", "regularly", "finally", "ironically", "evenly", "boldly", "silently",
    ];

    private static readonly string[] Prepositions =
    [
        "about", "above", "according to", "across", "after", "against", "along", "alongside of", "among",
        "around", "at", "atop", "before", "behind", "beneath", "beside", "besides", "between", "beyond", "by",
        "despite", "during", "except", "for", "from", "in place of", "inside", "instead of", "into", "near",
        "of", "on", "outside", "over", "past", "since", "through", "throughout", "to", "toward", "under",
        "until", "up", "upon", "without", "with", "within",
    ];

    private static readonly string[] Auxiliaries =
    [
        "do", "may", "might", "shall", "will", "would", "can", "could", "should", "ought to", "must",
        "will have to", "shall have to", "could have to", "should have to", "must have to", "need to", "try to",
    ];

    private static readonly string[] Terminators = [".", ";", ":", "?", "!", "--"];

    /// <summary>
    /// Builds the text pool comments are cut from: sentences of the specification's grammar, as
    /// ASCII bytes. Comments are substrings of it at random offsets, as in the reference generator.
    /// </summary>
    public static byte[] BuildPool(long seed, int length)
    {
        var text = new StringBuilder(length + 256);
        var random = new TpchSeed(seed, "text pool").Row(0);
        while (text.Length < length)
        {
            AppendSentence(text, ref random);
            text.Append(' ');
        }

        var bytes = Encoding.ASCII.GetBytes(text.ToString(0, length));
        return bytes;
    }

    private static void AppendSentence(StringBuilder text, ref RowRandom random)
    {
        switch (random.Next(0, 4))
        {
            case 0:
                AppendNounPhrase(text, ref random);
                text.Append(' ');
                AppendVerbPhrase(text, ref random);
                break;
            case 1:
                AppendNounPhrase(text, ref random);
                text.Append(' ');
                AppendVerbPhrase(text, ref random);
                text.Append(' ');
                AppendPrepositionalPhrase(text, ref random);
                break;
            case 2:
                AppendNounPhrase(text, ref random);
                text.Append(' ');
                AppendVerbPhrase(text, ref random);
                text.Append(' ');
                AppendNounPhrase(text, ref random);
                break;
            case 3:
                AppendNounPhrase(text, ref random);
                text.Append(' ');
                AppendPrepositionalPhrase(text, ref random);
                text.Append(' ');
                AppendVerbPhrase(text, ref random);
                text.Append(' ');
                AppendNounPhrase(text, ref random);
                break;
            default:
                AppendNounPhrase(text, ref random);
                text.Append(' ');
                AppendPrepositionalPhrase(text, ref random);
                text.Append(' ');
                AppendVerbPhrase(text, ref random);
                text.Append(' ');
                AppendPrepositionalPhrase(text, ref random);
                break;
        }

        text.Append(Pick(Terminators, ref random));
    }

    private static void AppendNounPhrase(StringBuilder text, ref RowRandom random)
    {
        switch (random.Next(0, 3))
        {
            case 0:
                break;
            case 1:
                text.Append(Pick(Adjectives, ref random)).Append(' ');
                break;
            case 2:
                text.Append(Pick(Adjectives, ref random)).Append(", ").Append(Pick(Adjectives, ref random)).Append(' ');
                break;
            default:
                text.Append(Pick(Adverbs, ref random)).Append(' ').Append(Pick(Adjectives, ref random)).Append(' ');
                break;
        }

        text.Append(Pick(Nouns, ref random));
    }

    private static void AppendVerbPhrase(StringBuilder text, ref RowRandom random)
    {
        switch (random.Next(0, 3))
        {
            case 0:
                text.Append(Pick(Verbs, ref random));
                break;
            case 1:
                text.Append(Pick(Auxiliaries, ref random)).Append(' ').Append(Pick(Verbs, ref random));
                break;
            case 2:
                text.Append(Pick(Verbs, ref random)).Append(' ').Append(Pick(Adverbs, ref random));
                break;
            default:
                text.Append(Pick(Auxiliaries, ref random)).Append(' ').Append(Pick(Verbs, ref random)).Append(' ').Append(Pick(Adverbs, ref random));
                break;
        }
    }

    private static void AppendPrepositionalPhrase(StringBuilder text, ref RowRandom random)
    {
        text.Append(Pick(Prepositions, ref random)).Append(" the ");
        AppendNounPhrase(text, ref random);
    }

    private static string Pick(string[] words, ref RowRandom random) => words[random.Next(0, words.Length - 1)];
}
