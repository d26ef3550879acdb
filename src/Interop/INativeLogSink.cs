namespace Rewind.Interop;

/// <summary>
/// Receives librewind's log messages. Levels are the <c>RWD_LOG_*</c> values, ordered as
/// Microsoft.Extensions.Logging's LogLevel. Called from any thread that uses the context.
/// </summary>
internal interface INativeLogSink
{
    /// <summary>Whether messages at <paramref name="level"/> are wanted; checked before a message is converted.</summary>
    bool IsEnabled(int level);

    /// <summary>Receives one message.</summary>
    void Write(int level, string message);
}
