using System.Reflection;
using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>
/// Finds librewind for the bindings: the file named by <c>REWIND_NATIVE_PATH</c> if set, else the runtime's
/// probing (next to the assembly, then the system), else <c>runtimes/*/native/</c> next to the assembly (an
/// application that copied a package's folders without its deps.json). A library is accepted only if its ABI
/// version matches; the exception for "none found" lists every attempt and why it failed.
/// </summary>
internal static unsafe class NativeLibraryResolver
{
    /// <summary>A file, or a folder holding the platform's file name, that is loaded instead of probing.</summary>
    internal const string PathVariable = "REWIND_NATIVE_PATH";

    // Loaded and checked once; a failure is kept too, so every later call reports the same attempts.
    private static readonly Lazy<nint> Library = new(
        () => Load(typeof(NativeLibraryResolver).Assembly), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Registers the resolver for this assembly; the runtime allows one, so the bindings do it once.</summary>
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);

    /// <summary>librewind's file name on this platform.</summary>
    private static string PlatformFileName =>
        OperatingSystem.IsWindows() ? "rewind.dll"
        : OperatingSystem.IsMacOS() ? "librewind.dylib"
        : "librewind.so";

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == NativeMethods.LibraryName ? Library.Value : 0;

    private static nint Load(Assembly assembly)
    {
        var trace = new List<string>();
        string? overridePath = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            // An explicit choice is final: silently falling back to another copy would hide the mistake.
            string file = Directory.Exists(overridePath) ? Path.Combine(overridePath, PlatformFileName) : overridePath;
            nint chosen = TryLoadFile(file, $"{PathVariable}={overridePath}", trace);
            return chosen != 0 ? chosen : throw NotFound(trace);
        }

        nint probed = TryLoadProbed(assembly, trace);
        if (probed != 0)
        {
            return probed;
        }

        foreach (string file in RuntimesCandidates(assembly, trace))
        {
            nint packaged = TryLoadFile(file, file, trace);
            if (packaged != 0)
            {
                return packaged;
            }
        }

        throw NotFound(trace);
    }

    private static nint TryLoadProbed(Assembly assembly, List<string> trace)
    {
        const DllImportSearchPath searchPath = DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories;
        try
        {
            return Accept(NativeLibrary.Load(NativeMethods.LibraryName, assembly, searchPath), "default probing", trace);
        }
        catch (DllNotFoundException e)
        {
            trace.Add($"default probing: {e.Message}");
            return 0;
        }
    }

    private static nint TryLoadFile(string file, string origin, List<string> trace)
    {
        if (!File.Exists(file))
        {
            trace.Add($"{origin}: {file} does not exist");
            return 0;
        }

        try
        {
            return Accept(NativeLibrary.Load(file), origin, trace);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            trace.Add($"{origin}: {e.Message}");
            return 0;
        }
    }

    /// <summary>The current RID's folder first, then the others (a portable RID may differ from the build's).</summary>
    private static IEnumerable<string> RuntimesCandidates(Assembly assembly, List<string> trace)
    {
        string directory = string.IsNullOrEmpty(assembly.Location)
            ? AppContext.BaseDirectory
            : Path.GetDirectoryName(assembly.Location)!;
        string runtimes = Path.Combine(directory, "runtimes");
        if (!Directory.Exists(runtimes))
        {
            trace.Add($"{runtimes}: no such folder");
            return [];
        }

        string current = Path.Combine(runtimes, RuntimeInformation.RuntimeIdentifier);
        return Directory.EnumerateDirectories(runtimes)
            .OrderBy(rid => rid == current ? 0 : 1)
            .Select(rid => Path.Combine(rid, "native", PlatformFileName));
    }

    /// <summary>Keeps <paramref name="handle"/> if its ABI version matches; otherwise frees it and says why.</summary>
    private static nint Accept(nint handle, string origin, List<string> trace)
    {
        if (!NativeLibrary.TryGetExport(handle, "rwd_abi_version", out nint export))
        {
            trace.Add($"{origin}: the library has no rwd_abi_version; it is not librewind");
            NativeLibrary.Free(handle);
            return 0;
        }

        int version = 0;
        var getVersion = (delegate* unmanaged[Cdecl]<int*, NativeStatus>)export;
        if (getVersion(&version) != NativeStatus.Ok || version != NativeMethods.AbiVersion)
        {
            trace.Add($"{origin}: librewind has ABI version {version}, these bindings need {NativeMethods.AbiVersion}");
            NativeLibrary.Free(handle);
            return 0;
        }

        return handle;
    }

    private static DllNotFoundException NotFound(List<string> trace) =>
        new($"Could not load a compatible librewind ({PlatformFileName}, ABI version {NativeMethods.AbiVersion}). " +
            $"Build it with 'dotnet build' (or set {PathVariable} to the library). Attempts:{Environment.NewLine}  " +
            string.Join(Environment.NewLine + "  ", trace));
}
