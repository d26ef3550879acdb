using Rewind.Cli.Problems;
using Rewind.Integrators;
using Xunit;

namespace RewindTests.Cli;

/// <summary>
/// Every built-in problem's Vjp and Jvp are the transpose of each other and the derivative of Evaluate; a problem
/// with a dense Jacobian (the stiff set) has one whose columns are its Jvp and which matches central differences of
/// Evaluate.
/// </summary>
public sealed class ProblemDerivativeTests
{
    public static TheoryData<string> ProblemNames => [.. ProblemRegistry.Names];

    public static TheoryData<string> JacobianProblemNames => [.. JacobianProblems];

    private static IEnumerable<string> JacobianProblems =>
        ProblemRegistry.All.Where(problem => problem is IDenseJacobian).Select(problem => problem.Name);

    [Fact]
    public void TheStiffSetHasDenseJacobians()
    {
        Assert.Equal(["robertson", "hires", "van-der-pol-stiff", "van-der-pol-stiff-unscaled", "pollution"], JacobianProblems);
    }

    [Theory]
    [MemberData(nameof(JacobianProblemNames))]
    public void JacobianColumnsAreTheJvpOfUnitVectors(string problemName)
    {
        BuiltInProblem problem = Problem(problemName);
        var jacobian = (IDenseJacobian)problem;
        var random = new Random(13);
        var (y, p) = PerturbedDefaults(problem, random);
        int n = problem.StateSize;
        var dfdy = new double[n * n];
        jacobian.Jacobian(0.3, y, p, dfdy);
        for (int j = 0; j < n; j++)
        {
            var v = new double[n + problem.ParameterSize];
            v[j] = 1.0;
            var column = new double[n];
            problem.Jvp(0.3, y, p, v, column);
            for (int i = 0; i < n; i++)
            {
                Assert.True(Math.Abs(column[i] - dfdy[(i * n) + j]) <= 1e-14 * Math.Max(1.0, Math.Abs(column[i])),
                            $"{problemName}: J[{i}][{j}] = {dfdy[(i * n) + j]:R}, Jvp(e_{j})[{i}] = {column[i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(JacobianProblemNames))]
    public void JacobianMatchesCentralDifferencesOfEvaluate(string problemName)
    {
        // At the reference solution (a physical state: POLLU's y16 is 4e-18 there, ROBER's y2 8e-14), each component
        // moved by up to 5%, so that entries of every size are checked relative to themselves.
        BuiltInProblem problem = Problem(problemName);
        var jacobian = (IDenseJacobian)problem;
        var random = new Random(17);
        IReadOnlyList<double> basePoint = problem.Reference ?? problem.InitialState;
        double[] y = [.. basePoint.Select(value => value * (1.0 + (0.1 * (random.NextDouble() - 0.5))))];
        double[] p = [.. problem.Parameters];
        int n = problem.StateSize;
        var dfdy = new double[n * n];
        jacobian.Jacobian(0.3, y, p, dfdy);
        for (int i = 0; i < n; i++)
        {
            // The size of the terms f_i sums (mass action: J_ik y_k per term), which bounds its rounding error.
            double termSize = Enumerable.Range(0, n).Sum(k => Math.Abs(dfdy[(i * n) + k] * y[k]));
            for (int j = 0; j < n; j++)
            {
                // Mass action is quadratic, Van der Pol cubic: a relative step of 1e-4 keeps truncation near 1e-8.
                double step = 1e-4 * Scale(y[j]);
                double[] plusState = [.. y], minusState = [.. y];
                plusState[j] += step;
                minusState[j] -= step;
                var plus = new double[n];
                var minus = new double[n];
                problem.Evaluate(0.3, plusState, p, plus);
                problem.Evaluate(0.3, minusState, p, minus);
                double finiteDifference = (plus[i] - minus[i]) / (2 * step);
                double entry = dfdy[(i * n) + j];
                double tolerance = (1e-6 * Math.Abs(entry)) + (64 * double.Epsilon) + (64 * 2.3e-16 * termSize / step);
                Assert.True(Math.Abs(finiteDifference - entry) <= tolerance,
                            $"{problemName}: J[{i}][{j}] = {entry:R}, central difference {finiteDifference:R}, tolerance {tolerance:E2}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProblemNames))]
    public void VjpIsTheTransposeOfJvp(string problemName)
    {
        BuiltInProblem problem = Problem(problemName);
        var random = new Random(7);
        var (y, p) = PerturbedDefaults(problem, random);
        double[] v = RandomVector(random, problem.StateSize + problem.ParameterSize);
        double[] w = RandomVector(random, problem.StateSize);

        var jv = new double[problem.StateSize];
        problem.Jvp(0.3, y, p, v, jv);
        var wDy = new double[problem.StateSize];
        var wDp = new double[problem.ParameterSize];
        problem.Vjp(0.3, y, p, w, wDy, wDp);

        double jvDotW = Dot(jv, w);
        double vDotJtw = Dot(v, [.. wDy, .. wDp]);
        Assert.Equal(jvDotW, vDotJtw, 1e-12 * Math.Max(1.0, Math.Abs(jvDotW)));
    }

    [Theory]
    [MemberData(nameof(ProblemNames))]
    public void JvpIsTheDirectionalDerivativeOfEvaluate(string problemName)
    {
        BuiltInProblem problem = Problem(problemName);
        var random = new Random(11);
        var (y, p) = PerturbedDefaults(problem, random);
        int n = problem.StateSize;
        // The direction is scaled by each input's size: the stiff set's parameters range from 1e-6 to 4.44e11, and a
        // step of 1e-6 in eps = 1e-6 would double it.
        double[] inputs = [.. y, .. p];
        double[] v = [.. RandomVector(random, n + problem.ParameterSize).Select((value, i) => value * Scale(inputs[i]))];

        var jv = new double[n];
        problem.Jvp(0.3, y, p, v, jv);

        const double step = 1e-6;
        double[] Shifted(double[] values, int offset, double sign) =>
            [.. values.Select((value, i) => value + (sign * step * v[offset + i]))];
        var plus = new double[n];
        var minus = new double[n];
        problem.Evaluate(0.3, Shifted(y, 0, +1), Shifted(p, n, +1), plus);
        problem.Evaluate(0.3, Shifted(y, 0, -1), Shifted(p, n, -1), minus);
        for (int i = 0; i < n; i++)
        {
            double finiteDifference = (plus[i] - minus[i]) / (2 * step);
            Assert.Equal(finiteDifference, jv[i], 1e-6 * Math.Max(1.0, Math.Abs(jv[i])));
        }
    }

    private static double Scale(double value) => value == 0.0 ? 1.0 : Math.Abs(value);

    private static BuiltInProblem Problem(string name)
    {
        Assert.True(ProblemRegistry.TryGet(name, out BuiltInProblem? problem));
        return problem;
    }

    // Near the defaults, where each field is defined (Kepler's r stays away from 0), but off any symmetric point. The
    // parameters move by up to 5% of their value: the stiff set's range over 17 orders of magnitude (eps = 1e-6 of
    // the scaled Van der Pol must stay positive, k19 = 4.44e11 of the pollution model must move at all).
    private static (double[] State, double[] Parameters) PerturbedDefaults(BuiltInProblem problem, Random random) =>
        ([.. problem.InitialState.Select(value => value + (0.1 * (random.NextDouble() + 0.5)))],
         [.. problem.Parameters.Select(value => value * (1.0 + (0.1 * (random.NextDouble() - 0.5))))]);

    private static double[] RandomVector(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (2 * random.NextDouble()) - 1)];

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
