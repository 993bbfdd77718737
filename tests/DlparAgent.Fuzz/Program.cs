using DlparAgent.Fuzz;

// dlpar-fuzz list | run TARGET (under afl-fuzz) | replay TARGET FILE|DIR... (without it: findings and regressions) | seed DIR
if (args is ["list"])
{
    foreach (FuzzTarget target in FuzzTargets.All)
    {
        Console.WriteLine($"{target.Name,-20} {target.Description}");
    }

    return 0;
}

if (args is ["run", var name])
{
    FuzzTarget target = FuzzTargets.Find(name);
    SharpFuzz.Fuzzer.OutOfProcess.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        target.Run(copy.ToArray());
    });
    return 0;
}

if (args is ["replay", var replayed, .. var paths] && paths.Length > 0)
{
    return Replay.Run(FuzzTargets.Find(replayed), paths, Console.Out);
}

if (args is ["seed", var directory])
{
    SeedCorpus.Write(directory);
    return 0;
}

Console.Error.WriteLine("usage: dlpar-fuzz list | run TARGET | replay TARGET FILE|DIR... | seed DIR");
return 64;
