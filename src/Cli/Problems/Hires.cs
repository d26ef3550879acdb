namespace Rewind.Cli.Problems;

/// <summary>
/// HIRES, High Irradiance RESponse of photomorphogenesis (the stiff test set, Bari <c>hires.f</c>), in deTestSet's
/// parametrised form: 8 species, rate constants k1 … k9 and the source Oks as parameters, on [0, 321.8122].
/// </summary>
internal sealed class Hires : StiffProblem
{
    private const int N = 8;
    private const int Np = 10;

    public override string Name => "hires";

    public override string Equations =>
        "y1' = -k1 y1 + k2 y2 + k6 y3 + Oks, y2' = k1 y1 - (k2 + k3) y2, y3' = -(k6 + k1) y3 + k2 y4 + k5 y5, " +
        "y4' = k3 y2 + k1 y3 - (k4 + k2) y4, y5' = -(k5 + k1) y5 + k2 (y6 + y7), " +
        "y6' = -k7 y6 y8 + k8 y4 + k1 y5 - k2 y6 + k8 y7, y7' = k7 y6 y8 - (k2 + k8 + k9) y7, " +
        "y8' = -k7 y6 y8 + (k2 + k8 + k9) y7 (test set HIRES, deTestSet parameters)";

    public override IReadOnlyList<string> StateNames { get; } = ["Pr", "Pfr", "PrX", "PfrX", "PrX2", "PfrX2", "PfrX2E", "E"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "Oks"];

    public override IReadOnlyList<double> InitialState { get; } = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057];

    public override IReadOnlyList<double> Parameters { get; } = [1.71, 0.43, 8.32, 0.69, 0.035, 8.32, 280.0, 0.69, 0.69, 0.0007];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 321.8122, 10);

    public override IReadOnlyList<double> Target { get; } = new double[N];

    // Bari hires.f, solut: true double precision RADAU5 on Cray C90, uround = 1.01e-19, rtol = atol = h0 = 1.1e-18.
    public override IReadOnlyList<double>? Reference { get; } =
    [
        0.7371312573325668e-3,
        0.1442485726316185e-3,
        0.5888729740967575e-4,
        0.1175651343283149e-2,
        0.2386356198831331e-2,
        0.6238968252742796e-2,
        0.2849998395185769e-2,
        0.2850001604814231e-2,
    ];

    public override string? ReferenceSource => "test set for IVP solvers (Bari), hires.f";

    public override SolverDefaults? Defaults { get; } = new("kvaerno5", 1e-8, 1e-8);

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double k1 = p[0], k2 = p[1], k3 = p[2], k4 = p[3], k5 = p[4], k6 = p[5], k7 = p[6], k8 = p[7], k9 = p[8], oks = p[9];
        double binding = k7 * y[5] * y[7];
        double release = (k2 + k8 + k9) * y[6];
        dydt[0] = (-k1 * y[0]) + (k2 * y[1]) + (k6 * y[2]) + oks;
        dydt[1] = (k1 * y[0]) - ((k2 + k3) * y[1]);
        dydt[2] = (-(k6 + k1) * y[2]) + (k2 * y[3]) + (k5 * y[4]);
        dydt[3] = (k3 * y[1]) + (k1 * y[2]) - ((k4 + k2) * y[3]);
        dydt[4] = (-(k5 + k1) * y[4]) + (k2 * (y[5] + y[6]));
        dydt[5] = -binding + (k8 * y[3]) + (k1 * y[4]) - (k2 * y[5]) + (k8 * y[6]);
        dydt[6] = binding - release;
        dydt[7] = -binding + release;
    }

    public override void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        double k1 = p[0], k2 = p[1], k3 = p[2], k4 = p[3], k5 = p[4], k6 = p[5], k7 = p[6], k8 = p[7], k9 = p[8];
        Span<double> j = dfdyRowMajor[..(N * N)];
        j.Clear();
        j[At(0, 0)] = -k1;
        j[At(0, 1)] = k2;
        j[At(0, 2)] = k6;
        j[At(1, 0)] = k1;
        j[At(1, 1)] = -(k2 + k3);
        j[At(2, 2)] = -(k6 + k1);
        j[At(2, 3)] = k2;
        j[At(2, 4)] = k5;
        j[At(3, 1)] = k3;
        j[At(3, 2)] = k1;
        j[At(3, 3)] = -(k4 + k2);
        j[At(4, 4)] = -(k5 + k1);
        j[At(4, 5)] = k2;
        j[At(4, 6)] = k2;
        j[At(5, 3)] = k8;
        j[At(5, 4)] = k1;
        j[At(5, 5)] = (-k7 * y[7]) - k2;
        j[At(5, 6)] = k8;
        j[At(5, 7)] = -k7 * y[5];
        j[At(6, 5)] = k7 * y[7];
        j[At(6, 6)] = -(k2 + k8 + k9);
        j[At(6, 7)] = k7 * y[5];
        j[At(7, 5)] = -k7 * y[7];
        j[At(7, 6)] = k2 + k8 + k9;
        j[At(7, 7)] = -k7 * y[5];
    }

    public override void ParameterJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdpRowMajor)
    {
        Span<double> d = dfdpRowMajor[..(N * Np)];
        d.Clear();
        // Columns: k1 = 0, k2 = 1, k3 = 2, k4 = 3, k5 = 4, k6 = 5, k7 = 6, k8 = 7, k9 = 8, Oks = 9.
        double binding = y[5] * y[7];
        d[Dp(0, 0)] = -y[0];
        d[Dp(0, 1)] = y[1];
        d[Dp(0, 5)] = y[2];
        d[Dp(0, 9)] = 1.0;
        d[Dp(1, 0)] = y[0];
        d[Dp(1, 1)] = -y[1];
        d[Dp(1, 2)] = -y[1];
        d[Dp(2, 5)] = -y[2];
        d[Dp(2, 0)] = -y[2];
        d[Dp(2, 1)] = y[3];
        d[Dp(2, 4)] = y[4];
        d[Dp(3, 2)] = y[1];
        d[Dp(3, 0)] = y[2];
        d[Dp(3, 3)] = -y[3];
        d[Dp(3, 1)] = -y[3];
        d[Dp(4, 4)] = -y[4];
        d[Dp(4, 0)] = -y[4];
        d[Dp(4, 1)] = y[5] + y[6];
        d[Dp(5, 6)] = -binding;
        d[Dp(5, 7)] = y[3] + y[6];
        d[Dp(5, 0)] = y[4];
        d[Dp(5, 1)] = -y[5];
        d[Dp(6, 6)] = binding;
        d[Dp(6, 1)] = -y[6];
        d[Dp(6, 7)] = -y[6];
        d[Dp(6, 8)] = -y[6];
        d[Dp(7, 6)] = -binding;
        d[Dp(7, 1)] = y[6];
        d[Dp(7, 7)] = y[6];
        d[Dp(7, 8)] = y[6];
    }

    private static int At(int row, int column) => (row * N) + column;

    private static int Dp(int row, int parameter) => (row * Np) + parameter;
}
