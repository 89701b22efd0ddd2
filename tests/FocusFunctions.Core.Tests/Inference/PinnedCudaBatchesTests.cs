namespace FocusFunctions.Core.Tests.Inference;

/// <summary>The CUDA path's fixed run sizes (its runs themselves need a GPU: gpu-check measures them on one).</summary>
public class PinnedCudaBatchesTests
{
    [Theory]
    [InlineData(256, new[] { 256, 128, 64, 32, 16 })]
    [InlineData(100, new[] { 100, 50, 25 })]
    [InlineData(16, new[] { 16 })]
    [InlineData(4, new[] { 4 })]
    public void BatchSizes_MaxAndItsHalvingsDownToSixteen(int maxBatchSize, int[] expected) =>
        Assert.Equal(expected, PinnedCudaBatches.BatchSizes(maxBatchSize));

    [Theory]
    [InlineData(300, 256)]   // more than the largest: a full run
    [InlineData(256, 256)]
    [InlineData(200, 256)]   // padded up to the next size
    [InlineData(64, 64)]
    [InlineData(65, 128)]
    [InlineData(11, 16)]     // one tile's dozen patches: the smallest run
    [InlineData(1, 16)]
    public void SizeFor_SmallestFixedSizeThatHoldsTheRest(int remaining, int expected) =>
        Assert.Equal(expected, PinnedCudaBatches.SizeFor(PinnedCudaBatches.BatchSizes(256), remaining));
}
