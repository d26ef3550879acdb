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

    // The implicit methods, over the same interval. Their Newton iterations stop at 0.01 in the norm of rtol and atol,
    // so these runs set both to 1e-13: Newton's error then sits far below the smallest discretization error.
    private static readonly Dictionary<string, int[]> ImplicitStepCounts = new()
    {
        ["beuler"] = [512, 1024, 2048, 4096, 8192],
        ["cn"] = [64, 128, 256, 512, 1024],
        ["theta"] = [64, 128, 256, 512, 1024],
        ["trbdf2"] = [64, 128, 256, 512, 1024],
        ["kvaerno3"] = [32, 64, 128, 256, 512],
        ["kvaerno4"] = [128, 256, 512, 1024],
        ["sdirk4"] = [32, 64, 128, 256],
        ["kvaerno5"] = [16, 32, 64, 128],
    };

    public static TheoryData<string, string> ImplicitOnExactProblems
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var method in ImplicitMethodCatalog.Names)
            {
                data.Add(method, "kepler");
                data.Add(method, "logistic");
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Tableaus.OnExactProblems), MemberType = typeof(Tableaus))]
    public void FixedStepErrorConvergesAtNominalOrder(string method, string problemName) =>
        Check(method, problemName, Tableaus.Get(method).Order, StepCounts[method], dt => new Solver(method, dt: dt));

    [Theory]
    [MemberData(nameof(ImplicitOnExactProblems))]
    public void ImplicitFixedStepErrorConvergesAtNominalOrder(string method, string problemName) =>
        Check(method, problemName, ImplicitMethodCatalog.Get(method).Order, ImplicitStepCounts[method], dt => new Solver(method, rtol: 1e-13, atol: 1e-13, dt: dt));

    private static void Check(string method, string problemName, int nominal, int[] steps, Func<double, Solver> create)
    {
        var problem = TestProblems.Get(problemName);
        var dts = new List<double>();
        var errors = new List<double>();
        foreach (var n in steps)
        {
            var dt = FinalTime / n;
            var solver = create(dt);
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
