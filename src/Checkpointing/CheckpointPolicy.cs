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

    /// <summary>The native trajectory type, e.g. <c>"store-all"</c>.</summary>
    public string Name { get; }

    /// <summary>The number of checkpoints the policy may hold; 0 for policies without a budget.</summary>
    public long Budget { get; }

    /// <summary>Returns the trajectory type, e.g. <c>"store-all"</c>.</summary>
    /// <returns>The policy's name.</returns>
    public override string ToString() => Name;
}
