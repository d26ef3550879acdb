using System.Diagnostics.CodeAnalysis;

namespace Rewind.Cli.Problems;

/// <summary>The built-in problems by name.</summary>
internal static class ProblemRegistry
{
    public static IReadOnlyList<BuiltInProblem> All { get; } =
        [
            new LotkaVolterra(), new VanDerPol(), new LinearSystem(), new Kepler(),
            new Robertson(), new Hires(), new StiffVanDerPol(), new UnscaledStiffVanDerPol(), new Pollution(),
        ];

    public static IEnumerable<string> Names => All.Select(problem => problem.Name);

    public static bool TryGet(string name, [NotNullWhen(true)] out BuiltInProblem? problem)
    {
        problem = All.FirstOrDefault(candidate => string.Equals(candidate.Name, name, StringComparison.Ordinal));
        return problem is not null;
    }
}
