namespace Rewind.Checkpointing;

/// <summary>Places a fixed number of states without knowing the step count: for adaptive runs of any length.</summary>
internal sealed class OnlineBinomialPolicy(int checkpoints) : CheckpointPolicy("online-binomial", checkpoints)
{
    public override string ToString() => $"{Name}({Budget})";
}
