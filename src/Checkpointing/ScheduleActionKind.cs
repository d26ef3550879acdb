namespace Rewind.Checkpointing;

/// <summary>What one step of a <see cref="CheckpointSchedule"/> does (numbered as librewind's <c>RWD_ACTION_*</c>).</summary>
public enum ScheduleActionKind
{
    /// <summary>The forward solve takes steps [<see cref="ScheduleAction.Step"/>, <see cref="ScheduleAction.To"/>).</summary>
    Forward = 0,

    /// <summary>The current state, the state at <see cref="ScheduleAction.Step"/>, is kept as a checkpoint.</summary>
    Store = 1,

    /// <summary>Checkpoint <see cref="ScheduleAction.Step"/> becomes the current state.</summary>
    Restore = 2,

    /// <summary>Steps [<see cref="ScheduleAction.Step"/>, <see cref="ScheduleAction.To"/>) are recomputed from the current state.</summary>
    Advance = 3,

    /// <summary>The adjoint of step <see cref="ScheduleAction.Step"/>; <see cref="ScheduleAction.To"/> is 1 if its stages are recomputed first, 0 if they were kept.</summary>
    Reverse = 4,

    /// <summary>Checkpoint <see cref="ScheduleAction.Step"/> is dropped.</summary>
    Free = 5,
}
