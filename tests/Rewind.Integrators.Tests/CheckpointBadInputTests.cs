using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Checkpointing failures surface as typed exceptions that say what and where, and never leave checkpoint files
/// behind: an unwritable directory, a run longer than planned, a field that throws or a solve cancelled mid-run.
/// </summary>
public sealed class CheckpointBadInputTests
{
    [Fact]
    public void MissingDirectoryFailsAtSolveNamingIt()
    {
        using var scratch = new ScratchDirectory();
        var missing = Path.Combine(scratch.Path, "missing");
        var policy = Checkpointing.Multilevel(1, 2, missing);  // not checked until the solve
        var ex = Assert.Throws<IOException>(
            () => CheckpointRuns.Solve(new Solver("rk4", dt: 0.1), TestProblems.LotkaVolterra().At(1.0), policy));
        Assert.Contains($"'{missing}'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(scratch.Entries());
    }

    [Fact]
    public void DirectoryThatIsAFileFailsAtSolveNamingIt()
    {
        using var scratch = new ScratchDirectory();
        var file = Path.Combine(scratch.Path, "not-a-directory");
        File.WriteAllText(file, "x");
        var ex = Assert.Throws<IOException>(
            () => CheckpointRuns.Solve(new Solver("rk4", dt: 0.1), TestProblems.LotkaVolterra().At(1.0), Checkpointing.Multilevel(0, 1, file)));
        Assert.Contains($"'{file}'", ex.Message, StringComparison.Ordinal);
        Assert.Equal([file], scratch.Entries());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RunLongerThanPlannedFailsSayingWhere(bool adaptive)
    {
        var solver = adaptive ? new Solver("dopri5", rtol: 1e-8, atol: 1e-10) : new Solver("rk4", dt: 0.1);
        var problem = TestProblems.LotkaVolterra().At(5.0);  // dopri5 at 1e-8 and rk4 at 0.1 both need more than 10 steps
        var ex = Assert.Throws<ArgumentException>(
            () => CheckpointRuns.Solve(solver, problem, Checkpointing.Binomial(4, plannedSteps: 10)));
        Assert.Contains("planned for 10 steps", ex.Message, StringComparison.Ordinal);
        Assert.Contains("step 10 at t = ", ex.Message, StringComparison.Ordinal);
        Assert.True(MessageNumbers.AnyWithin(ex.Message, 1e-3, 5.0 - 1e-3), ex.Message);  // the time it got to
    }

    [Fact]
    public void PlannedBinomialThatFitsGivesTheStoreAllGradient()
    {
        var solver = new Solver("dopri5", rtol: 1e-8, atol: 1e-10);
        var problem = TestProblems.LotkaVolterra().At(0.0, 1.3, 5.0);
        var reference = CheckpointRuns.Run(solver, problem, Checkpointing.StoreAll);
        var planned = CheckpointRuns.Run(solver, problem, Checkpointing.Binomial(4, plannedSteps: reference.Forward.Steps));
        Bitwise.Equal(reference.States, planned.States, "state");
        Bitwise.Equal(reference.InitialStateGradient, planned.InitialStateGradient, "dL/dy0");
        Bitwise.Equal(reference.ParameterGradient, planned.ParameterGradient, "dL/dp");
        Bitwise.Equal(reference.Tangents, planned.Tangents, "tangent");
        var optimum = Checkpointing.Binomial(4).Plan(reference.Forward.Steps).OptimalRecomputedSteps;
        Assert.Equal(optimum, planned.AfterBackward.RecomputedSteps);  // planned for the exact count: optimal
    }

    [Fact]
    public void FieldFailingInTheForwardSolveLeavesNoFiles()
    {
        using var scratch = new ScratchDirectory();
        var failure = new InvalidOperationException("field failed");
        var field = new HookedField(new LotkaVolterraField()) { BeforeEvaluate = t => ThrowFrom(t, 2.0, failure) };
        var problem = new OdeProblem(field, [1.0, 1.0], [1.5, 1.0, 3.0, 1.0], 0.0, [3.0]);
        var ex = Assert.Throws<InvalidOperationException>(
            () => CheckpointRuns.Solve(new Solver("rk4", dt: 0.01), problem, Checkpointing.Multilevel(0, 4, scratch.Path)));
        Assert.Same(failure, ex);
        Assert.Empty(scratch.Entries());
    }

    [Fact]
    public void FieldFailingInTheReversePassLeavesNoFilesAfterDispose()
    {
        using var scratch = new ScratchDirectory();
        var failure = new InvalidOperationException("vjp failed");
        var field = new HookedField(new LotkaVolterraField()) { BeforeVjp = t => ThrowFrom(t, double.NegativeInfinity, failure) };
        var problem = new OdeProblem(field, [1.0, 1.0], [1.5, 1.0, 3.0, 1.0], 0.0, [3.0]);
        using var solution = CheckpointRuns.Solve(new Solver("rk4", dt: 0.01), problem, Checkpointing.Multilevel(1, 4, scratch.Path));
        Assert.NotEmpty(scratch.Entries());  // the disk checkpoints of the forward solve
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => solution.Backward([[1.0, 0.0]])));
        solution.Dispose();  // (disposing again at the end of the scope is harmless)
        Assert.Empty(scratch.Entries());
    }

    [Fact]
    public void CancelledSolveLeavesNoFiles()
    {
        using var scratch = new ScratchDirectory();
        using var cts = new CancellationTokenSource();
        var field = new HookedField(new LotkaVolterraField())
        {
            BeforeEvaluate = t =>
            {
                if (t >= 2.0)
                {
                    cts.Cancel();
                }
            },
        };
        var problem = new OdeProblem(field, [1.0, 1.0], [1.5, 1.0, 3.0, 1.0], 0.0, [3.0]);
        var adjoint = Adjoint.Discrete(Checkpointing.Multilevel(1, 4, scratch.Path));
        Assert.ThrowsAny<OperationCanceledException>(() => new Solver("rk4", dt: 0.01).Solve(problem, adjoint, cts.Token));
        Assert.Empty(scratch.Entries());
    }

    private static void ThrowFrom(double t, double from, Exception failure)
    {
        if (t >= from)
        {
            throw failure;
        }
    }
}
