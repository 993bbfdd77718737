namespace DlparAgent.Cli.Tests;

/// <summary>A data-driven test against the real Linux guest; skipped as <see cref="GuestCliFactAttribute"/> is.</summary>
public sealed class GuestCliTheoryAttribute : TheoryAttribute
{
    public GuestCliTheoryAttribute() => Skip = GuestCliFactAttribute.SkipReason();
}
