using System.Globalization;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>Checks shared by the tests of <see cref="Adjoint.Reversible"/> (McCallum–Foster and the reversible methods).</summary>
internal static class ReversibleChecks
{
    /// <summary>The relative difference between the extended initial state and its reconstruction from the final one.</summary>
    internal static double RoundTripError(Solution solution)
    {
        var reversible = solution.Reversible!;
        double[] s0 = reversible.InitialState();
        return Vectors.MaxAbsDifference(reversible.Reconstruct(), s0) / Vectors.MaxAbs(s0);
    }

    /// <summary>
    /// The gradient of the reconstructing solve, held to the store-every-step variant of the same map (differentiated at
    /// stored states) to <paramref name="tolerance"/> relative; every step is reconstructed once.
    /// </summary>
    internal static Gradient GradientAgainstStoredStates(Solver solver, OdeProblem problem, Adjoint adjoint, IReadOnlyList<double[]> w, double tolerance, string label)
    {
        using var reconstructing = solver.Solve(problem, adjoint, TestContext.Current.CancellationToken);
        using var storing = solver.SolveReversible(problem, adjoint, keepEveryStep: true, TestContext.Current.CancellationToken);
        var g = reconstructing.Backward(w);
        var stored = storing.Backward(w);
        double dy = Vectors.RelativeDifference(g.InitialState, stored.InitialState);
        double dp = Vectors.RelativeDifference(g.Parameters, stored.Parameters);
        var report = string.Create(CultureInfo.InvariantCulture, $"{label}: {g.Statistics.Steps} steps, relative differences dL/dy0 {dy:E2}, dL/dp {dp:E2}");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(g.IsReverseAccurate);
        Assert.True(dy <= tolerance && dp <= tolerance, report);
        Assert.Equal(g.Statistics.Steps, g.Statistics.ReconstructionSteps);
        return g;
    }

    /// <summary>
    /// PeakBytesKept of a gradient on Lotka–Volterra (n = 2) over 100 and over 1000 fixed steps of <paramref name="method"/>,
    /// asserted equal; returns it.
    /// </summary>
    internal static long PeakBytesKeptOver100And1000Steps(string method)
    {
        var problem = TestProblems.LotkaVolterra();
        var w = Solving.RandomCotangents(new Random(7), 1, problem.Field.StateSize);
        long Peak(int steps)
        {
            using var solution = new Solver(method, dt: 1.0 / steps).Solve(problem.At(1.0), Adjoint.Reversible(), TestContext.Current.CancellationToken);
            var gradient = solution.Backward(w);
            Assert.Equal(steps, gradient.Statistics.Steps);
            Assert.Equal(steps, gradient.Statistics.ReconstructionSteps);
            return gradient.Statistics.PeakBytesKept;
        }

        long small = Peak(100);
        Assert.Equal(small, Peak(1000));
        return small;
    }
}
