using Rewind.Checkpointing;

namespace Rewind.Integrators;

/// <summary>How gradients of a solve are computed, and what the forward solve keeps for them.</summary>
public sealed class Adjoint
{
    private Adjoint(CheckpointPolicy? checkpointing) => Checkpointing = checkpointing;

    /// <summary>
    /// A forward-only solve: nothing is kept for a reverse or tangent pass, so <see cref="Solution.Backward"/> and
    /// <see cref="Solution.Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/> throw
    /// <see cref="InvalidOperationException"/> on its solution. The cheapest way to get states (and the running
    /// cost): it keeps no trajectory, and implicit methods may reuse Jacobians and factorizations across steps,
    /// which solves kept for gradients do not do (their recomputed steps must repeat the forward's arithmetic).
    /// </summary>
    public static Adjoint None { get; } = new(null);

    /// <summary>What the forward solve keeps for the reverse pass; null for <see cref="None"/>.</summary>
    public CheckpointPolicy? Checkpointing { get; }

    /// <summary>Whether this is <see cref="None"/>: a forward-only solve that supports no gradient or tangent pass.</summary>
    public bool IsForwardOnly => Checkpointing is null;

    /// <summary>
    /// The exact discrete adjoint: the transpose of the steps the forward solve took, so gradients are exact
    /// derivatives of the computed solution.
    /// </summary>
    /// <param name="checkpointing">What the forward solve keeps; see <see cref="Rewind.Checkpointing.Checkpointing"/>.</param>
    /// <returns>The adjoint mode.</returns>
    public static Adjoint Discrete(CheckpointPolicy checkpointing)
    {
        ArgumentNullException.ThrowIfNull(checkpointing);
        return new Adjoint(checkpointing);
    }

    /// <summary>Returns <c>"none"</c> or the checkpoint policy, e.g. <c>"binomial(16)"</c>.</summary>
    /// <returns>The adjoint mode's description.</returns>
    public override string ToString() => Checkpointing?.ToString() ?? "none";
}
