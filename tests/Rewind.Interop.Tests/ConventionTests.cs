using System.Reflection;
using Rewind;
using Rewind.Checkpointing;
using Rewind.Integrators;
using Rewind.Networks;

namespace RewindTests.Interop;

/// <summary>API rules checked by reflection over the public surface of every Rewind.* library.</summary>
public sealed class ConventionTests
{
    private const BindingFlags DeclaredMembers = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Assembly[] Libraries =
    [
        typeof(RewindException).Assembly,
        typeof(CheckpointPolicy).Assembly,
        typeof(Solver).Assembly,
        typeof(Sequential).Assembly,
    ];

    public static TheoryData<string> LibraryNames => new(Libraries.Select(a => a.GetName().Name!));

    [Fact]
    public void NoPublicTypesInTheInteropNamespace()
    {
        var leaked = Libraries.SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Namespace == "Rewind.Interop" || (t.Namespace?.StartsWith("Rewind.Interop.", StringComparison.Ordinal) ?? false))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(leaked.Count == 0, $"public types in Rewind.Interop: {string.Join(", ", leaked)}");
    }

    [Theory]
    [MemberData(nameof(LibraryNames))]
    public void NoNativeHandlesInPublicSignatures(string library)
    {
        var assembly = Libraries.Single(a => a.GetName().Name == library);
        var offenders = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if (IsNative(type))
            {
                offenders.Add(type.FullName!);
            }

            foreach (var member in type.GetMembers(DeclaredMembers).Where(IsVisible))
            {
                offenders.AddRange(SignatureTypes(member).Where(IsNative).Select(t => $"{type.FullName}.{member.Name} uses {t}"));
            }
        }

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    [Theory]
    [MemberData(nameof(LibraryNames))]
    public void PublicDisposableTypesAreSealed(string library)
    {
        var assembly = Libraries.Single(a => a.GetName().Name == library);
        var unsealed = assembly.GetExportedTypes()
            .Where(t => t.IsClass && (typeof(IDisposable).IsAssignableFrom(t) || typeof(IAsyncDisposable).IsAssignableFrom(t)) && !t.IsSealed)
            .Select(t => t.FullName)
            .ToList();
        Assert.True(unsealed.Count == 0, $"public disposable types that are not sealed: {string.Join(", ", unsealed)}");
    }

    [Fact]
    public void TheSurfaceCheckSeesTheApi()
    {
        // Guards the two tests above against passing vacuously.
        Assert.Contains(typeof(Solution), typeof(Solver).Assembly.GetExportedTypes());
        Assert.True(typeof(IDisposable).IsAssignableFrom(typeof(Solution)));
        Assert.Contains(typeof(Solution).GetMethods(), m => m.Name == nameof(Solution.Tangent));
        Assert.True(IsNative(typeof(nint)) && IsNative(typeof(UIntPtr)) && IsNative(typeof(byte*)) && IsNative(typeof(IntPtr[])));
        Assert.False(IsNative(typeof(ReadOnlySpan<double>)));
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase m => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => p.GetAccessors(nonPublic: true).Any(a => a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly),
        EventInfo e => e.AddMethod is { } add && (add.IsPublic || add.IsFamily || add.IsFamilyOrAssembly),
        _ => false,
    };

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
        ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
        FieldInfo f => [f.FieldType],
        PropertyInfo p => p.GetIndexParameters().Select(i => i.ParameterType).Append(p.PropertyType),
        EventInfo e => [e.EventHandlerType!],
        _ => [],
    };

    // IntPtr (nint), UIntPtr (nuint) and raw pointers, also inside arrays, by-refs and generic arguments.
    private static bool IsNative(Type type)
    {
        if (type == typeof(IntPtr) || type == typeof(UIntPtr) || type.IsPointer || type.IsFunctionPointer || type.IsUnmanagedFunctionPointer)
        {
            return true;
        }

        if (type.HasElementType)
        {
            return IsNative(type.GetElementType()!);
        }

        return type.IsGenericType && type.GetGenericArguments().Any(IsNative);
    }
}
