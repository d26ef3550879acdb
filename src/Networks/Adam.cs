using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with bias correction and optional L2 weight decay added to the gradient, as PyTorch's
/// <c>torch.optim.Adam</c> (not amsgrad). With learning rate η (from the schedule), β₁, β₂, ε, weight decay λ and the
/// step number t counted from 1, each step computes, entry by entry,
/// <code>
/// g ← ∇L(θ) + λ θ
/// m ← β₁ m + (1 − β₁) g            (m and v start at 0)
/// v ← β₂ v + (1 − β₂) g²
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// which is θ − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), written as PyTorch evaluates it. The first
/// step therefore moves every entry by about η sign(g). For weight decay decoupled from the gradient use
/// <see cref="AdamW"/>.
/// </summary>
public sealed class Adam : AdamOptimizer
{
    /// <summary>Creates the optimizer with a constant learning rate.</summary>
    /// <param name="learningRate">η; positive and finite; 1e-3 by default.</param>
    /// <param name="beta1">β₁ in [0, 1); 0.9 by default.</param>
    /// <param name="beta2">β₂ in [0, 1); 0.999 by default.</param>
    /// <param name="epsilon">ε; positive and finite; 1e-8 by default.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient; finite, 0 (the default) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public Adam(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : this(LearningRateSchedule.Constant(learningRate), beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>Creates the optimizer with a learning-rate schedule.</summary>
    /// <param name="schedule">η of every step.</param>
    /// <param name="beta1">β₁ in [0, 1); 0.9 by default.</param>
    /// <param name="beta2">β₂ in [0, 1); 0.999 by default.</param>
    /// <param name="epsilon">ε; positive and finite; 1e-8 by default.</param>
    /// <param name="weightDecay">λ of the L2 penalty added to the gradient; finite, 0 (the default) or more.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public Adam(LearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
        : base(schedule, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>E.g. <c>Adam(lr constant(0.001), betas (0.9, 0.999), eps 1E-08)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Adam(lr {Schedule}, betas ({Beta1:R}, {Beta2:R}), eps {Epsilon:R}{(WeightDecay > 0 ? $", weight decay {WeightDecay:R}" : string.Empty)})");

    /// <inheritdoc/>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber) =>
        AdamStep(parameters, gradient, learningRate, stepNumber, coupledDecay: WeightDecay);
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019): Adam with weight decay decoupled from the gradient, as PyTorch's
/// <c>torch.optim.AdamW</c>. Each step first shrinks the parameters, θ ← θ (1 − η λ) with this step's learning rate η,
/// then takes the <see cref="Adam"/> step of the plain gradient (no λ θ in g, so the decay is not rescaled by the
/// moment estimates):
/// <code>
/// θ ← θ (1 − η λ)
/// m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²      (g = ∇L(θ), the gradient passed in)
/// θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
/// </code>
/// </summary>
public sealed class AdamW : AdamOptimizer
{
    /// <summary>Creates the optimizer with a constant learning rate.</summary>
    /// <param name="learningRate">η; positive and finite; 1e-3 by default.</param>
    /// <param name="beta1">β₁ in [0, 1); 0.9 by default.</param>
    /// <param name="beta2">β₂ in [0, 1); 0.999 by default.</param>
    /// <param name="epsilon">ε; positive and finite; 1e-8 by default.</param>
    /// <param name="weightDecay">λ, finite, 0 or more; 1e-2 by default (PyTorch's).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public AdamW(double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : this(LearningRateSchedule.Constant(learningRate), beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>Creates the optimizer with a learning-rate schedule.</summary>
    /// <param name="schedule">η of every step (the decay uses it too).</param>
    /// <param name="beta1">β₁ in [0, 1); 0.9 by default.</param>
    /// <param name="beta2">β₂ in [0, 1); 0.999 by default.</param>
    /// <param name="epsilon">ε; positive and finite; 1e-8 by default.</param>
    /// <param name="weightDecay">λ, finite, 0 or more; 1e-2 by default (PyTorch's).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public AdamW(LearningRateSchedule schedule, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 1e-2)
        : base(schedule, beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>E.g. <c>AdamW(lr constant(0.001), betas (0.9, 0.999), eps 1E-08, weight decay 0.01)</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"AdamW(lr {Schedule}, betas ({Beta1:R}, {Beta2:R}), eps {Epsilon:R}, weight decay {WeightDecay:R})");

    /// <inheritdoc/>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber)
    {
        if (WeightDecay != 0)
        {
            double shrink = 1.0 - (learningRate * WeightDecay);
            foreach (ref double value in parameters)
            {
                value *= shrink;
            }
        }

        AdamStep(parameters, gradient, learningRate, stepNumber, coupledDecay: 0);
    }
}

/// <summary>Adam's moment estimates and step, held by <see cref="AdamOptimizer"/> for <see cref="Adam"/> and <see cref="AdamW"/>.</summary>
internal sealed class AdamMoments
{
    private double[] first = [];
    private double[] second = [];

    internal AdamMoments(double beta1, double beta2, double epsilon)
    {
        if (!(beta1 >= 0 && beta1 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0 && beta2 < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0 && double.IsFinite(epsilon)))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive and finite.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    internal double Beta1 { get; }

    internal double Beta2 { get; }

    internal double Epsilon { get; }

    internal void Initialize(int parameterCount)
    {
        first = new double[parameterCount];
        second = new double[parameterCount];
    }

    /// <summary>One Adam step in PyTorch's order of operations; <paramref name="coupledDecay"/> is λ of g ← g + λ θ.</summary>
    internal void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber, double coupledDecay)
    {
        double b1 = Beta1;
        double b2 = Beta2;
        double correction1 = 1.0 - Math.Pow(b1, stepNumber);
        double correction2 = 1.0 - Math.Pow(b2, stepNumber);
        double stepSize = learningRate / correction1;
        double sqrtCorrection2 = Math.Sqrt(correction2);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            if (coupledDecay != 0)
            {
                g += coupledDecay * parameters[i];
            }

            double m = (b1 * first[i]) + ((1.0 - b1) * g);
            double v = (b2 * second[i]) + ((1.0 - b2) * g * g);
            first[i] = m;
            second[i] = v;
            double denominator = (Math.Sqrt(v) / sqrtCorrection2) + Epsilon;
            parameters[i] -= stepSize * (m / denominator);
        }
    }
}
