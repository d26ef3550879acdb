using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Rewind.Cli;
using Rewind.Networks;
using Xunit;

namespace RewindTests.Cli;

/// <summary>
/// <c>rewind train</c> with tiny settings (a few dozen iterations of a small network, well under a second each):
/// the files it writes, its JSON, its exit codes and its refusals.
/// </summary>
public sealed class TrainCommandTests : IDisposable
{
    // Lotka-Volterra with a 2→16→2 network: 60 iterations of batches of 10 windows. The full-data loss falls from 16
    // to about 1, the batch loss (noisy) by about 10% from the first to the last third.
    private static readonly string[] Tiny =
        ["--dataset", "lotka-volterra", "--hidden", "16", "--epochs", "2", "--iterations-per-epoch", "30", "--batch", "10"];

    private readonly string root = Directory.CreateTempSubdirectory("rewind-train-tests-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task TrainWritesTheLossFileParametersAndPlotAndTheLossFalls()
    {
        string output = Path.Combine(root, "run");
        CliRun run = await CliRun.RunAsync(["train", .. Tiny, "--out", output]);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(run.Error);
        Assert.Contains("dataset   lotka-volterra", run.Output, StringComparison.Ordinal);
        Assert.Contains("training  60 iterations (2 epochs of 30), batches of 10 windows", run.Output, StringComparison.Ordinal);
        Assert.Contains("completed 60 of 60 iterations", run.Output, StringComparison.Ordinal);
        // Output that is not a terminal gets plain progress lines: the first, every 5th (60/20 → 5) and the last.
        string[] progressLines = [.. run.Output.Split('\n').Where(line => line.StartsWith("iteration ", StringComparison.Ordinal))];
        Assert.Equal(13, progressLines.Length);
        Assert.StartsWith("iteration  1/60  epoch 1/2  loss ", progressLines[0], StringComparison.Ordinal);
        Assert.StartsWith("iteration 60/60  epoch 2/2  loss ", progressLines[^1], StringComparison.Ordinal);
        Assert.Contains("full-data loss", progressLines[^1], StringComparison.Ordinal);

        string[] lines = File.ReadAllLines(Path.Combine(output, TrainRunner.LossFileName));
        Assert.Equal(TrainRunner.LossHeader, lines[0]);
        Assert.Equal(61, lines.Length);
        string[] header = lines[0].Split(',');
        string[][] rows = [.. lines.Skip(1).Select(line => line.Split(','))];
        Assert.All(rows, row => Assert.Equal(header.Length, row.Length));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(row => row[0]));
        Assert.Equal("1", rows[29][1]);
        Assert.Equal("2", rows[30][1]);
        double[] losses = [.. rows.Select(row => Number(row[Array.IndexOf(header, "loss")]))];
        Assert.All(losses, loss => Assert.True(double.IsFinite(loss) && loss > 0));
        Assert.True(losses[40..].Average() < losses[..20].Average(), $"batch loss {losses[..20].Average()} → {losses[40..].Average()}");
        Assert.All(rows, row => Assert.True(long.Parse(row[Array.IndexOf(header, "function_evaluations")], CultureInfo.InvariantCulture) > 0));
        double[] learningRates = [.. rows.Select(row => Number(row[Array.IndexOf(header, "learning_rate")]))];
        Assert.Equal(1e-2, learningRates[0]);
        Assert.True(learningRates[^1] < 2e-4);
        double[] fullLosses = [.. rows.Select(row => row[^1]).Where(value => value.Length > 0).Select(Number)];
        Assert.Equal(12, fullLosses.Length);  // every 5th iteration
        Assert.True(fullLosses[^1] < fullLosses[0], $"full-data loss {fullLosses[0]} → {fullLosses[^1]}");

        Sequential network = Sequential.Load(Path.Combine(output, TrainRunner.ParametersFileName));
        Assert.Equal([2, 16, 2], network.LayerSizes);
        Assert.Equal(["tanh", "identity"], network.Activations);

        XDocument plot = XDocument.Load(Path.Combine(output, TrainRunner.PlotFileName));
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(svg + "svg", plot.Root!.Name);
        string[] texts = [.. plot.Descendants(svg + "text").Select(text => text.Value)];
        Assert.Contains("phase plane", texts);
        Assert.Contains("loss (log scale)", texts);
        Assert.Contains(texts, text => text.StartsWith("rewind train: lotka-volterra", StringComparison.Ordinal));
        // Per series: ground truth and model in the phase plane; per component: the same against time; the loss curve.
        Assert.True(plot.Descendants(svg + "polyline").Count() >= (2 * 8) + (2 * 2) + 2);
    }

