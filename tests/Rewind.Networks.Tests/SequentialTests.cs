using Rewind.Networks;

namespace RewindTests.Networks;

/// <summary>A Sequential compiles to one network: sizes, activations, the parameter layout and its named views.</summary>
public sealed class SequentialTests
{
    [Fact]
    public void CompilesLinearsAndActivationsIntoDenseLayers()
    {
        var net = new Sequential(new Linear(2, 64), new Tanh(), new Linear(64, 32), new Linear(32, 3), new Softplus());

        Assert.Equal(3, net.LayerCount);
        Assert.Equal([2, 64, 32, 3], net.LayerSizes);
        Assert.Equal(["tanh", "identity", "softplus"], net.Activations);
        Assert.Equal(2, net.InputSize);
        Assert.Equal(3, net.OutputSize);
        Assert.False(net.TimeInput);
        Assert.Equal((64 * 2) + 64 + (32 * 64) + 32 + (3 * 32) + 3, net.ParameterCount);
        Assert.Equal(net.ParameterCount, net.Parameters.Length);
        Assert.Equal(5, net.Modules.Count);
        Assert.Equal("Sequential(Linear 2→64, Tanh, Linear 64→32, Linear 32→3, Softplus)", net.ToString());
    }

    [Fact]
    public void EveryActivationHasLibrewindsName()
    {
        Activation[] activations = [new Tanh(), new Relu(), new Softplus(), new Gelu(), new Sigmoid(), new Silu()];
        Assert.Equal(["tanh", "relu", "softplus", "gelu", "sigmoid", "silu"], activations.Select(a => a.Name));
        Assert.All(activations, a => Assert.Equal(0, a.ParameterCount));
        var modules = new List<Module>();
        foreach (var activation in activations)
        {
            modules.Add(new Linear(3, 3));
            modules.Add(activation);
        }

        var net = new Sequential([.. modules]);
        Assert.Equal(activations.Select(a => a.Name), net.Activations);
    }

