namespace Rewind.Checkpointing;

/// <summary>The available checkpoint policies: pass one to <c>Adjoint.Discrete</c>. Every policy gives the same gradients, bit for bit.</summary>
public static class Checkpointing
{
    /// <summary>Keeps every accepted step and its stages (native <c>"store-all"</c>); memory grows with the steps.</summary>
    public static CheckpointPolicy StoreAll => StoreAllPolicy.Instance;

    /// <summary>
    /// Keeps every accepted step's state but not its stages (native <c>"solution-only"</c>): less memory than
    /// <see cref="StoreAll"/>, still growing with the steps; the reverse pass recomputes every step but the last once.
    /// </summary>
    public static CheckpointPolicy SolutionOnly => SolutionOnlyPolicy.Instance;

    /// <summary>
    /// Keeps <paramref name="checkpoints"/> states in RAM (the initial state included), placed by Revolve so that the
    /// reverse pass recomputes the fewest steps possible (Griewank–Walther). A fixed-step solve counts its steps
    /// itself; an adaptive one places its states as <see cref="OnlineBinomial"/> does.
    /// </summary>
    /// <param name="checkpoints">The number of states kept; at least 1.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkpoints"/> is less than 1.</exception>
    public static CheckpointPolicy Binomial(int checkpoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoints, 1);
        return new BinomialPolicy(checkpoints, plannedSteps: 0);
    }

    /// <summary>
    /// Like <see cref="Binomial(int)"/>, with the states placed for <paramref name="plannedSteps"/> steps before the
    /// solve starts, also for adaptive solves. A solve that needs more steps fails with an <see cref="ArgumentException"/>.
    /// </summary>
    /// <param name="checkpoints">The number of states kept; at least 1.</param>
    /// <param name="plannedSteps">The most steps the solve may take; at least 1.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkpoints"/> or <paramref name="plannedSteps"/> is less than 1.</exception>
    public static CheckpointPolicy Binomial(int checkpoints, long plannedSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoints, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(plannedSteps, 1);
        return new BinomialPolicy(checkpoints, plannedSteps);
    }

    /// <summary>
    /// Keeps at most <paramref name="checkpoints"/> states in RAM whatever the number of steps turns out to be: for
    /// adaptive solves. It recomputes more than <see cref="Binomial(int)"/> would for the same, known, step count.
    /// </summary>
    /// <param name="checkpoints">The number of states kept; at least 1.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="checkpoints"/> is less than 1.</exception>
    public static CheckpointPolicy OnlineBinomial(int checkpoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpoints, 1);
        return new OnlineBinomialPolicy(checkpoints);
    }

    /// <summary>
    /// Keeps <paramref name="ram"/> states in RAM and <paramref name="disk"/> states in files under
    /// <paramref name="directory"/>, placed as <see cref="Binomial(int)"/> over both, for runs too long for RAM.
    /// The files are removed when no longer needed, when the solve fails, and when the solution is disposed.
    /// </summary>
    /// <param name="ram">The number of states kept in RAM; 0 or more.</param>
    /// <param name="disk">The number of states kept in files; at least 1.</param>
    /// <param name="directory">An existing, writable directory; it is checked when the solve starts
    /// (<see cref="IOException"/> if it cannot be written).</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ram"/> is negative or <paramref name="disk"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null, empty or white space.</exception>
    public static CheckpointPolicy Multilevel(int ram, int disk, string directory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ram);
        ArgumentOutOfRangeException.ThrowIfLessThan(disk, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return new MultilevelPolicy(ram, disk, directory);
    }
}
