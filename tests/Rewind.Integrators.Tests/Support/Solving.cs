using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>Shared ways to run the solver in tests.</summary>
internal static class Solving
{
    /// <summary>Solves with the store-all discrete adjoint, cancelled with the test.</summary>
    public static Solution Solve(Solver solver, OdeProblem problem) =>
        solver.Solve(problem, Adjoint.Discrete(Checkpointing.StoreAll), TestContext.Current.CancellationToken);

    /// <summary>Solves with the given gradient mode, cancelled with the test.</summary>
    public static Solution Solve(Solver solver, OdeProblem problem, Adjoint adjoint) =>
        solver.Solve(problem, adjoint, TestContext.Current.CancellationToken);

    /// <summary>L = sum_k &lt;w_k, y(t_k)&gt;.</summary>
    public static double Loss(Solution solution, IReadOnlyList<double[]> cotangents)
    {
        var loss = 0.0;
        for (var k = 0; k < solution.Count; k++)
        {
            loss += Vectors.Dot(cotangents[k], solution.State(k));
        }

        return loss;
    }

    public static double Loss(Solver solver, OdeProblem problem, IReadOnlyList<double[]> cotangents)
    {
        using var solution = Solve(solver, problem);
        return Loss(solution, cotangents);
    }

    public static double[][] RandomCotangents(Random random, int count, int size)
    {
        var w = new double[count][];
        for (var k = 0; k < count; k++)
        {
            w[k] = Vectors.Random(random, size);
        }

        return w;
    }
}
