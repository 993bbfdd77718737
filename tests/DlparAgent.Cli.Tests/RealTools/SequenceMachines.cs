using System.Globalization;
using System.Text.Json;

namespace DlparAgent.Cli.Tests.RealTools;

/// <summary>
/// The real guest and, beside it, a QEMU machine of the same shape driven by <c>--platform qemu</c>.
/// </summary>
public sealed class SequenceMachines : GuestPlatformFixture
{
    /// <summary>The messages busybox's sh prints for a failed redirection or write, by errno name.</summary>
    private static readonly (string Message, string Errno)[] Messages =
    [
        ("Invalid argument", "EINVAL"),
        ("No such device", "ENODEV"),
        ("Operation not permitted", "EPERM"),
        ("No such file or directory", "ENOENT"),
        ("nonexistent directory", "ENOENT"),
        ("Device or resource busy", "EBUSY"),
        ("Out of memory", "ENOMEM"),
        ("Input/output error", "EIO"),
        ("File exists", "EEXIST"),
    ];

    private readonly QemuBesideGuest _ours = new();
    private readonly HashSet<int> _pluggedCores = [0];

    /// <summary>The QEMU machine's DIMMs, by id.</summary>
    public IReadOnlyList<string> Dimms()
    {
        using JsonDocument status = JsonDocument.Parse(Ours("platform", "qemu", "status", "--json"));
        return [.. status.RootElement.GetProperty("dimms").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<int> FreeCores() => [.. Enumerable.Range(1, 7).Where(c => !_pluggedCores.Contains(c))];

    /// <summary>Plugs a device into the guest's QEMU; its id.</summary>
    public string RealPlug(params string[] args)
    {
        var (code, output, error) = Guest(["plug", .. args]);
        Assert.True(code == 0, $"platform guest plug {string.Join(' ', args)}: {error}");
        if (args[0] == "cpu")
        {
            _pluggedCores.Add(int.Parse(args[2], CultureInfo.InvariantCulture));
        }

        return output.Trim();
    }

    public void OursPlug(params string[] args) => Ours(["platform", "qemu", "plug", .. args]);

    /// <summary>Asks both QEMUs to remove a device; whether each accepted (a second request for a DIMM already going is refused).</summary>
    public (string Real, string Ours) Unplug(string id)
    {
        var real = Guest("unplug", id);
        var ours = _ours.Dlpar("platform", "qemu", "unplug", id);
        return (real.ExitCode == 0 ? "0" : "refused", ours.ExitCode == 0 ? "0" : "refused");
    }

    /// <summary>Writes <paramref name="text"/> to a file of the guest's kernel; the errno's name, or 0.</summary>
    public string RealWrite(string path, string text)
    {
        string quoted = "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

        // busybox's echo reports a failed write (its printf does not): "sh: write error: Invalid argument".
        var (code, _, error) = Guest("run", $"echo -n {quoted} > {path}");
        if (code == 0)
        {
            return "0";
        }

        return Messages.FirstOrDefault(m => error.Contains(m.Message, StringComparison.Ordinal)).Errno ?? "unknown: " + error.Trim();
    }

    /// <summary>One line of <c>dlpar platform kernel</c> on the emulated kernel; its answer.</summary>
    public string OursKernel(string line)
    {
        var (code, output, error) = _ours.DlparWithInput(line + "\n", "--platform", "qemu", "platform", "kernel");
        Assert.True(code == 0, $"platform kernel: {error}");
        return output.Trim();
    }

    /// <summary>What is compared, as the emulated kernel on QEMU shows it.</summary>
    public string OursObserved()
    {
        string memory = KernelSequenceDifferentialTests.Connectors(Ours("--platform", "qemu", "list", "memory", "--firmware", "--json"));
        string cpus = KernelSequenceDifferentialTests.Connectors(Ours("--platform", "qemu", "list", "cpu", "--firmware", "--json"));
        string property = OursKernel("property /ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2");
        return $"{memory}\n{cpus}\nDIMMs: {string.Join(' ', Dimms())}\ndynamic-memory-v2: {property.Split(' ')[^1]}";
    }

    /// <summary>What is compared, as Linux shows it; read again until it is <paramref name="expected"/> or <paramref name="settle"/> has passed.</summary>
    public string RealObservedOnceSettled(string expected, TimeSpan settle)
    {
        DateTime deadline = DateTime.UtcNow + settle;
        while (true)
        {
            string observed = RealObserved();
            if (observed == expected || DateTime.UtcNow >= deadline)
            {
                return observed;
            }

            Thread.Sleep(500);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ours.Dispose();
        }

        base.Dispose(disposing);
    }

    private string RealObserved()
    {
        string memory = KernelSequenceDifferentialTests.Connectors(Checked(Dlpar("list", "memory", "--firmware", "--json")));
        string cpus = KernelSequenceDifferentialTests.Connectors(Checked(Dlpar("list", "cpu", "--firmware", "--json")));
        using JsonDocument status = JsonDocument.Parse(Checked(Guest("status", "--json")));
        string dimms = string.Join(' ', status.RootElement.GetProperty("dimms").EnumerateArray().Select(d => d.GetProperty("id").GetString()!)
            .Order(StringComparer.Ordinal));
        string property = Checked(Guest("run", "od -An -tx1 -v /proc/device-tree/ibm,dynamic-reconfiguration-memory/ibm,dynamic-memory-v2"));
        string hex = string.Concat(property.Where(char.IsAsciiHexDigit));
        return $"{memory}\n{cpus}\nDIMMs: {dimms}\ndynamic-memory-v2: {hex}";
    }

    private string Ours(params string[] args) => Checked(_ours.Dlpar(args));

    private static string Checked((int ExitCode, string Out, string Error) result) =>
        result.ExitCode == 0 ? result.Out : throw new InvalidOperationException($"exit {result.ExitCode}: {result.Error}");
}
