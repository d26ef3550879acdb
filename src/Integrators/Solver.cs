using System.Collections.ObjectModel;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rewind.Interop;

namespace Rewind.Integrators;

/// <summary>
/// A time-stepping method chosen by name, with its step control: adaptive (relative and absolute tolerance) unless
/// a fixed step is given. <see cref="Methods"/> lists every method librewind offers: explicit Runge–Kutta tableaus
/// (<c>"dopri5"</c>, <c>"rk4"</c>, …) and the implicit methods for stiff problems (<see cref="ImplicitMethods"/>:
/// θ-methods <c>"beuler"</c>, <c>"cn"</c>, <c>"theta"</c> and the ESDIRK methods <c>"trbdf2"</c>,
/// <c>"kvaerno3"</c> … <c>"kvaerno5"</c>, <c>"sdirk4"</c>). Implicit methods solve their stage equations with
/// Newton's method (<see cref="NewtonTolerance"/>, <see cref="NewtonMaxIterations"/>) and a linear solver
/// (<see cref="LinearSolver"/>); they build their iteration matrices from the field's
/// <see cref="IDenseJacobian"/> when it has one, else from Jacobian–vector products.
/// </summary>
/// <example><code>
/// var adaptive = new Solver("dopri5", rtol: 1e-10, atol: 1e-12);
/// var fixedStep = new Solver("rk4", dt: 0.01);
/// var stiff = new Solver("kvaerno5", rtol: 1e-8, atol: 1e-10) { LinearSolver = "dense" };
/// var theta = new Solver("theta", dt: 0.01) { Theta = 0.6 };
/// </code></example>
public sealed class Solver
{
    /// <summary>The type of the managed, intrinsically reversible methods (<see cref="ReversibleMethods"/>).</summary>
    private const string ReversibleType = "reversible";

    /// <summary>The ts types whose methods are implicit (they own a Newton and a linear solver).</summary>
    private static readonly string[] ImplicitTypes = ["theta", "esdirk"];

    /// <summary>The linear solvers of implicit stages, as librewind names them.</summary>
    private static readonly ReadOnlyCollection<string> LinearSolverNames = new(["auto", "dense", "gmres"]);

    private static readonly Lazy<MethodCatalog> Catalog = new(MethodCatalog.Read);

    private readonly ILogger logger;
    private readonly double initialStep;
    private readonly double minStep;
    private readonly long maxSteps = 100_000;
    private readonly double? theta;
    private readonly double damping = 1;
    private readonly double newtonTolerance = 0.01;
    private readonly int newtonMaxIterations = 10;
    private readonly string linearSolver = "auto";
    private readonly double linearTolerance = 1e-10;
    private readonly int gmresRestart = 30;

