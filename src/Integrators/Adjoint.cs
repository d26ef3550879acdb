using Rewind.Checkpointing;

namespace Rewind.Integrators;

/// <summary>How gradients of a solve are computed, and what the forward solve keeps for them.</summary>
public sealed class Adjoint
{
    private Adjoint(CheckpointPolicy checkpointing) => Checkpointing = checkpointing;

    /// <summary>What the forward solve keeps for the reverse pass.</summary>
    public CheckpointPolicy Checkpointing { get; }

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
}
