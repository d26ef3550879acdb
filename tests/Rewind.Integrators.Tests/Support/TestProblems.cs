using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>A test field with a default initial state and parameters, and its exact solution where one is known.</summary>
internal sealed record TestProblem(string Name, ITangentVectorField Field, double[] InitialState, double[] Parameters, double T0, Func<double, double[]>? Exact)
{
    public OdeProblem At(params double[] outputTimes) => new(Field, InitialState, Parameters, T0, outputTimes);

    public OdeProblem At(double[] initialState, double[] parameters, double[] outputTimes) =>
        new(Field, initialState, parameters, T0, outputTimes);
}

/// <summary>The catalogue of test problems used across the suite.</summary>
internal static class TestProblems
{
    public const double KeplerMu = 1.0;

    public static IReadOnlyList<string> Names { get; } =
        ["linear", "lotka-volterra", "riccati", "logistic", "kepler", "van-der-pol", "tanh-ring"];

    public static TestProblem Get(string name) => name switch
    {
        "linear" => Linear(),
        "lotka-volterra" => LotkaVolterra(),
        "riccati" => Riccati(),
        "logistic" => Logistic(),
        "kepler" => Kepler(0.3),
        "van-der-pol" => VanDerPol(),
        "tanh-ring" => TanhRing(100),
        _ => throw new ArgumentException($"no test problem '{name}'", nameof(name)),
    };

    /// <summary>A 3x3 linear system with 4 parameters; its exact solution is expm(A(p) (t - t0)) y0.</summary>
    public static TestProblem Linear() => LinearWith("linear", [0.7, -0.4, 0.3, -0.9]);

    /// <summary>y' = A(p) y with p = (0, 1, 0, 0): a rotation in the first two components (neutral, like an undamped oscillator).</summary>
    public static TestProblem Rotation() => LinearWith("rotation", [0.0, 1.0, 0.0, 0.0]);

    private static TestProblem LinearWith(string name, double[] p)
    {
        var field = LinearBasisField();
        double[] y0 = [1.0, -0.5, 0.25];
        var a = field.Matrix(p);
        return new TestProblem(name, field, y0, p, 0.0, t => a.Scaled(t).Exp().Multiply(y0));
    }

    public static LinearField LinearBasisField() => new(
        new DenseMatrix(3, [-1.0, 0.5, 0.0, -0.5, -1.0, 0.2, 0.0, -0.2, -0.5]),
        new DenseMatrix(3, [0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        new DenseMatrix(3, [0.3, 0.0, 0.4, 0.0, -0.2, 0.0, 0.1, 0.0, -0.6]),
        new DenseMatrix(3, [0.0, 0.0, 0.0, 0.0, 0.0, 0.8, 0.0, -0.8, 0.1]));

    public static TestProblem LotkaVolterra() =>
        new("lotka-volterra", new LotkaVolterraField(), [1.0, 1.0], [1.5, 1.0, 3.0, 1.0], 0.0, null);

    public static TestProblem Riccati()
    {
        double[] y0 = [1.0];
        double[] p = [1.0];
        const double t0 = 0.0;
        return new TestProblem("riccati", new RiccatiField(), y0, p, t0, t => [RiccatiField.Exact(y0[0], p[0], t0, t)]);
    }

    public static TestProblem Logistic()
    {
        double[] y0 = [0.1];
        double[] p = [1.5, 2.0];
        const double t0 = 0.0;
        return new TestProblem("logistic", new PeriodicLogisticField(), y0, p, t0, t => [PeriodicLogisticField.Exact(y0[0], p[0], p[1], t0, t)]);
    }

    public static TestProblem Kepler(double eccentricity) =>
        new("kepler", new KeplerField(), KeplerField.InitialState(eccentricity, KeplerMu), [KeplerMu], 0.0,
            t => KeplerField.Exact(eccentricity, KeplerMu, t));

    public static TestProblem VanDerPol() => new("van-der-pol", new VanDerPolField(), [2.0, 0.0], [1.5], 0.0, null);

    public static TestProblem TanhRing(int size)
    {
        var y0 = new double[size];
        for (var i = 0; i < size; i++)
        {
            y0[i] = Math.Sin(0.37 * (i + 1));
        }

        return new TestProblem("tanh-ring", new TanhRingField(size), y0, [0.8, 1.2, 0.5], 0.25, null);
    }
}

/// <summary>The explicit Runge–Kutta tableaus the issue asks for, with the facts the tests check against.</summary>
internal static class Tableaus
{
    public static IReadOnlyList<TableauInfo> All { get; } =
    [
        new("euler", 1, 1, false, false),
        new("midpoint", 2, 2, false, false),
        new("heun", 2, 2, false, true),
        new("ralston3", 3, 3, false, false),
        new("rk4", 4, 4, false, false),
        new("bosh3", 3, 4, true, true),
        new("dopri5", 5, 7, true, true),
        new("tsit5", 5, 7, true, true),
    ];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static TableauInfo Get(string name) => All.Single(m => m.Name == name);

    /// <summary>Every tableau paired with each problem that has a closed-form solution (Kepler, logistic).</summary>
    public static TheoryData<string, string> OnExactProblems
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var method in Names)
            {
                data.Add(method, "kepler");
                data.Add(method, "logistic");
            }

            return data;
        }
    }
}

/// <summary>
/// Order, number of stages, whether the last stage is the next step's first (FSAL), and whether the tableau has an
/// embedded pair (without one, adaptive steps are step doubling).
/// </summary>
internal sealed record TableauInfo(string Name, int Order, int Stages, bool FirstSameAsLast, bool EmbeddedPair);

/// <summary>
/// The implicit methods the issue asks for, with their classical order (the "theta" method at its default
/// θ = 1/2) and whether they carry an embedded error estimate (without one, adaptive steps are step doubling).
/// </summary>
internal static class ImplicitMethodCatalog
{
    public static IReadOnlyList<ImplicitMethodInfo> All { get; } =
    [
        new("beuler", "theta", 1, false),
        new("cn", "theta", 2, false),
        new("theta", "theta", 2, false),
        new("trbdf2", "esdirk", 2, true),
        new("kvaerno3", "esdirk", 3, true),
        new("kvaerno4", "esdirk", 4, true),
        new("kvaerno5", "esdirk", 5, true),
        new("sdirk4", "esdirk", 4, true),
    ];

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static ImplicitMethodInfo Get(string name) => All.Single(m => m.Name == name);

    /// <summary>The classical order of any method, explicit or implicit.</summary>
    public static int OrderOf(string method) =>
        Tableaus.All.FirstOrDefault(m => m.Name == method)?.Order ?? Get(method).Order;
}

/// <summary>An implicit method: its name, its native ts type, its order and whether it has an embedded estimate.</summary>
internal sealed record ImplicitMethodInfo(string Name, string Type, int Order, bool EmbeddedPair);
