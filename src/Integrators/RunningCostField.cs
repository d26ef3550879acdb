namespace Rewind.Integrators;

/// <summary>
/// The field augmented with a running cost, for the managed solves: state (y, q) with q' = g(t, y, p), so Q is
/// integrated by the same method as y and its reverse and tangent passes need no method-specific code (as librewind's
/// running cost is). Its VJP and JVP take g's part from <see cref="IRunningCost.Gradient"/>.
/// </summary>
internal sealed class RunningCostField : ITangentVectorField
{
    private readonly IVectorField inner;
    private readonly IRunningCost cost;
    private readonly int n;
    private readonly double[] costDy;
    private readonly double[] costDp;
    private readonly double[] tangentInput;  // (dy, dp) for the field's Jvp

    private RunningCostField(IVectorField field, IRunningCost cost)
    {
        inner = field;
        this.cost = cost;
        n = field.StateSize;
        costDy = new double[n];
        costDp = new double[field.ParameterSize];
        tangentInput = new double[n + field.ParameterSize];
    }

    public int StateSize => n + 1;

    public int ParameterSize => inner.ParameterSize;

    /// <summary>The problem with state (y, q), q(t0) = 0; the problem itself when it has no running cost.</summary>
    internal static OdeProblem Augment(OdeProblem problem)
    {
        if (problem.RunningCost is not { } cost)
        {
            return problem;
        }

        var y0 = new double[problem.Field.StateSize + 1];
        problem.InitialStateSpan.CopyTo(y0);
        return new OdeProblem(new RunningCostField(problem.Field, cost), y0, problem.ParameterSpan.ToArray(), problem.T0, [.. problem.OutputTimes]);
    }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        inner.Evaluate(t, y[..n], p, dydt[..n]);
        dydt[n] = cost.Evaluate(t, y[..n], p);
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        inner.Vjp(t, y[..n], p, w[..n], wDy[..n], wDp);
        wDy[n] = 0;
        double wq = w[n];
        if (wq != 0)
        {
            cost.Gradient(t, y[..n], p, costDy, costDp);
            ReversibleShared.Axpy(wq, costDy, wDy[..n]);
            ReversibleShared.Axpy(wq, costDp, wDp);
        }
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        if (inner is not ITangentVectorField tangentField)
        {
            throw new NotSupportedException(
                $"The tangent-linear solve needs Jacobian-vector products; the field does not implement {nameof(ITangentVectorField)}.");
        }

        // v = (dy, dq, dp): the field's products take (dy, dp).
        v[..n].CopyTo(tangentInput);
        v[(n + 1)..].CopyTo(tangentInput.AsSpan(n));
        tangentField.Jvp(t, y[..n], p, tangentInput, jv[..n]);
        cost.Gradient(t, y[..n], p, costDy, costDp);
        double dq = 0;
        for (int i = 0; i < n; i++)
        {
            dq += costDy[i] * v[i];
        }

        for (int j = 0; j < costDp.Length; j++)
        {
            dq += costDp[j] * v[n + 1 + j];
        }

        jv[n] = dq;
    }
}
