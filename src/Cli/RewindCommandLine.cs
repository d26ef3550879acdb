using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Checkpointing;
using Rewind.Cli.Problems;
using Rewind.Integrators;
using Rewind.Interop;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Cli;

/// <summary>The <c>rewind</c> command tree: solve, gradient, plan, problems and train.</summary>
internal static class RewindCommandLine
{
    /// <summary>Exit code of a run whose input was wrong: a parse error, an unknown name, an invalid value.</summary>
    public const int InvalidInputExitCode = 1;

    /// <summary>
    /// Exit code of a solve that failed: step size underflow, step limit, non-finite values, checkpoint files that
    /// could not be written; for <c>train</c> also a fit that diverged or an output folder that cannot be written.
    /// </summary>
    public const int SolverFailureExitCode = 2;

    /// <summary>Exit code of a training run that was canceled (Ctrl+C); its files hold the iterations done.</summary>
    public const int CanceledExitCode = 130;

    /// <summary>Parses <paramref name="args"/>, runs the command and writes to the given writers.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error,
                                     CancellationToken cancellationToken = default)
    {
        ParseResult parseResult = CreateRootCommand().Parse(args);
        if (parseResult.Action is ParseErrorAction parseErrorAction)
        {
            // The error names what was wrong; help on stdout would only bury it.
            parseErrorAction.ShowHelp = false;
        }
        // Ctrl+C and SIGTERM cancel the token and leave an action this long to stop: train then writes its files.
        var configuration = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(5),
        };
        return parseResult.InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand CreateRootCommand() =>
        new("rewind: solve ODEs and compute exact discrete-adjoint gradients of the computed solution.")
        {
            CreateSolveCommand(),
            CreateGradientCommand(),
            CreatePlanCommand(),
            CreateProblemsCommand(),
            CreateTrainCommand(),
        };

    private static Command CreateSolveCommand()
    {
        var options = new SolveCommandOptions();
        var command = new Command("solve", "Solve a built-in problem and print the state at each output time.");
        options.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Execute(parseResult, options,
            (problem, solver, settings) =>
            {
                SolveReport report = ProblemRunner.Solve(problem, solver, settings, cancellationToken);
                TextWriter output = parseResult.InvocationConfiguration.Output;
                if (settings.Json)
                {
                    output.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.SolveReport));
                }
                else
                {
                    TextReports.WriteSolve(output, problem, solver, report);
                }
            })));
        return command;
    }

    private static Command CreateGradientCommand()
    {
        var options = new SolveCommandOptions();
        var checkpointOptions = new CheckpointCommandOptions();
        var command = new Command("gradient",
            "Solve a built-in problem and print the gradient of its default loss with respect to y0 and the parameters.");
        options.AddTo(command);
        checkpointOptions.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Execute(parseResult, options,
            (problem, solver, settings) =>
            {
                CheckpointPolicy checkpointing = checkpointOptions.Read(parseResult);
                GradientReport report = ProblemRunner.Gradient(problem, solver, settings, checkpointing,
                                                               cancellationToken);
                TextWriter output = parseResult.InvocationConfiguration.Output;
                if (settings.Json)
                {
                    output.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.GradientReport));
                }
                else
                {
                    TextReports.WriteGradient(output, problem, solver, settings, report);
                }
            })));
        return command;
    }

    private static Command CreatePlanCommand()
    {
        var options = new PlanCommandOptions();
        var command = new Command("plan",
            "Print the binomial checkpoint schedule for N steps and c checkpoints: its recomputed steps, peak memory, " +
            "and the Griewank-Walther optimum.");
        options.AddTo(command);
        command.SetAction(parseResult =>
        {
            PlanSettings settings = options.Read(parseResult);
            CheckpointPolicy policy = settings.Online
                ? CheckpointPolicies.OnlineBinomial(settings.Checkpoints)
                : CheckpointPolicies.Binomial(settings.Checkpoints);
            CheckpointSchedule schedule = policy.Plan(settings.Steps);
            var report = PlanReport.Of(policy, schedule, settings.Actions);
            TextWriter output = parseResult.InvocationConfiguration.Output;
            if (settings.Json)
            {
                output.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.PlanReport));
            }
            else
            {
                TextReports.WritePlan(output, report, schedule);
            }
        });
        return command;
    }

    private static Command CreateTrainCommand()
    {
        var options = new TrainCommandOptions();
        var command = new Command("train",
            "Train a neural ODE on an embedded dataset with exact discrete-adjoint gradients; writes loss.csv, " +
            "parameters.rwnn and fit.svg into the output folder.");
        options.AddTo(command);
        // On a pool thread: System.CommandLine hooks SIGINT and SIGTERM (cancelling the token, then waiting for the
        // action to end) only once the action has returned its task, which a synchronous action never does early.
        command.SetAction((parseResult, cancellationToken) =>
            Task.Run(() => Train(parseResult, options, cancellationToken), CancellationToken.None));
        return command;
    }

    private static int Train(ParseResult parseResult, TrainCommandOptions options, CancellationToken cancellationToken)
    {
        TextWriter output = parseResult.InvocationConfiguration.Output;
        TextWriter error = parseResult.InvocationConfiguration.Error;
        TrainSettings settings = options.Read(parseResult);
        // Information, not Debug: the fit logs every iteration at Debug and the solver every solve.
        ILogger logger = settings.Verbose ? new TextWriterLogger(error, LogLevel.Information) : NullLogger.Instance;
        TrainRunner runner;
        try
        {
            runner = new TrainRunner(settings, logger);
        }
        catch (ArgumentException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return InvalidInputExitCode;
        }
        try
        {
            runner.PrepareOutput();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: cannot write the output folder {runner.OutputDirectory}: {exception.Message}");
            return SolverFailureExitCode;
        }

        // With --json stdout carries the JSON document alone; the progress goes to stderr. A live bar only on a
        // terminal, and not next to --verbose's log lines.
        TextWriter progressWriter = settings.Json ? error : output;
        var display = TrainingDisplay.Create(progressWriter, plain: settings.NoProgress || settings.Verbose, runner.Iterations);
        if (!settings.Json)
        {
            TextReports.WriteTrainHeader(output, runner, settings);
        }
        TrainReport report;
        try
        {
            report = runner.Run(display, cancellationToken);
        }
        catch (ArgumentException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return InvalidInputExitCode;
        }
        catch (Exception exception) when (exception is RewindException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: training failed: {exception.Message}");
            return SolverFailureExitCode;
        }
        if (settings.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.TrainReport));
        }
        else
        {
            TextReports.WriteTrainSummary(output, report);
        }
        switch (report.Status)
        {
            case "diverged":
                error.WriteLine($"error: {report.Failure} The files hold the iterations before it.");
                return SolverFailureExitCode;
            case "canceled":
                error.WriteLine(report.Failure);
                return CanceledExitCode;
            default:
                return 0;
        }
    }

    private static Command CreateProblemsCommand()
    {
        var command = new Command("problems", "List the built-in problems with their defaults and loss.");
        command.SetAction(parseResult => TextReports.WriteProblems(parseResult.InvocationConfiguration.Output));
        return command;
    }

    /// <summary>
    /// Resolves the problem and solver of a solve or gradient command and runs <paramref name="run"/>, turning the
    /// errors a user can cause into a message on stderr and an exit code instead of a stack trace.
    /// </summary>
    private static int Execute(ParseResult parseResult, SolveCommandOptions options,
                               Action<BuiltInProblem, Solver, SolveSettings> run)
    {
        TextWriter error = parseResult.InvocationConfiguration.Error;
        SolveSettings settings = options.Read(parseResult);
        if (!ProblemRegistry.TryGet(settings.ProblemName, out BuiltInProblem? problem))
        {
            error.WriteLine(UnknownProblemMessage(settings.ProblemName));
            return InvalidInputExitCode;
        }
        ILogger logger = settings.Verbose ? new TextWriterLogger(error, LogLevel.Debug) : NullLogger.Instance;
        try
        {
            Solver solver = settings.CreateSolver(problem, logger);
            run(problem, solver, settings);
            return 0;
        }
        catch (ArgumentException exception)
        {
            error.WriteLine($"error: {exception.Message}");
            return InvalidInputExitCode;
        }
        // An IOException comes from multilevel checkpoint files: a directory that cannot be written, a full disk.
        catch (Exception exception) when (exception is RewindException or IOException)
        {
            error.WriteLine($"error: the solve failed: {exception.Message}");
            return SolverFailureExitCode;
        }
    }

    private static string UnknownProblemMessage(string name) =>
        $"error: unknown problem '{name}'. Built-in problems: {string.Join(", ", ProblemRegistry.Names)}.";
}
