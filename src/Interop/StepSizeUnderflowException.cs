using Rewind.Interop;

namespace Rewind;

/// <summary>The adaptive step size fell below the minimum step (<c>RWD_ERR_STEP_UNDERFLOW</c>).</summary>
public sealed class StepSizeUnderflowException : RewindException
{
    /// <summary>Creates the exception with a default message.</summary>
    public StepSizeUnderflowException()
        : this("The step size fell below the minimum step.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    public StepSizeUnderflowException(string message)
        : base(message, (int)NativeStatus.StepUnderflow)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public StepSizeUnderflowException(string message, Exception innerException)
        : base(message, (int)NativeStatus.StepUnderflow, innerException)
    {
    }
}
