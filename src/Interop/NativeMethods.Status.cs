using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/status.h</c>.</summary>
internal static partial class NativeMethods
{
    // rwd_status rwd_abi_version(int32_t* version);
    [LibraryImport(LibraryName, EntryPoint = "rwd_abi_version")]
    internal static partial NativeStatus GetAbiVersion(out int version);

    // rwd_status rwd_last_error(const char** message);
    [LibraryImport(LibraryName, EntryPoint = "rwd_last_error")]
    internal static partial NativeStatus LastError(out nint message);
}
