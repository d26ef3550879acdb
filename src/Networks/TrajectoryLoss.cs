namespace Rewind.Networks;

/// <summary>How a <see cref="TrajectoryLoss"/> combines its per-entry terms.</summary>
public enum LossReduction
{
    /// <summary>The mean over the observed entries (PyTorch's <c>reduction='mean'</c>); 0 when none is observed.</summary>
    Mean,

    /// <summary>The sum over the observed entries.</summary>
    Sum,
}

/// <summary>
/// A loss on a trajectory: predictions ŷ and targets y at K output times, each a row of n entries (n = batch ×
/// dimension for a batched state), compared entry by entry through a pointwise term ρ(r) of the residual
/// r = ŷ − y, over the observed entries O only (all of them without a mask):
/// <code>
/// L = (1/|O|) Σ_{(k,i) ∈ O} ρ(ŷ_ki − y_ki)     (Mean; Sum drops 1/|O|; L = 0 when O is empty)
/// ∂L/∂ŷ_ki = ρ′(ŷ_ki − y_ki) / |O| for (k, i) ∈ O, and 0 for an entry that is not observed
/// </code>
/// Row k of the gradient is dL/dy(t_k), so the gradient in the shape of
/// <see cref="Evaluate(IReadOnlyList{double[]}, IReadOnlyList{double[]}, IReadOnlyList{bool[]}, out double[][])"/>
/// is what <see cref="Integrators.Solution.Backward"/> takes. Targets of unobserved entries are never read (they may
/// be NaN). The concrete losses are <see cref="MeanSquaredError"/> and <see cref="L1Loss"/>; derive from this
/// class (override <see cref="Term"/>) for another pointwise loss.
/// </summary>
/// <example><code>
/// var loss = new MeanSquaredError();
/// double value = loss.Evaluate(predictions, targets, mask: null, out double[][] dLdy);
/// Gradient g = solution.Backward(dLdy);
/// </code></example>
public abstract class TrajectoryLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">How the terms are combined.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reduction"/> is not defined.</exception>
    protected TrajectoryLoss(LossReduction reduction)
    {
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown loss reduction.");
        }

        Reduction = reduction;
    }

    /// <summary>How the terms are combined.</summary>
    public LossReduction Reduction { get; }

    /// <summary>A short name, e.g. <c>"mse"</c> or <c>"l1"</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The loss of flat predictions against flat targets (row k, entries [k n, (k + 1) n), is output time k; the
    /// layout does not matter to the loss, only that the three spans agree), and its gradient.
    /// </summary>
    /// <param name="predictions">ŷ.</param>
    /// <param name="targets">y: as many entries as <paramref name="predictions"/>.</param>
    /// <param name="mask">true where the entry is observed; empty: every entry is observed.</param>
    /// <param name="gradient">Receives ∂L/∂ŷ (overwritten, 0 at unobserved entries); empty: not computed.</param>
    /// <returns>L.</returns>
    /// <exception cref="ArgumentException">A non-empty span's length differs from <paramref name="predictions"/>'s.</exception>
    public double Evaluate(ReadOnlySpan<double> predictions, ReadOnlySpan<double> targets, ReadOnlySpan<bool> mask, Span<double> gradient)
    {
        RequireLength(targets.Length, predictions.Length, nameof(targets));
        bool masked = !mask.IsEmpty;
        bool withGradient = !gradient.IsEmpty;
        if (masked)
        {
            RequireLength(mask.Length, predictions.Length, nameof(mask));
        }

        if (withGradient)
        {
            RequireLength(gradient.Length, predictions.Length, nameof(gradient));
        }

        int observed = 0;
        double sum = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            if (masked && !mask[i])
            {
                if (withGradient)
                {
                    gradient[i] = 0;
                }

                continue;
            }

            observed++;
            sum += Term(predictions[i] - targets[i], out double derivative);
            if (withGradient)
            {
                gradient[i] = derivative;
            }
        }

        if (Reduction == LossReduction.Sum || observed == 0)
        {
            return sum;
        }

        double scale = 1.0 / observed;
        if (withGradient)
        {
            foreach (ref double g in gradient)
            {
                g *= scale;
            }
        }

        return sum * scale;
    }

    /// <summary>
    /// The loss of predictions at K output times against targets, and dL/dy at every output time in the shape
    /// <see cref="Integrators.Solution.Backward"/> takes.
    /// </summary>
    /// <param name="predictions">ŷ(t_k): K rows (e.g. <c>solution.State(k)</c>), all of the same length.</param>
    /// <param name="targets">y(t_k): K rows of the same lengths.</param>
    /// <param name="mask">Null (every entry observed) or K rows of the same lengths, true where observed.</param>
    /// <param name="gradient">Receives K new rows: dL/dy(t_k).</param>
    /// <returns>L.</returns>
    /// <exception cref="ArgumentException">The row counts or lengths do not match.</exception>
    public double Evaluate(
        IReadOnlyList<double[]> predictions, IReadOnlyList<double[]> targets, IReadOnlyList<bool[]>? mask, out double[][] gradient)
    {
        (double[] flatPredictions, double[] flatTargets, bool[] flatMask, int width) = Flatten(predictions, targets, mask);
        var flatGradient = new double[flatPredictions.Length];
        double value = Evaluate(flatPredictions, flatTargets, flatMask, flatGradient);
        gradient = new double[predictions.Count][];
        for (int k = 0; k < gradient.Length; k++)
        {
            gradient[k] = flatGradient.AsSpan(k * width, width).ToArray();
        }

        return value;
    }

    /// <summary>The loss of predictions at K output times against targets, without the gradient.</summary>
    /// <param name="predictions">ŷ(t_k): K rows, all of the same length.</param>
    /// <param name="targets">y(t_k): K rows of the same lengths.</param>
    /// <param name="mask">Null (every entry observed) or K rows of the same lengths, true where observed.</param>
    /// <returns>L.</returns>
    /// <exception cref="ArgumentException">The row counts or lengths do not match.</exception>
    public double Evaluate(IReadOnlyList<double[]> predictions, IReadOnlyList<double[]> targets, IReadOnlyList<bool[]>? mask = null)
    {
        (double[] flatPredictions, double[] flatTargets, bool[] flatMask, _) = Flatten(predictions, targets, mask);
        return Evaluate(flatPredictions, flatTargets, flatMask, Span<double>.Empty);
    }

    /// <summary>A description, e.g. <c>MeanSquaredError(mean)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{GetType().Name}({(Reduction == LossReduction.Mean ? "mean" : "sum")})";

    /// <summary>The pointwise term ρ(r) of a residual r = ŷ − y, and its derivative ρ′(r).</summary>
    /// <param name="residual">r.</param>
    /// <param name="derivative">Receives ρ′(r).</param>
    /// <returns>ρ(r).</returns>
    protected abstract double Term(double residual, out double derivative);

    private static (double[] Predictions, double[] Targets, bool[] Mask, int Width) Flatten(
        IReadOnlyList<double[]> predictions, IReadOnlyList<double[]> targets, IReadOnlyList<bool[]>? mask)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(targets);
        int count = predictions.Count;
        if (targets.Count != count)
        {
            throw new ArgumentException($"targets has {targets.Count} rows; predictions has {count}.", nameof(targets));
        }

        if (mask is not null && mask.Count != count)
        {
            throw new ArgumentException($"mask has {mask.Count} rows; predictions has {count}.", nameof(mask));
        }

        int width = count == 0 ? 0 : (predictions[0] ?? throw new ArgumentException("predictions[0] is null.", nameof(predictions))).Length;
        var flatPredictions = new double[checked(count * width)];
        var flatTargets = new double[flatPredictions.Length];
        bool[] flatMask = mask is null ? [] : new bool[flatPredictions.Length];
        for (int k = 0; k < count; k++)
        {
            CopyRow(predictions[k], flatPredictions, k, width, nameof(predictions));
            CopyRow(targets[k], flatTargets, k, width, nameof(targets));
            if (mask is not null)
            {
                CopyRow(mask[k], flatMask, k, width, nameof(mask));
            }
        }

        return (flatPredictions, flatTargets, flatMask, width);
    }

    private static void CopyRow<T>(T[]? row, T[] destination, int k, int width, string name)
    {
        if (row is null)
        {
            throw new ArgumentException($"{name}[{k}] is null.", name);
        }

        if (row.Length != width)
        {
            throw new ArgumentException($"{name}[{k}] has {row.Length} entries; predictions[0] has {width}.", name);
        }

        row.CopyTo(destination, k * width);
    }

    private static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has {actual} entries; predictions has {expected}.", name);
        }
    }
}

