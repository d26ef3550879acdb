using Rewind.Networks;

namespace RewindTests.Networks;

/// <summary>Seeded initializers: reproducible bit for bit, with the documented bounds and variances.</summary>
public sealed class InitializerTests
{
    public static TheoryData<string> Schemes => new(["xavier", "xavier-gain", "kaiming", "kaiming-leaky", "pytorch"]);

    [Theory]
    [MemberData(nameof(Schemes))]
    public void TheSameSeedGivesTheSameParameters(string scheme)
    {
        var a = Network();
        var b = Network();
        a.Initialize(Scheme(scheme), seed: 123);
        b.Initialize(Scheme(scheme), seed: 123);
        Assert.Equal(Bits(a.Parameters.Span), Bits(b.Parameters.Span));

        var c = Network();
        c.Initialize(Scheme(scheme), seed: 124);
        Assert.NotEqual(Bits(a.Parameters.Span), Bits(c.Parameters.Span));

        // Initialize(seed) is Initialize(new Random(seed)), and the network draws layer by layer in order.
        var d = Network();
        var random = new Random(123);
        foreach (var module in d.Modules)
        {
            module.Initialize(Scheme(scheme), random);
        }

        Assert.Equal(Bits(a.Parameters.Span), Bits(d.Parameters.Span));
    }

    [Fact]
    public void XavierUniformHasTheGlorotBoundAndVariance()
    {
        // 300 x 200 weights: Var = 2 / (200 + 300), b = sqrt(6 / 500).
        CheckWeights(Initializer.XavierUniform(), fanIn: 200, fanOut: 300, expectedBound: Math.Sqrt(6.0 / 500), seed: 1);
        CheckWeights(Initializer.XavierUniform(gain: 5.0 / 3), fanIn: 200, fanOut: 300, expectedBound: 5.0 / 3 * Math.Sqrt(6.0 / 500), seed: 2);
    }

    [Fact]
    public void KaimingUniformHasTheHeBoundAndVariance()
    {
        // Var = 2 / ((1 + a^2) fan_in), b = sqrt(3 Var).
        CheckWeights(Initializer.KaimingUniform(), fanIn: 250, fanOut: 240, expectedBound: Math.Sqrt(6.0 / 250), seed: 3);
        CheckWeights(Initializer.KaimingUniform(negativeSlope: 0.2), fanIn: 250, fanOut: 240, expectedBound: Math.Sqrt(6.0 / (1.04 * 250)), seed: 4);
    }

    [Fact]
    public void PyTorchDefaultIsKaimingWithSlopeSqrt5AndUniformBiases()
    {
        CheckWeights(Initializer.PyTorchDefault, fanIn: 400, fanOut: 150, expectedBound: 1.0 / Math.Sqrt(400), seed: 5);
        var kaiming = Initializer.KaimingUniform(negativeSlope: Math.Sqrt(5));
        Assert.Equal(kaiming.WeightBound(400, 150), Initializer.PyTorchDefault.WeightBound(400, 150), 15);
        Assert.Equal(BiasInitialization.Uniform, Initializer.PyTorchDefault.Bias);
        Assert.Equal(1.0 / 20, Initializer.PyTorchDefault.BiasBound(400));
    }

    [Fact]
    public void BiasesAreZeroOrUniformInTheInverseSquareRootOfFanIn()
    {
        var zero = new Linear(16, 4000);
        zero.Initialize(Initializer.XavierUniform(), new Random(6));
        Assert.All(zero.Bias.ToArray(), b => Assert.Equal(0.0, b));

        var uniform = new Linear(16, 4000);
        uniform.Initialize(Initializer.KaimingUniform(bias: BiasInitialization.Uniform), new Random(7));
        var bias = uniform.Bias.ToArray();
        Assert.All(bias, b => Assert.InRange(b, -0.25, 0.25));
        Assert.True(bias.Max() > 0.24 && bias.Min() < -0.24, "the biases do not fill [-1/sqrt(16), 1/sqrt(16))");
        CheckVariance(bias, 0.25 * 0.25 / 3, 0.08);
    }

