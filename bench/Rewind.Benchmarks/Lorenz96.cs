using Rewind.Integrators;

namespace Rewind.Benchmarks;

/// <summary>
/// Lorenz-96: y_i' = (y_{i+1} - y_{i-2}) y_{i-1} - y_i + F with cyclic indices, a nonlinear field of any dimension
/// whose cost per evaluation is a few flops per component. The one parameter is the forcing F.
/// </summary>
internal sealed class Lorenz96(int dimension) : IVectorField
{
    public int StateSize => dimension;

    public int ParameterSize => 1;

    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        for (int i = 0; i < dimension; i++)
        {
            dydt[i] = ((y[Wrap(i + 1)] - y[Wrap(i - 2)]) * y[Wrap(i - 1)]) - y[i] + p[0];
        }
    }

    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                    Span<double> wDy, Span<double> wDp)
    {
        // y_j enters f_j (as -y_j), f_{j-1} (as y_{i+1}), f_{j+1} (as y_{i-1}) and f_{j+2} (as -y_{i-2}).
        double forcing = 0.0;
        for (int j = 0; j < dimension; j++)
        {
            wDy[j] = -w[j]
                     + (w[Wrap(j - 1)] * y[Wrap(j - 2)])
                     + (w[Wrap(j + 1)] * (y[Wrap(j + 2)] - y[Wrap(j - 1)]))
                     - (w[Wrap(j + 2)] * y[Wrap(j + 1)]);
            forcing += w[j];
        }
        wDp[0] = forcing;
    }

    private int Wrap(int index) => (index + dimension) % dimension;

    /// <summary>
    /// The benchmarks' problem: the chaotic regime F = 8 over t in [0, 1], started next to the equilibrium y_i = F
    /// (one component perturbed), with L = sum of y(T), so that dL/dy(T) is all ones.
    /// </summary>
    public static (OdeProblem Problem, double[]?[] OutputCotangents) ChaoticRun(int dimension)
    {
        var y0 = Enumerable.Repeat(8.0, dimension).ToArray();
        y0[0] += 0.01;
        var problem = new OdeProblem(new Lorenz96(dimension), y0, [8.0], t0: 0.0, outputTimes: [1.0]);
        return (problem, [Enumerable.Repeat(1.0, dimension).ToArray()]);
    }
}
