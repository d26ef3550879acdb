using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>
/// Turns <c>rwd_status</c> codes into exceptions: every binding's status goes through one of these methods.
/// </summary>
internal static class Ensure
{
    /// <summary>Throws for a failed call that has no context; the message is the thread's last error.</summary>
    internal static void Success(NativeStatus status)
    {
        if (status != NativeStatus.Ok)
        {
            throw ToException(status, ThreadLastError());
        }
    }

    /// <summary>Throws for a failed call on an object of <paramref name="context"/>.</summary>
    internal static void Success(NativeStatus status, ContextHandle context)
    {
        if (status != NativeStatus.Ok)
        {
            throw ToException(status, ContextLastError(context));
        }
    }

    /// <summary>
    /// Throws for a failed call that may have run managed callbacks: if one of them threw, that exception is
    /// rethrown as is, with the native message (which says where it happened) under
    /// <see cref="CallbackFailure.LocationKey"/> in its <see cref="Exception.Data"/>.
    /// </summary>
    internal static void Success(NativeStatus status, ContextHandle context, CallbackFailure callbacks)
    {
        if (status == NativeStatus.Ok)
        {
            return;
        }

        string message = ContextLastError(context);
        if (status == NativeStatus.Callback && callbacks.Take() is { } captured)
        {
            captured.SourceException.Data[CallbackFailure.LocationKey] = message;
            captured.Throw();
        }

        throw ToException(status, message);
    }

    private static Exception ToException(NativeStatus status, string message)
    {
        if (message.Length == 0)
        {
            message = $"librewind failed with status {status} ({(int)status}) and gave no message.";
        }

        return status switch
        {
            NativeStatus.Argument or NativeStatus.UnknownName => new ArgumentException(message),
            NativeStatus.State => new InvalidOperationException(message),
            NativeStatus.Unsupported => new NotSupportedException(message),
            NativeStatus.Alloc => new InsufficientMemoryException(message),
            NativeStatus.StepUnderflow => new StepSizeUnderflowException(message),
            NativeStatus.MaxSteps => new MaxStepsExceededException(message),
            NativeStatus.NonFinite => new NonFiniteValueException(message),
            NativeStatus.Convergence => new ConvergenceException(message),
            NativeStatus.Io => new IOException(message),
            _ => new RewindException(message, (int)status),
        };
    }

    private static string ContextLastError(ContextHandle context) =>
        NativeMethods.ContextLastError(context, out nint message) == NativeStatus.Ok
            ? Marshal.PtrToStringUTF8(message) ?? string.Empty
            : ThreadLastError();

    private static string ThreadLastError() =>
        NativeMethods.LastError(out nint message) == NativeStatus.Ok
            ? Marshal.PtrToStringUTF8(message) ?? string.Empty
            : string.Empty;
}
