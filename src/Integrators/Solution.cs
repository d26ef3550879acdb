using Microsoft.Extensions.Logging;

namespace Rewind.Integrators;

/// <summary>
/// The states of a solve at its output times, and what the solver kept of it for gradients
/// (<see cref="Backward"/>) and directional derivatives (<see cref="Tangent"/>). Owns native memory: dispose it.
/// Not safe for concurrent use.
/// </summary>
public sealed class Solution : IDisposable
{
    private readonly NativeSolve native;
    private readonly double[] states;
    private readonly int stateSize;
    private readonly int parameterSize;
    private readonly IReadOnlyList<double> outputTimes;
    private readonly SolverStatistics statistics;
    private readonly ILogger logger;

    internal Solution(NativeSolve native, OdeProblem problem, double[] states, SolverStatistics statistics, ILogger logger)
    {
        this.native = native;
        this.states = states;
        this.statistics = statistics;
        this.logger = logger;
        stateSize = problem.Field.StateSize;
        parameterSize = problem.Field.ParameterSize;
        outputTimes = problem.OutputTimes;
    }

    /// <summary>The number of output times.</summary>
    public int Count
    {
        get
        {
            ThrowIfDisposed();
            return outputTimes.Count;
        }
    }

    /// <summary>The output times of the problem.</summary>
    public IReadOnlyList<double> OutputTimes
    {
        get
        {
            ThrowIfDisposed();
            return outputTimes;
        }
    }

    /// <summary>The counters of the forward solve.</summary>
    public SolverStatistics Statistics
    {
        get
        {
            ThrowIfDisposed();
            return statistics;
        }
    }

    /// <summary>Returns a copy of the state at <c>OutputTimes[index]</c>.</summary>
    /// <param name="index">The index of the output time.</param>
    /// <returns>A new array of the state's components.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not in [0, <see cref="Count"/>).</exception>
    public double[] State(int index)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, outputTimes.Count);
        return states.AsSpan(index * stateSize, stateSize).ToArray();
    }

    /// <summary>
    /// The exact discrete adjoint: the gradient of a loss L with respect to y0 and p, given dL/dy at every output
    /// time. It is the derivative of the states this solve computed, with its accepted step sizes held fixed.
    /// </summary>
    /// <param name="outputCotangents">dL/dy at each output time: <see cref="Count"/> entries, each with one value per
    /// state component, or null for zero.</param>
    /// <returns>dL/dy0, dL/dp and the counters so far.</returns>
    /// <exception cref="ArgumentException">The entries do not match the output times or the state, or hold NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException">The solve's cancellation token was canceled.</exception>
    /// <remarks>An exception thrown by the field propagates unchanged, with <c>Data["Rewind.Location"]</c> saying where it happened.</remarks>
    public Gradient Backward(IReadOnlyList<double[]?> outputCotangents)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(outputCotangents);
        if (outputCotangents.Count != outputTimes.Count)
        {
            throw new ArgumentException(
                $"outputCotangents has {outputCotangents.Count} entries; there are {outputTimes.Count} output times.",
                nameof(outputCotangents));
        }

        var cotangents = new double[states.Length];
        for (int k = 0; k < outputCotangents.Count; k++)
        {
            if (outputCotangents[k] is { } cotangent)
            {
                string label = $"{nameof(outputCotangents)}[{k}]";
                ArgumentChecks.Length(cotangent.Length, stateSize, label, "the state has {0}", nameof(outputCotangents));
                ArgumentChecks.AllFinite(cotangent, label, nameof(outputCotangents));
                cotangent.CopyTo(cotangents, k * stateSize);
            }
        }

        var initialState = new double[stateSize];
        var parameters = new double[parameterSize];
        native.Adjoint(cotangents, initialState, parameters);
        SolverStatistics total = native.Statistics();
        Log.BackwardFinished(logger, total.Vjps, total.RecomputedSteps);
        return new Gradient(initialState, parameters, total);
    }

    /// <summary>
    /// The tangent-linear solve: the directional derivative of every output state along (dy0, dp), for the same
    /// discrete solution as <see cref="Backward"/>.
    /// </summary>
    /// <param name="initialStateTangent">dy0: one value per state component.</param>
    /// <param name="parameterTangent">dp: one value per parameter.</param>
    /// <returns><see cref="Count"/> arrays, each with one value per state component.</returns>
    /// <exception cref="NotSupportedException">The field does not implement <see cref="ITangentVectorField"/>.</exception>
    /// <exception cref="ArgumentException">A tangent has the wrong length or holds NaN or infinity.</exception>
    public double[][] Tangent(ReadOnlySpan<double> initialStateTangent, ReadOnlySpan<double> parameterTangent)
    {
        ThrowIfDisposed();
        if (!native.HasJvp)
        {
            throw new NotSupportedException(
                $"The tangent-linear solve needs Jacobian-vector products; the field does not implement {nameof(ITangentVectorField)}.");
        }

        ArgumentChecks.Length(
            initialStateTangent.Length, stateSize, nameof(initialStateTangent), "the state has {0}", nameof(initialStateTangent));
        ArgumentChecks.AllFinite(initialStateTangent, nameof(initialStateTangent), nameof(initialStateTangent));
        ArgumentChecks.Length(
            parameterTangent.Length, parameterSize, nameof(parameterTangent), "there are {0} parameters", nameof(parameterTangent));
        ArgumentChecks.AllFinite(parameterTangent, nameof(parameterTangent), nameof(parameterTangent));

        var tangents = new double[states.Length];
        native.Tangent(initialStateTangent, parameterTangent, tangents);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            long jvps = native.Statistics().Jvps;  // a native call, made only when the message is wanted
            Log.TangentFinished(logger, jvps);
        }
        var rows = new double[outputTimes.Count][];
        for (int k = 0; k < rows.Length; k++)
        {
            rows[k] = tangents.AsSpan(k * stateSize, stateSize).ToArray();
        }

        return rows;
    }

    /// <summary>Frees the native solver, field and context.</summary>
    public void Dispose() => native.Dispose();

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(native.IsDisposed, this);
}
