using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// McCallum and Foster's reversible wrapper of an explicit Runge–Kutta method (<see cref="Adjoint.Reversible"/> with a
/// method of <see cref="Solver.Methods"/>) as a reversible map on S = (y, z), z0 = y0, with Ψ_h(t, y) = h Σ bᵢ kᵢ the base
/// method's increment (FSAL never used):
/// y_{n+1} = λ y_n + (1 − λ) z_n + Ψ_h(t_n, z_n), z_{n+1} = z_n − Ψ_{−h}(t_{n+1}, y_{n+1});
/// inverse z_n = z_{n+1} + Ψ_{−h}(t_{n+1}, y_{n+1}), y_n = (y_{n+1} − (1 − λ) z_n − Ψ_h(t_n, z_n)) / λ.
/// The error estimate is the base method's embedded one of the backward increment. The reverse step goes through both
/// increments in the division-free form of the discrete RK adjoint: it rebuilds z_n and takes the VJP of Ψ_{−h} at its
/// stage inputs, then rebuilds y_n and takes the VJP of Ψ_h, so one increment's s stage inputs are held at a time.
/// </summary>
internal sealed class McCallumFosterMap : IReversibleMap
{
    private readonly Tableau tableau;
    private readonly double lambda;
    private readonly ReversibleFieldCalls calls;
    private readonly int n;
    private readonly double[][] stages;          // Yᵢ of the increment last computed; stage tangents in a tangent pass
    private readonly double[][] k;               // stage derivatives, then stage cotangents
    private readonly double[] increment;
    private readonly double[] dIncrement;
    private readonly double[] work;              // a stage's cotangent or tangent input
    private readonly double[] yHat;              // ŷ of the reverse step; a stage input in a tangent pass
    private readonly double[] gradient;
    private readonly double[] parameterWork;
    private readonly double[] parameterIncrement;
    private readonly double[] tangentInput;      // (dY, dp) for the field's Jvp

    internal McCallumFosterMap(string method, double coupling, ReversibleFieldCalls calls)
    {
        tableau = Tableau.Read(method);
        lambda = coupling;
        this.calls = calls;
        n = calls.StateSize;
        int s = tableau.Stages;
        int np = calls.ParameterSize;
        stages = ReversibleShared.NewVectors(s, n);
        k = ReversibleShared.NewVectors(s, n);
        increment = new double[n];
        dIncrement = new double[n];
        work = new double[n];
        yHat = new double[n];
        gradient = new double[n];
        parameterWork = new double[np];
        parameterIncrement = new double[np];
        tangentInput = new double[n + np];
    }

    public int Width => 2 * n;

    public int EstimateOrder => tableau.EmbeddedOrder == 0 ? 0 : Math.Min(tableau.Order, tableau.EmbeddedOrder);

    public int KeptDoubles => tableau.Stages * n;

    public void Initialize(double t0, ReadOnlySpan<double> y0, double[] state)
    {
        y0.CopyTo(state);
        y0.CopyTo(state.AsSpan(n));
    }

    public void Step(double t, double h, double[] state, double[] next, double[]? error)
    {
        Increment(t, h, state.AsSpan(n, n), increment);
        for (int i = 0; i < n; i++)
        {
            next[i] = (lambda * state[i]) + ((1 - lambda) * state[n + i]) + increment[i];
        }

        Increment(t + h, -h, next.AsSpan(0, n), increment, error);
        for (int i = 0; i < n; i++)
        {
            next[n + i] = state[n + i] - increment[i];
        }
    }

    public void Inverse(double t, double h, double[] next, double[] state) =>
        Reverse(t, h, next, state, reconstruct: true, null, null, null);

    public void ReverseStep(double t, double h, double[] next, double[] nextBar, double[] state, double[] stateBar, double[] pBar, bool reconstruct) =>
        Reverse(t, h, next, state, reconstruct, nextBar, stateBar, pBar);

    public void InitializeVjp(double t0, ReadOnlySpan<double> y0, double[] stateBar, Span<double> y0Bar, double[] pBar)
    {
        for (int i = 0; i < n; i++)
        {
            y0Bar[i] = stateBar[i] + stateBar[n + i];
        }
    }

