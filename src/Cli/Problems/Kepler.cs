namespace Rewind.Cli.Problems;

/// <summary>
/// Two-body (Kepler) orbit in the plane: q'' = -GM q / |q|³ with state (x, y, vx, vy). The initial state starts
/// at periapsis of the orbit with semi-major axis 1 and eccentricity <see cref="Eccentricity"/>.
/// </summary>
internal sealed class Kepler : BuiltInProblem
{
    private const double Eccentricity = 0.6;

    public override string Name => "kepler";

    public override string Equations =>
        "x' = vx, y' = vy, vx' = -GM x / r^3, vy' = -GM y / r^3, r = sqrt(x^2 + y^2); eccentricity 0.6";

    public override IReadOnlyList<string> StateNames { get; } = ["x", "y", "vx", "vy"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["GM"];

    // Periapsis of the orbit with a = 1, GM = 1: distance 1 - e, speed sqrt((1 + e) / (1 - e)).
    public override IReadOnlyList<double> InitialState { get; } =
        [1.0 - Eccentricity, 0.0, 0.0, Math.Sqrt((1.0 + Eccentricity) / (1.0 - Eccentricity))];

    public override IReadOnlyList<double> Parameters { get; } = [1.0];

    // The period is 2 pi; stopping short of it leaves a non-zero loss and gradient.
    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 5.0, 10);

    public override IReadOnlyList<double> Target => InitialState;

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double gm = p[0];
        double inverseCube = InverseRadiusCubed(y);
        dydt[0] = y[2];
        dydt[1] = y[3];
        dydt[2] = -gm * y[0] * inverseCube;
        dydt[3] = -gm * y[1] * inverseCube;
    }

    public override void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                             Span<double> wDy, Span<double> wDp)
    {
        var (dxx, dxy, dyy) = AccelerationJacobian(y, p[0]);
        double inverseCube = InverseRadiusCubed(y);
        wDy[0] = (w[2] * dxx) + (w[3] * dxy);
        wDy[1] = (w[2] * dxy) + (w[3] * dyy);
        wDy[2] = w[0];
        wDy[3] = w[1];
        wDp[0] = -((w[2] * y[0]) + (w[3] * y[1])) * inverseCube;
    }

    public override void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v,
                             Span<double> jv)
    {
        var (dxx, dxy, dyy) = AccelerationJacobian(y, p[0]);
        double inverseCube = InverseRadiusCubed(y);
        jv[0] = v[2];
        jv[1] = v[3];
        jv[2] = (dxx * v[0]) + (dxy * v[1]) - (y[0] * inverseCube * v[4]);
        jv[3] = (dxy * v[0]) + (dyy * v[1]) - (y[1] * inverseCube * v[4]);
    }

    private static double InverseRadiusCubed(ReadOnlySpan<double> y)
    {
        double r = Math.Sqrt((y[0] * y[0]) + (y[1] * y[1]));
        return 1.0 / (r * r * r);
    }

    /// <summary>The symmetric Jacobian of the acceleration -GM q / r³ with respect to q = (x, y).</summary>
    private static (double Dxx, double Dxy, double Dyy) AccelerationJacobian(ReadOnlySpan<double> y, double gm)
    {
        double x = y[0], yy = y[1];
        double r2 = (x * x) + (yy * yy);
        double inverseFifth = 1.0 / (r2 * r2 * Math.Sqrt(r2));
        return (gm * ((3.0 * x * x) - r2) * inverseFifth,
                gm * 3.0 * x * yy * inverseFifth,
                gm * ((3.0 * yy * yy) - r2) * inverseFifth);
    }
}
