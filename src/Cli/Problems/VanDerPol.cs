namespace Rewind.Cli.Problems;

/// <summary>Van der Pol oscillator in its non-stiff regime: x' = v, v' = mu (1 - x²) v - x, mu = 1.</summary>
internal sealed class VanDerPol : BuiltInProblem
{
    public override string Name => "van-der-pol";

    public override string Equations => "x' = v, v' = mu (1 - x^2) v - x";

    public override IReadOnlyList<string> StateNames { get; } = ["x", "v"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["mu"];

    public override IReadOnlyList<double> InitialState { get; } = [2.0, 0.0];

    public override IReadOnlyList<double> Parameters { get; } = [1.0];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 10.0, 10);

    public override IReadOnlyList<double> Target { get; } = [2.0, 0.0];

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double x = y[0], v = y[1], mu = p[0];
        dydt[0] = v;
        dydt[1] = (mu * (1.0 - (x * x)) * v) - x;
    }

    public override void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                             Span<double> wDy, Span<double> wDp)
    {
        double x = y[0], v = y[1], mu = p[0];
        wDy[0] = w[1] * ((-2.0 * mu * x * v) - 1.0);
        wDy[1] = w[0] + (w[1] * mu * (1.0 - (x * x)));
        wDp[0] = w[1] * (1.0 - (x * x)) * v;
    }

    public override void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v,
                             Span<double> jv)
    {
        double x = y[0], velocity = y[1], mu = p[0];
        jv[0] = v[1];
        jv[1] = (((-2.0 * mu * x * velocity) - 1.0) * v[0]) + (mu * (1.0 - (x * x)) * v[1])
                + ((1.0 - (x * x)) * velocity * v[2]);
    }
}
