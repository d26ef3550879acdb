using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// y' = A(p) y has y(t) = expm(A t) y0, so L = sum_k w_k^T y(t_k) has dL/dy0 = sum_k expm(A t_k)^T w_k and
/// dL/dp_j = sum_k w_k^T Lexp(A t_k, B_j t_k) y0 with Lexp the Fréchet derivative of expm. A tight adaptive solve
/// must reproduce both.
/// </summary>
public sealed class AnalyticGradientTests
{
    [Fact]
    public void ExpOfARotationGeneratorIsARotation()
    {
        const double theta = 2.5;
        var x = new DenseMatrix(2, [0, -theta, theta, 0]);
        var e = x.Exp();
        Assert.Equal(Math.Cos(theta), e[0, 0], 1e-14);
        Assert.Equal(-Math.Sin(theta), e[0, 1], 1e-14);
        Assert.Equal(Math.Sin(theta), e[1, 0], 1e-14);
        Assert.Equal(Math.Cos(theta), e[1, 1], 1e-14);
    }

    [Fact]
    public void FrechetDerivativeMatchesFiniteDifferencesOfExp()
    {
        var field = TestProblems.LinearBasisField();
        var x = field.Matrix([0.7, -0.4, 0.3, -0.9]).Scaled(2.0);
        var direction = field.Basis(2).Scaled(2.0);
        var frechet = x.ExpFrechet(direction);
        const double h = 1e-5;
        var plus = Combine(x, h, direction).Exp();
        var minus = Combine(x, -h, direction).Exp();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var fd = (plus[i, j] - minus[i, j]) / (2 * h);
                Assert.Equal(fd, frechet[i, j], 1e-8);
            }
        }
    }

    [Theory]
    [InlineData("dopri5")]
    [InlineData("tsit5")]
    public void GradientOfLinearSystemMatchesMatrixExponential(string method)
    {
        var problem = TestProblems.Linear();
        var field = (LinearField)problem.Field;
        double[] times = [0.3, 1.1, 2.0];
        var random = new Random(101);
        var w = Solving.RandomCotangents(random, times.Length, field.StateSize);

        var a = field.Matrix(problem.Parameters);
        var y0 = problem.InitialState;
        var expectedDy0 = new double[field.StateSize];
        var expectedDp = new double[field.ParameterSize];
        for (var k = 0; k < times.Length; k++)
        {
            var at = a.Scaled(times[k]);
            var exp = at.Exp();
            exp.TransposeMultiplyAdd(1, w[k], expectedDy0);
            for (var j = 0; j < field.ParameterSize; j++)
            {
                expectedDp[j] += at.ExpFrechet(field.Basis(j).Scaled(times[k])).Bilinear(w[k], y0);
            }
        }

        var solver = new Solver(method, rtol: 1e-12, atol: 1e-14);
        using var solution = Solving.Solve(solver, problem.At(times));
        for (var k = 0; k < times.Length; k++)
        {
            var exact = a.Scaled(times[k]).Exp().Multiply(y0);
            Assert.True(Vectors.RelativeDifference(solution.State(k), exact) <= 1e-9, $"state at t = {times[k]}");
        }

        var gradient = solution.Backward(w);
        var errY0 = Vectors.RelativeDifference(gradient.InitialState, expectedDy0);
        var errP = Vectors.RelativeDifference(gradient.Parameters, expectedDp);
        TestContext.Current.TestOutputHelper?.WriteLine($"{method}: relative error dL/dy0 {errY0:E2}, dL/dp {errP:E2}, steps {solution.Statistics.Steps}");
        Assert.True(errY0 <= 1e-8, $"dL/dy0 relative error {errY0:E3}: got [{string.Join(", ", gradient.InitialState)}], expm gives [{string.Join(", ", expectedDy0)}]");
        Assert.True(errP <= 1e-8, $"dL/dp relative error {errP:E3}: got [{string.Join(", ", gradient.Parameters)}], Fréchet gives [{string.Join(", ", expectedDp)}]");
    }

    private static DenseMatrix Combine(DenseMatrix x, double alpha, DenseMatrix e)
    {
        var r = x.Scaled(1.0);
        r.AddScaled(alpha, e);
        return r;
    }
}
