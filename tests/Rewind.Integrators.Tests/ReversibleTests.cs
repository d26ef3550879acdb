using System.Globalization;
using Rewind;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// McCallum and Foster's reversible wrapper (Adjoint.Reversible): exact round trip, the base method's order, the
/// gradient against the same map differentiated at stored pairs, dot-product and Taylor tests, memory independent of
/// the number of steps, and bad input.
/// </summary>
public sealed class ReversibleTests
{
    [Theory]
    [InlineData("rk4", false)]
    [InlineData("midpoint", false)]
    [InlineData("bosh3", true)]
    [InlineData("dopri5", true)]
    public void RoundTripReturnsTheInitialStateOver1000Steps(string method, bool adaptive)
    {
        var problem = TestProblems.Rotation();
        var solver = adaptive
            ? new Solver(method, rtol: 1e-9, atol: 1e-9) { InitialStep = 1e-3 }
            : new Solver(method, dt: 0.01);
        const double end = 10.0;
        using var solution = solver.Solve(problem.At(end), Adjoint.Reversible(0.999), TestContext.Current.CancellationToken);
        double error = ReversibleChecks.RoundTripError(solution);  // over (y0, z0)
        var report = string.Create(CultureInfo.InvariantCulture, $"{method} ({(adaptive ? "adaptive" : "fixed")}): {solution.Statistics.Steps} steps, {solution.Statistics.RejectedSteps} rejected, round-trip relative error {error:E2}");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(adaptive ? solution.Statistics.Steps >= 100 : solution.Statistics.Steps == 1000, report);
        Assert.True(Vectors.MaxAbsDifference(solution.State(0), problem.Exact!(end)) <= 1e-3, "the forward solution must be accurate too: " + report);
        Assert.True(error <= 1e-12, report);
    }

