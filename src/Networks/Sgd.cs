using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// Stochastic gradient descent with optional momentum (heavy ball or Nesterov) and L2 weight decay, as PyTorch's
/// <c>torch.optim.SGD</c> with no dampening. With learning rate η (from the schedule), momentum μ and weight decay λ,
/// each step computes, entry by entry,
/// <code>
/// g ← ∇L(θ) + λ θ
/// v ← μ v + g                      (v starts at 0, so the first step's v is g)
/// d ← g + μ v  (Nesterov)   or   d ← v
/// θ ← θ − η d
/// </code>
/// With μ = 0 this is plain gradient descent, θ ← θ − η (∇L + λ θ).
/// </summary>
public sealed class Sgd : Optimizer
{
    private double[] velocity = [];

    /// <summary>Creates the optimizer with a constant learning rate.</summary>
    /// <param name="learningRate">η; positive and finite.</param>
    /// <param name="momentum">μ in [0, 1); 0 (the default) for none.</param>
    /// <param name="nesterov">Whether to use Nesterov's momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient; finite, 0 (the default) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is true with zero momentum.</exception>
    public Sgd(double learningRate, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : this(LearningRateSchedule.Constant(learningRate), momentum, nesterov, weightDecay)
    {
    }

    /// <summary>Creates the optimizer with a learning-rate schedule.</summary>
    /// <param name="schedule">η of every step.</param>
    /// <param name="momentum">μ in [0, 1); 0 (the default) for none.</param>
    /// <param name="nesterov">Whether to use Nesterov's momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient; finite, 0 (the default) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> is true with zero momentum.</exception>
    public Sgd(LearningRateSchedule schedule, double momentum = 0, bool nesterov = false, double weightDecay = 0)
        : base(schedule)
    {
        RequireUnitInterval(momentum, nameof(momentum));
        RequireAtLeast(weightDecay, 0, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum greater than 0.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>λ of the L2 penalty.</summary>
    public double WeightDecay { get; }

    /// <summary>E.g. <c>SGD(lr constant(0.01), momentum 0.9, nesterov)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"SGD(lr {Schedule}{(Momentum > 0 ? $", momentum {Momentum:R}" : string.Empty)}{(Nesterov ? ", nesterov" : string.Empty)}{(WeightDecay > 0 ? $", weight decay {WeightDecay:R}" : string.Empty)})");

    /// <inheritdoc/>
    protected override void Initialize(int parameterCount) =>
        velocity = Momentum > 0 ? new double[parameterCount] : [];

    /// <inheritdoc/>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber)
    {
        double mu = Momentum;
        double lambda = WeightDecay;
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            if (lambda != 0)
            {
                g += lambda * parameters[i];
            }

            if (mu > 0)
            {
                double v = (mu * velocity[i]) + g;
                velocity[i] = v;
                g = Nesterov ? g + (mu * v) : v;
            }

            parameters[i] -= learningRate * g;
        }
    }

    /// <inheritdoc/>
    protected override void ResetState() => velocity = [];
}
