using System.Diagnostics;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Files;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>The journal is opened only when it is a regular file of the caller's: a planted FIFO or link is refused, not opened.</summary>
public sealed class FileJournalSafetyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dlpar-journal-").FullName;

    private string JournalPath => Path.Combine(_directory, "journal");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_fifo_at_the_journal_is_refused_instead_of_hanging_the_command()
    {
        using (Process mkfifo = Process.Start("mkfifo", [JournalPath]))
        {
            Assert.True(mkfifo.WaitForExit(10_000));
        }

        using var journal = new FileJournal(JournalPath);
        journal.Append(new JournalRecord(JournalRecordKind.Begin, 1, 0, "memory add count 1"));

        Assert.Equal($"{JournalPath} is a FIFO, not a regular file; remove it", Assert.Throws<UnsafeFileException>(journal.Flush).Message);
        Assert.Throws<UnsafeFileException>(journal.ReadAll);
        Assert.Throws<UnsafeFileException>(journal.Clear);
    }

    [Fact]
    public void A_link_at_the_journal_is_refused_and_its_target_left_alone()
    {
        string victim = Path.Combine(_directory, "victim");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(JournalPath, victim);

        using var journal = new FileJournal(JournalPath);
        journal.Append(new JournalRecord(JournalRecordKind.Begin, 1, 0, "memory add count 1"));

        Assert.Throws<UnsafeFileException>(journal.Flush);
        Assert.Throws<UnsafeFileException>(journal.Clear);
        Assert.Equal("precious", File.ReadAllText(victim));
    }
}
