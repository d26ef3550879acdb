using System.Globalization;
using Microsoft.Extensions.Logging;
using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Networks;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Cli;

/// <summary>
/// What a train command was asked to do. Null values were not given and take the defaults below (some depend on the
/// dataset); the options' rules (ranges, names, combinations) were checked when they were parsed.
/// </summary>
internal sealed record TrainSettings
{
    public const string DefaultDataset = "spiral";
    public const string DefaultMethod = "dopri5";
    public const double DefaultRelativeTolerance = 1e-6;
    public const double DefaultAbsoluteTolerance = 1e-8;
    public const string DefaultAdjoint = "store-all";
    public const int DefaultCheckpoints = 8;
    public const int DefaultHidden = 50;
    public const int DefaultLayers = 1;
    public const string DefaultActivation = "tanh";
    public const double DefaultLearningRate = 1e-2;

    /// <summary>The cosine schedule ends at the initial learning rate divided by this.</summary>
    public const double LearningRateDecay = 100;

    public const string DefaultLoss = "mse";
    public const string DefaultOutputDirectory = "rewind-train";

    /// <summary>The gradient modes of <c>--adjoint</c>.</summary>
    public static IReadOnlyList<string> AdjointNames { get; } = ["store-all", "solution-only", "binomial", "online-binomial"];

    /// <summary>The activations of <c>--activation</c>.</summary>
    public static IReadOnlyList<string> ActivationNames { get; } = ["tanh", "relu", "softplus", "gelu", "sigmoid", "silu"];

    /// <summary>The losses of <c>--loss</c>.</summary>
    public static IReadOnlyList<string> LossNames { get; } = ["mse", "l1"];

    public string DatasetName { get; init; } = DefaultDataset;

    public double Noise { get; init; }

    public string Method { get; init; } = DefaultMethod;

    public double RelativeTolerance { get; init; } = DefaultRelativeTolerance;

    public double AbsoluteTolerance { get; init; } = DefaultAbsoluteTolerance;

    /// <summary>The fixed step; 0 for adaptive steps.</summary>
    public double FixedStep { get; init; }

    public double? Theta { get; init; }

    /// <summary>One of <see cref="AdjointNames"/>; null when not given (binomial with <see cref="Checkpoints"/>, else store-all).</summary>
    public string? AdjointName { get; init; }

    public int? Checkpoints { get; init; }

    public int? Epochs { get; init; }

    public int? IterationsPerEpoch { get; init; }

    /// <summary>The batch size; null for the dataset's default.</summary>
    public int? BatchSize { get; init; }

    public int Hidden { get; init; } = DefaultHidden;

    public int Layers { get; init; } = DefaultLayers;

    public string ActivationName { get; init; } = DefaultActivation;

    public double LearningRate { get; init; } = DefaultLearningRate;

    public string LossName { get; init; } = DefaultLoss;

    public int Seed { get; init; }

    public string OutputDirectory { get; init; } = DefaultOutputDirectory;

    public bool NoProgress { get; init; }

    public bool Json { get; init; }

    public bool Verbose { get; init; }

    /// <summary>
    /// The default epochs and batch size of a dataset, chosen so that the default run (one pass over the samples per
    /// epoch) fits it well in 10–30 s on 2 cores: spiral 400 epochs of 50 batches of 20 windows (20,000 iterations),
    /// lotka-volterra 200 of 37 batches of 20 windows (7,400), oscillators 150 of 10 batches of 5 series (1,500:
    /// an iteration solves its series on the union of their observation times, about 100 output times).
    /// </summary>
    public static (int Epochs, int BatchSize) DefaultsOf(string dataset) => dataset switch
    {
        "lotka-volterra" => (200, 20),
        "oscillators" => (150, 5),
        _ => (400, 20),
    };

    public int BatchSizeOf(Dataset dataset) => BatchSize ?? DefaultsOf(dataset.Name).BatchSize;

    public int EpochsOf(Dataset dataset) => Epochs ?? DefaultsOf(dataset.Name).Epochs;

    public int IterationsPerEpochOf(Dataset dataset) =>
        IterationsPerEpoch ?? (int)Math.Ceiling((double)dataset.SampleCount / BatchSizeOf(dataset));

    /// <summary>The checkpoint policy of <c>--adjoint</c> and <c>--checkpoints</c>.</summary>
    public CheckpointPolicy CreateCheckpointPolicy() => (AdjointName ?? (Checkpoints is null ? DefaultAdjoint : "binomial")) switch
    {
        "solution-only" => CheckpointPolicies.SolutionOnly,
        "binomial" => CheckpointPolicies.Binomial(Checkpoints ?? DefaultCheckpoints),
        "online-binomial" => CheckpointPolicies.OnlineBinomial(Checkpoints ?? DefaultCheckpoints),
        _ => CheckpointPolicies.StoreAll,
    };

    /// <summary>The solver; an unknown method or a θ for another method throws <see cref="ArgumentException"/>.</summary>
    public Solver CreateSolver(ILogger logger) =>
        new(Method, RelativeTolerance, AbsoluteTolerance, FixedStep, logger) { Theta = Theta };

    /// <summary>dim → hidden (→ hidden)… → dim, each hidden layer followed by the activation, initialized Xavier-uniform from <see cref="Seed"/>.</summary>
    public Sequential CreateNetwork(int dimension)
    {
        var modules = new List<Module> { new Linear(dimension, Hidden), CreateActivation() };
        for (int layer = 1; layer < Layers; layer++)
        {
            modules.Add(new Linear(Hidden, Hidden));
            modules.Add(CreateActivation());
        }
        modules.Add(new Linear(Hidden, dimension));
        var network = new Sequential([.. modules]);
        network.Initialize(Initializer.XavierUniform(), Seed);
        return network;
    }

    public TrajectoryLoss CreateLoss() => LossName == "l1" ? new L1Loss() : new MeanSquaredError();

    /// <summary>Adam with a cosine schedule from <see cref="LearningRate"/> to <see cref="LearningRate"/>/100 over the run.</summary>
    public Optimizer CreateOptimizer(int iterations) =>
        new Adam(LearningRateSchedule.CosineAnnealing(LearningRate, iterations, LearningRate / LearningRateDecay));

    /// <summary>The solver settings in words, e.g. <c>dopri5, adaptive steps, rtol 1E-06, atol 1E-08</c>.</summary>
    public string DescribeSolver() =>
        FixedStep > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Method}, fixed step {FixedStep}{DescribeTheta()}")
            : string.Create(CultureInfo.InvariantCulture, $"{Method}, adaptive steps, rtol {RelativeTolerance}, atol {AbsoluteTolerance}{DescribeTheta()}");

    private string DescribeTheta() =>
        Theta is { } theta ? string.Create(CultureInfo.InvariantCulture, $", theta {theta}") : "";

    private Activation CreateActivation() => ActivationName switch
    {
        "relu" => new Relu(),
        "softplus" => new Softplus(),
        "gelu" => new Gelu(),
        "sigmoid" => new Sigmoid(),
        "silu" => new Silu(),
        _ => new Tanh(),
    };
}
