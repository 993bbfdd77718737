using System.Globalization;
using System.Text;
using DlparAgent.Core.Files;

namespace DlparAgent.Core.Engine;

/// <summary>
/// The journal as a text file, one record per line. Appended records wait in memory until
/// <see cref="Flush"/> writes them with one write and one fsync, through a descriptor kept open
/// between flushes; a crash loses only what was never flushed. A torn last line is ignored. The file
/// must be a regular file of the caller's (<see cref="OwnedFile"/>): a planted FIFO would hang the open.
/// </summary>
public sealed class FileJournal : IJournal, IDisposable
{
    private readonly string _path;
    private readonly StringBuilder _pending = new();
    private FileStream? _file;

    public FileJournal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public void Append(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _pending.Append(Line(record));
    }

    public void Flush()
    {
        if (_pending.Length == 0)
        {
            return;
        }

        if (_file is null)
        {
            OwnedFile.Check(_path);
            _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        }

        _file.Write(Encoding.UTF8.GetBytes(_pending.ToString()));
        _file.Flush(flushToDisk: true);
        _pending.Clear();
    }

    public IReadOnlyList<JournalRecord> ReadAll()
    {
        OwnedFile.Check(_path);
        string text = (File.Exists(_path) ? File.ReadAllText(_path) : string.Empty) + _pending;
        var records = new List<JournalRecord>();
        string[] lines = text.Split('\n');

        // The last piece has no newline: empty, or a line a crash tore mid-write, which was never
        // durable and announced nothing that had started.
        for (int number = 1; number < lines.Length; number++)
        {
            string line = lines[number - 1];
            if (line.Length > 0)
            {
                records.Add(Parse(line) ?? new JournalRecord(JournalRecordKind.Damaged, number, 0, Printable(line)));
            }
        }

        return records;
    }

    public void Compact()
    {
        Flush();
        Dispose();
        IReadOnlyList<JournalRecord> records = ReadAll();
        HashSet<long> ended = [.. records.Where(r => r.Kind == JournalRecordKind.End).Select(r => r.Operation)];
        var open = new StringBuilder();
        foreach (JournalRecord record in records.Where(r => !ended.Contains(r.Operation)))
        {
            open.Append(Line(record));
        }

        AtomicFile.Replace(_path, file => file.Write(Encoding.UTF8.GetBytes(open.ToString())));
    }

    public void Clear()
    {
        Dispose();
        _pending.Clear();
        OwnedFile.Check(_path);
        using var file = new FileStream(_path, FileMode.Create, FileAccess.Write);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Closes the descriptor; records not flushed stay pending (a later flush reopens the file).</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    private static string Line(JournalRecord record) => string.Create(CultureInfo.InvariantCulture,
        $"{record.Kind.ToString().ToLowerInvariant()} {record.Operation} {record.Connector:x8} {Escape(record.Text)}\n");

    private static JournalRecord? Parse(string line)
    {
        string[] parts = line.Split(' ', 4);
        if (parts.Length < 3
            || !Enum.TryParse(parts[0], ignoreCase: true, out JournalRecordKind kind)
            || kind == JournalRecordKind.Damaged
            || !Enum.IsDefined(kind)
            || parts[0].Any(char.IsDigit)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long operation)
            || !uint.TryParse(parts[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint connector))
        {
            return null;
        }

        string? text = parts.Length == 4 ? Unescape(parts[3]) : string.Empty;
        return text is null ? null : new JournalRecord(kind, operation, connector, text);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>The inverse of <see cref="Escape"/> in one pass; null for an escape it never writes.</summary>
    private static string? Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var plain = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                plain.Append(text[i]);
                continue;
            }

            if (++i == text.Length)
            {
                return null;
            }

            switch (text[i])
            {
                case '\\':
                    plain.Append('\\');
                    break;
                case 'n':
                    plain.Append('\n');
                    break;
                default:
                    return null;
            }
        }

        return plain.ToString();
    }

    private static string Printable(string line)
    {
        string shown = line.Length > 80 ? line[..80] + "…" : line;
        return string.Concat(shown.Select(c => char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}") : c.ToString()));
    }
}
