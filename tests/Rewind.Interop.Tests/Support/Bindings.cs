using System.Reflection;
using System.Runtime.InteropServices;
using Rewind;

namespace RewindTests.Interop;

/// <summary>The [LibraryImport] declarations of Rewind.Interop, found by reflection (the attribute stays in metadata).</summary>
internal static class Bindings
{
    public static Assembly InteropAssembly => typeof(RewindException).Assembly;

    public static IReadOnlyList<(MethodInfo Method, LibraryImportAttribute Import)> All { get; } = Find();

    public static string EntryPoint((MethodInfo Method, LibraryImportAttribute Import) binding) =>
        binding.Import.EntryPoint ?? binding.Method.Name;

    private static List<(MethodInfo, LibraryImportAttribute)> Find()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        return InteropAssembly.GetTypes()
            .SelectMany(t => t.GetMethods(all))
            .Select(m => (Method: m, Import: m.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(b => b.Import is not null)
            .Select(b => (b.Method, b.Import!))
            .ToList();
    }
}
