using Rewind.Cli;
using Xunit;

namespace RewindTests.Cli;

/// <summary>mescd, the stiff test set's mixed-error significant correct digits, against hand-computed values.</summary>
public sealed class AccuracyTests
{
    [Fact]
    public void MescdMatchesAHandComputedValue()
    {
        // rtol = 1e-6, atol = 1e-10: atol / rtol = 1e-4.
        //   component 0: |1.000001 - 1| / (1e-4 + 1)     = 1e-6 / 1.0001 = 9.99900009999e-7
        //   component 1: |2e-12 - 1e-12| / (1e-4 + 1e-12) = 1e-12 / 1e-4  = 1e-8 (absolute error, scaled)
        // mescd = -log10(9.99900009999e-7) = 6 + log10(1.0001) = 6.0000434272768626
        double mescd = Accuracy.MixedErrorSignificantDigits([1.000001, 2e-12], [1.0, 1e-12], 1e-6, 1e-10);
        Assert.Equal(6.0000434272768626, mescd, 1e-9);
    }

    [Fact]
    public void MescdUsesTheAbsoluteValueOfTheReference()
    {
        // |-0.9 - (-1)| / (atol / rtol + |-1|) = 0.1 / 2 = 0.05, so mescd = -log10(0.05) = 1.3010299956639813.
        // Without the absolute value the denominator would be 1 - 1 = 0.
        double mescd = Accuracy.MixedErrorSignificantDigits([-0.9], [-1.0], 1.0, 1.0);
        Assert.Equal(1.3010299956639813, mescd, 1e-12);
    }

    [Fact]
    public void MescdIsTheWorstComponent()
    {
        // Relative errors 1e-3 and 1e-5 (atol / rtol negligible): the worst, 1e-3, gives 3 digits.
        double mescd = Accuracy.MixedErrorSignificantDigits([1.001, 2.00002], [1.0, 2.0], 1.0, 1e-300);
        Assert.Equal(3.0, mescd, 1e-9);
    }

    [Fact]
    public void AnExactSolutionHasInfinitelyManyDigits() =>
        Assert.Equal(double.PositiveInfinity, Accuracy.MixedErrorSignificantDigits([1.0, 2.0], [1.0, 2.0], 1e-6, 1e-6));

    [Fact]
    public void MismatchedLengthsAndBadTolerancesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Accuracy.MixedErrorSignificantDigits([1.0], [1.0, 2.0], 1e-6, 1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.MixedErrorSignificantDigits([1.0], [1.0], 0.0, 1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Accuracy.MixedErrorSignificantDigits([1.0], [1.0], 1e-6, -1.0));
    }
}
