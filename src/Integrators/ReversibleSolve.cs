using System.Globalization;

namespace Rewind.Integrators;

/// <summary>
/// A solve of <see cref="Adjoint.Reversible"/>, in managed code through the problem's <see cref="IVectorField"/>: drives
/// one <see cref="IReversibleMap"/> — McCallum and Foster's wrapper of an explicit Runge–Kutta method, or one of the
/// intrinsically reversible methods (<see cref="Solver.ReversibleMethods"/>) — over fixed or adaptive steps, keeping the final extended state and the
/// accepted step times only; the reverse pass rebuilds every earlier state with the map's exact inverse and applies the
/// discrete adjoint of the map (one local VJP per step), so the gradient is that of the computed solution up to the
/// reconstruction's round-off.
/// </summary>
internal sealed class ReversibleSolve
{
    private readonly Solver solver;
    private readonly OdeProblem problem;
    private readonly ReversibleFieldCalls calls;
    private readonly IReversibleMap map;
    private readonly int n;
    private readonly int outputSize;  // y's length; n = outputSize + 1 with a running cost (its integral is the last entry)
    private readonly bool hasRunningCost;
    private readonly int np;
    private readonly int width;
    private readonly bool keepEveryStep;
    private readonly IReadOnlyList<double>? grid;
    private readonly double[] state;

    private double[] stepTimes = [];
    private int stepCount;
    private List<double[]>? everyState;  // store-everything variant (tests)
    private long reconstructionSteps;

    /// <param name="solver">The solver: an explicit Runge–Kutta method or one of <see cref="Solver.ReversibleMethods"/>.</param>
    /// <param name="problem">The problem (with its running cost, if any).</param>
    /// <param name="coupling">McCallum and Foster's λ (ignored by the intrinsically reversible methods).</param>
    /// <param name="cancellationToken">Checked at every evaluation.</param>
    /// <param name="keepEveryStep">Tests: keep every state and differentiate at the stored ones instead of reconstructing.</param>
    /// <param name="grid">Tests: the step times to take (from t0, ending at the last output time, passing through every output time); null for the solver's steps.</param>
    internal ReversibleSolve(Solver solver, OdeProblem problem, double coupling, CancellationToken cancellationToken, bool keepEveryStep = false, IReadOnlyList<double>? grid = null)
    {
        this.solver = solver;
        outputSize = problem.Field.StateSize;
        hasRunningCost = problem.RunningCost is not null;
        this.problem = RunningCostField.Augment(problem);  // every pass below runs on (y, q) when there is a running cost
        this.keepEveryStep = keepEveryStep;
        this.grid = grid;
        calls = new ReversibleFieldCalls(this.problem, cancellationToken);
        n = calls.StateSize;
        np = calls.ParameterSize;
        map = !solver.IsReversibleOnly ? new McCallumFosterMap(solver.Method, coupling, calls)
            : solver.Method == "reversible-heun" ? new ReversibleHeunMap(calls)
            : AlfMap.Create(solver.Method, solver.Damping, calls);
        if (solver.FixedStep == 0 && grid is null && map.EstimateOrder == 0)
        {
            throw new ArgumentException(
                $"Adjoint.Reversible() with adaptive steps needs a method with an error estimate; '{solver.Method}' has none. " +
                "Give the solver a fixed step (dt).",
                nameof(solver));
        }

        width = map.Width;
        state = new double[width];
    }

    /// <summary>
    /// Bytes of the trajectory at its peak, counted as librewind counts checkpoints and stages: the reverse step holds the
    /// extended states S_{n+1} and S_n and the map's <see cref="IReversibleMap.KeptDoubles"/> (the forward pass holds one
    /// extended state). Independent of the number of steps; the N + 1 accepted step times (8 bytes each) are not counted,
    /// nor are cotangents and arithmetic scratch, as for every mode.
    /// </summary>
    internal long BytesKept => 8L * ((2 * width) + map.KeptDoubles);

    /// <summary>The map's extended state after the forward solve (tests).</summary>
    internal double[] FinalState => (double[])state.Clone();

