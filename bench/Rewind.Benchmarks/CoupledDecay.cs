using System.Numerics;
using System.Runtime.InteropServices;
using Rewind.Integrators;

namespace Rewind.Benchmarks;

/// <summary>
/// y_i' = -a y_i + b y_{i+1} with cyclic indices, parameters (a, b): a linear field of any dimension that costs one
/// vectorized pass over the state per evaluation, so that a solve of a million components is bound by memory
/// traffic, as the checkpointed trajectories are.
/// </summary>
internal sealed class CoupledDecay(int dimension) : IVectorField
{
    public int StateSize => dimension;

    public int ParameterSize => 2;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        double decay = p[0], coupling = p[1];
        Combine(-decay, y[..^1], coupling, y[1..], dydt[..^1]);
        dydt[^1] = (-decay * y[^1]) + (coupling * y[0]);
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                    Span<double> wDy, Span<double> wDp)
    {
        // y_j enters f_j (as -a y_j) and f_{j-1} (as b y_{i+1}).
        double decay = p[0], coupling = p[1];
        Combine(-decay, w[1..], coupling, w[..^1], wDy[1..]);
        wDy[0] = (-decay * w[0]) + (coupling * w[^1]);
        wDp[0] = -Dot(w, y);
        wDp[1] = Dot(w[..^1], y[1..]) + (w[^1] * y[0]);
    }

    /// <summary>result = a x + b z, a SIMD vector at a time.</summary>
    private static void Combine(double a, ReadOnlySpan<double> x, double b, ReadOnlySpan<double> z, Span<double> result)
    {
        ReadOnlySpan<Vector<double>> xs = MemoryMarshal.Cast<double, Vector<double>>(x);
        ReadOnlySpan<Vector<double>> zs = MemoryMarshal.Cast<double, Vector<double>>(z);
        Span<Vector<double>> results = MemoryMarshal.Cast<double, Vector<double>>(result);
        for (int k = 0; k < results.Length; k++)
        {
            results[k] = (a * xs[k]) + (b * zs[k]);
        }
        for (int i = results.Length * Vector<double>.Count; i < result.Length; i++)
        {
            result[i] = (a * x[i]) + (b * z[i]);
        }
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> z)
    {
        ReadOnlySpan<Vector<double>> xs = MemoryMarshal.Cast<double, Vector<double>>(x);
        ReadOnlySpan<Vector<double>> zs = MemoryMarshal.Cast<double, Vector<double>>(z);
        Vector<double> sum = Vector<double>.Zero;
        for (int k = 0; k < xs.Length; k++)
        {
            sum += xs[k] * zs[k];
        }
        double total = Vector.Sum(sum);
        for (int i = xs.Length * Vector<double>.Count; i < x.Length; i++)
        {
            total += x[i] * z[i];
        }
        return total;
    }
}
