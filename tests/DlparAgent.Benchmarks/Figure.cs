namespace DlparAgent.Benchmarks;

/// <summary>One named figure the benchmarks program prints as <c>&lt;name&gt; &lt;value&gt; &lt;unit&gt;</c>.</summary>
internal sealed record Figure(string Name, string Unit, Func<double> Measure);
