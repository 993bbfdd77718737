using DlparAgent.Core.Engine;
using DlparAgent.Core.Kernel;
using DlparAgent.Core.Requests;
using DlparAgent.Emulation.Kernel;

namespace DlparAgent.Core.Tests.Engine;

/// <summary>
/// drmgr's <c>-p ent_capacity|variable_weight</c> over the emulated lparcfg: Linux's parsing and a
/// hypervisor with limits. One write per request, the errno reported, the value set read back.
/// </summary>
public sealed class EntitlementUpdateTests
{
    private readonly List<string> _writes = [];

    [Theory]
    [InlineData(DlparAction.Add, 50, 200)]
    [InlineData(DlparAction.Remove, 100, 50)]
    public void Processing_units_change_by_the_quantity_with_one_write(DlparAction action, ulong quantity, ulong expected)
    {
        EmulatedKernel kernel = Kernel(new EntitlementLimits());

        EntitlementResult result = EntitlementUpdate.Apply(kernel, DlparResource.Cpu, "ent_capacity", action, quantity);

        Assert.Equal(new EntitlementResult("partition_entitled_capacity", 150, expected, expected), result);
        Assert.Equal([$"partition_entitled_capacity={expected}"], _writes);
        Assert.Equal(expected, kernel.Lparcfg!.Capacity);
    }

    [Fact]
    public void A_request_beyond_what_the_pool_can_give_is_constrained_and_reported_as_set()
    {
        EmulatedKernel kernel = Kernel(new EntitlementLimits { PoolAvailable = 100 });

        EntitlementResult result = EntitlementUpdate.Apply(kernel, DlparResource.Cpu, "ent_capacity", DlparAction.Add, 300);

        Assert.Equal((150UL, 450UL, 250UL, true), (result.Before, result.Asked, result.After, result.Constrained));
    }

    [Fact]
    public void A_removal_larger_than_the_current_value_is_refused_before_any_write()
    {
        EmulatedKernel kernel = Kernel(new EntitlementLimits());

        var error = Assert.Throws<EntitlementException>(() => EntitlementUpdate.Apply(kernel, DlparResource.Cpu, "ent_capacity", DlparAction.Remove, 151));

        Assert.Equal(EntitlementProblem.TooLarge, error.Problem);
        Assert.Contains("current value 150, asked to remove 151", error.Message, StringComparison.Ordinal);
        Assert.Empty(_writes);
    }

    [Fact]
    public void A_weight_past_255_is_refused_rather_than_cut_to_its_low_byte_as_the_kernel_would()
    {
        EmulatedKernel kernel = Kernel(new EntitlementLimits());

        var error = Assert.Throws<EntitlementException>(() => EntitlementUpdate.Apply(kernel, DlparResource.Cpu, "variable_weight", DlparAction.Add, 200));

        Assert.Equal(EntitlementProblem.TooLarge, error.Problem);
        Assert.Empty(_writes);
        Assert.Equal(128UL, kernel.Lparcfg!.Weight);
    }

    [Theory]
    [InlineData(true, 750UL, "outside the partition's range 10 to 800: Invalid argument")]
    [InlineData(false, 50UL, "a dedicated-processor partition cannot change its entitlement: Invalid argument")]
    public void The_hypervisors_refusal_is_reported_with_the_errno_and_changes_nothing(bool shared, ulong quantity, string message)
    {
        EmulatedKernel kernel = Kernel(new EntitlementLimits { SharedProcessor = shared, PoolAvailable = 1000 });

        var error = Assert.Throws<EntitlementException>(() => EntitlementUpdate.Apply(kernel, DlparResource.Cpu, "ent_capacity", DlparAction.Add,
            quantity));

        Assert.Equal(EntitlementProblem.Refused, error.Problem);
        Assert.EndsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(150UL, kernel.Lparcfg!.Capacity);
    }

    [Fact]
    public void Memory_entitlement_needs_active_memory_sharing()
    {
        var error = Assert.Throws<EntitlementException>(() =>
            EntitlementUpdate.Apply(Kernel(new EntitlementLimits()), DlparResource.Memory, "ent_capacity", DlparAction.Add, 1));
        Assert.Equal(EntitlementProblem.Unsupported, error.Problem);
        Assert.StartsWith("Memory entitlement capability is not enabled on this platform", error.Message, StringComparison.Ordinal);

        EmulatedKernel shared = Kernel(new EntitlementLimits { ActiveMemorySharing = true });
        EntitlementResult result = EntitlementUpdate.Apply(shared, DlparResource.Memory, "variable_weight", DlparAction.Remove, 14);
        Assert.Equal(new EntitlementResult("entitled_memory_weight", 64, 50, 50), result);
    }

    [Fact]
    public void Without_lparcfg_the_capability_is_not_enabled()
    {
        var kernel = new EngineHarness("memory,cpu,dt").Partition.Kernel;

        var error = Assert.Throws<EntitlementException>(() => EntitlementUpdate.Apply(kernel, DlparResource.Cpu, "ent_capacity", DlparAction.Add, 1));

        Assert.Equal("CPU entitlement capability is not enabled on this platform (the kernel has no lparcfg)", error.Message);
    }

    [Theory]
    [InlineData("partition_entitled_capacity=200\n", null, 200UL)]
    [InlineData("partition_entitled_capacity=200xyz\n", null, 200UL)]
    [InlineData("partition_entitled_capacity=200", null, 20UL)]
    [InlineData("partition_entitled_capacity=x\n", Errno.EINVAL, 150UL)]
    [InlineData("partition_entitled_capacity 200\n", Errno.EINVAL, 150UL)]
    [InlineData("processing_units=200\n", Errno.EINVAL, 150UL)]
    [InlineData("partition_entitled_capacity=00000000000000000000000000000000000000000200\n", Errno.EINVAL, 150UL)]
    public void Writes_are_parsed_as_linux_parses_them(string write, Errno? errno, ulong capacity)
    {
        var file = new EmulatedLparcfg(new EntitlementLimits());

        KernelException? error = Record.Exception(() => file.Write(System.Text.Encoding.ASCII.GetBytes(write))) as KernelException;

        Assert.Equal(errno, error?.Errno);
        Assert.Equal(capacity, file.Capacity);
    }

    private EmulatedKernel Kernel(EntitlementLimits limits)
    {
        EmulatedKernel kernel = new EngineHarness("memory,cpu,dt").Partition.Kernel;
        kernel.Lparcfg = new EmulatedLparcfg(limits);
        kernel.WriteFault = (write, argument) =>
        {
            if (write == "lparcfg")
            {
                _writes.Add(argument);
            }

            return null;
        };
        return kernel;
    }
}
