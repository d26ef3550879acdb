using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// An implicit method gives the same solution, gradient and tangent whichever way it gets its Jacobians: the
/// field's <see cref="IDenseJacobian"/>, columns of Jvp, rows of Vjp (no Jvp), or matrix-free GMRES. Fixed steps, so
/// every path takes the same steps; tight tolerances, so the Newton and GMRES residuals sit far below 1e-8.
/// </summary>
public sealed class JacobianPathTests
{
    private const double Agreement = 1e-8;
    private const double Tolerance = 1e-10;

    public static TheoryData<string, string> MethodsAndProblems
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var method in new[] { "beuler", "trbdf2", "kvaerno4", "kvaerno5" })
            {
                data.Add(method, "lotka-volterra");
                data.Add(method, "tanh-ring");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MethodsAndProblems))]
    public void EveryJacobianPathGivesTheSameGradient(string method, string problemName)
    {
        var problem = problemName == "tanh-ring" ? TestProblems.TanhRing(12) : TestProblems.LotkaVolterra();
        double[] times = [0.35, 1.0, 1.6];
        var n = problem.Field.StateSize;
        var random = new Random(31);
        var w = Solving.RandomCotangents(random, times.Length, n);
        var dy0 = Vectors.Random(random, n);
        var dp = Vectors.Random(random, problem.Field.ParameterSize);

        var withJacobian = new DenseJacobianField(problem.Field);
        var reference = Run(method, "dense", withJacobian, problem, times, w, dy0, dp);
        Assert.True(withJacobian.Evaluations > 0, "the dense path never called IDenseJacobian.Jacobian");

        var paths = new (string Name, IVectorField Field, string LinearSolver)[]
        {
            ("jvp columns, dense", problem.Field, "dense"),
            ("vjp rows (no jvp), dense", new JacobianWithoutJvpField(problem.Field), "dense"),
            ("jvp, gmres", problem.Field, "gmres"),
            ("IDenseJacobian, gmres", new DenseJacobianField(problem.Field), "gmres"),
        };
        foreach (var (name, field, linearSolver) in paths)
        {
            var run = Run(method, linearSolver, field, problem, times, w, dy0, dp);
            var label = $"{method} on {problemName}, {name} vs IDenseJacobian + dense";
            Compare(reference.State, run.State, $"{label}: y(T)");
            Compare(reference.InitialState, run.InitialState, $"{label}: dL/dy0");
            Compare(reference.Parameters, run.Parameters, $"{label}: dL/dp");
            if (run.Tangent is not null)
            {
                Compare(reference.Tangent!, run.Tangent, $"{label}: tangent");
            }
        }
    }

    [Theory]
    [InlineData("trbdf2")]
    [InlineData("kvaerno5")]
    public void GmresNewtonMeetsTightTolerances(string method)
    {
        // Newton with GMRES must converge as far as the tolerances ask, as the dense path does. At rtol = atol = 1e-12
        // the two stage solutions may differ by about 1e-12 relative; 1e-9 leaves a wide margin.
        var problem = TestProblems.LotkaVolterra();
        var stateAt = new Dictionary<string, double[]>();
        foreach (var linearSolver in new[] { "dense", "gmres" })
        {
            var solver = new Solver(method, rtol: 1e-12, atol: 1e-12, dt: 0.05) { LinearSolver = linearSolver, LinearTolerance = 1e-13 };
            using var solution = Solving.Solve(solver, problem.At(0.35, 1.0, 1.6));
            stateAt[linearSolver] = solution.State(2);
            TestContext.Current.TestOutputHelper?.WriteLine($"{method} {linearSolver}: y(1.6) = ({solution.State(2)[0]:R}, {solution.State(2)[1]:R}), {solution.Statistics}");
        }

        var difference = Vectors.RelativeDifference(stateAt["dense"], stateAt["gmres"]);
        Assert.True(difference <= 1e-9, $"{method}: y(1.6) with gmres differs from dense by {difference:E2} (relative) at rtol = atol = 1e-12");
    }

    private static (double[] State, double[] InitialState, double[] Parameters, double[]? Tangent) Run(
        string method, string linearSolver, IVectorField field, TestProblem problem, double[] times, double[][] w, double[] dy0, double[] dp)
    {
        var solver = new Solver(method, rtol: Tolerance, atol: Tolerance, dt: 0.05) { LinearSolver = linearSolver, LinearTolerance = 1e-13 };
        using var solution = Solving.Solve(solver, new OdeProblem(field, problem.InitialState, problem.Parameters, problem.T0, times));
        var gradient = solution.Backward(w);
        double[]? tangent = field is ITangentVectorField ? solution.Tangent(dy0, dp)[^1] : null;
        TestContext.Current.TestOutputHelper?.WriteLine($"{method} {linearSolver} {field.GetType().Name}: {gradient.Statistics}");
        return (solution.State(times.Length - 1), gradient.InitialState, gradient.Parameters, tangent);
    }

    private static void Compare(double[] expected, double[] actual, string what)
    {
        var difference = Vectors.RelativeDifference(expected, actual);
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: relative difference {difference:E2}");
        Assert.True(difference <= Agreement, $"{what}: relative difference {difference:E2}");
    }
}
