using DlparAgent.Core.Failures;
using System.Globalization;
using DlparAgent.Core.Formats;
using DlparAgent.Emulation.Machine;
using DlparAgent.Cli.Context;

namespace DlparAgent.Cli.CommandLine;

/// <summary>Values the CLI reads from strings: C numbers, signed statuses, sizes; failures are usage errors.</summary>
internal static class ArgumentParsing
{
    public static uint Number(string text, string what) =>
        CNumber.TryParseU32(text, out uint value) ? value : throw new CliException(FailureCategory.Usage,
            $"{what} '{text}' is not a number (decimal or 0x-hex)");

    public static int Signed(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value
        : CNumber.TryParseU32(text, out uint raw) ? unchecked((int)raw)
        : throw new CliException(FailureCategory.Usage, $"{what} '{text}' is not a number");

    public static ulong Size(string text, string what) =>
        MachineProfile.TryParseSize(text, out ulong value) ? value : throw new CliException(FailureCategory.Usage,
            $"{what} '{text}' is not a size such as 512M or 8G");
}
