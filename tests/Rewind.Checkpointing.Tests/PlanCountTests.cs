using Rewind.Checkpointing;

namespace RewindTests.Checkpoints;

/// <summary>The counts of plans: binomial is the Griewank–Walther optimum, the others relate to it as they must.</summary>
public sealed class PlanCountTests
{
    private static readonly long[] StepCounts = [1, 2, 3, 4, 5, 9, 10, 11, 20, 21, 35, 36, 56, 64, 100, 120, 255, 256, 300, 1000];

    private static readonly int[] Budgets = [1, 2, 3, 4, 5, 6, 7, 8, 16];

    [Fact]
    public void BinomialRecomputesTheClosedFormOptimum()
    {
        foreach (var c in Budgets)
        {
            foreach (var n in StepCounts)
            {
                var schedule = Checkpointing.Binomial(c).Plan(n);
                var expected = GriewankWalther.MinimumRecomputedSteps(n, c);
                var label = $"N = {n}, c = {c}: {Header(schedule)}";
                Assert.True(expected == schedule.RecomputedSteps, $"{label}; optimum {expected}");
                Assert.True(expected == schedule.OptimalRecomputedSteps, $"{label}; optimum {expected}");
                Assert.True(GriewankWalther.Repetitions(n, c) == schedule.Repetitions, label);
                Assert.True(schedule.PeakCheckpoints <= c, label);
                Assert.Equal(c, schedule.Checkpoints);
            }
        }
    }

    [Theory]
    [InlineData(10, 1, 9, 45)]
    [InlineData(10, 2, 3, 20)]
    [InlineData(10, 3, 2, 15)]
    [InlineData(100, 2, 13, 845)]
    [InlineData(100, 5, 4, 316)]
    [InlineData(1000, 8, 5, 4285)]
    [InlineData(1000, 16, 4, 2860)]
    [InlineData(10000, 10, 7, 57624)]
    [InlineData(7, 7, 1, 6)]
    [InlineData(1, 4, 0, 0)]
    public void BinomialMatchesTheTableWorkedByHand(long steps, int checkpoints, long repetitions, long recomputed)
    {
        // r N - C(c + r, c + 1); e.g. N = 100, c = 5: C(9, 5) = 126 >= 100 > C(8, 5) = 56, so r = 4 and 400 - C(9, 6) = 316.
        Assert.Equal(recomputed, GriewankWalther.MinimumRecomputedSteps(steps, checkpoints));
        Assert.Equal(repetitions, GriewankWalther.Repetitions(steps, checkpoints));
        var schedule = Checkpointing.Binomial(checkpoints).Plan(steps);
        Assert.Equal(repetitions, schedule.Repetitions);
        Assert.Equal(recomputed, schedule.RecomputedSteps);
        Assert.Equal(recomputed, schedule.OptimalRecomputedSteps);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(50)]
    [InlineData(1000)]
    public void StoreAllRecomputesNothingAndSolutionOnlyEveryStepButTheLast(long steps)
    {
        var all = Checkpointing.StoreAll.Plan(steps);
        Assert.Equal(0, all.RecomputedSteps);
        Assert.Equal(steps, all.Checkpoints);
        Assert.Equal(steps, all.PeakCheckpoints);
        var states = Checkpointing.SolutionOnly.Plan(steps);
        Assert.Equal(steps - 1, states.RecomputedSteps);
        Assert.Equal(steps, states.Checkpoints);
        Assert.Equal(steps, states.PeakCheckpoints);
    }

    [Fact]
    public void OnlineBinomialStaysWithinItsBudgetAndNeverBeatsTheOptimum()
    {
        foreach (var c in Budgets)
        {
            foreach (var n in StepCounts)
            {
                var schedule = Checkpointing.OnlineBinomial(c).Plan(n);
                var label = $"N = {n}, c = {c}: {Header(schedule)}";
                Assert.True(schedule.PeakCheckpoints <= c, label);
                Assert.True(GriewankWalther.MinimumRecomputedSteps(n, c) == schedule.OptimalRecomputedSteps, label);
                Assert.True(schedule.RecomputedSteps >= schedule.OptimalRecomputedSteps, label);
            }
        }
    }

    [Fact]
    public void MultilevelPlansAsBinomialOverRamAndDisk()
    {
        foreach (var (ram, disk) in new[] { (0, 1), (1, 2), (0, 3), (4, 4) })
        {
            foreach (var n in StepCounts)
            {
                var multilevel = Checkpointing.Multilevel(ram, disk, Policies.UnusedDirectory).Plan(n);
                var binomial = Checkpointing.Binomial(ram + disk).Plan(n);
                Assert.Equal(binomial.ToString(), multilevel.ToString());
                Assert.Equal(binomial.Actions, multilevel.Actions);
            }
        }
    }

    [Fact]
    public void PlannedBinomialFollowsThePlannedCount()
    {
        var planned = Checkpointing.Binomial(4, plannedSteps: 60);
        var expected = Checkpointing.Binomial(4).Plan(60);
        foreach (var steps in new long[] { 1, 59, 60 })
        {
            var schedule = planned.Plan(steps);
            Assert.Equal(60, schedule.Steps);
            Assert.Equal(expected.Actions, schedule.Actions);
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => planned.Plan(61));
        Assert.Equal("steps", ex.ParamName);
        Assert.Contains("planned for 60 steps", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlanNeedsAtLeastOneStep()
    {
        foreach (var name in Policies.Names)
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Policies.Get(name).Plan(0));
            Assert.Equal("steps", ex.ParamName);
        }
    }

    private static string Header(CheckpointSchedule schedule) => schedule.ToString().Split('\n')[0];
}
