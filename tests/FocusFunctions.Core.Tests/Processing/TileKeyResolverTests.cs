using FocusFunctions.Core.Processing;
using FocusFunctions.Core.Storage;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class TileKeyResolverTests
{
    [Fact]
    public void Resolve_DefaultDepth_FirstFolderIsTheSlide()
    {
        var key = new TileKeyResolver(new StorageOptions()).Resolve("slide-7/level0/x012_y034.png");

        Assert.Equal(("slide-7", "level0%2Fx012_y034.png", "slide-7", 12, 34), (key.PartitionKey, key.RowKey, key.SlideId, key.TileX, key.TileY));
    }

    [Fact]
    public void Resolve_BlobAtContainerRoot_RootPartition()
    {
        var key = new TileKeyResolver(new StorageOptions()).Resolve("x001_y002.png");

        Assert.Equal((StorageOptions.RootPartitionKey, "x001_y002.png", ""), (key.PartitionKey, key.RowKey, key.SlideId));
    }

    [Theory]
    [InlineData(0, "a/b/c.png", "_root", "a%2Fb%2Fc.png")]
    [InlineData(2, "a/b/c.png", "a%2Fb", "c.png")]
    [InlineData(2, "a/c.png", "a", "c.png")]
    [InlineData(3, "a/b/c/d/e.png", "a%2Fb%2Fc", "d%2Fe.png")]
    public void Resolve_SlideFolderDepth_ThatManyFoldersFormTheSlide(int depth, string blobName, string partitionKey, string rowKey)
    {
        var key = new TileKeyResolver(new StorageOptions { SlideFolderDepth = depth }).Resolve(blobName);

        Assert.Equal((partitionKey, rowKey), (key.PartitionKey, key.RowKey));
    }

    [Theory]
    [InlineData("s/tile.png")]
    [InlineData("s/x1_y.png")]
    [InlineData("x000_y000/tile.png")]
    public void Resolve_NameWithoutPosition_NoGridPosition(string blobName)
    {
        var key = new TileKeyResolver(new StorageOptions()).Resolve(blobName);

        Assert.Equal((null, null), (key.TileX, key.TileY));
    }

    [Fact]
    public void Resolve_CustomPattern_ReadsPositionWithIt()
    {
        var options = new StorageOptions { GridPositionPattern = @"_(?<y>\d+)_(?<x>\d+)\.tif$" };

        var key = new TileKeyResolver(options).Resolve("scan/tile_7_42.tif");

        Assert.Equal((42, 7), (key.TileX, key.TileY));
    }

    [Theory]
    [InlineData('a')]
    [InlineData('#')]
    [InlineData('日')]
    public void KeyFor_PathLongerThanAKeyHolds_ShortenedWithAHashAndDistinct(char filler)
    {
        string name = new string(filler, 900) + "/x001_y002.png";
        string other = new string(filler, 900) + "/x001_y003.png";

        string key = TileKeyResolver.KeyFor(name);

        Assert.True(key.Length <= TileKeyResolver.MaxKeyLength, $"{key.Length} characters");
        Assert.NotEqual(key, TileKeyResolver.KeyFor(other));
        Assert.Equal(key, TileKeyResolver.KeyFor(name));
        Assert.DoesNotContain(key, c => c is '/' or '\\' or '#' or '?');
    }

    [Fact]
    public void KeyFor_LongPathOfSurrogatePairs_NoLoneSurrogate()
    {
        string key = TileKeyResolver.KeyFor(string.Concat(Enumerable.Repeat("🔬", 600)));

        Assert.True(key.Length <= TileKeyResolver.MaxKeyLength);
        Assert.False(key.Where((c, i) => char.IsHighSurrogate(c) && (i + 1 == key.Length || !char.IsLowSurrogate(key[i + 1]))).Any());
    }
}
