using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Rewind.Integrators;

namespace Rewind.Benchmarks;

/// <summary>
/// Cost of one call of a C# vector field from the native solver. <see cref="EulerStepWithManagedField"/> solves
/// y' = -y with <see cref="Steps"/> fixed Euler steps (one evaluation each) and reports time per step: the
/// native→managed callback, the native Euler step on a 1-vector and the store-all bookkeeping. The baseline calls
/// the same field the same number of times through <see cref="IVectorField"/> from C#, so the difference is what
/// crossing the boundary and stepping add per evaluation.
/// </summary>
public class FieldCallOverheadBenchmarks
{
    private const int Steps = 10_000;

    [SuppressMessage("Performance", "CA1859:Use concrete types when possible for improved performance",
                     Justification = "The solver calls fields through the interface; the baseline must too.")]
    private readonly IVectorField _field = new Decay();
    private readonly Solver _solver = new("euler", dt: 1.0 / Steps);
    private readonly double[] _state = [1.0];
    private readonly double[] _derivative = new double[1];
    private OdeProblem _problem = null!;

    [GlobalSetup]
    public void CreateProblem() => _problem = new OdeProblem(_field, [1.0], [], t0: 0.0, outputTimes: [1.0]);

    [Benchmark(Baseline = true, OperationsPerInvoke = Steps)]
    public double ManagedInterfaceCall()
    {
        for (int k = 0; k < Steps; k++)
        {
            _field.Evaluate(k, _state, [], _derivative);
        }
        return _derivative[0];
    }

    [Benchmark(OperationsPerInvoke = Steps)]
    public double EulerStepWithManagedField()
    {
        using Solution solution = _solver.Solve(_problem);
        return solution.State(0)[0];
    }

    /// <summary>y' = -y: as little work per call as a field can do.</summary>
    private sealed class Decay : IVectorField
    {
        public int StateSize => 1;

        public int ParameterSize => 0;

        public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt) =>
            dydt[0] = -y[0];

        public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w,
                        Span<double> wDy, Span<double> wDp) => wDy[0] = -w[0];
    }
}
