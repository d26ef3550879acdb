using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// RMSprop (Tieleman &amp; Hinton), as PyTorch's <c>torch.optim.RMSprop</c> without momentum and not centered — the
/// optimizer of torchdiffeq's <c>ode_demo.py</c> (learning rate 1e-3 there). With learning rate η, smoothing α, ε and
/// weight decay λ, each step computes, entry by entry,
/// <code>
/// g ← ∇L(θ) + λ θ
/// s ← α s + (1 − α) g²             (s starts at 0)
/// θ ← θ − η g / (√s + ε)
/// </code>
/// </summary>
public sealed class RmsProp : Optimizer
{
    private double[] square = [];

    /// <summary>Creates the optimizer with a constant learning rate.</summary>
    /// <param name="learningRate">η; positive and finite; 1e-2 by default (PyTorch's).</param>
    /// <param name="alpha">α in [0, 1); 0.99 by default.</param>
    /// <param name="epsilon">ε; positive and finite; 1e-8 by default.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient; finite, 0 (the default) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public RmsProp(double learningRate = 1e-2, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0)
        : this(LearningRateSchedule.Constant(learningRate), alpha, epsilon, weightDecay)
    {
    }

    /// <summary>Creates the optimizer with a learning-rate schedule.</summary>
    /// <param name="schedule">η of every step.</param>
    /// <param name="alpha">α in [0, 1); 0.99 by default.</param>
    /// <param name="epsilon">ε; positive and finite; 1e-8 by default.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient; finite, 0 (the default) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public RmsProp(LearningRateSchedule schedule, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0)
        : base(schedule)
    {
        RequireUnitInterval(alpha, nameof(alpha));
        RequirePositive(epsilon, nameof(epsilon));
        RequireAtLeast(weightDecay, 0, nameof(weightDecay));
        Alpha = alpha;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>α, the smoothing of the squared-gradient average.</summary>
    public double Alpha { get; }

    /// <summary>ε, added to the denominator.</summary>
    public double Epsilon { get; }

    /// <summary>λ of the L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <summary>E.g. <c>RMSprop(lr constant(0.001), alpha 0.99, eps 1E-08)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"RMSprop(lr {Schedule}, alpha {Alpha:R}, eps {Epsilon:R}{(WeightDecay > 0 ? $", weight decay {WeightDecay:R}" : string.Empty)})");

    /// <inheritdoc/>
    protected override void Initialize(int parameterCount) => square = new double[parameterCount];

    /// <inheritdoc/>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            if (WeightDecay != 0)
            {
                g += WeightDecay * parameters[i];
            }

            double s = (Alpha * square[i]) + ((1.0 - Alpha) * g * g);
            square[i] = s;
            parameters[i] -= learningRate * g / (Math.Sqrt(s) + Epsilon);
        }
    }

    /// <inheritdoc/>
    protected override void ResetState() => square = [];
}
