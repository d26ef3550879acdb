using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>The <c>rwd_ts_stats</c> struct of <c>rewind/ts.h</c>, field for field.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TsStats
{
    public long Steps;
    public long RejectedSteps;
    public long FunctionEvaluations;
    public long VjpEvaluations;
    public long JvpEvaluations;
    public long RecomputedSteps;
    public long PeakBytesKept;
    public long BytesKept;
    public long PeakDiskBytesKept;
    public long JacobianEvaluations;
    public long Factorizations;
    public long NewtonIterations;
    public long NewtonFailures;
    public long LinearIterations;
}
