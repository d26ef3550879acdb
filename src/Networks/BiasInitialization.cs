namespace Rewind.Networks;

/// <summary>How an <see cref="Initializer"/> sets the biases of a <see cref="Linear"/> layer.</summary>
public enum BiasInitialization
{
    /// <summary>Every bias is 0.</summary>
    Zero,

    /// <summary>
    /// Every bias is drawn uniformly from [−1/√fan_in, 1/√fan_in), PyTorch's default for <c>nn.Linear</c>
    /// (fan_in = the weight's columns, the time column included).
    /// </summary>
    Uniform,
}
