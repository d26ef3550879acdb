using System.Globalization;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// McCallum and Foster's reversible wrapper of an explicit Runge–Kutta method (<see cref="Adjoint.Reversible"/>), run in
/// managed code through the problem's <see cref="IVectorField"/>. The state is the pair (y, z), z0 = y0, with Ψ_h(t, y)
/// = h Σ bᵢ kᵢ the base method's increment (FSAL never used):
/// y_{n+1} = λ y_n + (1 − λ) z_n + Ψ_h(t_n, z_n), z_{n+1} = z_n − Ψ_{−h}(t_{n+1}, y_{n+1}).
/// The forward keeps the final (y, z) and the accepted step times only; the reverse pass rebuilds each earlier pair
/// from the next with the exact inverse z_n = z_{n+1} + Ψ_{−h}(t_{n+1}, y_{n+1}),
/// y_n = (y_{n+1} − (1 − λ) z_n − Ψ_h(t_n, z_n)) / λ, and applies the discrete adjoint of the map through the base
/// step's vector–Jacobian products.
/// </summary>
internal sealed class ReversibleSolve : IReversibleSolve
{
    private readonly Tableau tableau;
    private readonly double lambda;
    private readonly Solver solver;
    private readonly OdeProblem problem;
    private readonly IVectorField field;
    private readonly double[] p;
    private readonly int n;
    private readonly int np;
    private readonly CancellationToken cancellationToken;
    private readonly bool keepEveryStep;

    // The vectors this mode keeps: y, z, their cotangents, two increments' stage inputs and derivatives, and scratch.
    private readonly double[] y;
    private readonly double[] z;
    private readonly double[][] stagesForward;   // Y_i of Ψ_h(t_n, z_n)
    private readonly double[][] stagesBackward;  // Y_i of Ψ_{−h}(t_{n+1}, y_{n+1})
    private readonly double[][] k;
    private readonly double[] increment;
    private readonly double[] error;
    private readonly double[] scratch;
    private readonly double[] parameterScratch;

    private double[] stepTimes = [];
    private int stepCount;
    private List<double[]>? everyPair;  // store-everything variant (tests): (y_n, z_n) for n = 0..N
    private long evaluations;
    private long vjps;
    private long jvps;
    private long reconstructionSteps;

    internal ReversibleSolve(Solver solver, OdeProblem problem, double coupling, CancellationToken cancellationToken, bool keepEveryStep = false)
    {
        tableau = Tableau.Read(solver.Method);
        lambda = coupling;
        this.solver = solver;
        this.problem = problem;
        this.cancellationToken = cancellationToken;
        this.keepEveryStep = keepEveryStep;
        field = problem.Field;
        p = problem.ParameterSpan.ToArray();
        n = field.StateSize;
        np = field.ParameterSize;
        int s = tableau.Stages;
        y = new double[n];
        z = new double[n];
        stagesForward = ReversibleShared.NewVectors(s, n);
        stagesBackward = ReversibleShared.NewVectors(s, n);
        k = ReversibleShared.NewVectors(s, n);
        increment = new double[n];
        error = new double[n];
        scratch = new double[n];
        parameterScratch = new double[np];
        if (solver.FixedStep == 0 && tableau.EmbeddedOrder == 0)
        {
            throw new ArgumentException(
                $"Adjoint.Reversible() with adaptive steps needs a method with an embedded error estimate (bosh3, dopri5, tsit5); " +
                $"'{solver.Method}' has none. Give the solver a fixed step (dt).",
                nameof(solver));
        }
    }

    /// <summary>
    /// Bytes of the vectors the mode holds at its peak (the reverse pass): (11 + 3s)·n + 3·n_p doubles — (y, z), the
    /// reconstructed pair and its cotangents, 3s stage vectors and a few scratch vectors. Independent of the number of
    /// steps; the N + 1 accepted step times (8 bytes each) are not counted.
    /// </summary>
    internal long BytesKept => 8L * (((11 + (3 * tableau.Stages)) * n) + (3 * np));

