using System.Globalization;
using Microsoft.Extensions.Logging;
using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Networks;
using RewindTests.Integrators;

namespace RewindTests.Networks;

/// <summary>
/// Training a neural ODE: the loss falls on the embedded spiral with a fixed seed, the gradient Fit uses is the exact
/// derivative of the batch loss (Taylor test), divergence stops with the epoch and iteration and keeps the last good
/// parameters, cancellation stops between iterations, and a fit is reproducible.
/// </summary>
public sealed class NeuralOdeTests
{
    /// <summary>
    /// The reference loss (MSE on 100 spiral windows) after 60 iterations of <see cref="TinyFit"/> must fall below this:
    /// measured 0.0298 from 0.0793 (0.0285 to 0.0316 over six initialization and sampling seeds), so 0.04 leaves a
    /// margin of a third for other machines' rounding (BLAS or built-in GEMM).
    /// </summary>
    private const double TinyFitThreshold = 0.04;

    [Fact]
    public void FitReducesTheLossOnTheSpiral()
    {
        var spiral = Datasets.Spiral();
        TrainingBatch reference = spiral.SampleBatch(100, new Random(123));
        NeuralOde ode = TinyFit(out Sequential net);
        double before = ode.EvaluateLoss(reference, TestContext.Current.CancellationToken);

        var reports = new List<TrainingProgress>();
        TrainingResult result = ode.Fit(
            spiral,
            new TrainingOptions { Epochs = 3, IterationsPerEpoch = 20, BatchSize = 20, Seed = 1 },
            new SynchronousProgress<TrainingProgress>(reports.Add),
            TestContext.Current.CancellationToken);
        double after = ode.EvaluateLoss(reference, TestContext.Current.CancellationToken);

        string report = string.Create(
            CultureInfo.InvariantCulture,
            $"reference loss {before:F4} → {after:F4}; batch loss {result.History[0].Loss:F4} → {result.FinalLoss:F4}; {result.ElapsedSeconds:F2} s ({result.History[^1].IterationsPerSecond:F0} iterations/s)");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.True(after < TinyFitThreshold, report);
        Assert.True(after < 0.5 * before, report);
        Assert.Equal(60, result.Iterations);
        Assert.Equal(result.History, reports);
        Assert.Equal(Enumerable.Range(1, 60), reports.Select(r => r.Iteration));
        Assert.Equal(Enumerable.Range(1, 3).SelectMany(e => Enumerable.Repeat(e, 20)), reports.Select(r => r.Epoch));
        Assert.All(reports, r => Assert.True(r.Statistics.Steps == 9 && r.Statistics.Vjps > 0 && r.Iterations == 60 && r.Epochs == 3));
        Assert.All(reports, r => Assert.Null(r.EvaluationLoss));
        Assert.Equal(60, ode.Optimizer.StepCount);
    }

    [Fact]
    public void TheGradientFitUsesIsTheDerivativeOfTheBatchLoss()
    {
        // Fit hands the optimizer dL/dθ of its first batch; a recording optimizer keeps it without moving θ.
        foreach (Dataset dataset in new Dataset[] { Datasets.Spiral(points: 200), Datasets.DampedOscillators(series: 6, observations: 5, missingFraction: 0.2, seed: 3) })
        {
            var net = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
            net.Initialize(Initializer.XavierUniform(bias: BiasInitialization.Uniform), seed: 4);
            var recorder = new RecordingOptimizer();
            var ode = new NeuralOde(net, new Solver("rk4", dt: 0.1), Adjoint.Discrete(Checkpointing.Binomial(3)), new MeanSquaredError(), recorder);
            ode.Fit(dataset, new TrainingOptions { Epochs = 1, IterationsPerEpoch = 1, BatchSize = 4, Seed = 9 }, cancellationToken: TestContext.Current.CancellationToken);
            double[] gradient = recorder.Gradients.Single();
            TrainingBatch batch = dataset.SampleBatch(4, new Random(9));  // Fit's first batch
            Assert.Equal(gradient, ode.ComputeGradient(batch, TestContext.Current.CancellationToken).Parameters);

            double[] theta = net.Parameters.ToArray();
            double[] direction = Vectors.Random(new Random(10), theta.Length);
            double loss = ode.EvaluateLoss(batch, TestContext.Current.CancellationToken);
            double directional = Vectors.Dot(gradient, direction);
            var epsilons = new List<double>();
            var remainders = new List<double>();
            for (int j = 0; j < 5; j++)
            {
                double eps = 1e-2 / (1 << j);
                Vectors.AddScaled(theta, eps, direction).CopyTo(net.Parameters.Span);
                double perturbed = ode.EvaluateLoss(batch, TestContext.Current.CancellationToken);
                epsilons.Add(eps);
                remainders.Add(Math.Abs(perturbed - loss - (eps * directional)));
            }

            theta.CopyTo(net.Parameters.Span);
            double slope = Vectors.LogLogSlope(epsilons, remainders);
            string report = string.Create(
                CultureInfo.InvariantCulture,
                $"{dataset.Name}: dL·d = {directional:E4}, remainders [{string.Join(", ", remainders.Select(r => r.ToString("E2", CultureInfo.InvariantCulture)))}], slope {slope:F3}");
            TestContext.Current.TestOutputHelper?.WriteLine(report);
            Assert.True(Math.Abs(slope - 2) < 0.1, report);
            Assert.True(remainders[^1] < 1e-3 * Math.Abs(epsilons[^1] * directional), report);
        }
    }

