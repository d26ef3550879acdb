namespace Rewind.Networks;

/// <summary>
/// An elementwise activation, applied by the native kernels to the output of the <see cref="Linear"/> layer it
/// follows in a <see cref="Sequential"/>. It has no parameters. The concrete activations are <see cref="Tanh"/>,
/// <see cref="Relu"/>, <see cref="Softplus"/>, <see cref="Gelu"/>, <see cref="Sigmoid"/> and <see cref="Silu"/>.
/// </summary>
public abstract class Activation : Module
{
    private protected Activation(string name)
    {
        Name = name;
    }

    /// <summary>The name librewind knows the activation by, e.g. <c>"tanh"</c>.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    public override int ParameterCount => 0;

    /// <summary>Does nothing: an activation has no parameters.</summary>
    /// <param name="initializer">The initialization scheme (unused, but must not be null).</param>
    /// <param name="random">The source of random numbers (unused, but must not be null).</param>
    public override void Initialize(Initializer initializer, Random random)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        ArgumentNullException.ThrowIfNull(random);
    }

    /// <summary>The class name, e.g. <c>Tanh</c>.</summary>
    /// <returns>The activation's class name.</returns>
    public override string ToString() => GetType().Name;

    /// <summary>The activation with librewind's name <paramref name="name"/>, or null for an unknown name.</summary>
    internal static Activation? FromName(string name) => name switch
    {
        "tanh" => new Tanh(),
        "relu" => new Relu(),
        "softplus" => new Softplus(),
        "gelu" => new Gelu(),
        "sigmoid" => new Sigmoid(),
        "silu" => new Silu(),
        _ => null,
    };
}

/// <summary>tanh(x).</summary>
public sealed class Tanh : Activation
{
    /// <summary>Creates the activation.</summary>
    public Tanh()
        : base("tanh")
    {
    }
}

/// <summary>max(x, 0); its derivative at 0 is taken as 0.</summary>
public sealed class Relu : Activation
{
    /// <summary>Creates the activation.</summary>
    public Relu()
        : base("relu")
    {
    }
}

/// <summary>log(1 + exp(x)), evaluated without overflow for large |x|.</summary>
public sealed class Softplus : Activation
{
    /// <summary>Creates the activation.</summary>
    public Softplus()
        : base("softplus")
    {
    }
}

/// <summary>The Gaussian error linear unit x Φ(x), with Φ the standard normal distribution function (the exact form, not the tanh approximation).</summary>
public sealed class Gelu : Activation
{
    /// <summary>Creates the activation.</summary>
    public Gelu()
        : base("gelu")
    {
    }
}

/// <summary>The logistic function 1 / (1 + exp(−x)).</summary>
public sealed class Sigmoid : Activation
{
    /// <summary>Creates the activation.</summary>
    public Sigmoid()
        : base("sigmoid")
    {
    }
}

/// <summary>The sigmoid linear unit (swish) x / (1 + exp(−x)).</summary>
public sealed class Silu : Activation
{
    /// <summary>Creates the activation.</summary>
    public Silu()
        : base("silu")
    {
    }
}
