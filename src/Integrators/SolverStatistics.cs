using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>Work counters of a solve and of the passes over its trajectory.</summary>
/// <param name="Steps">Accepted steps of the forward solve.</param>
/// <param name="RejectedSteps">Steps rejected by the error controller.</param>
/// <param name="FunctionEvaluations">Evaluations of f, in the forward solve and in recomputation.</param>
/// <param name="Vjps">Vector–Jacobian products (adjoint).</param>
/// <param name="Jvps">Jacobian–vector products (tangent-linear).</param>
/// <param name="RecomputedSteps">Forward steps taken again to rebuild what the trajectory did not keep.</param>
/// <param name="PeakBytesKept">The largest number of bytes the trajectory held in RAM at once (states and stages).</param>
/// <param name="PeakDiskBytesKept">The largest number of bytes the trajectory held in checkpoint files at once
/// (<see cref="Checkpointing.Checkpointing.Multilevel"/>; 0 for the others).</param>
/// <param name="JacobianEvaluations">Dense Jacobians built by implicit methods (by <see cref="IDenseJacobian"/>, from
/// products, or by finite differences); 0 for explicit methods.</param>
/// <param name="Factorizations">LU factorizations of iteration matrices; 0 for explicit methods.</param>
/// <param name="NewtonIterations">Newton iterations of the forward solve and its recomputations; 0 for explicit methods.</param>
/// <param name="NewtonFailures">Step attempts whose Newton iteration failed and were retried smaller; 0 for explicit methods.</param>
/// <param name="LinearIterations">GMRES iterations, forward and reverse; 0 for dense linear solves and explicit methods.</param>
/// <param name="ReverseSteps">Accepted steps of reverse passes that solve an ODE of their own: the backward solve of
/// <see cref="Adjoint.Backsolve"/>. 0 for the discrete modes, whose reverse pass follows the forward solve's steps.</param>
/// <param name="ReverseRejectedSteps">Steps of those backward solves rejected by their error controller.</param>
/// <param name="ReconstructionSteps">Steps of <see cref="Adjoint.Reversible"/>'s reverse passes that rebuilt a state
/// algebraically from the next one (the exact inverse of the forward map); 0 for the other modes.</param>
public readonly record struct SolverStatistics(
    long Steps,
    long RejectedSteps,
    long FunctionEvaluations,
    long Vjps,
    long Jvps,
    long RecomputedSteps,
    long PeakBytesKept,
    long PeakDiskBytesKept,
    long JacobianEvaluations,
    long Factorizations,
    long NewtonIterations,
    long NewtonFailures,
    long LinearIterations,
    long ReverseSteps = 0,
    long ReverseRejectedSteps = 0,
    long ReconstructionSteps = 0)
{
    internal static SolverStatistics From(in TsStats stats) => new(
        stats.Steps,
        stats.RejectedSteps,
        stats.FunctionEvaluations,
        stats.VjpEvaluations,
        stats.JvpEvaluations,
        stats.RecomputedSteps,
        stats.PeakBytesKept,
        stats.PeakDiskBytesKept,
        stats.JacobianEvaluations,
        stats.Factorizations,
        stats.NewtonIterations,
        stats.NewtonFailures,
        stats.LinearIterations);

    /// <summary>A backward solve's counters as a reverse pass's: its steps become <see cref="ReverseSteps"/> and <see cref="ReverseRejectedSteps"/>.</summary>
    internal static SolverStatistics AsReverseSolve(in SolverStatistics solve) => solve with
    {
        Steps = 0,
        RejectedSteps = 0,
        RecomputedSteps = 0,
        ReverseSteps = solve.ReverseSteps + solve.Steps,
        ReverseRejectedSteps = solve.ReverseRejectedSteps + solve.RejectedSteps,
    };

    /// <summary>The sum of both counters, the larger of both peaks.</summary>
    internal SolverStatistics Plus(in SolverStatistics other) => new(
        Steps + other.Steps,
        RejectedSteps + other.RejectedSteps,
        FunctionEvaluations + other.FunctionEvaluations,
        Vjps + other.Vjps,
        Jvps + other.Jvps,
        RecomputedSteps + other.RecomputedSteps,
        Math.Max(PeakBytesKept, other.PeakBytesKept),
        Math.Max(PeakDiskBytesKept, other.PeakDiskBytesKept),
        JacobianEvaluations + other.JacobianEvaluations,
        Factorizations + other.Factorizations,
        NewtonIterations + other.NewtonIterations,
        NewtonFailures + other.NewtonFailures,
        LinearIterations + other.LinearIterations,
        ReverseSteps + other.ReverseSteps,
        ReverseRejectedSteps + other.ReverseRejectedSteps,
        ReconstructionSteps + other.ReconstructionSteps);
}
