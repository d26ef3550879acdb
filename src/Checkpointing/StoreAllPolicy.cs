namespace Rewind.Checkpointing;

/// <summary>Keeps every step and stage: the most memory, no recomputation; the reference for other policies.</summary>
internal sealed class StoreAllPolicy : CheckpointPolicy
{
    internal static readonly StoreAllPolicy Instance = new();

    private StoreAllPolicy()
        : base("store-all", budget: 0)
    {
    }
}
