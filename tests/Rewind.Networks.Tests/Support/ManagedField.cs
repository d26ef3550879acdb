using Rewind.Integrators;

namespace RewindTests.Networks;

/// <summary>
/// Hides that a field can be evaluated natively: the solver sees only the managed interfaces and calls them
/// through callbacks, as for any hand-written field. Used to compare the native-field path with the managed one.
/// </summary>
internal sealed class ManagedField(ITangentVectorField inner) : ITangentVectorField
{
    public int StateSize => inner.StateSize;

    public int ParameterSize => inner.ParameterSize;

    public int Evaluations { get; private set; }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        Evaluations++;
        inner.Evaluate(t, y, p, dydt);
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
        inner.Vjp(t, y, p, w, wDy, wDp);

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv) =>
        inner.Jvp(t, y, p, v, jv);
}
