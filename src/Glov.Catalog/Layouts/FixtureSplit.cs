namespace Glov.Catalog.Layouts;

/// <summary>How a generated dataset spreads a class's images over its splits: the last quarter (at least one
/// image) to test, the quarter before it to val where the layout has one, the rest to train.</summary>
internal static class FixtureSplit
{
    public static string Of(int item, int perClass, bool hasVal)
    {
        var quarter = Math.Max(1, perClass / 4);
        if (item >= perClass - quarter)
            return "test";
        return hasVal && item >= perClass - 2 * quarter ? "val" : "train";
    }

    /// <summary>How many of <paramref name="perClass"/> images land in <paramref name="split"/>.</summary>
    public static int Count(string split, int perClass, bool hasVal) =>
        Enumerable.Range(0, perClass).Count(i => Of(i, perClass, hasVal) == split);
}