    /// <summary>Creates a solver.</summary>
    /// <param name="method">One of <see cref="Methods"/>, e.g. <c>"dopri5"</c>, <c>"rk4"</c> or <c>"kvaerno5"</c>.</param>
    /// <param name="rtol">The relative tolerance of adaptive steps (and of the Newton iteration of implicit methods); positive and finite.</param>
    /// <param name="atol">The absolute tolerance of adaptive steps (and of the Newton iteration of implicit methods); positive and finite.</param>
    /// <param name="dt">A fixed step size, or 0 for adaptive steps.</param>
    /// <param name="logger">Receives the solver's messages, librewind's included; none by default.</param>
    /// <exception cref="ArgumentException"><paramref name="method"/> is not one of <see cref="Methods"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is not positive and finite, or dt is negative or not finite.</exception>
    public Solver(string method, double rtol = 1e-6, double atol = 1e-9, double dt = 0, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        string? type = ReversibleShared.MethodNames.Contains(method) ? ReversibleType : null;
        if (type is null && !Catalog.Value.TypeOf.TryGetValue(method, out type))
        {
            throw new ArgumentException(
                $"Unknown method '{method}'. The methods are: {string.Join(", ", Methods)}; with Adjoint.Reversible() also " +
                $"{string.Join(", ", ReversibleMethods)}.", nameof(method));
        }

        RequirePositiveFinite(rtol, nameof(rtol));
        RequirePositiveFinite(atol, nameof(atol));
        RequireNonNegativeFinite(dt, nameof(dt));
        Method = method;
        MethodType = type;
        RelativeTolerance = rtol;
        AbsoluteTolerance = atol;
        FixedStep = dt;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The names of every available method, explicit and implicit, as librewind lists them (type by type).</summary>
    public static IReadOnlyList<string> Methods => Catalog.Value.Methods;

    /// <summary>The implicit methods among <see cref="Methods"/> (θ-methods and ESDIRK), for stiff problems.</summary>
    public static IReadOnlyList<string> ImplicitMethods => Catalog.Value.ImplicitMethods;

    /// <summary>
    /// The intrinsically reversible methods, run in managed code and only with <see cref="Adjoint.Reversible"/> (which
    /// ignores its coupling for them): <c>"reversible-heun"</c> (Kidger et al. 2021, order 2, one evaluation per step,
    /// error estimate of order 1), <c>"alf"</c> (MALI's asynchronous leapfrog, order 2, one evaluation per step, damping
    /// <see cref="Damping"/>, MALI's error estimate), <c>"alf4"</c> and <c>"alf6"</c> (Suzuki compositions of the paired ALF
    /// map, orders 4 and 6, 10 and 50 evaluations per step, error against the next lower order). All run with fixed or
    /// adaptive steps. They are neutrally stable only on a segment of the imaginary axis (reversible Heun and ALF
    /// |hω| ≤ 1, alf4 ≤ 2.12, alf6 ≤ 2.57): suited to conservative and oscillatory problems; on dissipative ones a
    /// parasitic mode grows like the backward flow.
    /// </summary>
    public static IReadOnlyList<string> ReversibleMethods { get; } = Array.AsReadOnly(ReversibleShared.MethodNames);

    /// <summary>The linear solvers <see cref="LinearSolver"/> accepts: <c>"auto"</c>, <c>"dense"</c> and <c>"gmres"</c>.</summary>
    public static IReadOnlyList<string> LinearSolvers => LinearSolverNames;

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary>Whether <see cref="Method"/> is one of <see cref="ReversibleMethods"/> (usable with <see cref="Adjoint.Reversible"/> only).</summary>
    public bool IsReversibleOnly => MethodType == ReversibleType;

    /// <summary>Whether <see cref="Method"/> is implicit (one of <see cref="ImplicitMethods"/>).</summary>
    public bool IsImplicit => ImplicitTypes.Contains(MethodType);

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

    /// <summary>
    /// θ of the <c>"theta"</c> method, 0 &lt; θ ≤ 1: y_{n+1} = y_n + h ((1 − θ) f(t_n, y_n) + θ f(t_{n+1}, y_{n+1})).
    /// Null (the default) leaves it at 1/2. Order 2 at θ = 1/2, else 1; A-stable for θ ≥ 1/2. The other θ-methods
    /// have theirs fixed (<c>"beuler"</c> θ = 1, <c>"cn"</c> θ = 1/2). Setting null is allowed for every method.
    /// </summary>
    /// <exception cref="ArgumentException">A value is given and the method is not <c>"theta"</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1].</exception>
    public double? Theta
    {
        get => theta;
        init
        {
            if (value is not null && Method != "theta")
            {
                throw new ArgumentException(
                    $"Theta applies to the method 'theta' only; this solver's method is '{Method}'.", nameof(Theta));
            }

            if (value is { } given && !(given > 0 && given <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(Theta), given, "Theta must be in (0, 1].");
            }

            theta = value;
        }
    }

    /// <summary>
    /// The damping η of <c>"alf"</c> (damped asynchronous leapfrog, MALI): v_{n+1} = v_n + 2η (f(t + h/2, k) − v_n); 1 (the
    /// default) is plain ALF. η in (0, 1], η ≠ 1/2 (the map is not invertible there). η &lt; 1 gives the map a stability
    /// region with interior (det = 1 − 2η) but amplifies the reconstruction's round-off by 1/|1 − 2η| per step (1.25 at
    /// η = 0.9), so only η very close to 1 keeps reverse passes accurate over many steps. Setting 1 is allowed for every
    /// method; <c>"alf4"</c> and <c>"alf6"</c> need 1 (their composition is of the undamped map).
    /// </summary>
    /// <exception cref="ArgumentException">A value other than 1 is given and the method is not <c>"alf"</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1], or is 1/2.</exception>
    public double Damping
    {
        get => damping;
        init
        {
            if (!(value > 0 && value <= 1) || value == 0.5)
            {
                throw new ArgumentOutOfRangeException(nameof(Damping), value, "Damping must be in (0, 1] and not 1/2 (where ALF is not invertible).");
            }

            if (value != 1 && Method != "alf")
            {
                throw new ArgumentException(
                    $"Damping applies to the method 'alf' only; this solver's method is '{Method}'.", nameof(Damping));
            }

            damping = value;
        }
    }

    /// <summary>
    /// The Newton iteration of implicit stages stops when its estimated error, in the weighted norm of
    /// <see cref="RelativeTolerance"/> and <see cref="AbsoluteTolerance"/> (also in fixed-step solves), is below this
    /// value; 0.01 by default, in (0, 1]. Explicit methods ignore it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1].</exception>
    public double NewtonTolerance
    {
        get => newtonTolerance;
        init
        {
            if (!(value > 0 && value <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(NewtonTolerance), value, "NewtonTolerance must be in (0, 1].");
            }

            newtonTolerance = value;
        }
    }

    /// <summary>
    /// The most Newton iterations per stage; 10 by default. A step whose iteration fails (too many iterations or
    /// divergence) is retried with a quarter of its size (adaptive steps); a fixed-step solve, or 10 failures in a
    /// row, ends the solve with <see cref="ConvergenceException"/>. Explicit methods ignore it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int NewtonMaxIterations
    {
        get => newtonMaxIterations;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(NewtonMaxIterations));
            newtonMaxIterations = value;
        }
    }

    /// <summary>
    /// The linear solver of implicit stages, one of <see cref="LinearSolvers"/>: <c>"dense"</c> (LU of the iteration
    /// matrix), <c>"gmres"</c> (matrix-free, through Jacobian–vector and vector–Jacobian products) or <c>"auto"</c>
    /// (the default: dense up to 256 states, else GMRES). Explicit methods ignore it.
    /// </summary>
    /// <exception cref="ArgumentException">The value is not one of <see cref="LinearSolvers"/>.</exception>
    public string LinearSolver
    {
        get => linearSolver;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(LinearSolver));
            if (!LinearSolverNames.Contains(value))
            {
                throw new ArgumentException(
                    $"Unknown linear solver '{value}'. The linear solvers are: {string.Join(", ", LinearSolverNames)}.",
                    nameof(LinearSolver));
            }

            linearSolver = value;
        }
    }

    /// <summary>
    /// The relative residual at which GMRES stops in the reverse and tangent-linear passes (1e-10 by default, in
    /// (0, 1)); forward solves stop at max(this, 1e-6) (inexact Newton). Dense solves ignore it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in (0, 1).</exception>
    public double LinearTolerance
    {
        get => linearTolerance;
        init
        {
            if (!(value > 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(LinearTolerance), value, "LinearTolerance must be in (0, 1).");
            }

            linearTolerance = value;
        }
    }

    /// <summary>The GMRES restart length (Krylov vectors kept before a restart); 30 by default, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int GmresRestart
    {
        get => gmresRestart;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(GmresRestart));
            gmresRestart = value;
        }
    }

    /// <summary>The native ts type of <see cref="Method"/>: <c>"rk"</c>, <c>"theta"</c> or <c>"esdirk"</c>.</summary>
    internal string MethodType { get; }

    /// <summary>Solves <paramref name="problem"/>, keeping what <see cref="Solution.Backward"/> needs, as <paramref name="adjoint"/> says.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="adjoint">The gradient mode and checkpoint policy.</param>
    /// <param name="cancellationToken">Checked at every evaluation of the field through a callback, in this solve and in the
    /// passes over its solution; a field librewind evaluates natively (a network's) runs to the end of the pass.</param>
    /// <returns>The solution; dispose it to free its native memory.</returns>
    /// <exception cref="StepSizeUnderflowException">The step size fell below <see cref="MinStep"/>.</exception>
    /// <exception cref="MaxStepsExceededException">The solve took more than <see cref="MaxSteps"/> steps.</exception>
    /// <exception cref="NonFiniteValueException">The field, its Jacobian or the running cost produced NaN or infinity.</exception>
    /// <exception cref="ConvergenceException">An implicit method's Newton iteration failed at a fixed step, or at 10
    /// retries in a row, or its iteration matrix was singular; the message names the time and the step.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    /// <exception cref="ArgumentException">The solve needs more steps than a binomial policy was planned for.</exception>
    /// <exception cref="IOException">A multilevel policy's directory cannot be written, or a checkpoint file cannot be written or read.</exception>
    /// <exception cref="ArgumentException"><paramref name="adjoint"/> is <see cref="Adjoint.Symplectic"/> and the method is
    /// implicit (the symplectic adjoint is defined for explicit Runge–Kutta methods; <see cref="Adjoint.CheckpointPerStep"/>
    /// keeps the same memory for any method).</exception>
    /// <remarks>An exception thrown by the field (its Jacobian included) or the running cost propagates unchanged, with
    /// <c>Data["Rewind.Location"]</c> saying where it happened. With <see cref="Adjoint.None"/> nothing is kept for
    /// <see cref="Solution.Backward"/> and <see cref="Solution.Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</remarks>
    public Solution Solve(OdeProblem problem, Adjoint adjoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(adjoint);
        if (adjoint.Mode == GradientMode.Symplectic && IsImplicit)
        {
            throw new ArgumentException(
                $"Adjoint.Symplectic() is the symplectic adjoint of explicit Runge–Kutta methods, but '{Method}' is implicit. " +
                "Use Adjoint.CheckpointPerStep() for the same one-state-per-step memory with any method, or Adjoint.Discrete(...).",
                nameof(adjoint));
        }

        if (adjoint.Mode == GradientMode.Reversible)
        {
            return SolveReversible(problem, adjoint, keepEveryStep: false, cancellationToken);
        }

        if (IsReversibleOnly)
        {
            throw new ArgumentException(
                $"'{Method}' is an intrinsically reversible method and runs only with Adjoint.Reversible(); this solve asks for {adjoint}.",
                nameof(adjoint));
        }

        IVectorField field = problem.Field;
        Log.SolveStarting(logger, field.StateSize, field.ParameterSize, Method, problem.OutputTimes.Count, adjoint);
        NativeSolve native = NativeSolve.Create(this, problem, adjoint, logger, cancellationToken);
        try
        {
            var states = new double[problem.OutputTimes.Count * field.StateSize];
            native.Solve(problem, states);
            double[] runningCost = problem.RunningCost is null ? [] : native.RunningCost(problem.OutputTimes.Count);
            SolverStatistics statistics = native.Statistics();
            Log.SolveFinished(
                logger, statistics.Steps, statistics.RejectedSteps, statistics.FunctionEvaluations, statistics.PeakBytesKept);
            Backsolve? backsolve = adjoint.Mode == GradientMode.Backsolve ? new Backsolve(this, adjoint, problem, cancellationToken) : null;
            return new Solution(native, problem, adjoint, states, runningCost, statistics, logger, backsolve);
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Solves with <see cref="Adjoint.Reversible"/>; <paramref name="keepEveryStep"/> (tests) also stores every (y, z) and
    /// differentiates at the stored pairs instead of the reconstructed ones.
    /// </summary>
    internal Solution SolveReversible(
        OdeProblem problem, Adjoint adjoint, bool keepEveryStep, CancellationToken cancellationToken, IReadOnlyList<double>? grid = null)
    {
        if (IsImplicit)
        {
            throw new ArgumentException(
                $"Adjoint.Reversible() wraps explicit Runge–Kutta methods, but '{Method}' is implicit.", nameof(adjoint));
        }

        IVectorField field = problem.Field;
        Log.SolveStarting(logger, field.StateSize, field.ParameterSize, Method, problem.OutputTimes.Count, adjoint);
        var reversible = new ReversibleSolve(this, problem, adjoint.Coupling ?? 0.999, cancellationToken, keepEveryStep, grid);
        var states = new double[problem.OutputTimes.Count * field.StateSize];
        double[] runningCost = problem.RunningCost is null ? [] : new double[problem.OutputTimes.Count];
        reversible.Forward(states, runningCost);
        SolverStatistics statistics = reversible.Statistics();
        Log.SolveFinished(logger, statistics.Steps, statistics.RejectedSteps, statistics.FunctionEvaluations, statistics.PeakBytesKept);
        return new Solution(reversible, problem, states, runningCost, statistics, logger);
    }

    /// <summary>Solves <paramref name="problem"/> keeping every step for the exact discrete adjoint (store-all).</summary>
    /// <param name="problem">The problem.</param>
    /// <returns>The solution; dispose it to free its native memory.</returns>
    public Solution Solve(OdeProblem problem) =>
        Solve(problem, Adjoint.Discrete(Checkpointing.Checkpointing.StoreAll));

    /// <summary>
    /// The solver of <see cref="Adjoint.Backsolve"/>'s backward solve: this method and its settings, adaptive with the
    /// given tolerances (null for this solver's), or this fixed step when neither is given and this solver has one.
    /// </summary>
    internal Solver ForBacksolve(double? rtol, double? atol)
    {
        bool keepFixedStep = rtol is null && atol is null;
        return new Solver(Method, rtol ?? RelativeTolerance, atol ?? AbsoluteTolerance, keepFixedStep ? FixedStep : 0, logger)
        {
            MinStep = MinStep,
            MaxSteps = MaxSteps,
            Theta = Theta,
            NewtonTolerance = NewtonTolerance,
            NewtonMaxIterations = NewtonMaxIterations,
            LinearSolver = LinearSolver,
            LinearTolerance = LinearTolerance,
            GmresRestart = GmresRestart,
        };
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

    /// <summary>The methods librewind offers, read once: every type's methods, and the type of each.</summary>
    private sealed class MethodCatalog
    {
        private MethodCatalog(ReadOnlyCollection<string> methods, ReadOnlyCollection<string> implicitMethods, Dictionary<string, string> typeOf)
        {
            Methods = methods;
            ImplicitMethods = implicitMethods;
            TypeOf = typeOf;
        }

        internal ReadOnlyCollection<string> Methods { get; }

        internal ReadOnlyCollection<string> ImplicitMethods { get; }

        internal Dictionary<string, string> TypeOf { get; }

        internal static MethodCatalog Read()
        {
            var methods = new List<string>();
            var implicitMethods = new List<string>();
            var typeOf = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string type in ReadList(null))
            {
                foreach (string method in ReadList(type))
                {
                    // A name is unique across types; should two types ever share one, the first type keeps it.
                    if (typeOf.TryAdd(method, type))
                    {
                        methods.Add(method);
                        if (ImplicitTypes.Contains(type))
                        {
                            implicitMethods.Add(method);
                        }
                    }
                }
            }

            return new MethodCatalog(methods.AsReadOnly(), implicitMethods.AsReadOnly(), typeOf);
        }

        /// <summary>The ts types (<paramref name="type"/> null) or the methods of a type, as librewind lists them.</summary>
        private static string[] ReadList(string? type)
        {
            long required;
            Ensure.Success(type is null
                ? NativeMethods.TsTypes([], 0, out required)
                : NativeMethods.TsMethods(type, [], 0, out required));
            var names = new byte[required];
            Ensure.Success(type is null
                ? NativeMethods.TsTypes(names, required, out _)
                : NativeMethods.TsMethods(type, names, required, out _));
            string list = Encoding.UTF8.GetString(names, 0, Math.Max(0, names.Length - 1));  // without the terminating NUL
            return list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
    }
}
