using System.Diagnostics;
using System.Globalization;
using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Networks;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Benchmarks;

/// <summary>
/// McCallum &amp; Foster's experiments side by side, with data we generate: time per gradient (forward + Backward) and
/// the trajectory's peak bytes kept for <see cref="Adjoint.Reversible"/> against binomial checkpointing at equal memory
/// (c = 2), at the paper's c and against store-all, on network fields; then a Kepler orbit comparing the reversible
/// methods at equal accuracy. Plain Stopwatch timing in one process: the median of repeated gradients after a warm-up.
/// </summary>
internal static class ReversibleComparisonHarness
{
    public const string Command = "reversible";

    private const int Hidden = 10;
    private const int Seed = 0;

    // An untrained (gain 1) network is too smooth for the paper's step count: bosh3 at 1e-6 takes 26 steps. A larger
    // Xavier gain of 4 makes the field faster (about 100 steps; the paper's trained field took 445), so both are run.
    private const double DefaultPendulumGain = 4.0;

    /// <summary><c>reversible [--seconds S]</c>: S is the least time spent timing each configuration (default 1).</summary>
    public static int Run(IReadOnlyList<string> args)
    {
        double seconds = 1.0;
        double pendulumGain = DefaultPendulumGain;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--seconds")
            {
                seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else if (args[i] == "--pendulum-gain")
            {
                pendulumGain = double.Parse(args[++i], CultureInfo.InvariantCulture);
            }
        }

        Console.WriteLine(Invariant($"Reversible adjoint against checkpointing. {Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}."));
        Console.WriteLine(Invariant($"Time: median wall time of one gradient (Solve + Backward) over repeats filling >= {seconds} s after one warm-up."));
        Console.WriteLine("Bytes: Statistics.PeakBytesKept of the gradient (states and stages the trajectory held at once).");
        Console.WriteLine("Networks: Xavier-uniform weights, zero biases, seed 0; loss L = 0.5 |y(T) - y_data(T)|^2.");
        Console.WriteLine();

        bool gradientsAgree = true;
        var summary = new List<string>();

        // (1) White dwarf: [t, y] (3) -> 10 (tanh) -> 2, t in [0, 5], 1,000 fixed steps; data from the white-dwarf ODE.
        double[] dwarfY0 = [1.0, 0.0];
        double[] dwarfData = Generate(new WhiteDwarf(), dwarfY0, 5.0, "rk4", 0.005);
        foreach (string method in new[] { "euler", "midpoint", "ralston3", "rk4" })
        {
            gradientsAgree &= NeuralCase(
                $"white dwarf, {method}", summary, seconds, timeInput: true, dwarfY0, dwarfData, 5.0,
                new Solver(method, dt: 5.0 / 1000), checkpoints: 44,
                intrinsic: method == "midpoint" ? new Solver("reversible-heun", dt: 5.0 / 1000) : null);
        }

        // (2) Coupled oscillators: 4 -> 10 -> 4, t in [0, 3], 499 fixed steps, Ralston's RK3.
        double[] oscillatorY0 = [1.0, -0.5, 0.0, 0.0];
        double[] oscillatorData = Generate(new CoupledOscillators(), oscillatorY0, 3.0, "rk4", 3.0 / 499);
        gradientsAgree &= NeuralCase(
            "coupled oscillators, ralston3", summary, seconds, timeInput: false, oscillatorY0, oscillatorData, 3.0,
            new Solver("ralston3", dt: 3.0 / 499), checkpoints: 31);

        // (3) Double pendulum: 4 -> 10 -> 4, t in [0, 2], adaptive bosh3 at rtol = atol = 1e-6.
        double[] pendulumY0 = [1.5, 1.0, 0.0, 0.0];
        double[] pendulumData = Generate(new DoublePendulum(), pendulumY0, 2.0, "dopri5", 0.0);
        gradientsAgree &= NeuralCase(
            "double pendulum, bosh3 adaptive, gain 1", summary, seconds, timeInput: false, pendulumY0, pendulumData, 2.0,
            new Solver("bosh3", rtol: 1e-6, atol: 1e-6), checkpoints: 32);
        if (pendulumGain != 1.0)
        {
            gradientsAgree &= NeuralCase(
                Invariant($"double pendulum, bosh3 adaptive, gain {pendulumGain}"), summary, seconds, timeInput: false,
                pendulumY0, pendulumData, 2.0, new Solver("bosh3", rtol: 1e-6, atol: 1e-6), checkpoints: 32, pendulumGain);
        }

        Console.WriteLine("Summary: ratios against Adjoint.Reversible() (time of mode / time of reversible; bytes of mode / bytes of reversible)");
        Console.WriteLine();
        Console.WriteLine("| problem | steps | t(c=2)/t(rev) | t(c=max)/t(rev) | t(store-all)/t(rev) | bytes(c=2)/bytes(rev) | bytes(c=max)/bytes(rev) | bytes(store-all)/bytes(rev) | rel. grad. diff rev vs store-all |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string line in summary)
        {
            Console.WriteLine(line);
        }
        Console.WriteLine();

        Kepler(Math.Min(seconds, 0.3));

        Console.WriteLine(gradientsAgree
            ? "Binomial(c) and store-all gradients agree bit for bit in every case."
            : "ERROR: a binomial gradient differs from store-all.");
        return gradientsAgree ? 0 : 1;
    }

    private static double[] Generate(IVectorField field, double[] y0, double end, string method, double dt)
    {
        var problem = new OdeProblem(field, y0, [], t0: 0.0, outputTimes: [end]);
        Solver solver = dt > 0 ? new Solver(method, dt: dt) : new Solver(method, rtol: 1e-10, atol: 1e-10);
        using Solution solution = solver.Solve(problem, Adjoint.None);
        return solution.State(0);
    }

    private sealed record Measurement(string Mode, double Seconds, int Repeats, SolverStatistics Statistics, double Loss,
                                      double[] Gradient);

    /// <returns>Whether the binomial gradients equal store-all's bit for bit.</returns>
    /// <param name="intrinsic">An intrinsically reversible method of the base method's order, timed as one more row
    /// (same steps) to show what reversibility gains at equal order when the step itself is reversible; or null.</param>
    private static bool NeuralCase(string name, List<string> summary, double seconds, bool timeInput, double[] y0,
                                   double[] data, double end, Solver solver, int checkpoints, double gain = 1.0,
                                   Solver? intrinsic = null)
    {
        int size = y0.Length;
        var network = new Sequential(timeInput, new Linear(size, Hidden), new Tanh(), new Linear(Hidden, size));
        network.Initialize(Initializer.XavierUniform(gain), Seed);
        using NeuralVectorField field = network.AsVectorField();
        var problem = new OdeProblem(field, y0, network.Parameters.ToArray(), t0: 0.0, outputTimes: [end]);

        (string Mode, Adjoint Adjoint, Solver Solver)[] modes =
        [
            ("reversible(0.999)", Adjoint.Reversible(), solver),
            ("binomial(2)", Adjoint.Discrete(CheckpointPolicies.Binomial(2)), solver),
            (Invariant($"binomial({checkpoints})"), Adjoint.Discrete(CheckpointPolicies.Binomial(checkpoints)), solver),
            ("store-all", Adjoint.Discrete(CheckpointPolicies.StoreAll), solver),
            .. intrinsic is null ? [] : new[] { (Invariant($"{intrinsic.Method}, reversible"), Adjoint.Reversible(), intrinsic) },
        ];
        Console.Error.WriteLine($"running {name} ...");
        Measurement[] rows = [.. modes.Select(mode => Measure(mode.Mode, problem, mode.Solver, mode.Adjoint, data, seconds))];
        Measurement reversible = rows[0], storeAll = rows[3];

        Console.WriteLine(Invariant($"{name}: {network}, {problem.ParameterCount()} parameters"));
        Console.WriteLine();
        Console.WriteLine("| mode | steps | time/gradient | ×reversible | peak bytes kept | ×reversible | recomputed | reconstructed | f evals | VJPs | loss | grad. diff vs store-all |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        bool agree = true;
        for (int r = 0; r < rows.Length; r++)
        {
            Measurement row = rows[r];
            bool discrete = modes[r].Adjoint.Mode == GradientMode.Discrete;
            double difference = RelativeDifference(row.Gradient, storeAll.Gradient);
            string differenceText = row == storeAll ? "-" : !discrete ? Invariant($"{difference:E1} rel.") : difference == 0 ? "0 (bitwise)" : Invariant($"{difference:E1} rel.");
            if (discrete && difference != 0)
            {
                agree = false;
            }
            Console.WriteLine(Invariant(
                $"| {row.Mode} | {row.Statistics.Steps} | {Milliseconds(row.Seconds)} | {row.Seconds / reversible.Seconds:F2} | {row.Statistics.PeakBytesKept:N0} | {(double)row.Statistics.PeakBytesKept / reversible.Statistics.PeakBytesKept:F1} | {row.Statistics.RecomputedSteps} | {row.Statistics.ReconstructionSteps} | {row.Statistics.FunctionEvaluations} | {row.Statistics.Vjps} | {row.Loss:E4} | {differenceText} |"));
        }
        Console.WriteLine();
        summary.Add(Invariant(
            $"| {name} (c = {checkpoints}) | {reversible.Statistics.Steps} | {rows[1].Seconds / reversible.Seconds:F1} | {rows[2].Seconds / reversible.Seconds:F2} | {storeAll.Seconds / reversible.Seconds:F2} | {Ratio(rows[1], reversible)} | {Ratio(rows[2], reversible)} | {Ratio(storeAll, reversible)} | {RelativeDifference(reversible.Gradient, storeAll.Gradient):E1} |"));
        return agree;
    }

    private static string Ratio(Measurement row, Measurement reference) =>
        Invariant($"{(double)row.Statistics.PeakBytesKept / reference.Statistics.PeakBytesKept:F1}");

    private static int ParameterCount(this OdeProblem problem) => problem.Parameters.Count;

    private static Measurement Measure(string mode, OdeProblem problem, Solver solver, Adjoint adjoint, double[] data,
                                       double seconds)
    {
        (double _, SolverStatistics statistics, double loss, double[] gradient, double[] _, SolverStatistics _) = Once(problem, solver, adjoint, data);

        // Warm-up: the managed modes' hot loops start unoptimized, and the JIT optimizes a method ~0.1 s after its 30th
        // call; a solve calls its step loop once (the first case measured ran 2x slow with a single warm-up call).
        var warmUp = Stopwatch.StartNew();
        for (int calls = 0; calls < 100 || warmUp.Elapsed.TotalSeconds < 0.25; calls++)
        {
            _ = Once(problem, solver, adjoint, data);
        }

        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 3 || (total.Elapsed.TotalSeconds < seconds && times.Count < 200))
        {
            times.Add(Once(problem, solver, adjoint, data).Seconds);
        }
        return new Measurement(mode, Median(times), times.Count, statistics, loss, gradient);
    }

    /// <summary>One gradient of 0.5 |y(T) - target|², timed from Solve to the end of Backward.</summary>
    private static (double Seconds, SolverStatistics Statistics, double Loss, double[] Gradient, double[] Final, SolverStatistics Forward) Once(
        OdeProblem problem, Solver solver, Adjoint adjoint, double[] target)
    {
        var stopwatch = Stopwatch.StartNew();
        using Solution solution = solver.Solve(problem, adjoint);
        double[] final = solution.State(solution.Count - 1);
        double[] cotangent = [.. final.Select((value, i) => value - target[i])];
        Gradient gradient = solution.Backward([cotangent]);
        stopwatch.Stop();
        double loss = 0.5 * cotangent.Sum(value => value * value);
        return (stopwatch.Elapsed.TotalSeconds, gradient.Statistics, loss, [.. gradient.InitialState, .. gradient.Parameters], final,
                solution.Statistics);
    }

    private static double RelativeDifference(double[] a, double[] b)
    {
        double difference = 0, norm = 0;
        for (int i = 0; i < a.Length; i++)
        {
            difference += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        return Math.Sqrt(difference / norm);
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }

    private static string Milliseconds(double seconds) => Invariant($"{seconds * 1e3:F3} ms");

    private sealed record OrbitPoint(string Setting, long Steps, long Evaluations, double Error, double Seconds);

    /// <summary>Error of y(2π) (exactly y(0)) against steps and time per gradient; the cost of accuracy.</summary>
    private static void Kepler(double seconds)
    {
        const double Period = 2.0 * Math.PI;
        var problem = new OdeProblem(new KeplerOrbit(), KeplerOrbit.InitialState, [1.0], t0: 0.0, outputTimes: [Period]);
        int[] stepCounts = [100, 200, 400, 800, 1600, 3200, 6400, 12800];
        double[] tolerances = [1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12];
        (string Name, Func<int, Solver> Fixed, Func<double, Solver>? Adaptive, Adjoint Adjoint)[] series =
        [
            ("alf4, reversible", n => new Solver("alf4", dt: Period / n), null, Adjoint.Reversible()),
            ("alf6, reversible", n => new Solver("alf6", dt: Period / n), null, Adjoint.Reversible()),
            ("rk4, McCallum-Foster (0.999)", n => new Solver("rk4", dt: Period / n), null, Adjoint.Reversible()),
            ("alf4 adaptive, reversible", _ => null!, tol => new Solver("alf4", rtol: tol, atol: tol), Adjoint.Reversible()),
            ("dopri5 adaptive, store-all", _ => null!, tol => new Solver("dopri5", rtol: tol, atol: tol), Adjoint.Discrete(CheckpointPolicies.StoreAll)),
        ];

        Console.WriteLine(Invariant($"Kepler orbit, e = {KeplerOrbit.Eccentricity}, one period T = 2π from periapsis: error = max |y(T) - y(0)| (exact solution y(T) = y(0)); time = one gradient of 0.5 |y(T) - y(0)|²."));
        Console.WriteLine();
        Console.WriteLine("| method | N or tol | steps | f evals (forward) | error | digits | time/gradient |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        // Warm-up: the Kepler field and the reversible maps run managed code; let the JIT reach its optimized tier
        // before any point is timed, or the first series' cheapest points read slow.
        foreach ((string _, Func<int, Solver> fixedSolver, Func<double, Solver>? adaptive, Adjoint adjoint) in series)
        {
            Solver warmUp = adaptive is null ? fixedSolver(stepCounts[0]) : adaptive(tolerances[0]);
            for (var clock = Stopwatch.StartNew(); clock.Elapsed.TotalSeconds < 0.5;)
            {
                _ = Once(problem, warmUp, adjoint, KeplerOrbit.InitialState);
            }
        }
        var curves = new List<(string Name, List<OrbitPoint> Points)>();
        foreach ((string name, Func<int, Solver> fixedSolver, Func<double, Solver>? adaptive, Adjoint adjoint) in series)
        {
            Console.Error.WriteLine($"running Kepler, {name} ...");
            var points = new List<OrbitPoint>();
            IEnumerable<(string Setting, Solver Solver)> settings = adaptive is null
                ? stepCounts.Select(n => (Invariant($"N = {n}"), fixedSolver(n)))
                : tolerances.Select(tol => (Invariant($"tol = {tol:E0}"), adaptive(tol)));
            foreach ((string setting, Solver solver) in settings)
            {
                try
                {
                    (double _, SolverStatistics _, double _, double[] _, double[] final, SolverStatistics forward) = Once(problem, solver, adjoint, KeplerOrbit.InitialState);
                    double error = final.Select((value, i) => Math.Abs(value - KeplerOrbit.InitialState[i])).Max();
                    Measurement timing = Measure(name, problem, solver, adjoint, KeplerOrbit.InitialState, seconds);
                    var point = new OrbitPoint(setting, forward.Steps, forward.FunctionEvaluations, error, timing.Seconds);
                    points.Add(point);
                    Console.WriteLine(Invariant(
                        $"| {name} | {setting} | {point.Steps} | {point.Evaluations} | {error:E2} | {-Math.Log10(error):F1} | {Milliseconds(point.Seconds)} |"));
                }
                catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or ConvergenceException)
                {
                    Console.WriteLine(Invariant($"| {name} | {setting} | failed: {exception.GetType().Name}: {exception.Message.Split('\n')[0]} | | | | |"));
                }
            }
            curves.Add((name, points));
        }
        Console.WriteLine();

        // Equal accuracy: time per gradient interpolated (log-log) at each target error; cost per digit: the least-squares
        // slope of log10(time) against digits over the points above the round-off floor (1e-12), i.e. the factor the
        // time grows by for one more correct digit.
        double[] targets = [1e-4, 1e-6, 1e-8, 1e-10];
        Console.WriteLine("Equal accuracy (time per gradient interpolated log-log at the error; '-' outside the measured range) and cost per digit:");
        Console.WriteLine();
        Console.WriteLine("| method | " + string.Join(" | ", targets.Select(target => Invariant($"time at {target:E0}"))) + " | time × per extra digit | evals × per extra digit |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---:|", targets.Length)) + "---:|---:|");
        foreach ((string name, List<OrbitPoint> points) in curves)
        {
            List<OrbitPoint> usable = [.. points.Where(point => point.Error > 1e-12 && point.Error < 1e-1)];
            string cells = string.Join(" | ", targets.Select(target => Interpolate(usable, target) is double time ? Milliseconds(time) : "-"));
            Console.WriteLine(Invariant(
                $"| {name} | {cells} | {Slope(usable, point => point.Seconds)} | {Slope(usable, point => point.Evaluations)} |"));
        }
        Console.WriteLine();
    }

