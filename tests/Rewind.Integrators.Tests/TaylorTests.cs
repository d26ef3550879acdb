using System.Globalization;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Taylor remainder test of the discrete adjoint against re-solves. For L(y0, p) = sum_k &lt;w_k, y(t_k)&gt; and a
/// direction v, the first-order remainder |L(x + eps v) - L(x)| shrinks like eps while the second-order remainder
/// |L(x + eps v) - L(x) - eps &lt;grad, v&gt;| shrinks like eps^2 (ratio 4 per halving) — only if grad is the true
/// derivative of the computed map. Fixed steps: the map is exactly the one the adjoint differentiates. Adaptive: see
/// <see cref="GradientSettings.TightTolerance"/>; the measured orders are reported either way.
/// </summary>
public sealed class TaylorTests
{
    // Fixed steps: the map is exactly the one the adjoint differentiates, so small eps sharpens the test.
    // Adaptive: the perturbed solve's step sizes differ by O(eps), adding O(eps * global error) to the remainder;
    // the larger eps keeps the eps^2 term dominant even for euler, whose step-doubling run at 1e-8 still has a
    // global error near 1e-4 (with eps starting at 2e-3 its second-order slope drifts to 2.3 on van der Pol).
    private const double FirstEpsilonFixed = 2e-3;
    private const double FirstEpsilonAdaptive = 1e-2;
    private const int Halvings = 4;
    private const double SlopeTolerance = 0.1;
    private const double StepOrderTolerance = 0.25;

    public static TheoryData<string, bool> Cases => GradientSettings.MethodsAndModes;

    public static TheoryData<string, bool> ImplicitCases => GradientSettings.ImplicitMethodsAndModes;

    [Theory]
    [MemberData(nameof(Cases))]
    public void RemainderShrinksQuadraticallyOnLotkaVolterra(string method, bool adaptive)
    {
        var problem = TestProblems.LotkaVolterra();
        Check(method, adaptive, problem, [0.5, 1.234567, 2.0, 3.0], seed: 11);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RemainderShrinksQuadraticallyOnVanDerPol(string method, bool adaptive)
    {
        var problem = TestProblems.VanDerPol();
        Check(method, adaptive, problem, [0.25, 1.0, 2.2], seed: 12);
    }

    [Theory]
    [MemberData(nameof(ImplicitCases))]
    public void ImplicitRemainderShrinksQuadraticallyOnLotkaVolterra(string method, bool adaptive)
    {
        var problem = TestProblems.LotkaVolterra();
        Check(method, adaptive, problem, [0.5, 1.234567, 2.0, 3.0], seed: 11);
    }

    [Theory]
    [MemberData(nameof(ImplicitCases))]
    public void ImplicitRemainderShrinksQuadraticallyOnVanDerPol(string method, bool adaptive)
    {
        var problem = TestProblems.VanDerPol();
        Check(method, adaptive, problem, [0.25, 1.0, 2.2], seed: 12);
    }

    /// <summary>
    /// The Taylor check of the store-all discrete adjoint, or of <paramref name="adjoint"/>'s gradient when given; the
    /// perturbed solves use the same mode, whose forward map may differ from store-all's (Adjoint.Reversible).
    /// </summary>
    internal static void Check(string method, bool adaptive, TestProblem problem, double[] times, int seed, Adjoint? adjoint = null)
    {
        var n = problem.Field.StateSize;
        var np = problem.Field.ParameterSize;
        var random = new Random(seed);
        // Implicit methods with fixed steps still stop Newton at 0.01 in the norm of rtol and atol: with the defaults
        // (1e-6, 1e-9) the computed map carries Newton errors near 1e-8, which jump as the iteration count changes
        // with eps and swamp the eps^2 remainder at the smallest eps. Tight tolerances make that error negligible.
        var solver = !adaptive && ImplicitMethodCatalog.All.Any(m => m.Name == method)
            ? new Solver(method, rtol: 1e-12, atol: 1e-12, dt: GradientSettings.FixedStep)
            : GradientSettings.Create(method, adaptive, GradientSettings.TightTolerance(method));
        var dy0 = Vectors.Random(random, n);
        var dp = Vectors.Random(random, np);
        var w = Solving.RandomCotangents(random, times.Length, n);

        double loss;
        double directional;
        long baseSteps;
        using (var solution = adjoint is null ? Solving.Solve(solver, problem.At(times)) : Solving.Solve(solver, problem.At(times), adjoint))
        {
            loss = Solving.Loss(solution, w);
            var gradient = solution.Backward(w);
            directional = Vectors.Dot(dy0, gradient.InitialState) + Vectors.Dot(dp, gradient.Parameters);
            baseSteps = solution.Statistics.Steps;
        }

        var epsilons = new List<double>();
        var first = new List<double>();
        var second = new List<double>();
        var stepCounts = new List<long>();
        for (var j = 0; j <= Halvings; j++)
        {
            var eps = (adaptive ? FirstEpsilonAdaptive : FirstEpsilonFixed) / (1 << j);
            var perturbed = problem.At(Vectors.AddScaled(problem.InitialState, eps, dy0), Vectors.AddScaled(problem.Parameters, eps, dp), times);
            using var solution = adjoint is null ? Solving.Solve(solver, perturbed) : Solving.Solve(solver, perturbed, adjoint);
            var lossEps = Solving.Loss(solution, w);
            epsilons.Add(eps);
            first.Add(Math.Abs(lossEps - loss));
            second.Add(Math.Abs(lossEps - loss - (eps * directional)));
            stepCounts.Add(solution.Statistics.Steps);
        }

        var firstSlope = Vectors.LogLogSlope(epsilons, first);
        var secondSlope = Vectors.LogLogSlope(epsilons, second);
        var stepOrders = Enumerable.Range(0, Halvings).Select(j => Math.Log2(second[j] / second[j + 1])).ToArray();
        var report = string.Create(
            CultureInfo.InvariantCulture,
            $"{method} [{adjoint?.ToString() ?? "store-all"}] ({(adaptive ? $"adaptive, tol {GradientSettings.TightTolerance(method):E0}" : $"fixed dt {GradientSettings.FixedStep}")}) on {problem.Name}: first-order remainder slope {firstSlope:F3}, second-order remainder slope {secondSlope:F3}, per-halving orders [{string.Join(", ", stepOrders.Select(o => o.ToString("F2", CultureInfo.InvariantCulture)))}], remainders [{string.Join(", ", second.Select(r => r.ToString("E2", CultureInfo.InvariantCulture)))}], steps {baseSteps} vs perturbed [{string.Join(", ", stepCounts)}]");
        TestContext.Current.TestOutputHelper?.WriteLine(report);

        Assert.True(Math.Abs(firstSlope - 1) <= SlopeTolerance, report);
        Assert.True(Math.Abs(secondSlope - 2) <= SlopeTolerance, report);
        Assert.All(stepOrders, o => Assert.True(Math.Abs(o - 2) <= StepOrderTolerance, report));
        Assert.True(second[^1] < 1e-2 * first[^1], report);
    }
}
