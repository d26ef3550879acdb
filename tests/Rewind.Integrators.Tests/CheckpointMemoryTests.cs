using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Checkpoint memory as the solver counts it, through the forward solve and the reverse pass: a budgeted policy
/// holds its c states plus one step's kept vectors (k, <see cref="KeptVectors"/>), in RAM and on disk as told, and
/// does not grow with the number of steps, while store-all grows linearly.
/// </summary>
public sealed class CheckpointMemoryTests
{
    private const int StateSize = 16;
    private const long VectorBytes = StateSize * sizeof(double);

    public static TheoryData<string, bool> MethodsAndModes => GradientSettings.MethodsAndModes;

    [Theory]
    [MemberData(nameof(MethodsAndModes))]
    public void BudgetedPoliciesStayWithinTheirStatesPlusOneStep(string method, bool adaptive)
    {
        var k = KeptVectors.PerStep(method, adaptive);
        foreach (var c in new[] { 1, 3, 8 })
        {
            foreach (var policy in new[] { Checkpointing.Binomial(c), Checkpointing.OnlineBinomial(c) })
            {
                var (steps, peak) = PeaksThroughBackward(method, adaptive, policy);
                var bound = (c + k) * VectorBytes;
                TestContext.Current.TestOutputHelper?.WriteLine($"{method} {policy}, {steps} steps: {peak.Ram} bytes at peak, bound {bound}");
                Assert.True(peak.Ram > 0 && peak.Ram <= bound, $"{method} {policy}, {steps} steps: {peak.Ram} bytes at peak, bound {bound}");
                Assert.Equal(0, peak.Disk);
            }
        }
    }

    [Theory]
    [MemberData(nameof(MethodsAndModes))]
    public void MultilevelSplitsItsStatesBetweenRamAndDisk(string method, bool adaptive)
    {
        var k = KeptVectors.PerStep(method, adaptive);
        using var scratch = new ScratchDirectory();
        foreach (var (ram, disk) in new[] { (1, 2), (0, 3), (2, 4) })
        {
            var policy = Checkpointing.Multilevel(ram, disk, scratch.Path);
            var (steps, peak) = PeaksThroughBackward(method, adaptive, policy);
            var label = $"{method} {policy}, {steps} steps";
            TestContext.Current.TestOutputHelper?.WriteLine($"{label}: {peak.Ram} bytes in RAM, {peak.Disk} on disk at peak");
            Assert.True(peak.Ram > 0 && peak.Ram <= (ram + k) * VectorBytes, $"{label}: {peak.Ram} bytes in RAM at peak");
            Assert.True(peak.Disk > 0 && peak.Disk <= disk * VectorBytes, $"{label}: {peak.Disk} bytes on disk at peak");
            Assert.Empty(scratch.Entries());
        }
    }

    [Theory]
    [InlineData("rk4")]
    [InlineData("dopri5")]
    public void StoreAllGrowsWithTheStepsAndBinomialDoesNot(string method)
    {
        const long steps = 100;
        var storeAll = FixedStepPeaks(method, steps, Checkpointing.StoreAll);
        var storeAll4 = FixedStepPeaks(method, 4 * steps, Checkpointing.StoreAll);
        var binomial = FixedStepPeaks(method, steps, Checkpointing.Binomial(8));
        var binomial4 = FixedStepPeaks(method, 4 * steps, Checkpointing.Binomial(8));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{method}, n = {StateSize}: store-all {storeAll} -> {storeAll4} bytes, binomial(8) {binomial} -> {binomial4} bytes for {steps} -> {4 * steps} steps");

        Assert.Equal(4 * storeAll, storeAll4);
        Assert.Equal(binomial, binomial4);
        Assert.True(binomial <= (8 + KeptVectors.PerStep(method, adaptive: false)) * VectorBytes, $"binomial(8): {binomial} bytes");
    }

    /// <summary>The tanh ring from 0.25 to 6.25 with one Backward: the steps and the peaks counted through both passes.</summary>
    private static (long Steps, (long Ram, long Disk) Peak) PeaksThroughBackward(string method, bool adaptive, CheckpointPolicy policy)
    {
        var solver = adaptive ? new Solver(method, rtol: 1e-5, atol: 1e-5) : new Solver(method, dt: 0.05);
        var problem = TestProblems.TanhRing(StateSize).At(2.0, 6.25);
        using var solution = CheckpointRuns.Solve(solver, problem, policy);
        var after = solution.Backward([null, Vectors.Random(new Random(5), StateSize)]).Statistics;
        return (after.Steps, (after.PeakBytesKept, after.PeakDiskBytesKept));
    }

    private static long FixedStepPeaks(string method, long steps, CheckpointPolicy policy)
    {
        const double dt = 1.0 / 32;  // exact in binary: exactly `steps` steps
        var ring = TestProblems.TanhRing(StateSize);
        using var solution = CheckpointRuns.Solve(new Solver(method, dt: dt), ring.At(ring.T0 + (steps * dt)), policy);
        Assert.Equal(steps, solution.Statistics.Steps);
        return solution.Backward([Vectors.Random(new Random(3), StateSize)]).Statistics.PeakBytesKept;
    }
}
