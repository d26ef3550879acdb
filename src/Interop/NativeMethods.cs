namespace Rewind.Interop;

/// <summary>
/// The <c>[LibraryImport]</c> bindings of librewind's C ABI, one file per header under <c>native/include/rewind/</c>.
/// </summary>
internal static partial class NativeMethods
{
    /// <summary>The name every binding imports; the resolver maps it to a file.</summary>
    internal const string LibraryName = "rewind";

    /// <summary>The <c>RWD_ABI_VERSION</c> these bindings were written against.</summary>
    internal const int AbiVersion = 5;

    // An explicit static constructor runs before the first binding is called, hence before librewind is loaded.
    static NativeMethods() => NativeLibraryResolver.Register();
}
