namespace Rewind.Networks;

/// <summary>
/// A named slice of a network's parameter vector, e.g. <c>"0.weight"</c> (the weights of the module at position 0)
/// or <c>"0.bias"</c>, as PyTorch names the entries of a <c>state_dict</c>.
/// </summary>
public sealed class NamedParameter
{
    internal NamedParameter(string name, int offset, int[] shape, Memory<double> values)
    {
        Name = name;
        Offset = offset;
        Shape = Array.AsReadOnly(shape);
        Values = values;
    }

    /// <summary>The name: the module's position in the <see cref="Sequential"/>, a dot, then <c>weight</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>Where the slice starts in <see cref="Sequential.Parameters"/>.</summary>
    public int Offset { get; }

    /// <summary>The number of entries.</summary>
    public int Length => Values.Length;

    /// <summary>[rows, columns] of a weight (row-major, one row per output), [length] of a bias.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The entries: a view of the network's parameter vector, so writing to it changes the network.</summary>
    public Memory<double> Values { get; }

    /// <summary>The name and shape, e.g. <c>0.weight [64, 2]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
