using Microsoft.Extensions.Logging;

namespace Rewind.Integrators;

/// <summary>
/// The states of a solve at its output times (and the running cost, if the problem has one), and what the solver
/// kept of it for gradients (<see cref="Backward"/>) and directional derivatives
/// (<see cref="Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/>). Owns native memory: dispose it.
/// Not safe for concurrent use.
/// </summary>
public sealed class Solution : IDisposable
{
    private readonly NativeSolve? native;
    private readonly ReversibleSolve? reversible;
    private bool disposed;
    private readonly double[] states;
    private readonly IReadOnlyList<double> runningCostView;
    private readonly bool forwardOnly;
    private readonly bool hasRunningCost;
    private readonly int stateSize;
    private readonly int parameterSize;
    private readonly IReadOnlyList<double> outputTimes;
    private readonly SolverStatistics statistics;
    private readonly ILogger logger;
    private readonly Backsolve? backsolve;
    private readonly IVectorField? problemField;
    private readonly bool reverseAccurate;
    private SolverStatistics backsolveTotals;

    internal Solution(
        NativeSolve native,
        OdeProblem problem,
        Adjoint adjoint,
        double[] states,
        double[] runningCost,
        SolverStatistics statistics,
        ILogger logger,
        Backsolve? backsolve = null)
    {
        this.backsolve = backsolve;
        reverseAccurate = adjoint.IsReverseAccurate;
        this.native = native;
        this.states = states;
        runningCostView = Array.AsReadOnly(runningCost);
        forwardOnly = adjoint.IsForwardOnly;
        hasRunningCost = problem.RunningCost is not null;
        this.statistics = statistics;
        this.logger = logger;
        stateSize = problem.Field.StateSize;
        parameterSize = problem.Field.ParameterSize;
        outputTimes = problem.OutputTimes;
    }

    /// <summary>A solution of <see cref="Adjoint.Reversible"/>: managed, no native objects.</summary>
    internal Solution(
        ReversibleSolve reversible, OdeProblem problem, double[] states, double[] runningCost, SolverStatistics statistics, ILogger logger)
    {
        this.reversible = reversible;
        problemField = problem.Field;
        reverseAccurate = true;
        this.states = states;
        runningCostView = Array.AsReadOnly(runningCost);
        hasRunningCost = problem.RunningCost is not null;
        this.statistics = statistics;
        this.logger = logger;
        stateSize = problem.Field.StateSize;
        parameterSize = problem.Field.ParameterSize;
        outputTimes = problem.OutputTimes;
    }

    /// <summary>The reversible solve behind this solution (<see cref="Adjoint.Reversible"/>), else null.</summary>
    internal ReversibleSolve? Reversible => reversible;

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

