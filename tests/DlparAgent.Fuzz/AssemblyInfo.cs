// The agent and its command line are Linux programs; so is their fuzzing.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
