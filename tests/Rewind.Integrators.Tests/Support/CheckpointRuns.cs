using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>Everything a solve with one checkpoint policy computes, for comparison with store-all.</summary>
/// <param name="States">The states at the output times.</param>
/// <param name="InitialStateGradient">dL/dy0 of the first Backward.</param>
/// <param name="ParameterGradient">dL/dp of the first Backward.</param>
/// <param name="Tangents">The tangent-linear solution at the output times.</param>
/// <param name="Forward">The counters after the forward solve.</param>
/// <param name="AfterBackward">The counters after the first Backward.</param>
internal sealed record CheckpointedRun(
    double[][] States,
    double[] InitialStateGradient,
    double[] ParameterGradient,
    double[][] Tangents,
    SolverStatistics Forward,
    SolverStatistics AfterBackward);

/// <summary>Solves with a checkpoint policy and runs every pass over the solution.</summary>
internal static class CheckpointRuns
{
    private const int Seed = 20261121;

    public static Solution Solve(Solver solver, OdeProblem problem, CheckpointPolicy policy) =>
        solver.Solve(problem, Adjoint.Discrete(policy), TestContext.Current.CancellationToken);

    /// <summary>
    /// Solves, runs Backward twice (the second must repeat the first bit for bit) and the tangent-linear solve,
    /// all with the same seeded cotangents and tangents whatever the policy. The second output time's cotangent is
    /// null (zero), as users pass it.
    /// </summary>
    public static CheckpointedRun Run(Solver solver, OdeProblem problem, CheckpointPolicy policy) =>
        Run(solver, problem, Adjoint.Discrete(policy));

    /// <summary>As <see cref="Run(Solver, OdeProblem, CheckpointPolicy)"/>, with any gradient mode that supports tangents.</summary>
    public static CheckpointedRun Run(Solver solver, OdeProblem problem, Adjoint adjoint)
    {
        using var solution = solver.Solve(problem, adjoint, TestContext.Current.CancellationToken);
        var random = new Random(Seed);
        var n = problem.Field.StateSize;
        double[]?[] cotangents = Solving.RandomCotangents(random, solution.Count, n);
        cotangents[1] = null;
        var first = solution.Backward(cotangents);
        var second = solution.Backward(cotangents);
        Bitwise.Equal(first.InitialState, second.InitialState, $"{adjoint}: dL/dy0 of the second Backward");
        Bitwise.Equal(first.Parameters, second.Parameters, $"{adjoint}: dL/dp of the second Backward");
        var tangents = solution.Tangent(Vectors.Random(random, n), Vectors.Random(random, problem.Field.ParameterSize));
        var states = Enumerable.Range(0, solution.Count).Select(solution.State).ToArray();
        return new CheckpointedRun(states, first.InitialState, first.Parameters, tangents, solution.Statistics, first.Statistics);
    }
}

/// <summary>Exact comparison of doubles by their bits (so -0.0 differs from 0.0 and every NaN payload counts).</summary>
internal static class Bitwise
{
    public static void Equal(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} (difference {actual[i] - expected[i]:E2})");
        }
    }

    public static void Equal(double[][] expected, double[][] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} rows, expected {expected.Length}");
        for (var k = 0; k < expected.Length; k++)
        {
            Bitwise.Equal(expected[k], actual[k], $"{what} at output {k}");
        }
    }
}

/// <summary>A fresh directory under the system's temporary directory for checkpoint files, deleted with its contents on dispose.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"rewind-checkpoints-{Guid.NewGuid():N}");

    public IReadOnlyList<string> Entries() => Directory.GetFileSystemEntries(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>How many vectors of the state's size a trajectory keeps per step (the k of the memory bounds).</summary>
internal static class KeptVectors
{
    /// <summary>
    /// An FSAL tableau's last stage is the next step's first and is not kept, so s - 1 vectors, else s (y_n and the
    /// other stage states). Adaptive steps without an embedded pair are step doubling: a full and two half steps, all
    /// kept, so 3 s.
    /// </summary>
    public static long PerStep(string method, bool adaptive)
    {
        var info = Tableaus.Get(method);
        if (adaptive && !info.EmbeddedPair)
        {
            return 3L * info.Stages;
        }

        return info.FirstSameAsLast ? info.Stages - 1 : info.Stages;
    }
}
