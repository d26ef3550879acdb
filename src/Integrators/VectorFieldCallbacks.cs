using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// Presents an <see cref="IVectorField"/> (with its dense Jacobian, if it is an <see cref="IDenseJacobian"/>) to
/// librewind as an <c>rwd_field</c>, and a problem's <see cref="IRunningCost"/> as the running cost of a ts: static
/// trampolines receive a GCHandle to this adapter as <c>user</c>, wrap the native arrays in spans and call the
/// field or the cost. Every exception (cancellation included) is kept in <see cref="Failure"/> and reported to
/// librewind as a failed callback, which stops the solve; <see cref="Ensure"/> then rethrows it unchanged.
/// The GCHandle is owned by the field's handle; a ts that uses the running cost depends on that handle, so the
/// adapter outlives every native object that can call it.
/// </summary>
internal sealed unsafe class VectorFieldCallbacks
{
    private const int Succeeded = 0;
    private const int Failed = 1;

    private readonly IVectorField field;
    private readonly ITangentVectorField? tangentField;
    private readonly IDenseJacobian? jacobianField;
    private readonly IRunningCost? runningCost;
    private readonly int stateSize;
    private readonly int parameterSize;
    private readonly CancellationToken cancellationToken;
    private nint userPointer;

    internal VectorFieldCallbacks(IVectorField field, IRunningCost? runningCost, CancellationToken cancellationToken)
    {
        this.field = field;
        this.runningCost = runningCost;
        tangentField = field as ITangentVectorField;
        jacobianField = field as IDenseJacobian;
        stateSize = field.StateSize;
        parameterSize = field.ParameterSize;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>The exception a callback threw, if any, waiting to be rethrown.</summary>
    internal CallbackFailure Failure { get; } = new();

    /// <summary>Whether the field gives Jacobian–vector products (tangent-linear solves need them).</summary>
    internal bool HasJvp => tangentField is not null;

    /// <summary>Whether the field gives its dense Jacobian.</summary>
    internal bool HasJacobian => jacobianField is not null;

    /// <summary>Whether the problem has a running cost.</summary>
    internal bool HasRunningCost => runningCost is not null;

    /// <summary>Creates the native field; the returned handle keeps this adapter alive until it is released.</summary>
    internal FieldHandle CreateNative(ContextHandle context)
    {
        GCHandle self = GCHandle.Alloc(this);
        FieldHandle? native = null;
        bool owned = false;
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
            owned = true;
            if (HasJacobian)
            {
                Ensure.Success(NativeMethods.FieldSetJacobian(native, &Jacobian), context);
            }

            userPointer = GCHandle.ToIntPtr(self);
            return native;
        }
        catch
        {
            // Destroy the native field first: it must not outlive the handle its callbacks use. Once the field's
            // handle owns the GCHandle, releasing the handle frees it.
            native?.Dispose();
            if (!owned)
            {
                self.Free();
            }

            throw;
        }
    }

    /// <summary>
    /// Registers the problem's running cost (if any) with <paramref name="ts"/>. Its callbacks reach this adapter
    /// through the GCHandle the field's handle owns, so <paramref name="ts"/> must depend on that field handle
    /// (created by <see cref="CreateNative"/>).
    /// </summary>
    internal void RegisterRunningCost(TsHandle ts, ContextHandle context)
    {
        if (runningCost is null)
        {
            return;
        }

        if (userPointer == 0)
        {
            throw new InvalidOperationException("The native field must be created before the running cost is registered.");
        }

        Ensure.Success(NativeMethods.TsSetRunningCost(ts, &RunningCost, &RunningCostGradient, userPointer), context);
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

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = CatchAllReason)]
    private static int Jacobian(nint user, double t, double* y, double* p, double* dfdy)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            self.jacobianField!.Jacobian(
                t, self.State(y), self.Parameters(p), new Span<double>(dfdy, self.stateSize * self.stateSize));
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
    private static int RunningCost(nint user, double t, double* y, double* p, double* g)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            *g = self.runningCost!.Evaluate(t, self.State(y), self.Parameters(p));
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
    private static int RunningCostGradient(nint user, double t, double* y, double* p, double* dgDy, double* dgDp)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            self.runningCost!.Gradient(
                t,
                self.State(y),
                self.Parameters(p),
                new Span<double>(dgDy, self.stateSize),
                new Span<double>(dgDp, self.parameterSize));
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