    /// <summary>The accepted steps of the forward solve.</summary>
    internal int Steps => stepCount;

    internal long RejectedSteps { get; private set; }

    internal double[]? EveryPairForTests(int index) => everyPair?[index];

    /// <summary>Runs the forward map; writes y at every output time (one row per time) into <paramref name="states"/>.</summary>
    public void Forward(Span<double> states)
    {
        problem.InitialStateSpan.CopyTo(y);
        problem.InitialStateSpan.CopyTo(z);
        var times = new List<double> { problem.T0 };
        everyPair = keepEveryStep ? [Pair(y, z)] : null;
        double t = problem.T0;
        double h = solver.FixedStep > 0 ? solver.FixedStep : InitialStep();
        var yNew = new double[n];
        var zNew = new double[n];
        IReadOnlyList<double> outputs = problem.OutputTimes;
        long attempts = 0;
        for (int o = 0; o < outputs.Count; o++)
        {
            double target = outputs[o];
            while (t < target)
            {
                if (++attempts > solver.MaxSteps)
                {
                    throw ReversibleShared.TooManySteps(solver, t);
                }

                // A fixed-step grid merges a remainder shorter than 1e-6 dt (accumulated round-off of t) into the last step.
                bool last = t + h >= target || (solver.FixedStep > 0 && t + (h * (1 + 1e-6)) >= target);
                double tNext = last ? target : t + h;
                double step = tNext - t;
                double errorNorm = Step(t, step, y, z, yNew, zNew, stepCount);
                if (solver.FixedStep > 0 || errorNorm <= 1)
                {
                    yNew.CopyTo(y, 0);
                    zNew.CopyTo(z, 0);
                    t = tNext;
                    times.Add(t);
                    stepCount++;
                    everyPair?.Add(Pair(y, z));
                }
                else
                {
                    RejectedSteps++;
                }

                if (solver.FixedStep == 0)
                {
                    int q = Math.Min(tableau.Order, tableau.EmbeddedOrder);
                    h = ReversibleShared.NextStep(step, errorNorm, q);
                    if (h < ReversibleShared.MinStep(solver, t))
                    {
                        throw ReversibleShared.StepTooSmall(h, t, stepCount);
                    }
                }
            }

            y.CopyTo(states.Slice(o * n, n));
        }

        stepTimes = [.. times];
    }

