using System.Globalization;
using Rewind.Checkpointing;
using Rewind.Integrators;

namespace RewindTests.Integrators;

/// <summary>
/// The named gradient modes over the native trajectories. <see cref="Adjoint.Symplectic"/> (explicit methods) and
/// <see cref="Adjoint.CheckpointPerStep"/> (every method) keep one state per step and recompute each step's stages:
/// their states, gradients and tangents are the store-all ones bit for bit, they pass the dot-product and Taylor
/// tests, and their memory is exactly (N + k) n 8 bytes. <see cref="Adjoint.Backsolve"/> keeps nothing, is labelled
/// not reverse-accurate and converges to the exact gradient as its tolerances tighten.
/// </summary>
public sealed class GradientModeTests
{
    private const double AdaptiveTolerance = 1e-5;
    private const int MemoryStateSize = 16;
    private const long VectorBytes = MemoryStateSize * sizeof(double);

    public static TheoryData<string, bool> ExplicitMethodsAndModes => Cases(Solver.Methods.Except(Solver.ImplicitMethods));

    public static TheoryData<string, bool> AllMethodsAndModes => Cases(Solver.Methods);

    public static TheoryData<string, bool> TableauCases => GradientSettings.MethodsAndModes;

    public static TheoryData<string, bool> ImplicitCases => GradientSettings.ImplicitMethodsAndModes;

    public static TheoryData<string> ImplicitMethods => new(Solver.ImplicitMethods);

    public static TheoryData<string> Tableaus => new(RewindTests.Integrators.Tableaus.Names);

    [Fact]
    public void ModesDescribeThemselves()
    {
        Assert.Equal(GradientMode.Symplectic, Adjoint.Symplectic().Mode);
        Assert.Equal(GradientMode.CheckpointPerStep, Adjoint.CheckpointPerStep().Mode);
        Assert.Equal(GradientMode.Backsolve, Adjoint.Backsolve().Mode);
        Assert.Equal(GradientMode.Discrete, Adjoint.Discrete(Checkpointing.Binomial(4)).Mode);
        Assert.Equal(GradientMode.None, Adjoint.None.Mode);
        Assert.Same(Checkpointing.SolutionOnly, Adjoint.Symplectic().Checkpointing);
        Assert.Same(Checkpointing.SolutionOnly, Adjoint.CheckpointPerStep().Checkpointing);
        Assert.Null(Adjoint.Backsolve().Checkpointing);
        Assert.True(Adjoint.Symplectic().IsReverseAccurate);
        Assert.True(Adjoint.CheckpointPerStep().IsReverseAccurate);
        Assert.True(Adjoint.Discrete(Checkpointing.StoreAll).IsReverseAccurate);
        Assert.False(Adjoint.Backsolve().IsReverseAccurate);
        Assert.False(Adjoint.Backsolve().IsForwardOnly);
        Assert.False(Adjoint.None.IsReverseAccurate);
        Assert.Equal("symplectic", Adjoint.Symplectic().ToString());
        Assert.Equal("checkpoint-per-step", Adjoint.CheckpointPerStep().ToString());
        Assert.Equal("backsolve", Adjoint.Backsolve().ToString());
        Assert.Equal("backsolve(rtol 1E-08, atol solver's)", Adjoint.Backsolve(rtol: 1e-8).ToString());
        Assert.Equal(1e-8, Adjoint.Backsolve(1e-8, 1e-9).BacksolveRelativeTolerance);
        Assert.Equal(1e-9, Adjoint.Backsolve(1e-8, 1e-9).BacksolveAbsoluteTolerance);
    }

    [Theory]
    [MemberData(nameof(ExplicitMethodsAndModes))]
    public void SymplecticGivesTheStoreAllResultsBitForBit(string method, bool adaptive) =>
        AssertBitForBit(method, adaptive, Adjoint.Symplectic());

    [Theory]
    [MemberData(nameof(AllMethodsAndModes))]
    public void CheckpointPerStepGivesTheStoreAllResultsBitForBit(string method, bool adaptive) =>
        AssertBitForBit(method, adaptive, Adjoint.CheckpointPerStep());

