using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// The adjoint (Solution.Backward) is the exact transpose of the tangent-linear solve (Solution.Tangent) of the same
/// discrete solution: &lt;J v, w&gt; = &lt;v, J^T w&gt; to round-off, for every tableau, fixed and adaptive. The
/// implicit methods are held to the same bound: their adjoint and tangent solve the transposed and the plain stage
/// systems with the same Jacobians at the same converged stages, through the same dense LU factors.
/// </summary>
public sealed class DotProductTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string, bool> Cases => GradientSettings.MethodsAndModes;

    public static TheoryData<string, bool> ImplicitCases => GradientSettings.ImplicitMethodsAndModes;

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointIsTransposeOfTangentOnLotkaVolterra(string method, bool adaptive)
    {
        // The first output time is t0 itself: its cotangent must reach dL/dy0 unchanged.
        var problem = TestProblems.LotkaVolterra();
        Check(method, adaptive, problem, [0.0, 0.3, 1.234567, 2.5, 4.0], seed: 1);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointIsTransposeOfTangentOnTanhRing(string method, bool adaptive)
    {
        var problem = TestProblems.TanhRing(100);
        Check(method, adaptive, problem, [0.5, 0.8765, 1.5], seed: 2);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdjointIsTransposeOfTangentOnKepler(string method, bool adaptive)
    {
        var problem = TestProblems.Kepler(0.3);
        Check(method, adaptive, problem, [0.77, 1.5, 3.1, 3.2], seed: 3);
    }

    [Theory]
    [MemberData(nameof(ImplicitCases))]
    public void ImplicitAdjointIsTransposeOfTangentOnLotkaVolterra(string method, bool adaptive)
    {
        var problem = TestProblems.LotkaVolterra();
        Check(method, adaptive, problem, [0.0, 0.3, 1.234567, 2.5, 4.0], seed: 1);
    }

    [Theory]
    [MemberData(nameof(ImplicitCases))]
    public void ImplicitAdjointIsTransposeOfTangentOnTanhRing(string method, bool adaptive)
    {
        // 30 states: large enough for index mix-ups in the stage systems, small enough for a dense Jacobian per step.
        var problem = TestProblems.TanhRing(30);
        Check(method, adaptive, problem, [0.5, 0.8765, 1.5], seed: 2);
    }

    [Theory]
    [MemberData(nameof(ImplicitCases))]
    public void ImplicitAdjointIsTransposeOfTangentOnVanDerPol(string method, bool adaptive)
    {
        var problem = TestProblems.VanDerPol();
        Check(method, adaptive, problem, [0.77, 1.5, 3.1], seed: 3);
    }

    /// <summary>
    /// The dot-product check with the store-all discrete adjoint, or with <paramref name="adjoint"/> when given; with
    /// <paramref name="solver"/> instead of the gradient tests' settings for the method when given, and a looser bound
    /// where the mode's gradient is exact only to its own round-off (the reversible modes' reconstruction).
    /// </summary>
    internal static void Check(
        string method, bool adaptive, TestProblem problem, double[] times, int seed, Adjoint? adjoint = null, Solver? solver = null, double tolerance = Tolerance)
    {
        var n = problem.Field.StateSize;
        var np = problem.Field.ParameterSize;
        var random = new Random(seed);
        solver ??= GradientSettings.Create(method, adaptive, ImplicitMethodCatalog.OrderOf(method) == 1 ? 1e-4 : 1e-6);
        using var solution = adjoint is null ? Solving.Solve(solver, problem.At(times)) : Solving.Solve(solver, problem.At(times), adjoint);

        var dy0 = Vectors.Random(random, n);
        var dp = Vectors.Random(random, np);
        var w = Solving.RandomCotangents(random, times.Length, n);

        var tangent = solution.Tangent(dy0, dp);
        Assert.Equal(times.Length, tangent.Length);
        var jvw = 0.0;
        for (var k = 0; k < times.Length; k++)
        {
            Assert.Equal(n, tangent[k].Length);
            jvw += Vectors.Dot(tangent[k], w[k]);
        }

        var gradient = solution.Backward(w);
        Assert.Equal(n, gradient.InitialState.Length);
        Assert.Equal(np, gradient.Parameters.Length);
        var vjtw = Vectors.Dot(dy0, gradient.InitialState) + Vectors.Dot(dp, gradient.Parameters);

        var residual = Vectors.RelativeDifference(jvw, vjtw);
        var report = $"{method} ({(adaptive ? "adaptive" : "fixed")}, {adjoint?.ToString() ?? "store-all"}) on {problem.Name}: <Jv,w> = {jvw:R}, <v,J^T w> = {vjtw:R}, relative residual {residual:E2}, steps {solution.Statistics.Steps}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(Math.Abs(jvw) > 1e-3, $"degenerate test vectors: {report}");
        Assert.True(residual <= tolerance, report);
        Assert.True(gradient.IsReverseAccurate, report);
    }
}
