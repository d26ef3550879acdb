using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Bindings of <c>rewind/schedule.h</c>.</summary>
internal static partial class NativeMethods
{
    // rwd_status rwd_schedule_plan(const char* type, int64_t steps, int64_t checkpoints,
    //                              rwd_schedule_summary* summary, rwd_schedule_action* actions,
    //                              int64_t capacity, int64_t* count);
    [LibraryImport(LibraryName, EntryPoint = "rwd_schedule_plan", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial NativeStatus SchedulePlan(
        string type, long steps, long checkpoints, out NativeScheduleSummary summary, Span<NativeScheduleAction> actions,
        long capacity, out long count);
}

/// <summary><c>rwd_schedule_summary</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeScheduleSummary
{
    public long Steps;
    public long Checkpoints;
    public long RecomputedSteps;
    public long OptimalRecomputedSteps;
    public long Repetitions;
    public long PeakCheckpoints;
}

/// <summary><c>rwd_schedule_action</c>: kind is one of the <c>RWD_ACTION_*</c> values (the public
/// <c>ScheduleActionKind</c> has the same numbering).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NativeScheduleAction
{
    public int Kind;
    public int Reserved;
    public long Step;
    public long To;
}
