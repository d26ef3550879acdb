using Rewind.Networks;

namespace RewindTests.Networks;

/// <summary>
/// Optimizers against steps computed by hand (in 40-digit decimal arithmetic where the numbers are not short):
/// SGD with momentum and Nesterov, coupled and decoupled weight decay, Adam's bias-corrected first steps, RMSprop;
/// and the learning-rate schedules' values.
/// </summary>
public sealed class OptimizerTests
{
    [Fact]
    public void PlainSgdSubtractsTheScaledGradient()
    {
        double[] theta = [1.0, -2.0, 0.5];
        new Sgd(0.1).Step(theta, [0.5, -1.0, 0.0]);
        Assert.Equal([1.0 - 0.05, -2.0 + 0.1, 0.5], theta);
    }

    [Fact]
    public void MomentumAccumulatesTheVelocity()
    {
        // v1 = g1, v2 = 0.9 v1 + g2, v3 = 0.9 v2 + g3; θ ← θ − 0.1 v.
        var sgd = new Sgd(0.1, momentum: 0.9);
        double[] theta = [1.0, -1.0];
        sgd.Step(theta, [1.0, 2.0]);
        AssertClose([0.9, -1.2], theta);
        sgd.Step(theta, [0.5, -1.0]);
        AssertClose([0.76, -1.28], theta);
        sgd.Step(theta, [0.0, 0.0]);
        AssertClose([0.634, -1.352], theta);
        Assert.Equal(3, sgd.StepCount);
    }

    [Fact]
    public void NesterovStepsAlongTheGradientPlusTheNewVelocity()
    {
        // d = g + 0.9 v with v as for heavy-ball momentum.
        var sgd = new Sgd(0.1, momentum: 0.9, nesterov: true);
        double[] theta = [1.0, -1.0];
        sgd.Step(theta, [1.0, 2.0]);
        AssertClose([0.81, -1.38], theta);
        sgd.Step(theta, [0.5, -1.0]);
        AssertClose([0.634, -1.352], theta);
        sgd.Step(theta, [0.0, 0.0]);
        AssertClose([0.5206, -1.4168], theta);
    }

    [Fact]
    public void SgdWeightDecayAddsLambdaThetaToTheGradient()
    {
        double[] theta = [2.0];
        new Sgd(0.1, weightDecay: 0.1).Step(theta, [0.0]);
        AssertClose([1.98], theta);
    }

    [Fact]
    public void AdamsFirstTwoStepsWithBiasCorrection()
    {
        var adam = new Adam(learningRate: 0.1);
        double[] theta = [1.0, -2.0, 0.5];

        // Step 1: m̂ = g, v̂ = g², so θ moves by 0.1 g / (|g| + 1e-8); a zero gradient does not move it.
        adam.Step(theta, [0.1, -0.3, 0.0]);
        AssertClose([0.900000009999999, -1.9000000033333332, 0.5], theta);

        // Step 2, in 40-digit decimals: m = 0.9 m + 0.1 g, v = 0.999 v + 0.001 g², m̂ = m / 0.19, v̂ = v / 0.001999.
        adam.Step(theta, [0.2, 0.1, -0.5]);
        AssertClose([0.80348181352125236, -1.8599781479280805, 0.57441368025248827], theta);
    }

    [Fact]
    public void AdamWDecaysTheParametersOutsideTheMoments()
    {
        // AdamW: θ (1 − 0.1 · 0.5), then the Adam step of the plain gradient.
        double[] decoupled = [1.0, -2.0];
        new AdamW(learningRate: 0.1, weightDecay: 0.5).Step(decoupled, [0.1, -0.3]);
        AssertClose([0.85000000999999900, -1.8000000033333332], decoupled);

        // Adam with the same λ adds 0.5 θ to the gradient instead: the first step is then about 0.1 sign(g + λθ).
        double[] coupled = [1.0, -2.0];
        new Adam(learningRate: 0.1, weightDecay: 0.5).Step(coupled, [0.1, -0.3]);
        AssertClose([0.90000000166666664, -1.9000000007692308], coupled);
    }

    [Fact]
    public void AdamWWithoutGradientOnlyShrinks()
    {
        var adamw = new AdamW(learningRate: 0.01, weightDecay: 0.1);
        double[] theta = [3.0, -4.0];
        for (int i = 0; i < 5; i++)
        {
            adamw.Step(theta, [0.0, 0.0]);
        }

        double factor = Math.Pow(1 - 0.001, 5);
        AssertClose([3.0 * factor, -4.0 * factor], theta);
    }

    [Fact]
    public void RmsPropsFirstStep()
    {
        // s = 0.01 · 0.2², θ = 1 − 0.01 · 0.2 / (√s + 1e-8).
        double[] theta = [1.0];
        new RmsProp(learningRate: 0.01).Step(theta, [0.2]);
        AssertClose([0.90000004999997500], theta);
    }

    [Fact]
    public void OptimizersMinimizeAQuadratic()
    {
        // f(θ) = Σ a_i (θ_i − c_i)², ∇f = 2 a (θ − c).
        double[] a = [1.0, 4.0, 0.25];
        double[] c = [1.0, -2.0, 3.0];
        Optimizer[] optimizers =
        [
            new Sgd(0.05, momentum: 0.9), new Sgd(0.05, momentum: 0.9, nesterov: true), new Adam(0.05), new AdamW(0.05, weightDecay: 0),
            new RmsProp(0.01),
            new Adam(LearningRateSchedule.CosineAnnealing(0.1, 2000, 1e-4).WithWarmup(10)),
        ];
        foreach (var optimizer in optimizers)
        {
            double[] theta = [0.0, 0.0, 0.0];
            var gradient = new double[3];
            for (int step = 0; step < 2000; step++)
            {
                for (int i = 0; i < 3; i++)
                {
                    gradient[i] = 2 * a[i] * (theta[i] - c[i]);
                }

                optimizer.Step(theta, gradient);
            }

            for (int i = 0; i < 3; i++)
            {
                Assert.True(Math.Abs(theta[i] - c[i]) < 1e-2, $"{optimizer}: θ[{i}] = {theta[i]}, minimum at {c[i]}");
            }
        }
    }

