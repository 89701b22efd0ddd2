using CsCheck;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Tests.Processing;

/// <summary>
/// Every blob name has its own result row: (partition, row) keys are injective over all names a client can address,
/// and a key that holds its name whole decodes back to it. Checked over generated names, not a list of examples.
/// </summary>
public sealed class TileKeyPropertyTests
{
    // Characters that matter to the codec and the key layout, letters of other scripts, a lone surrogate, a control.
    private const string Alphabet = "ab_.%~#?\\-x5FuRoot 日é🔬\u0001\uD800";

    private static readonly Gen<string> Segment = Gen.OneOf<string>(
        Gen.OneOf("_root", "%5Froot", "%", "%25", "%5F", "%u005F", "%~", "~", "x.png", "_root~", "a%2Fb", "日本", "🔬", "e\u0301", "é"),
        Gen.String[Gen.Char[Alphabet], 1, 12],
        Gen.String[Gen.Char["a%_"], 200, 700]).Where(s => s is not ("." or ".."));

    private static readonly Gen<string> Name = Segment.Array[1, 5].Select(s => string.Join('/', s)).Where(n => BlobNames.Unaddressable(n) is null);

    /// <summary>Names and the names an attacker would derive from them to collide: a "_root" prefix, escapes written out, another name's key.</summary>
    private static IEnumerable<string> WithRelatives(string name)
    {
        yield return name;
        yield return "_root/" + name;
        yield return name.Replace("/", "%2F", StringComparison.Ordinal);
        yield return name.Replace("_", "%5F", StringComparison.Ordinal);
        yield return RowKeyCodec.Encode(name);
        yield return TileKeyResolver.KeyFor(name);
        yield return TileKeyResolver.KeyFor("_root/" + name);
    }

    [Fact]
    public void Resolve_AnyNames_DistinctNamesGetDistinctKeys()
    {
        Gen.Select(Name.Array[1, 12], Gen.Int[0, 3]).Sample((names, depth) =>
        {
            var resolver = new TileKeyResolver(new StorageOptions { SlideFolderDepth = depth });
            var all = names.SelectMany(WithRelatives).Where(n => BlobNames.Unaddressable(n) is null).Distinct(StringComparer.Ordinal).ToList();
            var keys = all.Select(n => resolver.Resolve(n)).Select(k => (k.PartitionKey, k.RowKey)).ToList();
            return keys.Distinct().Count() == all.Count;
        }, iter: 3000);
    }

    [Fact]
    public void TryDecode_AnyName_GivesBackTheNameUnlessTheKeyIsShortened()
    {
        Gen.Select(Name, Gen.Int[0, 3]).Sample((name, depth) =>
        {
            var key = new TileKeyResolver(new StorageOptions { SlideFolderDepth = depth }).Resolve(name);
            bool shortened = key.PartitionKey.Contains("%~", StringComparison.Ordinal) || key.RowKey.Contains("%~", StringComparison.Ordinal);
            bool decoded = TileKeyResolver.TryDecode(key.PartitionKey, key.RowKey, out var back);
            return shortened ? !decoded : decoded && back == name;
        }, iter: 5000);
    }

    [Fact]
    public void Resolve_AnyName_KeysAreValidTableKeys()
    {
        Gen.Select(Name, Gen.Int[0, 3]).Sample((name, depth) =>
        {
            var key = new TileKeyResolver(new StorageOptions { SlideFolderDepth = depth }).Resolve(name);
            return new[] { key.PartitionKey, key.RowKey }.All(k =>
                k.Length is > 0 and <= TileKeyResolver.MaxKeyLength && !k.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)));
        }, iter: 3000);
    }

    [Theory]
    [InlineData("x.png", "_root/x.png")]
    [InlineData("x.png", "%5Froot/x.png")]
    [InlineData("_root/x.png", "%5Froot/x.png")]
    public void Resolve_RootTileAndASlideNamedLikeTheRoot_DifferentRows(string first, string second)
    {
        var resolver = new TileKeyResolver(new StorageOptions());

        var (a, b) = (resolver.Resolve(first), resolver.Resolve(second));

        Assert.NotEqual((a.PartitionKey, a.RowKey), (b.PartitionKey, b.RowKey));
    }

    [Fact]
    public void Resolve_ShortNameSpelledLikeALongNamesKey_DifferentRows()
    {
        string longName = "s/" + new string('a', 900) + ".png";
        var resolver = new TileKeyResolver(new StorageOptions());
        var longKey = resolver.Resolve(longName);

        var crafted = resolver.Resolve("s/" + longKey.RowKey);

        Assert.NotEqual(longKey.RowKey, crafted.RowKey);
    }
}
