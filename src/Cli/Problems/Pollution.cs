namespace Rewind.Cli.Problems;

/// <summary>
/// POLLU, the air pollution model of the Dutch National Institute of Public Health (the stiff test set, Bari
/// <c>pollu.f</c>): 20 species, 25 mass-action reactions, on [0, 60]. The 25 rate constants are the parameters.
/// </summary>
internal sealed class Pollution : MassActionProblem
{
    public override string Name => "pollution";

    public override string Equations =>
        "20 species, 25 reactions r_j = k_j (product of reactants); y' = S r (test set POLLU, pollu.f)";

    // deTestSet's species names, in order.
    public override IReadOnlyList<string> StateNames { get; } =
    [
        "NO2", "NO", "O3P", "O3", "HO2", "OH", "HCHO", "CO", "ALD", "MEO2",
        "C2O3", "CO2", "PAN", "CH3O", "HNO3", "O1D", "SO2", "SO4", "NO3", "N2O5",
    ];

    public override IReadOnlyList<string> ParameterNames { get; } =
        [.. Enumerable.Range(1, 25).Select(j => FormattableString.Invariant($"k{j}"))];

    public override IReadOnlyList<double> InitialState { get; } =
        [0.0, 0.2, 0.0, 0.04, 0.0, 0.0, 0.1, 0.3, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.007, 0.0, 0.0, 0.0];

    public override IReadOnlyList<double> Parameters { get; } =
    [
        0.35, 26.6, 1.23e4, 8.6e-4, 8.2e-4,
        1.5e4, 1.3e-4, 2.4e4, 1.65e4, 9.0e3,
        0.022, 1.2e4, 1.88, 1.63e4, 4.8e6,
        3.5e-4, 0.0175, 1.0e8, 4.44e11, 1.24e3,
        2.1, 5.78, 0.0474, 1.78e3, 3.12,
    ];

    public override IReadOnlyList<double> OutputTimes { get; } = EquallySpaced(0.0, 60.0, 10);

    public override IReadOnlyList<double> Target { get; } = new double[20];

    // Bari pollu.f, solut: true double precision RADAU5 on Cray C90, uround = 1.01e-19, rtol = atol = h0 = 1.1e-18.
    public override IReadOnlyList<double>? Reference { get; } =
    [
        0.5646255480022769e-01,
        0.1342484130422339e+00,
        0.4139734331099427e-08,
        0.5523140207484359e-02,
        0.2018977262302196e-06,
        0.1464541863493966e-06,
        0.7784249118997964e-01,
        0.3245075353396018e+00,
        0.7494013383880406e-02,
        0.1622293157301561e-07,
        0.1135863833257075e-07,
        0.2230505975721359e-02,
        0.2087162882798630e-03,
        0.1396921016840158e-04,
        0.8964884856898295e-02,
        0.4352846369330103e-17,
        0.6899219696263405e-02,
        0.1007803037365946e-03,
        0.1772146513969984e-05,
        0.5682943292316392e-04,
    ];

    public override string? ReferenceSource => "test set for IVP solvers (Bari), pollu.f";

    public override SolverDefaults? Defaults { get; } = new("kvaerno5", 1e-8, 1e-8);

    // 0-based species: y1 = 0, ..., y20 = 19.
    protected override IReadOnlyList<int[]> Reactants { get; } =
    [
        [0],       // r1  = k1  y1
        [1, 3],    // r2  = k2  y2 y4
        [4, 1],    // r3  = k3  y5 y2
        [6],       // r4  = k4  y7
        [6],       // r5  = k5  y7
        [6, 5],    // r6  = k6  y7 y6
        [8],       // r7  = k7  y9
        [8, 5],    // r8  = k8  y9 y6
        [10, 1],   // r9  = k9  y11 y2
        [10, 0],   // r10 = k10 y11 y1
        [12],      // r11 = k11 y13
        [9, 1],    // r12 = k12 y10 y2
        [13],      // r13 = k13 y14
        [0, 5],    // r14 = k14 y1 y6
        [2],       // r15 = k15 y3
        [3],       // r16 = k16 y4
        [3],       // r17 = k17 y4
        [15],      // r18 = k18 y16
        [15],      // r19 = k19 y16
        [16, 5],   // r20 = k20 y17 y6
        [18],      // r21 = k21 y19
        [18],      // r22 = k22 y19
        [0, 3],    // r23 = k23 y1 y4
        [18, 0],   // r24 = k24 y19 y1
        [19],      // r25 = k25 y20
    ];

    // Reaction indices are 0-based too: r1 = 0, ..., r25 = 24.
    protected override IReadOnlyList<(int Reaction, int Coefficient)[]> Terms { get; } =
    [
        // y1' = -r1 - r10 - r14 - r23 - r24 + r2 + r3 + r9 + r11 + r12 + r22 + r25
        [(0, -1), (9, -1), (13, -1), (22, -1), (23, -1), (1, 1), (2, 1), (8, 1), (10, 1), (11, 1), (21, 1), (24, 1)],
        // y2' = -r2 - r3 - r9 - r12 + r1 + r21
        [(1, -1), (2, -1), (8, -1), (11, -1), (0, 1), (20, 1)],
        // y3' = -r15 + r1 + r17 + r19 + r22
        [(14, -1), (0, 1), (16, 1), (18, 1), (21, 1)],
        // y4' = -r2 - r16 - r17 - r23 + r15
        [(1, -1), (15, -1), (16, -1), (22, -1), (14, 1)],
        // y5' = -r3 + 2 r4 + r6 + r7 + r13 + r20
        [(2, -1), (3, 2), (5, 1), (6, 1), (12, 1), (19, 1)],
        // y6' = -r6 - r8 - r14 - r20 + r3 + 2 r18
        [(5, -1), (7, -1), (13, -1), (19, -1), (2, 1), (17, 2)],
        // y7' = -r4 - r5 - r6 + r13
        [(3, -1), (4, -1), (5, -1), (12, 1)],
        // y8' = r4 + r5 + r6 + r7
        [(3, 1), (4, 1), (5, 1), (6, 1)],
        // y9' = -r7 - r8
        [(6, -1), (7, -1)],
        // y10' = -r12 + r7 + r9
        [(11, -1), (6, 1), (8, 1)],
        // y11' = -r9 - r10 + r8 + r11
        [(8, -1), (9, -1), (7, 1), (10, 1)],
        // y12' = r9
        [(8, 1)],
        // y13' = -r11 + r10
        [(10, -1), (9, 1)],
        // y14' = -r13 + r12
        [(12, -1), (11, 1)],
        // y15' = r14
        [(13, 1)],
        // y16' = -r18 - r19 + r16
        [(17, -1), (18, -1), (15, 1)],
        // y17' = -r20
        [(19, -1)],
        // y18' = r20
        [(19, 1)],
        // y19' = -r21 - r22 - r24 + r23 + r25
        [(20, -1), (21, -1), (23, -1), (22, 1), (24, 1)],
        // y20' = -r25 + r24
        [(24, -1), (23, 1)],
    ];
}
