using Rewind.Checkpointing;

namespace RewindTests.Checkpoints;

/// <summary>Every plan can be carried out as written, within its budget, and its counts are what its actions do.</summary>
public sealed class ScheduleExecutionTests
{
    private static readonly long[] StepCounts = [1, 2, 3, 7, 10, 64, 65, 100, 333];

    public static TheoryData<string, long> PoliciesAndStepCounts
    {
        get
        {
            var data = new TheoryData<string, long>();
            foreach (var name in Policies.Names)
            {
                foreach (var steps in StepCounts)
                {
                    data.Add(name, steps);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(PoliciesAndStepCounts))]
    public void PlanIsExecutableAndCountsWhatItDoes(string policyName, long steps)
    {
        var policy = Policies.Get(policyName);
        var schedule = policy.Plan(steps);
        Assert.Equal(steps, schedule.Steps);
        var budgeted = policy.Budget + policy.DiskCheckpoints > 0;
        Assert.Equal(budgeted ? policy.Budget + policy.DiskCheckpoints : steps, schedule.Checkpoints);

        var counts = ScheduleExecution.Run(schedule);

        Assert.Equal(schedule.RecomputedSteps, counts.RecomputedSteps);
        Assert.Equal(schedule.PeakCheckpoints, counts.PeakCheckpoints);
        Assert.True(schedule.PeakCheckpoints <= schedule.Checkpoints, schedule.ToString());
        // Store-all keeps every step's stages; every other policy keeps only the last step's, from the forward solve.
        IEnumerable<long> expectedKept = policy == Checkpointing.StoreAll ? Descending(steps) : [steps - 1];
        Assert.Equal(expectedKept, counts.StagesKept);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(50)]
    public void PlannedBinomialIsExecutable(long steps)
    {
        var schedule = Checkpointing.Binomial(3, plannedSteps: 50).Plan(steps);
        var counts = ScheduleExecution.Run(schedule);
        Assert.Equal(schedule.RecomputedSteps, counts.RecomputedSteps);
        Assert.True(counts.PeakCheckpoints <= 3, schedule.ToString());
    }

    private static IEnumerable<long> Descending(long steps)
    {
        for (var step = steps - 1; step >= 0; step--)
        {
            yield return step;
        }
    }
}
