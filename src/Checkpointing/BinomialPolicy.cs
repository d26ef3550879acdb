namespace Rewind.Checkpointing;

/// <summary>Revolve's offline placement of a fixed number of states for a step count known before the reverse pass.</summary>
internal sealed class BinomialPolicy : CheckpointPolicy
{
    private readonly long plannedSteps;

    internal BinomialPolicy(int checkpoints, long plannedSteps)
        : base("binomial", checkpoints) => this.plannedSteps = plannedSteps;

    public override long PlannedSteps => plannedSteps;

    public override string ToString() =>
        plannedSteps > 0 ? $"{Name}({Budget}, planned for {plannedSteps} steps)" : $"{Name}({Budget})";

    // The solve places its states for the planned count whatever the run's length, so that is the plan it follows;
    // a longer run fails in the solve, and asking for its plan fails the same way.
    private protected override CheckpointSchedule PlanValidated(long steps)
    {
        if (plannedSteps == 0)
        {
            return base.PlanValidated(steps);
        }

        if (steps > plannedSteps)
        {
            throw new ArgumentOutOfRangeException(
                nameof(steps), steps, $"The binomial schedule was planned for {plannedSteps} steps; a run of {steps} steps needs more.");
        }

        return CheckpointSchedule.Compute(Name, plannedSteps, Budget);
    }
}