    private static double? Interpolate(List<OrbitPoint> points, double target)
    {
        OrbitPoint[] sorted = [.. points.OrderByDescending(point => point.Error)];
        for (int i = 0; i + 1 < sorted.Length; i++)
        {
            if (sorted[i].Error >= target && sorted[i + 1].Error <= target)
            {
                double fraction = (Math.Log(target) - Math.Log(sorted[i].Error)) / (Math.Log(sorted[i + 1].Error) - Math.Log(sorted[i].Error));
                return Math.Exp(Math.Log(sorted[i].Seconds) + (fraction * (Math.Log(sorted[i + 1].Seconds) - Math.Log(sorted[i].Seconds))));
            }
        }
        return null;
    }

    private static string Slope(List<OrbitPoint> points, Func<OrbitPoint, double> cost)
    {
        if (points.Count < 2)
        {
            return "-";
        }
        double[] x = [.. points.Select(point => -Math.Log10(point.Error))];
        double[] y = [.. points.Select(point => Math.Log10(cost(point)))];
        double meanX = x.Average(), meanY = y.Average();
        double numerator = x.Zip(y, (a, b) => (a - meanX) * (b - meanY)).Sum();
        double denominator = x.Sum(a => (a - meanX) * (a - meanX));
        return Invariant($"{Math.Pow(10.0, numerator / denominator):F2}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
