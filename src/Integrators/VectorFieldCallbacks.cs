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

    /// <summary>
    /// Creates the native field; the returned handle keeps this adapter alive until it is released. A field that
    /// is an <see cref="INativeVectorField"/> creates its own native field, which librewind calls without callbacks;
    /// the adapter then serves only the running cost.
    /// </summary>
    internal FieldHandle CreateNative(ContextHandle context)
    {
        if (field is INativeVectorField nativeField)
        {
            return AdoptNative(nativeField.CreateNativeField(context));
        }

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
    /// Takes a field created natively: if the problem has a running cost, the field's handle becomes the owner of
    /// the GCHandle its callbacks receive, as for a field of callbacks.
    /// </summary>
    private FieldHandle AdoptNative(FieldHandle native)
    {
        if (native is null || native.IsInvalid || native.IsClosed)
        {
            native?.Dispose();
            throw new InvalidOperationException(
                $"{field.GetType().Name}.{nameof(INativeVectorField.CreateNativeField)} returned no native field.");
        }

        if (runningCost is not null)
        {
            GCHandle self = GCHandle.Alloc(this);
            try
            {
                native.OwnCallbackTarget(self);
            }
            catch
            {
                self.Free();
                native.Dispose();
                throw;
            }

            userPointer = GCHandle.ToIntPtr(self);
        }

        return native;
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

    // Every trampoline runs its body here: no exception may unwind into native frames, so each one is kept and
    // reported as a failed callback.
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = CatchAllReason)]
    private static int Run(
        nint user, in Arguments arguments, delegate*<VectorFieldCallbacks, in Arguments, void> body)
    {
        VectorFieldCallbacks self = FromUser(user);
        try
        {
            self.cancellationToken.ThrowIfCancellationRequested();
            body(self, arguments);
            return Succeeded;
        }
        catch (Exception e)
        {
            self.Failure.Capture(e);
            return Failed;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Evaluate(nint user, double t, double* y, double* p, double* dydt) =>
        Run(user, new Arguments(t, y, p, dydt), &EvaluateBody);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Vjp(nint user, double t, double* y, double* p, double* w, double* wDy, double* wDp) =>
        Run(user, new Arguments(t, y, p, w, wDy, wDp), &VjpBody);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Jvp(nint user, double t, double* y, double* p, double* v, double* jv) =>
        Run(user, new Arguments(t, y, p, v, jv), &JvpBody);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Jacobian(nint user, double t, double* y, double* p, double* dfdy) =>
        Run(user, new Arguments(t, y, p, dfdy), &JacobianBody);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RunningCost(nint user, double t, double* y, double* p, double* g) =>
        Run(user, new Arguments(t, y, p, g), &RunningCostBody);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int RunningCostGradient(nint user, double t, double* y, double* p, double* dgDy, double* dgDp) =>
        Run(user, new Arguments(t, y, p, dgDy, dgDp), &RunningCostGradientBody);

    private static void EvaluateBody(VectorFieldCallbacks self, in Arguments a) =>
        self.field.Evaluate(a.T, self.State(a.Y), self.Parameters(a.P), self.StateOut(a.First));

    private static void VjpBody(VectorFieldCallbacks self, in Arguments a) =>
        self.field.Vjp(
            a.T, self.State(a.Y), self.Parameters(a.P), self.State(a.First), self.StateOut(a.Second),
            new Span<double>(a.Third, self.parameterSize));

    private static void JvpBody(VectorFieldCallbacks self, in Arguments a) =>
        self.tangentField!.Jvp(
            a.T,
            self.State(a.Y),
            self.Parameters(a.P),
            new ReadOnlySpan<double>(a.First, self.stateSize + self.parameterSize),
            self.StateOut(a.Second));

    private static void JacobianBody(VectorFieldCallbacks self, in Arguments a) =>
        self.jacobianField!.Jacobian(
            a.T, self.State(a.Y), self.Parameters(a.P), new Span<double>(a.First, self.stateSize * self.stateSize));

    private static void RunningCostBody(VectorFieldCallbacks self, in Arguments a) =>
        *a.First = self.runningCost!.Evaluate(a.T, self.State(a.Y), self.Parameters(a.P));

    private static void RunningCostGradientBody(VectorFieldCallbacks self, in Arguments a) =>
        self.runningCost!.Gradient(
            a.T,
            self.State(a.Y),
            self.Parameters(a.P),
            self.StateOut(a.First),
            new Span<double>(a.Second, self.parameterSize));

    private Span<double> StateOut(double* values) => new(values, stateSize);

    private ReadOnlySpan<double> State(double* values) => new(values, stateSize);

    private ReadOnlySpan<double> Parameters(double* values) => new(values, parameterSize);

    private const string CatchAllReason =
        "No exception may unwind into native frames; every one is kept and rethrown after librewind returns.";

    /// <summary>A callback's arguments as librewind passes them: t, y, p, then the callback's own arrays.</summary>
    private readonly struct Arguments(
        double t, double* y, double* p, double* first, double* second = null, double* third = null)
    {
        public double T { get; } = t;

        public double* Y { get; } = y;

        public double* P { get; } = p;

        public double* First { get; } = first;

        public double* Second { get; } = second;

        public double* Third { get; } = third;
    }
}
