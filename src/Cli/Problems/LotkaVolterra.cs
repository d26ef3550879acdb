namespace Rewind.Cli.Problems;

/// <summary>Predator–prey model: x' = a x - b x y, y' = -c y + d x y.</summary>
internal sealed class LotkaVolterra : BuiltInProblem
{
    public override string Name => "lotka-volterra";

    public override string Equations => "prey' = a prey - b prey predator, predator' = -c predator + d prey predator";

    public override IReadOnlyList<string> StateNames { get; } = ["prey", "predator"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["a", "b", "c", "d"];

    public override IReadOnlyList<double> InitialState { get; } = [1.0, 1.0];

    public override IReadOnlyList<double> Parameters { get; } = [1.5, 1.0, 3.0, 1.0];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 10.0, 10);

    public override IReadOnlyList<double> Target { get; } = [1.0, 1.0];

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double prey = y[0], predator = y[1];
        dydt[0] = (p[0] * prey) - (p[1] * prey * predator);
        dydt[1] = (-p[2] * predator) + (p[3] * prey * predator);
    }

    public override void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                             Span<double> wDy, Span<double> wDp)
    {
        double prey = y[0], predator = y[1];
        wDy[0] = (w[0] * (p[0] - (p[1] * predator))) + (w[1] * p[3] * predator);
        wDy[1] = (-w[0] * p[1] * prey) + (w[1] * ((p[3] * prey) - p[2]));
        wDp[0] = w[0] * prey;
        wDp[1] = -w[0] * prey * predator;
        wDp[2] = -w[1] * predator;
        wDp[3] = w[1] * prey * predator;
    }

    public override void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v,
                             Span<double> jv)
    {
        double prey = y[0], predator = y[1];
        jv[0] = ((p[0] - (p[1] * predator)) * v[0]) - (p[1] * prey * v[1]) + (prey * v[2]) - (prey * predator * v[3]);
        jv[1] = (p[3] * predator * v[0]) + (((p[3] * prey) - p[2]) * v[1]) - (predator * v[4]) + (prey * predator * v[5]);
    }
}
