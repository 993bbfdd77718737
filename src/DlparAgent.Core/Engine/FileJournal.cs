using System.Globalization;
using System.Text;

namespace DlparAgent.Core.Engine;

/// <summary>
/// The journal as a text file, one record per line, each line appended and fsynced before the
/// step it records is taken as done. A torn last line (a crash mid-write) is ignored.
/// </summary>
public sealed class FileJournal : IJournal
{
    private readonly string _path;

    public FileJournal(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public void Append(JournalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{record.Kind.ToString().ToLowerInvariant()} {record.Operation} {record.Connector:x8} {Escape(record.Text)}\n");
        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        file.Write(Encoding.UTF8.GetBytes(line));
        file.Flush(flushToDisk: true);
    }

    public IReadOnlyList<JournalRecord> ReadAll()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        var records = new List<JournalRecord>();
        foreach (string line in File.ReadAllText(_path).Split('\n'))
        {
            if (Parse(line) is { } record)
            {
                records.Add(record);
            }
        }

        return records;
    }

    public void Compact()
    {
        IReadOnlyList<JournalRecord> records = ReadAll();
        HashSet<long> ended = [.. records.Where(r => r.Kind == JournalRecordKind.End).Select(r => r.Operation)];
        JournalRecord[] open = [.. records.Where(r => !ended.Contains(r.Operation))];
        string temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            foreach (JournalRecord record in open)
            {
                file.Write(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
                    $"{record.Kind.ToString().ToLowerInvariant()} {record.Operation} {record.Connector:x8} {Escape(record.Text)}\n")));
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
    }

    private static JournalRecord? Parse(string line)
    {
        string[] parts = line.Split(' ', 4);
        if (parts.Length < 3
            || !Enum.TryParse(parts[0], ignoreCase: true, out JournalRecordKind kind)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long operation)
            || !uint.TryParse(parts[2], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint connector))
        {
            return null;
        }

        return new JournalRecord(kind, operation, connector, parts.Length == 4 ? Unescape(parts[3]) : string.Empty);
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Unescape(string text) => text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
}