    [Fact]
    public void TheTimeColumnCountsInTheFanIn()
    {
        var first = new Linear(3, 200);
        var net = new Sequential(timeInput: true, first, new Tanh(), new Linear(200, 3));
        net.Initialize(Initializer.KaimingUniform(), seed: 8);
        double bound = Math.Sqrt(6.0 / 4);
        Assert.Equal(bound, Initializer.KaimingUniform().WeightBound(first.WeightColumns, first.OutFeatures), 15);
        Assert.All(first.Weight.ToArray(), w => Assert.InRange(w, -bound, bound));
        Assert.True(first.Weight.ToArray().Max() > 0.95 * bound);
        // The time column is drawn like the others.
        var timeColumn = Enumerable.Range(0, 200).Select(r => first.Weight.Span[(r * 4) + 3]).ToArray();
        Assert.True(timeColumn.Max() > 0.8 * bound && timeColumn.Min() < -0.8 * bound);
    }

    [Fact]
    public void BadSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.XavierUniform(gain: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.XavierUniform(gain: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.KaimingUniform(negativeSlope: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.KaimingUniform(bias: (BiasInitialization)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => Initializer.PyTorchDefault.WeightBound(0, 1));
        var net = Network();
        Assert.Throws<ArgumentNullException>(() => net.Initialize(null!, seed: 1));
        Assert.Throws<ArgumentNullException>(() => net.Initialize(Initializer.PyTorchDefault, null!));
    }

    [Fact]
    public void DescriptionsNameTheScheme()
    {
        Assert.Equal("Xavier uniform (gain 1; zero biases)", Initializer.XavierUniform().ToString());
        Assert.Equal("Kaiming uniform (a = 0; uniform biases)", Initializer.KaimingUniform(bias: BiasInitialization.Uniform).ToString());
    }

    private static Sequential Network() =>
        new(new Linear(2, 16), new Tanh(), new Linear(16, 16), new Relu(), new Linear(16, 2));

    private static Initializer Scheme(string name) => name switch
    {
        "xavier" => Initializer.XavierUniform(),
        "xavier-gain" => Initializer.XavierUniform(gain: 5.0 / 3, bias: BiasInitialization.Uniform),
        "kaiming" => Initializer.KaimingUniform(),
        "kaiming-leaky" => Initializer.KaimingUniform(negativeSlope: 0.01, bias: BiasInitialization.Uniform),
        _ => Initializer.PyTorchDefault,
    };

    private static long[] Bits(ReadOnlySpan<double> values) => values.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>
    /// The weights lie in [-b, b), reach near both ends, have mean near 0 and variance b^2 / 3 within 3% (60,000
    /// draws: the sample variance's relative standard error is about 0.5%).
    /// </summary>
    private static void CheckWeights(Initializer initializer, int fanIn, int fanOut, double expectedBound, int seed)
    {
        Assert.Equal(expectedBound, initializer.WeightBound(fanIn, fanOut), 14);
        var layer = new Linear(fanIn, fanOut);
        layer.Initialize(initializer, new Random(seed));
        var w = layer.Weight.ToArray();
        Assert.Equal(fanIn * fanOut, w.Length);
        Assert.All(w, x => Assert.True(x >= -expectedBound && x < expectedBound, $"{x} outside [-{expectedBound}, {expectedBound})"));
        Assert.True(w.Max() > 0.999 * expectedBound && w.Min() < -0.999 * expectedBound, "the weights do not fill [-b, b)");
        Assert.True(Math.Abs(w.Average()) < 0.02 * expectedBound, $"mean {w.Average()}");
        CheckVariance(w, expectedBound * expectedBound / 3, 0.03);
    }

    private static void CheckVariance(double[] values, double expected, double relativeTolerance)
    {
        double mean = values.Average();
        double variance = values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1);
        Assert.True(
            Math.Abs(variance - expected) <= relativeTolerance * expected,
            $"variance {variance:E4}, expected {expected:E4} within {relativeTolerance:P0}");
    }
}
