using System.Runtime.ExceptionServices;

namespace Rewind.Interop;

/// <summary>
/// Carries an exception thrown by managed code inside a native callback across the native frames: the callback
/// captures it and returns failure, librewind returns <c>RWD_ERR_CALLBACK</c>, and <see cref="Ensure"/> rethrows
/// the same exception object with its original stack trace.
/// </summary>
internal sealed class CallbackFailure
{
    /// <summary>The <see cref="Exception.Data"/> key under which the native message (where it failed) is stored.</summary>
    internal const string LocationKey = "Rewind.Location";

    private ExceptionDispatchInfo? captured;

    /// <summary>Keeps the first exception; callbacks may run on several native threads before the solve stops.</summary>
    internal void Capture(Exception exception) =>
        Interlocked.CompareExchange(ref captured, ExceptionDispatchInfo.Capture(exception), null);

    /// <summary>Removes and returns the captured exception, so that a later call does not see a stale one.</summary>
    internal ExceptionDispatchInfo? Take() => Interlocked.Exchange(ref captured, null);
}
