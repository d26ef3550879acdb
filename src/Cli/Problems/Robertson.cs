namespace Rewind.Cli.Problems;

/// <summary>
/// ROBER, Robertson's chemical kinetics (the stiff test set, Bari <c>rober.f</c>): three species, three reactions,
/// on [0, 1e11]. The rate constants are in the deTestSet/PNODE/DiffEqProblemLibrary order: k1 = 0.04 multiplies y1,
/// k2 = 3e7 multiplies y2², k3 = 1e4 multiplies y2·y3 (SUNDIALS' examples swap k2 and k3). y1 + y2 + y3 = 1 for
/// all t.
/// </summary>
internal sealed class Robertson : MassActionProblem
{
    public override string Name => "robertson";

    public override string Equations =>
        "y1' = -k1 y1 + k3 y2 y3, y2' = k1 y1 - k3 y2 y3 - k2 y2^2, y3' = k2 y2^2 " +
        "(deTestSet/PNODE order: k1 = 0.04 on y1, k2 = 3e7 on y2^2, k3 = 1e4 on y2 y3)";

    public override IReadOnlyList<string> StateNames { get; } = ["y1", "y2", "y3"];

    public override IReadOnlyList<string> ParameterNames { get; } = ["k1", "k2", "k3"];

    public override IReadOnlyList<double> InitialState { get; } = [1.0, 0.0, 0.0];

    public override IReadOnlyList<double> Parameters { get; } = [0.04, 3e7, 1e4];

    // t = 0, then every decade from 1e-5 to the end of the test set's interval, 1e11.
    public override IReadOnlyList<double> OutputTimes { get; } = ZeroAndDecades(-5, 11);

    public override IReadOnlyList<double> Target { get; } = [0.0, 0.0, 0.0];

    // Bari rober.f, solut: RADAU on Alphaserver DS20E, uround = 1.01e-19, rtol = atol = h0 = 1.1e-18.
    public override IReadOnlyList<double>? Reference { get; } =
    [
        0.2083340149701255e-07,
        0.8333360770334713e-13,
        0.9999999791665050e+00,
    ];

    public override string? ReferenceSource => "test set for IVP solvers (Bari), rober.f";

    // y2 peaks near 3.6e-5 and ends near 8e-14: atol must resolve it. deTestSet's rober() defaults, rtol 1e-10 and
    // atol 1e-14; kvaerno5 reaches a mescd of about 7 there.
    public override SolverDefaults? Defaults { get; } = new("kvaerno5", 1e-10, 1e-14);

    protected override IReadOnlyList<int[]> Reactants { get; } =
    [
        [0],     // r1 = k1 y1
        [1, 1],  // r2 = k2 y2^2
        [1, 2],  // r3 = k3 y2 y3
    ];

    protected override IReadOnlyList<(int Reaction, int Coefficient)[]> Terms { get; } =
    [
        [(0, -1), (2, 1)],           // y1' = -r1 + r3
        [(0, 1), (2, -1), (1, -1)],  // y2' =  r1 - r3 - r2
        [(1, 1)],                    // y3' =  r2
    ];
}
