using BenchmarkDotNet.Attributes;
using Rewind.Integrators;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Benchmarks;

/// <summary>
/// Cost of a gradient relative to the forward solve: dopri5 on 100-dimensional Lorenz-96 over t in [0, 1], store-all.
/// The Ratio column of <see cref="ForwardAndBackward"/> is (forward + discrete adjoint) / forward.
/// </summary>
[MemoryDiagnoser]
public class GradientVersusForwardBenchmarks
{
    private const int Dimension = 100;

    private readonly Solver _solver = new("dopri5", rtol: 1e-6, atol: 1e-9);
    private readonly Adjoint _storeAll = Adjoint.Discrete(CheckpointPolicies.StoreAll);
    private OdeProblem _problem = null!;
    private double[]?[] _outputCotangents = null!;

    [GlobalSetup]
    public void CreateProblem()
    {
        (_problem, _outputCotangents) = Lorenz96.ChaoticRun(Dimension);
    }

    [Benchmark(Baseline = true)]
    public double Forward()
    {
        using Solution solution = _solver.Solve(_problem, _storeAll);
        return solution.State(0)[0];
    }

    [Benchmark]
    public double ForwardAndBackward()
    {
        using Solution solution = _solver.Solve(_problem, _storeAll);
        Gradient gradient = solution.Backward(_outputCotangents);
        return gradient.Parameters[0];
    }
}
