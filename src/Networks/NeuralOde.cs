using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Integrators;
using Rewind.Interop;

namespace Rewind.Networks;

/// <summary>
/// A neural ODE y′ = net(t, y; θ) and its training: a <see cref="Sequential"/> network (solved as a
/// <see cref="NeuralVectorField"/> on the batch), a <see cref="Integrators.Solver"/> (method, tolerances or fixed
/// step), an <see cref="Integrators.Adjoint"/> (gradient mode and checkpoint policy), a <see cref="TrajectoryLoss"/>
/// and an <see cref="Networks.Optimizer"/>. One training iteration (<see cref="Fit"/>) draws a batch from the
/// dataset, solves from the batch's initial states (one state of batch × dimension values) to its output times, takes
/// the loss of the states against the targets, runs <see cref="Solution.Backward"/> with the loss's dL/dy at every
/// output time — the exact gradient of the computed loss — and lets the optimizer update
/// <see cref="Sequential.Parameters"/> in place. Not safe for concurrent use.
/// </summary>
/// <example><code>
/// var net = new Sequential(new Linear(2, 50), new Tanh(), new Linear(50, 2));
/// net.Initialize(Initializer.XavierUniform(), seed: 0);
/// var ode = new NeuralOde(net, new Solver("rk4", dt: 0.05), Adjoint.Discrete(Checkpointing.StoreAll),
///                         new L1Loss(), new Adam(1e-2));
/// TrainingResult result = ode.Fit(Datasets.Spiral(), new TrainingOptions { Epochs = 10, BatchSize = 20 });
/// Trajectory[] fitted = ode.Predict(Datasets.Spiral());
/// </code></example>
/// <remarks>
/// With fixed steps, the step before each output time is shortened to land on it: for data on a grid of spacing h,
/// a dt of at least h takes exactly one step per interval (a dt slightly below h would add a tiny step to each).
/// </remarks>
public sealed class NeuralOde
{
    private readonly ILogger logger;

