using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Work counters. Facts from the native implementation (native/src/ts/rk.cpp, native/src/trajectory/store_all.cpp):
/// an FSAL tableau evaluates its last stage at (t + h, y_next) and reuses it as the next step's first, so a fixed-step
/// run costs 1 + (s - 1) per step instead of s; the FSAL stage has zero weight in the adjoint and tangent recursions,
/// so it is neither kept nor differentiated; store-all keeps y_n plus the other needed stage states of every step,
/// i.e. s vectors per step (s - 1 for FSAL), n doubles each.
/// </summary>
public sealed class StatisticsTests
{
    public static TheoryData<string> MethodNames => new(Tableaus.Names);

    public static TheoryData<string> ImplicitMethodNames => new(ImplicitMethodCatalog.Names);

    [Fact]
    public void SolverListsExactlyTheTestedMethods()
    {
        Assert.Equal(
            Tableaus.Names.Concat(ImplicitMethodCatalog.Names).Order(StringComparer.Ordinal),
            Solver.Methods.Order(StringComparer.Ordinal));
        Assert.Equal(ImplicitMethodCatalog.Names.Order(StringComparer.Ordinal), Solver.ImplicitMethods.Order(StringComparer.Ordinal));
        Assert.All(Tableaus.Names, method => Assert.False(new Solver(method).IsImplicit, method));
        Assert.All(ImplicitMethodCatalog.Names, method => Assert.True(new Solver(method).IsImplicit, method));
    }

    [Fact]
    public void ExplicitMethodsReportNoImplicitWork()
    {
        using var solution = Solving.Solve(new Solver("dopri5", rtol: 1e-8, atol: 1e-8), TestProblems.LotkaVolterra().At(1.0, 2.0));
        var s = solution.Statistics;
        Assert.Equal(0, s.JacobianEvaluations);
        Assert.Equal(0, s.Factorizations);
        Assert.Equal(0, s.NewtonIterations);
        Assert.Equal(0, s.NewtonFailures);
        Assert.Equal(0, s.LinearIterations);
    }

