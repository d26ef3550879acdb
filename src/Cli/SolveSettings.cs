using Rewind.Cli.Problems;

namespace Rewind.Cli;

/// <summary>
/// What a solve or gradient command was asked to do. <see cref="InitialState"/> and <see cref="Parameters"/>
/// replace the problem's defaults when not null.
/// </summary>
internal sealed record SolveSettings(
    string ProblemName,
    string Method,
    double RelativeTolerance,
    double AbsoluteTolerance,
    double FixedStep,
    double[]? InitialState,
    double[]? Parameters,
    bool Json,
    bool Verbose)
{
    public double[] InitialStateOf(BuiltInProblem problem) => InitialState ?? [.. problem.InitialState];

    public double[] ParametersOf(BuiltInProblem problem) => Parameters ?? [.. problem.Parameters];
}
