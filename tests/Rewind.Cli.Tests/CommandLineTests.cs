using System.Globalization;
using System.Text.Json;
using Rewind.Cli.Problems;
using Xunit;

namespace RewindTests.Cli;

public sealed class CommandLineTests
{
    [Fact]
    public async Task SolvePrintsATableWithOneRowPerOutputTime()
    {
        CliRun run = await CliRun.RunAsync("solve", "lotka-volterra");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        int header = Array.FindIndex(lines, line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                                                        .SequenceEqual(["t", "prey", "predator"]));
        Assert.True(header >= 0, run.Output);
        string[][] rows = [.. lines.Skip(header + 1).Take(11).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        Assert.All(rows, row => Assert.Equal(3, row.Length));
        Assert.Equal(["0", "1", "1"], rows[0]);
        Assert.Equal("10", rows[^1][0]);
        Assert.StartsWith("statistics:", lines[header + 12], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SolveJsonHasTheDocumentedFields()
    {
        CliRun run = await CliRun.RunAsync("solve", "kepler", "--json");

        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(["problem", "method", "times", "states", "statistics"],
                     root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("kepler", root.GetProperty("problem").GetString());
        Assert.Equal("dopri5", root.GetProperty("method").GetString());
        Assert.Equal(11, root.GetProperty("times").GetArrayLength());
        Assert.Equal(5.0, root.GetProperty("times")[10].GetDouble());
        JsonElement states = root.GetProperty("states");
        Assert.Equal(11, states.GetArrayLength());
        Assert.All(states.EnumerateArray(), state => Assert.Equal(4, state.GetArrayLength()));
        Assert.Equal([0.4, 0.0, 0.0, 2.0], states[0].EnumerateArray().Select(value => value.GetDouble()));
        JsonElement statistics = root.GetProperty("statistics");
        Assert.True(statistics.GetProperty("steps").GetInt64() > 0);
        Assert.True(statistics.GetProperty("functionEvaluations").GetInt64() > 0);
        Assert.Equal(0, statistics.GetProperty("vjps").GetInt64());
    }

    [Fact]
    public async Task GradientJsonAddsLossAndGradient()
    {
        CliRun run = await CliRun.RunAsync("gradient", "lotka-volterra", "--json");

        Assert.Equal(0, run.ExitCode);
        using JsonDocument document = JsonDocument.Parse(run.Output);
        JsonElement root = document.RootElement;
        Assert.Equal(["problem", "method", "checkpointing", "times", "states", "loss", "gradient", "statistics"],
                     root.EnumerateObject().Select(property => property.Name));
        Assert.Equal("store-all", root.GetProperty("checkpointing").GetString());
        Assert.True(root.GetProperty("loss").GetDouble() > 0);
        Assert.Equal(2, root.GetProperty("gradient").GetProperty("initialState").GetArrayLength());
        Assert.Equal(4, root.GetProperty("gradient").GetProperty("parameters").GetArrayLength());
        Assert.True(root.GetProperty("statistics").GetProperty("vjps").GetInt64() > 0);
    }

    public static TheoryData<string, string[]> GradientSettings => new()
    {
        { "lotka-volterra", ["--method", "rk4", "--dt", "0.01"] },
        { "van-der-pol", ["--method", "rk4", "--dt", "0.01"] },
        { "linear", ["--method", "rk4", "--dt", "0.01"] },
        { "kepler", ["--method", "rk4", "--dt", "0.01"] },
        { "lotka-volterra", ["--method", "dopri5", "--rtol", "1e-10", "--atol", "1e-12"] },
    };

    [Theory]
    [MemberData(nameof(GradientSettings))]
    public async Task GradientMatchesCentralFiniteDifferencesOfTheLoss(string problemName, string[] solverOptions)
    {
        Assert.True(ProblemRegistry.TryGet(problemName, out BuiltInProblem? problem));
        double[] initialState = [.. problem.InitialState];
        double[] parameters = [.. problem.Parameters];
        using JsonDocument gradientRun = await RunJsonAsync("gradient", problemName, solverOptions, initialState, parameters);
        JsonElement gradient = gradientRun.RootElement.GetProperty("gradient");
        double[] expected = [.. gradient.GetProperty("initialState").EnumerateArray().Select(value => value.GetDouble()),
                             .. gradient.GetProperty("parameters").EnumerateArray().Select(value => value.GetDouble())];

        for (int k = 0; k < expected.Length; k++)
        {
            double[] inputs = k < initialState.Length ? initialState : parameters;
            int index = k < initialState.Length ? k : k - initialState.Length;
            double original = inputs[index];
            double step = 1e-6 * Math.Max(1.0, Math.Abs(original));
            inputs[index] = original + step;
            double lossPlus = await LossAsync(problemName, solverOptions, initialState, parameters);
            inputs[index] = original - step;
            double lossMinus = await LossAsync(problemName, solverOptions, initialState, parameters);
            inputs[index] = original;

            double finiteDifference = (lossPlus - lossMinus) / (2 * step);
            Assert.True(Math.Abs(finiteDifference - expected[k]) <= 1e-5 * Math.Max(1.0, Math.Abs(expected[k])),
                        $"{problemName} input {k}: adjoint {expected[k]:R}, finite difference {finiteDifference:R}");
        }
    }

    [Fact]
    public async Task UnknownProblemIsReportedOnStderrWithoutAStackTrace()
    {
        CliRun run = await CliRun.RunAsync("gradient", "no-such-problem");

        run.AssertRejected();
        Assert.Contains("no-such-problem", run.Error, StringComparison.Ordinal);
        Assert.Contains("lotka-volterra", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethodIsReportedOnStderrWithoutAStackTrace()
    {
        CliRun run = await CliRun.RunAsync("solve", "linear", "--method", "no-such-method");

        run.AssertRejected();
        Assert.Contains("no-such-method", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitialStateOfTheWrongSizeIsReportedOnStderr()
    {
        CliRun run = await CliRun.RunAsync("solve", "linear", "--y0", "1", "2");

        run.AssertRejected();
        Assert.StartsWith("error:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProblemsListsEveryBuiltInProblem()
    {
        CliRun run = await CliRun.RunAsync("problems");

        Assert.Equal(0, run.ExitCode);
        Assert.All(ProblemRegistry.Names, name => Assert.Contains(name, run.Output, StringComparison.Ordinal));
    }

    private static async Task<double> LossAsync(string problemName, string[] solverOptions, double[] initialState,
                                                double[] parameters)
    {
        using JsonDocument run = await RunJsonAsync("gradient", problemName, solverOptions, initialState, parameters);
        return run.RootElement.GetProperty("loss").GetDouble();
    }

    private static async Task<JsonDocument> RunJsonAsync(string command, string problemName, string[] solverOptions,
                                                         double[] initialState, double[] parameters)
    {
        CliRun run = await CliRun.RunAsync([command, problemName, .. solverOptions, "--json",
                                            "--y0", Numbers(initialState), "--parameters", Numbers(parameters)]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output);
    }

    private static string Numbers(double[] values) =>
        string.Join(',', values.Select(value => value.ToString("R", CultureInfo.InvariantCulture)));
}
