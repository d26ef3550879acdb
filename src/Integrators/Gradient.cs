using System.Diagnostics.CodeAnalysis;

namespace Rewind.Integrators;

/// <summary>The gradient of a loss with respect to the initial state and the parameters of a solve.</summary>
[SuppressMessage(
    "Performance",
    "CA1819:Properties should not return arrays",
    Justification = "The gradient is a result the caller owns and may modify; the arrays are not shared.")]
public sealed class Gradient
{
    internal Gradient(double[] initialState, double[] parameters, SolverStatistics statistics)
    {
        InitialState = initialState;
        Parameters = parameters;
        Statistics = statistics;
    }

    /// <summary>dL/dy0, one entry per state component.</summary>
    public double[] InitialState { get; }

    /// <summary>dL/dp, one entry per parameter.</summary>
    public double[] Parameters { get; }

    /// <summary>The counters of the forward solve and of every reverse and tangent pass on it so far.</summary>
    public SolverStatistics Statistics { get; }
}
