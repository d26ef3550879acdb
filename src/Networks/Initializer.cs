using System.Globalization;

namespace Rewind.Networks;

/// <summary>
/// A scheme for the initial parameters of <see cref="Linear"/> layers: every weight is drawn uniformly from
/// [−b, b) with a bound b that depends on the layer's fan-in (its weight's columns, the time column of a
/// time-input network's first layer included) and fan-out (its outputs), so its variance is b²/3; the biases are
/// zero or uniform (<see cref="BiasInitialization"/>). Draws come from a caller's <see cref="Random"/>, layer by
/// layer in network order, weights row by row and then biases, so a seed reproduces the parameters exactly.
/// </summary>
/// <example><code>
/// var net = new Sequential(new Linear(2, 64), new Tanh(), new Linear(64, 2));
/// net.Initialize(Initializer.XavierUniform(), seed: 42);
/// </code></example>
public sealed class Initializer
{
    private readonly Func<int, int, double> weightBound;

    private Initializer(string description, Func<int, int, double> weightBound, BiasInitialization bias)
    {
        Description = description;
        this.weightBound = weightBound;
        Bias = bias;
    }

    /// <summary>
    /// PyTorch's default for <c>nn.Linear</c>: weights from Kaiming uniform with negative slope √5, which is
    /// b = 1/√fan_in (variance 1/(3 fan_in)), and biases uniform in [−1/√fan_in, 1/√fan_in).
    /// </summary>
    public static Initializer PyTorchDefault { get; } =
        new("PyTorch default (Kaiming uniform, a = sqrt(5); uniform biases)", (fanIn, _) => 1.0 / Math.Sqrt(fanIn), BiasInitialization.Uniform);

    /// <summary>The bias scheme.</summary>
    public BiasInitialization Bias { get; }

    /// <summary>A description of the scheme, e.g. <c>Xavier uniform (gain 1; zero biases)</c>.</summary>
    public string Description { get; }

    /// <summary>
    /// Xavier (Glorot) uniform: b = gain · √(6 / (fan_in + fan_out)), so Var(w) = gain² · 2 / (fan_in + fan_out).
    /// Suited to tanh and sigmoid networks (gain 1, or 5/3 for tanh as PyTorch's <c>calculate_gain</c> suggests).
    /// </summary>
    /// <param name="gain">The gain; positive and finite.</param>
    /// <param name="bias">How the biases are set; zero by default.</param>
    /// <returns>The scheme.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public static Initializer XavierUniform(double gain = 1.0, BiasInitialization bias = BiasInitialization.Zero)
    {
        RequirePositiveFinite(gain, nameof(gain));
        RequireDefined(bias);
        return new Initializer(
            string.Create(CultureInfo.InvariantCulture, $"Xavier uniform (gain {gain:R}; {Describe(bias)})"),
            (fanIn, fanOut) => gain * Math.Sqrt(6.0 / (fanIn + fanOut)),
            bias);
    }

    /// <summary>
    /// Kaiming (He) uniform in fan-in mode, as PyTorch's <c>kaiming_uniform_</c> with a leaky-ReLU gain:
    /// b = √(2 / (1 + a²)) · √(3 / fan_in), so Var(w) = 2 / ((1 + a²) · fan_in). Suited to ReLU-like networks
    /// (a = 0, the default, for ReLU).
    /// </summary>
    /// <param name="negativeSlope">The negative slope a of the leaky ReLU the gain is computed for; finite, 0 or more.</param>
    /// <param name="bias">How the biases are set; zero by default.</param>
    /// <returns>The scheme.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="negativeSlope"/> is negative or not finite.</exception>
    public static Initializer KaimingUniform(double negativeSlope = 0.0, BiasInitialization bias = BiasInitialization.Zero)
    {
        if (!(negativeSlope >= 0 && double.IsFinite(negativeSlope)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(negativeSlope), negativeSlope, "negativeSlope must be finite and not negative.");
        }

        RequireDefined(bias);
        double gain = Math.Sqrt(2.0 / (1.0 + (negativeSlope * negativeSlope)));
        return new Initializer(
            string.Create(CultureInfo.InvariantCulture, $"Kaiming uniform (a = {negativeSlope:R}; {Describe(bias)})"),
            (fanIn, _) => gain * Math.Sqrt(3.0 / fanIn),
            bias);
    }

    /// <summary>The bound b of the weights of a layer with <paramref name="fanIn"/> columns and <paramref name="fanOut"/> rows.</summary>
    /// <param name="fanIn">The weight's columns (inputs, the time column included); at least 1.</param>
    /// <param name="fanOut">The weight's rows (outputs); at least 1.</param>
    /// <returns>b: the weights are uniform in [−b, b).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A fan is less than 1.</exception>
    public double WeightBound(int fanIn, int fanOut)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanOut, 1);
        return weightBound(fanIn, fanOut);
    }

    /// <summary>The bound of the biases of a layer with <paramref name="fanIn"/> columns: 0 for zero biases, else 1/√fan_in.</summary>
    /// <param name="fanIn">The weight's columns (inputs, the time column included); at least 1.</param>
    /// <returns>The biases are uniform in [−bound, bound) (all 0 when the bound is 0).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> is less than 1.</exception>
    public double BiasBound(int fanIn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 1);
        return Bias == BiasInitialization.Uniform ? 1.0 / Math.Sqrt(fanIn) : 0.0;
    }

    /// <summary>The <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;

    /// <summary>Fills a layer: weights (rows × columns) then biases, drawn in that order.</summary>
    internal void Fill(Span<double> weight, Span<double> bias, int columns, Random random)
    {
        int rows = bias.Length;
        double w = WeightBound(columns, rows);
        foreach (ref double value in weight)
        {
            value = Uniform(random, w);
        }

        double b = BiasBound(columns);
        foreach (ref double value in bias)
        {
            value = b == 0 ? 0.0 : Uniform(random, b);
        }
    }

    private static double Uniform(Random random, double bound) => bound * ((2.0 * random.NextDouble()) - 1.0);

    private static string Describe(BiasInitialization bias) =>
        bias == BiasInitialization.Uniform ? "uniform biases" : "zero biases";

    private static void RequirePositiveFinite(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    private static void RequireDefined(BiasInitialization bias)
    {
        if (!Enum.IsDefined(bias))
        {
            throw new ArgumentOutOfRangeException(nameof(bias), bias, "Unknown bias initialization.");
        }
    }
}
