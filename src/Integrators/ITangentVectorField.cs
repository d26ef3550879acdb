namespace Rewind.Integrators;

/// <summary>A vector field that also gives Jacobian–vector products, which enables <see cref="Solution.Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</summary>
public interface ITangentVectorField : IVectorField
{
    /// <summary>Writes ∂f/∂y v[..n] + ∂f/∂p v[n..] into <paramref name="jv"/>.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="IVectorField.StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="IVectorField.ParameterSize"/> entries.</param>
    /// <param name="v">The tangent of y, then of p: StateSize + ParameterSize entries.</param>
    /// <param name="jv">Receives the product, <see cref="IVectorField.StateSize"/> entries.</param>
    void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv);
}
