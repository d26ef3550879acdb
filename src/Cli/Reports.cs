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

/// <summary>Writes action kinds as <c>"forward"</c>, <c>"store"</c>, ... like the text schedule.</summary>
internal sealed class ScheduleActionKindConverter() : JsonStringEnumConverter<ScheduleActionKind>(JsonNamingPolicy.CamelCase);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
                             Converters = [typeof(ScheduleActionKindConverter)])]
[JsonSerializable(typeof(SolveReport))]
[JsonSerializable(typeof(GradientReport))]
[JsonSerializable(typeof(PlanReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