    [Fact]
    public void TheStateIsSizedByTheFirstStep()
    {
        var adam = new Adam();
        Assert.Equal(-1, adam.ParameterCount);
        adam.Step(new double[3], new double[3]);
        Assert.Equal(3, adam.ParameterCount);
        var mismatch = Assert.Throws<ArgumentException>(() => adam.Step(new double[3], new double[2]));
        Assert.Contains("gradient has 2 entries; parameters has 3", mismatch.Message, StringComparison.Ordinal);
        var resized = Assert.Throws<ArgumentException>(() => adam.Step(new double[4], new double[4]));
        Assert.Contains("state is for 3", resized.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => adam.Step([], []));

        adam.Reset();
        Assert.Equal(0, adam.StepCount);
        double[] theta = [1.0, 1.0, 1.0, 1.0];
        adam.Step(theta, [1.0, 1.0, 1.0, 1.0]);  // a first step again: moves by about lr
        Assert.All(theta, v => Assert.Equal(1.0 - 1e-3, v, 1e-10));
    }

    [Fact]
    public void InvalidSettingsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1, momentum: 1.0));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd(0.1, weightDecay: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdamW(weightDecay: double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RmsProp(alpha: 1.0));
        Assert.Throws<ArgumentNullException>(() => new Adam((LearningRateSchedule)null!));
    }

    [Fact]
    public void SchedulesGiveTheirDocumentedValues()
    {
        var constant = LearningRateSchedule.Constant(0.1);
        Assert.Equal(0.1, constant.At(0));
        Assert.Equal(0.1, constant.At(1_000_000));

        var stepDecay = LearningRateSchedule.StepDecay(1.0, stepSize: 10, gamma: 0.5);
        Assert.Equal([1.0, 1.0, 0.5, 0.5, 0.25], new long[] { 0, 9, 10, 19, 20 }.Select(stepDecay.At));

        var exponential = LearningRateSchedule.Exponential(2.0, 0.9);
        Assert.Equal(2.0 * 0.9 * 0.9 * 0.9, exponential.At(3), 15);

        var cosine = LearningRateSchedule.CosineAnnealing(1.0, steps: 100, minimum: 0.1);
        Assert.Equal(1.0, cosine.At(0));
        Assert.Equal(0.55, cosine.At(50), 15);
        Assert.Equal(0.1, cosine.At(100), 15);
        Assert.Equal(0.1, cosine.At(500), 15);  // stays at the minimum
        Assert.Equal(0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25))), cosine.At(25), 15);

        var warm = LearningRateSchedule.CosineAnnealing(1.0, steps: 100).WithWarmup(4);
        Assert.Equal([0.25, 0.5, 0.75, 1.0, 1.0], new long[] { 0, 1, 2, 3, 4 }.Select(warm.At));
        Assert.Equal(cosine.At(0), warm.At(4));
        Assert.Equal(0.5, warm.At(54), 15);  // the cosine's half-way point, 4 steps later
        Assert.Equal("warmup(4) then cosine(1 to 0 over 100)", warm.ToString());

        Assert.Throws<ArgumentOutOfRangeException>(() => constant.At(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(1.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(1.0, 1, gamma: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.CosineAnnealing(1.0, 10, minimum: 2.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => constant.WithWarmup(0));
    }

    [Fact]
    public void OptimizersFollowTheirSchedule()
    {
        var sgd = new Sgd(LearningRateSchedule.StepDecay(1.0, stepSize: 2, gamma: 0.1));
        double[] theta = [0.0];
        var seen = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            seen.Add(sgd.LearningRate);
            sgd.Step(theta, [1.0]);
        }

        Assert.Equal([1.0, 1.0, 0.1, 0.1, 0.01], seen, (x, y) => Math.Abs(x - y) < 1e-15);
        Assert.Equal(-(1.0 + 1.0 + 0.1 + 0.1 + 0.01), theta[0], 14);
    }

    [Fact]
    public void ACustomOptimizerSeesLengthCheckedSpans()
    {
        var recorder = new RecordingOptimizer();
        double[] theta = [1.0, 2.0];
        recorder.Step(theta, [3.0, 4.0]);
        Assert.Equal([3.0, 4.0], recorder.Gradients[0]);
        Assert.Equal(1, recorder.LastStepNumber);
        Assert.Equal(2, recorder.InitializedFor);
    }

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= 2e-15 * Math.Max(1.0, Math.Abs(expected[i])),
                $"entry {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}

/// <summary>An optimizer that records the gradients it is given and does not move the parameters.</summary>
internal sealed class RecordingOptimizer : Optimizer
{
    public RecordingOptimizer()
        : base(LearningRateSchedule.Constant(1.0))
    {
    }

    public List<double[]> Gradients { get; } = [];

    public long LastStepNumber { get; private set; }

    public int InitializedFor { get; private set; }

    protected override void Initialize(int parameterCount) => InitializedFor = parameterCount;

    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate, long stepNumber)
    {
        Gradients.Add(gradient.ToArray());
        LastStepNumber = stepNumber;
    }

    protected override void ResetState() => Gradients.Clear();
}
