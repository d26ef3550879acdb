using Rewind.Integrators;

namespace RewindTests.Integrators;

// Test problems with hand-written exact Evaluate, Vjp and Jvp. TestFieldTests checks each of them against
// finite differences and checks Vjp against Jvp, so a wrong test field cannot pass for a wrong solver.

/// <summary>y' = A(p) y with A(p) = sum_k p_k B_k (B_k dense n x n, row-major).</summary>
internal sealed class LinearField : ITangentVectorField
{
    private readonly DenseMatrix[] basis;

    public LinearField(params DenseMatrix[] basis)
    {
        this.basis = basis;
        StateSize = basis[0].Size;
    }

    public int StateSize { get; }

    public int ParameterSize => basis.Length;

    public DenseMatrix Basis(int k) => basis[k];

    public DenseMatrix Matrix(ReadOnlySpan<double> p)
    {
        var a = new DenseMatrix(StateSize);
        for (var k = 0; k < basis.Length; k++)
        {
            a.AddScaled(p[k], basis[k]);
        }

        return a;
    }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt.Clear();
        for (var k = 0; k < basis.Length; k++)
        {
            basis[k].MultiplyAdd(p[k], y, dydt);
        }
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        wDy.Clear();
        for (var k = 0; k < basis.Length; k++)
        {
            basis[k].TransposeMultiplyAdd(p[k], w, wDy);
            wDp[k] = basis[k].Bilinear(w, y);
        }
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        var n = StateSize;
        jv.Clear();
        for (var k = 0; k < basis.Length; k++)
        {
            basis[k].MultiplyAdd(p[k], v[..n], jv);
            basis[k].MultiplyAdd(v[n + k], y, jv);
        }
    }
}

/// <summary>Lotka–Volterra: y0' = a y0 - b y0 y1, y1' = d y0 y1 - c y1, parameters (a, b, c, d).</summary>
internal sealed class LotkaVolterraField : ITangentVectorField
{
    public int StateSize => 2;

    public int ParameterSize => 4;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt[0] = (p[0] * y[0]) - (p[1] * y[0] * y[1]);
        dydt[1] = (p[3] * y[0] * y[1]) - (p[2] * y[1]);
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        wDy[0] = (w[0] * (p[0] - (p[1] * y[1]))) + (w[1] * p[3] * y[1]);
        wDy[1] = (-w[0] * p[1] * y[0]) + (w[1] * ((p[3] * y[0]) - p[2]));
        wDp[0] = w[0] * y[0];
        wDp[1] = -w[0] * y[0] * y[1];
        wDp[2] = -w[1] * y[1];
        wDp[3] = w[1] * y[0] * y[1];
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        jv[0] = ((p[0] - (p[1] * y[1])) * v[0]) - (p[1] * y[0] * v[1]) + (y[0] * v[2]) - (y[0] * y[1] * v[3]);
        jv[1] = (p[3] * y[1] * v[0]) + (((p[3] * y[0]) - p[2]) * v[1]) - (y[1] * v[4]) + (y[0] * y[1] * v[5]);
    }
}

/// <summary>Non-autonomous Riccati equation y' = -p0 t y^2; y(t) = y0 / (1 + p0 y0 (t^2 - t0^2) / 2).</summary>
internal sealed class RiccatiField : ITangentVectorField
{
    public int StateSize => 1;

    public int ParameterSize => 1;

    public static double Exact(double y0, double p0, double t0, double t) => y0 / (1 + (p0 * y0 * ((t * t) - (t0 * t0)) / 2));

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => dydt[0] = -p[0] * t * y[0] * y[0];

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        wDy[0] = -2 * p[0] * t * y[0] * w[0];
        wDp[0] = -t * y[0] * y[0] * w[0];
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv) =>
        jv[0] = (-2 * p[0] * t * y[0] * v[0]) - (t * y[0] * y[0] * v[1]);
}

/// <summary>
/// Logistic growth with a periodic rate, y' = p0 (1 + cos t) y (1 - y / p1): nonlinear and non-autonomous, so a wrong
/// node c_i shows, with the closed form y = p1 y0 e^R / (p1 + y0 (e^R - 1)), R = p0 (t - t0 + sin t - sin t0).
/// </summary>
internal sealed class PeriodicLogisticField : ITangentVectorField
{
    public int StateSize => 1;

    public int ParameterSize => 2;

    public static double Exact(double y0, double rate, double capacity, double t0, double t)
    {
        var e = Math.Exp(rate * (t - t0 + Math.Sin(t) - Math.Sin(t0)));
        return capacity * y0 * e / (capacity + (y0 * (e - 1)));
    }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) =>
        dydt[0] = p[0] * (1 + Math.Cos(t)) * y[0] * (1 - (y[0] / p[1]));

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        var g = 1 + Math.Cos(t);
        wDy[0] = w[0] * p[0] * g * (1 - (2 * y[0] / p[1]));
        wDp[0] = w[0] * g * y[0] * (1 - (y[0] / p[1]));
        wDp[1] = w[0] * p[0] * g * y[0] * y[0] / (p[1] * p[1]);
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        var g = 1 + Math.Cos(t);
        jv[0] = (p[0] * g * (1 - (2 * y[0] / p[1])) * v[0]) + (g * y[0] * (1 - (y[0] / p[1])) * v[1]) + (p[0] * g * y[0] * y[0] / (p[1] * p[1]) * v[2]);
    }
}

