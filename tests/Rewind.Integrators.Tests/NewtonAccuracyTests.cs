using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Newton's iteration meets the tolerances it is given: tightening rtol and atol never makes a fixed-step implicit
/// solve less accurate. (Newton stops at 0.01 in their weighted norm, so at rtol = atol = 1e-12 its error is near
/// 1e-14, far below the discretization error of these runs.)
/// </summary>
public sealed class NewtonAccuracyTests
{
    public static TheoryData<string, int> MethodsAndSteps => new()
    {
        { "kvaerno4", 1024 },
        { "kvaerno4", 2048 },
        { "kvaerno5", 1024 },
        { "kvaerno5", 2048 },
        { "sdirk4", 2048 },
        { "trbdf2", 2048 },
    };

    [Theory]
    [MemberData(nameof(MethodsAndSteps))]
    public void TighterNewtonTolerancesDoNotLoseAccuracy(string method, int steps)
    {
        var problem = TestProblems.Get("kepler");
        double[] times = [1.0, 2.0, 3.0, 4.0];
        var errors = new List<(double Tolerance, double Error, SolverStatistics Statistics)>();
        foreach (var tolerance in new[] { 1e-10, 1e-12 })
        {
            var solver = new Solver(method, rtol: tolerance, atol: tolerance, dt: 4.0 / steps);
            using var solution = Solving.Solve(solver, problem.At(times));
            var error = 0.0;
            for (var k = 0; k < times.Length; k++)
            {
                error = Math.Max(error, Vectors.MaxAbsDifference(solution.State(k), problem.Exact!(times[k])));
            }

            errors.Add((tolerance, error, solution.Statistics));
        }

        var report = string.Join("; ", errors.Select(e => $"tol {e.Tolerance:E0}: error {e.Error:E2}, {e.Statistics.NewtonIterations} Newton iterations"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{method}, {steps} steps: {report}");
        // The discretization error is the same in both runs; only Newton's share may change, and it must shrink.
        Assert.True(errors[1].Error <= (1.5 * errors[0].Error) + 1e-12, $"{method}, {steps} steps: {report}");
    }
}
