using System.Globalization;
using Rewind;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// The running cost Q(t) = ∫ g(t, y, p) dt: its values against the closed form of a problem with a known solution,
/// and its derivatives — Backward differentiates Σ_k w_k · y(t_k) + Q(t_last), Tangent gives dQ — held to the
/// dot-product test and the Taylor remainder test, for an explicit and an implicit method.
/// </summary>
public sealed class RunningCostTests
{
    /// <summary>Method, adaptive steps, gradient mode (see <see cref="ModeOf"/>).</summary>
    public static TheoryData<string, bool, string> Methods => new()
    {
        { "rk4", false, "store-all" },
        { "dopri5", true, "store-all" },
        { "kvaerno4", false, "store-all" },
        { "kvaerno5", true, "store-all" },
        { "beuler", false, "store-all" },
        { "dopri5", true, "symplectic" },
        { "kvaerno4", true, "checkpoint-per-step" },
        { "rk4", false, "reversible" },
        { "bosh3", true, "reversible" },
        { "reversible-heun", false, "reversible" },
        { "alf4", true, "reversible" },
    };

    private static Adjoint ModeOf(string mode) => mode switch
    {
        "store-all" => Adjoint.Discrete(Rewind.Checkpointing.Checkpointing.StoreAll),
        "symplectic" => Adjoint.Symplectic(),
        "checkpoint-per-step" => Adjoint.CheckpointPerStep(),
        "reversible" => Adjoint.Reversible(),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown gradient mode"),
    };

    // The reversible modes differentiate at reconstructed states, which carry the round trip's round-off (near 1e-11
    // relative on Lotka–Volterra); the identities hold to that.
    private static double DotTolerance(string mode) => mode == "reversible" ? 1e-10 : 1e-12;

    [Theory]
    [InlineData("dopri5", "store-all")]
    [InlineData("kvaerno5", "store-all")]
    [InlineData("tsit5", "store-all")]
    [InlineData("sdirk4", "store-all")]
    [InlineData("dopri5", "reversible")]
    [InlineData("alf6", "reversible")]
    public void RunningCostMatchesTheClosedForm(string method, string mode)
    {
        // y' = -a y, y(0) = y0: y = y0 e^(-a t); g = y^2 + a t gives Q(t) = y0^2 (1 - e^(-2 a t)) / (2 a) + a t^2 / 2.
        const double a = 0.8, y0 = 1.5, tolerance = 1e-10;
        double[] times = [0.0, 0.3, 1.1, 2.5];
        var problem = new OdeProblem(new DecayField(), [y0], [a], 0.0, times) { RunningCost = new SquarePlusTimeCost() };
        using var solution = Solving.Solve(new Solver(method, rtol: tolerance, atol: tolerance), problem, ModeOf(mode));
        Assert.Equal(times.Length, solution.RunningCost.Count);
        Assert.Equal(0.0, solution.RunningCost[0]);
        for (var k = 1; k < times.Length; k++)
        {
            var t = times[k];
            var exact = (y0 * y0 * (1 - Math.Exp(-2 * a * t)) / (2 * a)) + (a * t * t / 2);
            var error = Math.Abs(solution.RunningCost[k] - exact);
            TestContext.Current.TestOutputHelper?.WriteLine(
                string.Create(CultureInfo.InvariantCulture, $"{method} ({mode}): Q({t}) = {solution.RunningCost[k]:R}, exact {exact:R}, error {error:E2}"));
            Assert.True(error <= 100 * tolerance * (1 + Math.Abs(exact)), $"{method}: Q({t}) = {solution.RunningCost[k]:R}, exact {exact:R}");
        }
    }