    /// <summary>
    /// Q(t_k) = ∫_{t0}^{t_k} g(t, y, p) dt of the problem's <see cref="OdeProblem.RunningCost"/> at every output time
    /// (<see cref="Count"/> entries), integrated by the solver's method with the state; empty without a running cost.
    /// </summary>
    public IReadOnlyList<double> RunningCost
    {
        get
        {
            ThrowIfDisposed();
            return runningCostView;
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
    /// The gradient with respect to y0 and p of
    /// L = Σ_k outputCotangents[k] · y(t_k) + Q(t_last), where Q(t_last) is the integral of the problem's
    /// <see cref="OdeProblem.RunningCost"/> up to the last output time (0 without one). For a loss ℓ(y(t_0), …, y(t_K))
    /// pass outputCotangents[k] = ∂ℓ/∂y(t_k): the result is then dℓ/dy0 and dℓ/dp (plus dQ/dy0 and dQ/dp). It is the
    /// derivative of the states (and Q) this solve computed, with its accepted step sizes held fixed, for every discrete
    /// mode (<see cref="Adjoint.Discrete"/>, <see cref="Adjoint.Symplectic"/>, <see cref="Adjoint.CheckpointPerStep"/>,
    /// <see cref="Adjoint.Reversible"/>, whose Q is integrated by the reversible map as one more state component).
    /// With <see cref="Adjoint.Backsolve"/> it is instead the continuous adjoint solved backwards, an approximation of
    /// the derivative of the exact solution (<see cref="Gradient.IsReverseAccurate"/> is false).
    /// </summary>
    /// <param name="outputCotangents">dL/dy at each output time: <see cref="Count"/> entries, each with one value per
    /// state component, or null for zero.</param>
    /// <returns>dL/dy0, dL/dp and the counters so far.</returns>
    /// <exception cref="ArgumentException">The entries do not match the output times or the state, or hold NaN or infinity.</exception>
    /// <exception cref="InvalidOperationException">The solve used <see cref="Adjoint.None"/> and kept nothing for a reverse pass.</exception>
    /// <exception cref="OperationCanceledException">The solve's cancellation token was canceled.</exception>
    /// <remarks>An exception thrown by the field or the running cost propagates unchanged, with
    /// <c>Data["Rewind.Location"]</c> saying where it happened.</remarks>
    public Gradient Backward(IReadOnlyList<double[]?> outputCotangents)
    {
        ThrowIfDisposed();
        ThrowIfForwardOnly(nameof(Backward));
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
        SolverStatistics total;
        if (reversible is not null)
        {
            reversible.Backward(cotangents, initialState, parameters);
            total = reversible.Statistics();
        }
        else if (backsolve is not null)
        {
            SolverStatistics backward = backsolve.Run(states, cotangents, initialState, parameters);
            backsolveTotals = backsolveTotals.Plus(backward);
            total = native!.Statistics().Plus(backsolveTotals);
        }
        else
        {
            native!.Adjoint(cotangents, initialState, parameters);
            total = native.Statistics();
        }

        Log.BackwardFinished(logger, total.Vjps, total.RecomputedSteps);
        return new Gradient(initialState, parameters, total, reverseAccurate);
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
    /// <exception cref="InvalidOperationException">The solve used <see cref="Adjoint.None"/> and kept nothing for a tangent
    /// pass, or used <see cref="Adjoint.Backsolve"/>, for which a tangent pass is not defined.</exception>
    /// <remarks>Use <see cref="Tangent(ReadOnlySpan{double}, ReadOnlySpan{double}, out double[])"/> for the tangent of the running cost too.</remarks>
    public double[][] Tangent(ReadOnlySpan<double> initialStateTangent, ReadOnlySpan<double> parameterTangent) =>
        TangentCore(initialStateTangent, parameterTangent, out _, withRunningCost: false);

    /// <summary>
    /// The tangent-linear solve, as <see cref="Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/>, that also gives
    /// the directional derivative of the running cost: <paramref name="runningCostTangent"/>[k] = dQ(t_k) along
    /// (dy0, dp), at every output time. Without a running cost it is all zeros. By the dot-product identity,
    /// Σ_k w_k · dy(t_k) + dQ(t_last) equals dy0 · g_y0 + dp · g_p for the gradient g of <see cref="Backward"/> with
    /// cotangents w.
    /// </summary>
    /// <param name="initialStateTangent">dy0: one value per state component.</param>
    /// <param name="parameterTangent">dp: one value per parameter.</param>
    /// <param name="runningCostTangent">Receives dQ(t_k), <see cref="Count"/> entries.</param>
    /// <returns><see cref="Count"/> arrays, each with one value per state component.</returns>
    /// <exception cref="NotSupportedException">The field does not implement <see cref="ITangentVectorField"/>.</exception>
    /// <exception cref="ArgumentException">A tangent has the wrong length or holds NaN or infinity.</exception>
    /// <exception cref="InvalidOperationException">The solve used <see cref="Adjoint.None"/> and kept nothing for a tangent
    /// pass, or used <see cref="Adjoint.Backsolve"/>, for which a tangent pass is not defined.</exception>
    public double[][] Tangent(
        ReadOnlySpan<double> initialStateTangent, ReadOnlySpan<double> parameterTangent, out double[] runningCostTangent) =>
        TangentCore(initialStateTangent, parameterTangent, out runningCostTangent, withRunningCost: true);

    /// <summary>Frees the native solver, field and context.</summary>
    public void Dispose()
    {
        disposed = true;
        native?.Dispose();
    }

    private double[][] TangentCore(
        ReadOnlySpan<double> initialStateTangent,
        ReadOnlySpan<double> parameterTangent,
        out double[] runningCostTangent,
        bool withRunningCost)
    {
        ThrowIfDisposed();
        ThrowIfForwardOnly(nameof(Tangent));
        if (backsolve is not null)
        {
            throw new InvalidOperationException(
                "Tangent is not defined for a solution solved with Adjoint.Backsolve(...): its forward solve keeps no " +
                "trajectory, and the backsolve is a reverse (continuous adjoint) pass only. Solve with a discrete mode " +
                "(Adjoint.Discrete(...), Adjoint.CheckpointPerStep(), Adjoint.Symplectic()) for tangents.");
        }

        if (reversible is not null ? problemField is not ITangentVectorField : !native!.HasJvp)
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
        var costTangent = new double[outputTimes.Count];
        if (reversible is not null)
        {
            reversible.Tangent(initialStateTangent, parameterTangent, tangents, costTangent);
        }
        else
        {
            native!.Tangent(initialStateTangent, parameterTangent, tangents);
            if (withRunningCost && hasRunningCost)
            {
                costTangent = native.RunningCostTangent(outputTimes.Count);
            }
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            long jvps = reversible?.Statistics().Jvps ?? native!.Statistics().Jvps;  // a native call, made only when the message is wanted
            Log.TangentFinished(logger, jvps);
        }
        runningCostTangent = withRunningCost ? costTangent : [];
        var rows = new double[outputTimes.Count][];
        for (int k = 0; k < rows.Length; k++)
        {
            rows[k] = tangents.AsSpan(k * stateSize, stateSize).ToArray();
        }

        return rows;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed || (native?.IsDisposed ?? false), this);

    private void ThrowIfForwardOnly(string pass)
    {
        if (forwardOnly)
        {
            throw new InvalidOperationException(
                $"{pass} needs what the forward solve keeps for it, but this solution was solved with Adjoint.None " +
                "(forward only), which keeps nothing. Solve with Adjoint.Discrete(...) to compute gradients or tangents.");
        }
    }
}
