using System.Globalization;
using DlparAgent.Benchmarks;

// Prints one line per figure: "<figure-name> <value> <unit>". With names as arguments, only those.
Figure[] figures = [.. FormatFigures.All(), .. PlatformFigures.All(), .. EngineFigures.All(), .. StartupFigures.All(), .. ProcessFigures.All(),
    .. (OperatingSystem.IsLinux() ? ServiceFigures.All() : []), .. (QemuFigures.Available ? QemuFigures.All() : []),
    .. (GuestFigures.Available ? GuestFigures.All() : [])];

if (!QemuFigures.Available)
{
    Console.Error.WriteLine("qemu-overhead-* figures skipped: qemu-system-ppc64 not found (apt-get install --no-install-recommends qemu-system-ppc)");
}

if (!GuestFigures.Available)
{
    Console.Error.WriteLine($"guest-* figures skipped: {DlparAgent.Qemu.Guest.GuestImageBuilder.CannotRunHere(Environment.GetEnvironmentVariable)}");
}

string[] unknown = [.. args.Where(a => figures.All(f => f.Name != a))];
if (unknown.Length > 0)
{
    Console.Error.WriteLine($"unknown figure(s): {string.Join(", ", unknown)}; known: {string.Join(", ", figures.Select(f => f.Name))}");
    return 64;
}

foreach (Figure figure in figures.Where(f => args.Length == 0 || args.Contains(f.Name)))
{
    double value;
    try
    {
        value = figure.Measure();
    }
    catch (FigureUnavailableException error)
    {
        Console.Error.WriteLine($"{figure.Name}: {error.Message}");
        return 69;
    }

    if (double.IsNaN(value))
    {
        Console.Error.WriteLine($"{figure.Name}: the measurement failed (no value)");
        return 70;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{figure.Name} {Format(value)} {figure.Unit}"));
}

return 0;

static string Format(double value) => value >= 1000 ? value.ToString("F0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);
