namespace Rewind.Checkpointing;

/// <summary>
/// What the forward solve keeps for the reverse pass, and how much: a native trajectory type and its budget.
/// Obtain one from <see cref="Checkpointing"/>.
/// </summary>
public abstract class CheckpointPolicy
{
    // Only this assembly defines policies: each must name a trajectory type librewind implements.
    private protected CheckpointPolicy(string name, long budget)
    {
        Name = name;
        Budget = budget;
    }

    /// <summary>The native trajectory type, e.g. <c>"store-all"</c> or <c>"binomial"</c>.</summary>
    public string Name { get; }

    /// <summary>The number of states the policy may keep in RAM (the initial state included); 0 for policies without a budget.</summary>
    public long Budget { get; }

    /// <summary>The number of states the policy may keep in files; 0 unless it is <see cref="Checkpointing.Multilevel"/>.</summary>
    public virtual long DiskCheckpoints => 0;

    /// <summary>The directory of the checkpoint files; null unless the policy is <see cref="Checkpointing.Multilevel"/>.</summary>
    public virtual string? Directory => null;

    /// <summary>The step count the checkpoints are placed for before the solve starts; 0 if none was given.</summary>
    public virtual long PlannedSteps => 0;

    /// <summary>
    /// The schedule this policy follows for a run of <paramref name="steps"/> steps whose count the solver knows
    /// (a fixed-step solve): which states it keeps and how the reverse pass recomputes the rest. An adaptive solve
    /// without <see cref="PlannedSteps"/> places its checkpoints as <see cref="Checkpointing.OnlineBinomial"/> does.
    /// A policy with <see cref="PlannedSteps"/> places its checkpoints for that count whatever the run's length, so
    /// its plan is the one for <see cref="PlannedSteps"/> steps.
    /// </summary>
    /// <param name="steps">The number of steps of the run; at least 1.</param>
    /// <returns>The schedule's counts and actions.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 1, or more than <see cref="PlannedSteps"/>.</exception>
    public CheckpointSchedule Plan(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return PlanValidated(steps);
    }

    /// <summary>Returns the policy and its budget, e.g. <c>"binomial(16)"</c>.</summary>
    /// <returns>The policy's description.</returns>
    public override string ToString() => Name;

    /// <summary>The schedule for <paramref name="steps"/> (at least 1); by default the native schedule of <see cref="Name"/> with <see cref="Budget"/>.</summary>
    private protected virtual CheckpointSchedule PlanValidated(long steps) => CheckpointSchedule.Compute(Name, steps, Budget);
}
