using System.Text.Json.Serialization;
using Rewind.Integrators;

namespace Rewind.Cli;

/// <summary>What <c>rewind solve</c> prints; the property names are the JSON field names.</summary>
internal sealed record SolveReport(
    string Problem,
    string Method,
    IReadOnlyList<double> Times,
    IReadOnlyList<double[]> States,
    SolverStatistics Statistics);

/// <summary>
/// What <c>rewind gradient</c> prints: the solve, the loss and its gradient; the statistics count the forward and
/// the reverse pass together.
/// </summary>
internal sealed record GradientReport(
    string Problem,
    string Method,
    IReadOnlyList<double> Times,
    IReadOnlyList<double[]> States,
    double Loss,
    LossGradient Gradient,
    SolverStatistics Statistics);

/// <summary>dL/dy0 and dL/dp.</summary>
internal sealed record LossGradient(double[] InitialState, double[] Parameters);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(SolveReport))]
[JsonSerializable(typeof(GradientReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