    /// <summary>
    /// The inverse (when <paramref name="reconstruct"/>) and, when <paramref name="nextBar"/> is given, the VJP of the step,
    /// one increment at a time: the stage inputs of Ψ_{−h}(t_{n+1}, y_{n+1}) are differentiated before those of
    /// Ψ_h(t_n, z_n) overwrite them.
    /// </summary>
    private void Reverse(double t, double h, double[] next, double[] state, bool reconstruct, double[]? nextBar, double[]? stateBar, double[]? pBar)
    {
        Increment(t + h, -h, next.AsSpan(0, n), increment);
        if (reconstruct)
        {
            for (int i = 0; i < n; i++)
            {
                state[n + i] = next[n + i] + increment[i];
            }
        }

        if (nextBar is not null)
        {
            // ŷ = ȳ_{n+1} − J_{Ψ−h}(y_{n+1})ᵀ z̄_{n+1};  p̄ −= ∂_pΨ_{−h}ᵀ z̄_{n+1}.
            IncrementVjp(t + h, -h, nextBar.AsSpan(n, n));
            for (int i = 0; i < n; i++)
            {
                yHat[i] = nextBar[i] - gradient[i];
            }

            ReversibleShared.Axpy(-1, parameterIncrement, pBar);
        }

        Increment(t, h, state.AsSpan(n, n), increment);
        if (reconstruct)
        {
            for (int i = 0; i < n; i++)
            {
                state[i] = (next[i] - ((1 - lambda) * state[n + i]) - increment[i]) / lambda;
            }
        }

        if (nextBar is not null)
        {
            // ȳ_n = λ ŷ;  z̄_n = z̄_{n+1} + (1 − λ) ŷ + J_{Ψh}(z_n)ᵀ ŷ;  p̄ += ∂_pΨ_hᵀ ŷ.
            IncrementVjp(t, h, yHat);
            for (int i = 0; i < n; i++)
            {
                stateBar![i] = lambda * yHat[i];
                stateBar[n + i] = nextBar[n + i] + ((1 - lambda) * yHat[i]) + gradient[i];
            }

            ReversibleShared.Axpy(1, parameterIncrement, pBar);
        }
    }

    public void Jvp(double t, double h, double[] state, double[] dState, double[] dp, double[] next, double[] dNext)
    {
        IncrementJvp(t, h, state.AsSpan(n, n), dState.AsSpan(n, n), dp);
        for (int i = 0; i < n; i++)
        {
            next[i] = (lambda * state[i]) + ((1 - lambda) * state[n + i]) + increment[i];
            dNext[i] = (lambda * dState[i]) + ((1 - lambda) * dState[n + i]) + dIncrement[i];
        }

        IncrementJvp(t + h, -h, next.AsSpan(0, n), dNext.AsSpan(0, n), dp);
        for (int i = 0; i < n; i++)
        {
            next[n + i] = state[n + i] - increment[i];
            dNext[n + i] = dState[n + i] - dIncrement[i];
        }
    }

    public void InitializeJvp(double t0, ReadOnlySpan<double> y0, ReadOnlySpan<double> dy0, double[] dp, double[] state, double[] dState)
    {
        Initialize(t0, y0, state);
        Initialize(t0, dy0, dState);
    }

    /// <summary>Ψ_h(t, x) = h Σ bᵢ kᵢ into <paramref name="result"/>, keeping the stage inputs; the error estimate h Σ eᵢ kᵢ too, if asked.</summary>
    private void Increment(double t, double h, ReadOnlySpan<double> x, double[] result, double[]? errorEstimate = null)
    {
        int s = tableau.Stages;
        for (int i = 0; i < s; i++)
        {
            StageInput(x, h, i, k, stages[i]);
            calls.Evaluate(t + (tableau.C[i] * h), stages[i], k[i]);
        }

        Combine(h, tableau.B, k, result);
        if (errorEstimate is not null)
        {
            Combine(h, tableau.BErr, k, errorEstimate);
        }
    }

