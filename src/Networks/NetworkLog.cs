using Microsoft.Extensions.Logging;

namespace Rewind.Networks;

/// <summary>The messages of Rewind.Networks; event ids are stable.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Fitting {Network} ({ParameterCount} parameters) to {Dataset}: {Iterations} iterations ({Epochs} epochs of {IterationsPerEpoch}), batch {BatchSize}, seed {Seed}, {Method}, adjoint {Adjoint}, loss {Loss}, optimizer {Optimizer}")]
    internal static partial void FitStarting(
        ILogger logger,
        Sequential network,
        int parameterCount,
        string dataset,
        int iterations,
        int epochs,
        int iterationsPerEpoch,
        int batchSize,
        int seed,
        string method,
        Rewind.Integrators.Adjoint adjoint,
        TrajectoryLoss loss,
        Optimizer optimizer);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "Epoch {Epoch}, iteration {Iteration}/{Iterations}: loss {Loss}, gradient norm {GradientNorm}, learning rate {LearningRate}, {Steps} steps, {Seconds} s")]
    internal static partial void IterationFinished(
        ILogger logger, int epoch, int iteration, int iterations, double loss, double gradientNorm, double learningRate, long steps, double seconds);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Epoch {Epoch}/{Epochs}: mean loss {MeanLoss}, last loss {Loss}, {IterationsPerSecond} iterations/s")]
    internal static partial void EpochFinished(ILogger logger, int epoch, int epochs, double meanLoss, double loss, double iterationsPerSecond);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Iteration {Iteration}: loss {Loss} on the full data")]
    internal static partial void Evaluated(ILogger logger, int iteration, double loss);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning,
        Message = "Iteration {Iteration}: the solve over the full data failed ({Reason}); its loss is reported as NaN")]
    internal static partial void EvaluationFailed(ILogger logger, int iteration, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information,
        Message = "Fit finished: {Iterations} iterations in {Seconds} s, last loss {Loss}")]
    internal static partial void FitFinished(ILogger logger, int iterations, double seconds, double loss);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "{Message}")]
    internal static partial void Diverged(ILogger logger, string message);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning,
        Message = "Fit canceled after {Iterations} completed iterations")]
    internal static partial void Canceled(ILogger logger, int iterations);
}
