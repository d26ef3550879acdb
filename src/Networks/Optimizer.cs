namespace Rewind.Networks;

/// <summary>
/// A first-order optimizer: it updates a parameter vector in place from the gradient of a loss with respect to it,
/// one <see cref="Step"/> at a time, with a learning rate from its <see cref="Schedule"/> and whatever state it
/// keeps (momentum, moment estimates). The state is sized by the first step; every later step must pass vectors
/// of the same length. The concrete optimizers are <see cref="Sgd"/>, <see cref="Adam"/>, <see cref="AdamW"/> and
/// <see cref="RmsProp"/>; derive from this class for another one.
/// </summary>
/// <example><code>
/// var optimizer = new Adam(LearningRateSchedule.CosineAnnealing(1e-2, steps: 500).WithWarmup(20));
/// optimizer.Step(net.Parameters.Span, gradient.Parameters);   // θ ← θ − lr · (Adam's direction)
/// </code></example>
public abstract class Optimizer
{
    private int parameterCount = -1;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="schedule">The learning rate of every step.</param>
    protected Optimizer(LearningRateSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Schedule = schedule;
    }

    /// <summary>The learning rate of every step.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>The number of steps taken since creation or the last <see cref="Reset"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>The learning rate the next step will use: <c>Schedule.At(StepCount)</c>.</summary>
    public double LearningRate => Schedule.At(StepCount);

    /// <summary>The length of the parameter vector the state was sized for; -1 before the first step.</summary>
    public int ParameterCount => parameterCount;

    /// <summary>
    /// Updates <paramref name="parameters"/> in place from <paramref name="gradient"/> (dL/dθ, same layout) with the
    /// learning rate <c>Schedule.At(StepCount)</c>, then increments <see cref="StepCount"/>. Values are not checked:
    /// NaN or infinity in the gradient propagates into the parameters and the state.
    /// </summary>
    /// <param name="parameters">θ, updated in place.</param>
    /// <param name="gradient">dL/dθ: as many entries as <paramref name="parameters"/>.</param>
    /// <exception cref="ArgumentException">The lengths differ, a vector is empty, or its length differs from the
    /// first step's (<see cref="ParameterCount"/>).</exception>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        if (parameters.Length == 0)
        {
            throw new ArgumentException("parameters is empty; there is nothing to optimize.", nameof(parameters));
        }

        if (gradient.Length != parameters.Length)
        {
            throw new ArgumentException(
                $"gradient has {gradient.Length} entries; parameters has {parameters.Length}.", nameof(gradient));
        }

        if (parameterCount < 0)
        {
            Initialize(parameters.Length);
            parameterCount = parameters.Length;
        }
        else if (parameters.Length != parameterCount)
        {
            throw new ArgumentException(
                $"parameters has {parameters.Length} entries, but this optimizer's state is for {parameterCount} " +
                "(the length of its first step). Call Reset() to optimize a different vector.",
                nameof(parameters));
        }

        double learningRate = Schedule.At(StepCount);
        Update(parameters, gradient, learningRate, StepCount + 1);
        StepCount++;
    }

    /// <summary>Forgets the state and the step count: the next step is a first step again, of any length.</summary>
    public void Reset()
    {
        StepCount = 0;
        parameterCount = -1;
        ResetState();
    }

    /// <summary>Allocates the state for a vector of <paramref name="parameterCount"/> entries (all zero), before the first step.</summary>
    /// <param name="parameterCount">The length of the parameter vector.</param>
    protected abstract void Initialize(int parameterCount);

    /// <summary>Applies one update in place; lengths are already checked.</summary>
    /// <param name="parameters">θ, updated in place.</param>
    /// <param name="gradient">dL/dθ.</param>
    /// <param name="learningRate">This step's learning rate.</param>
    /// <param name="stepNumber">This step's number, counted from 1 (Adam's bias correction uses it).</param>
    protected abstract void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber);

    /// <summary>Drops the state (the next step calls <see cref="Initialize"/> again).</summary>
    protected abstract void ResetState();

    /// <summary>Throws unless <paramref name="value"/> is finite and at least <paramref name="minimum"/>.</summary>
    private protected static void RequireAtLeast(double value, double minimum, string name)
    {
        if (!(value >= minimum && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and at least {minimum}.");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is positive and finite.</summary>
    private protected static void RequirePositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; 1.</summary>
    private protected static void RequireUnitInterval(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
        }
    }
}
