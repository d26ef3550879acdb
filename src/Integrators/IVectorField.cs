namespace Rewind.Integrators;

/// <summary>
/// A vector field dy/dt = f(t, y, p) with its vector–Jacobian products, evaluated by the native solver through
/// callbacks. Implementations must not keep the spans beyond a call. Networks of Rewind.Networks
/// (<c>NeuralVectorField</c>) also implement this interface, but the solver evaluates them natively, without
/// calling these members.
/// </summary>
public interface IVectorField
{
    /// <summary>The number of state components n (at least 1).</summary>
    int StateSize { get; }

    /// <summary>The number of parameters (0 or more).</summary>
    int ParameterSize { get; }

    /// <summary>Writes f(t, y, p) into <paramref name="dydt"/>.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="ParameterSize"/> entries.</param>
    /// <param name="dydt">Receives the derivative, <see cref="StateSize"/> entries.</param>
    void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt);

    /// <summary>
    /// Writes wᵀ∂f/∂y into <paramref name="wDy"/> and wᵀ∂f/∂p into <paramref name="wDp"/>, overwriting them
    /// (never accumulating).
    /// </summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="ParameterSize"/> entries.</param>
    /// <param name="w">The cotangent, <see cref="StateSize"/> entries.</param>
    /// <param name="wDy">Receives wᵀ∂f/∂y, <see cref="StateSize"/> entries.</param>
    /// <param name="wDp">Receives wᵀ∂f/∂p, <see cref="ParameterSize"/> entries.</param>
    void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp);
}
