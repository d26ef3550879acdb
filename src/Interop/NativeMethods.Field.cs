using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/field.h</c>.</summary>
internal static unsafe partial class NativeMethods
{
    // typedef int32_t (*rwd_field_f_fn)(void* user, double t, const double* y, const double* p, double* dydt);
    // typedef int32_t (*rwd_field_vjp_fn)(void* user, double t, const double* y, const double* p, const double* w,
    //                                     double* w_dy, double* w_dp);
    // typedef int32_t (*rwd_field_jvp_fn)(void* user, double t, const double* y, const double* p, const double* v,
    //                                     double* jv);
    // rwd_status rwd_field_create(rwd_context* ctx, int64_t n, int64_t np, rwd_field_f_fn f,
    //                             rwd_field_vjp_fn vjp, rwd_field_jvp_fn jvp, void* user, rwd_field** out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_field_create")]
    internal static partial NativeStatus FieldCreate(
        ContextHandle context,
        long n,
        long np,
        delegate* unmanaged[Cdecl]<nint, double, double*, double*, double*, int> f,
        delegate* unmanaged[Cdecl]<nint, double, double*, double*, double*, double*, double*, int> vjp,
        delegate* unmanaged[Cdecl]<nint, double, double*, double*, double*, double*, int> jvp,
        nint user,
        out FieldHandle field);

    // void rwd_field_destroy(rwd_field* field);
    [LibraryImport(LibraryName, EntryPoint = "rwd_field_destroy")]
    internal static partial void FieldDestroy(nint field);

    // typedef int32_t (*rwd_field_jacobian_fn)(void* user, double t, const double* y, const double* p, double* dfdy);
    // rwd_status rwd_field_set_jacobian(rwd_field* field, rwd_field_jacobian_fn jacobian);
    [LibraryImport(LibraryName, EntryPoint = "rwd_field_set_jacobian")]
    internal static partial NativeStatus FieldSetJacobian(
        FieldHandle field, delegate* unmanaged[Cdecl]<nint, double, double*, double*, double*, int> jacobian);
}
