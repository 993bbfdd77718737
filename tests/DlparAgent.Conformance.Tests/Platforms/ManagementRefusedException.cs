namespace DlparAgent.Conformance.Tests.Platforms;

/// <summary>The platform's management side refused an operation (QMP error, emulated PlatformException).</summary>
public sealed class ManagementRefusedException(string message, Exception inner) : Exception(message, inner);
