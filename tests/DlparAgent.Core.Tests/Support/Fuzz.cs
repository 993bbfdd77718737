using DlparAgent.Core.Formats;

namespace DlparAgent.Core.Tests.Support;

/// <summary>
/// Feeds a reader seeded mutations of valid inputs and fails on anything but a
/// <see cref="DlparFormatException"/>, or on a run that does not finish (a hang).
/// </summary>
internal static class Fuzz
{
    public const int Iterations = 100_000;

    private static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(5);

    /// <returns>How many inputs the reader accepted and how many it refused with the typed error.</returns>
    public static (int Accepted, int Refused) Run(int seed, IReadOnlyList<byte[]> seeds, Action<byte[]> read, int iterations = Iterations)
    {
        int accepted = 0, refused = 0;
        Exception? failure = null;
        var run = Task.Run(() =>
        {
            var mutator = new Mutator(seed);
            for (int i = 0; i < iterations && failure is null; i++)
            {
                byte[] input = mutator.Mutate(seeds[i % seeds.Count]);
                try
                {
                    read(input);
                    accepted++;
                }
                catch (DlparFormatException)
                {
                    refused++;
                }
                catch (Exception error)
                {
                    failure = new InvalidOperationException(
                        $"iteration {i} (seed {seed}) threw {error.GetType().Name}: {error.Message}\ninput: {Convert.ToHexString(input)}", error);
                }
            }
        });

        Assert.True(run.Wait(HangLimit), $"the reader did not finish {iterations} inputs within {HangLimit}");
        if (failure is not null)
        {
            throw failure;
        }

        Assert.Equal(iterations, accepted + refused);
        Assert.True(refused > 0, "no mutated input was refused: the mutations did not reach the checks");
        return (accepted, refused);
    }
}
