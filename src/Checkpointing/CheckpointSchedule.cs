using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Rewind.Interop;

namespace Rewind.Checkpointing;

/// <summary>
/// What a checkpoint policy does for a run of a given number of steps: the states it keeps, what the reverse pass
/// recomputes, and how that compares with the Griewank–Walther optimum. Obtain one from <see cref="CheckpointPolicy.Plan"/>.
/// </summary>
public sealed class CheckpointSchedule
{
    private CheckpointSchedule(in NativeScheduleSummary summary, ReadOnlyCollection<ScheduleAction> actions)
    {
        Steps = summary.Steps;
        Checkpoints = summary.Checkpoints;
        RecomputedSteps = summary.RecomputedSteps;
        OptimalRecomputedSteps = summary.OptimalRecomputedSteps;
        Repetitions = summary.Repetitions;
        PeakCheckpoints = summary.PeakCheckpoints;
        Actions = actions;
    }

    /// <summary>The number of steps of the run, N.</summary>
    public long Steps { get; }

    /// <summary>The states the schedule may hold at once, c (the initial state included); N for policies without a budget.</summary>
    public long Checkpoints { get; }

    /// <summary>The steps one reverse pass takes again (advances and stage recomputations).</summary>
    public long RecomputedSteps { get; }

    /// <summary>The Griewank–Walther minimum for (N, c): r N - C(c + r, c + 1).</summary>
    public long OptimalRecomputedSteps { get; }

    /// <summary>r: the smallest integer with C(c + r, c) &gt;= N, the most times any step is taken in the optimum.</summary>
    public long Repetitions { get; }

    /// <summary>The most checkpoint states the schedule holds at once.</summary>
    public long PeakCheckpoints { get; }

    /// <summary>The forward solve's and then the reverse pass's actions, in order.</summary>
    public IReadOnlyList<ScheduleAction> Actions { get; }

    /// <summary>A header line with the counts, then one line per action.</summary>
    /// <returns>The printed schedule.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(
            CultureInfo.InvariantCulture,
            $"{Steps} steps, {Checkpoints} checkpoints: {RecomputedSteps} recomputed steps (optimum {OptimalRecomputedSteps}, " +
            $"{Repetitions} repetitions), at most {PeakCheckpoints} checkpoints held");
        foreach (var action in Actions)
        {
            text.Append('\n').Append(action.ToString());
        }

        return text.ToString();
    }

    /// <summary>Asks librewind for the schedule <paramref name="type"/> of <paramref name="steps"/> steps and <paramref name="checkpoints"/> states.</summary>
    internal static CheckpointSchedule Compute(string type, long steps, long checkpoints)
    {
        // The first call sizes the action buffer, the second fills it.
        Ensure.Success(NativeMethods.SchedulePlan(type, steps, checkpoints, out _, [], 0, out long count));
        var native = new NativeScheduleAction[count];
        Ensure.Success(NativeMethods.SchedulePlan(type, steps, checkpoints, out NativeScheduleSummary summary, native, count, out _));
        var actions = new ScheduleAction[count];
        for (long i = 0; i < count; i++)
        {
            actions[i] = new ScheduleAction((ScheduleActionKind)native[i].Kind, native[i].Step, native[i].To);
        }

        return new CheckpointSchedule(summary, Array.AsReadOnly(actions));
    }
}
