using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Fixed-step order of every tableau: the least-squares slope of log(max error at t = 1, 2, 3, 4) against log(dt)
/// is within 0.2 of the nominal order. Two problems with closed-form solutions: Kepler (e = 0.3, a nonlinear system)
/// and the periodic-rate logistic equation (nonlinear and non-autonomous, so wrong nodes c_i show). The step counts
/// were chosen (with an independent reference implementation of the same tableaus) so that every method is in its
/// asymptotic range there and the smallest error stays above 1e-12, far from round-off.
/// </summary>
public sealed class ConvergenceTests
{
    private const double FinalTime = 4.0;

    private static readonly double[] OutputTimes = [1.0, 2.0, 3.0, 4.0];

    // Steps over [0, 4]: dt = 4 / N is a power of two, so every output time lies on the step grid.
    private static readonly Dictionary<string, int[]> StepCounts = new()
    {
        ["euler"] = [512, 1024, 2048, 4096, 8192],
        ["midpoint"] = [64, 128, 256, 512, 1024],
        ["heun"] = [64, 128, 256, 512, 1024],
        ["ralston3"] = [32, 64, 128, 256, 512],
        ["bosh3"] = [32, 64, 128, 256, 512],
        ["rk4"] = [64, 128, 256, 512],
        ["dopri5"] = [32, 64, 128, 256],
        ["tsit5"] = [32, 64, 128, 256],
    };

    [Theory]
    [MemberData(nameof(Tableaus.OnExactProblems), MemberType = typeof(Tableaus))]
    public void FixedStepErrorConvergesAtNominalOrder(string method, string problemName)
    {
        var problem = TestProblems.Get(problemName);
        var nominal = Tableaus.Get(method).Order;
        var steps = StepCounts[method];
        var dts = new List<double>();
        var errors = new List<double>();
        foreach (var n in steps)
        {
            var dt = FinalTime / n;
            var solver = new Solver(method, dt: dt);
            using var solution = Solving.Solve(solver, problem.At(OutputTimes));
            var error = 0.0;
            for (var k = 0; k < OutputTimes.Length; k++)
            {
                error = Math.Max(error, Vectors.MaxAbsDifference(solution.State(k), problem.Exact!(OutputTimes[k])));
            }

            Assert.Equal((long)n, solution.Statistics.Steps);
            dts.Add(dt);
            errors.Add(error);
        }

        var slope = Vectors.LogLogSlope(dts, errors);
        var report = $"{method} on {problemName}: observed order {slope:F3} (nominal {nominal}); dt = [{string.Join(", ", dts)}], errors = [{string.Join(", ", errors.Select(e => e.ToString("E2", System.Globalization.CultureInfo.InvariantCulture)))}]";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(errors.Min() > 1e-13, $"round-off range reached: {report}");
        Assert.True(Math.Abs(slope - nominal) <= 0.2, report);
    }
}
