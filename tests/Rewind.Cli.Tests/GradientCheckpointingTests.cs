using System.Text.Json;
using Xunit;

namespace RewindTests.Cli;

public sealed class GradientCheckpointingTests
{
    public static TheoryData<string, string[], string[], string> CheckpointedRuns => new()
    {
        { "lotka-volterra", ["--method", "rk4", "--dt", "0.01"], ["--checkpoints", "4"], "binomial(4)" },
        { "lotka-volterra", ["--method", "rk4", "--dt", "0.01"], ["--checkpoints", "1"], "binomial(1)" },
        { "kepler", ["--method", "rk4", "--dt", "0.01"], ["--checkpoints", "4", "--online"], "online-binomial(4)" },
        { "van-der-pol", ["--method", "dopri5"], ["-c", "3"], "binomial(3)" },
        { "linear", ["--method", "tsit5"], ["-c", "3", "--online"], "online-binomial(3)" },
    };

    [Theory]
    [MemberData(nameof(CheckpointedRuns))]
    public async Task CheckpointedGradientEqualsTheStoreAllGradientExactly(string problemName, string[] solverOptions,
                                                                           string[] checkpointOptions, string policy)
    {
        using JsonDocument storeAll = await GradientJsonAsync([problemName, .. solverOptions]);
        using JsonDocument checkpointed = await GradientJsonAsync([problemName, .. solverOptions, .. checkpointOptions]);

        Assert.Equal(policy, checkpointed.RootElement.GetProperty("checkpointing").GetString());
        AssertSameSolutionAndGradient(storeAll.RootElement, checkpointed.RootElement);
        JsonElement storeAllStatistics = storeAll.RootElement.GetProperty("statistics");
        JsonElement statistics = checkpointed.RootElement.GetProperty("statistics");
        Assert.Equal(0, storeAllStatistics.GetProperty("recomputedSteps").GetInt64());
        Assert.True(statistics.GetProperty("recomputedSteps").GetInt64() > 0);
        Assert.True(statistics.GetProperty("peakBytesKept").GetInt64() < storeAllStatistics.GetProperty("peakBytesKept").GetInt64());
        Assert.Equal(0, statistics.GetProperty("peakDiskBytesKept").GetInt64());
    }

    [Fact]
    public async Task MultilevelGradientEqualsTheStoreAllGradientAndLeavesNoFiles()
    {
        string directory = Directory.CreateTempSubdirectory("rewind-cli-multilevel-").FullName;
        try
        {
            string[] arguments = ["lotka-volterra", "--method", "rk4", "--dt", "0.01"];
            using JsonDocument storeAll = await GradientJsonAsync(arguments);
            using JsonDocument multilevel = await GradientJsonAsync(
                [.. arguments, "--checkpoints", "2", "--disk", "3", "--directory", directory]);

            Assert.StartsWith("multilevel(2 RAM + 3 disk", multilevel.RootElement.GetProperty("checkpointing").GetString(),
                              StringComparison.Ordinal);
            AssertSameSolutionAndGradient(storeAll.RootElement, multilevel.RootElement);
            Assert.True(multilevel.RootElement.GetProperty("statistics").GetProperty("peakDiskBytesKept").GetInt64() > 0);
            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task TextGradientNamesThePolicyAndCountsRecomputedSteps()
    {
        CliRun run = await CliRun.RunAsync("gradient", "lotka-volterra", "--method", "rk4", "--dt", "0.01",
                                           "--checkpoints", "4");

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("checkpointing binomial(4)", lines);
        // N = 1000 steps, c = 4: r = 10 and r N - C(14, 5) = 7998.
        Assert.Contains(lines, line => line.StartsWith("statistics:", StringComparison.Ordinal)
                                       && line.Contains(" 7998 recomputed steps", StringComparison.Ordinal));
    }

    public static TheoryData<string> InvalidCheckpointOptions => new()
    {
        "--checkpoints 0",
        "--online",
        "--checkpoints 2 --disk 3",
        "--checkpoints 2 --directory .",
        "--disk 3 --directory .",
        "--checkpoints 2 --disk 0 --directory .",
        "--checkpoints 2 --online --disk 3 --directory .",
        "--checkpoints 2 --disk 3 --directory /no/such/directory",
    };

    [Theory]
    [MemberData(nameof(InvalidCheckpointOptions))]
    public async Task InvalidCheckpointOptionsAreReportedOnStderr(string checkpointOptions)
    {
        CliRun run = await CliRun.RunAsync(["gradient", "lotka-volterra", .. checkpointOptions.Split(' ')]);

        run.AssertRejected();
    }

    private static void AssertSameSolutionAndGradient(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.GetProperty("loss").GetDouble(), actual.GetProperty("loss").GetDouble());
        Assert.Equal(Numbers(expected.GetProperty("gradient").GetProperty("initialState")),
                     Numbers(actual.GetProperty("gradient").GetProperty("initialState")));
        Assert.Equal(Numbers(expected.GetProperty("gradient").GetProperty("parameters")),
                     Numbers(actual.GetProperty("gradient").GetProperty("parameters")));
        Assert.Equal(expected.GetProperty("states").EnumerateArray().SelectMany(Numbers),
                     actual.GetProperty("states").EnumerateArray().SelectMany(Numbers));
        Assert.Equal(expected.GetProperty("statistics").GetProperty("steps").GetInt64(),
                     actual.GetProperty("statistics").GetProperty("steps").GetInt64());
    }

    // Assert.Equal on doubles compares exactly: the policies must not change a single bit.
    private static double[] Numbers(JsonElement array) => [.. array.EnumerateArray().Select(value => value.GetDouble())];

    private static async Task<JsonDocument> GradientJsonAsync(string[] arguments)
    {
        CliRun run = await CliRun.RunAsync(["gradient", .. arguments, "--json"]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output);
    }
}
