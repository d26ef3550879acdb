using Rewind.Checkpointing;

namespace RewindTests.Checkpoints;

/// <summary>What running a schedule on <see cref="ScheduleExecution"/>'s model of the trajectory counted.</summary>
/// <param name="RecomputedSteps">Advanced steps plus reversals that recomputed their stages.</param>
/// <param name="PeakCheckpoints">The most checkpoints held at once.</param>
/// <param name="StagesKept">The steps reversed from stages the forward solve kept.</param>
internal sealed record ExecutionCounts(long RecomputedSteps, long PeakCheckpoints, IReadOnlyList<long> StagesKept);

/// <summary>
/// Runs a schedule's actions on a model of the trajectory (which state is current, which are held) and fails at the
/// first action that could not be carried out: the forward solve runs once from 0 to N in order; a store keeps the
/// current state; restores and frees name held checkpoints; an advance starts from the current state; every step is
/// reversed exactly once, from N - 1 down to 0, and a step whose stages are recomputed is reversed from its own
/// state; no more than the schedule's budget of checkpoints is ever held.
/// </summary>
internal static class ScheduleExecution
{
    public static ExecutionCounts Run(CheckpointSchedule schedule)
    {
        var held = new HashSet<long>();
        var stagesKept = new List<long>();
        long current = 0, forwardReached = 0, nextReverse = schedule.Steps - 1, recomputed = 0, peak = 0;
        foreach (var action in schedule.Actions)
        {
            var where = $"at '{action}'";
            switch (action.Kind)
            {
                case ScheduleActionKind.Forward:
                    Assert.True(action.Step == forwardReached && action.To > action.Step && action.To <= schedule.Steps, where);
                    Assert.True(nextReverse == schedule.Steps - 1, $"{where}: forward after the reverse pass began");
                    forwardReached = current = action.To;
                    break;
                case ScheduleActionKind.Store:
                    Assert.True(action.Step == current, $"{where}: the current state is {current}");
                    Assert.True(held.Add(action.Step), $"{where}: already held");
                    peak = Math.Max(peak, held.Count);
                    Assert.True(held.Count <= schedule.Checkpoints, $"{where}: {held.Count} checkpoints held, budget {schedule.Checkpoints}");
                    break;
                case ScheduleActionKind.Restore:
                    Assert.True(held.Contains(action.Step), $"{where}: not held");
                    current = action.Step;
                    break;
                case ScheduleActionKind.Free:
                    Assert.True(held.Remove(action.Step), $"{where}: not held");
                    break;
                case ScheduleActionKind.Advance:
                    Assert.True(action.Step == current, $"{where}: the current state is {current}");
                    Assert.True(action.To > action.Step && action.To <= nextReverse, $"{where}: the next step to reverse is {nextReverse}");
                    recomputed += action.To - action.Step;
                    current = action.To;
                    break;
                case ScheduleActionKind.Reverse:
                    Assert.True(forwardReached == schedule.Steps, $"{where}: the forward solve stopped at {forwardReached}");
                    Assert.True(action.Step == nextReverse, $"{where}: the next step to reverse is {nextReverse}");
                    if (action.RecomputesStages)
                    {
                        Assert.True(current == action.Step, $"{where}: the current state is {current}");
                        recomputed++;
                    }
                    else
                    {
                        Assert.Equal(0, action.To);
                        stagesKept.Add(action.Step);
                    }

                    nextReverse--;
                    break;
                default:
                    Assert.Fail($"{where}: unknown kind");
                    break;
            }
        }

        Assert.True(nextReverse == -1, $"steps 0..{nextReverse} were never reversed");
        return new ExecutionCounts(recomputed, peak, stagesKept);
    }
}
