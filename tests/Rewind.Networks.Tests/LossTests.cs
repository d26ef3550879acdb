using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Networks;
using RewindTests.Integrators;

namespace RewindTests.Networks;

/// <summary>MSE and L1 on trajectories: hand-computed values, masks, reductions, finite-difference gradients, and the
/// gradient's shape being the one <see cref="Solution.Backward"/> takes.</summary>
public sealed class LossTests
{
    private static readonly double[][] Predictions = [[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]];
    private static readonly double[][] Targets = [[1.5, 2.0], [0.0, 1.0], [2.0, 0.25]];

    [Fact]
    public void MeanSquaredErrorByHand()
    {
        // Residuals −0.5, 0, 0.5, −2, 1, −0.25: squares 0.25, 0, 0.25, 4, 1, 0.0625, sum 5.5625, N = 6.
        double loss = new MeanSquaredError().Evaluate(Predictions, Targets, null, out double[][] gradient);
        Assert.Equal(5.5625 / 6, loss, 15);
        Assert.Equal(3, gradient.Length);
        AssertRows([[-1.0 / 6, 0], [1.0 / 6, -4.0 / 6], [2.0 / 6, -0.5 / 6]], gradient);
        Assert.Equal(loss, new MeanSquaredError().Evaluate(Predictions, Targets));
    }

    [Fact]
    public void L1ByHand()
    {
        // |r|: 0.5, 0, 0.5, 2, 1, 0.25, sum 4.25; sign(0) = 0.
        double loss = new L1Loss().Evaluate(Predictions, Targets, null, out double[][] gradient);
        Assert.Equal(4.25 / 6, loss, 15);
        AssertRows([[-1.0 / 6, 0], [1.0 / 6, -1.0 / 6], [1.0 / 6, -1.0 / 6]], gradient);
    }

    [Fact]
    public void SumReductionDropsTheMean()
    {
        double loss = new MeanSquaredError(LossReduction.Sum).Evaluate(Predictions, Targets, null, out double[][] gradient);
        Assert.Equal(5.5625, loss, 15);
        AssertRows([[-1.0, 0], [1.0, -4.0], [2.0, -0.5]], gradient);
        Assert.Equal(4.25, new L1Loss(LossReduction.Sum).Evaluate(Predictions, Targets), 15);
    }

    [Fact]
    public void MaskedEntriesNeitherCountNorGetAGradient()
    {
        bool[][] mask = [[true, false], [false, true], [true, true]];
        double[][] targets = [[1.5, double.NaN], [double.NaN, 1.0], [2.0, 0.25]];  // unobserved targets are never read

        // Observed residuals −0.5, −2, 1, −0.25: squares 0.25, 4, 1, 0.0625, sum 5.3125, N = 4.
        double loss = new MeanSquaredError().Evaluate(Predictions, targets, mask, out double[][] gradient);
        Assert.Equal(5.3125 / 4, loss, 15);
        AssertRows([[-1.0 / 4, 0], [0, -4.0 / 4], [2.0 / 4, -0.5 / 4]], gradient);

        double l1 = new L1Loss().Evaluate(Predictions, targets, mask, out double[][] l1Gradient);
        Assert.Equal(3.75 / 4, l1, 15);
        AssertRows([[-0.25, 0], [0, -0.25], [0.25, -0.25]], l1Gradient);

        bool[][] none = [[false, false], [false, false], [false, false]];
        Assert.Equal(0.0, new MeanSquaredError().Evaluate(Predictions, targets, none, out double[][] zero));
        Assert.All(zero, row => Assert.All(row, g => Assert.Equal(0.0, g)));
    }

