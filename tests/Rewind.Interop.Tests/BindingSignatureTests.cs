using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Rewind.Interop;

namespace RewindTests.Interop;

/// <summary>
/// Every binding takes the parameters its C declaration declares, in order, with a managed type that marshals to the
/// C type (an int64_t is a long, a const double* a ReadOnlySpan&lt;double&gt;, an rwd_nn* an NnHandle, an
/// rwd_field** an out FieldHandle, …), and returns what the function returns.
/// </summary>
public sealed partial class BindingSignatureTests
{
    // The C structs the bindings mirror, by C name.
    private static readonly Dictionary<string, Type> Structs = new(StringComparer.Ordinal)
    {
        ["rwd_ts_stats"] = typeof(TsStats),
        ["rwd_schedule_summary"] = typeof(NativeScheduleSummary),
        ["rwd_schedule_action"] = typeof(NativeScheduleAction),
    };

    public static TheoryData<string> Declared => new(Declarations().Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void TheHeadersDeclareFunctionsWithParameterLists()
    {
        var declarations = Declarations();
        Assert.Contains("rwd_nn_create", declarations.Keys);
        Assert.Equal(
            ["rwd_context*", "int64_t", "const int64_t*", "const char* const*", "int32_t", "rwd_nn**"],
            declarations["rwd_nn_create"].Parameters);
        Assert.Equal("void", declarations["rwd_nn_destroy"].Return);
        Assert.Empty(Parse("RWD_EXPORT rwd_status rwd_none(void);")["rwd_none"].Parameters);
    }

    [Fact]
    public void AbiVersionIsTheHeaders()
    {
        var header = File.ReadAllText(Path.Combine(Repository.HeaderDirectory, "status.h"));
        var version = AbiVersionPattern().Match(header);
        Assert.True(version.Success, "no #define RWD_ABI_VERSION in status.h");
        Assert.Equal(NativeMethods.AbiVersion, int.Parse(version.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(NativeStatus.Ok, NativeMethods.GetAbiVersion(out int loaded));
        Assert.Equal(NativeMethods.AbiVersion, loaded);
    }

    [Theory]
    [MemberData(nameof(Declared))]
    public void BindingMatchesItsDeclaration(string entryPoint)
    {
        var declaration = Declarations()[entryPoint];
        var binding = Bindings.All.Single(b => Bindings.EntryPoint(b) == entryPoint).Method;
        var parameters = binding.GetParameters();
        var problems = new List<string>();
        if (!ReturnMatches(declaration.Return, binding.ReturnType))
        {
            problems.Add($"returns {binding.ReturnType.Name}, C returns {declaration.Return}");
        }

        if (parameters.Length != declaration.Parameters.Count)
        {
            problems.Add($"takes {parameters.Length} parameters, C declares {declaration.Parameters.Count}");
        }

        for (int i = 0; i < Math.Min(parameters.Length, declaration.Parameters.Count); i++)
        {
            if (!ParameterMatches(declaration.Parameters[i], parameters[i]))
            {
                problems.Add($"parameter {i} ({parameters[i].Name}) is {Describe(parameters[i])}, C declares {declaration.Parameters[i]}");
            }
        }

        Assert.True(problems.Count == 0, $"{binding.Name} binds {entryPoint}: {string.Join("; ", problems)}");
    }

    private static bool ReturnMatches(string c, Type managed) => c switch
    {
        "rwd_status" => managed == typeof(NativeStatus),
        "void" => managed == typeof(void),
        _ => false,
    };

    private static bool ParameterMatches(string c, ParameterInfo parameter)
    {
        Type type = parameter.ParameterType;
        bool isOut = type.IsByRef && parameter.IsOut;
        Type? element = type.IsByRef ? type.GetElementType() : null;
        switch (c)
        {
            case "int64_t": return type == typeof(long);
            case "int32_t": return type == typeof(int);
            case "double": return type == typeof(double);
            case "void*": return type == typeof(nint);
            case "const char*": return type == typeof(string);
            case "char*": return type == typeof(Span<byte>);
            case "const char**": return isOut && element == typeof(nint);
            case "const char* const*": return type == typeof(string[]);
            case "const double*": return type == typeof(ReadOnlySpan<double>);
            case "double*": return type == typeof(Span<double>) || (isOut && element == typeof(double));
            case "const int64_t*": return type == typeof(ReadOnlySpan<long>);
            case "int64_t*": return isOut && element == typeof(long);
            case "int32_t*": return isOut && element == typeof(int);
        }

        if (c.EndsWith("_fn", StringComparison.Ordinal))
        {
            return type.IsFunctionPointer || type.IsUnmanagedFunctionPointer;
        }

        Match pointer = ObjectPointerPattern().Match(c);
        if (!pointer.Success)
        {
            return false;
        }

        string name = pointer.Groups["name"].Value;
        bool twice = pointer.Groups["stars"].Value == "**";
        if (Structs.TryGetValue(name, out Type? mirror))
        {
            return !twice && ((isOut && element == mirror) || type == typeof(Span<>).MakeGenericType(mirror));
        }

        string handle = string.Concat(name["rwd_".Length..].Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..])) + "Handle";
        return twice
            ? isOut && element is not null && typeof(SafeHandle).IsAssignableFrom(element) && element.Name == handle
            : (typeof(SafeHandle).IsAssignableFrom(type) && type.Name == handle) || type == typeof(nint);  // nint: destroy
    }

    private static string Describe(ParameterInfo parameter) =>
        (parameter.IsOut ? "out " : string.Empty) + (parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()!.Name : parameter.ParameterType.Name);

    private static Dictionary<string, (string Return, List<string> Parameters)> Declarations()
    {
        var all = new Dictionary<string, (string, List<string>)>(StringComparer.Ordinal);
        foreach (var header in Directory.GetFiles(Repository.HeaderDirectory, "*.h"))
        {
            foreach (var (name, declaration) in Parse(File.ReadAllText(header)))
            {
                all.Add(name, declaration);
            }
        }

        return all;
    }

    private static Dictionary<string, (string Return, List<string> Parameters)> Parse(string text)
    {
        var found = new Dictionary<string, (string, List<string>)>(StringComparer.Ordinal);
        foreach (Match m in DeclarationPattern().Matches(CommentPattern().Replace(text, " ")))
        {
            var parameters = new List<string>();
            string list = Normalize(m.Groups["parameters"].Value);
            if (list.Length > 0 && list != "void")
            {
                foreach (string parameter in list.Split(','))
                {
                    // The type is everything before the parameter's name: "const char* const* activations".
                    Match typed = ParameterPattern().Match(parameter.Trim());
                    Assert.True(typed.Success, $"cannot parse the parameter '{parameter}' of {m.Groups["name"].Value}");
                    parameters.Add(typed.Groups["type"].Value.Replace(" *", "*", StringComparison.Ordinal));
                }
            }

            found.Add(m.Groups["name"].Value, (Normalize(m.Groups["return"].Value), parameters));
        }

        return found;
    }

    private static string Normalize(string text) => WhitespacePattern().Replace(text, " ").Trim();

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"\bRWD_EXPORT\s+(?<return>[^;(]*?)\s*\b(?<name>rwd_\w+)\s*\((?<parameters>[^;()]*)\)\s*;")]
    private static partial Regex DeclarationPattern();

    [GeneratedRegex(@"^(const )?(?<name>rwd_\w+)(?<stars>\*\*?)$")]
    private static partial Regex ObjectPointerPattern();

    [GeneratedRegex(@"^(?<type>.*?)\s*\b\w+$")]
    private static partial Regex ParameterPattern();

    [GeneratedRegex(@"#define\s+RWD_ABI_VERSION\s+(?<version>\d+)")]
    private static partial Regex AbiVersionPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();
}
