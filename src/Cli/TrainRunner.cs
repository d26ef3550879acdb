using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Interop;
using Rewind.Networks;

namespace Rewind.Cli;

/// <summary>
/// Runs <c>rewind train</c>: builds the dataset, the network and the <see cref="NeuralOde"/> from the settings, fits,
/// and writes the output folder: <see cref="LossFileName"/>, <see cref="ParametersFileName"/> and
/// <see cref="PlotFileName"/>. The files are also written when the fit diverges or is canceled, with what it did.
/// </summary>
internal sealed class TrainRunner
{
    public const string LossFileName = "loss.csv";
    public const string ParametersFileName = "parameters.rwnn";
    public const string PlotFileName = "fit.svg";

    /// <summary>The columns of <see cref="LossFileName"/>, one row per iteration.</summary>
    public const string LossHeader =
        "iteration,epoch,loss,gradient_norm,learning_rate,iteration_seconds,elapsed_seconds,steps,rejected_steps,function_evaluations,vjps,recomputed_steps,peak_bytes_kept,full_data_loss";

    private readonly TrainSettings settings;
    private readonly ILogger logger;

    public TrainRunner(TrainSettings settings, ILogger logger)
    {
        this.settings = settings;
        this.logger = logger;
        Dataset = Datasets.Create(settings.DatasetName, settings.Seed, settings.Noise);
        BatchSize = settings.BatchSizeOf(Dataset);
        if (BatchSize > Dataset.SampleCount)
        {
            throw new ArgumentException(string.Create(
                CultureInfo.InvariantCulture,
                $"--batch {BatchSize} is more than the {Dataset.SampleCount} {SampleNoun} of {Dataset.Name}."));
        }
        Epochs = settings.EpochsOf(Dataset);
        IterationsPerEpoch = settings.IterationsPerEpochOf(Dataset);
        long iterations = (long)Epochs * IterationsPerEpoch;
        if (iterations > int.MaxValue)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{Epochs} epochs of {IterationsPerEpoch} iterations are too many."));
        }
        Iterations = (int)iterations;
        Solver = settings.CreateSolver(logger);
        Checkpointing = settings.CreateCheckpointPolicy();
        Network = settings.CreateNetwork(Dataset.Dimension);
        Model = new NeuralOde(Network, Solver, Adjoint.Discrete(Checkpointing), settings.CreateLoss(),
                              settings.CreateOptimizer(Iterations), logger);
    }

    public Dataset Dataset { get; }

    public Sequential Network { get; }

    public Solver Solver { get; }

    public CheckpointPolicy Checkpointing { get; }

    public NeuralOde Model { get; }

    public int Epochs { get; }

    public int BatchSize { get; }

    public int IterationsPerEpoch { get; }

    public int Iterations { get; }

    /// <summary>The output folder, absolute.</summary>
    public string OutputDirectory => Path.GetFullPath(settings.OutputDirectory);

    /// <summary>"windows" or "series": what a batch is made of.</summary>
    public string SampleNoun => Dataset is WindowedDataset ? "windows" : "series";

    /// <summary>Creates the output folder, so that a folder that cannot be written fails before the training.</summary>
    public void PrepareOutput()
    {
        Directory.CreateDirectory(OutputDirectory);
        string probe = Path.Combine(OutputDirectory, ".rewind-train-probe");
        File.WriteAllText(probe, "");
        File.Delete(probe);
    }

    /// <summary>
    /// Fits with <paramref name="display"/> showing the progress, then writes the output files. Divergence and
    /// cancellation end the fit early; the report says which, and the files hold what was done.
    /// </summary>
    public TrainReport Run(TrainingDisplay display, CancellationToken cancellationToken)
    {
        double initialFullLoss = FullDataLoss();
        var history = new List<TrainingProgress>(Iterations);
        var options = new TrainingOptions
        {
            Epochs = Epochs,
            IterationsPerEpoch = IterationsPerEpoch,
            BatchSize = BatchSize,
            Seed = settings.Seed,
            EvaluationInterval = display.ReportInterval,
        };
        string status = "completed";
        string? failure = null;
        try
        {
            _ = display.Run(progress => Model.Fit(Dataset, options, new Recorder(history, progress), cancellationToken));
        }
        catch (TrainingDivergedException exception)
        {
            status = "diverged";
            failure = exception.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = "canceled";
            failure = string.Create(CultureInfo.InvariantCulture, $"Training was canceled after {history.Count} of {Iterations} iterations.");
        }

        TrainOutputs outputs = WriteOutputs(history, status);
        TrainingProgress? first = history.Count > 0 ? history[0] : null;
        TrainingProgress? last = history.Count > 0 ? history[^1] : null;
        return new TrainReport(
            Dataset.Name,
            Dataset.Description,
            Network.ToString(),
            Network.ParameterCount,
            Solver.Method,
            settings.DescribeSolver(),
            Checkpointing.ToString(),
            Model.Loss.Name,
            Model.Optimizer.ToString() ?? "",
            Epochs,
            IterationsPerEpoch,
            Iterations,
            history.Count,
            BatchSize,
            settings.Seed,
            status,
            first?.Loss ?? double.NaN,
            last?.Loss ?? double.NaN,
            initialFullLoss,
            history.LastOrDefault(p => p.EvaluationLoss is not null)?.EvaluationLoss ?? double.NaN,
            last?.ElapsedSeconds ?? 0,
            last?.IterationsPerSecond ?? 0,
            last?.Statistics ?? default,
            outputs)
        {
            Failure = failure,
        };
    }

    private double FullDataLoss()
    {
        try
        {
            return Model.EvaluateLoss(Dataset.FullBatch());
        }
        catch (RewindException)
        {
            return double.NaN;
        }
    }

    private TrainOutputs WriteOutputs(List<TrainingProgress> history, string status)
    {
        var outputs = new TrainOutputs(
            OutputDirectory,
            Path.Combine(OutputDirectory, LossFileName),
            Path.Combine(OutputDirectory, ParametersFileName),
            Path.Combine(OutputDirectory, PlotFileName));
        WriteLossFile(outputs.LossCsv, history);
        Network.SaveParameters(outputs.Parameters);

        Trajectory[]? predictions = null;
        string? predictionError = null;
        try
        {
            predictions = Model.Predict(Dataset);
        }
        catch (RewindException exception)
        {
            predictionError = $"the solve failed ({exception.Message})";
        }
        string result = history.Count == 0
            ? "no iterations"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{history.Count} iterations in {history[^1].ElapsedSeconds:0.0} s, batch loss {history[0].Loss:0.00e+00} → {history[^1].Loss:0.00e+00}");
        string state = status == "completed" ? "" : $" ({status})";
        FitPlot.Write(outputs.Plot, new FitPlot.Content(
            $"rewind train: {Dataset.Name}{state}",
            $"{Network}, {settings.DescribeSolver()}, adjoint {Checkpointing}, {Model.Loss.Name}; {result}",
            Dataset,
            predictions,
            predictionError,
            history));
        return outputs;
    }

    /// <summary>Writes one CSV row per iteration under <see cref="LossHeader"/>; numbers round-trip, an absent full-data loss is empty.</summary>
    public static void WriteLossFile(string path, IReadOnlyList<TrainingProgress> history)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        writer.NewLine = "\n";
        writer.WriteLine(LossHeader);
        var line = new StringBuilder();
        foreach (TrainingProgress p in history)
        {
            line.Clear();
            SolverStatistics s = p.Statistics;
            line.Append(CultureInfo.InvariantCulture,
                $"{p.Iteration},{p.Epoch},{p.Loss:R},{p.GradientNorm:R},{p.LearningRate:R},{p.IterationSeconds:R},{p.ElapsedSeconds:R},");
            line.Append(CultureInfo.InvariantCulture,
                $"{s.Steps},{s.RejectedSteps},{s.FunctionEvaluations},{s.Vjps},{s.RecomputedSteps},{s.PeakBytesKept},");
            if (p.EvaluationLoss is { } evaluation)
            {
                line.Append(evaluation.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.WriteLine(line);
        }
    }

    /// <summary>Keeps every report (for the files, also when the fit stops early) and passes it on to the display.</summary>
    private sealed class Recorder(List<TrainingProgress> history, IProgress<TrainingProgress> display) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            history.Add(value);
            display.Report(value);
        }
    }
}
