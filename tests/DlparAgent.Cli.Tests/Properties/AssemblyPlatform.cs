// The CLI under test is a Linux program (see src/DlparAgent.Cli/Properties/AssemblyPlatform.cs).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
