using System.Diagnostics;
using System.Globalization;

namespace DlparAgent.Qemu;

/// <summary>
/// The project's CAS client (<c>CasClient/cas-client.S</c>, embedded): assembled with Debian's
/// <c>binutils-powerpc64-linux-gnu</c> on first use into a cache directory, one image per option
/// set, and watched through its status block until QEMU has negotiated.
/// </summary>
public static class CasClientImage
{
    /// <summary>Where SLOF loads a <c>-kernel</c> image linked at 0.</summary>
    public const ulong LoadAddress = 0x40_0000;

    public const ulong StatusAddress = LoadAddress + 0x1000;

    public const uint Magic = 0x444C_5043;

    public const uint StageNegotiated = 3;

    public const string DirectoryVariable = "DLPAR_CAS_CLIENT_DIR";

    private const string Assembler = "powerpc64-linux-gnu-as";
    private const string Linker = "powerpc64-linux-gnu-ld";

    /// <summary>The image for these options, assembled if it is not there yet.</summary>
    public static string Path(bool drmemV2, bool hotplugEvents, bool drconfMemory = true, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string directory = environment(DirectoryVariable) is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"dlpar-cas-client-{Environment.UserName}"));
        string name = string.Create(CultureInfo.InvariantCulture, $"cas-d{(drconfMemory ? 1 : 0)}-h{(hotplugEvents ? 1 : 0)}-v{(drmemV2 ? 1 : 0)}.elf");
        string image = System.IO.Path.Combine(directory, name);
        string source = Source();
        string stamp = image + ".source";
        if (File.Exists(image) && File.Exists(stamp) && File.ReadAllText(stamp) == source)
        {
            return image;
        }

        Directory.CreateDirectory(directory);
        string work = Directory.CreateTempSubdirectory("dlpar-cas-").FullName;
        try
        {
            string sourceFile = System.IO.Path.Combine(work, "cas-client.S");
            string objectFile = System.IO.Path.Combine(work, "cas-client.o");
            string linked = System.IO.Path.Combine(work, name);
            File.WriteAllText(sourceFile, source);
            Run(Tool(Assembler, environment), "-a64", "-mbig", "-mregnames",
                "--defsym", Flag("DRCONF", drconfMemory), "--defsym", Flag("HP_EVT", hotplugEvents), "--defsym", Flag("DRMEM_V2", drmemV2),
                "-o", objectFile, sourceFile);

            // -N: one loadable segment without page alignment, linked at 0 (QEMU adds 0x400000).
            Run(Tool(Linker, environment), "-m", "elf64ppc", "-N", "-e", "_start", "-Ttext=0", "--no-warn-rwx-segments", "-o", linked, objectFile);
            File.Move(linked, image, overwrite: true);
            File.WriteAllText(stamp, source);
            return image;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>True when the cross binutils are installed (the image can be built).</summary>
    public static bool CanBuild(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return environment(DirectoryVariable) is { Length: > 0 } || (ExecutableSearch.Find(Assembler,
            environment) is not null && ExecutableSearch.Find(Linker, environment) is not null);
    }

    /// <summary>Waits until the client reports CAS done (SLOF boots it in about 4 to 6 s under TCG).</summary>
    public static void WaitNegotiated(QemuMachine machine, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var waited = Stopwatch.StartNew();
        while (true)
        {
            uint stage = machine.Qtest.ReadU32(StatusAddress + 4);
            if (stage == StageNegotiated && machine.Qtest.ReadU32(StatusAddress) == Magic)
            {
                return;
            }

            if (stage >= 0xDEAD_0000)
            {
                string what = stage == 0xDEAD_0001 ? "could not open \"/\"" : "got an error from ibm,client-architecture-support";
                throw new QemuException(QemuProblem.Refused, $"the CAS client {what} (stage 0x{stage:x8})");
            }

            if (waited.Elapsed > timeout)
            {
                throw new QemuException(QemuProblem.Timeout, $"the CAS client did not finish negotiating within {timeout.TotalSeconds:0} s (stage {stage})");
            }

            // SLOF gives no event for this; the status word is all there is.
            Thread.Sleep(50);
        }
    }

    private static string Source()
    {
        using Stream stream = typeof(CasClientImage).Assembly.GetManifestResourceStream("cas-client.S")
            ?? throw new InvalidOperationException("the CAS client source is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Flag(string name, bool on) => name + (on ? "=1" : "=0");

    private static string Tool(string name, Func<string, string?> environment) =>
        ExecutableSearch.Find(name, environment) ?? throw new QemuException(
            QemuProblem.NotInstalled,
            $"{name} was not found; the CAS client is assembled with Debian's binutils-powerpc64-linux-gnu (apt-get install binutils-powerpc64-linux-gnu)");


    private static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new QemuException(QemuProblem.NotInstalled, $"{tool} did not start");
        string errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new QemuException(QemuProblem.Protocol, $"{System.IO.Path.GetFileName(tool)} failed building the CAS client: {errors.Trim()}");
        }
    }
}
