using System.Globalization;
using Rewind;
using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// The intrinsically reversible methods (reversible Heun, ALF, alf4, alf6) under Adjoint.Reversible: exact round trip,
/// measured orders on uniform and smoothly varying grids, dot-product and Taylor tests, the gradient against the same
/// map differentiated at stored states, memory independent of the number of steps, and bad input.
/// </summary>
public sealed class ReversibleMethodTests
{
    /// <summary>Every reversible method, fixed and adaptive steps.</summary>
    public static TheoryData<string, bool> MethodsAndModes
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (bool adaptive in new[] { false, true })
            {
                foreach (string method in Solver.ReversibleMethods)
                {
                    data.Add(method, adaptive);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MethodsAndModes))]
    public void RoundTripReturnsTheInitialStateOver1000Steps(string method, bool adaptive)
    {
        var problem = TestProblems.Rotation();
        // Reversible Heun and ALF estimate their error to first order only: a tight tolerance costs very many steps.
        double tolerance = method is "alf4" or "alf6" ? 1e-8 : 1e-6;
        var solver = adaptive ? new Solver(method, rtol: tolerance, atol: tolerance) : new Solver(method, dt: 0.01);
        double end = adaptive && tolerance < 1e-6 ? 50.0 : 10.0;
        using var solution = solver.Solve(problem.At(end), Adjoint.Reversible(), TestContext.Current.CancellationToken);
        double error = ReversibleChecks.RoundTripError(solution);
        double forward = Vectors.MaxAbsDifference(solution.State(0), problem.Exact!(end));
        var report = string.Create(CultureInfo.InvariantCulture, $"{method} ({(adaptive ? "adaptive" : "fixed")}): {solution.Statistics.Steps} steps, {solution.Statistics.RejectedSteps} rejected, forward error {forward:E2}, round-trip relative error {error:E2}");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(adaptive ? solution.Statistics.Steps >= 20 : solution.Statistics.Steps == 1000, report);
        Assert.True(forward <= 1e-3, "the forward solution must be accurate too: " + report);
        Assert.True(error <= 1e-12, report);
    }

    [Fact]
    public void DampedAlfRoundTripsNearOneAndConvergesAtOrderTwo()
    {
        var problem = TestProblems.Rotation();
        using var solution = new Solver("alf", dt: 0.01) { Damping = 0.999 }.Solve(problem.At(10.0), Adjoint.Reversible(), TestContext.Current.CancellationToken);
        double error = ReversibleChecks.RoundTripError(solution);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alf η = 0.999, 1000 steps: round-trip relative error {error:E2} (1/|1-2η|^N = {Math.Pow(1 / 0.998, 1000):F2})"));
        Assert.True(error <= 1e-12, error.ToString("E2", CultureInfo.InvariantCulture));
        double slope = MeasuredOrder("alf", smooth: false, [40, 80, 160, 320], 0.999);
        Assert.True(Math.Abs(slope - 2) <= 0.2, slope.ToString("F3", CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("reversible-heun", 2, false)]
    [InlineData("alf", 2, false)]
    [InlineData("alf4", 4, false)]
    [InlineData("alf6", 6, false)]
    [InlineData("reversible-heun", 2, true)]
    [InlineData("alf", 2, true)]
    [InlineData("alf4", 4, true)]
    [InlineData("alf6", 6, true)]
    public void ConvergesAtItsOrderOnUniformAndVaryingGrids(string method, int order, bool smooth)
    {
        int[] counts = order switch
        {
            2 => [40, 80, 160, 320],
            4 => [10, 20, 40, 80],
            _ => [8, 16, 32, 64],
        };
        double slope = MeasuredOrder(method, smooth, counts, 1.0);
        Assert.True(Math.Abs(slope - order) <= 0.25, string.Create(CultureInfo.InvariantCulture, $"{method}: order {slope:F3}"));
    }

    private static double MeasuredOrder(string method, bool smooth, int[] counts, double damping)
    {
        var problem = TestProblems.Rotation();
        const double end = 4.0;
        double[] exact = problem.Exact!(end);
        var steps = new List<double>();
        var errors = new List<double>();
        foreach (int count in counts)
        {
            // The smooth grid: t_k = T (s + 0.5 sin(2πs)/(2π)), s = k/N: steps vary by a factor 3 along the interval.
            double[] grid = [.. Enumerable.Range(0, count + 1).Select(k =>
            {
                double s = (double)k / count;
                return k == count ? end : end * (s + (0.5 * Math.Sin(2 * Math.PI * s) / (2 * Math.PI)));
            })];
            var solver = new Solver(method, dt: end / count) { Damping = damping };
            using var solution = solver.SolveReversible(
                problem.At(end), Adjoint.Reversible(), keepEveryStep: false, TestContext.Current.CancellationToken, smooth ? grid : null);
            Assert.Equal(count, solution.Statistics.Steps);
            steps.Add(end / count);
            errors.Add(Vectors.MaxAbsDifference(solution.State(0), exact));
        }

        double slope = Vectors.LogLogSlope(steps, errors);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method} (η = {damping}, {(smooth ? "smoothly varying" : "uniform")} grid) on rotation: errors [{string.Join(", ", errors.Select(e => e.ToString("E2", CultureInfo.InvariantCulture)))}], order {slope:F3}"));
        return slope;
    }

    [Theory]
    [MemberData(nameof(MethodsAndModes))]
    public void AdjointIsTransposeOfTangent(string method, bool adaptive)
    {
        DotProduct(method, adaptive, 1.0, TestProblems.LotkaVolterra(), [0.0, 0.3, 1.234567, 2.5, 4.0], 1);
        DotProduct(method, adaptive, 1.0, TestProblems.Kepler(0.3), [0.77, 1.5, 3.1, 3.2], 3);
        DotProduct(method, adaptive, 1.0, TestProblems.Rotation(), [0.5, 2.0, 3.0], 4);
        if (method == "alf" && !adaptive)
        {
            // Damped ALF amplifies the reconstruction's round-off by 1/|1 − 2η| = 1.25 per step at η = 0.9: few steps only.
            DotProduct(method, adaptive, 0.9, TestProblems.LotkaVolterra(), [0.3, 1.0], 5);
        }
    }

    private static void DotProduct(string method, bool adaptive, double damping, TestProblem problem, double[] times, int seed)
    {
        var solver = adaptive ? new Solver(method, rtol: 1e-6, atol: 1e-6) { Damping = damping } : new Solver(method, dt: 0.02) { Damping = damping };
        DotProductTests.Check(method, adaptive, problem, times, seed, Adjoint.Reversible(), solver, tolerance: 1e-10);
    }

    [Theory]
    [InlineData("reversible-heun")]
    [InlineData("alf")]
    [InlineData("alf4")]
    [InlineData("alf6")]
    public void TaylorRemainderShrinksQuadratically(string method) =>
        TaylorTests.Check(method, adaptive: false, TestProblems.VanDerPol(), [0.25, 1.0, 2.2], seed: 12, Adjoint.Reversible());

    [Theory]
    [InlineData("reversible-heun", false)]
    [InlineData("alf", false)]
    [InlineData("alf4", false)]
    [InlineData("alf6", false)]
    [InlineData("alf", true)]
    [InlineData("alf4", true)]
    public void GradientEqualsTheStoreEverythingGradientOfTheSameMap(string method, bool adaptive)
    {
        var problem = TestProblems.Kepler(0.3);
        double[] times = [0.5, 1.234567, 3.0, 5.0];
        var solver = adaptive ? new Solver(method, rtol: 1e-8, atol: 1e-8) : new Solver(method, dt: 0.005);
        var w = Solving.RandomCotangents(new Random(5), times.Length, problem.Field.StateSize);
        var g = ReversibleChecks.GradientAgainstStoredStates(
            solver, problem.At(times), Adjoint.Reversible(), w, 1e-10, $"{method} ({(adaptive ? "adaptive" : "fixed")})");
        int substeps = AlfSubsteps(method);
        Assert.Equal((substeps * g.Statistics.Steps) + 1, g.Statistics.Vjps);
        if (!adaptive)
        {
            // f(t0, y0), one evaluation per substep forward, and one per substep in the reverse step, whose inversion
            // evaluates where the VJP is taken.
            Assert.Equal((2 * substeps * g.Statistics.Steps) + 1, g.Statistics.FunctionEvaluations);
        }
    }

    private static int AlfSubsteps(string method) => method switch
    {
        "alf4" => 10,
        "alf6" => 50,
        _ => 1,
    };

    [Theory]
    [InlineData("reversible-heun")]
    [InlineData("alf")]
    [InlineData("alf6")]
    public void PeakBytesKeptDoesNotGrowWithTheNumberOfSteps(string method)
    {
        long small = ReversibleChecks.PeakBytesKeptOver100And1000Steps(method);
        // n = 2: the extended states S_{n+1} and S_n, (y, ẑ, f) or (z, v), and what the reverse step holds of the step —
        // nothing for reversible Heun, a substep's input k for alf, k and two substep states (z, v) for the compositions.
        long expected = method switch
        {
            "reversible-heun" => 8L * 2 * 6,
            "alf" => 8L * ((2 * 4) + 2),
            _ => 8L * ((2 * 4) + 2 + (2 * 4)),
        };
        Assert.Equal(expected, small);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(0.5)]
    [InlineData(double.NaN)]
    public void DampingOutsideTheIntervalIsRejected(double damping)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("alf", dt: 0.1) { Damping = damping });
        Assert.Equal("Damping", e.ParamName);
    }

    [Theory]
    [InlineData("rk4")]
    [InlineData("alf4")]
    [InlineData("alf6")]
    [InlineData("reversible-heun")]
    public void DampingIsRejectedForOtherMethods(string method)
    {
        var e = Assert.Throws<ArgumentException>(() => new Solver(method, dt: 0.1) { Damping = 0.9 });
        Assert.Contains(method, e.Message, StringComparison.Ordinal);
        Assert.Equal(1.0, new Solver(method, dt: 0.1) { Damping = 1 }.Damping);
    }

    [Fact]
    public void ReversibleOnlyMethodsNeedAdjointReversible()
    {
        var problem = TestProblems.LotkaVolterra().At(1.0);
        foreach (string method in Solver.ReversibleMethods)
        {
            var solver = new Solver(method, dt: 0.1);
            Assert.True(solver.IsReversibleOnly);
            Assert.False(solver.IsImplicit);
            foreach (var adjoint in new[] { Adjoint.None, Adjoint.Discrete(Checkpointing.StoreAll), Adjoint.Symplectic(), Adjoint.CheckpointPerStep(), Adjoint.Backsolve() })
            {
                var e = Assert.Throws<ArgumentException>(() => solver.Solve(problem, adjoint, TestContext.Current.CancellationToken));
                Assert.Contains(method, e.Message, StringComparison.Ordinal);
                Assert.Contains("Adjoint.Reversible()", e.Message, StringComparison.Ordinal);
            }

            Assert.Throws<ArgumentException>(() => solver.Solve(problem));
            Assert.DoesNotContain(method, Solver.Methods);
        }

        Assert.Equal(["reversible-heun", "alf", "alf4", "alf6"], Solver.ReversibleMethods);
        Assert.False(new Solver("rk4").IsReversibleOnly);
        var unknown = Assert.Throws<ArgumentException>(() => new Solver("alf8"));
        Assert.Contains("alf6", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCouplingIsIgnoredByIntrinsicallyReversibleMethods()
    {
        var problem = TestProblems.LotkaVolterra().At(1.0);
        var solver = new Solver("alf", dt: 0.01);
        using var a = solver.Solve(problem, Adjoint.Reversible(), TestContext.Current.CancellationToken);
        using var b = solver.Solve(problem, Adjoint.Reversible(0.5), TestContext.Current.CancellationToken);
        Assert.Equal(a.State(0), b.State(0));
    }
}
