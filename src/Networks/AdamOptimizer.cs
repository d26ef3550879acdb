namespace Rewind.Networks;

/// <summary>
/// The Adam family's shared part: the hyperparameters β₁, β₂, ε and the weight decay λ, and the first- and
/// second-moment estimates with bias correction (see <see cref="Adam"/> for the step). The two members are
/// <see cref="Adam"/>, which adds λ θ to the gradient, and <see cref="AdamW"/>, which decouples the decay from the
/// gradient; this class cannot be derived from outside this library (derive from <see cref="Optimizer"/> instead).
/// </summary>
public abstract class AdamOptimizer : Optimizer
{
    private readonly AdamMoments moments;

    /// <summary>Validates and stores the hyperparameters.</summary>
    /// <param name="schedule">η of every step.</param>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="epsilon">ε; positive and finite.</param>
    /// <param name="weightDecay">λ; finite, 0 or more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    private protected AdamOptimizer(LearningRateSchedule schedule, double beta1, double beta2, double epsilon, double weightDecay)
        : base(schedule)
    {
        RequireAtLeast(weightDecay, 0, nameof(weightDecay));
        moments = new AdamMoments(beta1, beta2, epsilon);
        WeightDecay = weightDecay;
    }

    /// <summary>β₁, the decay of the first-moment estimate.</summary>
    public double Beta1 => moments.Beta1;

    /// <summary>β₂, the decay of the second-moment estimate.</summary>
    public double Beta2 => moments.Beta2;

    /// <summary>ε, added to the denominator.</summary>
    public double Epsilon => moments.Epsilon;

    /// <summary>
    /// λ of the weight decay: for <see cref="Adam"/> the L2 penalty added to the gradient (g ← ∇L(θ) + λ θ), for
    /// <see cref="AdamW"/> the decoupled decay (θ ← θ (1 − η λ) before the step).
    /// </summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected sealed override void Initialize(int parameterCount) => moments.Initialize(parameterCount);

    /// <inheritdoc/>
    protected sealed override void ResetState() => moments.Initialize(0);

    /// <summary>
    /// Updates the moment estimates from <paramref name="gradient"/> (plus <paramref name="coupledDecay"/> θ) and takes
    /// the bias-corrected Adam step on <paramref name="parameters"/> in place, in PyTorch's order of operations.
    /// </summary>
    /// <param name="parameters">θ, updated in place.</param>
    /// <param name="gradient">dL/dθ.</param>
    /// <param name="learningRate">This step's learning rate.</param>
    /// <param name="stepNumber">This step's number, counted from 1.</param>
    /// <param name="coupledDecay">λ of g ← g + λ θ; 0 for none.</param>
    private protected void AdamStep(
        Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber, double coupledDecay) =>
        moments.Update(parameters, gradient, learningRate, stepNumber, coupledDecay);
}
