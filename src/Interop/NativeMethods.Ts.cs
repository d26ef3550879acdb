using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/ts.h</c>.</summary>
internal static unsafe partial class NativeMethods
{
    // rwd_status rwd_ts_create(rwd_context* ctx, const char* type, const char* method, rwd_ts** out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus TsCreate(ContextHandle context, string type, string method, out TsHandle ts);

    // void rwd_ts_destroy(rwd_ts* ts);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_destroy")]
    internal static partial void TsDestroy(nint ts);

    // rwd_status rwd_ts_types(char* names, int64_t capacity, int64_t* required);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_types")]
    internal static partial NativeStatus TsTypes(Span<byte> names, long capacity, out long required);

    // rwd_status rwd_ts_methods(const char* type, char* names, int64_t capacity, int64_t* required);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_methods", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus TsMethods(string type, Span<byte> names, long capacity, out long required);

    // rwd_status rwd_ts_tableau(const char* method, int32_t capacity, int32_t* stages, int32_t* order,
    //                           int32_t* embedded_order, double* c, double* a, double* b, double* b_err);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_tableau", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus TsTableau(
        string method, int capacity, out int stages, out int order, out int embeddedOrder, Span<double> c, Span<double> a, Span<double> b, Span<double> bErr);

    // rwd_status rwd_ts_set_step(rwd_ts* ts, double dt);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_step")]
    internal static partial NativeStatus TsSetStep(TsHandle ts, double dt);

    // rwd_status rwd_ts_set_tolerances(rwd_ts* ts, double rtol, double atol);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_tolerances")]
    internal static partial NativeStatus TsSetTolerances(TsHandle ts, double rtol, double atol);

    // rwd_status rwd_ts_set_initial_step(rwd_ts* ts, double h0);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_initial_step")]
    internal static partial NativeStatus TsSetInitialStep(TsHandle ts, double h0);

    // rwd_status rwd_ts_set_min_step(rwd_ts* ts, double hmin);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_min_step")]
    internal static partial NativeStatus TsSetMinStep(TsHandle ts, double hmin);

    // rwd_status rwd_ts_set_max_steps(rwd_ts* ts, int64_t max_steps);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_max_steps")]
    internal static partial NativeStatus TsSetMaxSteps(TsHandle ts, long maxSteps);

    // rwd_status rwd_ts_set_theta(rwd_ts* ts, double theta);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_theta")]
    internal static partial NativeStatus TsSetTheta(TsHandle ts, double theta);

    // rwd_status rwd_ts_set_newton(rwd_ts* ts, double tolerance, int32_t max_iterations);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_newton")]
    internal static partial NativeStatus TsSetNewton(TsHandle ts, double tolerance, int maxIterations);

    // rwd_status rwd_ts_set_linear_solver(rwd_ts* ts, const char* type, double tolerance, int32_t restart);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_linear_solver", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus TsSetLinearSolver(TsHandle ts, string type, double tolerance, int restart);

    // typedef int32_t (*rwd_cost_fn)(void* user, double t, const double* y, const double* p, double* g);
    // typedef int32_t (*rwd_cost_gradient_fn)(void* user, double t, const double* y, const double* p, double* dg_dy,
    //                                         double* dg_dp);
    // rwd_status rwd_ts_set_running_cost(rwd_ts* ts, rwd_cost_fn g, rwd_cost_gradient_fn gradient, void* user);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_running_cost")]
    internal static partial NativeStatus TsSetRunningCost(
        TsHandle ts,
        delegate* unmanaged[Cdecl]<nint, double, double*, double*, double*, int> g,
        delegate* unmanaged[Cdecl]<nint, double, double*, double*, double*, double*, int> gradient,
        nint user);

    // rwd_status rwd_ts_get_running_cost(const rwd_ts* ts, double* q, int64_t nout);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_get_running_cost")]
    internal static partial NativeStatus TsGetRunningCost(TsHandle ts, Span<double> q, long nout);

    // rwd_status rwd_ts_get_running_cost_tangent(const rwd_ts* ts, double* dq, int64_t nout);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_get_running_cost_tangent")]
    internal static partial NativeStatus TsGetRunningCostTangent(TsHandle ts, Span<double> dq, long nout);

    // rwd_status rwd_ts_set_trajectory(rwd_ts* ts, const char* type, int64_t checkpoints, int64_t disk_checkpoints,
    //                                  const char* directory, int64_t planned_steps);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_set_trajectory", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus TsSetTrajectory(
        TsHandle ts, string type, long checkpoints, long diskCheckpoints, string? directory, long plannedSteps);

    // rwd_status rwd_ts_solve(rwd_ts* ts, rwd_field* field, const double* y0, int64_t n, const double* p,
    //                         int64_t np, double t0, const double* tout, int64_t nout, double* yout);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_solve")]
    internal static partial NativeStatus TsSolve(
        TsHandle ts,
        FieldHandle field,
        ReadOnlySpan<double> y0,
        long n,
        ReadOnlySpan<double> p,
        long np,
        double t0,
        ReadOnlySpan<double> tout,
        long nout,
        Span<double> yout);

    // rwd_status rwd_ts_adjoint_solve(rwd_ts* ts, const double* dl_dy, int64_t len, double* dl_dy0, int64_t n,
    //                                 double* dl_dp, int64_t np);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_adjoint_solve")]
    internal static partial NativeStatus TsAdjointSolve(
        TsHandle ts, ReadOnlySpan<double> dlDy, long len, Span<double> dlDy0, long n, Span<double> dlDp, long np);

    // rwd_status rwd_ts_tlm_solve(rwd_ts* ts, const double* dy0, int64_t n, const double* dp, int64_t np,
    //                             double* dyout, int64_t len);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_tlm_solve")]
    internal static partial NativeStatus TsTlmSolve(
        TsHandle ts, ReadOnlySpan<double> dy0, long n, ReadOnlySpan<double> dp, long np, Span<double> dyout, long len);

    // rwd_status rwd_ts_get_stats(const rwd_ts* ts, rwd_ts_stats* stats);
    [LibraryImport(LibraryName, EntryPoint = "rwd_ts_get_stats")]
    internal static partial NativeStatus TsGetStats(TsHandle ts, out TsStats stats);
}