/// <summary>
/// Kepler problem q'' = -mu q / |q|^3 as a first-order system (q1, q2, v1, v2), parameter mu. Starting at the
/// pericentre of an orbit with semi-major axis 1 and eccentricity e, the exact solution follows from Kepler's equation.
/// </summary>
internal sealed class KeplerField : ITangentVectorField
{
    public int StateSize => 4;

    public int ParameterSize => 1;

    public static double[] InitialState(double e, double mu) => [1 - e, 0, 0, Math.Sqrt(mu * (1 + e) / (1 - e))];

    public static double[] Exact(double e, double mu, double t)
    {
        var meanAnomaly = Math.Sqrt(mu) * t;
        var anomaly = meanAnomaly;
        for (var i = 0; i < 50; i++)
        {
            var delta = (anomaly - (e * Math.Sin(anomaly)) - meanAnomaly) / (1 - (e * Math.Cos(anomaly)));
            anomaly -= delta;
            if (Math.Abs(delta) < 1e-16)
            {
                break;
            }
        }

        var b = Math.Sqrt(1 - (e * e));
        var rate = Math.Sqrt(mu) / (1 - (e * Math.Cos(anomaly)));
        return [Math.Cos(anomaly) - e, b * Math.Sin(anomaly), -Math.Sin(anomaly) * rate, b * Math.Cos(anomaly) * rate];
    }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        var r2 = (y[0] * y[0]) + (y[1] * y[1]);
        var c = p[0] / (r2 * Math.Sqrt(r2));
        dydt[0] = y[2];
        dydt[1] = y[3];
        dydt[2] = -c * y[0];
        dydt[3] = -c * y[1];
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        // d(v')/dq = -mu (I / r^3 - 3 q q^T / r^5), symmetric.
        var r2 = (y[0] * y[0]) + (y[1] * y[1]);
        var r3 = r2 * Math.Sqrt(r2);
        var r5 = r3 * r2;
        var a = p[0] / r3;
        var b = 3 * p[0] / r5;
        var qw = (y[0] * w[2]) + (y[1] * w[3]);
        wDy[0] = (-a * w[2]) + (b * y[0] * qw);
        wDy[1] = (-a * w[3]) + (b * y[1] * qw);
        wDy[2] = w[0];
        wDy[3] = w[1];
        wDp[0] = -qw / r3;
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        var r2 = (y[0] * y[0]) + (y[1] * y[1]);
        var r3 = r2 * Math.Sqrt(r2);
        var r5 = r3 * r2;
        var a = p[0] / r3;
        var b = 3 * p[0] / r5;
        var qv = (y[0] * v[0]) + (y[1] * v[1]);
        jv[0] = v[2];
        jv[1] = v[3];
        jv[2] = (-a * v[0]) + (b * y[0] * qv) - (y[0] / r3 * v[4]);
        jv[3] = (-a * v[1]) + (b * y[1] * qv) - (y[1] / r3 * v[4]);
    }
}

/// <summary>Van der Pol oscillator y0' = y1, y1' = mu (1 - y0^2) y1 - y0.</summary>
internal sealed class VanDerPolField : ITangentVectorField
{
    public int StateSize => 2;

    public int ParameterSize => 1;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt[0] = y[1];
        dydt[1] = (p[0] * (1 - (y[0] * y[0])) * y[1]) - y[0];
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        wDy[0] = w[1] * ((-2 * p[0] * y[0] * y[1]) - 1);
        wDy[1] = w[0] + (w[1] * p[0] * (1 - (y[0] * y[0])));
        wDp[0] = w[1] * (1 - (y[0] * y[0])) * y[1];
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        jv[0] = v[1];
        jv[1] = (((-2 * p[0] * y[0] * y[1]) - 1) * v[0]) + (p[0] * (1 - (y[0] * y[0])) * v[1]) + ((1 - (y[0] * y[0])) * y[1] * v[2]);
    }
}

/// <summary>
/// A ring of n coupled nonlinear units: y_i' = -p0 y_i + p1 tanh(y_{i-1}) + p2 sin(t) (indices modulo n).
/// Large enough to catch index mix-ups that 1- and 2-dimensional problems hide.
/// </summary>
internal sealed class TanhRingField(int size) : ITangentVectorField
{
    public int StateSize => size;

    public int ParameterSize => 3;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        var forcing = p[2] * Math.Sin(t);
        for (var i = 0; i < size; i++)
        {
            dydt[i] = (-p[0] * y[i]) + (p[1] * Math.Tanh(y[Previous(i)])) + forcing;
        }
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        double s0 = 0, s1 = 0, s2 = 0;
        for (var j = 0; j < size; j++)
        {
            var th = Math.Tanh(y[j]);
            wDy[j] = (-p[0] * w[j]) + (p[1] * (1 - (th * th)) * w[Next(j)]);
            s0 -= w[j] * y[j];
            s1 += w[j] * Math.Tanh(y[Previous(j)]);
            s2 += w[j];
        }

        wDp[0] = s0;
        wDp[1] = s1;
        wDp[2] = s2 * Math.Sin(t);
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        var n = size;
        for (var i = 0; i < n; i++)
        {
            var th = Math.Tanh(y[Previous(i)]);
            jv[i] = (-p[0] * v[i]) + (p[1] * (1 - (th * th)) * v[Previous(i)])
                - (y[i] * v[n]) + (th * v[n + 1]) + (Math.Sin(t) * v[n + 2]);
        }
    }

    private int Previous(int i) => i == 0 ? size - 1 : i - 1;

    private int Next(int i) => i == size - 1 ? 0 : i + 1;
}