    [Fact]
    public async Task JsonSummaryHasTheDocumentedFields()
    {
        string output = Path.Combine(root, "json");
        CliRun run = await CliRun.RunAsync(["train", .. Tiny, "--out", output, "--json"]);

        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement report = document.RootElement;
        Assert.Equal(
            ["dataset", "datasetDescription", "network", "parameterCount", "method", "solver", "checkpointing", "loss", "optimizer",
             "epochs", "iterationsPerEpoch", "iterations", "completedIterations", "batchSize", "seed", "status", "firstLoss",
             "finalLoss", "initialFullDataLoss", "finalFullDataLoss", "seconds", "iterationsPerSecond", "statistics", "outputs"],
            report.EnumerateObject().Select(property => property.Name));
        Assert.Equal("lotka-volterra", report.GetProperty("dataset").GetString());
        Assert.Equal("dopri5", report.GetProperty("method").GetString());
        Assert.Equal("store-all", report.GetProperty("checkpointing").GetString());
        Assert.Equal("mse", report.GetProperty("loss").GetString());
        Assert.Equal((2 * 16) + 16 + (16 * 2) + 2, report.GetProperty("parameterCount").GetInt32());
        Assert.Equal(60, report.GetProperty("iterations").GetInt32());
        Assert.Equal(60, report.GetProperty("completedIterations").GetInt32());
        Assert.Equal("completed", report.GetProperty("status").GetString());
        Assert.True(report.GetProperty("seconds").GetDouble() > 0);
        double before = report.GetProperty("initialFullDataLoss").GetDouble();
        double after = report.GetProperty("finalFullDataLoss").GetDouble();
        Assert.True(after < before / 5, $"full-data loss {before} → {after}");
        Assert.True(report.GetProperty("statistics").GetProperty("vjps").GetInt64() > 0);
        JsonElement outputs = report.GetProperty("outputs");
        Assert.Equal(Path.GetFullPath(output), outputs.GetProperty("directory").GetString());
        Assert.All(["lossCsv", "parameters", "plot"], name => Assert.True(File.Exists(outputs.GetProperty(name).GetString())));
        // The progress lines go to stderr, so that stdout is the JSON document alone.
        Assert.StartsWith("iteration  1/60", run.Error, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> CheckpointedRuns => new()
    {
        { ["--adjoint", "binomial", "--checkpoints", "2"], "binomial(2)" },
        { ["-c", "3"], "binomial(3)" },
        { ["--adjoint", "online-binomial"], "online-binomial(8)" },
        { ["--adjoint", "solution-only"], "solution-only" },
    };

    [Theory]
    [MemberData(nameof(CheckpointedRuns))]
    public async Task EveryGradientModeTrainsTheSameBitForBit(string[] adjointOptions, string policy)
    {
        string[] settings = ["--hidden", "8", "--epochs", "1", "--iterations-per-epoch", "8", "--batch", "4", "--json"];
        CliRun storeAll = await CliRun.RunAsync(["train", .. settings, "--out", Path.Combine(root, "store-all")]);
        CliRun checkpointed = await CliRun.RunAsync(["train", .. settings, .. adjointOptions, "--out", Path.Combine(root, "checkpointed")]);

        Assert.True(checkpointed.ExitCode == 0, checkpointed.Error);
        using JsonDocument report = JsonDocument.Parse(checkpointed.Output);
        Assert.Equal(policy, report.RootElement.GetProperty("checkpointing").GetString());
        string[] storeAllRows = File.ReadAllLines(Path.Combine(root, "store-all", TrainRunner.LossFileName));
        string[] rows = File.ReadAllLines(Path.Combine(root, "checkpointed", TrainRunner.LossFileName));
        // Same gradients, so the same parameters and losses at every iteration; only the trajectory's bookkeeping differs.
        Assert.Equal(storeAllRows.Select(row => row.Split(',')[2]), rows.Select(row => row.Split(',')[2]));
        Assert.Equal(storeAllRows.Select(row => row.Split(',')[3]), rows.Select(row => row.Split(',')[3]));
        Assert.True(long.Parse(rows[^1].Split(',')[11], CultureInfo.InvariantCulture) > 0, "recomputed steps");
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(root, "store-all", TrainRunner.ParametersFileName), TestContext.Current.CancellationToken),
            await File.ReadAllBytesAsync(Path.Combine(root, "checkpointed", TrainRunner.ParametersFileName), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OtherNetworksMethodsAndLossesTrain()
    {
        string output = Path.Combine(root, "other");
        CliRun run = await CliRun.RunAsync(
            "train", "--dataset", "oscillators", "--batch", "2", "--epochs", "1", "--iterations-per-epoch", "4", "--hidden", "6",
            "--layers", "2", "--activation", "softplus", "--method", "rk4", "--dt", "0.1", "--loss", "l1", "--lr", "3e-3",
            "--noise", "0.01", "--seed", "3", "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Sequential(Linear 2→6, Softplus, Linear 6→6, Softplus, Linear 6→2)", run.Output, StringComparison.Ordinal);
        Assert.Contains("rk4, fixed step 0.1", run.Output, StringComparison.Ordinal);
        Assert.Contains("batches of 2 series, loss l1", run.Output, StringComparison.Ordinal);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(output, TrainRunner.LossFileName)).Length);
        XDocument plot = XDocument.Load(Path.Combine(output, TrainRunner.PlotFileName));
        Assert.Contains(plot.Descendants().Select(element => element.Value), text => text == "phase plane (first 8 of 50 series)");
    }

    public static TheoryData<string[], string> RejectedOptions => new()
    {
        { ["--dataset", "moons"], "--dataset: 'moons' is not one of spiral, lotka-volterra, oscillators." },
        { ["--epochs", "-3"], "--epochs must be at least 1." },
        { ["--epochs", "0"], "--epochs must be at least 1." },
        { ["--epochs", "two"], "--epochs: 'two' is not a whole number." },
        { ["--batch", "0"], "--batch must be at least 1." },
        { ["--batch", "5000"], "--batch 5000 is more than the 991 windows of spiral." },
        { ["--hidden", "-1"], "--hidden must be at least 1." },
        { ["--lr", "0"], "--lr must be positive and finite; got 0." },
        { ["--rtol", "-1e-6"], "--rtol must be positive and finite" },
        { ["--noise", "-0.1"], "--noise must be finite and not negative" },
        { ["--method", "nope"], "Unknown method 'nope'" },
        { ["--theta", "0.6"], "Theta applies to the method 'theta' only; this solver's method is 'dopri5'." },
        { ["--method", "theta", "--theta", "1.5"], "Theta must be in (0, 1]." },
        { ["--adjoint", "multilevel"], "--adjoint: 'multilevel' is not one of store-all, solution-only, binomial, online-binomial." },
        { ["--adjoint", "store-all", "--checkpoints", "4"], "--checkpoints applies to --adjoint binomial and online-binomial" },
        { ["--checkpoints", "0"], "--checkpoints must be at least 1." },
        { ["--activation", "swish"], "--activation: 'swish' is not one of tanh" },
        { ["--loss", "huber"], "--loss: 'huber' is not one of mse, l1." },
    };

    [Theory]
    [MemberData(nameof(RejectedOptions))]
    public async Task BadOptionsAreRejectedBeforeTraining(string[] options, string message)
    {
        string output = Path.Combine(root, "rejected");
        CliRun run = await CliRun.RunAsync(["train", .. options, "--out", output]);

        run.AssertRejected();
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("--linear-solver", "dense")]  // solve's options are not train's
    [InlineData("--problem", "lotka-volterra")]
    [InlineData("lotka-volterra", "--json")]  // nor is its problem argument
    public async Task OptionsOfOtherCommandsAreRejected(string first, string second)
    {
        CliRun run = await CliRun.RunAsync("train", first, second, "--out", Path.Combine(root, "rejected"));

        // System.CommandLine writes its typo suggestions (here a blank line) to stdout.
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"Unrecognized command or argument '{first}'.", run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "rejected")));
    }

    [Fact]
    public async Task DivergenceExitsWithTwoNamingTheEpochAndIterationAndKeepsTheFiles()
    {
        string output = Path.Combine(root, "diverged");
        // A learning rate of 1e300 makes the weights astronomically large after the first step: the next solve overflows.
        CliRun run = await CliRun.RunAsync(
            "train", "--lr", "1e300", "--method", "rk4", "--dt", "0.05", "--hidden", "4", "--epochs", "1",
            "--iterations-per-epoch", "5", "--out", output);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: Training diverged at epoch 1, iteration 2 of 5", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Contains("diverged after 1 of 5 iterations", run.Output, StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(output, TrainRunner.LossFileName)).Length);
        _ = XDocument.Load(Path.Combine(output, TrainRunner.PlotFileName));
        _ = Sequential.Load(Path.Combine(output, TrainRunner.ParametersFileName));
    }

    [Fact]
    public async Task CancellationStopsTheFitAndKeepsTheFiles()
    {
        string output = Path.Combine(root, "canceled");
        using var source = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        source.CancelAfter(TimeSpan.FromMilliseconds(300));
        CliRun run = await CliRun.RunUntilAsync(source.Token, "train", "--hidden", "4", "--epochs", "100000", "--out", output);

        Assert.Equal(RewindCommandLine.CanceledExitCode, run.ExitCode);
        Assert.Contains("Training was canceled after", run.Error, StringComparison.Ordinal);
        Assert.True(File.ReadAllLines(Path.Combine(output, TrainRunner.LossFileName)).Length > 1);
        _ = XDocument.Load(Path.Combine(output, TrainRunner.PlotFileName));
    }

    [Fact]
    public async Task AnOutputFolderThatCannotBeCreatedIsAFailure()
    {
        string file = Path.Combine(root, "a-file");
        await File.WriteAllTextAsync(file, "", TestContext.Current.CancellationToken);
        CliRun run = await CliRun.RunAsync("train", "--epochs", "1", "--out", Path.Combine(file, "out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error: cannot write the output folder", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(20, 1)]
    [InlineData(30, 2)]
    [InlineData(60, 5)]
    [InlineData(300, 20)]
    [InlineData(1_500, 100)]
    [InlineData(7_400, 500)]
    [InlineData(20_000, 1_000)]
    public void ReportIntervalIsAboutATwentiethOfTheRun(int iterations, int interval) =>
        Assert.Equal(interval, TrainingDisplay.NiceInterval(iterations));

    [Fact]
    public void PlotWithoutModelOrIterationsIsStillWellFormed()
    {
        string path = Path.Combine(root, "empty.svg");
        FitPlot.Write(path, new FitPlot.Content("title <&>", "subtitle", Datasets.Spiral(points: 50), null, "the solve failed (x < y & z)", []));

        XDocument plot = XDocument.Load(path);
        Assert.Contains(plot.Descendants().Select(element => element.Value), text => text == "model: the solve failed (x < y & z)");
    }

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