    [Theory]
    [MemberData(nameof(ImplicitMethodNames))]
    public void ImplicitMethodsCountTheirNewtonWork(string method)
    {
        // Fixed steps with the dense solver: every step builds a Jacobian and factors at least one iteration matrix.
        const long steps = 8;
        var problem = TestProblems.TanhRing(7);
        var solver = new Solver(method, dt: 0.125) { LinearSolver = "dense" };
        using var solution = Solving.Solve(solver, problem.At(0.75, 1.25));
        var s = solution.Statistics;
        var report = $"{method}: {s}";
        Assert.True(s.Steps == steps, report);
        Assert.True(s.NewtonIterations >= steps, report);
        Assert.True(s.JacobianEvaluations >= 1, report);
        Assert.True(s.Factorizations >= 1, report);
        Assert.True(s.NewtonFailures == 0, report);
        Assert.True(s.LinearIterations == 0, report);

        var gmres = new Solver(method, dt: 0.125) { LinearSolver = "gmres" };
        using var withGmres = Solving.Solve(gmres, problem.At(0.75, 1.25));
        Assert.True(withGmres.Statistics.LinearIterations > 0, $"{method} with gmres: {withGmres.Statistics}");
        Assert.True(withGmres.Statistics.Factorizations == 0, $"{method} with gmres: {withGmres.Statistics}");
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void FixedStepCountersAreExact(string method)
    {
        var info = Tableaus.Get(method);
        const int n = 7;
        const long steps = 8;
        var problem = TestProblems.TanhRing(n);
        var solver = new Solver(method, dt: 0.125);
        Assert.Equal(0.125, solver.FixedStep);
        Assert.Equal(method, solver.Method);

        // From t0 = 0.25 to 1.25 in steps of 1/8: exactly 8 steps, output 0.75 on the grid.
        using var solution = Solving.Solve(solver, problem.At(0.75, 1.25));
        var forward = solution.Statistics;
        long perStep = info.FirstSameAsLast ? info.Stages - 1 : info.Stages;
        var expectedEvaluations = info.FirstSameAsLast ? 1 + (perStep * steps) : perStep * steps;
        Assert.Equal(steps, forward.Steps);
        Assert.Equal(0, forward.RejectedSteps);
        Assert.Equal(expectedEvaluations, forward.FunctionEvaluations);
        Assert.Equal(0, forward.Vjps);
        Assert.Equal(0, forward.Jvps);
        Assert.Equal(0, forward.RecomputedSteps);
        Assert.Equal(steps * perStep * n * sizeof(double), forward.PeakBytesKept);

        var random = new Random(7);
        solution.Tangent(Vectors.Random(random, n), Vectors.Random(random, 3));
        var gradient = solution.Backward(Solving.RandomCotangents(random, 2, n));
        var total = gradient.Statistics;
        Assert.Equal(steps, total.Steps);
        Assert.Equal(0, total.RejectedSteps);
        Assert.Equal(expectedEvaluations, total.FunctionEvaluations); // store-all recomputes nothing
        Assert.Equal(perStep * steps, total.Vjps);
        Assert.Equal(perStep * steps, total.Jvps);
        Assert.Equal(0, total.RecomputedSteps);
        Assert.Equal(forward.PeakBytesKept, total.PeakBytesKept);
    }

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void AdaptiveCountersAreConsistent(string method)
    {
        var info = Tableaus.Get(method);
        var problem = TestProblems.Kepler(0.3);
        var n = problem.Field.StateSize;
        var solver = new Solver(method, rtol: 1e-5, atol: 1e-5);
        using var solution = Solving.Solve(solver, problem.At(1.0, 2.5, 4.0));
        var s = solution.Statistics;
        var attempts = s.Steps + s.RejectedSteps;
        long perStep = info.FirstSameAsLast ? info.Stages - 1 : info.Stages;
        var report = $"{method}: {s}";

        Assert.True(s.Steps >= 3, report);
        Assert.True(s.RejectedSteps >= 0, report);

        // An embedded pair needs at least the stages not shared with the previous step and costs at most s per
        // attempt (plus a couple for choosing the first step). Without a pair, adaptive steps are step doubling:
        // a full and two half steps of the method (the first half step reuses the full step's first stage), and
        // the trajectory keeps and the adjoint replays all three.
        var embedded = info.EmbeddedPair;
        var keptPerStep = KeptVectors.PerStep(method, adaptive: true);
        var evaluationsPerStep = embedded ? perStep : (3 * info.Stages) - 1;
        Assert.True(s.FunctionEvaluations >= evaluationsPerStep * s.Steps, report);
        var upper = (embedded ? info.Stages : 3 * info.Stages) * attempts + 3;
        Assert.True(s.FunctionEvaluations <= upper, $"{report}: more than {upper} evaluations");

        Assert.Equal(0, s.Vjps);
        Assert.Equal(0, s.Jvps);
        Assert.Equal(s.Steps * keptPerStep * n * sizeof(double), s.PeakBytesKept);

        var gradient = solution.Backward([[1, 0, 0, 0], null, [0, 0, 0, 1]]);
        Assert.Equal(keptPerStep * s.Steps, gradient.Statistics.Vjps);
        Assert.Equal(s.Steps, gradient.Statistics.Steps);
        Assert.Equal(s.RejectedSteps, gradient.Statistics.RejectedSteps);
    }

    [Fact]
    public void DefaultAdjointIsStoreAll()
    {
        var problem = TestProblems.LotkaVolterra().At(0.5, 2.0);
        var solver = new Solver("dopri5", rtol: 1e-8, atol: 1e-8);
        using var explicitStoreAll = Solving.Solve(solver, problem);
#pragma warning disable xUnit1051 // this test is about the overload without a token
        using var byDefault = solver.Solve(problem);
#pragma warning restore xUnit1051
        Assert.Equal(explicitStoreAll.Statistics, byDefault.Statistics);
        Assert.Equal(explicitStoreAll.State(1), byDefault.State(1));
        var w = new double[]?[] { [1.0, 2.0], [0.5, -1.0] };
        Assert.Equal(explicitStoreAll.Backward(w).Parameters, byDefault.Backward(w).Parameters);
    }

    [Fact]
    public void SolverReportsItsSettings()
    {
        var solver = new Solver("tsit5", rtol: 1e-7, atol: 1e-9) { InitialStep = 1e-3, MinStep = 1e-12, MaxSteps = 500 };
        Assert.Equal("tsit5", solver.Method);
        Assert.Equal(1e-7, solver.RelativeTolerance);
        Assert.Equal(1e-9, solver.AbsoluteTolerance);
        Assert.Equal(0.0, solver.FixedStep);
        Assert.Equal(1e-3, solver.InitialStep);
        Assert.Equal(1e-12, solver.MinStep);
        Assert.Equal(500, solver.MaxSteps);
        Assert.Equal(100_000, new Solver("rk4").MaxSteps);
    }
}
