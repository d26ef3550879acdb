namespace Rewind.Checkpointing;

/// <summary>The available checkpoint policies.</summary>
public static class Checkpointing
{
    /// <summary>Keeps every accepted step and its stages (native <c>"store-all"</c>); memory grows with the steps.</summary>
    public static CheckpointPolicy StoreAll => StoreAllPolicy.Instance;
}
