using System.Globalization;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Adaptive solves (embedded estimate where the tableau has one, step doubling otherwise) meet the requested
/// tolerance at irregular output times, on problems with closed-form solutions. The error is measured in tolerance
/// units, max |y - y_exact| / (atol + rtol |y_exact|), and must stay below <see cref="AllowedFactor"/>: the
/// controller bounds the local error per step, and the global error is the accumulation of local errors over the
/// run, which on these short, non-stiff runs stays within two orders of magnitude.
/// </summary>
public sealed class AdaptiveToleranceTests
{
    private const double AllowedFactor = 100;

    // Irregular output times over one Kepler period (2 pi) and the logistic run; none lies on a natural step grid.
    private static readonly double[] KeplerTimes = [0.1, 0.7345, 1.3, 2.0001, Math.PI, 4.4, (2 * Math.PI) - 0.01];
    private static readonly double[] LogisticTimes = [0.0, 0.123, 0.9, 1.7777, 2.5, 3.3, 4.0];

    // Tolerances per method: the high-order tableaus go down to 1e-10; low orders stop where the step count
    // (about tol^(-1/order) per unit time) would make the suite slow.
    private static readonly Dictionary<string, double[]> Tolerances = new()
    {
        ["euler"] = [1e-3, 1e-4, 1e-5],
        ["midpoint"] = [1e-4, 1e-5, 1e-6, 1e-7],
        ["heun"] = [1e-4, 1e-5, 1e-6, 1e-7],
        ["ralston3"] = [1e-4, 1e-6, 1e-8, 1e-9],
        ["bosh3"] = [1e-4, 1e-6, 1e-8, 1e-9],
        ["rk4"] = [1e-4, 1e-6, 1e-8, 1e-10],
        ["dopri5"] = [1e-4, 1e-6, 1e-8, 1e-10],
        ["tsit5"] = [1e-4, 1e-6, 1e-8, 1e-10],
    };

    [Theory]
    [MemberData(nameof(Tableaus.OnExactProblems), MemberType = typeof(Tableaus))]
    public void AdaptiveSolveMeetsToleranceAtIrregularOutputTimes(string method, string problemName)
    {
        var problem = TestProblems.Get(problemName);
        var times = problemName == "kepler" ? KeplerTimes : LogisticTimes;
        var results = new List<(double Tol, double Factor, SolverStatistics Stats)>();
        foreach (var tol in Tolerances[method])
        {
            var solver = new Solver(method, rtol: tol, atol: tol);
            using var solution = Solving.Solve(solver, problem.At(times));

            // Output times are hit exactly, not interpolated near them.
            Assert.Equal(times.Length, solution.Count);
            Assert.Equal(times, solution.OutputTimes);

            var worst = 0.0;
            for (var k = 0; k < times.Length; k++)
            {
                var exact = problem.Exact!(times[k]);
                var y = solution.State(k);
                for (var i = 0; i < exact.Length; i++)
                {
                    worst = Math.Max(worst, Math.Abs(y[i] - exact[i]) / (tol + (tol * Math.Abs(exact[i]))));
                }
            }

            results.Add((tol, worst, solution.Statistics));
        }

        var report = string.Join(
            Environment.NewLine,
            results.Select(r => string.Create(CultureInfo.InvariantCulture, $"{method} {problemName} tol {r.Tol:E0}: error = {r.Factor:F3} x tol, steps {r.Stats.Steps}, rejected {r.Stats.RejectedSteps}")));
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.All(results, r => Assert.True(r.Stats.Steps > 0, report));
        Assert.All(results, r => Assert.True(r.Factor <= AllowedFactor, $"error above {AllowedFactor} x tolerance:{Environment.NewLine}{report}"));
    }
}
