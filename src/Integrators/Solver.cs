using System.Collections.ObjectModel;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// An explicit Runge–Kutta method chosen by name, with its step control: adaptive (relative and absolute
/// tolerance) unless a fixed step is given.
/// </summary>
/// <example><code>
/// var adaptive = new Solver("dopri5", rtol: 1e-10, atol: 1e-12);
/// var fixedStep = new Solver("rk4", dt: 0.01);
/// </code></example>
public sealed class Solver
{
    /// <summary>The native ts type whose methods this solver offers.</summary>
    internal const string MethodType = "rk";

    private static readonly Lazy<ReadOnlyCollection<string>> MethodNames = new(ReadMethodNames);

    private readonly ILogger logger;
    private readonly double initialStep;
    private readonly double minStep;
    private readonly long maxSteps = 100_000;

    /// <summary>Creates a solver.</summary>
    /// <param name="method">One of <see cref="Methods"/>, e.g. <c>"dopri5"</c> or <c>"rk4"</c>.</param>
    /// <param name="rtol">The relative tolerance of adaptive steps; positive and finite.</param>
    /// <param name="atol">The absolute tolerance of adaptive steps; positive and finite.</param>
    /// <param name="dt">A fixed step size, or 0 for adaptive steps.</param>
    /// <param name="logger">Receives the solver's messages, librewind's included; none by default.</param>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not one of <see cref="Methods"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is not positive and finite, or dt is negative or not finite.</exception>
    public Solver(string method, double rtol = 1e-6, double atol = 1e-9, double dt = 0, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!Methods.Contains(method))
        {
            throw new ArgumentException(
                $"Unknown method '{method}'. The methods are: {string.Join(", ", Methods)}.", nameof(method));
        }

        RequirePositiveFinite(rtol, nameof(rtol));
        RequirePositiveFinite(atol, nameof(atol));
        RequireNonNegativeFinite(dt, nameof(dt));
        Method = method;
        RelativeTolerance = rtol;
        AbsoluteTolerance = atol;
        FixedStep = dt;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The names of the available methods (explicit Runge–Kutta tableaus), as librewind lists them.</summary>
    public static IReadOnlyList<string> Methods => MethodNames.Value;

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary>The relative tolerance of adaptive steps.</summary>
    public double RelativeTolerance { get; }

    /// <summary>The absolute tolerance of adaptive steps.</summary>
    public double AbsoluteTolerance { get; }

    /// <summary>The fixed step size; 0 means adaptive steps.</summary>
    public double FixedStep { get; }

    /// <summary>The first adaptive step; 0 (the default) chooses it automatically.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double InitialStep
    {
        get => initialStep;
        init
        {
            RequireNonNegativeFinite(value, nameof(InitialStep));
            initialStep = value;
        }
    }

    /// <summary>The smallest adaptive step before the solve fails with <see cref="StepSizeUnderflowException"/>; 0 (the default) means a few ulps of t.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double MinStep
    {
        get => minStep;
        init
        {
            RequireNonNegativeFinite(value, nameof(MinStep));
            minStep = value;
        }
    }

    /// <summary>The most steps (accepted and rejected) per solve before it fails with <see cref="MaxStepsExceededException"/>; 100 000 by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxSteps
    {
        get => maxSteps;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value, nameof(MaxSteps));
            maxSteps = value;
        }
    }

    /// <summary>Solves <paramref name="problem"/>, keeping what <see cref="Solution.Backward"/> needs, as <paramref name="adjoint"/> says.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="adjoint">The gradient mode and checkpoint policy.</param>
    /// <param name="cancellationToken">Checked at every evaluation of the field, in this solve and in the passes over its solution.</param>
    /// <returns>The solution; dispose it to free its native memory.</returns>
    /// <exception cref="StepSizeUnderflowException">The step size fell below <see cref="MinStep"/>.</exception>
    /// <exception cref="MaxStepsExceededException">The solve took more than <see cref="MaxSteps"/> steps.</exception>
    /// <exception cref="NonFiniteValueException">The field produced NaN or infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ArgumentException">The solve needs more steps than a binomial policy was planned for.</exception>
    /// <exception cref="IOException">A multilevel policy's directory cannot be written, or a checkpoint file cannot be written or read.</exception>
    /// <remarks>An exception thrown by the field propagates unchanged, with <c>Data["Rewind.Location"]</c> saying where it happened.</remarks>
    public Solution Solve(OdeProblem problem, Adjoint adjoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(adjoint);
        IVectorField field = problem.Field;
        Log.SolveStarting(
            logger, field.StateSize, field.ParameterSize, Method, problem.OutputTimes.Count, adjoint.Checkpointing);
        NativeSolve native = NativeSolve.Create(this, problem, adjoint, logger, cancellationToken);
        try
        {
            var states = new double[problem.OutputTimes.Count * field.StateSize];
            native.Solve(problem, states);
            SolverStatistics statistics = native.Statistics();
            Log.SolveFinished(
                logger, statistics.Steps, statistics.RejectedSteps, statistics.FunctionEvaluations, statistics.PeakBytesKept);
            return new Solution(native, problem, states, statistics, logger);
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    /// <summary>Solves <paramref name="problem"/> keeping every step for the exact discrete adjoint (store-all).</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>The solution; dispose it to free its native memory.</returns>
    public Solution Solve(OdeProblem problem) =>
        Solve(problem, Adjoint.Discrete(Checkpointing.Checkpointing.StoreAll));

    private static ReadOnlyCollection<string> ReadMethodNames()
    {
        Ensure.Success(NativeMethods.TsMethods(MethodType, [], 0, out long required));
        var names = new byte[required];
        Ensure.Success(NativeMethods.TsMethods(MethodType, names, required, out _));
        string list = Encoding.UTF8.GetString(names, 0, names.Length - 1);  // without the terminating NUL
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).AsReadOnly();
    }

    private static void RequirePositiveFinite(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    private static void RequireNonNegativeFinite(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and not negative.");
        }
    }
}
