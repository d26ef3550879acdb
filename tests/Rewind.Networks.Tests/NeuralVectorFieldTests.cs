using Rewind;
using Rewind.Networks;
using RewindTests.Integrators;

namespace RewindTests.Networks;

/// <summary>
/// The bindings reach librewind's kernels with the documented layout: the field's forward equals a managed reference,
/// its VJP is the transpose of its JVP, its JVP matches finite differences, for every activation, with and without
/// time input.
/// </summary>
public sealed class NeuralVectorFieldTests
{
    private const int Batch = 4;

    public static TheoryData<string, bool> ActivationsAndTimeInput
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var name in new[] { "tanh", "relu", "softplus", "gelu", "sigmoid", "silu" })
            {
                data.Add(name, false);
                data.Add(name, true);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ActivationsAndTimeInput))]
    public void ForwardMatchesAManagedReference(string activation, bool timeInput)
    {
        var net = Network(activation, timeInput, seed: 1);
        using var field = net.AsVectorField(Batch);
        var random = new Random(2);
        var y = Vectors.Random(random, field.StateSize);
        var p = net.Parameters.ToArray();
        var dydt = new double[field.StateSize];

        field.Evaluate(0.7, y, p, dydt);

        var expected = ReferenceNetwork.Forward(net, 0.7, y, Batch, p);
        Assert.True(Vectors.MaxAbsDifference(dydt, expected) <= 1e-13 * Math.Max(1, Vectors.MaxAbs(expected)), Report(dydt, expected));
        if (timeInput)
        {
            var later = new double[field.StateSize];
            field.Evaluate(1.9, y, p, later);
            Assert.True(Vectors.MaxAbsDifference(later, dydt) > 1e-6, "t does not reach the network");
        }
    }

    [Fact]
    public void SequentialForwardUsesTheNetworksOwnParameters()
    {
        var net = new Sequential(timeInput: true, new Linear(3, 7), new Gelu(), new Linear(7, 2));
        net.Initialize(Initializer.PyTorchDefault, seed: 3);
        var x = Vectors.Random(new Random(4), 5 * 3);
        var y = new double[5 * 2];

        net.Forward(x, y, batch: 5, t: -0.25);

        var expected = ReferenceNetwork.Forward(net, -0.25, x, 5, net.Parameters.Span);
        Assert.True(Vectors.MaxAbsDifference(y, expected) <= 1e-13, Report(y, expected));
    }

    [Theory]
    [MemberData(nameof(ActivationsAndTimeInput))]
    public void VjpIsTheTransposeOfJvp(string activation, bool timeInput)
    {
        var net = Network(activation, timeInput, seed: 5);
        using var field = net.AsVectorField(Batch);
        var random = new Random(6);
        int n = field.StateSize;
        int np = field.ParameterSize;
        var y = Vectors.Random(random, n);
        var p = net.Parameters.ToArray();
        var v = Vectors.Random(random, n + np);
        var w = Vectors.Random(random, n);
        var jv = new double[n];
        var wDy = new double[n];
        var wDp = new double[np];

        field.Jvp(0.3, y, p, v, jv);
        field.Vjp(0.3, y, p, w, wDy, wDp);

        double left = Vectors.Dot(jv, w);
        double right = Vectors.Dot(v.AsSpan(0, n), wDy) + Vectors.Dot(v.AsSpan(n), wDp);
        Assert.True(Vectors.RelativeDifference(left, right) <= 1e-13, $"<Jv, w> = {left:R}, <v, J^T w> = {right:R}");
        Assert.True(Math.Abs(left) > 1e-3, "degenerate test vectors");
    }

    [Theory]
    [MemberData(nameof(ActivationsAndTimeInput))]
    public void JvpMatchesCentralDifferences(string activation, bool timeInput)
    {
        var net = Network(activation, timeInput, seed: 7);
        using var field = net.AsVectorField(Batch);
        var random = new Random(8);
        int n = field.StateSize;
        int np = field.ParameterSize;
        var y = Vectors.Random(random, n);
        var p = net.Parameters.ToArray();
        var v = Vectors.Random(random, n + np);
        var jv = new double[n];
        field.Jvp(1.1, y, p, v, jv);

        const double h = 1e-6;
        var plus = new double[n];
        var minus = new double[n];
        field.Evaluate(1.1, Vectors.AddScaled(y, h, v.AsSpan(0, n)), Vectors.AddScaled(p, h, v.AsSpan(n)), plus);
        field.Evaluate(1.1, Vectors.AddScaled(y, -h, v.AsSpan(0, n)), Vectors.AddScaled(p, -h, v.AsSpan(n)), minus);
        var difference = new double[n];
        for (int i = 0; i < n; i++)
        {
            difference[i] = (plus[i] - minus[i]) / (2 * h);
        }

        // ReLU's kinks are a set of measure zero; the seeded inputs stay away from them.
        Assert.True(Vectors.RelativeDifference(jv, difference) <= 1e-7, Report(jv, difference));
    }

    [Fact]
    public void VjpOverwritesItsOutputs()
    {
        var net = Network("silu", timeInput: true, seed: 9);
        using var field = net.AsVectorField(Batch);
        var random = new Random(10);
        var y = Vectors.Random(random, field.StateSize);
        var w = Vectors.Random(random, field.StateSize);
        var p = net.Parameters.ToArray();
        var cleanDy = new double[field.StateSize];
        var cleanDp = new double[field.ParameterSize];
        field.Vjp(0.5, y, p, w, cleanDy, cleanDp);

        var dirtyDy = Enumerable.Repeat(123.0, field.StateSize).ToArray();
        var dirtyDp = Enumerable.Repeat(-7.0, field.ParameterSize).ToArray();
        field.Vjp(0.5, y, p, w, dirtyDy, dirtyDp);

        Assert.Equal(cleanDy, dirtyDy);
        Assert.Equal(cleanDp, dirtyDp);
    }

    [Fact]
    public void TheBuiltInGemmGivesTheSameNumbersToRoundOff()
    {
        var net = new Sequential(new Linear(6, 40), new Tanh(), new Linear(40, 6));
        net.Initialize(Initializer.XavierUniform(), seed: 11);
        using var automatic = net.AsVectorField(Batch);
        using var builtin = new NeuralVectorField(net, Batch) { GemmKernel = "builtin" };
        var y = Vectors.Random(new Random(12), automatic.StateSize);
        var p = net.Parameters.ToArray();
        var a = new double[y.Length];
        var b = new double[y.Length];
        automatic.Evaluate(0, y, p, a);
        builtin.Evaluate(0, y, p, b);
        Assert.True(Vectors.MaxAbsDifference(a, b) <= 1e-14, Report(a, b));

        using var blas = new NeuralVectorField(net, Batch) { GemmKernel = "blas" };
        try
        {
            blas.Evaluate(0, y, p, b);
            Assert.True(Vectors.MaxAbsDifference(a, b) <= 1e-14, Report(a, b));
        }
        catch (NotSupportedException e)
        {
            // librewind without BLAS says so.
            Assert.Contains("BLAS", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NativeErrorsBecomeTypedExceptions()
    {
        var net = Network("tanh", timeInput: false, seed: 13);
        using var field = net.AsVectorField(Batch);
        var y = new double[field.StateSize];
        y[5] = double.NaN;
        var e = Assert.Throws<NonFiniteValueException>(() => field.Evaluate(0, y, net.Parameters.ToArray(), new double[y.Length]));
        Assert.Contains("x[1][2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStateThatIsNotTheBatchTimesTheDimensionIsRefused()
    {
        var net = Network("tanh", timeInput: false, seed: 15);
        using var field = net.AsVectorField(Batch);

        // One row short: the batch no longer divides the state into rows of the network's dimension.
        var e = Assert.Throws<ArgumentException>(
            () => new Rewind.Integrators.OdeProblem(field, new double[field.StateSize - 1], net.Parameters.ToArray(), 0, [1.0]));
        Assert.Contains(field.StateSize.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        var batch = Assert.Throws<ArgumentException>(
            () => new TrainingBatch(0, [1.0], new double[(2 * net.InputSize) + 1], new double[(2 * net.InputSize) + 1], null, net.InputSize));
        Assert.Contains("multiple of the dimension", batch.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => net.AsVectorField(0));
    }

    [Fact]
    public void ADisposedFieldRefusesCalls()
    {
        var net = Network("tanh", timeInput: false, seed: 14);
        var field = net.AsVectorField(Batch);
        var y = new double[field.StateSize];
        var p = net.Parameters.ToArray();
        field.Evaluate(0, y, p, new double[y.Length]);
        field.Dispose();
        field.Dispose();
        Assert.Throws<ObjectDisposedException>(() => field.Evaluate(0, y, p, new double[y.Length]));
    }

    /// <summary>3 → 5 (activation) → 4 (tanh) → 3 (activation): every layer kind, the activation under test twice.</summary>
    internal static Sequential Network(string activation, bool timeInput, int seed)
    {
        var net = new Sequential(
            timeInput,
            new Linear(3, 5),
            Activation(activation),
            new Linear(5, 4),
            new Tanh(),
            new Linear(4, 3),
            Activation(activation));
        net.Initialize(Initializer.XavierUniform(gain: 1.5, bias: BiasInitialization.Uniform), seed);
        return net;
    }

    internal static Activation Activation(string name) => name switch
    {
        "tanh" => new Tanh(),
        "relu" => new Relu(),
        "softplus" => new Softplus(),
        "gelu" => new Gelu(),
        "sigmoid" => new Sigmoid(),
        _ => new Silu(),
    };

    private static string Report(double[] actual, double[] expected) =>
        $"max |difference| {Vectors.MaxAbsDifference(actual, expected):E2}; actual [{string.Join(", ", actual.Take(6))}], expected [{string.Join(", ", expected.Take(6))}]";
}
