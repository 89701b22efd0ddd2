namespace FocusFunctions.Core.Processing;

/// <summary>The container a tile ends up in.</summary>
public enum TileLocation
{
    Tiles,
    Rejected,
    Quarantine,

    /// <summary>The tile disappeared from the tiles container before it could be moved (deleted by someone else).</summary>
    Deleted,
}
