using Rewind.Interop;

namespace Rewind;

/// <summary>The step limit was reached before the last output time (<c>RWD_ERR_MAX_STEPS</c>).</summary>
public sealed class MaxStepsExceededException : RewindException
{
    /// <summary>Creates the exception with a default message.</summary>
    public MaxStepsExceededException()
        : this("The step limit was reached before the last output time.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    public MaxStepsExceededException(string message)
        : base(message, (int)NativeStatus.MaxSteps)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public MaxStepsExceededException(string message, Exception innerException)
        : base(message, (int)NativeStatus.MaxSteps, innerException)
    {
    }
}
