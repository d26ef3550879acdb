using Rewind.Interop;

namespace Rewind;

/// <summary>A nonlinear or linear solver failed to converge (<c>RWD_ERR_CONVERGENCE</c>).</summary>
public sealed class ConvergenceException : RewindException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ConvergenceException()
        : this("A nonlinear or linear solver failed to converge.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    public ConvergenceException(string message)
        : base(message, (int)NativeStatus.Convergence)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public ConvergenceException(string message, Exception innerException)
        : base(message, (int)NativeStatus.Convergence, innerException)
    {
    }
}
