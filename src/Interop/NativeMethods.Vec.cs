using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/vec.h</c>.</summary>
internal static partial class NativeMethods
{
    // rwd_status rwd_vec_create(rwd_context* ctx, const char* backend, int64_t n, rwd_vec** out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus VecCreate(ContextHandle context, string backend, long n, out VecHandle vec);

    // void rwd_vec_destroy(rwd_vec* v);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_destroy")]
    internal static partial void VecDestroy(nint vec);

    // rwd_status rwd_vec_size(const rwd_vec* v, int64_t* n);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_size")]
    internal static partial NativeStatus VecSize(VecHandle vec, out long n);

    // rwd_status rwd_vec_set(rwd_vec* v, const double* data, int64_t n);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_set")]
    internal static partial NativeStatus VecSet(VecHandle vec, ReadOnlySpan<double> data, long n);

    // rwd_status rwd_vec_get(const rwd_vec* v, double* data, int64_t n);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_get")]
    internal static partial NativeStatus VecGet(VecHandle vec, Span<double> data, long n);

    // rwd_status rwd_vec_copy(rwd_vec* y, const rwd_vec* x);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_copy")]
    internal static partial NativeStatus VecCopy(VecHandle y, VecHandle x);

    // rwd_status rwd_vec_scale(rwd_vec* y, double alpha);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_scale")]
    internal static partial NativeStatus VecScale(VecHandle y, double alpha);

    // rwd_status rwd_vec_axpy(rwd_vec* y, double alpha, const rwd_vec* x);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_axpy")]
    internal static partial NativeStatus VecAxpy(VecHandle y, double alpha, VecHandle x);

    // rwd_status rwd_vec_axpby(rwd_vec* y, double alpha, const rwd_vec* x, double beta);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_axpby")]
    internal static partial NativeStatus VecAxpby(VecHandle y, double alpha, VecHandle x, double beta);

    // rwd_status rwd_vec_dot(const rwd_vec* x, const rwd_vec* y, double* out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_dot")]
    internal static partial NativeStatus VecDot(VecHandle x, VecHandle y, out double result);

    // rwd_status rwd_vec_norm2(const rwd_vec* x, double* out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_vec_norm2")]
    internal static partial NativeStatus VecNorm2(VecHandle x, out double result);
}
