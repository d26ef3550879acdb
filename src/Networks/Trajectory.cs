using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// A sampled trajectory: states of <see cref="Dimension"/> values at <see cref="Count"/> strictly increasing times,
/// stored row-major (row k is the state at <c>Times[k]</c>). Datasets use it for their observations and ground truth,
/// <see cref="NeuralOde.Predict(IReadOnlyList{double[]}, IReadOnlyList{double}, double, CancellationToken)"/> for the
/// model's. Immutable.
/// </summary>
public sealed class Trajectory
{
    private readonly double[] times;
    private readonly double[] values;

    /// <summary>Creates the trajectory, copying the arrays.</summary>
    /// <param name="times">At least one finite time, strictly increasing.</param>
    /// <param name="values">times.Length × <paramref name="dimension"/> values, row-major (NaN allowed: a missing value).</param>
    /// <param name="dimension">The values per state; at least 1.</param>
    /// <exception cref="ArgumentException">The lengths do not match, or a time is not finite or not after the previous one.</exception>
    public Trajectory(double[] times, double[] values, int dimension)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (times.Length == 0)
        {
            throw new ArgumentException("times is empty; a trajectory needs at least one time.", nameof(times));
        }

        Batches.RequireIncreasing(times, nameof(times));
        Shapes.RequireLength(values.Length, (long)times.Length * dimension, nameof(values), $"times × dimension = {times.Length} × {dimension}");
        this.times = (double[])times.Clone();
        this.values = (double[])values.Clone();
        Dimension = dimension;
        Times = Array.AsReadOnly(this.times);
    }

    /// <summary>The times, strictly increasing.</summary>
    public IReadOnlyList<double> Times { get; }

    /// <summary>The number of times.</summary>
    public int Count => times.Length;

    /// <summary>The values per state.</summary>
    public int Dimension { get; }

    /// <summary>All values, row-major: <see cref="Count"/> rows of <see cref="Dimension"/>.</summary>
    public ReadOnlyMemory<double> Values => values;

    /// <summary>The first time.</summary>
    public double StartTime => times[0];

    /// <summary>The state at <c>Times[index]</c>.</summary>
    /// <param name="index">In [0, <see cref="Count"/>).</param>
    /// <returns>A view of its <see cref="Dimension"/> values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public ReadOnlySpan<double> State(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, times.Length);
        return values.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>Component <paramref name="component"/> of the state at <c>Times[index]</c>.</summary>
    /// <param name="index">In [0, <see cref="Count"/>).</param>
    /// <param name="component">In [0, <see cref="Dimension"/>).</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is out of range.</exception>
    public double Value(int index, int component)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(component);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(component, Dimension);
        return State(index)[component];
    }

    /// <summary>E.g. <c>Trajectory(1000 × 2, t 0 to 25)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Trajectory({Count} × {Dimension}, t {times[0]:G6} to {times[^1]:G6})");

    internal double[] ValuesArray => values;

    internal double[] TimesArray => times;
}
