using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// A dense layer y = W x + b with <see cref="InFeatures"/> inputs and <see cref="OutFeatures"/> outputs. W is stored
/// row-major, one row per output (librewind's layout); in the first layer of a <see cref="Sequential"/> with time
/// input it has one more column, the last, which multiplies t. The parameters start at 0: initialize them with
/// <see cref="Module.Initialize"/> (or the network's). Once the layer is part of a <see cref="Sequential"/>,
/// <see cref="Weight"/> and <see cref="Bias"/> are views of the network's contiguous parameter vector.
/// </summary>
public sealed class Linear : Module
{
    private Memory<double> weight;
    private Memory<double> bias;

    /// <summary>Creates the layer with all parameters 0.</summary>
    /// <param name="inFeatures">The number of inputs; at least 1.</param>
    /// <param name="outFeatures">The number of outputs; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or the layer would have more than
    /// <see cref="int.MaxValue"/> parameters.</exception>
    public Linear(int inFeatures, int outFeatures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        int count = CountParameters(inFeatures, outFeatures, timeColumn: false)
            ?? throw new ArgumentOutOfRangeException(
                nameof(outFeatures), outFeatures, $"A Linear {inFeatures}→{outFeatures} would have more than {int.MaxValue} parameters.");
        var storage = new double[count];
        weight = storage.AsMemory(0, count - outFeatures);
        bias = storage.AsMemory(count - outFeatures);
    }

    /// <summary>The number of inputs (without the time column).</summary>
    public int InFeatures { get; }

    /// <summary>The number of outputs.</summary>
    public int OutFeatures { get; }

    /// <summary>Whether the weight has a time column: the layer is the first of a <see cref="Sequential"/> with time input.</summary>
    public bool HasTimeColumn { get; private set; }

    /// <summary>The columns of <see cref="Weight"/>: <see cref="InFeatures"/>, plus 1 with a time column.</summary>
    public int WeightColumns => InFeatures + (HasTimeColumn ? 1 : 0);

    /// <summary>W: <see cref="OutFeatures"/> rows of <see cref="WeightColumns"/> entries, row-major (the time column last).</summary>
    public Memory<double> Weight => weight;

    /// <summary>b: <see cref="OutFeatures"/> entries.</summary>
    public Memory<double> Bias => bias;

    /// <inheritdoc/>
    public override int ParameterCount => weight.Length + bias.Length;

    /// <summary>The network this layer belongs to, if any.</summary>
    internal Sequential? Owner { get; private set; }

    /// <summary>
    /// Draws the weights (row by row) and then the biases from <paramref name="random"/>, with fan-in
    /// <see cref="WeightColumns"/> and fan-out <see cref="OutFeatures"/>.
    /// </summary>
    /// <param name="initializer">The initialization scheme.</param>
    /// <param name="random">The source of random numbers; seed it for reproducible parameters.</param>
    public override void Initialize(Initializer initializer, Random random)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(random);
        initializer.Fill(weight.Span, bias.Span, WeightColumns, random);
    }

    /// <summary>"Linear in→out", e.g. <c>Linear 2→64</c> (with "+t" for a time column).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Linear {InFeatures}{(HasTimeColumn ? "+t" : string.Empty)}→{OutFeatures}");

    /// <summary>The parameters of a layer, or null if they exceed <see cref="int.MaxValue"/>.</summary>
    internal static int? CountParameters(int inFeatures, int outFeatures, bool timeColumn)
    {
        long count = ((long)outFeatures * (inFeatures + (timeColumn ? 1L : 0L))) + outFeatures;
        return count <= int.MaxValue ? (int)count : null;
    }

    /// <summary>
    /// Moves the layer's parameters into <paramref name="storage"/> (its slice of a network's vector, laid out as
    /// W then b) and makes it the layer's storage from now on. With a time column the current weights keep their
    /// columns and the new time column is 0.
    /// </summary>
    internal void Adopt(Sequential owner, Memory<double> storage, bool timeColumn)
    {
        int columns = InFeatures + (timeColumn ? 1 : 0);
        Memory<double> newWeight = storage[..(OutFeatures * columns)];
        Memory<double> newBias = storage[(OutFeatures * columns)..];
        Span<double> target = newWeight.Span;
        ReadOnlySpan<double> source = weight.Span;
        int sourceColumns = WeightColumns;
        target.Clear();
        for (int row = 0; row < OutFeatures; row++)
        {
            source.Slice(row * sourceColumns, Math.Min(sourceColumns, columns))
                .CopyTo(target.Slice(row * columns, Math.Min(sourceColumns, columns)));
        }

        bias.Span.CopyTo(newBias.Span);
        weight = newWeight;
        bias = newBias;
        HasTimeColumn = timeColumn;
        Owner = owner;
    }
}
