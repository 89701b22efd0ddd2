using Azure;

namespace FocusFunctions.Core.Processing;

/// <summary>Which failures are worth another try: throttling, server errors, timeouts and dropped connections.</summary>
public static class TransientFailures
{
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        RequestFailedException => false,
        HttpRequestException or IOException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(e => IsTransient(e, cancellationToken)),
        // A timeout inside the SDK surfaces as a cancellation that nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };
}
