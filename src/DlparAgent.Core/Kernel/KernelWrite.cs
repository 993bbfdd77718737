namespace DlparAgent.Core.Kernel;

/// <summary>One write to a kernel file: the path below the system root and the exact bytes.</summary>
public sealed record KernelWrite(string Path, byte[] Content)
{
    /// <summary>The content as text, with bytes outside printable ASCII shown as <c>\xNN</c>.</summary>
    public string Printable()
    {
        var text = new System.Text.StringBuilder(Content.Length);
        foreach (byte b in Content)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(b == (byte)'\\' ? "\\\\" : $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }
}