    /// <summary>Measures (and reports) how the round-off of the reconstruction grows as λ decreases: about λ^-N.</summary>
    [Fact]
    public void RoundTripErrorGrowsAsTheCouplingDecreases()
    {
        var problem = TestProblems.Rotation();
        var solver = new Solver("rk4", dt: 0.01);
        var errors = new List<double>();
        foreach (double lambda in new[] { 1.0, 0.999, 0.99, 0.98, 0.97, 0.95 })
        {
            using var solution = solver.Solve(problem.At(10.0), Adjoint.Reversible(lambda), TestContext.Current.CancellationToken);
            double error = ReversibleChecks.RoundTripError(solution);
            errors.Add(error);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
                CultureInfo.InvariantCulture, $"rk4, dt 0.01, N = 1000, λ = {lambda}: round-trip relative error {error:E2}, λ^-N = {Math.Pow(lambda, -1000):E2}"));
        }

        Assert.True(errors[0] <= 1e-12 && errors[1] <= 1e-12, "λ near 1 must round-trip to round-off");
        Assert.True(errors[^1] > 1e3 * errors[1] || !double.IsFinite(errors[^1]), "the round-off must grow as λ decreases");
    }

    [Theory]
    [InlineData("midpoint", 2)]
    [InlineData("bosh3", 3)]
    [InlineData("rk4", 4)]
    [InlineData("dopri5", 5)]
    public void ConvergesAtTheBaseMethodsOrder(string method, int order)
    {
        var problem = TestProblems.Linear();
        const double end = 1.0;
        double[] exact = problem.Exact!(end);
        var steps = new List<double>();
        var errors = new List<double>();
        int[] counts = order >= 5 ? [8, 16, 32, 64] : [20, 40, 80, 160];
        foreach (int count in counts)
        {
            double dt = end / count;
            using var solution = new Solver(method, dt: dt).Solve(problem.At(end), Adjoint.Reversible(), TestContext.Current.CancellationToken);
            steps.Add(dt);
            errors.Add(Vectors.MaxAbsDifference(solution.State(0), exact));
        }

        double slope = Vectors.LogLogSlope(steps, errors);
        var report = string.Create(CultureInfo.InvariantCulture, $"reversible {method} (λ = 0.999) on linear: errors [{string.Join(", ", errors.Select(e => e.ToString("E2", CultureInfo.InvariantCulture)))}], order {slope:F3}");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Math.Abs(slope - order) <= 0.2, report);
    }

    [Theory]
    [InlineData("rk4", false)]
    [InlineData("midpoint", false)]
    [InlineData("ralston3", false)]
    [InlineData("bosh3", true)]
    [InlineData("dopri5", true)]
    public void AdjointIsTransposeOfTangent(string method, bool adaptive)
    {
        // The reverse pass differentiates at reconstructed states, which carry the round trip's round-off (a few 1e-12
        // relative on Lotka–Volterra): the identity holds to that, not to the 1e-12 of the store-all modes.
        DotProductTests.Check(method, adaptive, TestProblems.LotkaVolterra(), [0.0, 0.3, 1.234567, 2.5, 4.0], 1, Adjoint.Reversible(), tolerance: 1e-10);
        DotProductTests.Check(method, adaptive, TestProblems.Kepler(0.3), [0.77, 1.5, 3.1, 3.2], 3, Adjoint.Reversible(0.9), tolerance: 1e-10);
        DotProductTests.Check(method, adaptive, TestProblems.Rotation(), [0.5, 2.0, 3.0], 4, Adjoint.Reversible(), tolerance: 1e-12);
    }

    [Theory]
    [InlineData("rk4", 0.999)]
    [InlineData("midpoint", 0.9)]
    [InlineData("ralston3", 0.999)]
    public void TaylorRemainderShrinksQuadratically(string method, double lambda) =>
        TaylorTests.Check(method, adaptive: false, TestProblems.VanDerPol(), [0.25, 1.0, 2.2], seed: 12, Adjoint.Reversible(lambda));

    [Theory]
    [InlineData("rk4", false, 0.999, false)]
    [InlineData("midpoint", false, 0.99, false)]
    [InlineData("bosh3", true, 0.999, false)]
    [InlineData("rk4", false, 0.999, true)]
    [InlineData("bosh3", true, 0.999, true)]
    public void GradientEqualsTheStoreEverythingGradientOfTheSameMap(string method, bool adaptive, double lambda, bool withRunningCost)
    {
        var problem = TestProblems.LotkaVolterra();
        double[] times = [0.0, 0.5, 1.234567, 3.0, 5.0];
        var solver = adaptive ? new Solver(method, rtol: 1e-8, atol: 1e-8) : new Solver(method, dt: 0.005);
        var w = Solving.RandomCotangents(new Random(5), times.Length, problem.Field.StateSize);
        var adjoint = Adjoint.Reversible(lambda);
        var posed = problem.At(times);
        if (withRunningCost)
        {
            posed = new OdeProblem(posed.Field, [.. problem.InitialState], [.. problem.Parameters], posed.T0, times) { RunningCost = new LotkaVolterraCost() };
        }

        // Lotka–Volterra's reconstruction carries round-off near 1e-11 over these ~1000 steps (its local backward
        // growth, not λ); the gradients differ by that much and no more.
        var g = ReversibleChecks.GradientAgainstStoredStates(
            solver, posed, adjoint, w, 1e-9, $"{method} λ = {lambda}{(withRunningCost ? " with a running cost" : "")}");
        int stages = method == "midpoint" ? 2 : 4;
        Assert.Equal(2 * stages * g.Statistics.Steps, g.Statistics.Vjps);
        if (!adaptive)
        {
            // Two increments forward, two in the reverse step (its inversion), and no more.
            Assert.Equal(4 * stages * g.Statistics.Steps, g.Statistics.FunctionEvaluations);
        }
    }

    [Fact]
    public void PeakBytesKeptDoesNotGrowWithTheNumberOfSteps()
    {
        long small = ReversibleChecks.PeakBytesKeptOver100And1000Steps("rk4");
        // The extended states S_{n+1} = (y, z)_{n+1} and S_n, and one increment's s stage inputs (s = 4, n = 2).
        Assert.Equal(8L * ((2 * 2 * 2) + (4 * 2)), small);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void CouplingOutsideTheUnitIntervalIsRejected(double coupling)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Adjoint.Reversible(coupling));
        Assert.Equal("coupling", e.ParamName);
    }

    [Fact]
    public void ImplicitBaseMethodIsRejectedByName()
    {
        var problem = TestProblems.LotkaVolterra();
        var e = Assert.Throws<ArgumentException>(() => new Solver("kvaerno5", dt: 0.01).Solve(problem.At(1.0), Adjoint.Reversible(), TestContext.Current.CancellationToken));
        Assert.Contains("kvaerno5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptiveStepsWithoutAnEmbeddedEstimateAreRejected()
    {
        var problem = TestProblems.LotkaVolterra();
        var e = Assert.Throws<ArgumentException>(() => new Solver("rk4").Solve(problem.At(1.0), Adjoint.Reversible(), TestContext.Current.CancellationToken));
        Assert.Contains("rk4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NaNDuringReconstructionNamesTheTimeAndStep()
    {
        var field = new ReversePassPoison(TestProblems.LotkaVolterra().Field);
        var problem = new OdeProblem(field, [1.0, 1.0], [1.5, 1.0, 3.0, 1.0], 0.0, [1.0]);
        using var solution = new Solver("rk4", dt: 0.1).Solve(problem, Adjoint.Reversible(), TestContext.Current.CancellationToken);
        field.PoisonAfter = 0.55;
        var e = Assert.Throws<NonFiniteValueException>(() => solution.Backward([[1.0, 0.0]]));
        Assert.Contains("t = 0.5", e.Message, StringComparison.Ordinal);
        Assert.Contains("step 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringNamesTheCoupling()
    {
        Assert.Equal("reversible(λ = 0.999)", Adjoint.Reversible().ToString());
        Assert.Equal(GradientMode.Reversible, Adjoint.Reversible(0.5).Mode);
        Assert.Equal(0.5, Adjoint.Reversible(0.5).Coupling);
        Assert.True(Adjoint.Reversible().IsReverseAccurate);
    }

    /// <summary>A field that returns NaN at times before <see cref="PoisonAfter"/> once it is set (after the forward solve).</summary>
    private sealed class ReversePassPoison(ITangentVectorField inner) : ITangentVectorField
    {
        public double PoisonAfter { get; set; } = double.NegativeInfinity;

        public int StateSize => inner.StateSize;

        public int ParameterSize => inner.ParameterSize;

        public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
        {
            inner.Evaluate(t, y, p, dydt);
            if (t < PoisonAfter)
            {
                dydt[0] = double.NaN;
            }
        }

        public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
            inner.Vjp(t, y, p, w, wDy, wDp);

        public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv) =>
            inner.Jvp(t, y, p, v, jv);
    }
}
