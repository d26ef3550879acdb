using Rewind.Interop;

namespace Rewind;

/// <summary>A solve produced NaN or infinity (<c>RWD_ERR_NONFINITE</c>).</summary>
public sealed class NonFiniteValueException : RewindException
{
    /// <summary>Creates the exception with a default message.</summary>
    public NonFiniteValueException()
        : this("The solve produced a NaN or infinite value.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    public NonFiniteValueException(string message)
        : base(message, (int)NativeStatus.NonFinite)
    {
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What failed and where (time, step, component).</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public NonFiniteValueException(string message, Exception innerException)
        : base(message, (int)NativeStatus.NonFinite, innerException)
    {
    }
}
