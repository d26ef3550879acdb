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
public readonly record struct SolverStatistics(
    long Steps,
    long RejectedSteps,
    long FunctionEvaluations,
    long Vjps,
    long Jvps,
    long RecomputedSteps,
    long PeakBytesKept,
    long PeakDiskBytesKept)
{
    internal static SolverStatistics From(in TsStats stats) => new(
        stats.Steps,
        stats.RejectedSteps,
        stats.FunctionEvaluations,
        stats.VjpEvaluations,
        stats.JvpEvaluations,
        stats.RecomputedSteps,
        stats.PeakBytesKept,
        stats.PeakDiskBytesKept);
}
