using Rewind.Checkpointing;
using Rewind.Cli.Problems;
using Rewind.Integrators;

namespace Rewind.Cli;

/// <summary>Runs a built-in problem through the public solver API.</summary>
internal static class ProblemRunner
{
    /// <summary>
    /// Solves forward only (<see cref="Adjoint.None"/>: nothing is kept, and implicit methods may reuse Jacobians
    /// across steps). When the problem has a reference solution and the run uses its default y0 and parameters,
    /// the report carries the mescd of y(T) with the run's rtol and atol.
    /// </summary>
    public static SolveReport Solve(BuiltInProblem problem, Solver solver, SolveSettings settings,
                                    CancellationToken cancellationToken)
    {
        using Solution solution = SolveForward(problem, solver, settings, Adjoint.None, cancellationToken);
        double[][] states = States(solution);
        double? mescd = problem.Reference is { } reference && settings.UsesDefaultInputs
            ? Accuracy.MixedErrorSignificantDigits(states[^1], reference, solver.RelativeTolerance, solver.AbsoluteTolerance)
            : null;
        return new SolveReport(problem.Name, solver.Method, solution.OutputTimes, states, solution.Statistics)
        {
            Mescd = mescd,
        };
    }

    /// <summary>
    /// Solves keeping what <paramref name="checkpointing"/> says, then runs the discrete adjoint of
    /// L = 0.5 ||y(T) - target||² at the last output time.
    /// </summary>
    public static GradientReport Gradient(BuiltInProblem problem, Solver solver, SolveSettings settings,
                                          CheckpointPolicy checkpointing, CancellationToken cancellationToken)
    {
        using Solution solution = SolveForward(problem, solver, settings, Adjoint.Discrete(checkpointing), cancellationToken);
        double[][] states = States(solution);
        double[] finalState = states[^1];
        // Only y(T) enters the loss; null cotangents stand for zero at the earlier output times.
        var outputCotangents = new double[]?[solution.Count];
        outputCotangents[^1] = problem.LossGradient(finalState);
        Gradient gradient = solution.Backward(outputCotangents);
        return new GradientReport(problem.Name, solver.Method, checkpointing.ToString(), solution.OutputTimes, states,
                                  problem.Loss(finalState),
                                  new LossGradient(gradient.InitialState, gradient.Parameters),
                                  gradient.Statistics);
    }

    private static Solution SolveForward(BuiltInProblem problem, Solver solver, SolveSettings settings,
                                         Adjoint adjoint, CancellationToken cancellationToken)
    {
        var odeProblem = new OdeProblem(problem, settings.InitialStateOf(problem), settings.ParametersOf(problem),
                                        problem.T0, [.. problem.OutputTimes]);
        return solver.Solve(odeProblem, adjoint, cancellationToken);
    }

    private static double[][] States(Solution solution) =>
        [.. Enumerable.Range(0, solution.Count).Select(solution.State)];
}
