using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Rewind.Checkpointing;
using Rewind.Integrators;
using CheckpointPolicies = Rewind.Checkpointing.Checkpointing;

namespace Rewind.Benchmarks;

/// <summary>
/// Process peak memory of a gradient under each checkpoint policy, against the number of steps. BenchmarkDotNet's
/// memory diagnoser sees only the managed heap, and the trajectory lives in librewind, so every configuration runs
/// in a fresh child process (this executable, <c>memory-child</c>) that reports its own peak resident set size
/// (VmHWM): a process's high-water mark never goes down, so runs must not share one.
/// </summary>
/// <remarks>
/// The problem is <see cref="CoupledDecay"/> with fixed-step Euler, which keeps one vector per step under store-all:
/// at a million components, 8 MB per step.
/// </remarks>
internal static class PeakMemoryHarness
{
    public const string Command = "memory";
    public const string ChildCommand = "memory-child";

    private const int DefaultDimension = 1_000_000;
    private const int Checkpoints = 8;
    private static readonly long[] DefaultSteps = [250, 500, 1000];
    private static readonly string[] Policies = ["store-all", "binomial", "online-binomial"];

    /// <summary>
    /// <c>memory [--dimension D] [N ...]</c>: runs every policy at every N in its own process and prints one table.
    /// </summary>
    public static int Run(IReadOnlyList<string> args)
    {
        (int dimension, long[] stepCounts) = ParseArguments(args);
        Console.WriteLine(Invariant(
            $"Gradient of sum(y(1)) for y' = -a y + b shift(y), {dimension} components, Euler with N fixed steps; c = {Checkpoints}."));
        Console.WriteLine("Each row is a fresh process; peak RSS is its VmHWM.");
        Console.WriteLine();

        var measurements = new List<MemoryMeasurement>();
        foreach (string policy in Policies)
        {
            foreach (long steps in stepCounts)
            {
                Console.Error.WriteLine(Invariant($"running {policy} with N = {steps} ..."));
                MemoryMeasurement? measurement = RunChild(policy, steps, dimension);
                if (measurement is not null)
                {
                    measurements.Add(measurement);
                }
            }
        }
        WriteTable(measurements);
        return measurements.Count == Policies.Length * stepCounts.Length ? 0 : 1;
    }

    /// <summary><c>memory-child POLICY N D</c>: one solve and gradient; prints its measurement as JSON.</summary>
    public static int RunChild(IReadOnlyList<string> args)
    {
        string policyName = args[0];
        long steps = long.Parse(args[1], CultureInfo.InvariantCulture);
        int dimension = int.Parse(args[2], CultureInfo.InvariantCulture);

        var problem = new OdeProblem(new CoupledDecay(dimension), Enumerable.Repeat(1.0, dimension).ToArray(),
                                     [1.0, 0.01], t0: 0.0, outputTimes: [1.0]);
        var solver = new Solver("euler", dt: 1.0 / steps);
        double[] lossGradient = Enumerable.Repeat(1.0, dimension).ToArray();

        var stopwatch = Stopwatch.StartNew();
        using Solution solution = solver.Solve(problem, Adjoint.Discrete(Policy(policyName)));
        Gradient gradient = solution.Backward([lossGradient]);
        stopwatch.Stop();

        var measurement = new MemoryMeasurement(policyName, gradient.Statistics.Steps, PeakResidentBytes(),
                                                gradient.Statistics.PeakBytesKept, gradient.Statistics.RecomputedSteps,
                                                stopwatch.Elapsed.TotalSeconds, gradient.Parameters[0]);
        Console.WriteLine(JsonSerializer.Serialize(measurement));
        return 0;
    }

    private static CheckpointPolicy Policy(string name) => name switch
    {
        "store-all" => CheckpointPolicies.StoreAll,
        "binomial" => CheckpointPolicies.Binomial(Checkpoints),
        "online-binomial" => CheckpointPolicies.OnlineBinomial(Checkpoints),
        _ => throw new ArgumentException($"Unknown policy '{name}'; expected one of {string.Join(", ", Policies)}.", nameof(name)),
    };

