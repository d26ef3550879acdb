using Rewind;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Failures particular to implicit methods surface as typed exceptions that say where: a Jacobian callback that
/// throws (or writes outside its span), a non-finite Jacobian, a Newton iteration that cannot converge, a singular
/// iteration matrix.
/// </summary>
public sealed class ImplicitBadInputTests
{
    private static readonly double[] UnitTime = [1.0];

    [Fact]
    public void ExceptionInTheJacobianReachesTheCallerUnchanged()
    {
        var thrown = new InvalidDataException("jacobian failed");
        var field = new DenseJacobianField(new LotkaVolterraField())
        {
            BeforeJacobian = t =>
            {
                if (t >= 0.5)
                {
                    throw thrown;
                }
            },
        };
        var solver = new Solver("beuler", dt: 0.125) { LinearSolver = "dense" };
        var ex = Assert.Throws<InvalidDataException>(() => Solving.Solve(solver, new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime)));
        Assert.Same(thrown, ex);
        AssertLocationNamesJacobianTimeAndStep(ex, 0.375, 1.0);

        // The solver is still usable afterwards.
        using var solution = Solving.Solve(solver, TestProblems.LotkaVolterra().At(1.0));
        Assert.Equal(1, solution.Count);
    }

    [Fact]
    public void JacobianWritingPastItsSpanThrowsAndReachesTheCallerUnchanged()
    {
        // The span handed to the callback has exactly n * n entries: dfdy[n * n] is caught by its bounds check
        // before it can touch native memory, and the IndexOutOfRangeException propagates as thrown.
        var field = new DenseJacobianField(new LotkaVolterraField()) { WriteOutsideFrom = 0.5 };
        var solver = new Solver("kvaerno4", dt: 0.125) { LinearSolver = "dense" };
        var ex = Assert.Throws<IndexOutOfRangeException>(() => Solving.Solve(solver, new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime)));
        AssertLocationNamesJacobianTimeAndStep(ex, 0.375, 1.0);
    }

    [Fact]
    public void NaNInTheJacobianNamesTimeStepAndEntry()
    {
        var field = new DenseJacobianField(new LotkaVolterraField()) { NaNFrom = 0.5 };
        var solver = new Solver("beuler", dt: 0.125) { LinearSolver = "dense" };
        var ex = Assert.Throws<NonFiniteValueException>(() => Solving.Solve(solver, new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime)));
        Assert.Equal(2, ex.Status);
        Assert.Contains("jacobian", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("step", ex.Message, StringComparison.Ordinal);
        Assert.True(MessageNumbers.AnyWithin(ex.Message, 0.375, 1.0), $"message does not say when: {ex.Message}");
        // Entry [0][1] (row-major index 1) was set to NaN.
        Assert.Contains("[0][1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NewtonThatDivergesAtEveryRetryIsAConvergenceFailure()
    {
        // lambda = 1e12 with a Jacobian of the wrong sign: from h0 = 0.01, ten retries at a quarter each still leave
        // h gamma lambda above 1e3, where every Newton iteration roughly doubles the error.
        var problem = new OdeProblem(new WrongJacobianDecay(1e12), [1.0], [], 0, UnitTime);
        var solver = new Solver("kvaerno5", rtol: 1e-6, atol: 1e-9) { InitialStep = 0.01, LinearSolver = "dense" };
        var ex = Assert.Throws<ConvergenceException>(() => Solving.Solve(solver, problem));
        Assert.Equal(8, ex.Status);
        AssertNamesTimeAndStep(ex.Message, 0.0, 0.01);
    }

    [Fact]
    public void NewtonThatDivergesAtAFixedStepIsAConvergenceFailure()
    {
        // Fixed steps are never retried: the first failed Newton iteration ends the solve.
        var problem = new OdeProblem(new WrongJacobianDecay(1e3), [1.0], [], 0, UnitTime);
        var solver = new Solver("beuler", dt: 0.125) { LinearSolver = "dense" };
        var ex = Assert.Throws<ConvergenceException>(() => Solving.Solve(solver, problem));
        AssertNamesTimeAndStep(ex.Message, 0.0, 0.125);
    }

    [Fact]
    public void SingularIterationMatrixIsAConvergenceFailure()
    {
        // Backward Euler has gamma = 1; with dt = 1/8 and the Jacobian 8 I, the iteration matrix I - dt J is exactly 0.
        var problem = new OdeProblem(new SingularIterationField(8.0), [1.0, 2.0], [], 0, UnitTime);
        var solver = new Solver("beuler", dt: 0.125) { LinearSolver = "dense" };
        var ex = Assert.Throws<ConvergenceException>(() => Solving.Solve(solver, problem));
        AssertNamesTimeAndStep(ex.Message, 0.0, 0.125);
    }

    private static void AssertLocationNamesJacobianTimeAndStep(Exception ex, double low, double high)
    {
        var location = Assert.IsType<string>(ex.Data["Rewind.Location"]);
        Assert.Contains("jacobian", location, StringComparison.OrdinalIgnoreCase);
        AssertNamesTimeAndStep(location, low, high);
    }

    private static void AssertNamesTimeAndStep(string message, double low, double high)
    {
        Assert.True(message.Contains("t = ", StringComparison.Ordinal), $"message does not give the time: {message}");
        Assert.True(message.Contains("step", StringComparison.Ordinal), $"message does not give the step: {message}");
        Assert.True(MessageNumbers.AnyWithin(message, low, high), $"message does not say when (expected t in [{low}, {high}]): {message}");
        TestContext.Current.TestOutputHelper?.WriteLine(message);
    }
}
