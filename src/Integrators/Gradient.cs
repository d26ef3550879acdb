using System.Diagnostics.CodeAnalysis;

namespace Rewind.Integrators;

/// <summary>The gradient of a loss with respect to the initial state and the parameters of a solve.</summary>
[SuppressMessage(
    "Performance",
    "CA1819:Properties should not return arrays",
    Justification = "The gradient is a result the caller owns and may modify; the arrays are not shared.")]
public sealed class Gradient
{
    internal Gradient(double[] initialState, double[] parameters, SolverStatistics statistics, bool isReverseAccurate)
    {
        InitialState = initialState;
        Parameters = parameters;
        Statistics = statistics;
        IsReverseAccurate = isReverseAccurate;
    }

    /// <summary>dL/dy0, one entry per state component.</summary>
    public double[] InitialState { get; }

    /// <summary>dL/dp, one entry per parameter.</summary>
    public double[] Parameters { get; }

    /// <summary>
    /// Whether this gradient is reverse-accurate: the exact derivative of the states the forward solve computed (to
    /// round-off), as every discrete mode gives (<see cref="Adjoint.Discrete"/>, <see cref="Adjoint.Symplectic"/>,
    /// <see cref="Adjoint.CheckpointPerStep"/>). False for <see cref="Adjoint.Backsolve"/>, whose gradient approximates the
    /// derivative of the exact ODE solution, with an error set by the tolerances of the forward and backward solves.
    /// </summary>
    public bool IsReverseAccurate { get; }

    /// <summary>The counters of the forward solve and of every reverse and tangent pass on it so far.</summary>
    public SolverStatistics Statistics { get; }
}
