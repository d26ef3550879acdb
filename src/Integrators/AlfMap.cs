namespace Rewind.Integrators;

/// <summary>
/// MALI's asynchronous leapfrog (Zhuang et al., ICLR 2021) and its symmetric compositions, on the extended state
/// S = (z, v), z0 = y0, v0 = f(t0, y0). One ALF substep ψ_h from t with damping η:
/// k = z + (h/2) v, u = f(t + h/2, k), v' = (1 − 2η) v + 2η u, z' = k + (h/2) v'; its inverse
/// k = z' − (h/2) v', u = f(t + h/2, k), v = (v' − 2η u) / (1 − 2η), z = k − (h/2) v.
/// A step is a sequence of substeps with fractions cⱼ of h: <c>alf</c> is one substep (order 2, MALI's error
/// estimate h (u − v)); <c>alf4</c> is the Suzuki 5-stage composition of the paired map B_h = ψ_{h/2} ∘ ψ_{h/2}
/// (p = 1/(4 − 4^{1/3}), coefficients (p, p, 1 − 4p, p, p): 10 substeps, order 4, error against B_h); <c>alf6</c> is
/// the Suzuki composition of <c>alf4</c> (q = 1/(4 − 4^{1/5}); 50 substeps, order 6, error against <c>alf4</c>).
/// The compositions need η = 1 (B_0 is the identity only then). The reverse step inverts the substeps from the last
/// and differentiates each at the evaluation its inversion made, so no substep state is kept for the VJP.
/// </summary>
internal sealed class AlfMap : IReversibleMap
{
    private readonly ReversibleFieldCalls calls;
    private readonly int n;
    private readonly double eta;
    private readonly double[] fractions;
    private readonly double[] offsets;
    private readonly double[]? embedded;
    private readonly double[] embeddedOffsets;
    private readonly double[] a;   // substep states, ping-pong
    private readonly double[] b;
    private readonly double[] da;  // substep tangents or cotangents, ping-pong
    private readonly double[] db;
    private readonly double[] k;
    private readonly double[] u;
    private readonly double[] w;
    private readonly double[] wp;
    private readonly double[] v;
    private readonly double[] dk;

    private AlfMap(ReversibleFieldCalls calls, double eta, double[] fractions, double[]? embedded, int estimateOrder)
    {
        this.calls = calls;
        n = calls.StateSize;
        this.eta = eta;
        this.fractions = fractions;
        offsets = Offsets(fractions);
        this.embedded = embedded;
        embeddedOffsets = embedded is null ? [] : Offsets(embedded);
        EstimateOrder = estimateOrder;
        a = new double[2 * n];
        b = new double[2 * n];
        da = new double[2 * n];
        db = new double[2 * n];
        k = new double[n];
        u = new double[n];
        w = new double[n];
        wp = new double[calls.ParameterSize];
        v = new double[n + calls.ParameterSize];
        dk = new double[n];
    }

    public int Width => 2 * n;

    public int EstimateOrder { get; }

    // A substep's input k, and with more than one substep the two substep states between S_{n+1} and S_n.
    public int KeptDoubles => fractions.Length > 1 ? 5 * n : n;

    /// <summary>The substep fractions of one step of <paramref name="method"/> (alf, alf4, alf6).</summary>
    internal static double[] Fractions(string method) => method switch
    {
        "alf" => [1.0],
        "alf4" => Suzuki([0.5, 0.5], 3),
        "alf6" => Suzuki(Suzuki([0.5, 0.5], 3), 5),
        _ => throw new ArgumentException($"'{method}' is not an ALF method.", nameof(method)),
    };

    internal static AlfMap Create(string method, double eta, ReversibleFieldCalls calls) => method switch
    {
        "alf" => new AlfMap(calls, eta, Fractions("alf"), null, 1),
        "alf4" => new AlfMap(calls, eta, Fractions("alf4"), [0.5, 0.5], 2),
        _ => new AlfMap(calls, eta, Fractions("alf6"), Fractions("alf4"), 4),
    };

