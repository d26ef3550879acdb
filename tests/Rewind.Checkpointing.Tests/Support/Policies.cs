using Rewind.Checkpointing;

namespace RewindTests.Checkpoints;

/// <summary>The policies the schedule tests plan with, by a name that makes theory rows readable.</summary>
internal static class Policies
{
    /// <summary>Planning never touches the directory, so a multilevel policy can name one that does not exist.</summary>
    public const string UnusedDirectory = "/nonexistent/rewind-plans";

    public static IReadOnlyList<string> Names { get; } =
    [
        "store-all", "solution-only",
        "binomial(1)", "binomial(2)", "binomial(3)", "binomial(5)", "binomial(8)", "binomial(16)",
        "online-binomial(1)", "online-binomial(2)", "online-binomial(3)", "online-binomial(5)", "online-binomial(8)", "online-binomial(16)",
        "multilevel(1+2)", "multilevel(0+3)", "multilevel(4+4)",
    ];

    public static CheckpointPolicy Get(string name) => name switch
    {
        "store-all" => Checkpointing.StoreAll,
        "solution-only" => Checkpointing.SolutionOnly,
        "multilevel(1+2)" => Checkpointing.Multilevel(1, 2, UnusedDirectory),
        "multilevel(0+3)" => Checkpointing.Multilevel(0, 3, UnusedDirectory),
        "multilevel(4+4)" => Checkpointing.Multilevel(4, 4, UnusedDirectory),
        _ when name.StartsWith("online-binomial(", StringComparison.Ordinal) => Checkpointing.OnlineBinomial(Budget(name)),
        _ when name.StartsWith("binomial(", StringComparison.Ordinal) => Checkpointing.Binomial(Budget(name)),
        _ => throw new ArgumentException($"no policy '{name}'", nameof(name)),
    };

    private static int Budget(string name) => int.Parse(name.AsSpan()[(name.IndexOf('(', StringComparison.Ordinal) + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
}
