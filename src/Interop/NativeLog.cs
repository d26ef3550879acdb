using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rewind.Interop;

/// <summary>Routes a context's native log messages to an <see cref="INativeLogSink"/>.</summary>
internal static unsafe class NativeLog
{
    /// <summary>
    /// Sends the messages of <paramref name="context"/> at or above <paramref name="minLevel"/> to
    /// <paramref name="sink"/>. The context owns the handle to the sink from then on.
    /// </summary>
    internal static void Attach(ContextHandle context, INativeLogSink sink, int minLevel)
    {
        GCHandle target = GCHandle.Alloc(sink);
        try
        {
            Ensure.Success(
                NativeMethods.ContextSetLogCallback(context, &OnMessage, GCHandle.ToIntPtr(target), minLevel),
                context);
            context.OwnCallbackTarget(target);
        }
        catch
        {
            target.Free();
            throw;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    [SuppressMessage(
        "Design",
        "CA1031:Do not catch general exception types",
        Justification = "An exception must not unwind into native frames, and a failing logger must not fail the solve.")]
    private static void OnMessage(nint user, int level, byte* message)
    {
        try
        {
            var sink = (INativeLogSink)GCHandle.FromIntPtr(user).Target!;
            if (sink.IsEnabled(level))
            {
                sink.Write(level, Marshal.PtrToStringUTF8((nint)message) ?? string.Empty);
            }
        }
        catch (Exception)
        {
            // Dropped on purpose: see the suppression above.
        }
    }
}
