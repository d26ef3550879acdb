using Microsoft.Extensions.Logging;

namespace Rewind.Integrators;

/// <summary>The messages of Rewind.Integrators; event ids are stable.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug,
        Message = "Solving {StateSize} states with {ParameterSize} parameters by {Method} to {OutputCount} output times, keeping {Checkpointing}")]
    internal static partial void SolveStarting(
        ILogger logger, int stateSize, int parameterSize, string method, int outputCount, Adjoint checkpointing);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug,
        Message = "Solve finished: {Steps} steps, {RejectedSteps} rejected, {FunctionEvaluations} evaluations, {PeakBytesKept} bytes kept")]
    internal static partial void SolveFinished(
        ILogger logger, long steps, long rejectedSteps, long functionEvaluations, long peakBytesKept);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug,
        Message = "Backward finished: {Vjps} vector-Jacobian products, {RecomputedSteps} recomputed steps")]
    internal static partial void BackwardFinished(ILogger logger, long vjps, long recomputedSteps);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug,
        Message = "Tangent solve finished: {Jvps} Jacobian-vector products")]
    internal static partial void TangentFinished(ILogger logger, long jvps);

    /// <summary>A message from librewind, at the level it gave.</summary>
    [LoggerMessage(EventId = 100, Message = "{Message}")]
    internal static partial void NativeMessage(ILogger logger, LogLevel level, string message);
}
