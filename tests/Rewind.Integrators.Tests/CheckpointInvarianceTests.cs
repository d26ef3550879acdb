using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// Every checkpoint policy and budget gives the store-all results bit for bit: states, both gradients and tangents,
/// for every method the solver offers (methods added later join by themselves), fixed and adaptive steps. The
/// recomputed steps run the same arithmetic on the same inputs, so nothing less than bitwise equality is right.
/// </summary>
public sealed class CheckpointInvarianceTests
{
    // Loose enough that step doubling (euler, midpoint, ...) stays at a few hundred steps, so binomial(1), whose
    // recomputation grows as N^2 / 2, keeps the test fast; exactness does not depend on the tolerance.
    private const double AdaptiveTolerance = 1e-5;

    public static TheoryData<string, bool, string> MethodsModesAndProblems
    {
        get
        {
            var data = new TheoryData<string, bool, string>();
            foreach (var method in Solver.Methods)
            {
                foreach (var adaptive in new[] { false, true })
                {
                    data.Add(method, adaptive, "lotka-volterra");
                    data.Add(method, adaptive, "tanh-ring");
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MethodsModesAndProblems))]
    public void EveryPolicyGivesTheStoreAllResultsBitForBit(string method, bool adaptive, string problemName)
    {
        var solver = adaptive
            ? new Solver(method, rtol: AdaptiveTolerance, atol: AdaptiveTolerance)
            : new Solver(method, dt: GradientSettings.FixedStep);
        var problem = Problem(problemName);
        var reference = CheckpointRuns.Run(solver, problem, Checkpointing.StoreAll);
        using var scratch = new ScratchDirectory();
        foreach (var policy in Policies(scratch.Path))
        {
            var run = CheckpointRuns.Run(solver, problem, policy);
            var label = $"{method} {(adaptive ? "adaptive" : "fixed")} {problemName} {policy}";
            Assert.True(reference.Forward.Steps == run.Forward.Steps, $"{label}: {run.Forward.Steps} steps, store-all took {reference.Forward.Steps}");
            Bitwise.Equal(reference.States, run.States, $"{label}: state");
            Bitwise.Equal(reference.InitialStateGradient, run.InitialStateGradient, $"{label}: dL/dy0");
            Bitwise.Equal(reference.ParameterGradient, run.ParameterGradient, $"{label}: dL/dp");
            Bitwise.Equal(reference.Tangents, run.Tangents, $"{label}: tangent");
            Assert.True(policy.DiskCheckpoints == 0 || run.AfterBackward.PeakDiskBytesKept > 0, $"{label}: no checkpoint was written to disk");
            Assert.True(scratch.Entries().Count == 0, $"{label}: files left after dispose: {string.Join(", ", scratch.Entries())}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{method} {(adaptive ? "adaptive" : "fixed")} {problemName}: {reference.Forward.Steps} steps");
    }

    /// <summary>Output times at irregular spacing, the first at t0 (an output that takes no step).</summary>
    private static OdeProblem Problem(string name) => name switch
    {
        "lotka-volterra" => TestProblems.LotkaVolterra().At(0.0, 0.9, 2.2, 3.0),
        "tanh-ring" => TestProblems.TanhRing(12).At(0.25, 0.7, 1.9, 2.6),
        _ => throw new ArgumentException($"no problem '{name}'", nameof(name)),
    };

    private static IEnumerable<CheckpointPolicy> Policies(string directory)
    {
        yield return Checkpointing.SolutionOnly;
        foreach (var c in new[] { 1, 2, 3, 5, 16 })
        {
            yield return Checkpointing.Binomial(c);
            yield return Checkpointing.OnlineBinomial(c);
        }

        yield return Checkpointing.Multilevel(1, 2, directory);
        yield return Checkpointing.Multilevel(0, 3, directory);
    }
}
