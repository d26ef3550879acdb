using Microsoft.Extensions.Logging;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// The native objects of one solve — context, field and ts — and the calls on them. The handles keep each other
/// alive in the order librewind needs (ts, then field, then context), whichever is released first. The field is
/// made of callbacks into the problem's <see cref="IVectorField"/>, or, for an <see cref="INativeVectorField"/>,
/// created natively by it (it then depends on whatever native objects it uses, e.g. a network).
/// </summary>
internal sealed class NativeSolve : IDisposable
{
    private readonly ContextHandle context;
    private readonly FieldHandle field;
    private readonly TsHandle ts;
    private readonly VectorFieldCallbacks callbacks;

    private NativeSolve(ContextHandle context, FieldHandle field, TsHandle ts, VectorFieldCallbacks callbacks)
    {
        this.context = context;
        this.field = field;
        this.ts = ts;
        this.callbacks = callbacks;
    }

    internal bool IsDisposed => ts.IsClosed;

    internal bool HasJvp => callbacks.HasJvp;

    /// <summary>Creates the native objects for <paramref name="problem"/> with the solver's settings.</summary>
    internal static NativeSolve Create(
        Solver solver, OdeProblem problem, Adjoint adjoint, ILogger logger, CancellationToken cancellationToken)
    {
        var callbacks = new VectorFieldCallbacks(problem.Field, problem.RunningCost, cancellationToken);
        ContextHandle? context = null;
        TsHandle? ts = null;
        FieldHandle? field = null;
        try
        {
            context = CreateContext(logger);
            ts = CreateTs(context, solver, adjoint);
            field = callbacks.CreateNative(context);
            ts.DependOn(field);  // the ts keeps the field of its last solve for the reverse and tangent passes
            callbacks.RegisterRunningCost(ts, context);  // its callbacks use the field's GCHandle: after DependOn
            return new NativeSolve(context, field, ts, callbacks);
        }
        catch
        {
            ts?.Dispose();
            field?.Dispose();
            context?.Dispose();
            throw;
        }
    }

    /// <summary>Solves the problem; writes the states at the output times, one row per time, into <paramref name="states"/>.</summary>
    internal void Solve(OdeProblem problem, Span<double> states)
    {
        Ensure.Success(
            NativeMethods.TsSolve(
                ts,
                field,
                problem.InitialStateSpan,
                problem.InitialStateSpan.Length,
                problem.ParameterSpan,
                problem.ParameterSpan.Length,
                problem.T0,
                problem.OutputTimeSpan,
                problem.OutputTimeSpan.Length,
                states),
            context,
            callbacks.Failure);
    }

    /// <summary>The discrete adjoint of the solve for dL/dy at every output time (one row per time).</summary>
    internal void Adjoint(ReadOnlySpan<double> outputCotangents, Span<double> initialState, Span<double> parameters)
    {
        Ensure.Success(
            NativeMethods.TsAdjointSolve(
                ts,
                outputCotangents,
                outputCotangents.Length,
                initialState,
                initialState.Length,
                parameters,
                parameters.Length),
            context,
            callbacks.Failure);
    }

    /// <summary>The tangent-linear solve along (dy0, dp); writes the tangents at the output times, one row per time.</summary>
    internal void Tangent(ReadOnlySpan<double> initialState, ReadOnlySpan<double> parameters, Span<double> outputTangents)
    {
        Ensure.Success(
            NativeMethods.TsTlmSolve(
                ts,
                initialState,
                initialState.Length,
                parameters,
                parameters.Length,
                outputTangents,
                outputTangents.Length),
            context,
            callbacks.Failure);
    }

    /// <summary>Q(t_k) = ∫_{t0}^{t_k} g dt of the running cost at each of the <paramref name="outputCount"/> output times of the solve.</summary>
    internal double[] RunningCost(int outputCount)
    {
        var q = new double[outputCount];
        Ensure.Success(NativeMethods.TsGetRunningCost(ts, q, outputCount), context);
        return q;
    }

    /// <summary>The tangent of Q at each of the <paramref name="outputCount"/> output times, from the last tangent solve.</summary>
    internal double[] RunningCostTangent(int outputCount)
    {
        var dq = new double[outputCount];
        Ensure.Success(NativeMethods.TsGetRunningCostTangent(ts, dq, outputCount), context);
        return dq;
    }

    /// <summary>The counters of the ts: forward, reverse and tangent work so far.</summary>
    internal SolverStatistics Statistics()
    {
        Ensure.Success(NativeMethods.TsGetStats(ts, out TsStats stats), context);
        return SolverStatistics.From(stats);
    }

    public void Dispose()
    {
        ts.Dispose();
        field.Dispose();
        context.Dispose();
    }

    private static ContextHandle CreateContext(ILogger logger)
    {
        Ensure.Success(NativeMethods.ContextCreate(out ContextHandle context));
        try
        {
            if (LoggerSink.LowestEnabledLevel(logger) is { } level)
            {
                NativeLog.Attach(context, new LoggerSink(logger), (int)level);
            }

            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    private static TsHandle CreateTs(ContextHandle context, Solver solver, Adjoint adjoint)
    {
        Ensure.Success(NativeMethods.TsCreate(context, solver.MethodType, solver.Method, out TsHandle ts), context);
        try
        {
            ts.DependOn(context);
            Ensure.Success(NativeMethods.TsSetTolerances(ts, solver.RelativeTolerance, solver.AbsoluteTolerance), context);
            Ensure.Success(NativeMethods.TsSetStep(ts, solver.FixedStep), context);
            Ensure.Success(NativeMethods.TsSetInitialStep(ts, solver.InitialStep), context);
            Ensure.Success(NativeMethods.TsSetMinStep(ts, solver.MinStep), context);
            Ensure.Success(NativeMethods.TsSetMaxSteps(ts, solver.MaxSteps), context);
            if (solver.Theta is { } theta)
            {
                Ensure.Success(NativeMethods.TsSetTheta(ts, theta), context);
            }

            if (solver.IsImplicit)
            {
                Ensure.Success(NativeMethods.TsSetNewton(ts, solver.NewtonTolerance, solver.NewtonMaxIterations), context);
                Ensure.Success(
                    NativeMethods.TsSetLinearSolver(ts, solver.LinearSolver, solver.LinearTolerance, solver.GmresRestart),
                    context);
            }

            if (adjoint.Checkpointing is { } policy)
            {
                Ensure.Success(
                    NativeMethods.TsSetTrajectory(
                        ts, policy.Name, policy.Budget, policy.DiskCheckpoints, policy.Directory, policy.PlannedSteps),
                    context);
            }
            else
            {
                Ensure.Success(NativeMethods.TsSetTrajectory(ts, "none", 0, 0, null, 0), context);
            }
            return ts;
        }
        catch
        {
            ts.Dispose();
            throw;
        }
    }
}
