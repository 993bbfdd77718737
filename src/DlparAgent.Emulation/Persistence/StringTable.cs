namespace DlparAgent.Emulation.Persistence;

/// <summary>Distinct strings in first-use order, each referred to by its position.</summary>
internal sealed class StringTable
{
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly List<string> _strings = [];

    public int Count => _strings.Count;

    public int Add(string value)
    {
        if (!_positions.TryGetValue(value, out int position))
        {
            position = _strings.Count;
            _positions.Add(value, position);
            _strings.Add(value);
        }

        return position;
    }

    public void ForEach(Action<string> action) => _strings.ForEach(action);
}