    [Fact]
    public void CheckpointedTrainingEqualsStoreAllBitForBit()
    {
        double[] Train(CheckpointPolicy policy)
        {
            var net = new Sequential(new Linear(2, 8), new Softplus(), new Linear(8, 2));
            net.Initialize(Initializer.XavierUniform(), seed: 5);
            var ode = new NeuralOde(net, new Solver("dopri5", rtol: 1e-6, atol: 1e-8), Adjoint.Discrete(policy), new L1Loss(), new Adam(1e-2));
            ode.Fit(Datasets.Spiral(points: 300), new TrainingOptions { Epochs = 2, IterationsPerEpoch = 3, BatchSize = 5, Seed = 2 }, cancellationToken: TestContext.Current.CancellationToken);
            return net.Parameters.ToArray();
        }

        double[] storeAll = Train(Checkpointing.StoreAll);
        Assert.Equal(storeAll, Train(Checkpointing.Binomial(2)));
        Assert.Equal(storeAll, Train(Checkpointing.StoreAll));  // and a fit is reproducible
    }

    [Fact]
    public void DivergenceNamesTheEpochAndIterationAndKeepsTheLastGoodParameters()
    {
        // A step that makes a parameter NaN at the 5th step: epochs of 2 iterations, so epoch 3, iteration 5.
        var net = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 2));
        net.Initialize(Initializer.XavierUniform(), seed: 6);
        var poison = new PoisonOptimizer(poisonAtStep: 5);
        var logger = new ListLogger();
        var ode = new NeuralOde(net, new Solver("rk4", dt: 0.1), Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), poison, logger);
        var afterStep = new List<double[]>();
        var error = Assert.Throws<TrainingDivergedException>(() => ode.Fit(
            Datasets.Spiral(points: 100),
            new TrainingOptions { Epochs = 4, IterationsPerEpoch = 2, BatchSize = 3 },
            new SynchronousProgress<TrainingProgress>(_ => afterStep.Add(net.Parameters.ToArray())),
            TestContext.Current.CancellationToken));
        Assert.Equal(3, error.Epoch);
        Assert.Equal(5, error.Iteration);
        Assert.Equal(5, error.LastGoodIteration);
        Assert.StartsWith("Training diverged at epoch 3, iteration 5 of 8: the optimizer step", error.Message, StringComparison.Ordinal);
        Assert.Contains("made a parameter NaN", error.Message, StringComparison.Ordinal);
        Assert.Equal(afterStep[3], net.Parameters.ToArray());  // the parameters iteration 5 started from
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("iteration 5", StringComparison.Ordinal));
    }

    [Fact]
    public void AnExplodingLearningRateStopsWithADivergenceError()
    {
        var net = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
        net.Initialize(Initializer.XavierUniform(), seed: 7);
        var ode = new NeuralOde(net, new Solver("rk4", dt: 0.05), Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), new Sgd(1e8));
        var reports = new List<TrainingProgress>();
        var error = Assert.Throws<TrainingDivergedException>(() => ode.Fit(
            Datasets.Spiral(),
            new TrainingOptions { Epochs = 1, IterationsPerEpoch = 50 },
            new SynchronousProgress<TrainingProgress>(reports.Add),
            TestContext.Current.CancellationToken));
        TestContext.Current.TestOutputHelper?.WriteLine(error.Message);
        Assert.Equal(reports.Count + 1, error.Iteration);
        Assert.Matches(@"^Training diverged at epoch 1, iteration \d+ of 50: ", error.Message);
        Assert.All(net.Parameters.ToArray(), v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(error.LastGoodLoss) || error.LastGoodIteration == 0);
    }

    [Fact]
    public void CancellationStopsBetweenIterations()
    {
        NeuralOde ode = TinyFit(out Sequential net);
        using var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        double[]? afterThird = null;
        var progress = new SynchronousProgress<TrainingProgress>(p =>
        {
            if (p.Iteration == 3)
            {
                afterThird = net.Parameters.ToArray();
                source.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ode.Fit(Datasets.Spiral(), new TrainingOptions { Epochs = 2, IterationsPerEpoch = 10 }, progress, source.Token));
        Assert.Equal(afterThird, net.Parameters.ToArray());
        Assert.Equal(3, ode.Optimizer.StepCount);

        double[] before = net.Parameters.ToArray();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ode.Fit(Datasets.Spiral(), new TrainingOptions(), cancellationToken: source.Token));
        Assert.Equal(before, net.Parameters.ToArray());
    }

    [Fact]
    public void EvaluationsAndLogMessagesAreReported()
    {
        var logger = new ListLogger();
        var net = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2));
        net.Initialize(Initializer.XavierUniform(), seed: 8);
        var schedule = LearningRateSchedule.StepDecay(1e-2, stepSize: 3, gamma: 0.5);
        var ode = new NeuralOde(net, new Solver("rk4", dt: 0.1), Adjoint.Discrete(Checkpointing.StoreAll), new L1Loss(), new Adam(schedule), logger);
        var data = Datasets.LotkaVolterra(series: 2, points: 30);
        TrainingResult result = ode.Fit(data, new TrainingOptions { Epochs = 2, IterationsPerEpoch = 4, BatchSize = 5, EvaluationInterval = 3, GradientClipNorm = 1e-3 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal([3, 6, 8], result.History.Where(p => p.EvaluationLoss is not null).Select(p => p.Iteration));
        Assert.Equal(ode.EvaluateLoss(data.FullBatch(), TestContext.Current.CancellationToken), result.FinalEvaluationLoss);
        Assert.Equal(Enumerable.Range(0, 8).Select(s => schedule.At(s)), result.History.Select(p => p.LearningRate));
        Assert.All(result.History, p => Assert.True(p.GradientNorm > 0 && p.IterationSeconds >= 0 && p.ElapsedSeconds > 0 && p.IterationsPerSecond > 0));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Information && e.Message.StartsWith("Fitting Sequential(Linear 2→8, Tanh, Linear 8→2)", StringComparison.Ordinal));
        Assert.Equal(2, logger.Entries.Count(e => e.Message.StartsWith("Epoch ", StringComparison.Ordinal) && e.Level == LogLevel.Information));
        Assert.Equal(8, logger.Entries.Count(e => e.Level == LogLevel.Debug));
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("Fit finished: 8 iterations", StringComparison.Ordinal));
    }

    [Fact]
    public void AFailedEvaluationIsReportedAsNaNAndTrainingGoesOn()
    {
        // Windows take 9 steps; the whole series takes at least 999 (one per output time): more than MaxSteps.
        var logger = new ListLogger();
        var net = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 2));
        net.Initialize(Initializer.XavierUniform(), seed: 9);
        var solver = new Solver("dopri5", rtol: 1e-6, atol: 1e-8) { MaxSteps = 100 };
        var ode = new NeuralOde(net, solver, Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), new Adam(), logger);
        TrainingResult result = ode.Fit(Datasets.Spiral(), new TrainingOptions { Epochs = 1, IterationsPerEpoch = 2, EvaluationInterval = 1 }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, result.Iterations);
        Assert.All(result.History, p => Assert.True(double.IsNaN(p.EvaluationLoss!.Value)));
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("the solve over the full data failed", StringComparison.Ordinal)));
    }

    [Fact]
    public void PredictSolvesFromInitialStates()
    {
        var net = new Sequential(new Linear(2, 2));
        net.Parameter("0.weight").Span[0] = -1;
        net.Parameter("0.weight").Span[3] = -2;  // y' = (−y1, −2 y2)
        var ode = new NeuralOde(net, new Solver("dopri5", rtol: 1e-10, atol: 1e-12), Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), new Adam());
        Trajectory[] predicted = ode.Predict([[1.0, 1.0], [2.0, -1.0]], [0.5, 1.0], startTime: 0.0, TestContext.Current.CancellationToken);
        Assert.Equal(2, predicted.Length);
        Assert.Equal([0.5, 1.0], predicted[1].Times);
        Assert.Equal(2.0 * Math.Exp(-1.0), predicted[1].Value(1, 0), 1e-9);
        Assert.Equal(-Math.Exp(-2.0), predicted[1].Value(1, 1), 1e-9);

        var data = Datasets.LotkaVolterra(series: 3, points: 20);
        Trajectory[] fits = ode.Predict(data, TestContext.Current.CancellationToken);
        Assert.Equal(3, fits.Length);
        Assert.All(Enumerable.Range(0, 3), s =>
        {
            Assert.Equal(data.GroundTruth[s].Times, fits[s].Times);
            Assert.Equal(data.GroundTruth[s].State(0).ToArray(), fits[s].State(0).ToArray());
        });
    }

    [Fact]
    public void BadSetupsAreRejected()
    {
        var net = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 3));
        var solver = new Solver("rk4", dt: 0.1);
        Assert.Throws<ArgumentException>(() => new NeuralOde(net, solver, Adjoint.None, new MeanSquaredError(), new Adam()));
        Assert.Throws<ArgumentException>(() => new NeuralOde(new Sequential(new Linear(2, 3)), solver, Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), new Adam()));
        var ode = new NeuralOde(net, solver, Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), new Adam());
        var wrongDimension = Assert.Throws<ArgumentException>(() => ode.Fit(Datasets.Spiral(), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("dimension 2", wrongDimension.Message, StringComparison.Ordinal);

        NeuralOde tiny = TinyFit(out Sequential tinyNet);
        Assert.Throws<ArgumentOutOfRangeException>(() => tiny.Fit(Datasets.DampedOscillators(series: 5), new TrainingOptions { BatchSize = 6 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => tiny.Fit(Datasets.Spiral(), new TrainingOptions { Epochs = 0 }, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => tiny.Fit(Datasets.Spiral(), new TrainingOptions { GradientClipNorm = 0 }, cancellationToken: TestContext.Current.CancellationToken));
        tinyNet.Parameters.Span[0] = double.NaN;
        Assert.Throws<ArgumentException>(() => tiny.Fit(Datasets.Spiral(), cancellationToken: TestContext.Current.CancellationToken));
    }

    /// <summary>2 → 16 → 2 tanh, Xavier with seed 1, rk4 with dt 0.05 (one step per interval of the spiral's grid), MSE, Adam 1e-2.</summary>
    private static NeuralOde TinyFit(out Sequential net)
    {
        net = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
        net.Initialize(Initializer.XavierUniform(), seed: 1);
        return new NeuralOde(net, new Solver("rk4", dt: 0.05), Adjoint.Discrete(Checkpointing.StoreAll), new MeanSquaredError(), new Adam(1e-2));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Plain gradient descent that writes NaN into the first parameter at one step.</summary>
    private sealed class PoisonOptimizer(int poisonAtStep) : Optimizer(LearningRateSchedule.Constant(1e-3))
    {
        protected override void Initialize(int parameterCount)
        {
        }

        protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber)
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i] -= learningRate * gradient[i];
            }

            if (stepNumber == poisonAtStep)
            {
                parameters[0] = double.NaN;
            }
        }

        protected override void ResetState()
        {
        }
    }

    /// <summary>Keeps every message.</summary>
    private sealed class ListLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