    public void Initialize(double t0, ReadOnlySpan<double> y0, double[] state)
    {
        y0.CopyTo(state);
        calls.Evaluate(t0, y0, state.AsSpan(n, n));
    }

    public void Step(double t, double h, double[] state, double[] next, double[]? error)
    {
        Compose(t, h, fractions, offsets, state, next);
        if (error is null)
        {
            return;
        }

        if (embedded is null)
        {
            // MALI's estimate h (u − v_in), u the substep's evaluation (left in u by Substep).
            for (int i = 0; i < n; i++)
            {
                error[i] = h * (u[i] - state[n + i]);
            }

            return;
        }

        double[] lower = da;  // free outside tangent passes
        Compose(t, h, embedded, embeddedOffsets, state, lower);
        for (int i = 0; i < n; i++)
        {
            error[i] = next[i] - lower[i];
        }
    }

    public void Inverse(double t, double h, double[] next, double[] state) =>
        Reverse(t, h, next, state, reconstruct: true, null, null, null);

    public void ReverseStep(double t, double h, double[] next, double[] nextBar, double[] state, double[] stateBar, double[] pBar, bool reconstruct) =>
        Reverse(t, h, next, state, reconstruct, nextBar, stateBar, pBar);

    public void InitializeVjp(double t0, ReadOnlySpan<double> y0, double[] stateBar, Span<double> y0Bar, double[] pBar)
    {
        calls.Vjp(t0, y0, stateBar.AsSpan(n, n), w, wp);
        ReversibleShared.Axpy(1, wp, pBar);
        for (int i = 0; i < n; i++)
        {
            y0Bar[i] = stateBar[i] + w[i];
        }
    }

    public void Jvp(double t, double h, double[] state, double[] dState, double[] dp, double[] next, double[] dNext)
    {
        double[] source = state;
        double[] dSource = dState;
        for (int j = 0; j < fractions.Length; j++)
        {
            bool last = j == fractions.Length - 1;
            double[] target = last ? next : (source == a ? b : a);
            double[] dTarget = last ? dNext : (dSource == da ? db : da);
            double hj = h * fractions[j];
            double tj = t + (h * offsets[j]);
            for (int i = 0; i < n; i++)
            {
                k[i] = source[i] + (0.5 * hj * source[n + i]);
                dk[i] = dSource[i] + (0.5 * hj * dSource[n + i]);
            }

            calls.Evaluate(tj + (0.5 * hj), k, u);
            calls.Jvp(tj + (0.5 * hj), k, dk, dp, v, w);
            for (int i = 0; i < n; i++)
            {
                double vOut = ((1 - (2 * eta)) * source[n + i]) + (2 * eta * u[i]);
                double dvOut = ((1 - (2 * eta)) * dSource[n + i]) + (2 * eta * w[i]);
                target[n + i] = vOut;
                dTarget[n + i] = dvOut;
                target[i] = k[i] + (0.5 * hj * vOut);
                dTarget[i] = dk[i] + (0.5 * hj * dvOut);
            }

            source = target;
            dSource = dTarget;
        }
    }

    public void InitializeJvp(double t0, ReadOnlySpan<double> y0, ReadOnlySpan<double> dy0, double[] dp, double[] state, double[] dState)
    {
        Initialize(t0, y0, state);
        dy0.CopyTo(dState);
        calls.Jvp(t0, y0, dy0, dp, v, dState.AsSpan(n, n));
    }

