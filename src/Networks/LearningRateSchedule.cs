using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// The learning rate of every optimizer step, as a function of the step index s = 0, 1, 2, … (an
/// <see cref="Optimizer"/> asks for <c>At(StepCount)</c>; schedules count optimizer steps, i.e. training iterations,
/// not epochs). Small composable objects: <see cref="Constant"/>, <see cref="StepDecay"/>, <see cref="Exponential"/>,
/// <see cref="CosineAnnealing"/>, and <see cref="WithWarmup"/> to put a linear warmup in front of any of them.
/// Derive from this class for another schedule.
/// </summary>
/// <example><code>
/// var schedule = LearningRateSchedule.CosineAnnealing(1e-2, steps: 1000, minimum: 1e-4).WithWarmup(50);
/// double lr = schedule.At(10);   // 1e-2 · 11/50 during the warmup
/// </code></example>
public abstract class LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    protected LearningRateSchedule()
    {
    }

    /// <summary>The learning rate of step <paramref name="stepIndex"/>.</summary>
    /// <param name="stepIndex">The step index s, from 0.</param>
    /// <returns>The learning rate; positive and finite for the built-in schedules (the cosine's may reach a minimum of 0).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepIndex"/> is negative.</exception>
    public abstract double At(long stepIndex);

    /// <summary>η_s = η for every step.</summary>
    /// <param name="learningRate">η; positive and finite.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite.</exception>
    public static LearningRateSchedule Constant(double learningRate)
    {
        RequirePositive(learningRate, nameof(learningRate));
        return new ConstantSchedule(learningRate);
    }

    /// <summary>Step decay (PyTorch's <c>StepLR</c>): η_s = η₀ γ^⌊s / stepSize⌋.</summary>
    /// <param name="initial">η₀; positive and finite.</param>
    /// <param name="stepSize">The steps between decays; at least 1.</param>
    /// <param name="gamma">γ, the factor of each decay, in (0, 1]; 0.1 by default.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public static LearningRateSchedule StepDecay(double initial, long stepSize, double gamma = 0.1)
    {
        RequirePositive(initial, nameof(initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        RequireFactor(gamma, nameof(gamma));
        return new StepDecaySchedule(initial, stepSize, gamma);
    }

    /// <summary>Exponential decay (PyTorch's <c>ExponentialLR</c>): η_s = η₀ γ^s.</summary>
    /// <param name="initial">η₀; positive and finite.</param>
    /// <param name="gamma">γ in (0, 1].</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public static LearningRateSchedule Exponential(double initial, double gamma)
    {
        RequirePositive(initial, nameof(initial));
        RequireFactor(gamma, nameof(gamma));
        return new ExponentialSchedule(initial, gamma);
    }

    /// <summary>
    /// Cosine annealing (PyTorch's <c>CosineAnnealingLR</c> over one half period):
    /// η_s = η_min + (η₀ − η_min) (1 + cos(π min(s, S) / S)) / 2, falling from η₀ at s = 0 to η_min at s = S and
    /// staying there (it does not rise again after S, unlike PyTorch's).
    /// </summary>
    /// <param name="initial">η₀; positive and finite.</param>
    /// <param name="steps">S, the steps of the descent; at least 1.</param>
    /// <param name="minimum">η_min, finite, in [0, η₀]; 0 by default.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public static LearningRateSchedule CosineAnnealing(double initial, long steps, double minimum = 0)
    {
        RequirePositive(initial, nameof(initial));
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!(minimum >= 0 && minimum <= initial))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "minimum must be in [0, initial].");
        }

        return new CosineSchedule(initial, steps, minimum);
    }

    /// <summary>
    /// This schedule behind a linear warmup of <paramref name="steps"/> steps: η_s = At(0) (s + 1) / W for s &lt; W,
    /// then At(s − W) — the schedule starts when the warmup ends, so a cosine's S counts from there.
    /// </summary>
    /// <param name="steps">W, the warmup steps; at least 1.</param>
    /// <returns>The composed schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 1.</exception>
    public LearningRateSchedule WithWarmup(long steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return new WarmupSchedule(this, steps);
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    private static void RequireFactor(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1].");
        }
    }

    private sealed class ConstantSchedule(double learningRate) : LearningRateSchedule
    {
        public override double At(long stepIndex)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
            return learningRate;
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"constant({learningRate:R})");
    }

    private sealed class StepDecaySchedule(double initial, long stepSize, double gamma) : LearningRateSchedule
    {
        public override double At(long stepIndex)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
            return initial * Math.Pow(gamma, stepIndex / stepSize);
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"step-decay({initial:R}, every {stepSize}, gamma {gamma:R})");
    }

    private sealed class ExponentialSchedule(double initial, double gamma) : LearningRateSchedule
    {
        public override double At(long stepIndex)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
            return initial * Math.Pow(gamma, stepIndex);
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"exponential({initial:R}, gamma {gamma:R})");
    }

    private sealed class CosineSchedule(double initial, long steps, double minimum) : LearningRateSchedule
    {
        public override double At(long stepIndex)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
            double progress = (double)Math.Min(stepIndex, steps) / steps;
            return minimum + ((initial - minimum) * 0.5 * (1.0 + Math.Cos(Math.PI * progress)));
        }

        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"cosine({initial:R} to {minimum:R} over {steps})");
    }

    private sealed class WarmupSchedule(LearningRateSchedule inner, long steps) : LearningRateSchedule
    {
        public override double At(long stepIndex)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
            return stepIndex < steps ? inner.At(0) * (stepIndex + 1) / steps : inner.At(stepIndex - steps);
        }

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"warmup({steps}) then {inner}");
    }
}
