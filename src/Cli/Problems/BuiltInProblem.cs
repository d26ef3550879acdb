using Rewind.Integrators;

namespace Rewind.Cli.Problems;

/// <summary>
/// A problem the CLI can run without input files: a vector field with exact derivatives, its default inputs and
/// the default loss of <c>rewind gradient</c>, L = 0.5 ||y(T) - target||² at the last output time T; optionally
/// a reference solution at T (<see cref="Reference"/>) and the solver settings it is run with by default
/// (<see cref="Defaults"/>).
/// </summary>
internal abstract class BuiltInProblem : ITangentVectorField
{
    /// <summary>Name used on the command line.</summary>
    public abstract string Name { get; }

    /// <summary>The equations, on one line.</summary>
    public abstract string Equations { get; }

    public abstract IReadOnlyList<string> StateNames { get; }

    public abstract IReadOnlyList<string> ParameterNames { get; }

    public abstract IReadOnlyList<double> InitialState { get; }

    public abstract IReadOnlyList<double> Parameters { get; }

    public virtual double T0 => 0.0;

    public abstract IReadOnlyList<double> OutputTimes { get; }

    /// <summary>The state the default loss pulls y(T) towards.</summary>
    public abstract IReadOnlyList<double> Target { get; }

    /// <summary>
    /// A high-accuracy reference for y at the last default output time, for the default y0 and parameters (the
    /// stiff test set's published solutions); null when none is known.
    /// </summary>
    public virtual IReadOnlyList<double>? Reference => null;

    /// <summary>Where <see cref="Reference"/> comes from, for the listing; null without a reference.</summary>
    public virtual string? ReferenceSource => null;

    /// <summary>The method and tolerances used when the command line does not give them; null for the CLI's defaults.</summary>
    public virtual SolverDefaults? Defaults => null;

    public int StateSize => StateNames.Count;

    public int ParameterSize => ParameterNames.Count;

    public abstract void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt);

    public abstract void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                             Span<double> wDy, Span<double> wDp);

    public abstract void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v,
                             Span<double> jv);

    /// <summary>L = 0.5 ||y(T) - target||².</summary>
    public double Loss(ReadOnlySpan<double> finalState)
    {
        double sum = 0.0;
        for (int i = 0; i < StateSize; i++)
        {
            double residual = finalState[i] - Target[i];
            sum += residual * residual;
        }
        return 0.5 * sum;
    }

    /// <summary>dL/dy(T) = y(T) - target.</summary>
    public double[] LossGradient(ReadOnlySpan<double> finalState)
    {
        var gradient = new double[StateSize];
        for (int i = 0; i < StateSize; i++)
        {
            gradient[i] = finalState[i] - Target[i];
        }
        return gradient;
    }

    /// <summary><paramref name="intervals"/> + 1 equally spaced times from <paramref name="start"/> to <paramref name="end"/>.</summary>
    protected static IReadOnlyList<double> EquallySpaced(double start, double end, int intervals)
    {
        var times = new double[intervals + 1];
        for (int k = 0; k <= intervals; k++)
        {
            // start + (end - start) * k / intervals hits both ends exactly, unlike accumulating a step.
            times[k] = start + ((end - start) * k / intervals);
        }
        return times.AsReadOnly();
    }

    /// <summary>10^first, 10^(first + 1), …, 10^last, preceded by 0 (the initial time).</summary>
    protected static IReadOnlyList<double> ZeroAndDecades(int first, int last)
    {
        var times = new double[last - first + 2];
        for (int k = first; k <= last; k++)
        {
            // Parsed rather than computed, so that 1e11 is exactly the double nearest 10^11.
            var culture = System.Globalization.CultureInfo.InvariantCulture;
            times[k - first + 1] = double.Parse(string.Create(culture, $"1e{k}"), culture);
        }
        return times.AsReadOnly();
    }
}

/// <summary>The solver settings a problem is run with when the command line does not say otherwise.</summary>
/// <param name="Method">The method, e.g. <c>kvaerno5</c>.</param>
/// <param name="RelativeTolerance">rtol of adaptive steps.</param>
/// <param name="AbsoluteTolerance">atol of adaptive steps.</param>
internal sealed record SolverDefaults(string Method, double RelativeTolerance, double AbsoluteTolerance);
