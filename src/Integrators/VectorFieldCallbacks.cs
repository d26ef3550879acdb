using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// Presents an <see cref="IVectorField"/> to librewind as an <c>rwd_field</c>: static trampolines receive a
/// GCHandle to this adapter as <c>user</c>, wrap the native arrays in spans and call the field. Every exception
/// (cancellation included) is kept in <see cref="Failure"/> and reported to librewind as a failed callback, which
/// stops the solve; <see cref="Ensure"/> then rethrows it unchanged.
/// </summary>
internal sealed unsafe class VectorFieldCallbacks
{
    private const int Succeeded = 0;
    private const int Failed = 1;

    private readonly IVectorField field;
    private readonly ITangentVectorField? tangentField;
    private readonly int stateSize;
    private readonly int parameterSize;
    private readonly CancellationToken cancellationToken;

    internal VectorFieldCallbacks(IVectorField field, CancellationToken cancellationToken)
    {
        this.field = field;
        tangentField = field as ITangentVectorField;
        stateSize = field.StateSize;
        parameterSize = field.ParameterSize;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>The exception a callback threw, if any, waiting to be rethrown.</summary>
    internal CallbackFailure Failure { get; } = new();

    /// <summary>Whether the field gives Jacobian–vector products (tangent-linear solves need them).</summary>
    internal bool HasJvp => tangentField is not null;

    /// <summary>Creates the native field; the returned handle keeps this adapter alive until it is released.</summary>
    internal FieldHandle CreateNative(ContextHandle context)
    {
        GCHandle self = GCHandle.Alloc(this);
        FieldHandle? native = null;
        try
        {
            Ensure.Success(
                NativeMethods.FieldCreate(
                    context,
                    stateSize,
                    parameterSize,
                    &Evaluate,
                    &Vjp,
                    HasJvp ? &Jvp : null,
                    GCHandle.ToIntPtr(self),
                    out native),
                context);
            native.DependOn(context);
            native.OwnCallbackTarget(self);
            return native;
        }
        catch
        {
            // Destroy the native field first: it must not outlive the handle its callbacks use.
            native?.Dispose();
            self.Free();
            throw;
        }
    }

    private static VectorFieldCallbacks FromUser(nint user) => (VectorFieldCallbacks)GCHandle.FromIntPtr(user).Target!;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = CatchAllReason)]
    private static int Evaluate(nint user, double t, double* y, double* p, double* dydt)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            self.field.Evaluate(t, self.State(y), self.Parameters(p), new Span<double>(dydt, self.stateSize));
            return Succeeded;
        }
        catch (Exception e)
        {
            self.Failure.Capture(e);
            return Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = CatchAllReason)]
    private static int Vjp(nint user, double t, double* y, double* p, double* w, double* wDy, double* wDp)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            self.field.Vjp(
                t,
                self.State(y),
                self.Parameters(p),
                self.State(w),
                new Span<double>(wDy, self.stateSize),
                new Span<double>(wDp, self.parameterSize));
            return Succeeded;
        }
        catch (Exception e)
        {
            self.Failure.Capture(e);
            return Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = CatchAllReason)]
    private static int Jvp(nint user, double t, double* y, double* p, double* v, double* jv)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            self.tangentField!.Jvp(
                t,
                self.State(y),
                self.Parameters(p),
                new ReadOnlySpan<double>(v, self.stateSize + self.parameterSize),
                new Span<double>(jv, self.stateSize));
            return Succeeded;
        }
        catch (Exception e)
        {
            self.Failure.Capture(e);
            return Failed;
        }
    }

    private ReadOnlySpan<double> State(double* values) => new(values, stateSize);

    private ReadOnlySpan<double> Parameters(double* values) => new(values, parameterSize);

    private const string CatchAllReason =
        "No exception may unwind into native frames; every one is kept and rethrown after librewind returns.";
}
