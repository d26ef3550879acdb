namespace Rewind.Networks;

/// <summary>
/// Training data for a neural ODE: the observed trajectories, the noise-free trajectories they came from (for plots),
/// and how mini-batches are drawn from them. <see cref="NeuralOde.Fit"/> calls <see cref="SampleBatch"/> once per
/// iteration with its seeded <see cref="Random"/>. Two kinds are built in: <see cref="WindowedDataset"/> (series on
/// one regular time grid; a batch is a set of short windows) and <see cref="IrregularDataset"/> (series with their own
/// observation times; a batch is a set of whole series on the union of their times, with a mask). The embedded
/// datasets are made by <see cref="Datasets"/>.
/// </summary>
public abstract class Dataset
{
    /// <summary>Creates the dataset.</summary>
    /// <param name="name">A short name, e.g. <c>"spiral"</c>.</param>
    /// <param name="dimension">The values per state; at least 1.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    protected Dataset(string name, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Name = name;
        Dimension = dimension;
    }

    /// <summary>A short name, e.g. <c>"spiral"</c>.</summary>
    public string Name { get; }

    /// <summary>The values per state: the network's input and output size.</summary>
    public int Dimension { get; }

    /// <summary>A one-line description of the data and how batches are formed.</summary>
    public virtual string Description => Name;

    /// <summary>The training data: one trajectory per observed series (noisy, if the dataset adds noise; NaN marks a missing value).</summary>
    public abstract IReadOnlyList<Trajectory> Observations { get; }

    /// <summary>
    /// The noise-free trajectories the observations were sampled from, one per series, on a grid at least as fine as
    /// the observations' (the same trajectories as <see cref="Observations"/> for data without a known truth). Each
    /// starts at the series' start time with its initial state, so <see cref="NeuralOde.Predict(Dataset, CancellationToken)"/>
    /// can draw the model's trajectory next to it.
    /// </summary>
    public abstract IReadOnlyList<Trajectory> GroundTruth { get; }

    /// <summary>The number of distinct batch members a batch draws from (windows or series): the largest batch size.</summary>
    public abstract int SampleCount { get; }

    /// <summary>Draws a batch of <paramref name="batchSize"/> distinct members (without replacement) from <paramref name="random"/>.</summary>
    /// <param name="batchSize">Between 1 and <see cref="SampleCount"/>.</param>
    /// <param name="random">The source of random numbers; the same state gives the same batch.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    public abstract TrainingBatch SampleBatch(int batchSize, Random random);

    /// <summary>Every series from its start to its end as one batch: the data for an evaluation of the model's fit.</summary>
    /// <returns>The batch.</returns>
    public abstract TrainingBatch FullBatch();

    /// <summary>The <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;

    /// <summary>The ground truth a dataset reports: <paramref name="groundTruth"/> checked against the observations, or the observations themselves.</summary>
    /// <param name="observations">The observed series.</param>
    /// <param name="groundTruth">The noise-free series, one per observed series, or null.</param>
    /// <returns>The series to report as ground truth.</returns>
    /// <exception cref="ArgumentException">The counts differ, or a series is null or of another dimension.</exception>
    protected Trajectory[] GroundTruthFor(Trajectory[] observations, IReadOnlyList<Trajectory>? groundTruth)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (groundTruth is null)
        {
            return observations;
        }

        Trajectory[] truth = [.. groundTruth];
        if (truth.Length != observations.Length)
        {
            throw new ArgumentException($"groundTruth has {truth.Length} series; observations has {observations.Length}.", nameof(groundTruth));
        }

        if (truth.Any(t => t is null || t.Dimension != Dimension))
        {
            throw new ArgumentException($"A groundTruth series is null or not of dimension {Dimension}.", nameof(groundTruth));
        }

        return truth;
    }
}