    /// <summary>
    /// The VJP of Ψ_h(t, ·, p) at the stage inputs the last <see cref="Increment"/> kept, for the cotangent g, in the division-free form of the discrete RK
    /// adjoint: k̄ᵢ = h bᵢ g + Σ_{l&gt;i} h a_li Ȳ_l, Ȳᵢ = J(Yᵢ)ᵀ k̄ᵢ; writes Σ Ȳᵢ into <see cref="gradient"/> and
    /// Σ ∂_pf(Yᵢ)ᵀ k̄ᵢ into <see cref="parameterIncrement"/>.
    /// </summary>
    private void IncrementVjp(double t, double h, ReadOnlySpan<double> g)
    {
        int s = tableau.Stages;
        double[][] stageBars = k;  // the stage derivatives are not needed any more
        Array.Clear(gradient);
        Array.Clear(parameterIncrement);
        for (int i = s - 1; i >= 0; i--)
        {
            for (int c = 0; c < n; c++)
            {
                work[c] = h * tableau.B[i] * g[c];
            }

            for (int l = i + 1; l < s; l++)
            {
                double a = h * tableau.A[(l * s) + i];
                if (a != 0)
                {
                    ReversibleShared.Axpy(a, stageBars[l], work);
                }
            }

            calls.Vjp(t + (tableau.C[i] * h), stages[i], work, stageBars[i], parameterWork);
            ReversibleShared.Axpy(1, stageBars[i], gradient);
            ReversibleShared.Axpy(1, parameterWork, parameterIncrement);
        }
    }

    /// <summary>Ψ_h(t, x) into <see cref="increment"/> and its tangent along (dx, dp) into <see cref="dIncrement"/>.</summary>
    private void IncrementJvp(double t, double h, ReadOnlySpan<double> x, ReadOnlySpan<double> dx, double[] dp)
    {
        int s = tableau.Stages;
        double[][] dk = stages;  // no reverse step needs them during a tangent pass
        for (int i = 0; i < s; i++)
        {
            StageInput(x, h, i, k, yHat);
            StageInput(dx, h, i, dk, work);
            double ti = t + (tableau.C[i] * h);
            calls.Evaluate(ti, yHat, k[i]);
            calls.Jvp(ti, yHat, work, dp, tangentInput, dk[i]);
        }

        Combine(h, tableau.B, k, increment);
        Combine(h, tableau.B, dk, dIncrement);
    }

    /// <summary>Yᵢ = x + h Σ_{j&lt;i} a_ij derivatives_j.</summary>
    private void StageInput(ReadOnlySpan<double> x, double h, int i, double[][] derivatives, double[] stage)
    {
        int s = tableau.Stages;
        x.CopyTo(stage);
        for (int j = 0; j < i; j++)
        {
            double a = h * tableau.A[(i * s) + j];
            if (a != 0)
            {
                ReversibleShared.Axpy(a, derivatives[j], stage);
            }
        }
    }

    /// <summary>result = h Σᵢ weightsᵢ derivativesᵢ.</summary>
    private void Combine(double h, double[] weights, double[][] derivatives, double[] result)
    {
        Array.Clear(result);
        for (int i = 0; i < tableau.Stages; i++)
        {
            ReversibleShared.Axpy(h * weights[i], derivatives[i], result);
        }
    }

    /// <summary>An explicit Runge–Kutta tableau, read from librewind (rwd_ts_tableau).</summary>
    private sealed record Tableau(int Stages, int Order, int EmbeddedOrder, double[] C, double[] A, double[] B, double[] BErr)
    {
        internal static Tableau Read(string method)
        {
            Ensure.Success(NativeMethods.TsTableau(method, 0, out int s, out _, out _, [], [], [], []));
            var c = new double[s];
            var a = new double[s * s];
            var b = new double[s];
            var bErr = new double[s];
            Ensure.Success(NativeMethods.TsTableau(method, s, out _, out int order, out int embedded, c, a, b, bErr));
            return new Tableau(s, order, embedded, c, a, b, bErr);
        }
    }
}
