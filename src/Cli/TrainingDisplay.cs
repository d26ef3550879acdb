using System.Diagnostics;
using System.Globalization;
using Rewind.Networks;
using Spectre.Console;

namespace Rewind.Cli;

/// <summary>
/// Shows a fit's progress: a live Spectre.Console progress bar (iteration, batch loss, full-data loss when evaluated,
/// iterations/s, percentage and remaining time; it fits in 80 columns) when the writer is an interactive ANSI terminal, else plain lines every <see cref="ReportInterval"/>
/// iterations (and after the first and the last), which is what CI logs, redirected output and tests get.
/// </summary>
internal abstract class TrainingDisplay
{
    private TrainingDisplay(int iterations)
    {
        Iterations = iterations;
        ReportInterval = NiceInterval(iterations);
    }

    /// <summary>The fit's iterations.</summary>
    public int Iterations { get; }

    /// <summary>Iterations between two plain lines (and between two evaluations on the full data): 1, 2 or 5 × 10^k, about a twentieth of the run.</summary>
    public int ReportInterval { get; }

    /// <summary>A live bar on <paramref name="writer"/> when it is an interactive ANSI terminal and <paramref name="plain"/> is false; else plain lines.</summary>
    public static TrainingDisplay Create(TextWriter writer, bool plain, int iterations)
    {
        if (!plain)
        {
            IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Detect,
            });
            if (console.Profile.Out.IsTerminal && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi)
            {
                return new LiveDisplay(console, iterations);
            }
        }
        return new LineDisplay(writer, iterations);
    }

    /// <summary>Runs <paramref name="fit"/> with a progress receiver that updates the display.</summary>
    public abstract T Run<T>(Func<IProgress<TrainingProgress>, T> fit);

    /// <summary>The smallest of 1, 2, 5, 10, 20, 50, … that is at least <paramref name="iterations"/>/20.</summary>
    public static int NiceInterval(int iterations)
    {
        double target = iterations / 20.0;
        long interval = 1;
        while (interval < target)
        {
            long next = interval.ToString(CultureInfo.InvariantCulture)[0] == '2' ? interval / 2 * 5 : interval * 2;
            interval = next;
        }
        return (int)Math.Min(interval, int.MaxValue);
    }

    /// <summary>One plain progress line, e.g. <c>iteration  1000/20000  epoch  20/400  loss 2.153e-02  full-data loss 1.2e+00  lr 9.94e-03  1187 it/s  0.8 s</c>.</summary>
    public static string DescribeLine(TrainingProgress progress)
    {
        int width = progress.Iterations.ToString(CultureInfo.InvariantCulture).Length;
        int epochWidth = progress.Epochs.ToString(CultureInfo.InvariantCulture).Length;
        string full = progress.EvaluationLoss is { } evaluation
            ? string.Create(CultureInfo.InvariantCulture, $"  full-data loss {evaluation:0.000e+00}")
            : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"iteration {progress.Iteration.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{progress.Iterations}  epoch {progress.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochWidth)}/{progress.Epochs}  loss {progress.Loss:0.000e+00}{full}  lr {progress.LearningRate:0.00e+00}  {progress.IterationsPerSecond:0} it/s  {progress.ElapsedSeconds:0.0} s");
    }

    private sealed class LineDisplay(TextWriter writer, int iterations) : TrainingDisplay(iterations)
    {
        public override T Run<T>(Func<IProgress<TrainingProgress>, T> fit) => fit(new Receiver(writer, ReportInterval));

        private sealed class Receiver(TextWriter writer, int interval) : IProgress<TrainingProgress>
        {
            public void Report(TrainingProgress value)
            {
                if (value.Iteration == 1 || value.Iteration % interval == 0 || value.Iteration == value.Iterations)
                {
                    writer.WriteLine(DescribeLine(value));
                }
            }
        }
    }

    private sealed class LiveDisplay(IAnsiConsole console, int iterations) : TrainingDisplay(iterations)
    {
        // The description is rebuilt at most this often; Spectre redraws at its own rate.
        private const double DescriptionSeconds = 0.1;

        public override T Run<T>(Func<IProgress<TrainingProgress>, T> fit) =>
            console.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(
                    new TaskDescriptionColumn { Alignment = Justify.Left },
                    new ProgressBarColumn { Width = 20 },
                    new PercentageColumn(),
                    new RemainingTimeColumn())
                .Start(context =>
                {
                    ProgressTask task = context.AddTask(Describe(null), maxValue: Iterations);
                    return fit(new Receiver(this, task));
                });

        private string Describe(TrainingProgress? progress)
        {
            int width = Iterations.ToString(CultureInfo.InvariantCulture).Length;
            if (progress is null)
            {
                return Markup.Escape($"{"0".PadLeft(width)}/{Iterations} loss --------");
            }
            string full = progress.EvaluationLoss is { } evaluation
                ? string.Create(CultureInfo.InvariantCulture, $" full [blue]{evaluation:0.00e+00}[/]")
                : "";
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{progress.Iteration.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{Iterations} loss [green]{progress.Loss:0.00e+00}[/]{full} {progress.IterationsPerSecond,4:0} it/s");
        }

        private sealed class Receiver(LiveDisplay display, ProgressTask task) : IProgress<TrainingProgress>
        {
            private readonly Stopwatch _sinceDescription = Stopwatch.StartNew();
            private double? _lastEvaluation;

            public void Report(TrainingProgress value)
            {
                task.Value = value.Iteration;
                _lastEvaluation = value.EvaluationLoss ?? _lastEvaluation;
                if (value.Iteration == 1 || value.Iteration == value.Iterations || value.EvaluationLoss is not null
                    || _sinceDescription.Elapsed.TotalSeconds >= DescriptionSeconds)
                {
                    task.Description = display.Describe(value with { EvaluationLoss = _lastEvaluation });
                    _sinceDescription.Restart();
                }
            }
        }
    }
}
