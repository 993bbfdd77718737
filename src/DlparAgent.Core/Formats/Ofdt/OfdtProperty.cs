namespace DlparAgent.Core.Formats.Ofdt;

/// <summary>A property carried by an ofdt command: a name without spaces and raw value bytes.</summary>
public sealed record OfdtProperty
{
    public OfdtProperty(string name, ReadOnlyMemory<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Any(c => c is ' ' or '\0' || c > 0xFF))
        {
            throw new ArgumentException($"property name '{name}' cannot contain a space, a NUL or non-Latin-1 characters", nameof(name));
        }

        Name = name;
        Value = value;
    }

    public string Name { get; }

    public ReadOnlyMemory<byte> Value { get; }

    public bool Equals(OfdtProperty? other) => other is not null && Name == other.Name && Value.Span.SequenceEqual(other.Value.Span);

    public override int GetHashCode() => HashCode.Combine(Name, Value.Length);
}
