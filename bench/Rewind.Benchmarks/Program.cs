using BenchmarkDotNet.Running;

namespace Rewind.Benchmarks;

internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case PeakMemoryHarness.Command:
                return PeakMemoryHarness.Run(args[1..]);
            case PeakMemoryHarness.ChildCommand:
                return PeakMemoryHarness.RunChild(args[1..]);
            case ReversibleComparisonHarness.Command:
                return ReversibleComparisonHarness.Run(args[1..]);
            default:
                // In process: the benchmarks call librewind, which sits next to this assembly but not next to the
                // project BenchmarkDotNet would otherwise generate and build. Passed as the command-line switch so
                // that it combines with --job short and the other options.
                bool inProcess = args.Contains("--inProcess") || args.Contains("-i");
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(inProcess ? args : [.. args, "--inProcess"]);
                return 0;
        }
    }
}
