using DlparAgent.Cli.Output;

namespace DlparAgent.Cli.CommandLine;

/// <summary>
/// The name the program was started under (argv[0]), which picks the personality of the multi-call
/// binary. The .NET app host reports its .dll there instead, so the kernel's copy is read first.
/// </summary>
internal static class InvocationName
{
    public static string Get()
    {
        try
        {
            byte[] commandLine = File.ReadAllBytes("/proc/self/cmdline");
            int end = Array.IndexOf(commandLine, (byte)0);
            if (end > 0)
            {
                return Path.GetFileName(System.Text.Encoding.UTF8.GetString(commandLine, 0, end));
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }

        return Path.GetFileName(Environment.GetCommandLineArgs()[0]);
    }
}
