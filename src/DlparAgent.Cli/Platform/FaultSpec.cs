using DlparAgent.Core.Failures;
using DlparAgent.Cli.CommandLine;
using DlparAgent.Cli.Context;
using DlparAgent.Emulation.Machine;

namespace DlparAgent.Cli.Platform;

/// <summary>Reads <c>--status S</c>, <c>--status busy:M</c> and <c>--status delay:990x:M</c>.</summary>
internal static class FaultSpec
{
    public static (FaultKind Kind, int Status, int Storm) Parse(string text)
    {
        string[] parts = text.Split(':');
        switch (parts[0])
        {
            case "busy" when parts.Length == 2:
                return (FaultKind.Busy, -2, StormLength(parts[1]));
            case "delay" when parts.Length == 3:
                int delay = ArgumentParsing.Signed(parts[1], "delay status");
                if (delay is < 9900 or > 9905)
                {
                    throw new CliException(FailureCategory.Usage, $"delay status {delay} is not 9900..9905");
                }

                return (FaultKind.Delay, delay, StormLength(parts[2]));
            default:
                if (parts.Length != 1 || !int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign,
                    System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    throw new CliException(FailureCategory.Usage, $"--status '{text}' is not S, busy:M or delay:990x:M");
                }

                return (FaultKind.Status, ArgumentParsing.Signed(text, "status"), 0);
        }
    }

    private static int StormLength(string text)
    {
        int length = ArgumentParsing.Signed(text, "storm length");
        return length is >= 1 and <= 1_000_000 ? length : throw new CliException(FailureCategory.Usage, $"storm length {length} is not 1..1000000");
    }
}
