using System.Globalization;
using System.Text;

namespace Rewind.Networks;

/// <summary>
/// What librewind needs to build a network: the sizes of its dense layers (sizes[k] → sizes[k + 1]), the
/// activation after each (librewind's names, "identity" for none) and whether t is appended to the first input.
/// </summary>
internal sealed class NetworkArchitecture
{
    /// <summary>librewind's activation names, "identity" first.</summary>
    internal static readonly string[] ActivationNames = ["identity", "tanh", "relu", "softplus", "gelu", "sigmoid", "silu"];

    private readonly int[] sizes;
    private readonly string[] activations;

    internal NetworkArchitecture(int[] sizes, string[] activations, bool timeInput)
    {
        this.sizes = sizes;
        this.activations = activations;
        TimeInput = timeInput;
        ParameterCount = CountParameters(sizes, timeInput)
            ?? throw new ArgumentException($"The network {Describe()} has more than {int.MaxValue} parameters.");
    }

    internal IReadOnlyList<int> Sizes => sizes;

    internal IReadOnlyList<string> Activations => activations;

    internal bool TimeInput { get; }

    internal int LayerCount => activations.Length;

    internal int InputSize => sizes[0];

    internal int OutputSize => sizes[^1];

    internal int ParameterCount { get; }

    /// <summary>Every layer's W and b in order; null beyond <see cref="int.MaxValue"/> parameters.</summary>
    internal static int? CountParameters(IReadOnlyList<int> sizes, bool timeInput)
    {
        long total = 0;
        for (int k = 0; k + 1 < sizes.Count; k++)
        {
            long columns = sizes[k] + (k == 0 && timeInput ? 1L : 0L);
            total += (sizes[k + 1] * columns) + sizes[k + 1];
            if (total > int.MaxValue)
            {
                return null;
            }
        }

        return (int)total;
    }

    internal long[] NativeSizes() => Array.ConvertAll(sizes, s => (long)s);

    internal string[] NativeActivations() => (string[])activations.Clone();

    /// <summary>E.g. <c>2+t →tanh→ 64 →identity→ 2</c>.</summary>
    internal string Describe()
    {
        var text = new StringBuilder();
        text.Append(sizes[0].ToString(CultureInfo.InvariantCulture));
        if (TimeInput)
        {
            text.Append("+t");
        }

        for (int k = 0; k < activations.Length; k++)
        {
            text.Append(" →").Append(activations[k]).Append("→ ").Append(sizes[k + 1].ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>
    /// The first way <paramref name="other"/> (named <paramref name="otherName"/>) differs from this network
    /// (<paramref name="thisName"/>), or null if they are the same.
    /// </summary>
    internal string? FirstDifference(NetworkArchitecture other, string otherName, string thisName)
    {
        if (other.LayerCount != LayerCount)
        {
            return $"{otherName} has {other.LayerCount} dense layers and {thisName} {LayerCount}";
        }

        if (other.TimeInput != TimeInput)
        {
            return $"{otherName} {(other.TimeInput ? "has" : "has no")} time input and {thisName} {(TimeInput ? "has" : "has none")}";
        }

        if (other.sizes[0] != sizes[0])
        {
            return $"the input size is {other.sizes[0]} in {otherName} and {sizes[0]} in {thisName}";
        }

        for (int k = 0; k < LayerCount; k++)
        {
            if (other.sizes[k + 1] != sizes[k + 1])
            {
                return $"dense layer {k} has {other.sizes[k + 1]} outputs in {otherName} and {sizes[k + 1]} in {thisName}";
            }

            if (!string.Equals(other.activations[k], activations[k], StringComparison.Ordinal))
            {
                return $"dense layer {k} is followed by {other.activations[k]} in {otherName} and by {activations[k]} in {thisName}";
            }
        }

        return null;
    }
}