    private static (int Dimension, long[] Steps) ParseArguments(IReadOnlyList<string> args)
    {
        int dimension = DefaultDimension;
        var steps = new List<long>();
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] == "--dimension")
            {
                dimension = int.Parse(args[++i], CultureInfo.InvariantCulture);
            }
            else
            {
                steps.Add(long.Parse(args[i], CultureInfo.InvariantCulture));
            }
        }
        return (dimension, steps.Count > 0 ? [.. steps.Order()] : DefaultSteps);
    }

    /// <summary>Runs <c>memory-child</c> in a new process; null (with the reason on stderr) when it failed.</summary>
    private static MemoryMeasurement? RunChild(string policy, long steps, int dimension)
    {
        var startInfo = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        // Under 'dotnet Rewind.Benchmarks.dll' the process is the host, which needs the assembly to run.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            startInfo.ArgumentList.Add(typeof(PeakMemoryHarness).Assembly.Location);
        }
        string[] childArguments = [ChildCommand, policy, Invariant($"{steps}"), Invariant($"{dimension}")];
        foreach (string argument in childArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process child = Process.Start(startInfo)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            // 137 is the kernel's out-of-memory kill: store-all outgrew the machine.
            Console.Error.WriteLine(Invariant($"{policy} with N = {steps} failed with exit code {child.ExitCode}."));
            return null;
        }
        return JsonSerializer.Deserialize<MemoryMeasurement>(output);
    }

    private static void WriteTable(List<MemoryMeasurement> measurements)
    {
        Console.WriteLine(Invariant(
            $"{"policy",-16}{"N",6}{"peak RSS",12}{"kept peak",12}{"recomputed",12}{"time",9}{"RSS / RSS(N min)",18}{"RSS / store-all",17}"));
        foreach (MemoryMeasurement row in measurements)
        {
            MemoryMeasurement smallest = measurements.Where(other => other.Policy == row.Policy).MinBy(other => other.Steps)!;
            MemoryMeasurement? storeAll = measurements.FirstOrDefault(other => other.Policy == "store-all" && other.Steps == row.Steps);
            string toStoreAll = storeAll is null ? "-" : Invariant($"{(double)row.PeakResidentBytes / storeAll.PeakResidentBytes:F3}");
            Console.WriteLine(Invariant(
                $"{row.Policy,-16}{row.Steps,6}{Megabytes(row.PeakResidentBytes),12}{Megabytes(row.PeakBytesKept),12}{row.RecomputedSteps,12}{row.Seconds,8:F2}s{(double)row.PeakResidentBytes / smallest.PeakResidentBytes,18:F2}{toStoreAll,17}"));
        }
        // The gradients of every policy must agree bit for bit; a difference would make the comparison meaningless.
        foreach (IGrouping<long, MemoryMeasurement> sameSteps in measurements.GroupBy(row => row.Steps))
        {
            if (sameSteps.Select(row => row.DecayDerivative).Distinct().Count() > 1)
            {
                Console.WriteLine(Invariant($"warning: the policies' gradients differ at N = {sameSteps.Key}."));
            }
        }
    }

    private static string Megabytes(long bytes) => Invariant($"{bytes / 1e6:F0} MB");

    /// <summary>The process's peak resident set size, VmHWM in /proc/self/status (Linux).</summary>
    private static long PeakResidentBytes()
    {
        string line = File.ReadLines("/proc/self/status").First(line => line.StartsWith("VmHWM:", StringComparison.Ordinal));
        // "VmHWM:   123456 kB"
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>What one child process measured; <see cref="DecayDerivative"/> is dL/da, compared across policies.</summary>
    private sealed record MemoryMeasurement(string Policy, long Steps, long PeakResidentBytes, long PeakBytesKept,
                                            long RecomputedSteps, double Seconds, double DecayDerivative);
}