    /// <summary>The extended initial state S0 (tests).</summary>
    internal double[] InitialState()
    {
        var s0 = new double[width];
        map.Initialize(problem.T0, problem.InitialStateSpan, s0);
        return s0;
    }

    /// <summary>
    /// Runs the forward map; writes y at every output time (one row per time) into <paramref name="states"/> and, with a
    /// running cost, Q at every output time into <paramref name="runningCost"/>.
    /// </summary>
    public void Forward(Span<double> states, Span<double> runningCost)
    {
        map.Initialize(problem.T0, problem.InitialStateSpan, state);
        var times = new List<double> { problem.T0 };
        everyState = keepEveryStep ? [(double[])state.Clone()] : null;
        var next = new double[width];
        var error = new double[n];
        bool adaptive = solver.FixedStep == 0 && grid is null;
        double t = problem.T0;
        double h = solver.FixedStep > 0 ? solver.FixedStep : adaptive ? ReversibleShared.InitialStep(solver, problem, state.AsSpan(0, n), FieldAtStart()) : 0;
        IReadOnlyList<double> outputs = problem.OutputTimes;
        long attempts = 0;
        int g = 1;
        for (int o = 0; o < outputs.Count; o++)
        {
            double target = outputs[o];
            while (t < target)
            {
                if (++attempts > solver.MaxSteps)
                {
                    throw ReversibleShared.TooManySteps(solver, t);
                }

                double tNext;
                if (grid is not null)
                {
                    tNext = Math.Min(grid[g++], target);
                }
                else
                {
                    // A fixed-step grid merges a remainder shorter than 1e-6 dt (accumulated round-off of t) into the last step.
                    bool last = t + h >= target || (solver.FixedStep > 0 && t + (h * (1 + 1e-6)) >= target);
                    tNext = last ? target : t + h;
                }

                double step = tNext - t;
                map.Step(t, step, state, next, adaptive ? error : null);
                if (!ReversibleShared.AllFinite(next))
                {
                    throw new NonFiniteValueException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The reversible solve ({solver.Method}) produced NaN or infinity in step {stepCount} from t = {t:G17} (h = {step:G17})."));
                }

                double errorNorm = adaptive ? ReversibleShared.ErrorNorm(solver, error, state.AsSpan(0, n), next.AsSpan(0, n)) : 0;
                if (!adaptive || errorNorm <= 1)
                {
                    next.CopyTo(state, 0);
                    t = tNext;
                    times.Add(t);
                    stepCount++;
                    everyState?.Add((double[])state.Clone());
                }
                else
                {
                    RejectedSteps++;
                }

                if (adaptive)
                {
                    h = ReversibleShared.NextStep(step, errorNorm, map.EstimateOrder);
                    if (h < ReversibleShared.MinStep(solver, t))
                    {
                        throw ReversibleShared.StepTooSmall(h, t, stepCount);
                    }
                }
            }

            state.AsSpan(0, outputSize).CopyTo(states.Slice(o * outputSize, outputSize));
            if (hasRunningCost)
            {
                runningCost[o] = state[outputSize];
            }
        }

        stepTimes = [.. times];
    }

    internal long RejectedSteps { get; private set; }

    /// <summary>
    /// The reverse pass for L = Σ_k cotangents_k · y(t_k) + Q(t_last): reconstructs every state from the last and
    /// accumulates dL/dy0 and dL/dp.
    /// </summary>
    public void Backward(ReadOnlySpan<double> outputCotangents, Span<double> initialState, Span<double> parameters)
    {
        ReadOnlySpan<double> cotangents = outputCotangents;
        if (hasRunningCost)
        {
            // dL/dq is 1 at the last output time, 0 elsewhere.
            int count = problem.OutputTimes.Count;
            var padded = new double[count * n];
            for (int k = 0; k < count; k++)
            {
                outputCotangents.Slice(k * outputSize, outputSize).CopyTo(padded.AsSpan(k * n));
            }

            padded[^1] = 1;
            cotangents = padded;
        }

        var current = (double[])state.Clone();
        var previous = new double[width];
        var bar = new double[width];
        var previousBar = new double[width];
        var pBar = new double[np];
        int o = problem.OutputTimes.Count - 1;
        ReversibleShared.AddOutputCotangents(problem, n, cotangents, stepTimes[stepCount], ref o, bar);
        for (int step = stepCount - 1; step >= 0; step--)
        {
            double t0 = stepTimes[step];
            double h = stepTimes[step + 1] - t0;
            if (everyState is { } stored)
            {
                stored[step].CopyTo(previous, 0);
                stored[step + 1].CopyTo(current, 0);
            }

            map.ReverseStep(t0, h, current, bar, previous, previousBar, pBar, reconstruct: everyState is null);
            reconstructionSteps++;
            if (!ReversibleShared.AllFinite(previous))
            {
                throw new NonFiniteValueException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"The reversible reverse pass ({solver.Method}) could not reconstruct the state at t = {t0:G17} (step {step} of {stepCount}): it holds NaN or infinity. Round-off in the reconstruction can grow with the number of steps (as λ^-N for the coupling λ of Adjoint.Reversible); a coupling closer to 1 or fewer steps may help."));
            }

