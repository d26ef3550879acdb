namespace Rewind.Integrators;

/// <summary>
/// The reverse pass of <see cref="Adjoint.Backsolve"/>: the continuous adjoint, integrated backwards in time by the
/// solver's method over each interval between output times, on the augmented state z = (y, λ, μ). The native solver
/// steps forward in time, so each interval is solved in s = −t, where dz/ds = −dz/dt.
/// </summary>
internal sealed class Backsolve
{
    private readonly Solver solver;
    private readonly OdeProblem problem;
    private readonly CancellationToken cancellationToken;

    internal Backsolve(Solver forwardSolver, Adjoint adjoint, OdeProblem problem, CancellationToken cancellationToken)
    {
        solver = forwardSolver.ForBacksolve(adjoint.BacksolveRelativeTolerance, adjoint.BacksolveAbsoluteTolerance);
        this.problem = problem;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>
    /// λ(t0) and μ(t0) for dL/dy at the output times (<paramref name="cotangents"/>, one row per time), re-seeding y
    /// from <paramref name="states"/> at every output time; returns the counters of the backward solves, their steps as
    /// reverse steps, their evaluations of the field and its VJPs.
    /// </summary>
    internal SolverStatistics Run(
        ReadOnlySpan<double> states, ReadOnlySpan<double> cotangents, Span<double> initialState, Span<double> parameters)
    {
        IVectorField field = problem.Field;
        int n = field.StateSize;
        IReadOnlyList<double> times = problem.OutputTimes;
        var augmented = new AugmentedField(field, problem.RunningCost, problem.ParameterSpan.ToArray());
        var z = new double[augmented.StateSize];
        int last = times.Count - 1;
        states.Slice(last * n, n).CopyTo(z);
        cotangents.Slice(last * n, n).CopyTo(z.AsSpan(n, n));
        var total = default(SolverStatistics);
        for (int k = last; k >= 0; k--)
        {
            double to = k > 0 ? times[k - 1] : problem.T0;
            if (to < times[k])
            {
                total = total.Plus(SolverStatistics.AsReverseSolve(SolveInterval(augmented, z, times[k], to)));
            }

            if (k > 0)
            {
                // Re-seed y from the forward solve and add the output's cotangent, as torchdiffeq's odeint_adjoint does.
                states.Slice((k - 1) * n, n).CopyTo(z);
                Span<double> lambda = z.AsSpan(n, n);
                ReadOnlySpan<double> w = cotangents.Slice((k - 1) * n, n);
                for (int i = 0; i < n; i++)
                {
                    lambda[i] += w[i];
                }
            }
        }

        z.AsSpan(n, n).CopyTo(initialState);
        z.AsSpan(2 * n, field.ParameterSize).CopyTo(parameters);
        return total with { FunctionEvaluations = augmented.Evaluations, Vjps = augmented.Vjps };
    }

    /// <summary>Integrates z from t = <paramref name="from"/> back to t = <paramref name="to"/> in place; returns the solve's counters.</summary>
    private SolverStatistics SolveInterval(AugmentedField augmented, double[] z, double from, double to)
    {
        var reversed = new OdeProblem(augmented, z, [], -from, [-to]);
        using Solution solution = solver.Solve(reversed, Adjoint.None, cancellationToken);
        solution.State(0).CopyTo(z, 0);
        return solution.Statistics;
    }

    /// <summary>
    /// dz/ds of z = (y, λ, μ) at s = −t: (−f(t, y, p), (∂f/∂y)ᵀλ + (∂g/∂y)ᵀ, (∂f/∂p)ᵀλ + (∂g/∂p)ᵀ), with the
    /// parameters held inside (its own parameter vector is empty). Counts the field's evaluations and VJPs.
    /// </summary>
    private sealed class AugmentedField(IVectorField field, IRunningCost? runningCost, double[] parameters) : IVectorField
    {
        private readonly int n = field.StateSize;
        private readonly int np = field.ParameterSize;
        private readonly double[] costDy = new double[field.StateSize];
        private readonly double[] costDp = new double[field.ParameterSize];

        public int StateSize => (2 * n) + np;

        public int ParameterSize => 0;

        internal long Evaluations { get; private set; }

        internal long Vjps { get; private set; }

        public void Evaluate(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, Span<double> dydt)
        {
            double time = -t;
            ReadOnlySpan<double> state = y[..n];
            Span<double> dy = dydt[..n];
            Span<double> dLambda = dydt.Slice(n, n);
            Span<double> dMu = dydt.Slice(2 * n, np);
            field.Evaluate(time, state, parameters, dy);
            Evaluations++;
            for (int i = 0; i < n; i++)
            {
                dy[i] = -dy[i];
            }

            field.Vjp(time, state, parameters, y.Slice(n, n), dLambda, dMu);
            Vjps++;
            if (runningCost is not null)
            {
                runningCost.Gradient(time, state, parameters, costDy, costDp);
                for (int i = 0; i < n; i++)
                {
                    dLambda[i] += costDy[i];
                }

                for (int j = 0; j < np; j++)
                {
                    dMu[j] += costDp[j];
                }
            }
        }

        // A forward-only solve of this field never asks for products: implicit methods build its Jacobian by
        // finite differences of Evaluate (dense) or apply it by differences of Evaluate (GMRES).
        public void Vjp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> p, ReadOnlySpan<double> w, Span<double> wDy, Span<double> wDp) =>
            throw new InvalidOperationException("The backsolve's augmented field has no vector-Jacobian product; it is solved forward only.");
    }
}