    /// <summary>Creates the model and its training setup.</summary>
    /// <param name="network">The network: as many outputs as inputs. Its <see cref="Sequential.Parameters"/> are trained in place.</param>
    /// <param name="solver">The method and step control of every solve.</param>
    /// <param name="adjoint">The gradient mode and checkpoint policy of the training solves; not <see cref="Adjoint.None"/>.</param>
    /// <param name="loss">The loss on the trajectories.</param>
    /// <param name="optimizer">The optimizer of the parameters.</param>
    /// <param name="logger">Receives the training messages; none by default. (The solver has its own logger.)</param>
    /// <exception cref="ArgumentException">The network's input and output sizes differ, or the adjoint is forward-only.</exception>
    public NeuralOde(Sequential network, Solver solver, Adjoint adjoint, TrajectoryLoss loss, Optimizer optimizer, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(solver);
        ArgumentNullException.ThrowIfNull(adjoint);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (network.InputSize != network.OutputSize)
        {
            throw new ArgumentException(
                $"A neural ODE's network must map a state to a derivative of the same size, but {network} maps {network.InputSize} inputs to {network.OutputSize} outputs.",
                nameof(network));
        }

        if (adjoint.IsForwardOnly)
        {
            throw new ArgumentException("Training needs gradients: use Adjoint.Discrete(...), not Adjoint.None.", nameof(adjoint));
        }

        Network = network;
        Solver = solver;
        Adjoint = adjoint;
        Loss = loss;
        Optimizer = optimizer;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The network, trained in place.</summary>
    public Sequential Network { get; }

    /// <summary>The method and step control of every solve.</summary>
    public Solver Solver { get; }

    /// <summary>The gradient mode of the training solves.</summary>
    public Adjoint Adjoint { get; }

    /// <summary>The loss.</summary>
    public TrajectoryLoss Loss { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The state size per trajectory: the network's input size.</summary>
    public int Dimension => Network.InputSize;

    /// <summary>
    /// The batch loss and its exact gradient with respect to the network's current parameters, as a training iteration
    /// computes them: solve with <see cref="Adjoint"/>, loss of the states at the batch's times against its targets
    /// (masked), <see cref="Solution.Backward"/> with dL/dy.
    /// </summary>
    /// <param name="batch">The batch; its dimension must be the network's.</param>
    /// <param name="cancellationToken">Checked before the solve and before the backward pass (a network's solve is not interrupted).</param>
    /// <returns>The loss, dL/dθ and the solve's counters.</returns>
    /// <exception cref="ArgumentException">The batch's dimension is not the network's, or the parameters are not finite.</exception>
    /// <exception cref="InvalidOperationException">The loss is NaN or infinite (there is no gradient to take).</exception>
    /// <exception cref="RewindException">The solve failed (e.g. <see cref="NonFiniteValueException"/>).</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public BatchGradient ComputeGradient(TrainingBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        (double loss, double[]? gradient, SolverStatistics statistics) = LossAndGradient(batch, cancellationToken);
        return gradient is null
            ? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The batch loss is {loss}; it has no gradient."))
            : new BatchGradient(loss, gradient, statistics);
    }

    /// <summary>The batch loss at the network's current parameters, from a forward-only solve (<see cref="Adjoint.None"/>).</summary>
    /// <param name="batch">The batch; its dimension must be the network's.</param>
    /// <param name="cancellationToken">Checked before the solve.</param>
    /// <returns>L (NaN or infinite if the predictions are).</returns>
    /// <exception cref="ArgumentException">The batch's dimension is not the network's, or the parameters are not finite.</exception>
    /// <exception cref="RewindException">The solve failed.</exception>
    /// <remarks>For explicit methods the states are those of a training solve, bit for bit; implicit methods may differ
    /// in round-off, since a forward-only solve may reuse Jacobians.</remarks>
    public double EvaluateLoss(TrainingBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        RequireDimension(batch.Dimension, nameof(batch));
        cancellationToken.ThrowIfCancellationRequested();
        using NeuralVectorField field = Network.AsVectorField(batch.Size);
        var problem = new OdeProblem(field, batch.InitialStatesArray, Network.Parameters.ToArray(), batch.StartTime, batch.TimesArray);
        using Solution solution = Solver.Solve(problem, Adjoint.None, cancellationToken);
        return Loss.Evaluate(Flatten(solution, batch.StateSize), batch.TargetsArray, batch.MaskArray, Span<double>.Empty);
    }

    /// <summary>
    /// Trains the network on <paramref name="dataset"/>: <see cref="TrainingOptions.Epochs"/> epochs of
    /// <see cref="TrainingOptions.IterationsPerEpoch"/> iterations. Iteration i draws a batch with
    /// <c>dataset.SampleBatch(BatchSize, random)</c> (one <c>new Random(Seed)</c> for the fit), computes the loss and
    /// gradient as <see cref="ComputeGradient"/>, clips the gradient if asked, and takes one optimizer step. Every
    /// iteration is reported to <paramref name="progress"/> and logged (Debug); every epoch is logged (Information).
    /// </summary>
    /// <param name="dataset">The data; its dimension must be the network's.</param>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <param name="progress">Receives a <see cref="TrainingProgress"/> after every iteration.</param>
    /// <param name="cancellationToken">Checked between iterations and between an iteration's solve and backward pass.
    /// When canceled, the fit throws <see cref="OperationCanceledException"/>; the network keeps the parameters of the
    /// last completed step.</param>
    /// <returns>The record of every iteration.</returns>
    /// <exception cref="ArgumentException">The dataset's dimension is not the network's, an option is out of range
    /// (the batch size above the dataset's <see cref="Dataset.SampleCount"/>), or the parameters are not finite.</exception>
    /// <exception cref="TrainingDivergedException">The loss, the gradient or the updated parameters became NaN or
    /// infinite, or the solve failed as a diverging one does. The message names the epoch and iteration; the network
    /// is restored to the parameters of the last iteration whose loss and gradient were finite.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    public TrainingResult Fit(
        Dataset dataset, TrainingOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new TrainingOptions();
        RequireDimension(dataset.Dimension, nameof(dataset));
        (int epochs, int perEpoch, int batchSize) = Validate(options, dataset);
        RequireFiniteParameters();
        int total = checked(epochs * perEpoch);
        Span<double> parameters = Network.Parameters.Span;
        double[] lastGood = parameters.ToArray();
        int lastGoodIteration = 0;
        double lastGoodLoss = double.NaN;
        var random = new Random(options.Seed);
        TrainingBatch? fullBatch = null;
        var history = new List<TrainingProgress>(total);
        NetworkLog.FitStarting(
            logger, Network, Network.ParameterCount, dataset.Description, total, epochs, perEpoch, batchSize, options.Seed,
            Solver.Method, Adjoint, Loss, Optimizer);
        var clock = Stopwatch.StartNew();
        int iteration = 0;
        try
        {
            for (int epoch = 1; epoch <= epochs; epoch++)
            {
                double epochLossSum = 0;
                for (int j = 0; j < perEpoch; j++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    iteration++;
                    double started = clock.Elapsed.TotalSeconds;
                    TrainingBatch batch = dataset.SampleBatch(batchSize, random);
                    double loss;
                    double[]? gradient;
                    SolverStatistics statistics;
                    try
                    {
                        (loss, gradient, statistics) = LossAndGradient(batch, cancellationToken);
                    }
                    catch (RewindException ex) when (ex is NonFiniteValueException or StepSizeUnderflowException or MaxStepsExceededException or ConvergenceException)
                    {
                        throw Diverged(epoch, iteration, total, $"the solve failed ({ex.GetType().Name}: {ex.Message})", ex);
                    }

                    if (gradient is null)
                    {
                        throw Diverged(epoch, iteration, total, string.Create(CultureInfo.InvariantCulture, $"the batch loss is {loss}"), null);
                    }

                    double norm = Norm(gradient);
                    if (!double.IsFinite(norm))
                    {
                        int bad = Array.FindIndex(gradient, g => !double.IsFinite(g));
                        throw Diverged(
                            epoch, iteration, total,
                            string.Create(CultureInfo.InvariantCulture, $"the gradient is not finite (dL/dθ[{bad}] = {gradient[bad]}; batch loss {loss:G6})"),
                            null);
                    }

                    parameters.CopyTo(lastGood);
                    lastGoodIteration = iteration;
                    lastGoodLoss = loss;
                    if (options.GradientClipNorm is { } clip && norm > clip)
                    {
                        double scale = clip / norm;
                        for (int i = 0; i < gradient.Length; i++)
                        {
                            gradient[i] *= scale;
                        }
                    }

                    double learningRate = Optimizer.LearningRate;
                    Optimizer.Step(parameters, gradient);
                    foreach (double value in parameters)
                    {
                        if (!double.IsFinite(value))
                        {
                            throw Diverged(
                                epoch, iteration, total,
                                string.Create(CultureInfo.InvariantCulture, $"the optimizer step (learning rate {learningRate:G6}, gradient norm {norm:G6}) made a parameter {value}"),
                                null);
                        }
                    }

                    double? evaluation = null;
                    if (options.EvaluationInterval > 0 && (iteration % options.EvaluationInterval == 0 || iteration == total))
                    {
                        fullBatch ??= dataset.FullBatch();
                        try
                        {
                            evaluation = EvaluateLoss(fullBatch, cancellationToken);
                        }
                        catch (RewindException ex) when (ex is NonFiniteValueException or StepSizeUnderflowException or MaxStepsExceededException or ConvergenceException)
                        {
                            // The model may be unstable over the whole series while its windows train well: not a reason to stop.
                            evaluation = double.NaN;
                            NetworkLog.EvaluationFailed(logger, iteration, ex.Message);
                        }

                        NetworkLog.Evaluated(logger, iteration, evaluation.Value);
                    }

                    double now = clock.Elapsed.TotalSeconds;
                    var report = new TrainingProgress(
                        epoch, epochs, iteration, total, loss, norm, learningRate, now - started, now, iteration / Math.Max(now, 1e-9), statistics, evaluation);
                    history.Add(report);
                    epochLossSum += loss;
                    NetworkLog.IterationFinished(logger, epoch, iteration, total, loss, norm, learningRate, statistics.Steps, now - started);
                    progress?.Report(report);
                }

                NetworkLog.EpochFinished(logger, epoch, epochs, epochLossSum / perEpoch, history[^1].Loss, history[^1].IterationsPerSecond);
            }
        }
        catch (OperationCanceledException)
        {
            NetworkLog.Canceled(logger, history.Count);
            throw;
        }

        NetworkLog.FitFinished(logger, total, clock.Elapsed.TotalSeconds, history[^1].Loss);
        return new TrainingResult(history.AsReadOnly(), clock.Elapsed.TotalSeconds);

        TrainingDivergedException Diverged(int epoch, int at, int of, string what, Exception? inner)
        {
            lastGood.CopyTo(Network.Parameters.Span);
            var exception = new TrainingDivergedException(epoch, at, of, what, lastGoodIteration, lastGoodLoss, inner);
            NetworkLog.Diverged(logger, exception.Message);
            return exception;
        }
    }

