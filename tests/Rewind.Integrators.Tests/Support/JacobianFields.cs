using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Adds an exact dense Jacobian to a test field: column j is the field's own Jvp along the j-th unit vector (with a
/// zero parameter tangent), so it is exactly the matrix the Jvp applies. Optionally misbehaves on request.
/// </summary>
internal sealed class DenseJacobianField(ITangentVectorField inner) : ITangentVectorField, IDenseJacobian
{
    public int StateSize => inner.StateSize;

    public int ParameterSize => inner.ParameterSize;

    /// <summary>Runs before each Jacobian with its time; may throw.</summary>
    public Action<double>? BeforeJacobian { get; init; }

    /// <summary>From this time on, the Jacobian's entry [0][1] is NaN.</summary>
    public double NaNFrom { get; init; } = double.PositiveInfinity;

    /// <summary>From this time on, the Jacobian writes one entry past the end of its span.</summary>
    public double WriteOutsideFrom { get; init; } = double.PositiveInfinity;

    /// <summary>The number of Jacobians evaluated.</summary>
    public int Evaluations { get; private set; }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => inner.Evaluate(t, y, p, dydt);

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
        inner.Vjp(t, y, p, w, wDy, wDp);

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv) =>
        inner.Jvp(t, y, p, v, jv);

    public void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        Evaluations++;
        BeforeJacobian?.Invoke(t);
        Exact(inner, t, y, p, dfdyRowMajor);
        if (t >= NaNFrom)
        {
            dfdyRowMajor[1] = double.NaN;
        }

        if (t >= WriteOutsideFrom)
        {
            var n = StateSize;
            dfdyRowMajor[n * n] = 0.0;  // one past the end: the span's bounds check throws IndexOutOfRangeException
        }
    }

    /// <summary>∂f/∂y of <paramref name="field"/>, row-major, column by column from its Jvp.</summary>
    public static void Exact(ITangentVectorField field, double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        var n = field.StateSize;
        var v = new double[n + field.ParameterSize];
        var column = new double[n];
        for (var j = 0; j < n; j++)
        {
            Array.Clear(v);
            v[j] = 1.0;
            field.Jvp(t, y, p, v, column);
            for (var i = 0; i < n; i++)
            {
                dfdyRowMajor[(i * n) + j] = column[i];
            }
        }
    }
}

/// <summary>A field with a dense Jacobian but no Jvp: implicit forward solves use the Jacobian, the adjoint the Vjp.</summary>
internal sealed class JacobianWithoutJvpField(ITangentVectorField inner) : IDenseJacobian
{
    public int StateSize => inner.StateSize;

    public int ParameterSize => inner.ParameterSize;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => inner.Evaluate(t, y, p, dydt);

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
        inner.Vjp(t, y, p, w, wDy, wDp);

    public void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor) =>
        DenseJacobianField.Exact(inner, t, y, p, dfdyRowMajor);
}

/// <summary>
/// y' = -lambda y (n = 1, no parameters) with a dense Jacobian of the wrong sign, +lambda: Newton's corrections
/// then point away from the solution and grow by about 2 h gamma lambda / (h gamma lambda - 1) per iteration, so
/// with h gamma lambda well above 1 the iteration diverges, at every step size the retries reach.
/// </summary>
internal sealed class WrongJacobianDecay(double lambda) : IDenseJacobian
{
    public int StateSize => 1;

    public int ParameterSize => 0;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => dydt[0] = -lambda * y[0];

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
        wDy[0] = -lambda * w[0];

    public void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor) =>
        dfdyRowMajor[0] = lambda;
}

/// <summary>
/// y' = -y (n = 2, no parameters) whose "Jacobian" is c I: with backward Euler (gamma = 1) and a fixed step
/// dt = 1 / c, the iteration matrix I - dt c I is exactly zero (c and dt powers of two), so its LU is singular.
/// </summary>
internal sealed class SingularIterationField(double c) : IDenseJacobian
{
    public int StateSize => 2;

    public int ParameterSize => 0;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt[0] = -y[0];
        dydt[1] = -y[1];
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        wDy[0] = -w[0];
        wDy[1] = -w[1];
    }

    public void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        dfdyRowMajor[0] = c;
        dfdyRowMajor[1] = 0.0;
        dfdyRowMajor[2] = 0.0;
        dfdyRowMajor[3] = c;
    }
}
