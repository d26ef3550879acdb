namespace Rewind.Cli.Problems;

/// <summary>
/// VDPOL, Van der Pol's equation in scaled time (the stiff test set, Bari <c>vdpol.f</c>): y1' = y2,
/// y2' = ((1 − y1²) y2 − y1) / ε with ε = 1e-6 as the parameter, y(0) = (2, 0), on [0, 2].
/// </summary>
internal sealed class StiffVanDerPol : StiffProblem
{
    public override string Name => "van-der-pol-stiff";

    public override string Equations => "y1' = y2, y2' = ((1 - y1^2) y2 - y1) / eps (test set VDPOL, scaled time)";

    public override IReadOnlyList<string> StateNames { get; } = ["y1", "y2"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["eps"];

    public override IReadOnlyList<double> InitialState { get; } = [2.0, 0.0];

    public override IReadOnlyList<double> Parameters { get; } = [1e-6];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 2.0, 10);

    public override IReadOnlyList<double> Target { get; } = [0.0, 0.0];

    // Bari vdpol.f, solut: RADAU on Alphaserver DS20E, uround = 1.01e-19, rtol = atol = h0 = 1.1e-18.
    public override IReadOnlyList<double>? Reference { get; } =
    [
        0.1706167732170483e+01,
        -0.8928097010247975e+00,
    ];

    public override string? ReferenceSource => "test set for IVP solvers (Bari), vdpol.f";

    public override SolverDefaults? Defaults { get; } = new("kvaerno5", 1e-8, 1e-8);

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt[0] = y[1];
        dydt[1] = (((1.0 - (y[0] * y[0])) * y[1]) - y[0]) / p[0];
    }

    public override void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        double eps = p[0];
        dfdyRowMajor[0] = 0.0;
        dfdyRowMajor[1] = 1.0;
        dfdyRowMajor[2] = ((-2.0 * y[0] * y[1]) - 1.0) / eps;
        dfdyRowMajor[3] = (1.0 - (y[0] * y[0])) / eps;
    }

    public override void ParameterJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdpRowMajor)
    {
        double eps = p[0];
        dfdpRowMajor[0] = 0.0;
        dfdpRowMajor[1] = -(((1.0 - (y[0] * y[0])) * y[1]) - y[0]) / (eps * eps);
    }
}

/// <summary>
/// VDPOLM, Van der Pol's equation unscaled (the stiff test set, Bari <c>vdpolm.f</c>; deTestSet's <c>vdpol()</c>):
/// y1' = y2, y2' = μ (1 − y1²) y2 − y1 with μ = 1e3 as the parameter, y(0) = (2, 0), on [0, 2000]. It is VDPOL with
/// t scaled by 1000 and y2 by 1/1000.
/// </summary>
internal sealed class UnscaledStiffVanDerPol : StiffProblem
{
    public override string Name => "van-der-pol-stiff-unscaled";

    public override string Equations => "y1' = y2, y2' = mu (1 - y1^2) y2 - y1 (test set VDPOLM, unscaled)";

    public override IReadOnlyList<string> StateNames { get; } = ["y1", "y2"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["mu"];

    public override IReadOnlyList<double> InitialState { get; } = [2.0, 0.0];

    public override IReadOnlyList<double> Parameters { get; } = [1e3];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 2000.0, 10);

    public override IReadOnlyList<double> Target { get; } = [0.0, 0.0];

    // Bari vdpolm.f, solut (also deTestSet's reference for vdpol()).
    public override IReadOnlyList<double>? Reference { get; } =
    [
        0.1706167732170469e+01,
        -0.8928097010248125e-03,
    ];

    public override string? ReferenceSource => "test set for IVP solvers (Bari), vdpolm.f";

    public override SolverDefaults? Defaults { get; } = new("kvaerno5", 1e-8, 1e-8);

    public override void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        dydt[0] = y[1];
        dydt[1] = (p[0] * (1.0 - (y[0] * y[0])) * y[1]) - y[0];
    }

    public override void Jacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdyRowMajor)
    {
        double mu = p[0];
        dfdyRowMajor[0] = 0.0;
        dfdyRowMajor[1] = 1.0;
        dfdyRowMajor[2] = (-2.0 * mu * y[0] * y[1]) - 1.0;
        dfdyRowMajor[3] = mu * (1.0 - (y[0] * y[0]));
    }

    public override void ParameterJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dfdpRowMajor)
    {
        dfdpRowMajor[0] = 0.0;
        dfdpRowMajor[1] = (1.0 - (y[0] * y[0])) * y[1];
    }
}
