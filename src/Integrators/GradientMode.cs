namespace Rewind.Integrators;

/// <summary>How an <see cref="Adjoint"/> computes gradients: which algorithm, and therefore what the forward solve keeps.</summary>
public enum GradientMode
{
    /// <summary>No gradients: a forward-only solve (<see cref="Adjoint.None"/>).</summary>
    None,

    /// <summary>The exact discrete adjoint with a checkpoint policy (<see cref="Adjoint.Discrete"/>).</summary>
    Discrete,

    /// <summary>Matsubara et al.'s symplectic adjoint for explicit Runge–Kutta methods (<see cref="Adjoint.Symplectic"/>).</summary>
    Symplectic,

    /// <summary>ANODE's checkpoint per step, any method (<see cref="Adjoint.CheckpointPerStep"/>).</summary>
    CheckpointPerStep,

    /// <summary>The continuous adjoint solved backwards in time (<see cref="Adjoint.Backsolve"/>); not reverse-accurate.</summary>
    Backsolve,

    /// <summary>
    /// Algebraically reversible solves (<see cref="Adjoint.Reversible"/>): McCallum and Foster's wrapper of an explicit
    /// Runge–Kutta method, or one of the intrinsically reversible methods (<see cref="Solver.ReversibleMethods"/>).
    /// </summary>
    Reversible,
}
