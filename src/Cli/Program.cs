namespace Rewind.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args) => RewindCommandLine.RunAsync(args, Console.Out, Console.Error);
}
