namespace Rewind.Checkpointing;

/// <summary>One action of a <see cref="CheckpointSchedule"/>.</summary>
/// <param name="Kind">What the action does.</param>
/// <param name="Step">The step (or first step) it acts on.</param>
/// <param name="To">For <see cref="ScheduleActionKind.Forward"/> and <see cref="ScheduleActionKind.Advance"/>, the step it
/// stops at (exclusive); for <see cref="ScheduleActionKind.Reverse"/>, 1 if the step's stages are recomputed first; else 0.</param>
public readonly record struct ScheduleAction(ScheduleActionKind Kind, long Step, long To)
{
    /// <summary>Whether a <see cref="ScheduleActionKind.Reverse"/> action recomputes the step's stages before reversing it.</summary>
    public bool RecomputesStages => Kind == ScheduleActionKind.Reverse && To == 1;

    /// <summary>The action as one line, e.g. <c>"advance 12..18"</c> or <c>"reverse 17 (stages recomputed)"</c>.</summary>
    /// <returns>The action's description.</returns>
    public override string ToString() => Kind switch
    {
        ScheduleActionKind.Forward => $"forward {Step}..{To}",
        ScheduleActionKind.Store => $"store {Step}",
        ScheduleActionKind.Restore => $"restore {Step}",
        ScheduleActionKind.Advance => $"advance {Step}..{To}",
        ScheduleActionKind.Reverse => RecomputesStages ? $"reverse {Step} (stages recomputed)" : $"reverse {Step} (stages kept)",
        ScheduleActionKind.Free => $"free {Step}",
        _ => $"{Kind} {Step} {To}",
    };
}
