using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// Series observed on one regular time grid t_0 … t_{P−1} (the same for every series), batched as torchdiffeq's
/// <c>ode_demo.py</c> batches its spiral: a batch member is a window of <see cref="WindowLength"/> = W consecutive
/// points of one series, chosen uniformly among all S (P − W + 1) (series, start) pairs without replacement. Window
/// (s, j) starts from the observed state y_s(t_j) and is compared with y_s(t_j), …, y_s(t_{j+W−1}) at the shared
/// times t_0, …, t_{W−1}: every window is shifted to start at t_0. That is exact for an autonomous field (a network
/// without time input); a network with time input sees the time since the window's start (plus t_0).
/// </summary>
public sealed class WindowedDataset : Dataset
{
    private readonly Trajectory[] observations;
    private readonly Trajectory[] groundTruth;
    private readonly double[] grid;
    private readonly string description;

    /// <summary>Creates the dataset; the trajectories are shared, not copied (they are immutable).</summary>
    /// <param name="name">A short name.</param>
    /// <param name="observations">At least one series, all on the same grid of at least 2 evenly spaced times
    /// (spacings equal to a relative 1e-9), all values finite.</param>
    /// <param name="windowLength">W, the points per window, between 2 and the grid's length.</param>
    /// <param name="groundTruth">The noise-free series (one per observed series), or null to use the observations.</param>
    /// <param name="description">A description, or null for a generated one.</param>
    /// <exception cref="ArgumentException">The series break the rules above.</exception>
    public WindowedDataset(
        string name, IReadOnlyList<Trajectory> observations, int windowLength, IReadOnlyList<Trajectory>? groundTruth = null, string? description = null)
        : base(name, FirstDimension(observations))
    {
        this.observations = [.. observations];
        grid = this.observations[0].TimesArray;
        for (int s = 0; s < this.observations.Length; s++)
        {
            Trajectory series = this.observations[s] ?? throw new ArgumentException($"observations[{s}] is null.", nameof(observations));
            if (series.Dimension != Dimension)
            {
                throw new ArgumentException($"observations[{s}] has dimension {series.Dimension}; observations[0] has {Dimension}.", nameof(observations));
            }

            if (!series.TimesArray.AsSpan().SequenceEqual(grid))
            {
                throw new ArgumentException($"observations[{s}] has other times than observations[0]; a windowed dataset needs one grid.", nameof(observations));
            }

            int bad = Array.FindIndex(series.ValuesArray, v => !double.IsFinite(v));
            if (bad >= 0)
            {
                throw new ArgumentException(
                    $"observations[{s}] has a non-finite value at time index {bad / Dimension}, entry {bad % Dimension}; use an IrregularDataset for missing values.",
                    nameof(observations));
            }
        }

        if (grid.Length < 2)
        {
            throw new ArgumentException("The grid has one time; windows need at least 2.", nameof(observations));
        }

        double spacing = (grid[^1] - grid[0]) / (grid.Length - 1);
        for (int i = 1; i < grid.Length; i++)
        {
            if (Math.Abs(grid[i] - grid[i - 1] - spacing) > 1e-9 * Math.Max(spacing, Math.Abs(grid[i])))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The grid is not evenly spaced: t[{i}] − t[{i - 1}] = {grid[i] - grid[i - 1]}, the mean spacing is {spacing}."),
                    nameof(observations));
            }
        }

        if (windowLength < 2 || windowLength > grid.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(windowLength), windowLength, $"windowLength must be between 2 and the grid's {grid.Length} points.");
        }

        WindowLength = windowLength;
        this.groundTruth = GroundTruthFor(this.observations, groundTruth);

        Observations = Array.AsReadOnly(this.observations);
        GroundTruth = Array.AsReadOnly(this.groundTruth);
        this.description = description ?? string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {this.observations.Length} series of {grid.Length} points (dimension {Dimension}) on [{grid[0]:G6}, {grid[^1]:G6}]; batches of windows of {windowLength} points");
    }

    /// <summary>W, the points per window.</summary>
    public int WindowLength { get; }

    /// <summary>The grid spacing, (t_{P−1} − t_0)/(P − 1).</summary>
    public double Spacing => (grid[^1] - grid[0]) / (grid.Length - 1);

    /// <summary>The number of windows per series, P − W + 1.</summary>
    public int WindowsPerSeries => grid.Length - WindowLength + 1;

    /// <inheritdoc/>
    public override string Description => description;

    /// <inheritdoc/>
    public override IReadOnlyList<Trajectory> Observations { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Trajectory> GroundTruth { get; }

    /// <summary>S (P − W + 1): every window of every series.</summary>
    public override int SampleCount => observations.Length * WindowsPerSeries;

    /// <summary>
    /// <paramref name="batchSize"/> distinct windows, drawn uniformly without replacement (one <c>random.Next</c> per
    /// window); member b is the b-th window drawn. Start time t_0, output times t_0 … t_{W−1}, no mask.
    /// </summary>
    /// <param name="batchSize">Between 1 and <see cref="SampleCount"/>.</param>
    /// <param name="random">The source of random numbers.</param>
    /// <returns>The batch.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    public override TrainingBatch SampleBatch(int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Batches.RequireBatchSize(batchSize, SampleCount, "windows");
        int[] picks = Batches.SampleWithoutReplacement(random, SampleCount, batchSize);
        int d = Dimension;
        int w = WindowLength;
        int width = batchSize * d;
        var initial = new double[width];
        var targets = new double[w * width];
        for (int b = 0; b < batchSize; b++)
        {
            int series = picks[b] / WindowsPerSeries;
            int start = picks[b] % WindowsPerSeries;
            double[] values = observations[series].ValuesArray;
            values.AsSpan(start * d, d).CopyTo(initial.AsSpan(b * d, d));
            for (int k = 0; k < w; k++)
            {
                values.AsSpan((start + k) * d, d).CopyTo(targets.AsSpan((k * width) + (b * d), d));
            }
        }

        return new TrainingBatch(grid[0], grid[..w], initial, targets, mask: null, d);
    }

    /// <summary>Every series whole: from its first point at t_0 to t_{P−1}, the output times the whole grid.</summary>
    /// <returns>The batch.</returns>
    public override TrainingBatch FullBatch()
    {
        int d = Dimension;
        int width = observations.Length * d;
        var initial = new double[width];
        var targets = new double[grid.Length * width];
        for (int s = 0; s < observations.Length; s++)
        {
            double[] values = observations[s].ValuesArray;
            values.AsSpan(0, d).CopyTo(initial.AsSpan(s * d, d));
            for (int k = 0; k < grid.Length; k++)
            {
                values.AsSpan(k * d, d).CopyTo(targets.AsSpan((k * width) + (s * d), d));
            }
        }

        return new TrainingBatch(grid[0], grid, initial, targets, mask: null, d);
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
