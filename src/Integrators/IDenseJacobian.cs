namespace Rewind.Integrators;

/// <summary>
/// A vector field that also gives its dense Jacobian ∂f/∂y. Implicit methods build their iteration matrices
/// I − hγ ∂f/∂y from it; without it they use Jacobian–vector products (<see cref="ITangentVectorField"/>) or
/// vector–Jacobian products to build it column by column, and finite differences of f in a forward-only solve.
/// Explicit methods never call it.
/// </summary>
public interface IDenseJacobian : IVectorField
{
    /// <summary>
    /// Writes ∂f/∂y at (t, y, p) into <paramref name="dfdyRowMajor"/>, row-major: entry [i * n + j] is ∂f_i/∂y_j,
    /// with n = <see cref="IVectorField.StateSize"/>. Every entry is overwritten (none is accumulated).
    /// </summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="IVectorField.StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="IVectorField.ParameterSize"/> entries.</param>
    /// <param name="dfdyRowMajor">Receives the Jacobian, n × n entries.</param>
    void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor);
}
