using System.Diagnostics.CodeAnalysis;

namespace Rewind.Networks;

/// <summary>
/// A building block of a network: a dense layer (<see cref="Linear"/>), an activation (<see cref="Activation"/>),
/// or a whole network (<see cref="Sequential"/>). Modules describe the architecture; a <see cref="Sequential"/>
/// compiles them into one native network whose parameters are one contiguous vector.
/// </summary>
[SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Module is the name every network library uses (PyTorch, TorchSharp); Visual Basic callers write [Module].")]
public abstract class Module
{
    private protected Module()
    {
    }

    /// <summary>The number of trainable parameters (0 for an activation).</summary>
    public abstract int ParameterCount { get; }

    /// <summary>
    /// Draws the module's parameters from <paramref name="random"/> as <paramref name="initializer"/> says, in
    /// layout order (for each layer its weights row by row, then its biases). Activations have none and draw nothing.
    /// </summary>
    /// <param name="initializer">The initialization scheme.</param>
    /// <param name="random">The source of random numbers; seed it for reproducible parameters.</param>
    public abstract void Initialize(Initializer initializer, Random random);
}
