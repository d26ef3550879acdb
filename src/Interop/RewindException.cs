using Rewind.Interop;

namespace Rewind;

/// <summary>
/// A failure reported by librewind that has no closer .NET exception type; the base of the solver failures.
/// </summary>
public class RewindException : Exception
{
    /// <summary>Creates an exception for an internal librewind error.</summary>
    public RewindException()
        : this("librewind reported an internal error.")
    {
    }

    /// <summary>Creates an exception for an internal librewind error with the given message.</summary>
    /// <param name="message">What failed and where.</param>
    public RewindException(string message)
        : this(message, (int)NativeStatus.Internal)
    {
    }

    /// <summary>Creates an exception for an internal librewind error with the given message and cause.</summary>
    /// <param name="message">What failed and where.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public RewindException(string message, Exception innerException)
        : this(message, (int)NativeStatus.Internal, innerException)
    {
    }

    /// <summary>Creates an exception for the given native status code.</summary>
    /// <param name="message">What failed and where.</param>
    /// <param name="status">The <c>rwd_status</c> code librewind returned.</param>
    public RewindException(string message, int status)
        : this(message, status, null)
    {
    }

    /// <summary>Creates an exception for the given native status code and cause.</summary>
    /// <param name="message">What failed and where.</param>
    /// <param name="status">The <c>rwd_status</c> code librewind returned.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    private protected RewindException(string message, int status, Exception? innerException)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The <c>rwd_status</c> code librewind returned (see <c>rewind/status.h</c>).</summary>
    public int Status { get; }
}