    /// <summary>
    /// The model's trajectories from <paramref name="initialStates"/> at <paramref name="startTime"/>, at
    /// <paramref name="times"/>: one forward-only solve of all of them as one batch.
    /// </summary>
    /// <param name="initialStates">One or more states of <see cref="Dimension"/> finite values.</param>
    /// <param name="times">The output times: strictly increasing, the first at or after <paramref name="startTime"/>.</param>
    /// <param name="startTime">t0.</param>
    /// <param name="cancellationToken">Checked before the solve.</param>
    /// <returns>One trajectory per initial state, at <paramref name="times"/>.</returns>
    /// <exception cref="ArgumentException">A state has the wrong length or a value is not finite, or the times break the rules.</exception>
    /// <exception cref="RewindException">The solve failed.</exception>
    public Trajectory[] Predict(
        IReadOnlyList<double[]> initialStates, IReadOnlyList<double> times, double startTime = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initialStates);
        ArgumentNullException.ThrowIfNull(times);
        if (initialStates.Count == 0)
        {
            throw new ArgumentException("initialStates is empty.", nameof(initialStates));
        }

        int d = Dimension;
        var y0 = new double[initialStates.Count * d];
        for (int b = 0; b < initialStates.Count; b++)
        {
            double[] state = initialStates[b] ?? throw new ArgumentException($"initialStates[{b}] is null.", nameof(initialStates));
            if (state.Length != d)
            {
                throw new ArgumentException($"initialStates[{b}] has {state.Length} entries; the network's dimension is {d}.", nameof(initialStates));
            }

            state.CopyTo(y0, b * d);
        }

