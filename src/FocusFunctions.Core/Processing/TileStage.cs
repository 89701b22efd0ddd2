namespace FocusFunctions.Core.Processing;

/// <summary>
/// Where a tile is in its processing, kept in its result row so that a repeated or interrupted delivery knows what is
/// left to do: Scored (result written; a move may be due) → Moving (copy under way) → Done.
/// </summary>
public enum TileStage
{
    Scored,
    Moving,
    Done,
}
