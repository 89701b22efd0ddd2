namespace FocusFunctions.Core.Scoring;

public enum FocusVerdict
{
    InFocus,
    OutOfFocus,

    /// <summary>
    /// The model's intervals leave too few tissue patches clearly on one side of the threshold (only models that
    /// predict a scale say this). The tile stays in tiles; its row says why.
    /// </summary>
    Indeterminate,
    NoTissue,
    Failed,
}
