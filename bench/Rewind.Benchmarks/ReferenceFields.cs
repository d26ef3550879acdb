using Rewind.Integrators;

namespace Rewind.Benchmarks;

/// <summary>
/// The systems whose solutions are the reversible comparison's data. Only <see cref="IVectorField.Evaluate"/> is
/// used: the data are generated with <see cref="Adjoint.None"/>, so these fields are never differentiated.
/// </summary>
internal abstract class DataField : IVectorField
{
    public abstract int StateSize { get; }

    public int ParameterSize => 0;

    public abstract void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt);

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                    Span<double> wDy, Span<double> wDp) =>
        throw new NotSupportedException("A data field is only solved forward.");
}

/// <summary>
/// Chandrasekhar's white-dwarf equation as McCallum &amp; Foster pose it: y1' = y2,
/// y2' = -(y1² - C)^{3/2} - 2 y2 / s with s = t + 0.5 and C = 0.001.
/// </summary>
internal sealed class WhiteDwarf : DataField
{
    private const double C = 0.001;

    public override int StateSize => 2;

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double s = t + 0.5;
        dydt[0] = y[1];
        dydt[1] = -Math.Pow(Math.Max((y[0] * y[0]) - C, 0.0), 1.5) - (2.0 * y[1] / s);
    }
}

/// <summary>Two unit masses on springs, coupled by a third: state (x1, x2, v1, v2).</summary>
internal sealed class CoupledOscillators : DataField
{
    private const double Stiffness = 4.0;
    private const double Coupling = 1.0;

    public override int StateSize => 4;

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt[0] = y[2];
        dydt[1] = y[3];
        dydt[2] = (-Stiffness * y[0]) + (Coupling * (y[1] - y[0]));
        dydt[3] = (-Stiffness * y[1]) + (Coupling * (y[0] - y[1]));
    }
}

/// <summary>The double pendulum with unit masses and lengths, g = 9.81: state (θ1, θ2, ω1, ω2).</summary>
internal sealed class DoublePendulum : DataField
{
    private const double Gravity = 9.81;

    public override int StateSize => 4;

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double t1 = y[0], t2 = y[1], w1 = y[2], w2 = y[3];
        double delta = t1 - t2;
        double denominator = 3.0 - Math.Cos(2.0 * delta);
        dydt[0] = w1;
        dydt[1] = w2;
        dydt[2] = ((-3.0 * Gravity * Math.Sin(t1)) - (Gravity * Math.Sin(t1 - (2.0 * t2)))
                   - (2.0 * Math.Sin(delta) * ((w2 * w2) + (w1 * w1 * Math.Cos(delta))))) / denominator;
        dydt[3] = 2.0 * Math.Sin(delta) * ((2.0 * w1 * w1) + (2.0 * Gravity * Math.Cos(t1)) + (w2 * w2 * Math.Cos(delta)))
                  / denominator;
    }
}

/// <summary>
/// The planar two-body problem q'' = -GM q / |q|³, state (x, y, vx, vy), parameter GM; started at periapsis of the
/// orbit with semi-major axis 1 and eccentricity 0.6 (the CLI's <c>kepler</c> problem), so its period is 2π and
/// y(2π) = y(0) exactly.
/// </summary>
internal sealed class KeplerOrbit : IVectorField
{
    public const double Eccentricity = 0.6;

    public static double[] InitialState { get; } =
        [1.0 - Eccentricity, 0.0, 0.0, Math.Sqrt((1.0 + Eccentricity) / (1.0 - Eccentricity))];

    public int StateSize => 4;

    public int ParameterSize => 1;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double r = Math.Sqrt((y[0] * y[0]) + (y[1] * y[1]));
        double inverseCube = 1.0 / (r * r * r);
        dydt[0] = y[2];
        dydt[1] = y[3];
        dydt[2] = -p[0] * y[0] * inverseCube;
        dydt[3] = -p[0] * y[1] * inverseCube;
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                    Span<double> wDy, Span<double> wDp)
    {
        double x = y[0], yy = y[1], gm = p[0];
        double r2 = (x * x) + (yy * yy);
        double r = Math.Sqrt(r2);
        double inverseCube = 1.0 / (r2 * r);
        double inverseFifth = inverseCube / r2;
        double dxx = gm * ((3.0 * x * x) - r2) * inverseFifth;
        double dxy = gm * 3.0 * x * yy * inverseFifth;
        double dyy = gm * ((3.0 * yy * yy) - r2) * inverseFifth;
        wDy[0] = (w[2] * dxx) + (w[3] * dxy);
        wDy[1] = (w[2] * dxy) + (w[3] * dyy);
        wDy[2] = w[0];
        wDy[3] = w[1];
        wDp[0] = -((w[2] * x) + (w[3] * yy)) * inverseCube;
    }
}
