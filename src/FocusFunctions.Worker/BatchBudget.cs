namespace FocusFunctions.Worker;

/// <summary>Splits received messages into the batches scored together, bounded in bytes as well as in tiles.</summary>
public static class BatchBudget
{
    /// <summary>
    /// Consecutive runs of messages whose tiles hold at most <paramref name="maxBytes"/> together and number at most
    /// <paramref name="maxTiles"/>; a message larger than the budget forms a batch of its own.
    /// </summary>
    public static IEnumerable<List<LeasedMessage>> Split(IEnumerable<LeasedMessage> messages, Func<LeasedMessage, long> bytesOf, long maxBytes, int maxTiles)
    {
        var batch = new List<LeasedMessage>();
        long bytes = 0;
        foreach (var message in messages)
        {
            long size = bytesOf(message);
            if (batch.Count > 0 && (bytes + size > maxBytes || batch.Count == maxTiles))
            {
                yield return batch;
                (batch, bytes) = ([], 0);
            }

            batch.Add(message);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
