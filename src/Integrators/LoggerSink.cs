using Microsoft.Extensions.Logging;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>Forwards a context's native messages to an <see cref="ILogger"/>; RWD_LOG_* levels equal <see cref="LogLevel"/>.</summary>
internal sealed class LoggerSink(ILogger logger) : INativeLogSink
{
    /// <summary>The lowest level the logger takes, or null when it takes none (then no callback is installed).</summary>
    internal static LogLevel? LowestEnabledLevel(ILogger logger)
    {
        for (LogLevel level = LogLevel.Trace; level < LogLevel.None; level++)
        {
            if (logger.IsEnabled(level))
            {
                return level;
            }
        }

        return null;
    }

    public bool IsEnabled(int level) => logger.IsEnabled((LogLevel)level);

    public void Write(int level, string message) => Log.NativeMessage(logger, (LogLevel)level, message);
}
