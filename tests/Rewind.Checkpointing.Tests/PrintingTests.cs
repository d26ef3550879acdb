using System.Text.RegularExpressions;
using Rewind.Checkpointing;

namespace RewindTests.Checkpoints;

/// <summary>Schedules print a header with their counts and one line per action; policies print their budget.</summary>
public sealed partial class PrintingTests
{
    [Fact]
    public void ScheduleHeaderGivesTheCounts()
    {
        var schedule = Checkpointing.Binomial(3).Plan(10);
        var header = schedule.ToString().Split('\n')[0];
        Assert.Equal(
            "10 steps, 3 checkpoints: 15 recomputed steps (optimum 15, 2 repetitions), at most 3 checkpoints held", header);
    }

    [Theory]
    [InlineData("binomial(2)", 9)]
    [InlineData("online-binomial(3)", 40)]
    [InlineData("solution-only", 5)]
    [InlineData("store-all", 4)]
    public void ScheduleHasOneLinePerActionInItsFormat(string policyName, long steps)
    {
        var schedule = Policies.Get(policyName).Plan(steps);
        var lines = schedule.ToString().Split('\n');
        Assert.Equal(schedule.Actions.Count + 1, lines.Length);
        for (var i = 0; i < schedule.Actions.Count; i++)
        {
            var action = schedule.Actions[i];
            var line = lines[i + 1];
            Assert.Equal(action.ToString(), line);
            var match = ActionLine().Match(line);
            Assert.True(match.Success, line);
            Assert.Equal(action.Kind.ToString().ToUpperInvariant(), match.Groups["kind"].Value.ToUpperInvariant());
            Assert.Equal(action.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), match.Groups["step"].Value);
        }
    }

    [Fact]
    public void ActionsPrintAsTheContractSays()
    {
        Assert.Equal("forward 0..12", new ScheduleAction(ScheduleActionKind.Forward, 0, 12).ToString());
        Assert.Equal("store 12", new ScheduleAction(ScheduleActionKind.Store, 12, 0).ToString());
        Assert.Equal("restore 12", new ScheduleAction(ScheduleActionKind.Restore, 12, 0).ToString());
        Assert.Equal("advance 12..18", new ScheduleAction(ScheduleActionKind.Advance, 12, 18).ToString());
        Assert.Equal("reverse 17 (stages recomputed)", new ScheduleAction(ScheduleActionKind.Reverse, 17, 1).ToString());
        Assert.Equal("reverse 17 (stages kept)", new ScheduleAction(ScheduleActionKind.Reverse, 17, 0).ToString());
        Assert.Equal("free 12", new ScheduleAction(ScheduleActionKind.Free, 12, 0).ToString());
        Assert.True(new ScheduleAction(ScheduleActionKind.Reverse, 17, 1).RecomputesStages);
        Assert.False(new ScheduleAction(ScheduleActionKind.Advance, 17, 1).RecomputesStages);
    }

    [Fact]
    public void SmallBinomialScheduleReadsAsExpected()
    {
        // Two steps, one checkpoint: keep y0, take both steps (the last one's stages stay), reverse step 1, then
        // restore y0 and reverse step 0 after recomputing its stages: one recomputed step.
        var schedule = Checkpointing.Binomial(1).Plan(2);
        Assert.Equal(1, schedule.RecomputedSteps);
        Assert.Equal(
            [
                new ScheduleAction(ScheduleActionKind.Store, 0, 0),
                new ScheduleAction(ScheduleActionKind.Forward, 0, 2),
                new ScheduleAction(ScheduleActionKind.Reverse, 1, 0),
                new ScheduleAction(ScheduleActionKind.Restore, 0, 0),
                new ScheduleAction(ScheduleActionKind.Reverse, 0, 1),
            ],
            schedule.Actions.Where(a => a.Kind != ScheduleActionKind.Free));
    }

    [Fact]
    public void PoliciesDescribeThemselves()
    {
        AssertPolicy(Checkpointing.StoreAll, "store-all", "store-all", 0, 0, null, 0);
        AssertPolicy(Checkpointing.SolutionOnly, "solution-only", "solution-only", 0, 0, null, 0);
        AssertPolicy(Checkpointing.Binomial(16), "binomial", "binomial(16)", 16, 0, null, 0);
        AssertPolicy(Checkpointing.Binomial(4, plannedSteps: 1000), "binomial", "binomial(4, planned for 1000 steps)", 4, 0, null, 1000);
        AssertPolicy(Checkpointing.OnlineBinomial(8), "online-binomial", "online-binomial(8)", 8, 0, null, 0);
        AssertPolicy(Checkpointing.Multilevel(4, 8, "/tmp/x"), "multilevel", "multilevel(4 RAM + 8 disk in /tmp/x)", 4, 8, "/tmp/x", 0);
        AssertPolicy(Checkpointing.Multilevel(0, 3, "/tmp/y"), "multilevel", "multilevel(0 RAM + 3 disk in /tmp/y)", 0, 3, "/tmp/y", 0);
        Assert.Same(Checkpointing.StoreAll, Checkpointing.StoreAll);
        Assert.Same(Checkpointing.SolutionOnly, Checkpointing.SolutionOnly);
    }

    private static void AssertPolicy(
        CheckpointPolicy policy, string name, string text, long budget, long disk, string? directory, long planned)
    {
        Assert.Equal(name, policy.Name);
        Assert.Equal(text, policy.ToString());
        Assert.Equal(budget, policy.Budget);
        Assert.Equal(disk, policy.DiskCheckpoints);
        Assert.Equal(directory, policy.Directory);
        Assert.Equal(planned, policy.PlannedSteps);
    }

    [GeneratedRegex(@"^(?<kind>forward|store|restore|advance|reverse|free) (?<step>\d+)(\.\.\d+| \(stages (recomputed|kept)\))?$")]
    private static partial Regex ActionLine();
}
