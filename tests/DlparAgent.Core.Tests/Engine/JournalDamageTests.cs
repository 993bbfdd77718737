using DlparAgent.Core.Engine;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// A journal recovery cannot read is reported and refused, never guessed around or dropped: damaged
/// lines anywhere, a damaged begin, records without a begin. The escaping round-trips every text.
/// </summary>
public sealed class JournalDamageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dlpar-journal-").FullName;

    private string JournalPath => Path.Combine(_directory, "journal");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("memory add count 1")]
    [InlineData("a literal \\n, not a newline")]
    [InlineData("a real\nnewline")]
    [InlineData("\\\\ two backslashes \\")]
    [InlineData("\\")]
    public void Every_text_round_trips(string text)
    {
        using (var journal = new FileJournal(JournalPath))
        {
            journal.Append(new JournalRecord(JournalRecordKind.Step, 3, 0x80000008, text));
            journal.Flush();
        }

        using var again = new FileJournal(JournalPath);
        Assert.Equal(new JournalRecord(JournalRecordKind.Step, 3, 0x80000008, text), Assert.Single(again.ReadAll()));
    }

    [Theory]
    [InlineData("begn 1 00000000 memory add count 2\nconnector 1 80000008 add\n", "line 1 is damaged ('begn 1 00000000 memory add count 2')")]
    [InlineData("begin 1 00000000 memory add count 2\nconnector 1 8000zz08 add\n", "line 2 is damaged ('connector 1 8000zz08 add')")]
    [InlineData("begin 1 00000000 memory add count 2\nstep 1 80000008 bad \\q escape\n", "line 2 is damaged ('step 1 80000008 bad \\q escape')")]
    [InlineData("connector 4 80000008 add\n", "operation 4 has records but no begin")]
    [InlineData("begin 1 00000000 memory juggle count 2\n", "operation 1 began an unreadable request 'memory juggle count 2'")]
    public void Recovery_names_what_it_cannot_read_refuses_to_guess_and_keeps_the_journal(string content, string problem)
    {
        File.WriteAllText(JournalPath, content);
        var h = new EngineHarness("-", journal: new FileJournal(JournalPath));
        HashSet<uint> before = h.Owned();

        var error = Assert.Throws<JournalDamagedException>(() => h.Engine().Recover());

        Assert.Contains(error.Problems, p => p.StartsWith(problem, StringComparison.Ordinal));
        Assert.Contains("dlpar recover --discard", error.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(JournalPath));
        Assert.Equal(before, h.Owned());

        // A new operation is refused too: it would start over a journal that cannot be trusted.
        Assert.Throws<JournalDamagedException>(() => h.Run("cpu add count 1"));
        Assert.Equal(before, h.Owned());
    }

    [Fact]
    public void Discarding_drops_the_damaged_journal_and_operations_run_again()
    {
        File.WriteAllText(JournalPath, "begn 1 00000000 memory add count 2\n");
        var h = new EngineHarness("-", journal: new FileJournal(JournalPath));
        h.Assign(cores: 1);

        JournalRecord damaged = Assert.Single(h.Engine().DiscardJournal());

        Assert.Equal(JournalRecordKind.Damaged, damaged.Kind);
        Assert.Empty(h.Engine().Recover());
        Assert.True(h.Run("cpu add count 1").Complete);
    }

    [Fact]
    public void A_line_a_crash_tore_mid_write_is_not_damage()
    {
        File.WriteAllText(JournalPath, "begin 1 00000000 cpu add count 1\nend 1 00000000 1/1\nconnec");

        IReadOnlyList<JournalRecord> records = new FileJournal(JournalPath).ReadAll();

        Assert.Equal([JournalRecordKind.Begin, JournalRecordKind.End], records.Select(r => r.Kind));
    }
}
