namespace Rewind.Checkpointing;

/// <summary>Keeps every step's state but not its stages: the reverse pass recomputes each step but the last once.</summary>
internal sealed class SolutionOnlyPolicy : CheckpointPolicy
{
    internal static readonly SolutionOnlyPolicy Instance = new();

    private SolutionOnlyPolicy()
        : base("solution-only", budget: 0)
    {
    }
}