    /// <summary>
    /// The reverse pass for dL/dy at the output times: reconstructs every (y_n, z_n) from the last and accumulates
    /// dL/dy0 and dL/dp.
    /// </summary>
    public void Backward(ReadOnlySpan<double> cotangents, Span<double> initialState, Span<double> parameters)
    {
        var ry = (double[])y.Clone();
        var rz = (double[])z.Clone();
        var yBar = new double[n];
        var zBar = new double[n];
        var yHat = new double[n];
        var pBar = new double[np];
        var pInc = new double[np];
        var wDy = new double[n];
        IReadOnlyList<double> outputs = problem.OutputTimes;
        int o = outputs.Count - 1;
        ReversibleShared.AddOutputCotangents(problem, n, cotangents, stepTimes[stepCount], ref o, yBar);
        for (int step = stepCount - 1; step >= 0; step--)
        {
            double t0 = stepTimes[step];
            double t1 = stepTimes[step + 1];
            double h = t1 - t0;

            // Reconstruct z_n, then y_n, keeping both increments' stage inputs for their VJPs.
            Increment(t1, -h, ry, stagesBackward, increment);
            for (int i = 0; i < n; i++)
            {
                rz[i] += increment[i];
            }

            Increment(t0, h, rz, stagesForward, increment);
            for (int i = 0; i < n; i++)
            {
                ry[i] = (ry[i] - ((1 - lambda) * rz[i]) - increment[i]) / lambda;
            }

            reconstructionSteps++;
            if (everyPair is { } pairs)
            {
                // The store-everything variant (tests): the stored pair replaces the reconstruction.
                pairs[step].AsSpan(0, n).CopyTo(ry);
                pairs[step].AsSpan(n, n).CopyTo(rz);
                Increment(t1, -h, pairs[step + 1].AsSpan(0, n), stagesBackward, increment);
                Increment(t0, h, rz, stagesForward, increment);
            }

            RequireFinite(ry, rz, t0, step);

            // ŷ = ȳ_{n+1} − J_{Ψ−h}(y_{n+1})ᵀ z̄_{n+1};  p̄ −= ∂_pΨ_{−h}ᵀ z̄_{n+1}.
            IncrementVjp(t1, -h, stagesBackward, zBar, wDy, pInc);
            for (int i = 0; i < n; i++)
            {
                yHat[i] = yBar[i] - wDy[i];
            }

            for (int j = 0; j < np; j++)
            {
                pBar[j] -= pInc[j];
            }

            // ȳ_n = λ ŷ;  z̄_n = z̄_{n+1} + (1 − λ) ŷ + J_{Ψh}(z_n)ᵀ ŷ;  p̄ += ∂_pΨ_hᵀ ŷ.
            IncrementVjp(t0, h, stagesForward, yHat, wDy, pInc);
            for (int i = 0; i < n; i++)
            {
                yBar[i] = lambda * yHat[i];
                zBar[i] += ((1 - lambda) * yHat[i]) + wDy[i];
            }

            for (int j = 0; j < np; j++)
            {
                pBar[j] += pInc[j];
            }

            ReversibleShared.AddOutputCotangents(problem, n, cotangents, t0, ref o, yBar);
        }

        for (int i = 0; i < n; i++)
        {
            initialState[i] = yBar[i] + zBar[i];
        }

        pBar.CopyTo(parameters);
    }

    /// <summary>Rebuilds (y0, z0) from the final pair by the exact inverse, without a gradient (round-trip checks).</summary>
    internal (double[] Y, double[] Z) Reconstruct()
    {
        var ry = (double[])y.Clone();
        var rz = (double[])z.Clone();
        for (int step = stepCount - 1; step >= 0; step--)
        {
            double h = stepTimes[step + 1] - stepTimes[step];
            Increment(stepTimes[step + 1], -h, ry, stagesBackward, increment);
            ReversibleShared.Axpy(1, increment, rz);
            Increment(stepTimes[step], h, rz, stagesForward, increment);
            for (int i = 0; i < n; i++)
            {
                ry[i] = (ry[i] - ((1 - lambda) * rz[i]) - increment[i]) / lambda;
            }

            reconstructionSteps++;
        }

        return (ry, rz);
    }

    /// <summary>The tangent of y at every output time along (dy0, dp): the forward map again, with its tangent (Jvp).</summary>
    public void Tangent(ITangentVectorField tangentField, ReadOnlySpan<double> dy0, ReadOnlySpan<double> dp, Span<double> tangents)
    {
        var ty = problem.InitialStateSpan.ToArray();
        var tz = (double[])ty.Clone();
        var dy = dy0.ToArray();
        var dz = dy0.ToArray();
        var dIncrement = new double[n];
        var dp1 = dp.ToArray();
        IReadOnlyList<double> outputs = problem.OutputTimes;
        int o = 0;
        while (o < outputs.Count && outputs[o] <= stepTimes[0])
        {
            dy.CopyTo(tangents.Slice(o++ * n, n));
        }

        for (int step = 0; step < stepCount; step++)
        {
            double t0 = stepTimes[step];
            double t1 = stepTimes[step + 1];
            double h = t1 - t0;
            IncrementJvp(tangentField, t0, h, tz, dz, dp1, increment, dIncrement);
            for (int i = 0; i < n; i++)
            {
                ty[i] = (lambda * ty[i]) + ((1 - lambda) * tz[i]) + increment[i];
                dy[i] = (lambda * dy[i]) + ((1 - lambda) * dz[i]) + dIncrement[i];
            }

            IncrementJvp(tangentField, t1, -h, ty, dy, dp1, increment, dIncrement);
            for (int i = 0; i < n; i++)
            {
                tz[i] -= increment[i];
                dz[i] -= dIncrement[i];
            }

            while (o < outputs.Count && outputs[o] <= t1)
            {
                dy.CopyTo(tangents.Slice(o++ * n, n));
            }
        }
    }

