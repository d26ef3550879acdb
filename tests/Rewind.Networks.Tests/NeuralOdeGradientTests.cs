using System.Globalization;
using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Networks;
using RewindTests.Integrators;

namespace RewindTests.Networks;

/// <summary>
/// A network as the vector field of a neural ODE passes the same gradient checks as hand-written fields, through
/// Solver and Solution with the native field: the adjoint is the transpose of the tangent-linear solve (dot-product
/// test) and the true derivative of the computed map (Taylor remainder test), for an explicit adaptive, an explicit
/// fixed-step and an implicit method.
/// </summary>
public sealed class NeuralOdeGradientTests
{
    private const double FixedStep = 0.05;
    private static readonly double[] Times = [0.4, 1.0, 1.7];

    public static TheoryData<string, bool> Cases => new()
    {
        { "dopri5", true },
        { "rk4", false },
        { "kvaerno4", true },
        { "kvaerno4", false },
    };

    public static TheoryData<string> Activations => new(["tanh", "relu", "softplus", "gelu", "sigmoid", "silu"]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointIsTransposeOfTangent(string method, bool adaptive)
    {
        var problem = NeuralProblem.Small();
        using var field = problem.Network.AsVectorField(problem.Batch);
        DotProduct(Create(method, adaptive, 1e-7), problem, field, seed: 21);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void EveryActivationPassesTheDotProductTest(string activation)
    {
        var net = NeuralVectorFieldTests.Network(activation, timeInput: true, seed: 22);
        var problem = new NeuralProblem(net, batch: 2, seed: 23);
        using var field = net.AsVectorField(problem.Batch);
        DotProduct(new Solver("rk4", dt: FixedStep), problem, field, seed: 24);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RemainderShrinksQuadratically(string method, bool adaptive)
    {
        var problem = NeuralProblem.Small(seed: 2);
        using var field = problem.Network.AsVectorField(problem.Batch);
        // Tight tolerances: a perturbed adaptive solve picks slightly different steps, adding O(eps × global
        // error) to the remainder; implicit fixed steps still stop Newton at a fraction of rtol and atol.
        var solver = adaptive
            ? new Solver(method, rtol: 1e-11, atol: 1e-11)
            : new Solver(method, rtol: 1e-12, atol: 1e-12, dt: FixedStep);
        var random = new Random(25);
        int n = field.StateSize;
        var dy0 = Vectors.Random(random, n);
        var dp = Vectors.Random(random, field.ParameterSize);
        var w = Solving.RandomCotangents(random, Times.Length, n);

        double loss;
        double directional;
        using (var solution = Solving.Solve(solver, problem.At(field, Times)))
        {
            loss = Solving.Loss(solution, w);
            var gradient = solution.Backward(w);
            directional = Vectors.Dot(dy0, gradient.InitialState) + Vectors.Dot(dp, gradient.Parameters);
        }

        var epsilons = new List<double>();
        var first = new List<double>();
        var second = new List<double>();
        for (int j = 0; j <= 4; j++)
        {
            double eps = (adaptive ? 1e-2 : 2e-3) / (1 << j);
            var perturbed = new OdeProblem(field, Vectors.AddScaled(problem.InitialState, eps, dy0), Vectors.AddScaled(problem.Parameters, eps, dp), 0.0, Times);
            double lossEps = Solving.Loss(solver, perturbed, w);
            epsilons.Add(eps);
            first.Add(Math.Abs(lossEps - loss));
            second.Add(Math.Abs(lossEps - loss - (eps * directional)));
        }

        double firstSlope = Vectors.LogLogSlope(epsilons, first);
        double secondSlope = Vectors.LogLogSlope(epsilons, second);
        var orders = Enumerable.Range(0, 4).Select(j => Math.Log2(second[j] / second[j + 1])).ToArray();
        string report = string.Create(
            CultureInfo.InvariantCulture,
            $"{method} ({(adaptive ? "adaptive" : "fixed")}) on {problem.Name}: slopes {firstSlope:F3} and {secondSlope:F3}, per-halving orders [{string.Join(", ", orders.Select(o => o.ToString("F2", CultureInfo.InvariantCulture)))}], remainders [{string.Join(", ", second.Select(r => r.ToString("E2", CultureInfo.InvariantCulture)))}]");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Math.Abs(firstSlope - 1) <= 0.1, report);
        Assert.True(Math.Abs(secondSlope - 2) <= 0.1, report);
        Assert.All(orders, o => Assert.True(Math.Abs(o - 2) <= 0.25, report));
        Assert.True(second[^1] < 1e-2 * first[^1], report);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CheckpointedGradientsEqualStoreAll(string method, bool adaptive)
    {
        var problem = NeuralProblem.Small(seed: 3);
        using var field = problem.Network.AsVectorField(problem.Batch);
        var solver = Create(method, adaptive, 1e-8);
        var random = new Random(26);
        var w = Solving.RandomCotangents(random, Times.Length, field.StateSize);
        var dy0 = Vectors.Random(random, field.StateSize);
        var dp = Vectors.Random(random, field.ParameterSize);

        var reference = Run(solver, problem.At(field, Times), Checkpointing.StoreAll, w, dy0, dp);
        foreach (var policy in new[] { Checkpointing.Binomial(2), Checkpointing.Binomial(5), Checkpointing.SolutionOnly })
        {
            var checkpointed = Run(solver, problem.At(field, Times), policy, w, dy0, dp);
            Assert.Equal(reference.States, checkpointed.States);
            Assert.Equal(reference.InitialState, checkpointed.InitialState);
            Assert.Equal(reference.Parameters, checkpointed.Parameters);
            Assert.Equal(reference.Tangents, checkpointed.Tangents);
            Assert.True(checkpointed.Recomputed > 0 || policy == Checkpointing.SolutionOnly, $"{policy}: nothing recomputed");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NativeAndManagedPathsAgreeExactly(string method, bool adaptive)
    {
        var problem = NeuralProblem.Small(seed: 4);
        using var field = problem.Network.AsVectorField(problem.Batch);
        var managed = new ManagedField(field);
        var solver = Create(method, adaptive, 1e-8);
        var random = new Random(27);
        var w = Solving.RandomCotangents(random, Times.Length, field.StateSize);
        var dy0 = Vectors.Random(random, field.StateSize);
        var dp = Vectors.Random(random, field.ParameterSize);

        var native = Run(solver, problem.At(field, Times), Checkpointing.StoreAll, w, dy0, dp);
        var callbacks = Run(solver, problem.At(managed, Times), Checkpointing.StoreAll, w, dy0, dp);

        Assert.True(managed.Evaluations > 0, "the managed path was not taken");
        Assert.Equal(callbacks.States, native.States);
        Assert.Equal(callbacks.InitialState, native.InitialState);
        Assert.Equal(callbacks.Parameters, native.Parameters);
        Assert.Equal(callbacks.Tangents, native.Tangents);
        Assert.Equal(callbacks.Statistics, native.Statistics);
    }

    [Fact]
    public void ARunningCostWorksWithTheNativeField()
    {
        var problem = NeuralProblem.Small(seed: 5);
        using var field = problem.Network.AsVectorField(problem.Batch);
        var solver = new Solver("dopri5", rtol: 1e-8, atol: 1e-8);
        var w = Solving.RandomCotangents(new Random(28), Times.Length, field.StateSize);

        (double[] Q, double[] Dy0, double[] Dp) Gradient(IVectorField f)
        {
            var odeProblem = new OdeProblem(f, problem.InitialState, problem.Parameters, 0.0, Times) { RunningCost = new SquaredNorm() };
            using var solution = Solving.Solve(solver, odeProblem);
            var g = solution.Backward(w);
            return ([.. solution.RunningCost], g.InitialState, g.Parameters);
        }

        var native = Gradient(field);
        var managed = Gradient(new ManagedField(field));
        Assert.True(native.Q[^1] > 0);
        Assert.Equal(managed.Q, native.Q);
        Assert.Equal(managed.Dy0, native.Dy0);
        Assert.Equal(managed.Dp, native.Dp);
    }

    [Fact]
    public void ASolutionOutlivesItsFieldAndNetwork()
    {
        var problem = NeuralProblem.Small(seed: 6);
        var w = Solving.RandomCotangents(new Random(29), Times.Length, problem.Batch * 2);
        var solver = new Solver("dopri5", rtol: 1e-8, atol: 1e-8);
        Gradient expected;
        using (var field = problem.Network.AsVectorField(problem.Batch))
        using (var solution = Solving.Solve(solver, problem.At(field, Times)))
        {
            expected = solution.Backward(w);
        }

        Solution kept;
        {
            var field = problem.Network.AsVectorField(problem.Batch);
            kept = Solving.Solve(solver, problem.At(field, Times));
            field.Dispose();
        }

        using (kept)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var gradient = kept.Backward(w);
            Assert.Equal(expected.InitialState, gradient.InitialState);
            Assert.Equal(expected.Parameters, gradient.Parameters);
        }
    }

    [Fact]
    public void ADisposedFieldCannotStartASolve()
    {
        var problem = NeuralProblem.Small(seed: 7);
        var field = problem.Network.AsVectorField(problem.Batch);
        var odeProblem = problem.At(field, Times);
        field.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Solving.Solve(new Solver("rk4", dt: FixedStep), odeProblem));
    }

    private static Solver Create(string method, bool adaptive, double tolerance) =>
        adaptive ? new Solver(method, rtol: tolerance, atol: tolerance) : new Solver(method, dt: FixedStep);

    private static void DotProduct(Solver solver, NeuralProblem problem, NeuralVectorField field, int seed)
    {
        int n = field.StateSize;
        var random = new Random(seed);
        using var solution = Solving.Solve(solver, problem.At(field, Times));
        var dy0 = Vectors.Random(random, n);
        var dp = Vectors.Random(random, field.ParameterSize);
        var w = Solving.RandomCotangents(random, Times.Length, n);

        var tangent = solution.Tangent(dy0, dp);
        double jvw = 0;
        for (int k = 0; k < Times.Length; k++)
        {
            jvw += Vectors.Dot(tangent[k], w[k]);
        }

        var gradient = solution.Backward(w);
        double vjtw = Vectors.Dot(dy0, gradient.InitialState) + Vectors.Dot(dp, gradient.Parameters);
        double residual = Vectors.RelativeDifference(jvw, vjtw);
        string report = $"{solver.Method} on {problem.Name}: <Jv,w> = {jvw:R}, <v,J^T w> = {vjtw:R}, relative residual {residual:E2}, steps {solution.Statistics.Steps}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Math.Abs(jvw) > 1e-3, $"degenerate test vectors: {report}");
        Assert.True(residual <= 1e-12, report);
    }

    private static RunResult Run(Solver solver, OdeProblem problem, CheckpointPolicy policy, double[][] w, double[] dy0, double[] dp)
    {
        using var solution = solver.Solve(problem, Adjoint.Discrete(policy), TestContext.Current.CancellationToken);
        var states = Enumerable.Range(0, solution.Count).SelectMany(solution.State).ToArray();
        var gradient = solution.Backward(w);
        var tangents = solution.Tangent(dy0, dp).SelectMany(row => row).ToArray();
        return new RunResult(states, gradient.InitialState, gradient.Parameters, tangents, gradient.Statistics.RecomputedSteps, solution.Statistics);
    }

    private sealed record RunResult(
        double[] States, double[] InitialState, double[] Parameters, double[] Tangents, long Recomputed, SolverStatistics Statistics);

    /// <summary>g = ½ ||y||², with gradient y.</summary>
    private sealed class SquaredNorm : IRunningCost
    {
        public double Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p) => 0.5 * Vectors.Dot(y, y);

        public void Gradient(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dgDy, Span<double> dgDp)
        {
            y.CopyTo(dgDy);
            dgDp.Clear();
        }
    }
}
