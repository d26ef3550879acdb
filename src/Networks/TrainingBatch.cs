using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// One mini-batch of a neural-ODE fit: <see cref="Size"/> trajectories solved together as one state of
/// Size × <see cref="Dimension"/> values (row b is trajectory b), from <see cref="InitialStates"/> at
/// <see cref="StartTime"/> to the shared output times <see cref="Times"/>, with the <see cref="Targets"/> they are
/// compared to and, for irregularly sampled data, a <see cref="Mask"/> of the observed entries. Targets and mask are
/// flat, one row of Size × Dimension per output time: entry (k, b, i) is at k · Size · Dimension + b · Dimension + i,
/// the layout of the states a solve of the batch returns. Immutable.
/// </summary>
public sealed class TrainingBatch
{
    private readonly double[] times;
    private readonly double[] initialStates;
    private readonly double[] targets;
    private readonly bool[] mask;

    /// <summary>Creates the batch, validating and copying the arrays.</summary>
    /// <param name="startTime">t0, finite.</param>
    /// <param name="times">K ≥ 1 finite output times, strictly increasing, the first at or after <paramref name="startTime"/>.</param>
    /// <param name="initialStates">Size × <paramref name="dimension"/> finite values, row b for trajectory b.</param>
    /// <param name="targets">K × Size × dimension values; finite where observed (anything, NaN included, where not).</param>
    /// <param name="mask">Null when every entry is observed, else K × Size × dimension flags, true where observed.</param>
    /// <param name="dimension">The values per trajectory state; at least 1.</param>
    /// <exception cref="ArgumentException">A length does not match, a time breaks the rules, an initial state or an
    /// observed target is not finite.</exception>
    public TrainingBatch(double startTime, double[] times, double[] initialStates, double[] targets, bool[]? mask, int dimension)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(initialStates);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!double.IsFinite(startTime))
        {
            throw new ArgumentOutOfRangeException(nameof(startTime), startTime, "startTime must be finite.");
        }

        if (times.Length == 0)
        {
            throw new ArgumentException("times is empty; a batch needs at least one output time.", nameof(times));
        }

        Batches.RequireIncreasing(times, nameof(times));
        if (times[0] < startTime)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"times[0] = {times[0]} is before startTime = {startTime}."), nameof(times));
        }

        if (initialStates.Length == 0 || initialStates.Length % dimension != 0)
        {
            throw new ArgumentException(
                $"initialStates has {initialStates.Length} entries; it needs a positive multiple of the dimension {dimension}.",
                nameof(initialStates));
        }

        for (int i = 0; i < initialStates.Length; i++)
        {
            if (!double.IsFinite(initialStates[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"initialStates[{i}] (trajectory {i / dimension}, entry {i % dimension}) is {initialStates[i]}."),
                    nameof(initialStates));
            }
        }

        int width = initialStates.Length;
        Shapes.RequireLength(targets.Length, (long)times.Length * width, nameof(targets), $"times × size × dimension = {times.Length} × {width / dimension} × {dimension}");
        if (mask is not null)
        {
            Shapes.RequireLength(mask.Length, targets.Length, nameof(mask), "the targets' length");
        }

        int observed = 0;
        for (int j = 0; j < targets.Length; j++)
        {
            if (mask is null || mask[j])
            {
                observed++;
                if (!double.IsFinite(targets[j]))
                {
                    int k = j / width;
                    int b = (j % width) / dimension;
                    throw new ArgumentException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"targets[{j}] (time {k}, trajectory {b}, entry {j % dimension}) is {targets[j]} but observed; mask it out or give a finite value."),
                        nameof(targets));
                }
            }
        }

        StartTime = startTime;
        Dimension = dimension;
        Size = width / dimension;
        ObservedCount = observed;
        this.times = (double[])times.Clone();
        this.initialStates = (double[])initialStates.Clone();
        this.targets = (double[])targets.Clone();
        this.mask = mask is null ? [] : (bool[])mask.Clone();
        Times = Array.AsReadOnly(this.times);
    }

    /// <summary>t0, where every trajectory of the batch starts.</summary>
    public double StartTime { get; }

    /// <summary>The output times, shared by the batch.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>K, the number of output times.</summary>
    public int Count => times.Length;

    /// <summary>The number of trajectories.</summary>
    public int Size { get; }

    /// <summary>The values per trajectory state.</summary>
    public int Dimension { get; }

    /// <summary>Size × Dimension: the length of the batch's state.</summary>
    public int StateSize => initialStates.Length;

    /// <summary>The initial states, Size rows of Dimension values.</summary>
    public ReadOnlyMemory<double> InitialStates => initialStates;

    /// <summary>The targets, K rows of Size × Dimension values.</summary>
    public ReadOnlyMemory<double> Targets => targets;

    /// <summary>Whether some entries are not observed (<see cref="Mask"/> is not empty).</summary>
    public bool HasMask => mask.Length > 0;

    /// <summary>Empty when every entry is observed; else K rows of Size × Dimension flags, true where observed.</summary>
    public ReadOnlyMemory<bool> Mask => mask;

    /// <summary>The number of observed target entries.</summary>
    public int ObservedCount { get; }

    /// <summary>E.g. <c>TrainingBatch(20 × 2, 10 times in [0, 0.225])</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TrainingBatch({Size} × {Dimension}, {Count} times in [{StartTime:G6}, {times[^1]:G6}]{(HasMask ? $", {ObservedCount} of {targets.Length} observed" : string.Empty)})");

    internal double[] TimesArray => times;

    internal double[] InitialStatesArray => initialStates;

    internal double[] TargetsArray => targets;

    internal bool[] MaskArray => mask;
}