    /// <summary>
    /// The substeps from the last to the first, each inverted in closed form (into <paramref name="state"/> at the end when
    /// <paramref name="reconstruct"/>) and, when <paramref name="nextBar"/> is given, differentiated at the evaluation
    /// its inversion made: k̄ = z̄' + J(k)ᵀ ū with ū = 2η (v̄' + (h/2) z̄'), z̄ = k̄, v̄ = (1 − 2η)(v̄' + (h/2) z̄') + (h/2) k̄.
    /// </summary>
    private void Reverse(double t, double h, double[] next, double[] state, bool reconstruct, double[]? nextBar, double[]? stateBar, double[]? pBar)
    {
        double[] source = next;
        double[]? sourceBar = nextBar;
        for (int j = fractions.Length - 1; j >= 0; j--)
        {
            double[] target = j == 0 && reconstruct ? state : (source == a ? b : a);
            double hj = h * fractions[j];
            double tm = t + (h * offsets[j]) + (0.5 * hj);
            for (int i = 0; i < n; i++)
            {
                k[i] = source[i] - (0.5 * hj * source[n + i]);
            }

            calls.Evaluate(tm, k, u);
            for (int i = 0; i < n; i++)
            {
                double vIn = (source[n + i] - (2 * eta * u[i])) / (1 - (2 * eta));
                target[n + i] = vIn;
                target[i] = k[i] - (0.5 * hj * vIn);
            }

            if (sourceBar is not null)
            {
                double[] targetBar = j == 0 ? stateBar! : (sourceBar == da ? db : da);
                for (int i = 0; i < n; i++)
                {
                    u[i] = 2 * eta * (sourceBar[n + i] + (0.5 * hj * sourceBar[i]));
                }

                calls.Vjp(tm, k, u, w, wp);
                ReversibleShared.Axpy(1, wp, pBar);
                for (int i = 0; i < n; i++)
                {
                    double vt = sourceBar[n + i] + (0.5 * hj * sourceBar[i]);
                    double kBar = sourceBar[i] + w[i];
                    targetBar[i] = kBar;
                    targetBar[n + i] = ((1 - (2 * eta)) * vt) + (0.5 * hj * kBar);
                }

                sourceBar = targetBar;
            }

            source = target;
        }
    }

    /// <summary>
    /// Applies the substeps with <paramref name="stepFractions"/> from state into result (ping-ponging through a and b).
    /// Leaves the last substep's evaluation in u.
    /// </summary>
    private void Compose(double t, double h, double[] stepFractions, double[] stepOffsets, double[] state, double[] result)
    {
        double[] source = state;
        for (int j = 0; j < stepFractions.Length; j++)
        {
            double[] target = j == stepFractions.Length - 1 ? result : (source == a ? b : a);
            double hj = h * stepFractions[j];
            double tj = t + (h * stepOffsets[j]);
            for (int i = 0; i < n; i++)
            {
                k[i] = source[i] + (0.5 * hj * source[n + i]);
            }

            calls.Evaluate(tj + (0.5 * hj), k, u);
            for (int i = 0; i < n; i++)
            {
                double vOut = ((1 - (2 * eta)) * source[n + i]) + (2 * eta * u[i]);
                target[n + i] = vOut;
                target[i] = k[i] + (0.5 * hj * vOut);
            }

            source = target;
        }
    }

    /// <summary>The Suzuki composition of a symmetric method of order 2k: coefficients (r, r, 1 − 4r, r, r), r = 1/(4 − 4^{1/(2k+1)}).</summary>
    private static double[] Suzuki(double[] inner, int exponentDenominator)
    {
        double r = 1 / (4 - Math.Pow(4, 1.0 / exponentDenominator));
        double[] outer = [r, r, 1 - (4 * r), r, r];
        var result = new double[outer.Length * inner.Length];
        for (int i = 0; i < outer.Length; i++)
        {
            for (int j = 0; j < inner.Length; j++)
            {
                result[(i * inner.Length) + j] = outer[i] * inner[j];
            }
        }

        return result;
    }

    private static double[] Offsets(double[] stepFractions)
    {
        var result = new double[stepFractions.Length];
        double sum = 0;
        for (int j = 0; j < stepFractions.Length; j++)
        {
            result[j] = sum;
            sum += stepFractions[j];
        }

        return result;
    }
}
