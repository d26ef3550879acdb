using Rewind.Integrators;
using Rewind.Interop;

namespace Rewind.Networks;

/// <summary>
/// A network as the vector field dy/dt = net(t, y; p) of a neural ODE, on a state of <see cref="Batch"/>
/// independent rows of <see cref="Dimension"/> values each (row-major: StateSize = Batch × Dimension), with the
/// network's parameter vector as the field's parameters (pass <see cref="Sequential.Parameters"/> as the problem's
/// parameters). The solver evaluates it natively — f, its vector–Jacobian and Jacobian–vector products run inside
/// librewind with no call into managed code — and the step-size control's error norm covers the whole batch. The
/// <see cref="IVectorField"/> and <see cref="ITangentVectorField"/> members evaluate the same native kernels for
/// managed callers. Not safe for concurrent use of those members from several threads; solves may run concurrently
/// (each builds its own native network).
/// </summary>
/// <remarks>
/// <see cref="Solver.Solve(OdeProblem, Adjoint, CancellationToken)"/> observes its cancellation token at managed
/// callbacks only; a solve of this field (without a running cost) runs to its end once started.
/// </remarks>
public sealed class NeuralVectorField : ITangentVectorField, INativeVectorField, IDisposable
{
    private readonly NetworkArchitecture architecture;
    private readonly Lock gate = new();
    private readonly string gemmKernel = "auto";
    private NativeNetwork? evaluator;
    private bool disposed;

    /// <summary>Creates the field of <paramref name="network"/> on <paramref name="batch"/> rows.</summary>
    /// <param name="network">A network with as many outputs as inputs (its architecture is fixed from now on;
    /// its parameters are not used: the field's parameters come from the problem).</param>
    /// <param name="batch">The number of rows; at least 1.</param>
    /// <exception cref="ArgumentException">The network's output size differs from its input size.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batch"/> is less than 1, or the state would
    /// have more than <see cref="int.MaxValue"/> entries.</exception>
    public NeuralVectorField(Sequential network, int batch = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (network.InputSize != network.OutputSize)
        {
            throw new ArgumentException(
                $"A vector field's network must map a state to a derivative of the same size, but {network} maps " +
                $"{network.InputSize} inputs to {network.OutputSize} outputs.",
                nameof(network));
        }

        long stateSize = (long)batch * network.InputSize;
        if (stateSize > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batch), batch, $"batch × {network.InputSize} = {stateSize} state entries exceed {int.MaxValue}.");
        }

        Network = network;
        architecture = network.Architecture;
        Batch = batch;
        StateSize = (int)stateSize;
    }

    /// <summary>The network.</summary>
    public Sequential Network { get; }

    /// <summary>The number of rows of the state.</summary>
    public int Batch { get; }

    /// <summary>The values per row: the network's input (and output) size.</summary>
    public int Dimension => architecture.InputSize;

    /// <summary>Batch × Dimension.</summary>
    public int StateSize { get; }

    /// <summary>The network's parameter count.</summary>
    public int ParameterSize => architecture.ParameterCount;

    /// <summary>
    /// The matrix-multiply kernel of every native network this field builds: <c>"auto"</c> (the default: BLAS when
    /// librewind was built with it, else built-in), <c>"blas"</c> or <c>"builtin"</c> (cache-blocked, always
    /// available). A <c>"blas"</c> field fails with <see cref="NotSupportedException"/> when first evaluated or
    /// solved if librewind has no BLAS.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not one of the three.</exception>
    public string GemmKernel
    {
        get => gemmKernel;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(GemmKernel));
            if (!NativeNetwork.GemmKernels.Contains(value, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Unknown GEMM kernel '{value}'. The kernels are: {string.Join(", ", NativeNetwork.GemmKernels)}.",
                    nameof(GemmKernel));
            }

            gemmKernel = value;
        }
    }

    /// <summary>Writes net(t, y; p), row by row, into <paramref name="dydt"/>.</summary>
    /// <param name="t">The time (an input of the network only with time input).</param>
    /// <param name="y">The state, <see cref="StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="ParameterSize"/> entries.</param>
    /// <param name="dydt">Receives the derivative, <see cref="StateSize"/> entries.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ObjectDisposedException">The field was disposed.</exception>
    public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
    {
        CheckState(y.Length, nameof(y));
        CheckParameters(p.Length, nameof(p));
        CheckState(dydt.Length, nameof(dydt));
        lock (gate)
        {
            Evaluator().Forward(t, y, Batch, p, dydt);
        }
    }

    /// <summary>Writes wᵀ∂f/∂y (row by row) into <paramref name="wDy"/> and wᵀ∂f/∂p (summed over the rows) into <paramref name="wDp"/>, overwriting them.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="ParameterSize"/> entries.</param>
    /// <param name="w">The cotangent, <see cref="StateSize"/> entries.</param>
    /// <param name="wDy">Receives wᵀ∂f/∂y, <see cref="StateSize"/> entries.</param>
    /// <param name="wDp">Receives wᵀ∂f/∂p, <see cref="ParameterSize"/> entries.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ObjectDisposedException">The field was disposed.</exception>
    public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp)
    {
        CheckState(y.Length, nameof(y));
        CheckParameters(p.Length, nameof(p));
        CheckState(w.Length, nameof(w));
        CheckState(wDy.Length, nameof(wDy));
        CheckParameters(wDp.Length, nameof(wDp));
        lock (gate)
        {
            Evaluator().Vjp(t, y, Batch, p, w, wDy, wDp);
        }
    }

    /// <summary>Writes ∂f/∂y v[..StateSize] + ∂f/∂p v[StateSize..] into <paramref name="jv"/>.</summary>
    /// <param name="t">The time.</param>
    /// <param name="y">The state, <see cref="StateSize"/> entries.</param>
    /// <param name="p">The parameters, <see cref="ParameterSize"/> entries.</param>
    /// <param name="v">The tangent of y, then of p: StateSize + ParameterSize entries.</param>
    /// <param name="jv">Receives the product, <see cref="StateSize"/> entries.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <exception cref="ObjectDisposedException">The field was disposed.</exception>
    public void Jvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> jv)
    {
        CheckState(y.Length, nameof(y));
        CheckParameters(p.Length, nameof(p));
        Shapes.RequireLength(v.Length, (long)StateSize + ParameterSize, nameof(v), $"StateSize + ParameterSize = {StateSize} + {ParameterSize}");
        CheckState(jv.Length, nameof(jv));
        lock (gate)
        {
            Evaluator().Jvp(t, y, Batch, p, v[..StateSize], v[StateSize..], jv);
        }
    }

    /// <summary>Frees the native network the managed members use. Solutions already computed keep their own.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            evaluator?.Dispose();
            evaluator = null;
        }
    }

    /// <inheritdoc/>
    FieldHandle INativeVectorField.CreateNativeField(ContextHandle context)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return NativeNetwork.CreateField(context, architecture, gemmKernel, Batch);
    }

    /// <summary>"NeuralVectorField(batch × dimension: network)".</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"NeuralVectorField({Batch} × {Dimension}: {Network})";

    private NativeNetwork Evaluator()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return evaluator ??= NativeNetwork.Create(architecture, gemmKernel);
    }

    private void CheckState(int length, string name) =>
        Shapes.RequireLength(length, StateSize, name, $"StateSize = {Batch} × {Dimension}");

    private void CheckParameters(int length, string name) =>
        Shapes.RequireLength(length, ParameterSize, name, "ParameterSize");
}
