using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>A running cost for Lotka–Volterra that depends on t, both states and a parameter: g = y0² / 2 + p1 y0 y1 + sin(t) y1.</summary>
internal sealed class LotkaVolterraCost : IRunningCost
{
    public double Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p) =>
        (0.5 * y[0] * y[0]) + (p[1] * y[0] * y[1]) + (Math.Sin(t) * y[1]);

    public void Gradient(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dgDy, Span<double> dgDp)
    {
        dgDy[0] = y[0] + (p[1] * y[1]);
        dgDy[1] = (p[1] * y[0]) + Math.Sin(t);
        dgDp.Clear();
        dgDp[1] = y[0] * y[1];
    }
}
