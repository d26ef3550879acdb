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
    long LinearIterations)
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
}
