using Rewind.Interop;

namespace Rewind.Networks;

/// <summary>
/// An <c>rwd_nn</c> in a context of its own, for calls from managed code (forward, VJP, JVP); and the factory of
/// native networks and fields in a solve's context. Not safe for concurrent use: librewind's networks keep
/// workspaces.
/// </summary>
internal sealed class NativeNetwork : IDisposable
{
    /// <summary>The GEMM kernels of <c>rwd_nn_set_gemm</c>.</summary>
    internal static readonly string[] GemmKernels = ["auto", "blas", "builtin"];

    private readonly ContextHandle context;
    private readonly NnHandle nn;

    private NativeNetwork(ContextHandle context, NnHandle nn)
    {
        this.context = context;
        this.nn = nn;
    }

    /// <summary>Creates the network in a new context.</summary>
    internal static NativeNetwork Create(NetworkArchitecture architecture, string gemm)
    {
        Ensure.Success(NativeMethods.ContextCreate(out ContextHandle context));
        try
        {
            return new NativeNetwork(context, CreateHandle(context, architecture, gemm));
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the network in <paramref name="context"/> and the vector field dy/dt = net(t, y; p) on
    /// <paramref name="batch"/> rows from it; the field's handle keeps the network (and the context) alive.
    /// </summary>
    internal static FieldHandle CreateField(ContextHandle context, NetworkArchitecture architecture, string gemm, int batch)
    {
        NnHandle nn = CreateHandle(context, architecture, gemm);
        try
        {
            Ensure.Success(NativeMethods.NnFieldCreate(nn, batch, out FieldHandle field), context);
            try
            {
                field.DependOn(nn);  // "The network must outlive the field."
                field.DependOn(context);
                return field;
            }
            catch
            {
                field.Dispose();
                throw;
            }
        }
        finally
        {
            nn.Dispose();  // the field holds its own reference; the network goes when the field does
        }
    }

    /// <summary>y = net(t, x; p) for <paramref name="batch"/> rows.</summary>
    internal void Forward(double t, ReadOnlySpan<double> x, int batch, ReadOnlySpan<double> p, Span<double> y) =>
        Ensure.Success(NativeMethods.NnForward(nn, t, x, batch, p, p.Length, y), context);

    /// <summary>w_dx = wᵀ ∂net/∂x per row, w_dp = Σ_rows wᵀ ∂net/∂p.</summary>
    internal void Vjp(
        double t, ReadOnlySpan<double> x, int batch, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDx, Span<double> wDp) =>
        Ensure.Success(NativeMethods.NnVjp(nn, t, x, batch, p, p.Length, w, wDx, wDp), context);

    /// <summary>jv = ∂net/∂x v_x + ∂net/∂p v_p per row.</summary>
    internal void Jvp(
        double t, ReadOnlySpan<double> x, int batch, ReadOnlySpan<double> p, ReadOnlySpan<double> vX, ReadOnlySpan<double> vP, Span<double> jv) =>
        Ensure.Success(NativeMethods.NnJvp(nn, t, x, batch, p, p.Length, vX, vP, jv), context);

    public void Dispose()
    {
        nn.Dispose();
        context.Dispose();
    }

    private static NnHandle CreateHandle(ContextHandle context, NetworkArchitecture architecture, string gemm)
    {
        Ensure.Success(
            NativeMethods.NnCreate(
                context,
                architecture.LayerCount,
                architecture.NativeSizes(),
                architecture.NativeActivations(),
                architecture.TimeInput ? 1 : 0,
                out NnHandle nn),
            context);
        try
        {
            nn.DependOn(context);
            if (!string.Equals(gemm, "auto", StringComparison.Ordinal))
            {
                Ensure.Success(NativeMethods.NnSetGemm(nn, gemm), context);
            }

            Ensure.Success(NativeMethods.NnParameterCount(nn, out long count), context);
            if (count != architecture.ParameterCount)
            {
                throw new InvalidOperationException(
                    $"librewind's network {architecture.Describe()} has {count} parameters; Rewind.Networks laid out " +
                    $"{architecture.ParameterCount}. The library and the bindings disagree on the parameter layout.");
            }

            return nn;
        }
        catch
        {
            nn.Dispose();
            throw;
        }
    }
}
