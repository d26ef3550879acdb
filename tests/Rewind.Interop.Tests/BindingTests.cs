using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RewindTests.Interop;

/// <summary>The hand-written bindings match the native library and its headers exactly.</summary>
public sealed partial class BindingTests
{
    public static TheoryData<string> EntryPoints => new(Bindings.All.Select(Bindings.EntryPoint).Distinct().Order(StringComparer.Ordinal));

    [Fact]
    public void TheBindingsLiveInNativeMethods()
    {
        Assert.NotEmpty(Bindings.All);
        Assert.All(Bindings.All, b => Assert.Equal("NativeMethods", b.Method.DeclaringType!.Name));
        Assert.All(Bindings.All, b => Assert.Equal("rewind", b.Import.LibraryName));
    }

    [Theory]
    [MemberData(nameof(EntryPoints))]
    public void EntryPointResolvesInTheBuiltLibrary(string entryPoint)
    {
        var libraryName = Bindings.All.First(b => Bindings.EntryPoint(b) == entryPoint).Import.LibraryName;
        // The copy next to the test binaries, which is the one the bindings load.
        var library = NativeLibrary.Load(libraryName, Bindings.InteropAssembly, DllImportSearchPath.AssemblyDirectory);
        Assert.True(NativeLibrary.TryGetExport(library, entryPoint, out var address), $"{entryPoint} is not exported by {libraryName}");
        Assert.NotEqual(0, address);
    }

    [Fact]
    public void HeadersDeclareExactlyTheBoundEntryPoints()
    {
        var headers = Directory.GetFiles(Repository.HeaderDirectory, "*.h");
        Assert.NotEmpty(headers);
        var declared = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var header in headers)
        {
            var text = CommentPattern().Replace(File.ReadAllText(header), " ");
            foreach (Match m in DeclarationPattern().Matches(text))
            {
                declared.Add(m.Groups["name"].Value);
            }
        }

        var bound = new SortedSet<string>(Bindings.All.Select(Bindings.EntryPoint), StringComparer.Ordinal);
        Assert.NotEmpty(declared);
        var unbound = declared.Except(bound).ToList();
        var undeclared = bound.Except(declared).ToList();
        Assert.True(
            unbound.Count == 0 && undeclared.Count == 0,
            $"declared in native/include/rewind but not bound: [{string.Join(", ", unbound)}]; bound but not declared: [{string.Join(", ", undeclared)}]");
    }

    [Fact]
    public void HeaderParserFindsDeclarationsAndIgnoresCommentsAndTypedefs()
    {
        const string sample = """
            /* rwd_commented(void) is not a declaration */
            typedef int32_t (*rwd_callback_fn)(void* user);
            RWD_EXPORT rwd_status rwd_first(rwd_context* ctx,
                                            int64_t n);
            RWD_EXPORT void rwd_second(rwd_ts* ts); /* NULL is a no-op */
            #define RWD_EXPORT __declspec(dllexport)
            """;
        var text = CommentPattern().Replace(sample, " ");
        var names = DeclarationPattern().Matches(text).Select(m => m.Groups["name"].Value).ToArray();
        Assert.Equal(["rwd_first", "rwd_second"], names);
    }

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    // RWD_EXPORT <return type> rwd_name(  — the return type never contains '(' or ';'.
    [GeneratedRegex(@"\bRWD_EXPORT\b[^;(]*?\b(?<name>rwd_\w+)\s*\(")]
    private static partial Regex DeclarationPattern();
}
