using System.Text.Json;
using Xunit;

namespace RewindTests.Cli;

public sealed class PlanCommandTests
{
    public static TheoryData<long, int> StepsAndCheckpoints => new()
    {
        { 1000, 8 },
        { 10, 3 },
        { 100, 4 },
        { 1, 1 },
        { 7, 20 },
        { 5000, 2 },
    };

    [Theory]
    [MemberData(nameof(StepsAndCheckpoints))]
    public async Task BinomialPlanRecomputesTheGriewankWaltherMinimum(long steps, int checkpoints)
    {
        (long repetitions, long optimum) = GriewankWalther(steps, checkpoints);

        using JsonDocument plan = await PlanJsonAsync("--steps", $"{steps}", "--checkpoints", $"{checkpoints}");
        JsonElement root = plan.RootElement;

        Assert.Equal($"binomial({checkpoints})", root.GetProperty("policy").GetString());
        Assert.Equal(steps, root.GetProperty("steps").GetInt64());
        Assert.Equal(checkpoints, root.GetProperty("checkpoints").GetInt64());
        Assert.Equal(optimum, root.GetProperty("recomputedSteps").GetInt64());
        Assert.Equal(optimum, root.GetProperty("optimalRecomputedSteps").GetInt64());
        Assert.Equal(repetitions, root.GetProperty("repetitions").GetInt64());
        Assert.InRange(root.GetProperty("peakCheckpoints").GetInt64(), 1, checkpoints);
        Assert.Equal(1.0, root.GetProperty("ratioToOptimum").GetDouble());
    }

    [Fact]
    public async Task TextPlanPrintsRecomputationsOptimumAndPeakMemory()
    {
        CliRun run = await CliRun.RunAsync("plan", "--steps", "1000", "--checkpoints", "8");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Equal("binomial(8) for 1000 steps", lines[0]);
        Assert.Contains("recomputed steps     4285", lines);
        Assert.Contains(lines, line => line.StartsWith("optimum              4285 ", StringComparison.Ordinal)
                                       && line.EndsWith("r = 5)", StringComparison.Ordinal));
        Assert.Contains("peak memory          8 states + one step's stages", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("forward", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonHasTheDocumentedFieldsAndActionsOnlyWhenAsked()
    {
        using JsonDocument plan = await PlanJsonAsync("--steps", "10", "--checkpoints", "3");
        using JsonDocument planWithActions = await PlanJsonAsync("--steps", "10", "--checkpoints", "3", "--actions");

        string[] fields = ["policy", "steps", "checkpoints", "recomputedSteps", "optimalRecomputedSteps", "repetitions",
                           "peakCheckpoints", "ratioToOptimum"];
        Assert.Equal(fields, plan.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal([.. fields, "actions"], planWithActions.RootElement.EnumerateObject().Select(property => property.Name));
        JsonElement[] actions = [.. planWithActions.RootElement.GetProperty("actions").EnumerateArray()];
        Assert.Equal("store", actions[0].GetProperty("kind").GetString());
        Assert.Equal(0, actions[0].GetProperty("step").GetInt64());
        // The reverse pass reverses every step once, last to first.
        long[] reversed = [.. actions.Where(action => action.GetProperty("kind").GetString() == "reverse")
                                     .Select(action => action.GetProperty("step").GetInt64())];
        Assert.Equal([9, 8, 7, 6, 5, 4, 3, 2, 1, 0], reversed);
        long advanced = actions.Where(action => action.GetProperty("kind").GetString() == "advance")
                               .Sum(action => action.GetProperty("to").GetInt64() - action.GetProperty("step").GetInt64());
        long stagesRecomputed = actions.Count(action => action.GetProperty("recomputesStages").GetBoolean());
        Assert.Equal(planWithActions.RootElement.GetProperty("recomputedSteps").GetInt64(), advanced + stagesRecomputed);
    }

    [Fact]
    public async Task ActionsPrintTheScheduleOneActionPerLine()
    {
        CliRun run = await CliRun.RunAsync("plan", "--steps", "10", "--checkpoints", "3", "--actions");

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("store 0", lines);
        Assert.Contains("forward 0..4", lines);
        Assert.Equal(10, lines.Count(line => line.StartsWith("reverse ", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(StepsAndCheckpoints))]
    public async Task OnlinePlanStaysWithinTheBudgetAndReportsItsRatioToTheOfflineOptimum(long steps, int checkpoints)
    {
        (_, long optimum) = GriewankWalther(steps, checkpoints);

        using JsonDocument plan = await PlanJsonAsync("--steps", $"{steps}", "--checkpoints", $"{checkpoints}", "--online");
        JsonElement root = plan.RootElement;

        Assert.Equal($"online-binomial({checkpoints})", root.GetProperty("policy").GetString());
        long recomputed = root.GetProperty("recomputedSteps").GetInt64();
        Assert.Equal(optimum, root.GetProperty("optimalRecomputedSteps").GetInt64());
        Assert.True(recomputed >= optimum, $"online {recomputed} < optimum {optimum}");
        double ratio = root.GetProperty("ratioToOptimum").GetDouble();
        Assert.True(ratio >= 1.0, $"ratio {ratio}");
        Assert.Equal(optimum == 0 ? 1.0 : (double)recomputed / optimum, ratio);
        Assert.InRange(root.GetProperty("peakCheckpoints").GetInt64(), 1, checkpoints);
    }

    [Fact]
    public async Task OnlineTextPlanPrintsTheRatioToTheOptimum()
    {
        CliRun run = await CliRun.RunAsync("plan", "--steps", "1000", "--checkpoints", "8", "--online");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("online-binomial(8) for 1000 steps", run.Output, StringComparison.Ordinal);
        Assert.Contains("ratio to optimum", run.Output, StringComparison.Ordinal);
    }

    public static TheoryData<string> InvalidArguments => new()
    {
        "--steps 0 --checkpoints 8",
        "--steps -5 --checkpoints 8",
        "--steps 100 --checkpoints 0",
        "--steps 100",
        "--checkpoints 8",
        "--steps many --checkpoints 8",
    };

    [Theory]
    [MemberData(nameof(InvalidArguments))]
    public async Task InvalidStepsOrCheckpointsAreReportedOnStderr(string arguments)
    {
        CliRun run = await CliRun.RunAsync(["plan", .. arguments.Split(' ')]);

        run.AssertRejected();
    }

    [Fact]
    public async Task CheckpointsBelowOneAreNamedInTheError()
    {
        CliRun run = await CliRun.RunAsync("plan", "--steps", "100", "--checkpoints", "0");

        Assert.Contains("--checkpoints must be at least 1", run.Error, StringComparison.Ordinal);
    }

    /// <summary>The repetition number r (smallest with C(c + r, c) ≥ N) and the minimum r N − C(c + r, c + 1).</summary>
    private static (long Repetitions, long Optimum) GriewankWalther(long steps, int checkpoints)
    {
        long repetitions = 0;
        while (Binomial(checkpoints + repetitions, checkpoints) < steps)
        {
            repetitions++;
        }
        return (repetitions, (repetitions * steps) - Binomial(checkpoints + repetitions, checkpoints + 1));
    }

    private static long Binomial(long n, long k)
    {
        if (k > n)
        {
            return 0;
        }
        long result = 1;
        for (long i = 1; i <= Math.Min(k, n - k); i++)
        {
            result = result * (n - Math.Min(k, n - k) + i) / i;
        }
        return result;
    }

    private static async Task<JsonDocument> PlanJsonAsync(params string[] arguments)
    {
        CliRun run = await CliRun.RunAsync(["plan", .. arguments, "--json"]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output);
    }
}