    [Theory]
    [MemberData(nameof(TableauCases))]
    public void SymplecticIsTheTransposeOfTheTangent(string method, bool adaptive)
    {
        DotProductTests.Check(method, adaptive, TestProblems.LotkaVolterra(), [0.0, 0.3, 1.234567, 2.5, 4.0], seed: 1, Adjoint.Symplectic());
        DotProductTests.Check(method, adaptive, TestProblems.Kepler(0.3), [0.77, 1.5, 3.1, 3.2], seed: 3, Adjoint.Symplectic());
    }

    [Theory]
    [MemberData(nameof(TableauCases))]
    [MemberData(nameof(ImplicitCases))]
    public void CheckpointPerStepIsTheTransposeOfTheTangent(string method, bool adaptive) =>
        DotProductTests.Check(method, adaptive, TestProblems.LotkaVolterra(), [0.0, 0.3, 1.234567, 2.5, 4.0], seed: 1, Adjoint.CheckpointPerStep());

    [Theory]
    [MemberData(nameof(TableauCases))]
    public void SymplecticPassesTheTaylorTest(string method, bool adaptive) =>
        TaylorTests.Check(method, adaptive, TestProblems.LotkaVolterra(), [0.5, 1.234567, 2.0, 3.0], seed: 11, Adjoint.Symplectic());

    [Theory]
    [MemberData(nameof(TableauCases))]
    [MemberData(nameof(ImplicitCases))]
    public void CheckpointPerStepPassesTheTaylorTest(string method, bool adaptive) =>
        TaylorTests.Check(method, adaptive, TestProblems.VanDerPol(), [0.25, 1.0, 2.2], seed: 12, Adjoint.CheckpointPerStep());

    /// <summary>
    /// Fixed steps, N and 4N: the trajectory holds exactly N states (one per step, the initial state included) and
    /// one step's k kept vectors, (N + k) n 8 bytes, through the forward solve and the reverse pass; the stage part
    /// does not grow with N. One reverse pass recomputes N − 1 steps (the last step's stages are kept from the forward).
    /// </summary>
    [Theory]
    [MemberData(nameof(Tableaus))]
    public void OneStatePerStepPlusOneStepsStagesForExplicitMethods(string method)
    {
        var k = KeptVectors.PerStep(method, adaptive: false);
        foreach (var adjoint in new[] { Adjoint.Symplectic(), Adjoint.CheckpointPerStep() })
        {
            foreach (var steps in new long[] { 50, 200 })
            {
                var (forward, backward) = FixedStepPeaks(method, steps, adjoint);
                var label = $"{method} {adjoint}, {steps} steps";
                TestContext.Current.TestOutputHelper?.WriteLine($"{label}: {forward.PeakBytesKept} bytes forward, {backward.PeakBytesKept} through Backward, {backward.RecomputedSteps} recomputed");
                Assert.True((steps + k) * VectorBytes == forward.PeakBytesKept, $"{label}: {forward.PeakBytesKept} bytes, expected (N + {k}) n 8 = {(steps + k) * VectorBytes}");
                Assert.True((steps + k) * VectorBytes == backward.PeakBytesKept, $"{label}: {backward.PeakBytesKept} bytes through Backward");
                Assert.Equal(steps - 1, backward.RecomputedSteps);
                Assert.Equal(0, backward.PeakDiskBytesKept);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Tableaus))]
    public void AdaptiveSolvesKeepOneStatePerAcceptedStep(string method)
    {
        var k = KeptVectors.PerStep(method, adaptive: true);
        foreach (var adjoint in new[] { Adjoint.Symplectic(), Adjoint.CheckpointPerStep() })
        {
            var solver = new Solver(method, rtol: 1e-5, atol: 1e-5);
            using var solution = Solving.Solve(solver, TestProblems.TanhRing(MemoryStateSize).At(2.0, 6.25), adjoint);
            var after = solution.Backward([null, Vectors.Random(new Random(5), MemoryStateSize)]).Statistics;
            Assert.True((after.Steps + k) * VectorBytes == after.PeakBytesKept, $"{method} {adjoint}: {after.PeakBytesKept} bytes for {after.Steps} steps, k = {k}");
            Assert.Equal(after.Steps - 1, after.RecomputedSteps);
        }
    }