    [Theory]
    [InlineData("mse")]
    [InlineData("l1")]
    public void GradientMatchesCentralDifferences(string name)
    {
        TrajectoryLoss loss = name == "mse" ? new MeanSquaredError() : new L1Loss();
        var random = new Random(5);
        double[] predictions = Vectors.Random(random, 24);
        double[] targets = Vectors.Random(random, 24);
        bool[] mask = [.. Enumerable.Range(0, 24).Select(i => i % 5 != 3)];
        var gradient = new double[24];
        double value = loss.Evaluate(predictions, targets, mask, gradient);
        Assert.True(value > 0);
        const double h = 1e-6;  // residuals are O(1) and not within h of 0, where |r| has its kink
        for (int i = 0; i < predictions.Length; i++)
        {
            double[] plus = (double[])predictions.Clone();
            double[] minus = (double[])predictions.Clone();
            plus[i] += h;
            minus[i] -= h;
            double difference = (loss.Evaluate(plus, targets, mask, Span<double>.Empty) - loss.Evaluate(minus, targets, mask, Span<double>.Empty)) / (2 * h);
            Assert.True(Math.Abs(difference - gradient[i]) < 1e-8, $"{name}, entry {i}: central difference {difference}, gradient {gradient[i]}");
        }
    }

    [Fact]
    public void TheGradientIsWhatBackwardTakes()
    {
        // dy/dt = −y on 2 rows: y(t) = y0 e^{−t}, and L = mean (y(t_k) − target)² has dL/dy0 = Σ_k dL/dy(t_k) e^{−t_k}.
        var net = new Sequential(new Linear(2, 2));
        net.Parameter("0.weight").Span[0] = -1;
        net.Parameter("0.weight").Span[3] = -1;
        using var field = net.AsVectorField(batch: 2);
        double[] times = [0.5, 1.0, 2.0];
        var problem = new OdeProblem(field, [1.0, 2.0, -1.0, 0.5], net.Parameters.ToArray(), 0.0, times);
        using var solution = new Solver("dopri5", rtol: 1e-12, atol: 1e-14).Solve(problem, Adjoint.Discrete(Checkpointing.StoreAll), TestContext.Current.CancellationToken);
        double[][] predictions = [.. Enumerable.Range(0, times.Length).Select(solution.State)];
        double[][] targets = [[0.5, 1.0, -0.5, 0.0], [0.4, 0.7, -0.3, 0.2], [0.1, 0.3, -0.1, 0.1]];

        new MeanSquaredError().Evaluate(predictions, targets, null, out double[][] dLdy);
        Gradient gradient = solution.Backward(dLdy);

        for (int i = 0; i < 4; i++)
        {
            double expected = Enumerable.Range(0, times.Length).Sum(k => dLdy[k][i] * Math.Exp(-times[k]));
            Assert.Equal(expected, gradient.InitialState[i], 1e-9);
        }
    }

    [Fact]
    public void ShapesMustAgree()
    {
        var loss = new MeanSquaredError();
        Assert.Throws<ArgumentException>(() => loss.Evaluate([1.0, 2.0], [1.0], [], []));
        Assert.Throws<ArgumentException>(() => loss.Evaluate([1.0, 2.0], [1.0, 2.0], [true], []));
        Assert.Throws<ArgumentException>(() => loss.Evaluate([1.0, 2.0], [1.0, 2.0], [], new double[3]));
        Assert.Throws<ArgumentException>(() => loss.Evaluate(Predictions, Targets[..2]));
        Assert.Throws<ArgumentException>(() => loss.Evaluate(Predictions, [[1.0, 2.0], [1.0], [1.0, 2.0]]));
        Assert.Throws<ArgumentException>(() => loss.Evaluate(Predictions, Targets, [[true, true]]));
        Assert.Equal("mse", loss.Name);
        Assert.Equal("l1", new L1Loss().Name);
        Assert.Equal("L1Loss(sum)", new L1Loss(LossReduction.Sum).ToString());
    }

    private static void AssertRows(double[][] expected, double[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Length, actual[k].Length);
            for (int i = 0; i < expected[k].Length; i++)
            {
                Assert.Equal(expected[k][i], actual[k][i], 15);
            }
        }
    }
}
