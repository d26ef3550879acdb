using System.Collections.ObjectModel;
using System.Globalization;
using Rewind.Integrators;

namespace Rewind.Networks;

/// <summary>
/// The embedded datasets: generated from a seed, no files. <see cref="Spiral"/> is the data of torchdiffeq's
/// <c>ode_demo.py</c>, <see cref="LotkaVolterra"/> predator–prey trajectories from several initial conditions,
/// <see cref="DampedOscillators"/> irregularly sampled series. The ODE data are integrated by librewind's dopri5 at
/// rtol 1e-10, atol 1e-12; the same arguments give the same data, bit for bit, on the same machine.
/// Noise, when asked for, is Gaussian with the given standard deviation, added to every observed value
/// (initial states included) and never to the ground truth.
/// </summary>
public static class Datasets
{
    private static readonly ReadOnlyCollection<string> DatasetNames = new(["spiral", "lotka-volterra", "oscillators"]);

    /// <summary>The names <see cref="Create"/> accepts: <c>"spiral"</c>, <c>"lotka-volterra"</c>, <c>"oscillators"</c>.</summary>
    public static IReadOnlyList<string> Names => DatasetNames;

    /// <summary>An embedded dataset by name, with its defaults.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="seed">The seed of its random draws (initial conditions, observation times, noise).</param>
    /// <param name="noise">The standard deviation of the observation noise; 0 by default.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not one of <see cref="Names"/>.</exception>
    public static Dataset Create(string name, int seed = 0, double noise = 0)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            "spiral" => Spiral(noise: noise, seed: seed),
            "lotka-volterra" => LotkaVolterra(noise: noise, seed: seed),
            "oscillators" => DampedOscillators(noise: noise, seed: seed),
            _ => throw new ArgumentException($"Unknown dataset '{name}'. The datasets are: {string.Join(", ", DatasetNames)}.", nameof(name)),
        };
    }

    /// <summary>
    /// The 2-D spiral of torchdiffeq's <c>ode_demo.py</c>: one series of y′ = y³ A with y a row vector
    /// (torchdiffeq's <c>torch.mm(y**3, A)</c>) and A = [[−0.1, 2.0], [−2.0, −0.1]], that is
    /// y₁′ = −0.1 y₁³ − 2 y₂³, y₂′ = 2 y₁³ − 0.1 y₂³, from y(0) = (2, 0), observed at <paramref name="points"/>
    /// evenly spaced times on [0, 25]. Batches are windows of <paramref name="windowLength"/> points from random
    /// starting indices, shifted to start at t = 0 (torchdiffeq's <c>get_batch</c>, <c>batch_time</c> = 10).
    /// The ground truth is the noise-free series on the same grid.
    /// </summary>
    /// <param name="points">The observation times; at least 2; 1000 by default (torchdiffeq's <c>data_size</c>).</param>
    /// <param name="windowLength">Points per window, 2 … points; 10 by default.</param>
    /// <param name="noise">The standard deviation of the noise added to the observations; 0 by default (as the demo).</param>
    /// <param name="seed">The seed of the noise.</param>
    /// <returns>The dataset, of dimension 2.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public static WindowedDataset Spiral(int points = 1000, int windowLength = 10, double noise = 0, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        RequireNoise(noise);
        double[] times = Batches.Linspace(0, 25, points);
        double[] truth = Integrate(new SpiralField(), [2.0, 0.0], [], times);
        var random = new Random(seed);
        var truthSeries = new Trajectory(times, truth, 2);
        var observed = new Trajectory(times, AddNoise(truth, noise, random), 2);
        return new WindowedDataset(
            "spiral",
            [observed],
            windowLength,
            [truthSeries],
            string.Create(
                CultureInfo.InvariantCulture,
                $"spiral: y' = y^3 A, A = [[-0.1, 2], [-2, -0.1]], y(0) = (2, 0), {points} points on [0, 25]{NoiseText(noise)}; batches of windows of {windowLength} points"));
    }

    /// <summary>
    /// Lotka–Volterra predator–prey series x′ = α x − β x y, y′ = −γ y + δ x y with (α, β, γ, δ) = (1.5, 1, 3, 1)
    /// (equilibrium (3, 1.5)), from <paramref name="series"/> initial conditions drawn uniformly from
    /// [1, 5] × [0.5, 2.5], each observed at <paramref name="points"/> evenly spaced times on [0, <paramref name="endTime"/>].
    /// Batches are windows of <paramref name="windowLength"/> points, as for the spiral. The ground truth is the
    /// noise-free series on the same grid.
    /// </summary>
    /// <param name="series">The initial conditions; at least 1; 8 by default.</param>
    /// <param name="points">The observation times per series; at least 2; 100 by default.</param>
    /// <param name="endTime">The last observation time; positive; 10 by default.</param>
    /// <param name="windowLength">Points per window, 2 … points; 10 by default.</param>
    /// <param name="noise">The standard deviation of the observation noise; 0 by default.</param>
    /// <param name="seed">The seed of the initial conditions (drawn first, x then y per series) and the noise.</param>
    /// <returns>The dataset, of dimension 2.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public static WindowedDataset LotkaVolterra(
        int series = 8, int points = 100, double endTime = 10, int windowLength = 10, double noise = 0, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(series, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        RequirePositive(endTime, nameof(endTime));
        RequireNoise(noise);
        var random = new Random(seed);
        var initial = new double[2 * series];
        for (int s = 0; s < series; s++)
        {
            initial[2 * s] = 1.0 + (4.0 * random.NextDouble());
            initial[(2 * s) + 1] = 0.5 + (2.0 * random.NextDouble());
        }

        double[] times = Batches.Linspace(0, endTime, points);
        double[] all = Integrate(new LotkaVolterraField(series), initial, [1.5, 1.0, 3.0, 1.0], times);
        var truth = new Trajectory[series];
        var observed = new Trajectory[series];
        for (int s = 0; s < series; s++)
        {
            var values = new double[2 * points];
            for (int k = 0; k < points; k++)
            {
                values[2 * k] = all[(k * 2 * series) + (2 * s)];
                values[(2 * k) + 1] = all[(k * 2 * series) + (2 * s) + 1];
            }

            truth[s] = new Trajectory(times, values, 2);
            observed[s] = new Trajectory(times, AddNoise(values, noise, random), 2);
        }

        return new WindowedDataset(
            "lotka-volterra",
            observed,
            windowLength,
            truth,
            string.Create(
                CultureInfo.InvariantCulture,
                $"lotka-volterra: (alpha, beta, gamma, delta) = (1.5, 1, 3, 1), {series} series of {points} points on [0, {endTime:G6}]{NoiseText(noise)}; batches of windows of {windowLength} points"));
    }

    /// <summary>
    /// Irregularly sampled damped oscillators x″ + 2 ζ ω x′ + ω² x = 0 with ω = 1.5 and ζ = 0.1, as the state
    /// (x, x′): series s is x(t) = A_s e^(−ζ ω t) cos(ω_d t + φ_s), ω_d = ω √(1 − ζ²), with amplitude A_s uniform in
    /// [0.5, 1.5] and phase φ_s uniform in [0, 2π). Each series is observed at t = 0 (its initial state) and at
    /// <paramref name="observations"/> random times drawn uniformly from (0, <paramref name="endTime"/>], sorted
    /// (its own times: no two series share them); with <paramref name="missingFraction"/> &gt; 0 each later value is
    /// missing (NaN) with that probability, independently. Batches are whole series on the union of their times,
    /// with a mask (<see cref="IrregularDataset"/>). The ground truth is each noise-free series at 201 evenly spaced
    /// times on [0, endTime].
    /// </summary>
    /// <param name="series">The number of series; at least 1; 50 by default.</param>
    /// <param name="observations">Random observation times per series after t = 0; at least 1; 20 by default.</param>
    /// <param name="endTime">The end of the observation window; positive; 10 by default.</param>
    /// <param name="noise">The standard deviation of the observation noise; 0 by default.</param>
    /// <param name="missingFraction">The probability that a value after t = 0 is missing, in [0, 1); 0 by default.</param>
    /// <param name="seed">The seed: per series, A, φ, the times, then missing values and noise.</param>
    /// <returns>The dataset, of dimension 2.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range.</exception>
    public static IrregularDataset DampedOscillators(
        int series = 50, int observations = 20, double endTime = 10, double noise = 0, double missingFraction = 0, int seed = 0)
    {
        const double Omega = 1.5;
        const double Zeta = 0.1;
        const int TruthPoints = 201;
        ArgumentOutOfRangeException.ThrowIfLessThan(series, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(observations, 1);
        RequirePositive(endTime, nameof(endTime));
        RequireNoise(noise);
        if (!(missingFraction >= 0 && missingFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(missingFraction), missingFraction, "missingFraction must be in [0, 1).");
        }

        var random = new Random(seed);
        double omegaD = Omega * Math.Sqrt(1 - (Zeta * Zeta));
        double decay = Zeta * Omega;
        double[] truthTimes = Batches.Linspace(0, endTime, TruthPoints);
        var truth = new Trajectory[series];
        var observed = new Trajectory[series];
        for (int s = 0; s < series; s++)
        {
            double amplitude = 0.5 + random.NextDouble();
            double phase = 2 * Math.PI * random.NextDouble();
            var drawn = new SortedSet<double>();
            while (drawn.Count < observations)
            {
                drawn.Add(endTime * (1.0 - random.NextDouble()));  // in (0, endTime]
            }

            double[] times = [0.0, .. drawn];
            var values = new double[2 * times.Length];
            for (int k = 0; k < times.Length; k++)
            {
                (values[2 * k], values[(2 * k) + 1]) = Oscillator(times[k]);
            }

            for (int j = 2; j < values.Length && missingFraction > 0; j++)
            {
                if (random.NextDouble() < missingFraction)
                {
                    values[j] = double.NaN;
                }
            }

            observed[s] = new Trajectory(times, AddNoise(values, noise, random), 2);
            var truthValues = new double[2 * TruthPoints];
            for (int k = 0; k < TruthPoints; k++)
            {
                (truthValues[2 * k], truthValues[(2 * k) + 1]) = Oscillator(truthTimes[k]);
            }

            truth[s] = new Trajectory(truthTimes, truthValues, 2);

            (double X, double V) Oscillator(double t)
            {
                double envelope = amplitude * Math.Exp(-decay * t);
                double angle = (omegaD * t) + phase;
                return (envelope * Math.Cos(angle), envelope * ((-decay * Math.Cos(angle)) - (omegaD * Math.Sin(angle))));
            }
        }

        return new IrregularDataset(
            "oscillators",
            observed,
            truth,
            string.Create(
                CultureInfo.InvariantCulture,
                $"oscillators: x'' + 2 zeta omega x' + omega^2 x = 0 (omega 1.5, zeta 0.1), {series} series, each observed at t = 0 and {observations} random times in (0, {endTime:G6}]{(missingFraction > 0 ? $", {missingFraction:P0} of values missing" : string.Empty)}{NoiseText(noise)}; batches of whole series on the union of their times"));
    }

    /// <summary>The noise-free solution at <paramref name="times"/>, one row per time.</summary>
    private static double[] Integrate(IVectorField field, double[] y0, double[] parameters, double[] times)
    {
        var problem = new OdeProblem(field, y0, parameters, times[0], times);
        using Solution solution = new Solver("dopri5", rtol: 1e-10, atol: 1e-12).Solve(problem, Adjoint.None);
        var values = new double[times.Length * y0.Length];
        for (int k = 0; k < times.Length; k++)
        {
            solution.State(k).CopyTo(values, k * y0.Length);
        }

        return values;
    }

    /// <summary>A copy of <paramref name="values"/> with N(0, noise²) added to every finite entry (nothing drawn when noise is 0).</summary>
    private static double[] AddNoise(double[] values, double noise, Random random)
    {
        var noisy = (double[])values.Clone();
        if (noise > 0)
        {
            for (int i = 0; i < noisy.Length; i++)
            {
                if (double.IsFinite(noisy[i]))
                {
                    noisy[i] += noise * Batches.Gaussian(random);
                }
            }
        }

        return noisy;
    }

    private static string NoiseText(double noise) =>
        noise > 0 ? string.Create(CultureInfo.InvariantCulture, $", noise sd {noise:G6}") : string.Empty;

    private static void RequireNoise(double noise)
    {
        if (!(noise >= 0 && double.IsFinite(noise)))
        {
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "noise must be finite and not negative.");
        }
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    /// <summary>y′ = y³ A (row vector), A = [[−0.1, 2], [−2, −0.1]].</summary>
    private sealed class SpiralField : IVectorField
    {
        public int StateSize => 2;

        public int ParameterSize => 0;

        public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
        {
            double a = y[0] * y[0] * y[0];
            double b = y[1] * y[1] * y[1];
            dydt[0] = (-0.1 * a) - (2.0 * b);
            dydt[1] = (2.0 * a) - (0.1 * b);
        }

        public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
        {
            double da = 3 * y[0] * y[0];
            double db = 3 * y[1] * y[1];
            wDy[0] = ((-0.1 * w[0]) + (2.0 * w[1])) * da;
            wDy[1] = ((-2.0 * w[0]) - (0.1 * w[1])) * db;
        }
    }

    /// <summary>Independent Lotka–Volterra systems, row s = (x, y) of series s, parameters (α, β, γ, δ).</summary>
    private sealed class LotkaVolterraField(int series) : IVectorField
    {
        public int StateSize => 2 * series;

        public int ParameterSize => 4;

        public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
        {
            for (int s = 0; s < series; s++)
            {
                double x = y[2 * s];
                double z = y[(2 * s) + 1];
                dydt[2 * s] = (p[0] * x) - (p[1] * x * z);
                dydt[(2 * s) + 1] = (-p[2] * z) + (p[3] * x * z);
            }
        }

        public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
        {
            wDp.Clear();
            for (int s = 0; s < series; s++)
            {
                double x = y[2 * s];
                double z = y[(2 * s) + 1];
                double w0 = w[2 * s];
                double w1 = w[(2 * s) + 1];
                wDy[2 * s] = (w0 * (p[0] - (p[1] * z))) + (w1 * p[3] * z);
                wDy[(2 * s) + 1] = (-w0 * p[1] * x) + (w1 * ((p[3] * x) - p[2]));
                wDp[0] += w0 * x;
                wDp[1] -= w0 * x * z;
                wDp[2] -= w1 * z;
                wDp[3] += w1 * x * z;
            }
        }
    }
}
