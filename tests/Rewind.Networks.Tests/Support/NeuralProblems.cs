using Rewind.Integrators;
using Rewind.Networks;
using RewindTests.Integrators;

namespace RewindTests.Networks;

/// <summary>A small neural ODE: dy/dt = net(t, y; p) on a batch of rows, with seeded parameters and initial states.</summary>
internal sealed class NeuralProblem
{
    public NeuralProblem(Sequential network, int batch, int seed)
    {
        Network = network;
        Batch = batch;
        InitialState = Vectors.Random(new Random(seed), batch * network.InputSize);
        Parameters = network.Parameters.ToArray();
    }

    public Sequential Network { get; }

    public int Batch { get; }

    public double[] InitialState { get; }

    public double[] Parameters { get; }

    public string Name => $"{Batch} × {Network}";

    /// <summary>2 → 16 (tanh) → 16 (softplus) → 2 with time input, 3 rows: 6 states, 402 parameters.</summary>
    public static NeuralProblem Small(int seed = 1)
    {
        var net = new Sequential(timeInput: true, new Linear(2, 16), new Tanh(), new Linear(16, 16), new Softplus(), new Linear(16, 2));
        net.Initialize(Initializer.XavierUniform(bias: BiasInitialization.Uniform), seed);
        return new NeuralProblem(net, batch: 3, seed: seed + 100);
    }

    public OdeProblem At(IVectorField field, double[] times) => new(field, InitialState, Parameters, 0.0, times);
}
