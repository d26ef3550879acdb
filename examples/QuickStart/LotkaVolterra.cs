using Rewind.Integrators;

/// <summary>Predator–prey model: x' = a x - b x y, y' = -c y + d x y with p = (a, b, c, d).</summary>
sealed class LotkaVolterra : IVectorField {
    public int StateSize => 2;  public int ParameterSize => 4;
    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) {
        dydt[0] = p[0] * y[0] - p[1] * y[0] * y[1];
        dydt[1] = -p[2] * y[1] + p[3] * y[0] * y[1];
    }
    // w·∂f/∂y and w·∂f/∂p, written into wDy and wDp (overwrite, not accumulate)
    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                    Span<double> wDy, Span<double> wDp) {
        wDy[0] = w[0] * (p[0] - p[1] * y[1]) + w[1] * p[3] * y[1];
        wDy[1] = -w[0] * p[1] * y[0] + w[1] * (p[3] * y[0] - p[2]);
        wDp[0] = w[0] * y[0];
        wDp[1] = -w[0] * y[0] * y[1];
        wDp[2] = -w[1] * y[1];
        wDp[3] = w[1] * y[0] * y[1];
    }
}
