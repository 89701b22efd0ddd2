namespace FocusFunctions.Infra.Tests.Arm;

/// <summary>A value only Azure knows at deployment time (reference(), resourceGroup(), a module output).</summary>
public sealed class Unknown
{
    public static readonly Unknown Value = new();

    private Unknown()
    {
    }

    public override string ToString() => "<known at deployment>";
}
