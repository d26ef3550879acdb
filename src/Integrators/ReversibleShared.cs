using System.Globalization;

namespace Rewind.Integrators;

/// <summary>
/// Pieces of the reversible solve (<see cref="ReversibleSolve"/>) and its maps: the forward step loop's controller, the
/// output-cotangent bookkeeping of the reverse pass and small vector kernels.
/// </summary>
internal static class ReversibleShared
{
    /// <summary>The names of the intrinsically reversible methods (<see cref="Solver.ReversibleMethods"/>).</summary>
    internal static readonly string[] MethodNames = ["reversible-heun", "alf", "alf4", "alf6"];

    /// <summary>Hairer–Wanner's starting step from ‖y0‖ and ‖f(t0, y0)‖ (or the solver's <see cref="Solver.InitialStep"/>).</summary>
    internal static double InitialStep(Solver solver, OdeProblem problem, ReadOnlySpan<double> y, ReadOnlySpan<double> f)
    {
        if (solver.InitialStep > 0)
        {
            return solver.InitialStep;
        }

        double d0 = 0, d1 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double scale = solver.AbsoluteTolerance + (solver.RelativeTolerance * Math.Abs(y[i]));
            d0 += (y[i] / scale) * (y[i] / scale);
            d1 += (f[i] / scale) * (f[i] / scale);
        }

        d0 = Math.Sqrt(d0 / y.Length);
        d1 = Math.Sqrt(d1 / y.Length);
        double h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        double span = problem.OutputTimes[^1] - problem.T0;
        return span > 0 ? Math.Min(h0, span) : h0;
    }

    /// <summary>The smallest adaptive step at t: the solver's <see cref="Solver.MinStep"/> or a few ulps of t.</summary>
    internal static double MinStep(Solver solver, double t) => Math.Max(solver.MinStep, 4 * (Math.BitIncrement(Math.Abs(t)) - Math.Abs(t)));

    /// <summary>The next step size of the controller from a weighted error norm, for an error estimate of order q.</summary>
    internal static double NextStep(double step, double errorNorm, int q) =>
        step * (errorNorm == 0 ? 5 : Math.Clamp(0.9 * Math.Pow(errorNorm, -1.0 / (q + 1)), 0.2, 5));

    /// <summary>The weighted RMS norm of an error estimate against the states before and after a step.</summary>
    internal static double ErrorNorm(Solver solver, ReadOnlySpan<double> error, ReadOnlySpan<double> before, ReadOnlySpan<double> after)
    {
        double sum = 0;
        for (int i = 0; i < error.Length; i++)
        {
            double scale = solver.AbsoluteTolerance + (solver.RelativeTolerance * Math.Max(Math.Abs(before[i]), Math.Abs(after[i])));
            double e = error[i] / scale;
            sum += e * e;
        }

        return Math.Sqrt(sum / error.Length);
    }

    internal static MaxStepsExceededException TooManySteps(Solver solver, double t) => new(string.Create(
        CultureInfo.InvariantCulture, $"The reversible solve took more than {solver.MaxSteps} steps (t = {t:G17})."));

    internal static StepSizeUnderflowException StepTooSmall(double h, double t, int step) => new(string.Create(
        CultureInfo.InvariantCulture, $"The reversible solve's step fell to {h:G6} at t = {t:G17} (step {step})."));

    /// <summary>Adds dL/dy at the output times at or after t (walking down from index o) into the first n entries of yBar.</summary>
    internal static void AddOutputCotangents(OdeProblem problem, int n, ReadOnlySpan<double> cotangents, double t, ref int o, Span<double> yBar)
    {
        IReadOnlyList<double> outputs = problem.OutputTimes;
        while (o >= 0 && outputs[o] >= t)
        {
            Axpy(1, cotangents.Slice(o * n, n), yBar[..n]);
            o--;
        }
    }

    internal static double[][] NewVectors(int count, int size)
    {
        var vectors = new double[count][];
        for (int i = 0; i < count; i++)
        {
            vectors[i] = new double[size];
        }

        return vectors;
    }

    internal static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double value in values)
        {
            if (!double.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }

    internal static void Axpy(double a, ReadOnlySpan<double> x, Span<double> target)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] += a * x[i];
        }
    }
}
