using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// The README quick start: Lotka–Volterra, dopri5 at rtol 1e-10, Backward. Its gradient must match central finite
/// differences of re-solves. The finite differences use a step of 1e-4 (relative), where the truncation error
/// (~h^2) and the tolerance-level noise of re-solved adaptive runs (~1e-12 / h) are both below 1e-7.
/// </summary>
public sealed class QuickStartTests
{
    [Fact]
    public void QuickStartGradientMatchesCentralFiniteDifferences()
    {
        // As in the README.
        var field = new LotkaVolterraField();
        var problem = new OdeProblem(field, y0: [1.0, 1.0], parameters: [1.5, 1.0, 3.0, 1.0], t0: 0.0, outputTimes: [5.0]);
        var solver = new Solver("dopri5", rtol: 1e-10, atol: 1e-12);
        using var solution = Solving.Solve(solver, problem);
        var gradient = solution.Backward([[1.0, 0.0]]); // L = prey population at t = 5

        double Loss(double[] y0, double[] p)
        {
            using var s = Solving.Solve(solver, new OdeProblem(field, y0, p, 0.0, [5.0]));
            return s.State(0)[0];
        }

        double[] x = [.. problem.InitialState, .. problem.Parameters];
        var fd = new double[x.Length];
        for (var j = 0; j < x.Length; j++)
        {
            var h = 1e-4 * Math.Max(1, Math.Abs(x[j]));
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[j] += h;
            minus[j] -= h;
            fd[j] = (Loss(plus[..2], plus[2..]) - Loss(minus[..2], minus[2..])) / (2 * h);
        }

        double[] adjoint = [.. gradient.InitialState, .. gradient.Parameters];
        var error = Vectors.RelativeDifference(adjoint, fd);
        var report = $"adjoint [{string.Join(", ", adjoint)}] vs central differences [{string.Join(", ", fd)}]: relative difference {error:E2}";
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(error <= 1e-6, report);
    }
}
