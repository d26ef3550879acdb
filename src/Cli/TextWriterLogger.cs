using Microsoft.Extensions.Logging;

namespace Rewind.Cli;

/// <summary>Writes log messages to a <see cref="TextWriter"/> (stderr for <c>--verbose</c>).</summary>
internal sealed class TextWriterLogger(TextWriter writer, LogLevel minimumLevel) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimumLevel && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                            Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }
        writer.WriteLine($"{logLevel}: {formatter(state, exception)}");
    }
}
