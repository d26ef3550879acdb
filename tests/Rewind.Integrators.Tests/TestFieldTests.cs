namespace RewindTests.Integrators;

/// <summary>The test fields themselves are right: Jvp matches finite differences of Evaluate, and Vjp is its transpose.</summary>
public sealed class TestFieldTests
{
    public static TheoryData<string> ProblemNames => new(TestProblems.Names);

    [Theory]
    [MemberData(nameof(ProblemNames))]
    public void VjpIsTheTransposeOfJvp(string name)
    {
        var problem = TestProblems.Get(name);
        var field = problem.Field;
        var (n, np) = (field.StateSize, field.ParameterSize);
        var random = new Random(17);
        for (var trial = 0; trial < 5; trial++)
        {
            var (t, y, p) = RandomPoint(problem, random);
            var v = Vectors.Random(random, n + np);
            var w = Vectors.Random(random, n);
            var jv = new double[n];
            field.Jvp(t, y, p, v, jv);
            var wDy = new double[n];
            var wDp = new double[np];
            field.Vjp(t, y, p, w, wDy, wDp);
            var jvw = Vectors.Dot(jv, w);
            var vjtw = Vectors.Dot(v.AsSpan(0, n), wDy) + Vectors.Dot(v.AsSpan(n), wDp);
            var scale = (Vectors.Norm(jv) * Vectors.Norm(w)) + (Vectors.Norm(v) * Math.Sqrt(Vectors.Dot(wDy, wDy) + Vectors.Dot(wDp, wDp)));
            Assert.True(Math.Abs(jvw - vjtw) <= 1e-13 * scale, $"{name}: <Jv,w> = {jvw:R}, <v,J^T w> = {vjtw:R} at t = {t}");
        }
    }

    [Theory]
    [MemberData(nameof(ProblemNames))]
    public void JvpMatchesFiniteDifferencesOfEvaluate(string name)
    {
        var problem = TestProblems.Get(name);
        var field = problem.Field;
        var (n, np) = (field.StateSize, field.ParameterSize);
        var random = new Random(29);
        const double h = 1e-6;
        for (var trial = 0; trial < 3; trial++)
        {
            var (t, y, p) = RandomPoint(problem, random);
            var v = Vectors.Random(random, n + np);
            var jv = new double[n];
            field.Jvp(t, y, p, v, jv);
            var plus = new double[n];
            var minus = new double[n];
            field.Evaluate(t, Vectors.AddScaled(y, h, v.AsSpan(0, n)), Vectors.AddScaled(p, h, v.AsSpan(n)), plus);
            field.Evaluate(t, Vectors.AddScaled(y, -h, v.AsSpan(0, n)), Vectors.AddScaled(p, -h, v.AsSpan(n)), minus);
            var fd = new double[n];
            for (var i = 0; i < n; i++)
            {
                fd[i] = (plus[i] - minus[i]) / (2 * h);
            }

            var error = Vectors.MaxAbsDifference(jv, fd);
            Assert.True(error <= 1e-6 * Math.Max(1, Vectors.MaxAbs(jv)), $"{name}: |Jv - FD| = {error:E3} at t = {t}");
        }
    }

    [Theory]
    [MemberData(nameof(ProblemNames))]
    public void ProductsOverwriteTheirOutputs(string name)
    {
        var problem = TestProblems.Get(name);
        var field = problem.Field;
        var (n, np) = (field.StateSize, field.ParameterSize);
        var random = new Random(5);
        var (t, y, p) = RandomPoint(problem, random);
        var v = Vectors.Random(random, n + np);
        var w = Vectors.Random(random, n);

        var clean = (Dy: new double[n], Dp: new double[np], Jv: new double[n], F: new double[n]);
        var dirty = (Dy: Filled(n), Dp: Filled(np), Jv: Filled(n), F: Filled(n));
        field.Vjp(t, y, p, w, clean.Dy, clean.Dp);
        field.Vjp(t, y, p, w, dirty.Dy, dirty.Dp);
        field.Jvp(t, y, p, v, clean.Jv);
        field.Jvp(t, y, p, v, dirty.Jv);
        field.Evaluate(t, y, p, clean.F);
        field.Evaluate(t, y, p, dirty.F);

        Assert.Equal(clean.Dy, dirty.Dy);
        Assert.Equal(clean.Dp, dirty.Dp);
        Assert.Equal(clean.Jv, dirty.Jv);
        Assert.Equal(clean.F, dirty.F);
    }

    [Theory]
    [InlineData("linear", 1.7)]
    [InlineData("riccati", 1.3)]
    [InlineData("logistic", 2.9)]
    [InlineData("kepler", 2.2)]
    public void ExactSolutionsSatisfyTheirEquations(string name, double t)
    {
        // y(t) is checked against its own ODE: (y(t+h) - y(t-h)) / 2h == f(t, y(t)).
        var problem = TestProblems.Get(name);
        var exact = problem.Exact!;
        Assert.Equal(problem.InitialState, exact(problem.T0), (a, b) => Math.Abs(a - b) <= 1e-14);
        const double h = 1e-5;
        var dydt = new double[problem.Field.StateSize];
        var y = exact(t);
        problem.Field.Evaluate(t, y, problem.Parameters, dydt);
        var plus = exact(t + h);
        var minus = exact(t - h);
        for (var i = 0; i < dydt.Length; i++)
        {
            var fd = (plus[i] - minus[i]) / (2 * h);
            Assert.True(Math.Abs(fd - dydt[i]) <= 1e-8 * Math.Max(1, Math.Abs(dydt[i])), $"{name}[{i}]: dy/dt = {fd}, f = {dydt[i]}");
        }
    }

    private static double[] Filled(int length) => Enumerable.Repeat(1e300, length).ToArray();

    private static (double T, double[] Y, double[] P) RandomPoint(TestProblem problem, Random random)
    {
        var t = problem.T0 + random.NextDouble();
        var y = Vectors.AddScaled(problem.InitialState, 0.1, Vectors.Random(random, problem.Field.StateSize));
        var p = Vectors.AddScaled(problem.Parameters, 0.1, Vectors.Random(random, problem.Field.ParameterSize));
        return (t, y, p);
    }
}
