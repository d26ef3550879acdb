using Rewind.Cli.Problems;
using Xunit;

namespace RewindTests.Cli;

/// <summary>Every built-in problem's Vjp and Jvp are the transpose of each other and the derivative of Evaluate.</summary>
public sealed class ProblemDerivativeTests
{
    public static TheoryData<string> ProblemNames => [.. ProblemRegistry.Names];

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
        double[] v = RandomVector(random, n + problem.ParameterSize);

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

    private static BuiltInProblem Problem(string name)
    {
        Assert.True(ProblemRegistry.TryGet(name, out BuiltInProblem? problem));
        return problem;
    }

    // Near the defaults, where each field is defined (Kepler's r stays away from 0), but off any symmetric point.
    private static (double[] State, double[] Parameters) PerturbedDefaults(BuiltInProblem problem, Random random) =>
        ([.. problem.InitialState.Select(value => value + (0.1 * (random.NextDouble() + 0.5)))],
         [.. problem.Parameters.Select(value => value + (0.1 * (random.NextDouble() - 0.5)))]);

    private static double[] RandomVector(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (2 * random.NextDouble()) - 1)];

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
