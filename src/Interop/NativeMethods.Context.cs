using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/context.h</c>.</summary>
internal static unsafe partial class NativeMethods
{
    // rwd_status rwd_context_create(rwd_context** out);
    [LibraryImport(LibraryName, EntryPoint = "rwd_context_create")]
    internal static partial NativeStatus ContextCreate(out ContextHandle context);

    // void rwd_context_destroy(rwd_context* ctx);
    [LibraryImport(LibraryName, EntryPoint = "rwd_context_destroy")]
    internal static partial void ContextDestroy(nint context);

    // rwd_status rwd_context_last_error(rwd_context* ctx, const char** message);
    [LibraryImport(LibraryName, EntryPoint = "rwd_context_last_error")]
    internal static partial NativeStatus ContextLastError(ContextHandle context, out nint message);

    // typedef void (*rwd_log_fn)(void* user, int32_t level, const char* message);
    // rwd_status rwd_context_set_log_callback(rwd_context* ctx, rwd_log_fn fn, void* user, int32_t min_level);
    [LibraryImport(LibraryName, EntryPoint = "rwd_context_set_log_callback")]
    internal static partial NativeStatus ContextSetLogCallback(
        ContextHandle context, delegate* unmanaged[Cdecl]<nint, int, byte*, void> callback, nint user, int minLevel);
}
