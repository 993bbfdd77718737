using DlparAgent.Emulation.Machine;
using DlparAgent.Emulation.Tests.Support;

namespace DlparAgent.Emulation.Tests;

public class FaultInjectionTests
{
    [Fact]
    public void The_call_after_n_matching_calls_fails_k_times()
    {
        Scenario s = Scenario.FixtureF();
        s.Machine.Faults.Add(new FaultRule { Service = "get-sensor-state", Drc = 0x10000000, After = 1, Times = 2, Kind = FaultKind.Status, Status = -9001 });

        s.Run("get-sensor-state 9003 0x10000001 => 0 1",
            "get-sensor-state 9003 0x10000000 => 0 1",
            "get-sensor-state 9003 0x10000000 => -9001 0",
            "get-sensor-state 9003 0x10000000 => -9001 0",
            "get-sensor-state 9003 0x10000000 => 0 1");
    }

    [Fact]
    public void A_busy_storm_answers_minus_2_then_runs_the_real_call()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug cpu 2");
        s.Machine.Faults.Add(new FaultRule { Service = "set-indicator", Kind = FaultKind.Busy, StormLength = 3 });

        s.Run("set-indicator 9003 0x10000002 1 => -2", "set-indicator 9003 0x10000002 1 => -2", "set-indicator 9003 0x10000002 1 => -2",
            "state 0x10000002 => 1", "set-indicator 9003 0x10000002 1 => 0", "state 0x10000002 => 2", "set-indicator 9001 0x10000002 1 => 0");
    }

    [Fact]
    public void Extended_delay_storms_and_indicator_filters()
    {
        Scenario s = Scenario.FixtureF();
        s.Run("plug cpu 2", "set-indicator 9003 0x10000002 1 => 0");
        s.Machine.Faults.Add(new FaultRule { Service = "set-indicator", Indicator = 9001, Kind = FaultKind.Delay, Status = 9902, StormLength = 2 });

        s.Run("set-indicator 9002 0x40000000 1 => 0", "set-indicator 9001 0x10000002 1 => 9902", "set-indicator 9001 0x10000002 1 => 9902",
            "set-indicator 9001 0x10000002 1 => 0", "state 0x10000002 => 3");
    }

    [Fact]
    public void Isolation_failures_leave_the_state_alone()
    {
        Scenario s = Scenario.FixtureF();
        s.Machine.Faults.Add(new FaultRule { Service = "set-indicator", Indicator = 9001, Drc = 0x10000001, Kind = FaultKind.Status, Status = -9000 });

        s.Run("set-indicator 9001 0x10000001 0 => -9000", "state 0x10000001 => 4", "set-indicator 9001 0x10000001 0 => 0", "state 0x10000001 => 2");
    }

    [Fact]
    public void Configure_connector_faults_match_the_index_in_the_work_area()
    {
        Scenario s = Scenario.FixtureF();
        s.Machine.Faults.Add(new FaultRule { Service = "ibm,configure-connector", Drc = 0x10000001, After = 2, Kind = FaultKind.Status, Status = -9002 });

        s.Run("ibm,configure-connector 0x10000000 => 2 PowerPC,POWER9@0",
            "ibm,configure-connector 0x10000001 => 2 PowerPC,POWER9@1",
            "ibm,configure-connector 0x10000001 => 3 name 506f77657250432c504f57455239403100",
            "ibm,configure-connector 0x10000001 => -9002");
        Assert.Contains("fired 1", s.Machine.Faults[0].Describe(), StringComparison.Ordinal);
    }
}
