namespace Rewind.Cli;

/// <summary>The accuracy measures of the stiff test set (Mazzia &amp; Magherini; deTestSet's <c>printpr</c>).</summary>
internal static class Accuracy
{
    /// <summary>
    /// mescd, the mixed-error significant correct digits of <paramref name="y"/> against <paramref name="reference"/>:
    /// −log10 max_i |y_i − ref_i| / (atol / rtol + |ref_i|), with the atol and rtol of the run. Components far above
    /// atol / rtol count by their relative error, tiny ones by their absolute error scaled by rtol / atol.
    /// +∞ when <paramref name="y"/> equals the reference exactly.
    /// </summary>
    /// <param name="y">The computed solution at the reference time.</param>
    /// <param name="reference">The reference solution, as many components as <paramref name="y"/>.</param>
    /// <param name="relativeTolerance">The run's rtol (positive).</param>
    /// <param name="absoluteTolerance">The run's atol (positive).</param>
    /// <returns>The number of correct digits (may be negative for a useless solution).</returns>
    public static double MixedErrorSignificantDigits(ReadOnlySpan<double> y, IReadOnlyList<double> reference,
                                                     double relativeTolerance, double absoluteTolerance)
    {
        if (y.Length != reference.Count)
        {
            throw new ArgumentException($"y has {y.Length} components, the reference {reference.Count}.", nameof(reference));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(relativeTolerance);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(absoluteTolerance);
        double floor = absoluteTolerance / relativeTolerance;
        double worst = 0.0;
        for (int i = 0; i < y.Length; i++)
        {
            // |ref_i| rather than ref_i: some implementations drop the absolute value, wrong for negative references.
            worst = Math.Max(worst, Math.Abs(y[i] - reference[i]) / (floor + Math.Abs(reference[i])));
        }
        return -Math.Log10(worst);
    }
}
