namespace Rewind.Checkpointing;

/// <summary>States in RAM plus states in files under a directory, placed as binomial over both.</summary>
internal sealed class MultilevelPolicy : CheckpointPolicy
{
    // librewind plans a multilevel run as binomial with the RAM and disk slots together.
    private const string ScheduleName = "binomial";

    private readonly int diskCheckpoints;
    private readonly string directory;

    internal MultilevelPolicy(int ram, int disk, string directory)
        : base("multilevel", ram)
    {
        diskCheckpoints = disk;
        this.directory = directory;
    }

    public override long DiskCheckpoints => diskCheckpoints;

    public override string Directory => directory;

    public override string ToString() => $"{Name}({Budget} RAM + {diskCheckpoints} disk in {directory})";

    private protected override CheckpointSchedule PlanValidated(long steps) =>
        CheckpointSchedule.Compute(ScheduleName, steps, Budget + diskCheckpoints);
}
