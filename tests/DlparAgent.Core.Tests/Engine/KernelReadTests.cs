using System.Reflection;
using DlparAgent.Core.Engine;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// The partition view is read once per operation and refreshed only where a step changed it: on a
/// real partition each read walks the whole of /proc/device-tree.
/// </summary>
public sealed class KernelReadTests
{
    [Theory]
    [InlineData("-", "memory add count 8", 2)]
    [InlineData("-", "memory remove count 4", 2)]
    [InlineData("memory,cpu,dt", "memory add count 8", 2)]
    [InlineData("-", "cpu add count 1", 2)]
    // Through the kernel each CPU's write changes the tree, which is read again to tidy its connector.
    [InlineData("memory,cpu,dt", "cpu add count 2", 4)]
    public void An_operation_reads_the_device_tree_a_bounded_number_of_times(string kernel, string request, int reads)
    {
        var h = new EngineHarness(kernel, p => p with { BootCpus = 1 });
        h.Assign(cores: 3, memory: 4 * MachineProfile.GiB);
        if (request.Contains("remove", StringComparison.Ordinal))
        {
            Assert.True(h.Run("memory add count 8").Complete);
        }

        IGuestKernel counting = CountingKernel.Wrap(h.Partition.Kernel, out Dictionary<string, int> calls);
        var engine = new DlparEngine(h.Partition.Platform, counting, new MemoryJournal(), new EngineOptions { Sleep = _ => { }, RandomSeed = 7,
            Clock = FixedClock.Default });

        Assert.True(engine.Execute(RequestGrammar.Parse(request).Request).Complete);

        Assert.InRange(calls.GetValueOrDefault(nameof(IGuestKernel.ReadDeviceTree)), 1, reads);
    }

    /// <summary>Forwards every kernel call and counts them by name.</summary>
    public class CountingKernel : DispatchProxy
    {
        private IGuestKernel _inner = null!;
        private Dictionary<string, int> _calls = null!;

        public static IGuestKernel Wrap(IGuestKernel inner, out Dictionary<string, int> calls)
        {
            IGuestKernel proxy = Create<IGuestKernel, CountingKernel>();
            var counting = (CountingKernel)(object)proxy;
            counting._inner = inner;
            counting._calls = calls = [];
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            _calls[targetMethod.Name] = _calls.GetValueOrDefault(targetMethod.Name) + 1;
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException error) when (error.InnerException is { } inner)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        }
    }
}
