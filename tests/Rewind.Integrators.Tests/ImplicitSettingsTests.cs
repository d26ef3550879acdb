using Rewind;
using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>The implicit methods' settings: defaults, validation, and that they reach the native solver.</summary>
public sealed class ImplicitSettingsTests
{
    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var solver = new Solver("kvaerno5");
        Assert.Null(solver.Theta);
        Assert.Equal(0.01, solver.NewtonTolerance);
        Assert.Equal(10, solver.NewtonMaxIterations);
        Assert.Equal("auto", solver.LinearSolver);
        Assert.Equal(1e-10, solver.LinearTolerance);
        Assert.Equal(30, solver.GmresRestart);
        Assert.Equal(["auto", "dense", "gmres"], Solver.LinearSolvers);
    }

    [Fact]
    public void SettingsAreKept()
    {
        var solver = new Solver("theta", rtol: 1e-7, atol: 1e-9)
        {
            Theta = 0.75,
            NewtonTolerance = 0.03,
            NewtonMaxIterations = 7,
            LinearSolver = "gmres",
            LinearTolerance = 1e-12,
            GmresRestart = 12,
        };
        Assert.Equal(0.75, solver.Theta);
        Assert.Equal(0.03, solver.NewtonTolerance);
        Assert.Equal(7, solver.NewtonMaxIterations);
        Assert.Equal("gmres", solver.LinearSolver);
        Assert.Equal(1e-12, solver.LinearTolerance);
        Assert.Equal(12, solver.GmresRestart);
    }

    [Theory]
    [InlineData("beuler")]
    [InlineData("cn")]
    [InlineData("kvaerno5")]
    [InlineData("rk4")]
    public void ThetaIsOnlyForTheThetaMethod(string method)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Solver(method) { Theta = 0.6 });
        Assert.Equal("Theta", ex.ParamName);
        Assert.Contains(method, ex.Message, StringComparison.Ordinal);

        // Null means "not set" and is accepted for every method.
        Assert.Null(new Solver(method) { Theta = null }.Theta);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.0000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ThetaOutsideZeroToOneIsRejected(double theta)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("theta") { Theta = theta });
        Assert.Equal("Theta", ex.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.01)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NewtonToleranceOutsideZeroToOneIsRejected(double tolerance)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("kvaerno4") { NewtonTolerance = tolerance });
        Assert.Equal("NewtonTolerance", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NewtonMaxIterationsBelowOneIsRejected(int iterations)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("kvaerno4") { NewtonMaxIterations = iterations });
        Assert.Equal("NewtonMaxIterations", ex.ParamName);
    }

    [Theory]
    [InlineData("lu")]
    [InlineData("Dense")]
    [InlineData("")]
    public void UnknownLinearSolverListsTheValidNames(string name)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Solver("kvaerno4") { LinearSolver = name });
        Assert.Equal("LinearSolver", ex.ParamName);
        Assert.All(Solver.LinearSolvers, valid => Assert.Contains(valid, ex.Message, StringComparison.Ordinal));
        Assert.Throws<ArgumentNullException>(() => new Solver("kvaerno4") { LinearSolver = null! });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-1e-10)]
    [InlineData(double.NaN)]
    public void LinearToleranceOutsideZeroToOneIsRejected(double tolerance)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("kvaerno4") { LinearTolerance = tolerance });
        Assert.Equal("LinearTolerance", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void GmresRestartBelowOneIsRejected(int restart)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("kvaerno4") { GmresRestart = restart });
        Assert.Equal("GmresRestart", ex.ParamName);
    }

    [Fact]
    public void ExplicitMethodsIgnoreTheNewtonAndLinearSettings()
    {
        var problem = TestProblems.LotkaVolterra().At(1.0, 2.0);
        using var plain = Solving.Solve(new Solver("rk4", dt: 0.1), problem);
        using var configured = Solving.Solve(
            new Solver("rk4", dt: 0.1) { NewtonTolerance = 0.5, NewtonMaxIterations = 1, LinearSolver = "gmres", GmresRestart = 2 },
            problem);
        Bitwise.Equal(plain.State(1), configured.State(1), "rk4 with Newton settings");
    }

    [Theory]
    [InlineData(1.0, "beuler")]
    [InlineData(0.5, "cn")]
    public void ThetaReachesTheNativeMethod(double theta, string equivalent)
    {
        // The theta method at theta = 1 is backward Euler and at 1/2 Crank–Nicolson: same steps, same numbers up
        // to round-off (the Newton iterations see the same equations).
        var problem = TestProblems.VanDerPol().At(0.5, 1.0);
        using var thetaRun = Solving.Solve(new Solver("theta", dt: 0.05) { Theta = theta }, problem);
        using var reference = Solving.Solve(new Solver(equivalent, dt: 0.05), problem);
        var difference = Vectors.RelativeDifference(reference.State(1), thetaRun.State(1));
        Assert.True(difference <= 1e-12, $"theta = {theta} vs {equivalent}: relative difference {difference:E2}");

        // A different theta gives a different solution, so the setting did reach the method.
        using var other = Solving.Solve(new Solver("theta", dt: 0.05) { Theta = 0.75 }, problem);
        Assert.True(Vectors.RelativeDifference(reference.State(1), other.State(1)) > 1e-6);
    }

    [Fact]
    public void DefaultThetaIsCrankNicolson()
    {
        var problem = TestProblems.VanDerPol().At(1.0);
        using var thetaRun = Solving.Solve(new Solver("theta", dt: 0.05), problem);
        using var cn = Solving.Solve(new Solver("cn", dt: 0.05), problem);
        Assert.True(Vectors.RelativeDifference(cn.State(0), thetaRun.State(0)) <= 1e-12);
    }

    [Fact]
    public void NewtonMaxIterationsReachesTheNativeSolver()
    {
        // Van der Pol (mu = 1.5) with backward Euler steps of 0.25: each step's nonlinear stage equation takes a few
        // Newton iterations to rtol = atol = 1e-10; one is not enough, and fixed steps are not retried.
        var problem = TestProblems.VanDerPol().At(2.0);
        var one = new Solver("beuler", rtol: 1e-10, atol: 1e-10, dt: 0.25) { NewtonMaxIterations = 1 };
        var ex = Assert.Throws<ConvergenceException>(() => Solving.Solve(one, problem));
        Assert.Contains("1 iteration", ex.Message, StringComparison.Ordinal);

        using var solution = Solving.Solve(new Solver("beuler", rtol: 1e-10, atol: 1e-10, dt: 0.25) { NewtonMaxIterations = 30 }, problem);
        Assert.True(solution.Statistics.NewtonIterations > 2 * solution.Statistics.Steps, $"{solution.Statistics}");
    }

    [Fact]
    public void AdjointNoneSolvesForwardOnly()
    {
        Assert.True(Adjoint.None.IsForwardOnly);
        Assert.Null(Adjoint.None.Checkpointing);
        Assert.Equal("none", Adjoint.None.ToString());
        Assert.False(Adjoint.Discrete(Checkpointing.StoreAll).IsForwardOnly);

        var problem = TestProblems.LotkaVolterra().At(1.0, 2.0);
        var solver = new Solver("dopri5", rtol: 1e-8, atol: 1e-8);
        using var forwardOnly = solver.Solve(problem, Adjoint.None, TestContext.Current.CancellationToken);
        using var storeAll = Solving.Solve(solver, problem);
        Bitwise.Equal(storeAll.State(1), forwardOnly.State(1), "dopri5 with Adjoint.None");
        Assert.Equal(0, forwardOnly.Statistics.PeakBytesKept);
    }

    [Theory]
    [InlineData("dopri5")]
    [InlineData("kvaerno5")]
    public void BackwardAndTangentOfAForwardOnlySolveFailClearly(string method)
    {
        var problem = TestProblems.LotkaVolterra().At(1.0, 2.0);
        using var solution = new Solver(method, rtol: 1e-8, atol: 1e-8).Solve(problem, Adjoint.None, TestContext.Current.CancellationToken);
        var backward = Assert.Throws<InvalidOperationException>(() => solution.Backward([null, [1.0, 0.0]]));
        Assert.Contains("Adjoint.None", backward.Message, StringComparison.Ordinal);
        var tangent = Assert.Throws<InvalidOperationException>(() => solution.Tangent([1.0, 0.0], [0, 0, 0, 0]));
        Assert.Contains("Adjoint.None", tangent.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => solution.Tangent([1.0, 0.0], [0, 0, 0, 0], out _));

        // The states are still there.
        Assert.Equal(2, solution.State(1).Length);
    }

    [Fact]
    public void ForwardOnlyImplicitSolveMatchesTheKeptOneToTheTolerance()
    {
        // A forward-only implicit solve may reuse Jacobians across steps: the Newton iterates differ at the level of
        // the Newton tolerance, so the states agree to a small multiple of the step tolerance, not bit for bit.
        const double tolerance = 1e-8;
        var problem = TestProblems.VanDerPol().At([2.0, 0.0], [100.0], [1.0, 5.0]);
        var solver = new Solver("kvaerno5", rtol: tolerance, atol: tolerance);
        using var forwardOnly = solver.Solve(problem, Adjoint.None, TestContext.Current.CancellationToken);
        using var storeAll = Solving.Solve(solver, problem);
        var difference = Vectors.MaxAbsDifference(storeAll.State(1), forwardOnly.State(1)) / (1 + Vectors.MaxAbs(storeAll.State(1)));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"forward only: {forwardOnly.Statistics}{Environment.NewLine}store-all: {storeAll.Statistics}{Environment.NewLine}difference {difference:E2}");
        Assert.True(difference <= 100 * tolerance, $"difference {difference:E2}");
        Assert.True(
            forwardOnly.Statistics.JacobianEvaluations <= storeAll.Statistics.JacobianEvaluations,
            $"forward only built {forwardOnly.Statistics.JacobianEvaluations} Jacobians, store-all {storeAll.Statistics.JacobianEvaluations}");
    }
}