    [Fact]
    public void WithoutARunningCostTheListIsEmptyAndTheTangentOfQIsZero()
    {
        var problem = TestProblems.LotkaVolterra().At(1.0, 2.0);
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.1), problem);
        Assert.Empty(solution.RunningCost);
        solution.Tangent([1.0, 0.0], [0, 0, 0, 0], out var dq);
        Assert.Equal([0.0, 0.0], dq);
    }

    [Fact]
    public void RunningCostIsComputedInAForwardOnlySolve()
    {
        var problem = new OdeProblem(new DecayField(), [1.0], [0.5], 0.0, [1.0, 2.0]) { RunningCost = new SquarePlusTimeCost() };
        var solver = new Solver("dopri5", rtol: 1e-10, atol: 1e-10);
        using var forwardOnly = solver.Solve(problem, Adjoint.None, TestContext.Current.CancellationToken);
        using var kept = Solving.Solve(solver, problem);
        Assert.Equal(kept.RunningCost, forwardOnly.RunningCost);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void AdjointIncludingTheRunningCostIsTheTransposeOfTheTangent(string method, bool adaptive, string mode)
    {
        var problem = WithCost(TestProblems.LotkaVolterra(), [0.0, 0.4, 1.3, 2.5]);
        var random = new Random(21);
        var solver = adaptive ? new Solver(method, rtol: 1e-6, atol: 1e-6) : new Solver(method, dt: 0.05);
        using var solution = Solving.Solve(solver, problem, ModeOf(mode));
        var dy0 = Vectors.Random(random, 2);
        var dp = Vectors.Random(random, 4);
        var w = Solving.RandomCotangents(random, problem.OutputTimes.Count, 2);

        var tangent = solution.Tangent(dy0, dp, out var dq);
        Assert.Equal(problem.OutputTimes.Count, dq.Length);
        Assert.Equal(0.0, dq[0]);  // Q(t0) = 0 whatever the inputs
        var forward = dq[^1];
        for (var k = 0; k < tangent.Length; k++)
        {
            forward += Vectors.Dot(tangent[k], w[k]);
        }

        var gradient = solution.Backward(w);
        var reverse = Vectors.Dot(dy0, gradient.InitialState) + Vectors.Dot(dp, gradient.Parameters);
        var residual = Vectors.RelativeDifference(forward, reverse);
        var report = $"{method} ({(adaptive ? "adaptive" : "fixed")}, {mode}): <Jv,w> + dQ = {forward:R}, <v,J^T w> = {reverse:R}, relative residual {residual:E2}, dQ(T) = {dq[^1]:R}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Math.Abs(dq[^1]) > 1e-3, $"the running cost's tangent is degenerate: {report}");
        Assert.True(residual <= DotTolerance(mode), report);

        // Q alone (zero cotangents): the gradient is dQ(T) along (dy0, dp).
        var qOnly = solution.Backward(new double[]?[problem.OutputTimes.Count]);
        var qReverse = Vectors.Dot(dy0, qOnly.InitialState) + Vectors.Dot(dp, qOnly.Parameters);
        Assert.True(Vectors.RelativeDifference(dq[^1], qReverse) <= DotTolerance(mode), $"{method} ({mode}): dQ = {dq[^1]:R}, from Backward {qReverse:R}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void RemainderWithTheRunningCostShrinksQuadratically(string method, bool adaptive, string mode)
    {
        var base_ = TestProblems.LotkaVolterra();
        double[] times = [0.5, 1.234567, 2.0];
        var random = new Random(22);
        var solver = adaptive ? new Solver(method, rtol: 1e-11, atol: 1e-11) : new Solver(method, dt: 0.05);
        var dy0 = Vectors.Random(random, 2);
        var dp = Vectors.Random(random, 4);
        var w = Solving.RandomCotangents(random, times.Length, 2);

        double Loss(double[] y0, double[] p, out double directional, bool withGradient)
        {
            var problem = new OdeProblem(base_.Field, y0, p, base_.T0, times) { RunningCost = new LotkaVolterraCost() };
            using var solution = Solving.Solve(solver, problem, ModeOf(mode));
            var loss = Solving.Loss(solution, w) + solution.RunningCost[^1];
            directional = 0;
            if (withGradient)
            {
                var gradient = solution.Backward(w);
                directional = Vectors.Dot(dy0, gradient.InitialState) + Vectors.Dot(dp, gradient.Parameters);
            }

            return loss;
        }

        var loss0 = Loss(base_.InitialState, base_.Parameters, out var derivative, withGradient: true);
        var epsilons = new List<double>();
        var second = new List<double>();
        var first = new List<double>();
        for (var j = 0; j <= 4; j++)
        {
            var eps = (adaptive ? 1e-2 : 2e-3) / (1 << j);
            var lossEps = Loss(Vectors.AddScaled(base_.InitialState, eps, dy0), Vectors.AddScaled(base_.Parameters, eps, dp), out _, withGradient: false);
            epsilons.Add(eps);
            first.Add(Math.Abs(lossEps - loss0));
            second.Add(Math.Abs(lossEps - loss0 - (eps * derivative)));
        }

        var firstSlope = Vectors.LogLogSlope(epsilons, first);
        var secondSlope = Vectors.LogLogSlope(epsilons, second);
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"{method} ({(adaptive ? "adaptive" : "fixed")}, {mode}): first-order slope {firstSlope:F3}, second-order slope {secondSlope:F3}, remainders [{string.Join(", ", second.Select(r => r.ToString("E2", CultureInfo.InvariantCulture)))}]");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Math.Abs(firstSlope - 1) <= 0.1, report);
        Assert.True(Math.Abs(secondSlope - 2) <= 0.1, report);
        Assert.True(second[^1] < 1e-2 * first[^1], report);
    }

    [Fact]
    public void ExceptionInTheRunningCostReachesTheCallerUnchanged()
    {
        var thrown = new InvalidDataException("cost failed");
        var problem = new OdeProblem(new DecayField(), [1.0], [0.5], 0.0, [1.0]) { RunningCost = new ThrowingCost(thrown) };
        var ex = Assert.Throws<InvalidDataException>(() => Solving.Solve(new Solver("rk4", dt: 0.125), problem));
        Assert.Same(thrown, ex);
        Assert.False(string.IsNullOrWhiteSpace(Assert.IsType<string>(ex.Data["Rewind.Location"])));
    }

    private static OdeProblem WithCost(TestProblem problem, double[] times) =>
        new(problem.Field, problem.InitialState, problem.Parameters, problem.T0, times) { RunningCost = new LotkaVolterraCost() };

    /// <summary>y' = -p0 y, n = 1.</summary>
    private sealed class DecayField : ITangentVectorField
    {
        public int StateSize => 1;

        public int ParameterSize => 1;

        public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => dydt[0] = -p[0] * y[0];

        public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
        {
            wDy[0] = -p[0] * w[0];
            wDp[0] = -y[0] * w[0];
        }

        public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv) =>
            jv[0] = (-p[0] * v[0]) - (y[0] * v[1]);
    }

    /// <summary>g = y0^2 + p0 t (non-autonomous, parameter-dependent).</summary>
    private sealed class SquarePlusTimeCost : IRunningCost
    {
        public double Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p) => (y[0] * y[0]) + (p[0] * t);

        public void Gradient(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dgDy, Span<double> dgDp)
        {
            dgDy[0] = 2 * y[0];
            dgDp[0] = t;
        }
    }

    private sealed class ThrowingCost(Exception exception) : IRunningCost
    {
        public double Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p) => t >= 0.5 ? throw exception : y[0];

        public void Gradient(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dgDy, Span<double> dgDp)
        {
            dgDy[0] = 1;
            dgDp.Clear();
        }
    }
}
