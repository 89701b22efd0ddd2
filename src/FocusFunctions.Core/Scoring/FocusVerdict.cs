namespace FocusFunctions.Core.Scoring;

public enum FocusVerdict
{
    InFocus,
    OutOfFocus,
    NoTissue,
    Failed,
}
