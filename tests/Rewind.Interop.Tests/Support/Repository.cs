using System.Reflection;

namespace RewindTests.Interop;

/// <summary>Where the tests find the sources and the native build tree.</summary>
internal static class Repository
{
    /// <summary>The folder holding Toolkit.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The native build tree MSBuild built librewind in, recorded in this assembly's metadata.</summary>
    public static string NativeBuildDirectory { get; } = typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RewindNativeBuildDir").Value!;

    public static string HeaderDirectory => Path.Combine(Root, "native", "include", "rewind");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Toolkit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Toolkit.sln above {AppContext.BaseDirectory}");
    }
}