        double[] outputTimes = [.. times];
        cancellationToken.ThrowIfCancellationRequested();
        using NeuralVectorField field = Network.AsVectorField(initialStates.Count);
        var problem = new OdeProblem(field, y0, Network.Parameters.ToArray(), startTime, outputTimes);
        using Solution solution = Solver.Solve(problem, Adjoint.None, cancellationToken);
        var trajectories = new Trajectory[initialStates.Count];
        var rows = new double[outputTimes.Length][];
        for (int k = 0; k < rows.Length; k++)
        {
            rows[k] = solution.State(k);
        }

        for (int b = 0; b < trajectories.Length; b++)
        {
            var values = new double[outputTimes.Length * d];
            for (int k = 0; k < rows.Length; k++)
            {
                rows[k].AsSpan(b * d, d).CopyTo(values.AsSpan(k * d, d));
            }

            trajectories[b] = new Trajectory(outputTimes, values, d);
        }

        return trajectories;
    }

    /// <summary>
    /// The model's trajectory next to each of the dataset's <see cref="Dataset.GroundTruth"/> trajectories: from its
    /// initial state (noise-free) at its start time, at its times. Series on the same times are solved as one batch.
    /// </summary>
    /// <param name="dataset">The dataset; its dimension must be the network's.</param>
    /// <param name="cancellationToken">Checked before each solve.</param>
    /// <returns>One trajectory per ground-truth series, in order.</returns>
    /// <exception cref="ArgumentException">The dataset's dimension is not the network's.</exception>
    /// <exception cref="RewindException">A solve failed.</exception>
    public Trajectory[] Predict(Dataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        RequireDimension(dataset.Dimension, nameof(dataset));
        IReadOnlyList<Trajectory> truth = dataset.GroundTruth;
        var result = new Trajectory[truth.Count];
        var done = new bool[truth.Count];
        for (int s = 0; s < truth.Count; s++)
        {
            if (done[s])
            {
                continue;
            }

            double[] times = truth[s].TimesArray;
            var group = new List<int>();
            for (int r = s; r < truth.Count; r++)
            {
                if (!done[r] && truth[r].TimesArray.AsSpan().SequenceEqual(times))
                {
                    group.Add(r);
                    done[r] = true;
                }
            }

            Trajectory[] predicted = Predict(
                [.. group.Select(r => truth[r].State(0).ToArray())], times, times[0], cancellationToken);
            for (int g = 0; g < group.Count; g++)
            {
                result[group[g]] = predicted[g];
            }
        }

        return result;
    }

    /// <summary>E.g. <c>NeuralOde(Sequential(Linear 2→50, Tanh, Linear 50→2), rk4, store-all, L1Loss(mean), Adam(…))</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"NeuralOde({Network}, {Solver.Method}, {Adjoint}, {Loss}, {Optimizer})";

    private static double Norm(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v * v;
        }

        return Math.Sqrt(sum);
    }

    private static double[] Flatten(Solution solution, int stateSize)
    {
        var states = new double[solution.Count * stateSize];
        for (int k = 0; k < solution.Count; k++)
        {
            solution.State(k).CopyTo(states, k * stateSize);
        }

        return states;
    }

    private static (int Epochs, int PerEpoch, int BatchSize) Validate(TrainingOptions options, Dataset dataset)
    {
        if (options.Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Epochs must be at least 1.");
        }

        if (options.BatchSize < 1 || options.BatchSize > dataset.SampleCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.BatchSize, $"BatchSize must be between 1 and {dataset.SampleCount}, the number of samples of {dataset.Name}.");
        }

        if (options.IterationsPerEpoch is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.IterationsPerEpoch, "IterationsPerEpoch must be at least 1 (or null).");
        }

        if (options.GradientClipNorm is { } clip && !(clip > 0 && double.IsFinite(clip)))
        {
            throw new ArgumentOutOfRangeException(nameof(options), clip, "GradientClipNorm must be positive and finite (or null).");
        }

        if (options.EvaluationInterval < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.EvaluationInterval, "EvaluationInterval must not be negative.");
        }

        int perEpoch = options.IterationsPerEpoch ?? (int)Math.Ceiling((double)dataset.SampleCount / options.BatchSize);
        return (options.Epochs, perEpoch, options.BatchSize);
    }

    private (double Loss, double[]? Gradient, SolverStatistics Statistics) LossAndGradient(TrainingBatch batch, CancellationToken cancellationToken)
    {
        RequireDimension(batch.Dimension, nameof(batch));
        cancellationToken.ThrowIfCancellationRequested();
        using NeuralVectorField field = Network.AsVectorField(batch.Size);
        var problem = new OdeProblem(field, batch.InitialStatesArray, Network.Parameters.ToArray(), batch.StartTime, batch.TimesArray);
        using Solution solution = Solver.Solve(problem, Adjoint, cancellationToken);
        int width = batch.StateSize;
        double[] predictions = Flatten(solution, width);
        var dLdy = new double[predictions.Length];
        double loss = Loss.Evaluate(predictions, batch.TargetsArray, batch.MaskArray, dLdy);
        if (!double.IsFinite(loss))
        {
            return (loss, null, solution.Statistics);
        }

        var cotangents = new double[batch.Count][];
        for (int k = 0; k < cotangents.Length; k++)
        {
            cotangents[k] = dLdy.AsSpan(k * width, width).ToArray();
        }

        cancellationToken.ThrowIfCancellationRequested();
        Gradient gradient = solution.Backward(cotangents);
        return (loss, gradient.Parameters, gradient.Statistics);
    }

    private void RequireDimension(int dimension, string name)
    {
        if (dimension != Dimension)
        {
            throw new ArgumentException($"{name} has dimension {dimension}; the network maps {Dimension} values.", name);
        }
    }

    private void RequireFiniteParameters()
    {
        ReadOnlySpan<double> parameters = Network.Parameters.Span;
        for (int i = 0; i < parameters.Length; i++)
        {
            if (!double.IsFinite(parameters[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The network's parameter {i} is {parameters[i]}; training needs finite parameters."),
                    "network");
            }
        }
    }
}
