namespace Rewind.Interop;

/// <summary>The <c>rwd_status</c> codes of <c>rewind/status.h</c>.</summary>
internal enum NativeStatus
{
    Ok = 0,
    Argument = 1,
    NonFinite = 2,
    Alloc = 3,
    State = 4,
    UnknownName = 5,
    StepUnderflow = 6,
    MaxSteps = 7,
    Convergence = 8,
    Callback = 9,
    Unsupported = 10,
    Internal = 11,
    Io = 12,
}
