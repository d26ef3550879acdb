using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

// The C ABI is blittable throughout; turning the runtime marshaller off makes any binding that would silently
// need it a compile error instead.
[assembly: DisableRuntimeMarshalling]

// librewind is found next to the assembly or in the system directories, never in the working directory.
[assembly: DefaultDllImportSearchPaths(DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories)]