            (current, previous) = (previous, current);
            (bar, previousBar) = (previousBar, bar);
            ReversibleShared.AddOutputCotangents(problem, n, cotangents, t0, ref o, bar);
        }

        var y0Bar = new double[n];
        map.InitializeVjp(problem.T0, problem.InitialStateSpan, bar, y0Bar, pBar);
        y0Bar.AsSpan(0, outputSize).CopyTo(initialState);
        pBar.CopyTo(parameters);
    }

    /// <summary>Rebuilds S0 from the final state by the exact inverse, without a gradient (round-trip checks).</summary>
    internal double[] Reconstruct()
    {
        var current = (double[])state.Clone();
        var previous = new double[width];
        for (int step = stepCount - 1; step >= 0; step--)
        {
            map.Inverse(stepTimes[step], stepTimes[step + 1] - stepTimes[step], current, previous);
            (current, previous) = (previous, current);
            reconstructionSteps++;
        }

        return current;
    }

    /// <summary>The tangents of y and, with a running cost, of Q at every output time along (dy0, dp).</summary>
    public void Tangent(ReadOnlySpan<double> initialStateTangent, ReadOnlySpan<double> dp, Span<double> tangents, Span<double> runningCostTangent)
    {
        var dy0 = new double[n];
        initialStateTangent.CopyTo(dy0);
        var current = new double[width];
        var dCurrent = new double[width];
        var next = new double[width];
        var dNext = new double[width];
        var dParameters = dp.ToArray();
        map.InitializeJvp(problem.T0, problem.InitialStateSpan, dy0, dParameters, current, dCurrent);
        IReadOnlyList<double> outputs = problem.OutputTimes;
        int o = 0;
        while (o < outputs.Count && outputs[o] <= stepTimes[0])
        {
            WriteTangent(dCurrent, o++, tangents, runningCostTangent);
        }

        for (int step = 0; step < stepCount; step++)
        {
            double t0 = stepTimes[step];
            map.Jvp(t0, stepTimes[step + 1] - t0, current, dCurrent, dParameters, next, dNext);
            (current, next) = (next, current);
            (dCurrent, dNext) = (dNext, dCurrent);
            while (o < outputs.Count && outputs[o] <= stepTimes[step + 1])
            {
                WriteTangent(dCurrent, o++, tangents, runningCostTangent);
            }
        }
    }

    private void WriteTangent(double[] dState, int o, Span<double> tangents, Span<double> runningCostTangent)
    {
        dState.AsSpan(0, outputSize).CopyTo(tangents.Slice(o * outputSize, outputSize));
        if (hasRunningCost)
        {
            runningCostTangent[o] = dState[outputSize];
        }
    }

    /// <summary>The counters of the forward solve and of every pass so far.</summary>
    public SolverStatistics Statistics() => new(
        stepCount, RejectedSteps, calls.Evaluations, calls.Vjps, calls.Jvps, 0, BytesKept, 0, 0, 0, 0, 0, 0, ReconstructionSteps: reconstructionSteps);

    private double[] FieldAtStart()
    {
        var f = new double[n];
        if (solver.InitialStep == 0)
        {
            calls.Evaluate(problem.T0, state.AsSpan(0, n), f);
        }

        return f;
    }
}