    /// <summary>The counters of the forward solve and of every pass so far.</summary>
    public SolverStatistics Statistics() => new(
        stepCount, RejectedSteps, evaluations, vjps, jvps, 0, BytesKept, 0, 0, 0, 0, 0, 0, ReconstructionSteps: reconstructionSteps);

    /// <summary>One step of the map from (y, z) at t over h into (yNew, zNew); returns the weighted error norm (adaptive).</summary>
    private double Step(double t, double h, double[] y0, double[] z0, double[] yNew, double[] zNew, int step)
    {
        Increment(t, h, z0, stagesForward, increment);
        for (int i = 0; i < n; i++)
        {
            yNew[i] = (lambda * y0[i]) + ((1 - lambda) * z0[i]) + increment[i];
        }

        Increment(t + h, -h, yNew, stagesBackward, increment, error);
        for (int i = 0; i < n; i++)
        {
            zNew[i] = z0[i] - increment[i];
        }

        if (!ReversibleShared.AllFinite(yNew) || !ReversibleShared.AllFinite(zNew))
        {
            throw new NonFiniteValueException(string.Create(
                CultureInfo.InvariantCulture,
                $"The reversible solve produced NaN or infinity in step {step} from t = {t:G17} (h = {h:G17})."));
        }

        if (solver.FixedStep > 0)
        {
            return 0;
        }

        return ReversibleShared.ErrorNorm(solver, error, y0, yNew);
    }

    /// <summary>Ψ_h(t, x) = h Σ bᵢ kᵢ into <paramref name="result"/>, keeping the stage inputs; the error estimate h Σ eᵢ kᵢ too, if asked.</summary>
    private void Increment(double t, double h, ReadOnlySpan<double> x, double[][] stages, double[] result, double[]? errorEstimate = null)
    {
        int s = tableau.Stages;
        for (int i = 0; i < s; i++)
        {
            double[] stage = stages[i];
            x.CopyTo(stage);
            for (int j = 0; j < i; j++)
            {
                double a = h * tableau.A[(i * s) + j];
                if (a != 0)
                {
                    ReversibleShared.Axpy(a, k[j], stage);
                }
            }

            Evaluate(t + (tableau.C[i] * h), stage, k[i]);
        }

        Array.Clear(result);
        errorEstimate?.AsSpan().Clear();
        for (int i = 0; i < s; i++)
        {
            ReversibleShared.Axpy(h * tableau.B[i], k[i], result);
            if (errorEstimate is not null)
            {
                ReversibleShared.Axpy(h * tableau.BErr[i], k[i], errorEstimate);
            }
        }
    }

