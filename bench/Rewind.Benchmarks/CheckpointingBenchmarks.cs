using BenchmarkDotNet.Attributes;
using Rewind.Integrators;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Benchmarks;

/// <summary>
/// What checkpointing costs in time: solve and gradient of dopri5 on 100-dimensional Lorenz-96 over t in [0, 1]
/// keeping every step (the baseline) against 8 checkpoints. <see cref="Binomial"/> is offline Revolve, planned for
/// the step count a first solve found; <see cref="OnlineBinomial"/> places its checkpoints without knowing it. The
/// Ratio column is the time against store-all; the gradients are the same bit for bit. The memory side is
/// <see cref="PeakMemoryHarness"/>'s: the trajectory lives in librewind, where a memory diagnoser does not look.
/// </summary>
public class CheckpointingBenchmarks
{
    private const int Dimension = 100;
    private const int Checkpoints = 8;

    private readonly Solver _solver = new("dopri5", rtol: 1e-6, atol: 1e-9);
    private readonly Adjoint _storeAll = Adjoint.Discrete(CheckpointPolicies.StoreAll);
    private readonly Adjoint _onlineBinomial = Adjoint.Discrete(CheckpointPolicies.OnlineBinomial(Checkpoints));
    private Adjoint _binomial = null!;
    private OdeProblem _problem = null!;
    private double[]?[] _outputCotangents = null!;

    [GlobalSetup]
    public void CreateProblem()
    {
        (_problem, _outputCotangents) = Lorenz96.ChaoticRun(Dimension);
        using Solution solution = _solver.Solve(_problem, _storeAll);
        _binomial = Adjoint.Discrete(CheckpointPolicies.Binomial(Checkpoints, plannedSteps: solution.Statistics.Steps));
    }

    [Benchmark(Baseline = true)]
    public double StoreAll() => Gradient(_storeAll);

    [Benchmark]
    public double Binomial() => Gradient(_binomial);

    [Benchmark]
    public double OnlineBinomial() => Gradient(_onlineBinomial);

    private double Gradient(Adjoint adjoint)
    {
        using Solution solution = _solver.Solve(_problem, adjoint);
        return solution.Backward(_outputCotangents).Parameters[0];
    }
}
