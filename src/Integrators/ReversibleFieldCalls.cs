namespace Rewind.Integrators;

/// <summary>The problem's field with its parameters bound, counting evaluations and products (for the reversible maps).</summary>
internal sealed class ReversibleFieldCalls
{
    private readonly IVectorField field;
    private readonly double[] p;
    private readonly CancellationToken cancellationToken;

    internal ReversibleFieldCalls(OdeProblem problem, CancellationToken cancellationToken)
    {
        field = problem.Field;
        p = problem.ParameterSpan.ToArray();
        this.cancellationToken = cancellationToken;
        StateSize = field.StateSize;
        ParameterSize = field.ParameterSize;
    }

    internal int StateSize { get; }

    internal int ParameterSize { get; }

    internal long Evaluations { get; private set; }

    internal long Vjps { get; private set; }

    internal long Jvps { get; private set; }

    internal void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dxdt)
    {
        cancellationToken.ThrowIfCancellationRequested();
        field.Evaluate(t, x, p, dxdt);
        Evaluations++;
    }

    /// <summary>wDy = J_y(t, x)ᵀ w; wDp = J_p(t, x)ᵀ w.</summary>
    internal void Vjp(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        cancellationToken.ThrowIfCancellationRequested();
        field.Vjp(t, x, p, w, wDy, wDp);
        Vjps++;
    }

    /// <summary>jv = J_y(t, x) dx + J_p(t, x) dp; <paramref name="v"/> is scratch of n + n_p doubles.</summary>
    internal void Jvp(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> dx, ReadOnlySpan<double> dp, double[] v, Span<double> jv)
    {
        cancellationToken.ThrowIfCancellationRequested();
        dx.CopyTo(v);
        dp.CopyTo(v.AsSpan(StateSize));
        ((ITangentVectorField)field).Jvp(t, x, p, v, jv);
        Jvps++;
    }
}