    /// <summary>Implicit methods keep their own per-step vectors; the state part still grows by exactly one state per step.</summary>
    [Theory]
    [MemberData(nameof(ImplicitMethods))]
    public void CheckpointPerStepGrowsByOneStatePerStepForImplicitMethods(string method)
    {
        const long steps = 50;
        var (_, small) = FixedStepPeaks(method, steps, Adjoint.CheckpointPerStep());
        var (_, large) = FixedStepPeaks(method, 4 * steps, Adjoint.CheckpointPerStep());
        var stagePart = small.PeakBytesKept - (steps * VectorBytes);
        TestContext.Current.TestOutputHelper?.WriteLine($"{method}: {small.PeakBytesKept} -> {large.PeakBytesKept} bytes for {steps} -> {4 * steps} steps; one step's part {stagePart} bytes");
        Assert.Equal(3 * steps * VectorBytes, large.PeakBytesKept - small.PeakBytesKept);
        Assert.True(stagePart > 0 && stagePart % VectorBytes == 0, $"{method}: one step's part {stagePart} bytes");
        Assert.Equal(stagePart, large.PeakBytesKept - (4 * steps * VectorBytes));
        Assert.Equal((4 * steps) - 1, large.RecomputedSteps);
    }

    [Theory]
    [MemberData(nameof(ImplicitMethods))]
    public void SymplecticRefusesImplicitMethods(string method)
    {
        var solver = new Solver(method, dt: 0.1);
        var error = Assert.Throws<ArgumentException>(() => solver.Solve(TestProblems.LotkaVolterra().At(1.0), Adjoint.Symplectic(), TestContext.Current.CancellationToken));
        Assert.Equal("adjoint", error.ParamName);
        Assert.Contains($"'{method}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("CheckpointPerStep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BacksolveTolerancesMustBePositiveAndFinite()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Adjoint.Backsolve(rtol: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Adjoint.Backsolve(rtol: -1e-6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Adjoint.Backsolve(atol: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Adjoint.Backsolve(atol: double.PositiveInfinity));
    }

    /// <summary>y' = A(p) y: the backsolve gradient matches expm's (and its Fréchet derivative's) to about the tolerance.</summary>
    [Theory]
    [InlineData("dopri5", 1e-6, 1e-5)]
    [InlineData("dopri5", 1e-10, 1e-8)]
    [InlineData("tsit5", 1e-10, 1e-8)]
    [InlineData("rk4", 1e-10, 1e-7)]
    public void BacksolveMatchesTheAnalyticGradientOfALinearSystem(string method, double tolerance, double bound)
    {
        var problem = TestProblems.Linear();
        var field = (LinearField)problem.Field;
        double[] times = [0.3, 1.1, 2.0];
        var w = Solving.RandomCotangents(new Random(101), times.Length, field.StateSize);
        var (expectedDy0, expectedDp) = LinearGradient(problem, times, w);

        var solver = new Solver(method, rtol: tolerance, atol: tolerance);
        using var solution = Solving.Solve(solver, problem.At(times), Adjoint.Backsolve());
        var gradient = solution.Backward(w);
        var errY0 = Vectors.RelativeDifference(gradient.InitialState, expectedDy0);
        var errP = Vectors.RelativeDifference(gradient.Parameters, expectedDp);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method} tol {tolerance:E0}: relative error dL/dy0 {errY0:E2}, dL/dp {errP:E2}; forward {gradient.Statistics.Steps} steps, backward {gradient.Statistics.ReverseSteps}"));
        Assert.True(errY0 <= bound, $"dL/dy0 relative error {errY0:E3}");
        Assert.True(errP <= bound, $"dL/dp relative error {errP:E3}");
        Assert.False(gradient.IsReverseAccurate);
    }

    /// <summary>
    /// Lotka–Volterra against a store-all gradient at 1e-13: the backsolve error falls by orders as the tolerances
    /// of both solves tighten, and stays well above the discrete modes' round-off at loose tolerances (it is not the
    /// derivative of the computed solution).
    /// </summary>
    [Theory]
    [InlineData("dopri5")]
    [InlineData("tsit5")]
    [InlineData("bosh3")]
    public void BacksolveConvergesToTheExactGradientAsTolerancesTighten(string method)
    {
        var problem = TestProblems.LotkaVolterra();
        double[] times = [0.0, 0.9, 2.2, 3.0];
        var w = Solving.RandomCotangents(new Random(7), times.Length, 2);
        var reference = GradientOf(new Solver("dopri5", rtol: 1e-13, atol: 1e-13), problem.At(times), w, Adjoint.Discrete(Checkpointing.StoreAll));
        var errors = new List<double>();
        var distances = new List<double>();
        foreach (var tolerance in new[] { 1e-4, 1e-6, 1e-8, 1e-10 })
        {
            var solver = new Solver(method, rtol: tolerance, atol: tolerance);
            var backsolve = GradientOf(solver, problem.At(times), w, Adjoint.Backsolve());
            var discrete = GradientOf(solver, problem.At(times), w, Adjoint.Discrete(Checkpointing.StoreAll));
            var error = RelativeError(backsolve, reference);
            errors.Add(error);
            distances.Add(RelativeError(backsolve, discrete));
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method} tol {tolerance:E0}: backsolve error {error:E2} (discrete adjoint of the same forward: {RelativeError(discrete, reference):E2}); backward steps {backsolve.Statistics.ReverseSteps}, forward {backsolve.Statistics.Steps}"));
        }

        Assert.True(errors[3] < 1e-3 * errors[1], $"{method}: error at 1e-10 {errors[3]:E2}, at 1e-6 {errors[1]:E2}");
        Assert.True(errors[3] < 1e-7, $"{method}: error at 1e-10 {errors[3]:E2}");
        // Not the derivative of the computed solution: at loose tolerances it is far from the discrete adjoint's.
        Assert.True(distances[0] > 1e-6, $"{method}: backsolve and discrete adjoint differ by {distances[0]:E2} at 1e-4");
        for (var i = 1; i < errors.Count; i++)
        {
            Assert.True(errors[i] < errors[i - 1], $"{method}: errors [{string.Join(", ", errors.Select(e => e.ToString("E2", CultureInfo.InvariantCulture)))}]");
        }
    }

    [Fact]
    public void BacksolveToleranceControlsOnlyTheBackwardSolve()
    {
        var problem = TestProblems.LotkaVolterra();
        double[] times = [0.9, 2.2, 3.0];
        var w = Solving.RandomCotangents(new Random(8), times.Length, 2);
        var solver = new Solver("dopri5", rtol: 1e-11, atol: 1e-11);
        var reference = GradientOf(solver, problem.At(times), w, Adjoint.Discrete(Checkpointing.StoreAll));
        var loose = GradientOf(solver, problem.At(times), w, Adjoint.Backsolve(rtol: 1e-5, atol: 1e-5));
        var tight = GradientOf(solver, problem.At(times), w, Adjoint.Backsolve());
        var looseError = RelativeError(loose, reference);
        var tightError = RelativeError(tight, reference);
        TestContext.Current.TestOutputHelper?.WriteLine($"backward at 1e-5: error {looseError:E2}, {loose.Statistics.ReverseSteps} steps; at the solver's 1e-11: {tightError:E2}, {tight.Statistics.ReverseSteps} steps");
        Assert.True(loose.Statistics.ReverseSteps < tight.Statistics.ReverseSteps);
        Assert.True(tightError < 1e-3 * looseError, $"{tightError:E2} vs {looseError:E2}");
        Assert.Equal(loose.Statistics.Steps, tight.Statistics.Steps);
    }

    [Fact]
    public void BacksolveKeepsNothingAndReportsItsBackwardSolve()
    {
        var problem = TestProblems.TanhRing(MemoryStateSize);
        var solver = new Solver("dopri5", rtol: 1e-6, atol: 1e-8);
        using var solution = Solving.Solve(solver, problem.At(0.5, 1.5, 3.0), Adjoint.Backsolve());
        Assert.Equal(0, solution.Statistics.PeakBytesKept);
        var w = Solving.RandomCotangents(new Random(9), 3, MemoryStateSize);
        var first = solution.Backward(w);
        var s = first.Statistics;
        TestContext.Current.TestOutputHelper?.WriteLine($"forward {s.Steps} steps ({s.RejectedSteps} rejected); backward {s.ReverseSteps} steps ({s.ReverseRejectedSteps} rejected), {s.FunctionEvaluations} evaluations, {s.Vjps} VJPs");
        Assert.False(first.IsReverseAccurate);
        Assert.Equal(0, s.PeakBytesKept);
        Assert.Equal(0, s.RecomputedSteps);
        Assert.Equal(solution.Statistics.Steps, s.Steps);
        Assert.True(s.ReverseSteps > 0);
        Assert.True(s.Vjps >= 6 * s.ReverseSteps, $"{s.Vjps} VJPs for {s.ReverseSteps} backward steps");
        Assert.Equal(solution.Statistics.FunctionEvaluations + s.Vjps, s.FunctionEvaluations);

        var second = solution.Backward(w).Statistics;
        Assert.Equal(2 * s.ReverseSteps, second.ReverseSteps);
        Assert.Equal(2 * s.Vjps, second.Vjps);

        using var discrete = Solving.Solve(solver, problem.At(0.5, 1.5, 3.0));
        var exact = discrete.Backward(w);
        Assert.True(exact.IsReverseAccurate);
        Assert.Equal(0, exact.Statistics.ReverseSteps);
    }

    [Fact]
    public void BacksolveWithAFixedStepSolverStepsBackWithTheSameStep()
    {
        var problem = TestProblems.LotkaVolterra();
        var solver = new Solver("rk4", dt: 0.05);
        double[] times = [1.0, 2.0];
        var w = Solving.RandomCotangents(new Random(10), 2, 2);
        var gradient = GradientOf(solver, problem.At(times), w, Adjoint.Backsolve());
        Assert.Equal(gradient.Statistics.Steps, gradient.Statistics.ReverseSteps);
        Assert.Equal(0, gradient.Statistics.ReverseRejectedSteps);
        var reference = GradientOf(new Solver("dopri5", rtol: 1e-13, atol: 1e-13), problem.At(times), w, Adjoint.Discrete(Checkpointing.StoreAll));
        var discrete = GradientOf(solver, problem.At(times), w, Adjoint.Discrete(Checkpointing.StoreAll));
        TestContext.Current.TestOutputHelper?.WriteLine($"rk4 dt 0.05: backsolve error {RelativeError(gradient, reference):E2}, discrete adjoint's {RelativeError(discrete, reference):E2}");
        Assert.True(RelativeError(gradient, reference) < 1e-4, $"error {RelativeError(gradient, reference):E2}");
    }

    [Fact]
    public void BacksolveIncludesTheRunningCost()
    {
        var problem = TestProblems.LotkaVolterra();
        double[] times = [0.0, 1.0, 2.5];
        var w = Solving.RandomCotangents(new Random(12), times.Length, 2);
        var solver = new Solver("dopri5", rtol: 1e-11, atol: 1e-11);
        var withCost = problem.At(times);
        withCost = new OdeProblem(withCost.Field, [.. withCost.InitialState], [.. withCost.Parameters], withCost.T0, times) { RunningCost = new LotkaVolterraCost() };
        var reference = GradientOf(solver, withCost, w, Adjoint.Discrete(Checkpointing.StoreAll));
        var backsolve = GradientOf(solver, withCost, w, Adjoint.Backsolve());
        var withoutCost = GradientOf(solver, problem.At(times), w, Adjoint.Discrete(Checkpointing.StoreAll));
        var error = RelativeError(backsolve, reference);
        TestContext.Current.TestOutputHelper?.WriteLine($"running cost: backsolve error {error:E2}; the cost's share of the gradient {RelativeError(withoutCost, reference):E2}");
        Assert.True(error < 1e-7, $"error {error:E2}");
        Assert.True(RelativeError(withoutCost, reference) > 1e-2);
    }

    [Fact]
    public void TangentIsNotDefinedForBacksolve()
    {
        using var solution = Solving.Solve(new Solver("dopri5"), TestProblems.LotkaVolterra().At(1.0), Adjoint.Backsolve());
        var error = Assert.Throws<InvalidOperationException>(() => solution.Tangent([1.0, 0.0], [0, 0, 0, 0]));
        Assert.Contains("Backsolve", error.Message, StringComparison.Ordinal);
    }

    private static void AssertBitForBit(string method, bool adaptive, Adjoint adjoint)
    {
        var solver = adaptive
            ? new Solver(method, rtol: AdaptiveTolerance, atol: AdaptiveTolerance)
            : new Solver(method, dt: GradientSettings.FixedStep);
        foreach (var problem in new[] { TestProblems.LotkaVolterra().At(0.0, 0.9, 2.2, 3.0), TestProblems.TanhRing(12).At(0.25, 0.7, 1.9, 2.6) })
        {
            var reference = CheckpointRuns.Run(solver, problem, Checkpointing.StoreAll);
            var run = CheckpointRuns.Run(solver, problem, adjoint);
            var label = $"{method} {(adaptive ? "adaptive" : "fixed")} {adjoint}";
            Assert.Equal(reference.Forward.Steps, run.Forward.Steps);
            Bitwise.Equal(reference.States, run.States, $"{label}: state");
            Bitwise.Equal(reference.InitialStateGradient, run.InitialStateGradient, $"{label}: dL/dy0");
            Bitwise.Equal(reference.ParameterGradient, run.ParameterGradient, $"{label}: dL/dp");
            Bitwise.Equal(reference.Tangents, run.Tangents, $"{label}: tangent");
            Assert.Equal(run.Forward.Steps - 1, run.AfterBackward.RecomputedSteps);
        }
    }

    private static (SolverStatistics Forward, SolverStatistics Backward) FixedStepPeaks(string method, long steps, Adjoint adjoint)
    {
        const double dt = 1.0 / 32;  // exact in binary: exactly `steps` steps
        var ring = TestProblems.TanhRing(MemoryStateSize);
        using var solution = Solving.Solve(new Solver(method, dt: dt), ring.At(ring.T0 + (steps * dt)), adjoint);
        Assert.Equal(steps, solution.Statistics.Steps);
        return (solution.Statistics, solution.Backward([Vectors.Random(new Random(3), MemoryStateSize)]).Statistics);
    }

    private static Gradient GradientOf(Solver solver, OdeProblem problem, IReadOnlyList<double[]> w, Adjoint adjoint)
    {
        using var solution = Solving.Solve(solver, problem, adjoint);
        return solution.Backward(w);
    }

    /// <summary>Norm-wise relative difference of (dL/dy0, dL/dp) together.</summary>
    private static double RelativeError(Gradient actual, Gradient expected) =>
        Vectors.RelativeDifference([.. actual.InitialState, .. actual.Parameters], [.. expected.InitialState, .. expected.Parameters]);

    private static (double[] Dy0, double[] Dp) LinearGradient(TestProblem problem, double[] times, double[][] w)
    {
        var field = (LinearField)problem.Field;
        var a = field.Matrix(problem.Parameters);
        var dy0 = new double[field.StateSize];
        var dp = new double[field.ParameterSize];
        for (var k = 0; k < times.Length; k++)
        {
            var at = a.Scaled(times[k]);
            at.Exp().TransposeMultiplyAdd(1, w[k], dy0);
            for (var j = 0; j < field.ParameterSize; j++)
            {
                dp[j] += at.ExpFrechet(field.Basis(j).Scaled(times[k])).Bilinear(w[k], problem.InitialState);
            }
        }

        return (dy0, dp);
    }

    private static TheoryData<string, bool> Cases(IEnumerable<string> methods)
    {
        var data = new TheoryData<string, bool>();
        foreach (var method in methods)
        {
            data.Add(method, false);
            data.Add(method, true);
        }

        return data;
    }
}
