using Rewind.Cli.Problems;
using Microsoft.Extensions.Logging;
using Rewind.Integrators;

namespace Rewind.Cli;

/// <summary>
/// What a solve or gradient command was asked to do. <see cref="InitialState"/> and <see cref="Parameters"/>
/// replace the problem's defaults when not null; <see cref="Method"/>, <see cref="RelativeTolerance"/> and
/// <see cref="AbsoluteTolerance"/> are null when not given, and then come from the problem's
/// <see cref="BuiltInProblem.Defaults"/> or the CLI's.
/// </summary>
internal sealed record SolveSettings(
    string ProblemName,
    string? Method,
    double? RelativeTolerance,
    double? AbsoluteTolerance,
    double FixedStep,
    double[]? InitialState,
    double[]? Parameters,
    bool Json,
    bool Verbose)
{
    /// <summary>The linear solver of implicit methods (<c>auto</c>, <c>dense</c> or <c>gmres</c>).</summary>
    public string LinearSolver { get; init; } = "auto";

    /// <summary>The Newton tolerance of implicit methods; null for the solver's default.</summary>
    public double? NewtonTolerance { get; init; }

    /// <summary>θ of the <c>theta</c> method; null for the solver's default.</summary>
    public double? Theta { get; init; }

    /// <summary>Whether the run uses the problem's own y0 and parameters, so that its reference solution applies.</summary>
    public bool UsesDefaultInputs => InitialState is null && Parameters is null;

    public double[] InitialStateOf(BuiltInProblem problem) => InitialState ?? [.. problem.InitialState];

    public double[] ParametersOf(BuiltInProblem problem) => Parameters ?? [.. problem.Parameters];

    public string MethodOf(BuiltInProblem problem) =>
        Method ?? problem.Defaults?.Method ?? SolveCommandOptions.DefaultMethod;

    public double RelativeToleranceOf(BuiltInProblem problem) =>
        RelativeTolerance ?? problem.Defaults?.RelativeTolerance ?? SolveCommandOptions.DefaultRelativeTolerance;

    public double AbsoluteToleranceOf(BuiltInProblem problem) =>
        AbsoluteTolerance ?? problem.Defaults?.AbsoluteTolerance ?? SolveCommandOptions.DefaultAbsoluteTolerance;

    /// <summary>The solver these settings describe for <paramref name="problem"/>; invalid values throw ArgumentException.</summary>
    public Solver CreateSolver(BuiltInProblem problem, ILogger logger)
    {
        string method = MethodOf(problem);
        double rtol = RelativeToleranceOf(problem), atol = AbsoluteToleranceOf(problem);
        return NewtonTolerance is { } newtonTolerance
            ? new Solver(method, rtol, atol, FixedStep, logger)
            {
                LinearSolver = LinearSolver,
                Theta = Theta,
                NewtonTolerance = newtonTolerance,
            }
            : new Solver(method, rtol, atol, FixedStep, logger) { LinearSolver = LinearSolver, Theta = Theta };
    }
}
