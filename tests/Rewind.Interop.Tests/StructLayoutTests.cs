using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Rewind.Interop;

namespace RewindTests.Interop;

/// <summary>The managed mirror of <c>rwd_ts_stats</c> has the C struct's fields, in its order, with its size.</summary>
public sealed partial class StructLayoutTests
{
    // C field name -> the TsStats field that mirrors it, in declaration order.
    private static readonly (string C, string Managed)[] TsStatsFields =
    [
        ("steps", nameof(TsStats.Steps)),
        ("rejected_steps", nameof(TsStats.RejectedSteps)),
        ("f_evals", nameof(TsStats.FunctionEvaluations)),
        ("vjp_evals", nameof(TsStats.VjpEvaluations)),
        ("jvp_evals", nameof(TsStats.JvpEvaluations)),
        ("recomputed_steps", nameof(TsStats.RecomputedSteps)),
        ("peak_bytes_kept", nameof(TsStats.PeakBytesKept)),
        ("bytes_kept", nameof(TsStats.BytesKept)),
        ("peak_disk_bytes_kept", nameof(TsStats.PeakDiskBytesKept)),
        ("jacobian_evals", nameof(TsStats.JacobianEvaluations)),
        ("factorizations", nameof(TsStats.Factorizations)),
        ("newton_iterations", nameof(TsStats.NewtonIterations)),
        ("newton_failures", nameof(TsStats.NewtonFailures)),
        ("linear_iterations", nameof(TsStats.LinearIterations)),
    ];

    [Fact]
    public void TsStatsMatchesTheHeaderFieldForField()
    {
        var header = File.ReadAllText(Path.Combine(Repository.HeaderDirectory, "ts.h"));
        var body = StructPattern().Match(CommentPattern().Replace(header, " "));
        Assert.True(body.Success, "no 'typedef struct rwd_ts_stats { ... } rwd_ts_stats;' in ts.h");
        var declared = FieldPattern().Matches(body.Groups["body"].Value)
            .Select(m => (Type: m.Groups["type"].Value, Name: m.Groups["name"].Value))
            .ToList();

        Assert.All(declared, field => Assert.Equal("int64_t", field.Type));
        Assert.Equal(TsStatsFields.Select(f => f.C), declared.Select(f => f.Name));

        var managed = typeof(TsStats).GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .OrderBy(f => Marshal.OffsetOf<TsStats>(f.Name))
            .ToList();
        Assert.Equal(TsStatsFields.Select(f => f.Managed), managed.Select(f => f.Name));
        Assert.All(managed, f => Assert.Equal(typeof(long), f.FieldType));
        for (var i = 0; i < managed.Count; i++)
        {
            Assert.Equal(i * sizeof(long), (int)Marshal.OffsetOf<TsStats>(managed[i].Name));
        }

        Assert.Equal(declared.Count * sizeof(long), Marshal.SizeOf<TsStats>());
    }

    [GeneratedRegex(@"/\*.*?\*/|//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"typedef\s+struct\s+rwd_ts_stats\s*\{(?<body>[^}]*)\}\s*rwd_ts_stats\s*;")]
    private static partial Regex StructPattern();

    [GeneratedRegex(@"(?<type>\w+)\s+(?<name>\w+)\s*;")]
    private static partial Regex FieldPattern();
}
