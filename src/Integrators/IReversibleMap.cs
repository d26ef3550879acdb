namespace Rewind.Integrators;

/// <summary>
/// One reversible one-step map on an extended state S (its first n entries are y): initialization from y0, the step
/// S_{n+1} = Φ_h(t_n, S_n) with an optional error estimate, its exact inverse, and the vector–Jacobian and
/// Jacobian–vector products of the step and of the initialization. Driven by <see cref="ReversibleSolve"/>; one file per
/// method (<see cref="McCallumFosterMap"/>, <see cref="ReversibleHeunMap"/>, <see cref="AlfMap"/>).
/// </summary>
internal interface IReversibleMap
{
    /// <summary>The length of the extended state.</summary>
    int Width { get; }

    /// <summary>The order of the error estimate (step-size exponent 1/(q + 1)); 0 when there is none.</summary>
    int EstimateOrder { get; }

    /// <summary>
    /// Doubles of one step's internal values (stage inputs, substep states) the reverse step holds to differentiate, besides
    /// the two extended states: counted in <see cref="SolverStatistics.PeakBytesKept"/>.
    /// </summary>
    int KeptDoubles { get; }

    /// <summary>S0 from y0 at t0.</summary>
    void Initialize(double t0, ReadOnlySpan<double> y0, double[] state);

    /// <summary>next = Φ_h(t, state); writes an estimate of y's local error into <paramref name="error"/> when it is not null.</summary>
    void Step(double t, double h, double[] state, double[] next, double[]? error);

    /// <summary>state = Φ_h(t, ·)^{-1}(next), in closed form.</summary>
    void Inverse(double t, double h, double[] next, double[] state);

    /// <summary>
    /// One step of the reverse pass: when <paramref name="reconstruct"/>, state = Φ_h(t, ·)^{-1}(next) as
    /// <see cref="Inverse"/> computes it; otherwise <paramref name="state"/> holds S_n already (the tests' store-everything
    /// variant) and is left as is. Then stateBar = (∂Φ_h/∂S at S_n)ᵀ nextBar, and (∂Φ_h/∂p)ᵀ nextBar is added to pBar,
    /// at the values the inversion evaluated, so a step costs one inverse and its VJPs.
    /// </summary>
    void ReverseStep(double t, double h, double[] next, double[] nextBar, double[] state, double[] stateBar, double[] pBar, bool reconstruct);

    /// <summary>y0Bar = (∂S0/∂y0)ᵀ stateBar; adds (∂S0/∂p)ᵀ stateBar to pBar.</summary>
    void InitializeVjp(double t0, ReadOnlySpan<double> y0, double[] stateBar, Span<double> y0Bar, double[] pBar);

    /// <summary>next = Φ_h(t, state) and its tangent dNext along (dState, dp).</summary>
    void Jvp(double t, double h, double[] state, double[] dState, double[] dp, double[] next, double[] dNext);

    /// <summary>S0 and its tangent along (dy0, dp).</summary>
    void InitializeJvp(double t0, ReadOnlySpan<double> y0, ReadOnlySpan<double> dy0, double[] dp, double[] state, double[] dState);
}
