using Azure;
using FocusFunctions.Core.Processing;

namespace FocusFunctions.Core.Tests.Processing;

public sealed class TransientFailuresTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)]
    public void IsTransient_RequestFailed_ByStatus(int status, bool expected)
    {
        Assert.Equal(expected, TransientFailures.IsTransient(new RequestFailedException(status, "x"), CancellationToken.None));
    }

    [Fact]
    public void IsTransient_NetworkAndTimeout_True()
    {
        Assert.True(TransientFailures.IsTransient(new HttpRequestException("refused"), CancellationToken.None));
        Assert.True(TransientFailures.IsTransient(new TimeoutException(), CancellationToken.None));
        Assert.True(TransientFailures.IsTransient(new TaskCanceledException(), CancellationToken.None));
    }

    [Fact]
    public void IsTransient_CancellationAskedFor_False()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.False(TransientFailures.IsTransient(new OperationCanceledException(cts.Token), cts.Token));
    }

    [Fact]
    public void IsTransient_ProgrammingError_False()
    {
        Assert.False(TransientFailures.IsTransient(new InvalidOperationException(), CancellationToken.None));
    }
}
