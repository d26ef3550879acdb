using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Rewind.Integrators;

namespace Rewind.Networks;

/// <summary>The settings of <see cref="NeuralOde.Fit"/>. An epoch is a fixed number of iterations; every iteration
/// draws a fresh batch from the dataset (without replacement within the batch) with one <see cref="Random"/> seeded
/// by <see cref="Seed"/>, so the same options, network and dataset give the same fit.</summary>
public sealed record TrainingOptions
{
    /// <summary>The number of epochs; at least 1; 10 by default.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Iterations per epoch, at least 1; null (the default): ⌈dataset.SampleCount / BatchSize⌉, about one pass over the data's windows or series.</summary>
    public int? IterationsPerEpoch { get; init; }

    /// <summary>Trajectories per batch (windows or series), between 1 and the dataset's <see cref="Dataset.SampleCount"/>; 20 by default (torchdiffeq's demo).</summary>
    public int BatchSize { get; init; } = 20;

    /// <summary>The seed of the batch sampling; 0 by default. (The network's initial parameters come from its own <see cref="Sequential.Initialize(Initializer, int)"/>.)</summary>
    public int Seed { get; init; }

    /// <summary>When set, a gradient whose Euclidean norm exceeds it is scaled down to it before the optimizer step; null (the default) for no clipping. Positive and finite.</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Every this many iterations (and after the last), the loss on <see cref="Dataset.FullBatch"/> is computed (a forward-only solve) and reported as <see cref="TrainingProgress.EvaluationLoss"/> (NaN if that solve failed, e.g. because the model's trajectory blows up over the whole series; training goes on); 0 (the default) never.</summary>
    public int EvaluationInterval { get; init; }
}

/// <summary>What one training iteration did, reported after its optimizer step.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Epochs">The number of epochs.</param>
/// <param name="Iteration">The iteration, from 1, counted over the whole fit.</param>
/// <param name="Iterations">The number of iterations of the fit.</param>
/// <param name="Loss">The batch loss, before this iteration's step.</param>
/// <param name="GradientNorm">The Euclidean norm of dL/dθ, before clipping.</param>
/// <param name="LearningRate">The learning rate of this iteration's step.</param>
/// <param name="IterationSeconds">Wall time of this iteration: sampling, solve, loss, backward pass and step (and the evaluation, if any).</param>
/// <param name="ElapsedSeconds">Wall time since the fit started.</param>
/// <param name="IterationsPerSecond">Iterations so far per second of <paramref name="ElapsedSeconds"/>.</param>
/// <param name="Statistics">The counters of this iteration's solve and backward pass (steps, evaluations, VJPs, recomputed steps, bytes kept).</param>
/// <param name="EvaluationLoss">The loss on the full data after this iteration's step, when it was evaluated (<see cref="TrainingOptions.EvaluationInterval"/>; NaN if its solve failed); else null.</param>
public sealed record TrainingProgress(
    int Epoch,
    int Epochs,
    int Iteration,
    int Iterations,
    double Loss,
    double GradientNorm,
    double LearningRate,
    double IterationSeconds,
    double ElapsedSeconds,
    double IterationsPerSecond,
    SolverStatistics Statistics,
    double? EvaluationLoss);

/// <summary>The record of a completed <see cref="NeuralOde.Fit"/>; the trained parameters are in the network.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(IReadOnlyList<TrainingProgress> history, double elapsedSeconds)
    {
        History = history;
        ElapsedSeconds = elapsedSeconds;
    }

    /// <summary>One entry per iteration, in order (what was reported to the progress callback).</summary>
    public IReadOnlyList<TrainingProgress> History { get; }

    /// <summary>The number of iterations.</summary>
    public int Iterations => History.Count;

    /// <summary>The last iteration's batch loss.</summary>
    public double FinalLoss => History[^1].Loss;

    /// <summary>The last full-data loss, if any was evaluated.</summary>
    public double? FinalEvaluationLoss => History.LastOrDefault(p => p.EvaluationLoss is not null)?.EvaluationLoss;

    /// <summary>Wall time of the fit.</summary>
    public double ElapsedSeconds { get; }
}

/// <summary>A batch loss and its gradient with respect to the network's parameters, as one training iteration computes them.</summary>
[SuppressMessage(
    "Performance",
    "CA1819:Properties should not return arrays",
    Justification = "The gradient is a result the caller owns and may modify; the array is not shared.")]
public sealed class BatchGradient
{
    internal BatchGradient(double loss, double[] parameters, SolverStatistics statistics)
    {
        Loss = loss;
        Parameters = parameters;
        Statistics = statistics;
    }

    /// <summary>L of the batch at the network's current parameters.</summary>
    public double Loss { get; }

    /// <summary>dL/dθ in the layout of <see cref="Sequential.Parameters"/>.</summary>
    public double[] Parameters { get; }

    /// <summary>The counters of the solve and its backward pass.</summary>
    public SolverStatistics Statistics { get; }
}

/// <summary>
/// A fit stopped because the loss, the gradient or the parameters became NaN or infinite, or the solve failed as a
/// diverging one does (non-finite values, step size underflow, too many steps, Newton failure). The message names
/// the epoch and the iteration; the network's parameters are those of the last iteration whose loss and gradient
/// were finite (the initial ones if it was the first).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrainingDivergedException()
        : this("Training diverged.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The solver's exception, if the solve failed.</param>
    public TrainingDivergedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal TrainingDivergedException(
        int epoch, int iteration, int iterations, string what, int lastGoodIteration, double lastGoodLoss, Exception? innerException)
        : base(Describe(epoch, iteration, iterations, what, lastGoodIteration, lastGoodLoss), innerException)
    {
        Epoch = epoch;
        Iteration = iteration;
        LastGoodIteration = lastGoodIteration;
        LastGoodLoss = lastGoodLoss;
    }

    /// <summary>The epoch, from 1; 0 if unknown.</summary>
    public int Epoch { get; }

    /// <summary>The iteration over the whole fit, from 1; 0 if unknown.</summary>
    public int Iteration { get; }

    /// <summary>The iteration whose starting parameters the network was restored to (the last with a finite loss and gradient); 0 if none was.</summary>
    public int LastGoodIteration { get; }

    /// <summary>The batch loss of <see cref="LastGoodIteration"/> at the parameters the network was restored to; NaN if no iteration was finite.</summary>
    public double LastGoodLoss { get; } = double.NaN;

    private static string Describe(int epoch, int iteration, int iterations, string what, int lastGoodIteration, double lastGoodLoss) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"Training diverged at epoch {epoch}, iteration {iteration} of {iterations}: {what}. ") +
        (lastGoodIteration == 0
            ? "No iteration had a finite loss and gradient; the network keeps its initial parameters."
            : string.Create(
                CultureInfo.InvariantCulture,
                $"The network keeps the parameters iteration {lastGoodIteration} started from (its batch loss {lastGoodLoss:G6}).")) +
        " Try a smaller learning rate, gradient clipping or tighter tolerances.";
}