/// <summary>
/// The squared error ρ(r) = r², ρ′(r) = 2 r: with <see cref="LossReduction.Mean"/> (the default), PyTorch's
/// <c>MSELoss</c>, L = (1/|O|) Σ (ŷ − y)² and ∂L/∂ŷ = 2 (ŷ − y)/|O| over the observed entries O
/// (see <see cref="TrajectoryLoss"/>).
/// </summary>
public sealed class MeanSquaredError : TrajectoryLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean (the default) or sum over the observed entries.</param>
    public MeanSquaredError(LossReduction reduction = LossReduction.Mean)
        : base(reduction)
    {
    }

    /// <inheritdoc/>
    public override string Name => "mse";

    /// <inheritdoc/>
    protected override double Term(double residual, out double derivative)
    {
        derivative = 2.0 * residual;
        return residual * residual;
    }
}

/// <summary>
/// The absolute error ρ(r) = |r|, ρ′(r) = sign(r) with sign(0) = 0 (the subgradient PyTorch uses): with
/// <see cref="LossReduction.Mean"/> (the default), PyTorch's <c>L1Loss</c> and the loss of torchdiffeq's
/// <c>ode_demo.py</c>, L = (1/|O|) Σ |ŷ − y| and ∂L/∂ŷ = sign(ŷ − y)/|O| over the observed entries O
/// (see <see cref="TrajectoryLoss"/>).
/// </summary>
public sealed class L1Loss : TrajectoryLoss
{
    /// <summary>Creates the loss.</summary>
    /// <param name="reduction">Mean (the default) or sum over the observed entries.</param>
    public L1Loss(LossReduction reduction = LossReduction.Mean)
        : base(reduction)
    {
    }

    /// <inheritdoc/>
    public override string Name => "l1";

    /// <inheritdoc/>
    protected override double Term(double residual, out double derivative)
    {
        derivative = residual > 0 ? 1.0 : residual < 0 ? -1.0 : 0.0;
        return Math.Abs(residual);
    }
}
