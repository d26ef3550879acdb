namespace Rewind.Integrators;

/// <summary>
/// The reversible Heun method of Kidger, Foster, Li and Lyons (NeurIPS 2021), ODE case, order 2, one evaluation per
/// step. Extended state S = (y, ẑ, f) with ẑ0 = y0 and f = f(t, ẑ):
/// ẑ_{n+1} = 2 y_n − ẑ_n + h f_n, f_{n+1} = f(t_{n+1}, ẑ_{n+1}), y_{n+1} = y_n + h (f_n + f_{n+1}) / 2;
/// inverse ẑ_n = 2 y_{n+1} − ẑ_{n+1} − h f_{n+1}, f_n = f(t_n, ẑ_n), y_n = y_{n+1} − h (f_n + f_{n+1}) / 2.
/// Error estimate h (f_{n+1} − f_n) / 2 (order 1).
/// </summary>
internal sealed class ReversibleHeunMap(ReversibleFieldCalls calls) : IReversibleMap
{
    private readonly int n = calls.StateSize;
    private readonly double[] w = new double[calls.StateSize];
    private readonly double[] wp = new double[calls.ParameterSize];
    private readonly double[] v = new double[calls.StateSize + calls.ParameterSize];
    private readonly double[] dz = new double[calls.StateSize];

    public int Width => 3 * n;

    public int EstimateOrder => 1;

    public int KeptDoubles => 0;  // the VJP reads ẑ_{n+1}, part of S_{n+1}

    public void Initialize(double t0, ReadOnlySpan<double> y0, double[] state)
    {
        y0.CopyTo(state);
        y0.CopyTo(state.AsSpan(n));
        calls.Evaluate(t0, y0, state.AsSpan(2 * n, n));
    }

    public void Step(double t, double h, double[] state, double[] next, double[]? error)
    {
        for (int i = 0; i < n; i++)
        {
            next[n + i] = (2 * state[i]) - state[n + i] + (h * state[(2 * n) + i]);
        }

        calls.Evaluate(t + h, next.AsSpan(n, n), next.AsSpan(2 * n, n));
        for (int i = 0; i < n; i++)
        {
            double f0 = state[(2 * n) + i];
            double f1 = next[(2 * n) + i];
            next[i] = state[i] + (0.5 * h * (f0 + f1));
            if (error is not null)
            {
                error[i] = 0.5 * h * (f1 - f0);
            }
        }
    }

    public void Inverse(double t, double h, double[] next, double[] state)
    {
        for (int i = 0; i < n; i++)
        {
            state[n + i] = (2 * next[i]) - next[n + i] - (h * next[(2 * n) + i]);
        }

        calls.Evaluate(t, state.AsSpan(n, n), state.AsSpan(2 * n, n));
        for (int i = 0; i < n; i++)
        {
            state[i] = next[i] - (0.5 * h * (state[(2 * n) + i] + next[(2 * n) + i]));
        }
    }

    public void ReverseStep(double t, double h, double[] next, double[] nextBar, double[] state, double[] stateBar, double[] pBar, bool reconstruct)
    {
        if (reconstruct)
        {
            Inverse(t, h, next, state);
        }

        // f̄' + (h/2) ȳ' goes through f_{n+1} = f(t + h, ẑ_{n+1}); then ẑ_{n+1} = 2y − ẑ + h f and y_{n+1} = y + h(f + f')/2.
        for (int i = 0; i < n; i++)
        {
            dz[i] = nextBar[(2 * n) + i] + (0.5 * h * nextBar[i]);
        }

        calls.Vjp(t + h, next.AsSpan(n, n), dz, w, wp);
        ReversibleShared.Axpy(1, wp, pBar);
        for (int i = 0; i < n; i++)
        {
            double zTotal = nextBar[n + i] + w[i];
            stateBar[i] = nextBar[i] + (2 * zTotal);
            stateBar[n + i] = -zTotal;
            stateBar[(2 * n) + i] = (0.5 * h * nextBar[i]) + (h * zTotal);
        }
    }

    public void InitializeVjp(double t0, ReadOnlySpan<double> y0, double[] stateBar, Span<double> y0Bar, double[] pBar)
    {
        calls.Vjp(t0, y0, stateBar.AsSpan(2 * n, n), w, wp);
        ReversibleShared.Axpy(1, wp, pBar);
        for (int i = 0; i < n; i++)
        {
            y0Bar[i] = stateBar[i] + stateBar[n + i] + w[i];
        }
    }

    public void Jvp(double t, double h, double[] state, double[] dState, double[] dp, double[] next, double[] dNext)
    {
        Step(t, h, state, next, null);
        for (int i = 0; i < n; i++)
        {
            dNext[n + i] = (2 * dState[i]) - dState[n + i] + (h * dState[(2 * n) + i]);
        }

        calls.Jvp(t + h, next.AsSpan(n, n), dNext.AsSpan(n, n), dp, v, dNext.AsSpan(2 * n, n));
        for (int i = 0; i < n; i++)
        {
            dNext[i] = dState[i] + (0.5 * h * (dState[(2 * n) + i] + dNext[(2 * n) + i]));
        }
    }

    public void InitializeJvp(double t0, ReadOnlySpan<double> y0, ReadOnlySpan<double> dy0, double[] dp, double[] state, double[] dState)
    {
        Initialize(t0, y0, state);
        dy0.CopyTo(dState);
        dy0.CopyTo(dState.AsSpan(n));
        calls.Jvp(t0, y0, dy0, dp, v, dState.AsSpan(2 * n, n));
    }
}
