using System.Text.Json;
using System.Text.Json.Serialization;
using Rewind.Checkpointing;
using Rewind.Integrators;

namespace Rewind.Cli;

/// <summary>
/// What <c>rewind solve</c> prints; the property names are the JSON field names. <see cref="Mescd"/> is the
/// mixed-error significant correct digits of y(T) against the problem's reference (written only when there is one).
/// </summary>
internal sealed record SolveReport(
    string Problem,
    string Method,
    IReadOnlyList<double> Times,
    IReadOnlyList<double[]> States,
    SolverStatistics Statistics)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double? Mescd { get; init; }
}

/// <summary>
/// What <c>rewind gradient</c> prints: the solve, the checkpoint policy, the loss and its gradient; the statistics
/// count the forward and the reverse pass together.
/// </summary>
internal sealed record GradientReport(
    string Problem,
    string Method,
    string Checkpointing,
    IReadOnlyList<double> Times,
    IReadOnlyList<double[]> States,
    double Loss,
    LossGradient Gradient,
    SolverStatistics Statistics);

/// <summary>dL/dy0 and dL/dp.</summary>
internal sealed record LossGradient(double[] InitialState, double[] Parameters);

/// <summary>
/// What <c>rewind plan</c> prints: the counts of one reverse pass under <see cref="Policy"/>, the Griewank–Walther
/// optimum for the same steps and checkpoints with its repetition number, and <see cref="RatioToOptimum"/>
/// (recomputed / optimal; 1 for a single step, where
/// there is nothing to recompute). <see cref="Actions"/> is null unless asked for.
/// </summary>
internal sealed record PlanReport(
    string Policy,
    long Steps,
    long Checkpoints,
    long RecomputedSteps,
    long OptimalRecomputedSteps,
    long Repetitions,
    long PeakCheckpoints,
    double RatioToOptimum,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ScheduleAction>? Actions)
{
    public static PlanReport Of(CheckpointPolicy policy, CheckpointSchedule schedule, bool withActions) => new(
        policy.ToString(),
        schedule.Steps,
        schedule.Checkpoints,
        schedule.RecomputedSteps,
        schedule.OptimalRecomputedSteps,
        schedule.Repetitions,
        schedule.PeakCheckpoints,
        schedule.OptimalRecomputedSteps == 0 ? 1.0 : (double)schedule.RecomputedSteps / schedule.OptimalRecomputedSteps,
        withActions ? schedule.Actions : null);
}

/// <summary>
/// What <c>rewind train</c> prints with <c>--json</c> (and in words without): the setup, how the fit ended
/// (<see cref="Status"/>: <c>completed</c>, <c>diverged</c> or <c>canceled</c>, with <see cref="Failure"/> saying why),
/// the batch loss of the first and last iteration, the loss on the full data (every series from its initial state)
/// before and after training, the time, the last iteration's solver statistics, and the files written. A loss that
/// could not be computed is NaN.
/// </summary>
[JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)]
internal sealed record TrainReport(
    string Dataset,
    string DatasetDescription,
    string Network,
    int ParameterCount,
    string Method,
    string Solver,
    string Checkpointing,
    string Loss,
    string Optimizer,
    int Epochs,
    int IterationsPerEpoch,
    int Iterations,
    int CompletedIterations,
    int BatchSize,
    int Seed,
    string Status,
    double FirstLoss,
    double FinalLoss,
    double InitialFullDataLoss,
    double FinalFullDataLoss,
    double Seconds,
    double IterationsPerSecond,
    SolverStatistics Statistics,
    TrainOutputs Outputs)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Failure { get; init; }
}

/// <summary>The output folder and the files <c>rewind train</c> wrote into it, as absolute paths.</summary>
internal sealed record TrainOutputs(string Directory, string LossCsv, string Parameters, string Plot);

/// <summary>Writes action kinds as <c>"forward"</c>, <c>"store"</c>, ... like the text schedule.</summary>
internal sealed class ScheduleActionKindConverter() : JsonStringEnumConverter<ScheduleActionKind>(JsonNamingPolicy.CamelCase);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
                             Converters = [typeof(ScheduleActionKindConverter)])]
[JsonSerializable(typeof(SolveReport))]
[JsonSerializable(typeof(GradientReport))]
[JsonSerializable(typeof(PlanReport))]
[JsonSerializable(typeof(TrainReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
