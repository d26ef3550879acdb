namespace Rewind.Integrators;

/// <summary>
/// A running cost g(t, y, p) whose integral Q(t) = ∫_{t0}^{t} g(s, y(s), p) ds is computed with the solve
/// (<see cref="OdeProblem.RunningCost"/>): the solver integrates it by the same method as one more state component,
/// so its error is controlled with the state's. <see cref="Solution.RunningCost"/> reports Q at every output time,
/// <see cref="Solution.Backward"/> adds Q(last output time) to the loss and <see cref="Solution.Tangent(ReadOnlySpan{double}, ReadOnlySpan{double}, out double[])"/>
/// reports its directional derivative. Implementations must not keep the spans beyond a call.
/// </summary>
public interface IRunningCost
{
    /// <summary>Returns g(t, y, p).</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="IVectorField.StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="IVectorField.ParameterSize"/> entries.</param>
    /// <returns>The integrand at (t, y, p).</returns>
    double Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p);

    /// <summary>Writes ∂g/∂y into <paramref name="dgDy"/> and ∂g/∂p into <paramref name="dgDp"/>, overwriting them.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="IVectorField.StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="IVectorField.ParameterSize"/> entries.</param>
    /// <param name="dgDy">Receives ∂g/∂y, <see cref="IVectorField.StateSize"/> entries.</param>
    /// <param name="dgDp">Receives ∂g/∂p, <see cref="IVectorField.ParameterSize"/> entries.</param>
    void Gradient(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dgDy, Span<double> dgDp);
}
