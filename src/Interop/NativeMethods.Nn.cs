using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/nn.h</c>.</summary>
internal static partial class NativeMethods
{
    // rwd_status rwd_nn_create(rwd_context* ctx, int64_t layers, const int64_t* sizes,
    //                          const char* const* activations, int32_t time_input, rwd_nn** out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus NnCreate(
        ContextHandle context, long layers, ReadOnlySpan<long> sizes, string[] activations, int timeInput, out NnHandle nn);

    // void rwd_nn_destroy(rwd_nn* nn);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_destroy")]
    internal static partial void NnDestroy(nint nn);

    // rwd_status rwd_nn_parameter_count(const rwd_nn* nn, int64_t* count);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_parameter_count")]
    internal static partial NativeStatus NnParameterCount(NnHandle nn, out long count);

    // rwd_status rwd_nn_set_gemm(rwd_nn* nn, const char* kernel);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_set_gemm", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus NnSetGemm(NnHandle nn, string kernel);

    // rwd_status rwd_nn_forward(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
    //                           double* y);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_forward")]
    internal static partial NativeStatus NnForward(
        NnHandle nn, double t, ReadOnlySpan<double> x, long batch, ReadOnlySpan<double> p, long np, Span<double> y);

    // rwd_status rwd_nn_vjp(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
    //                       const double* w, double* w_dx, double* w_dp);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_vjp")]
    internal static partial NativeStatus NnVjp(
        NnHandle nn,
        double t,
        ReadOnlySpan<double> x,
        long batch,
        ReadOnlySpan<double> p,
        long np,
        ReadOnlySpan<double> w,
        Span<double> wDx,
        Span<double> wDp);

    // rwd_status rwd_nn_jvp(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
    //                       const double* v_x, const double* v_p, double* jv);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_jvp")]
    internal static partial NativeStatus NnJvp(
        NnHandle nn,
        double t,
        ReadOnlySpan<double> x,
        long batch,
        ReadOnlySpan<double> p,
        long np,
        ReadOnlySpan<double> vX,
        ReadOnlySpan<double> vP,
        Span<double> jv);

    // rwd_status rwd_nn_field_create(rwd_nn* nn, int64_t batch, rwd_field** out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_nn_field_create")]
    internal static partial NativeStatus NnFieldCreate(NnHandle nn, long batch, out FieldHandle field);
}
