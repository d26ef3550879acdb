using System.Globalization;
using System.Text.RegularExpressions;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>Wraps a test field and misbehaves on request: NaN output or a callback run before each product.</summary>
internal sealed class HookedField(ITangentVectorField inner) : ITangentVectorField
{
    public int StateSize => inner.StateSize;

    public int ParameterSize => inner.ParameterSize;

    /// <summary>From this time on, Evaluate writes NaN into dydt[0].</summary>
    public double NaNFrom { get; init; } = double.PositiveInfinity;

    public Action<double>? BeforeEvaluate { get; init; }

    public Action<double>? BeforeVjp { get; init; }

    public Action<double>? BeforeJvp { get; init; }

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        BeforeEvaluate?.Invoke(t);
        inner.Evaluate(t, y, p, dydt);
        if (t >= NaNFrom)
        {
            dydt[0] = double.NaN;
        }
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        BeforeVjp?.Invoke(t);
        inner.Vjp(t, y, p, w, wDy, wDp);
    }

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        BeforeJvp?.Invoke(t);
        inner.Jvp(t, y, p, v, jv);
    }
}

/// <summary>A field without Jvp (IVectorField only), so tangent-linear solves are not available.</summary>
internal sealed class WithoutJvpField(IVectorField inner) : IVectorField
{
    public int StateSize => inner.StateSize;

    public int ParameterSize => inner.ParameterSize;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => inner.Evaluate(t, y, p, dydt);

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
        inner.Vjp(t, y, p, w, wDy, wDp);
}

/// <summary>y' = y^2 with no parameters: from y(0) = 1 the solution 1 / (1 - t) blows up at t = 1.</summary>
internal sealed class BlowUpField : ITangentVectorField
{
    public int StateSize => 1;

    public int ParameterSize => 0;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) => dydt[0] = y[0] * y[0];

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
        wDy[0] = 2 * y[0] * w[0];

    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv) =>
        jv[0] = 2 * y[0] * v[0];
}

/// <summary>Reads the numbers out of an error message, to check that it says where (time, index, count).</summary>
internal static partial class MessageNumbers
{
    public static IReadOnlyList<double> In(string message) =>
        NumberPattern().Matches(message).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();

    public static bool AnyWithin(string message, double low, double high) => In(message).Any(x => x >= low && x <= high);

    public static bool Contains(string message, double value) => In(message).Contains(value);

    [GeneratedRegex(@"(?<![\w.])[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex NumberPattern();
}