    [Fact]
    public void NamedViewsFollowTheNativeLayoutAndAliasTheVector()
    {
        var first = new Linear(2, 4);
        var second = new Linear(4, 3);
        var net = new Sequential(first, new Relu(), second);

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], net.NamedParameters.Select(p => p.Name));
        Assert.Equal([0, 8, 12, 24], net.NamedParameters.Select(p => p.Offset));
        Assert.Equal([8, 4, 12, 3], net.NamedParameters.Select(p => p.Length));
        Assert.Equal([4, 2], net.NamedParameters[0].Shape);
        Assert.Equal([4], net.NamedParameters[1].Shape);
        Assert.Equal([3, 4], net.NamedParameters[2].Shape);
        Assert.Equal("2.weight [3, 4]", net.NamedParameters[2].ToString());

        // W row-major, one row per output: 0.weight[r, c] is entry r * 2 + c of the vector.
        net.Parameter("0.weight").Span[(1 * 2) + 0] = 5.0;
        net.Parameter("2.bias").Span[2] = 7.0;
        Assert.Equal(5.0, net.Parameters.Span[2]);
        Assert.Equal(7.0, net.Parameters.Span[26]);
        Assert.Equal(5.0, first.Weight.Span[2]);
        Assert.Equal(7.0, second.Bias.Span[2]);

        // ... and the other way round: the layers' views are the network's vector.
        second.Weight.Span[0] = -1.5;
        Assert.Equal(-1.5, net.Parameters.Span[12]);
        Assert.Equal(-1.5, net.NamedParameters[2].Values.Span[0]);
    }

    [Fact]
    public void ParametersOfALinearMoveIntoTheNetwork()
    {
        var linear = new Linear(2, 2);
        Assert.Equal(6, linear.ParameterCount);
        Assert.All(linear.Weight.ToArray(), v => Assert.Equal(0.0, v));
        Fill(linear.Weight.Span, [1.0, 2.0, 3.0, 4.0]);
        Fill(linear.Bias.Span, [5.0, 6.0]);

        var net = new Sequential(linear);

        Assert.Equal([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], net.Parameters.ToArray());
    }

    [Fact]
    public void TimeInputAddsALastWeightColumnToTheFirstLayer()
    {
        var first = new Linear(2, 3);
        Fill(first.Weight.Span, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        var net = new Sequential(timeInput: true, first, new Tanh(), new Linear(3, 2));

        Assert.True(net.TimeInput);
        Assert.True(first.HasTimeColumn);
        Assert.Equal(3, first.WeightColumns);
        Assert.Equal([3, 3], net.NamedParameters[0].Shape);
        Assert.Equal((3 * 3) + 3 + (2 * 3) + 2, net.ParameterCount);
        // The existing columns keep their values; the time column starts at 0.
        Assert.Equal([1.0, 2.0, 0.0, 3.0, 4.0, 0.0, 5.0, 6.0, 0.0], first.Weight.ToArray());
        Assert.Equal("Sequential(time input; Linear 2+t→3, Tanh, Linear 3→2)", net.ToString());
    }

    [Fact]
    public void UnknownParameterNameListsTheNames()
    {
        var net = new Sequential(new Linear(2, 2), new Tanh(), new Linear(2, 2));
        var e = Assert.Throws<ArgumentException>(() => net.Parameter("1.weight"));
        Assert.Contains("'1.weight'", e.Message, StringComparison.Ordinal);
        Assert.Contains("0.weight, 0.bias, 2.weight, 2.bias", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedSizesNameBothLayers()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 64), new Tanh(), new Linear(32, 2)));
        Assert.Equal("modules", e.ParamName);
        Assert.StartsWith("layer 2 (Linear 32→2) expects 32 inputs but layer 1 (Tanh) produces 64.", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 64), new Linear(63, 2)));
        Assert.StartsWith("layer 1 (Linear 63→2) expects 63 inputs but layer 0 (Linear 2→64) produces 64.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoActivationsInARowAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 4), new Tanh(), new Relu(), new Linear(4, 2)));
        Assert.StartsWith("layer 2 (Relu) follows layer 1 (Tanh), another activation", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnActivationFirstIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new Sigmoid(), new Linear(2, 2)));
        Assert.StartsWith("layer 0 (Sigmoid) is an activation with no Linear before it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyNullAndNestedAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential());
        Assert.Contains("at least one Linear", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 2), null!));
        Assert.StartsWith("layer 1 is null", e.Message, StringComparison.Ordinal);

        e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 2), new Sequential(new Linear(2, 2))));
        Assert.StartsWith("layer 1 is a Sequential", e.Message, StringComparison.Ordinal);

        Assert.Throws<ArgumentNullException>(() => new Sequential((Module[])null!));
    }

    [Fact]
    public void ALinearBelongsToOneNetwork()
    {
        var shared = new Linear(2, 2);
        _ = new Sequential(shared);
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 2), new Tanh(), shared));
        Assert.StartsWith("layer 2 (Linear 2→2) already belongs to another Sequential", e.Message, StringComparison.Ordinal);

        var twice = new Linear(3, 3);
        e = Assert.Throws<ArgumentException>(() => new Sequential(twice, new Tanh(), twice));
        Assert.StartsWith("layer 2 (Linear 3→3) is the same Linear object as layer 0", e.Message, StringComparison.Ordinal);

        // A rejected network takes no layer: the first Linear is still free.
        var free = new Linear(2, 5);
        Assert.Throws<ArgumentException>(() => new Sequential(free, new Linear(4, 2)));
        _ = new Sequential(free, new Linear(5, 2));
    }

    [Fact]
    public void ActivationsMayBeShared()
    {
        var tanh = new Tanh();
        var net = new Sequential(new Linear(2, 3), tanh, new Linear(3, 2), tanh);
        Assert.Equal(["tanh", "tanh"], net.Activations);
    }

    [Fact]
    public void LinearSizesMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Linear(65536, 65536));
    }

    [Fact]
    public void AVectorFieldNeedsASquareNetworkAndAPositiveBatch()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 3)).AsVectorField());
        Assert.Contains("maps 2 inputs to 3 outputs", e.Message, StringComparison.Ordinal);

        var net = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.AsVectorField(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.AsVectorField(int.MaxValue));
        using var field = net.AsVectorField(5);
        Assert.Equal(10, field.StateSize);
        Assert.Equal(net.ParameterCount, field.ParameterSize);
        Assert.Equal(5, field.Batch);
        Assert.Equal(2, field.Dimension);
        Assert.Same(net, field.Network);
    }

    [Fact]
    public void GemmKernelIsOneOfLibrewinds()
    {
        var net = new Sequential(new Linear(2, 2));
        using var builtin = new NeuralVectorField(net) { GemmKernel = "builtin" };
        Assert.Equal("builtin", builtin.GemmKernel);
        var e = Assert.Throws<ArgumentException>(() => new NeuralVectorField(net) { GemmKernel = "cublas" });
        Assert.Contains("auto, blas, builtin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ManagedCallsCheckTheirLengths()
    {
        var net = new Sequential(new Linear(2, 2));
        using var field = net.AsVectorField(batch: 3);
        var p = new double[field.ParameterSize];
        var e = Assert.Throws<ArgumentException>(() => field.Evaluate(0, new double[5], p, new double[6]));
        Assert.Equal("y", e.ParamName);
        Assert.Contains("StateSize = 3 × 2 = 6", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => field.Evaluate(0, new double[6], new double[5], new double[6]));
        Assert.Equal("p", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => field.Jvp(0, new double[6], p, new double[6], new double[6]));
        Assert.Equal("v", e.ParamName);
        e = Assert.Throws<ArgumentException>(() => net.Forward(new double[3], new double[2]));
        Assert.Equal("input", e.ParamName);
    }

    private static void Fill(Span<double> target, ReadOnlySpan<double> values) => values.CopyTo(target);
}