    /// <summary>
    /// The VJP of Ψ_h(t, ·, p) at the kept stage inputs for the cotangent g, in the division-free form of the discrete RK
    /// adjoint: k̄ᵢ = h bᵢ g + Σ_{l&gt;i} h a_li Ȳ_l, Ȳᵢ = J(Yᵢ)ᵀ k̄ᵢ; writes Σ Ȳᵢ and Σ ∂_pf(Yᵢ)ᵀ k̄ᵢ.
    /// </summary>
    private void IncrementVjp(double t, double h, double[][] stages, double[] g, double[] gy, double[] gp)
    {
        int s = tableau.Stages;
        double[][] stageBars = k;  // the stage derivatives are not needed any more: reuse them for Ȳᵢ
        Array.Clear(gy);
        Array.Clear(gp);
        for (int i = s - 1; i >= 0; i--)
        {
            for (int c = 0; c < n; c++)
            {
                scratch[c] = h * tableau.B[i] * g[c];
            }

            for (int l = i + 1; l < s; l++)
            {
                double a = h * tableau.A[(l * s) + i];
                if (a != 0)
                {
                    ReversibleShared.Axpy(a, stageBars[l], scratch);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            field.Vjp(t + (tableau.C[i] * h), stages[i], p, scratch, stageBars[i], parameterScratch);
            vjps++;
            ReversibleShared.Axpy(1, stageBars[i], gy);
            ReversibleShared.Axpy(1, parameterScratch, gp);
        }
    }

    /// <summary>Ψ_h(t, x) and its tangent along (dx, dp), through the field's Jvp.</summary>
    private void IncrementJvp(
        ITangentVectorField tangentField, double t, double h, double[] x, double[] dx, double[] dp, double[] result, double[] dResult)
    {
        int s = tableau.Stages;
        double[][] dk = stagesBackward;  // free during a tangent pass
        var v = new double[n + np];
        dp.CopyTo(v, n);
        for (int i = 0; i < s; i++)
        {
            double[] stage = stagesForward[i];
            x.CopyTo(stage, 0);
            dx.CopyTo(v, 0);
            for (int j = 0; j < i; j++)
            {
                double a = h * tableau.A[(i * s) + j];
                if (a != 0)
                {
                    ReversibleShared.Axpy(a, k[j], stage);
                    ReversibleShared.Axpy(a, dk[j], v.AsSpan(0, n));
                }
            }

            double ti = t + (tableau.C[i] * h);
            Evaluate(ti, stage, k[i]);
            tangentField.Jvp(ti, stage, p, v, dk[i]);
            jvps++;
        }

        Array.Clear(result);
        Array.Clear(dResult);
        for (int i = 0; i < s; i++)
        {
            ReversibleShared.Axpy(h * tableau.B[i], k[i], result);
            ReversibleShared.Axpy(h * tableau.B[i], dk[i], dResult);
        }
    }

    private void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dxdt)
    {
        cancellationToken.ThrowIfCancellationRequested();
        field.Evaluate(t, x, p, dxdt);
        evaluations++;
    }

    private void RequireFinite(double[] ry, double[] rz, double t, int step)
    {
        if (!ReversibleShared.AllFinite(ry) || !ReversibleShared.AllFinite(rz))
        {
            throw new NonFiniteValueException(string.Create(
                CultureInfo.InvariantCulture,
                $"The reversible reverse pass could not reconstruct the state at t = {t:G17} (step {step} of {stepCount}): it holds NaN or infinity. Round-off in the reconstruction grows about as λ^-N; a coupling closer to 1 or fewer steps may help."));
        }
    }

    private double InitialStep()
    {
        if (solver.InitialStep == 0)
        {
            Evaluate(problem.T0, y, scratch);
        }

        return ReversibleShared.InitialStep(solver, problem, y, scratch);
    }

    private static double[] Pair(double[] a, double[] b) => [.. a, .. b];

    /// <summary>An explicit Runge–Kutta tableau, read from librewind (rwd_ts_tableau).</summary>
    internal sealed class Tableau
    {
        private Tableau(int stages, int order, int embeddedOrder, double[] c, double[] a, double[] b, double[] bErr)
        {
            Stages = stages;
            Order = order;
            EmbeddedOrder = embeddedOrder;
            C = c;
            A = a;
            B = b;
            BErr = bErr;
        }

        internal int Stages { get; }

        internal int Order { get; }

        internal int EmbeddedOrder { get; }

        internal double[] C { get; }

        internal double[] A { get; }

        internal double[] B { get; }

        internal double[] BErr { get; }

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
