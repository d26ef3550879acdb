using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// Irregularly sampled series: each has its own observation times, all starting at the same t_0 with a fully
/// observed initial state, and may miss values (NaN). A batch member is a whole series, chosen uniformly without
/// replacement; the batch's output times are the union of its members' observation times (sorted, equal times
/// merged), and its <see cref="TrainingBatch.Mask"/> marks, at each of those times, the entries of the members that
/// observed them (and whose value is not NaN). The solve starts every member from its initial state at t_0 and the
/// loss compares only observed entries. A batch of B series with n observations each has up to B n output times,
/// and the solver steps to each of them, so the cost of a batch grows with that union.
/// </summary>
public sealed class IrregularDataset : Dataset
{
    private readonly Trajectory[] observations;
    private readonly Trajectory[] groundTruth;
    private readonly string description;

    /// <summary>Creates the dataset; the trajectories are shared, not copied (they are immutable).</summary>
    /// <param name="name">A short name.</param>
    /// <param name="observations">At least one series of the same dimension, all starting at the same time with a
    /// finite initial state; later values may be NaN (not observed).</param>
    /// <param name="groundTruth">The noise-free series (one per observed series), or null to use the observations.</param>
    /// <param name="description">A description, or null for a generated one.</param>
    /// <exception cref="ArgumentException">The series break the rules above.</exception>
    public IrregularDataset(string name, IReadOnlyList<Trajectory> observations, IReadOnlyList<Trajectory>? groundTruth = null, string? description = null)
        : base(name, FirstDimension(observations))
    {
        this.observations = [.. observations];
        double start = this.observations[0].StartTime;
        int totalObservations = 0;
        for (int s = 0; s < this.observations.Length; s++)
        {
            Trajectory series = this.observations[s] ?? throw new ArgumentException($"observations[{s}] is null.", nameof(observations));
            if (series.Dimension != Dimension)
            {
                throw new ArgumentException($"observations[{s}] has dimension {series.Dimension}; observations[0] has {Dimension}.", nameof(observations));
            }

            if (series.StartTime != start)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"observations[{s}] starts at {series.StartTime}; observations[0] at {start}. Every series must start at the same time."),
                    nameof(observations));
            }

            foreach (double value in series.State(0))
            {
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"observations[{s}] has a non-finite initial state; the first state of every series must be observed.", nameof(observations));
                }
            }

            totalObservations += series.Count;
        }

        this.groundTruth = GroundTruthFor(this.observations, groundTruth);

        StartTime = start;
        Observations = Array.AsReadOnly(this.observations);
        GroundTruth = Array.AsReadOnly(this.groundTruth);
        this.description = description ?? string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {this.observations.Length} irregularly sampled series (dimension {Dimension}, {totalObservations} observations in all) from t = {start:G6}; batches of whole series on the union of their times");
    }

    /// <summary>t_0, where every series starts.</summary>
    public double StartTime { get; }

    /// <inheritdoc/>
    public override string Description => description;

    /// <inheritdoc/>
    public override IReadOnlyList<Trajectory> Observations { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Trajectory> GroundTruth { get; }

    /// <summary>The number of series.</summary>
    public override int SampleCount => observations.Length;

    /// <summary>
    /// <paramref name="batchSize"/> distinct series, drawn uniformly without replacement (one <c>random.Next</c> per
    /// series); member b is the b-th series drawn. Start time t_0, output times the union of the members' times
    /// (t_0 included), a mask of the observed entries.
    /// </summary>
    /// <param name="batchSize">Between 1 and <see cref="SampleCount"/>.</param>
    /// <param name="random">The source of random numbers.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    public override TrainingBatch SampleBatch(int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Batches.RequireBatchSize(batchSize, SampleCount, "series");
        int[] picks = Batches.SampleWithoutReplacement(random, SampleCount, batchSize);
        return Build(picks);
    }

    /// <summary>Every series, in order, on the union of all observation times.</summary>
    /// <returns>The batch.</returns>
    public override TrainingBatch FullBatch() => Build([.. Enumerable.Range(0, observations.Length)]);

    private TrainingBatch Build(int[] members)
    {
        int d = Dimension;
        var union = new SortedSet<double>();
        foreach (int s in members)
        {
            union.UnionWith(observations[s].TimesArray);
        }

        double[] times = [.. union];
        int width = members.Length * d;
        var initial = new double[width];
        var targets = new double[times.Length * width];
        var mask = new bool[targets.Length];
        for (int b = 0; b < members.Length; b++)
        {
            Trajectory series = observations[members[b]];
            double[] seriesTimes = series.TimesArray;
            double[] values = series.ValuesArray;
            values.AsSpan(0, d).CopyTo(initial.AsSpan(b * d, d));
            int k = 0;
            for (int j = 0; j < seriesTimes.Length; j++)
            {
                while (times[k] != seriesTimes[j])
                {
                    k++;
                }

                for (int i = 0; i < d; i++)
                {
                    double value = values[(j * d) + i];
                    int at = (k * width) + (b * d) + i;
                    if (double.IsFinite(value))
                    {
                        targets[at] = value;
                        mask[at] = true;
                    }
                }
            }
        }

        return new TrainingBatch(StartTime, times, initial, targets, mask, d);
    }

    private static int FirstDimension(IReadOnlyList<Trajectory> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        if (observations.Count == 0 || observations[0] is null)
        {
            throw new ArgumentException("observations is empty or its first series is null; a dataset needs at least one series.", nameof(observations));
        }

        return observations[0].Dimension;
    }
}
