using Rewind;
using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>Every misuse and every solver failure surfaces as a typed exception whose message says what and where.</summary>
public sealed class BadInputTests
{
    private static readonly double[] UnitTime = [1.0];

    [Fact]
    public void InitialStateOfWrongLengthIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OdeProblem(new LotkaVolterraField(), [1, 2, 3, 4, 5], [1.5, 1, 3, 1], 0, UnitTime));
        Assert.Equal("y0", ex.ParamName);
        Assert.True(MessageNumbers.Contains(ex.Message, 5) && MessageNumbers.Contains(ex.Message, 2), ex.Message);
    }

    [Fact]
    public void ParametersOfWrongLengthAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OdeProblem(new LotkaVolterraField(), [1, 1], [1, 2, 3, 4, 5, 6, 7], 0, UnitTime));
        Assert.Equal("parameters", ex.ParamName);
        Assert.True(MessageNumbers.Contains(ex.Message, 7) && MessageNumbers.Contains(ex.Message, 4), ex.Message);
    }

    [Fact]
    public void NullArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => new OdeProblem(null!, [1, 1], [1, 1, 1, 1], 0, UnitTime));
        Assert.Throws<ArgumentNullException>(() => new OdeProblem(new LotkaVolterraField(), null!, [1, 1, 1, 1], 0, UnitTime));
        Assert.Throws<ArgumentNullException>(() => new OdeProblem(new LotkaVolterraField(), [1, 1], null!, 0, UnitTime));
        Assert.Throws<ArgumentNullException>(() => new OdeProblem(new LotkaVolterraField(), [1, 1], [1, 1, 1, 1], 0, null!));
    }

    [Theory]
    [InlineData("y0", 7, double.NaN)]
    [InlineData("y0", 8, double.PositiveInfinity)]
    [InlineData("parameters", 2, double.NaN)]
    [InlineData("parameters", 1, double.NegativeInfinity)]
    public void NonFiniteInputsAreRejectedNamingTheComponent(string argument, int index, double value)
    {
        var problem = TestProblems.TanhRing(10);
        var y0 = (double[])problem.InitialState.Clone();
        var p = (double[])problem.Parameters.Clone();
        (argument == "y0" ? y0 : p)[index] = value;
        var ex = Assert.Throws<ArgumentException>(() => new OdeProblem(problem.Field, y0, p, problem.T0, UnitTime));
        Assert.Equal(argument, ex.ParamName);
        Assert.True(MessageNumbers.Contains(ex.Message, index), $"message does not name component {index}: {ex.Message}");
    }

    [Theory]
    [InlineData(new[] { 0.1, 0.2, 0.3, 0.4, 0.35 }, 4)]
    [InlineData(new[] { 0.5, 1.0, 1.0 }, 2)]
    [InlineData(new[] { 0.5, 0.7, double.NaN }, 2)]
    [InlineData(new[] { 0.5, double.PositiveInfinity }, 1)]
    [InlineData(new[] { -0.5, 1.0 }, 0)]
    public void BadOutputTimesAreRejectedNamingTheIndex(double[] times, int index)
    {
        var ex = Assert.Throws<ArgumentException>(() => new OdeProblem(new LotkaVolterraField(), [1, 1], [1.5, 1, 3, 1], 0, times));
        Assert.Equal("outputTimes", ex.ParamName);
        Assert.True(MessageNumbers.Contains(ex.Message, index), $"message does not name index {index}: {ex.Message}");
    }

    [Fact]
    public void EmptyOutputTimesAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new OdeProblem(new LotkaVolterraField(), [1, 1], [1.5, 1, 3, 1], 0, []));
        Assert.Equal("outputTimes", ex.ParamName);
    }

    [Fact]
    public void ProblemCopiesItsArrays()
    {
        double[] y0 = [1, 1];
        double[] p = [1.5, 1, 3, 1];
        double[] times = [1, 2];
        var problem = new OdeProblem(new LotkaVolterraField(), y0, p, 0, times);
        y0[0] = 99;
        p[0] = 99;
        times[0] = 99;
        Assert.Equal(1.0, problem.InitialState[0]);
        Assert.Equal(1.5, problem.Parameters[0]);
        Assert.Equal(1.0, problem.OutputTimes[0]);
    }

    [Fact]
    public void UnknownMethodListsTheValidNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Solver("rk45"));
        Assert.Contains("rk45", ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(Solver.Methods);
        Assert.All(Solver.Methods, name => Assert.Contains(name, ex.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.0, 1e-9, 0.0)]
    [InlineData(-1e-6, 1e-9, 0.0)]
    [InlineData(double.NaN, 1e-9, 0.0)]
    [InlineData(double.PositiveInfinity, 1e-9, 0.0)]
    [InlineData(1e-6, 0.0, 0.0)]
    [InlineData(1e-6, double.NaN, 0.0)]
    [InlineData(1e-6, 1e-9, -0.1)]
    [InlineData(1e-6, 1e-9, double.NaN)]
    public void OutOfRangeSettingsAreRejected(double rtol, double atol, double dt)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Solver("rk4", rtol, atol, dt));
    }

    [Fact]
    public void CotangentsOfWrongCountOrLengthAreRejected()
    {
        var problem = TestProblems.TanhRing(10);
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.1), problem.At(0.5, 1.0, 1.5));

        var tooFew = Assert.Throws<ArgumentException>(() => solution.Backward([new double[10], new double[10]]));
        Assert.Equal("outputCotangents", tooFew.ParamName);
        Assert.True(MessageNumbers.Contains(tooFew.Message, 2) && MessageNumbers.Contains(tooFew.Message, 3), tooFew.Message);

        var wrongLength = Assert.Throws<ArgumentException>(() => solution.Backward([new double[10], new double[7], null]));
        Assert.Equal("outputCotangents", wrongLength.ParamName);
        Assert.True(MessageNumbers.Contains(wrongLength.Message, 7) && MessageNumbers.Contains(wrongLength.Message, 10), wrongLength.Message);

        Assert.Throws<ArgumentNullException>(() => solution.Backward(null!));
    }

    [Fact]
    public void NullCotangentsMeanZero()
    {
        var problem = TestProblems.TanhRing(10);
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.1), problem.At(0.5, 1.0, 1.5));
        var w = Vectors.Random(new Random(3), 10);
        var withNulls = solution.Backward([null, w, null]);
        var withZeros = solution.Backward([new double[10], w, new double[10]]);
        Assert.Equal(withZeros.InitialState, withNulls.InitialState);
        Assert.Equal(withZeros.Parameters, withNulls.Parameters);
    }

    [Fact]
    public void TangentsOfWrongLengthAreRejected()
    {
        var problem = TestProblems.TanhRing(10);
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.1), problem.At(0.5, 1.0));
        var state = Assert.Throws<ArgumentException>(() => solution.Tangent(new double[9], new double[3]));
        Assert.Equal("initialStateTangent", state.ParamName);
        var parameters = Assert.Throws<ArgumentException>(() => solution.Tangent(new double[10], new double[2]));
        Assert.Equal("parameterTangent", parameters.ParamName);
    }

    [Fact]
    public void NaNProducedByTheFieldMidSolveNamesTheTime()
    {
        // Euler with dt = 1/8 evaluates f at t = 0, 0.125, ...; the first NaN comes from f(0.5).
        var field = new HookedField(new LotkaVolterraField()) { NaNFrom = 0.5 };
        var problem = new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime);
        var ex = Assert.Throws<NonFiniteValueException>(() => Solving.Solve(new Solver("euler", dt: 0.125), problem));
        Assert.Equal(2, ex.Status);
        Assert.True(MessageNumbers.AnyWithin(ex.Message, 0.375, 0.625), $"message does not say when: {ex.Message}");
    }

    [Fact]
    public void BlowUpPastTheSingularityUnderflowsTheStepSize()
    {
        var problem = new OdeProblem(new BlowUpField(), [1.0], [], 0, [2.0]);
        var ex = Assert.Throws<StepSizeUnderflowException>(() => Solving.Solve(new Solver("dopri5", rtol: 1e-8, atol: 1e-8), problem));
        Assert.Equal(6, ex.Status);
                // The computed solution blows up near the true singularity at t = 1 (slightly after it: it lags).
        Assert.True(MessageNumbers.AnyWithin(ex.Message, 0.9, 1.1), $"message does not say when (the singularity is at t = 1): {ex.Message}");
    }

    [Fact]
    public void TooManyStepsStopsTheSolve()
    {
        var problem = TestProblems.LotkaVolterra().At(1.0);
        var solver = new Solver("rk4", dt: 0.01) { MaxSteps = 10 };
        var ex = Assert.Throws<MaxStepsExceededException>(() => Solving.Solve(solver, problem));
        Assert.Equal(7, ex.Status);
        Assert.True(MessageNumbers.Contains(ex.Message, 10), $"message does not give the limit: {ex.Message}");
    }

    [Fact]
    public void DisposedSolutionRefusesEveryMember()
    {
        var solution = Solving.Solve(new Solver("rk4", dt: 0.1), TestProblems.LotkaVolterra().At(0.5, 1.0));
        solution.Dispose();
        solution.Dispose(); // a second Dispose is a no-op
        Assert.Throws<ObjectDisposedException>(() => solution.State(0));
        Assert.Throws<ObjectDisposedException>(() => solution.Backward([[1.0, 0.0], null]));
        Assert.Throws<ObjectDisposedException>(() => solution.Tangent([1.0, 0.0], [0, 0, 0, 0]));
        Assert.Throws<ObjectDisposedException>(() => solution.Count);
        Assert.Throws<ObjectDisposedException>(() => solution.OutputTimes);
        Assert.Throws<ObjectDisposedException>(() => solution.Statistics);
    }

    [Fact]
    public void ExceptionInEvaluateReachesTheCallerUnchanged()
    {
        var thrown = new InvalidDataException("field failed");
        var field = new HookedField(new LotkaVolterraField())
        {
            BeforeEvaluate = t =>
            {
                if (t >= 0.5)
                {
                    throw thrown;
                }
            },
        };
        var solver = new Solver("euler", dt: 0.125);
        var ex = Assert.Throws<InvalidDataException>(() => Solving.Solve(solver, new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime)));
        Assert.Same(thrown, ex);
        var location = Assert.IsType<string>(ex.Data["Rewind.Location"]);
        Assert.True(MessageNumbers.AnyWithin(location, 0.375, 0.625), $"Rewind.Location does not say when: {location}");

        // The solver is still usable afterwards.
        using var solution = Solving.Solve(solver, TestProblems.LotkaVolterra().At(1.0));
        Assert.Equal(1, solution.Count);
    }

    [Fact]
    public void ExceptionInVjpReachesTheCallerOfBackwardUnchanged()
    {
        var thrown = new FormatException("vjp failed");
        var field = new HookedField(new LotkaVolterraField()) { BeforeVjp = _ => throw thrown };
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.125), new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime));
        var ex = Assert.Throws<FormatException>(() => solution.Backward([[1.0, 1.0]]));
        Assert.Same(thrown, ex);
        Assert.False(string.IsNullOrWhiteSpace(Assert.IsType<string>(ex.Data["Rewind.Location"])));
    }

    [Fact]
    public void ExceptionInJvpReachesTheCallerOfTangentUnchanged()
    {
        var thrown = new ArithmeticException("jvp failed");
        var field = new HookedField(new LotkaVolterraField()) { BeforeJvp = _ => throw thrown };
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.125), new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime));
        var ex = Assert.Throws<ArithmeticException>(() => solution.Tangent([1.0, 0.0], [0, 0, 0, 0]));
        Assert.Same(thrown, ex);
        Assert.False(string.IsNullOrWhiteSpace(Assert.IsType<string>(ex.Data["Rewind.Location"])));
    }

    [Fact]
    public void TangentNeedsATangentField()
    {
        var field = new WithoutJvpField(new LotkaVolterraField());
        using var solution = Solving.Solve(new Solver("rk4", dt: 0.125), new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, UnitTime));
        Assert.Throws<NotSupportedException>(() => solution.Tangent([1.0, 0.0], [0, 0, 0, 0]));

        // Backward needs only Vjp.
        var gradient = solution.Backward([[1.0, 1.0]]);
        Assert.Equal(2, gradient.InitialState.Length);
    }

    [Fact]
    public void CancellationDuringTheSolveStopsIt()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var evaluationsAfterCancel = 0;
        var field = new HookedField(new LotkaVolterraField())
        {
            BeforeEvaluate = t =>
            {
                if (cts.IsCancellationRequested)
                {
                    evaluationsAfterCancel++;
                }

                if (t >= 0.5)
                {
                    cts.Cancel();
                }
            },
        };
        var problem = new OdeProblem(field, [1, 1], [1.5, 1, 3, 1], 0, [1000.0]);
        var solver = new Solver("rk4", dt: 0.01);
        var ex = Assert.ThrowsAny<OperationCanceledException>(() => solver.Solve(problem, Adjoint.Discrete(Checkpointing.StoreAll), cts.Token));
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.True(evaluationsAfterCancel <= 1, $"{evaluationsAfterCancel} evaluations after cancellation");
    }

    [Fact]
    public void AlreadyCancelledTokenStopsTheSolve()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var solver = new Solver("rk4", dt: 0.01);
        Assert.ThrowsAny<OperationCanceledException>(() => solver.Solve(TestProblems.LotkaVolterra().At(1.0), Adjoint.Discrete(Checkpointing.StoreAll), cts.Token));
    }
}
