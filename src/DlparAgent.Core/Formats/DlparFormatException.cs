using DlparAgent.Core.Failures;

namespace DlparAgent.Core.Formats;

/// <summary>
/// The one error every reader in <c>Core/Formats</c> throws for bad input: it names the format,
/// the field and the byte offset (or -1 where a text position does not apply).
/// </summary>
public sealed class DlparFormatException : DlparAgentException
{
    public override FailureCategory Category => FailureCategory.BadData;

    public DlparFormatException(string format, string field, long offset, string detail)
        : base(offset >= 0
            ? $"{format}: {field} at offset {offset}: {detail}"
            : $"{format}: {field}: {detail}")
    {
        Format = format;
        Field = field;
        Offset = offset;
        Detail = detail;
    }

    /// <summary>The format being read, e.g. <c>fdt</c> or <c>rtas-event</c>.</summary>
    public string Format { get; }

    /// <summary>The field that failed to read, e.g. <c>off_dt_struct</c>.</summary>
    public string Field { get; }

    /// <summary>Byte offset into the input (or character position in text), -1 when not applicable.</summary>
    public long Offset { get; }

    public string Detail { get; }
}
