using System.Globalization;
using Rewind.Checkpointing;

namespace Rewind.Integrators;

/// <summary>
/// How gradients of a solve are computed, and what the forward solve keeps for them. Every mode's
/// <see cref="Solution.Backward"/> returns the same <see cref="Gradient"/> with the same
/// <see cref="SolverStatistics"/>. The discrete modes (<see cref="Discrete"/>, <see cref="Symplectic"/>,
/// <see cref="CheckpointPerStep"/>) give the exact derivative of the computed solution, bit for bit the same numbers;
/// <see cref="Backsolve"/> approximates the derivative of the exact ODE solution and is offered as a baseline only.
/// <see cref="Reversible"/> is the algebraically reversible mode: it keeps only the final state and the step times
/// (memory independent of the number of steps) and rebuilds every earlier state in the reverse pass with the exact
/// inverse of the forward map, either McCallum and Foster's coupled wrapper of an explicit Runge–Kutta method or one
/// of the intrinsically reversible methods of <see cref="Solver.ReversibleMethods"/> (reversible Heun, ALF and its
/// compositions); its gradient is the exact derivative of its own forward map up to the reconstruction's round-off.
/// </summary>
public sealed class Adjoint
{
    private static readonly Adjoint SymplecticMode = new(GradientMode.Symplectic, Rewind.Checkpointing.Checkpointing.SolutionOnly);
    private static readonly Adjoint CheckpointPerStepMode = new(GradientMode.CheckpointPerStep, Rewind.Checkpointing.Checkpointing.SolutionOnly);

    private Adjoint(GradientMode mode, CheckpointPolicy? checkpointing, double? rtol = null, double? atol = null, double? coupling = null)
    {
        Coupling = coupling;
        Mode = mode;
        Checkpointing = checkpointing;
        BacksolveRelativeTolerance = rtol;
        BacksolveAbsoluteTolerance = atol;
    }

    /// <summary>
    /// A forward-only solve: nothing is kept for a reverse or tangent pass, so <see cref="Solution.Backward"/> and
    /// <see cref="Solution.Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/> throw
    /// <see cref="InvalidOperationException"/> on its solution. The cheapest way to get states (and the running
    /// cost): it keeps no trajectory, and implicit methods may reuse Jacobians and factorizations across steps,
    /// which solves kept for gradients do not do (their recomputed steps must repeat the forward's arithmetic).
    /// </summary>
    public static Adjoint None { get; } = new(GradientMode.None, null);

    /// <summary>The gradient mode.</summary>
    public GradientMode Mode { get; }

    /// <summary>
    /// What the forward solve keeps for the reverse pass: the policy of <see cref="Discrete"/>,
    /// <see cref="Rewind.Checkpointing.Checkpointing.SolutionOnly"/> for <see cref="Symplectic"/> and
    /// <see cref="CheckpointPerStep"/>, null for <see cref="None"/> and <see cref="Backsolve"/> (which keep no trajectory).
    /// </summary>
    public CheckpointPolicy? Checkpointing { get; }

    /// <summary>Whether this is <see cref="None"/>: a forward-only solve that supports no gradient or tangent pass.</summary>
    public bool IsForwardOnly => Mode == GradientMode.None;

    /// <summary>
    /// Whether the gradients are reverse-accurate: the exact derivative of the states the forward solve computed (to
    /// round-off), as for every discrete mode. False for <see cref="Backsolve"/>, whose gradient approximates the
    /// derivative of the exact solution with an error set by its tolerances, and for <see cref="None"/>, which gives none.
    /// </summary>
    public bool IsReverseAccurate => Mode is GradientMode.Discrete or GradientMode.Symplectic or GradientMode.CheckpointPerStep or GradientMode.Reversible;

    /// <summary>The coupling λ of <see cref="Reversible"/>; null for the other modes.</summary>
    public double? Coupling { get; }

    /// <summary>The relative tolerance of <see cref="Backsolve"/>'s backward solve; null for the solver's (and for the other modes).</summary>
    public double? BacksolveRelativeTolerance { get; }

    /// <summary>The absolute tolerance of <see cref="Backsolve"/>'s backward solve; null for the solver's (and for the other modes).</summary>
    public double? BacksolveAbsoluteTolerance { get; }

    /// <summary>
    /// The exact discrete adjoint: the transpose of the steps the forward solve took, so gradients are exact
    /// derivatives of the computed solution.
    /// </summary>
    /// <param name="checkpointing">What the forward solve keeps; see <see cref="Rewind.Checkpointing.Checkpointing"/>.</param>
    /// <returns>The adjoint mode.</returns>
    public static Adjoint Discrete(CheckpointPolicy checkpointing)
    {
        ArgumentNullException.ThrowIfNull(checkpointing);
        return new Adjoint(GradientMode.Discrete, checkpointing);
    }

    /// <summary>
    /// The symplectic adjoint of Matsubara, Miyatake and Yaguchi (NeurIPS 2021) for explicit Runge–Kutta methods: one
    /// checkpoint per accepted step, and each step's stages recomputed within the step as the reverse pass reaches it.
    /// It is computed in the division-free form of the discrete Runge–Kutta adjoint, which is algebraically the same
    /// method as the symplectic partner scheme without its case split on zero weights (dopri5's b₂ = 0, for one), so
    /// its gradients are exact and bit for bit those of <see cref="Discrete"/> with any policy.
    /// Memory: N states (one per accepted step, the initial state included) plus one step's stages, i.e.
    /// (N + k)·n·8 bytes with k the vectors a method keeps per step; one reverse pass recomputes N − 1 steps (the last
    /// step's stages remain from the forward solve). Explicit methods only: <see cref="Solver.Solve(OdeProblem, Adjoint, CancellationToken)"/>
    /// with an implicit method throws <see cref="ArgumentException"/> naming the method.
    /// </summary>
    /// <returns>The adjoint mode.</returns>
    public static Adjoint Symplectic() => SymplecticMode;

    /// <summary>
    /// ANODE's checkpoint per step (Gholami, Keutzer and Biros, IJCAI 2019): the forward solve keeps the state at the
    /// start of every accepted step, and the reverse pass recomputes each step from its state and applies the exact
    /// discrete adjoint inside it. Any method, explicit or implicit (an implicit step repeats its Newton iterations
    /// exactly), fixed or adaptive steps; gradients are bit for bit those of <see cref="Discrete"/> with any policy.
    /// Memory: one state per step plus one step's kept vectors, (N + k)·n·8 bytes; one reverse pass recomputes N − 1
    /// steps.
    /// </summary>
    /// <returns>The adjoint mode.</returns>
    public static Adjoint CheckpointPerStep() => CheckpointPerStepMode;

    /// <summary>
    /// The continuous adjoint solved backwards in time ("backsolve", as torchdiffeq's <c>odeint_adjoint</c>): a baseline,
    /// <b>not reverse-accurate</b>. The forward solve keeps no trajectory (as <see cref="None"/>: 0 bytes kept). The
    /// reverse pass integrates z = (y, λ, μ) from the last output time back to t0 with the solver's method,
    /// dy/dt = f(t, y, p), dλ/dt = −(∂f/∂y)ᵀλ − (∂g/∂y)ᵀ, dμ/dt = −(∂f/∂p)ᵀλ − (∂g/∂p)ᵀ (g the running cost, if any),
    /// from λ = dL/dy(t_last), μ = 0; at each earlier output time it re-seeds y with the forward's state there and adds
    /// dL/dy(t_k) to λ. The result, λ(t0) and μ(t0), approximates the gradient of the exact ODE solution, not of the
    /// numbers the forward solve produced: its error follows the tolerances of both solves, and
    /// <see cref="Gradient.IsReverseAccurate"/> is false. <see cref="SolverStatistics.ReverseSteps"/> counts the
    /// backward solve's steps. A tangent pass is not defined for this mode
    /// (<see cref="Solution.Tangent(ReadOnlySpan{double}, ReadOnlySpan{double})"/> throws <see cref="InvalidOperationException"/>).
    /// </summary>
    /// <param name="rtol">The relative tolerance of the adaptive backward solve; null for the solver's.</param>
    /// <param name="atol">The absolute tolerance of the adaptive backward solve; null for the solver's.</param>
    /// <returns>The adjoint mode.</returns>
    /// <remarks>With both tolerances null and a fixed-step solver, the backward solve takes the solver's fixed step;
    /// otherwise it is adaptive. It starts with an automatic first step and keeps the solver's other settings
    /// (<see cref="Solver.MaxSteps"/>, <see cref="Solver.MinStep"/>, the Newton and linear solver settings).</remarks>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance is given and is not positive and finite.</exception>
    public static Adjoint Backsolve(double? rtol = null, double? atol = null)
    {
        RequirePositiveFinite(rtol, nameof(rtol));
        RequirePositiveFinite(atol, nameof(atol));
        return new Adjoint(GradientMode.Backsolve, null, rtol, atol);
    }

    /// <summary>
    /// McCallum and Foster's algebraically reversible wrapper ("Efficient, Accurate and Stable Gradients for Neural
    /// ODEs", arXiv 2410.11648) around the solver's explicit Runge–Kutta method. The solve advances the pair (y, z),
    /// z0 = y0, with the base method's increment Ψ_h(t, y) = h Σ bᵢ kᵢ (first-same-as-last never used):
    /// y_{n+1} = λ y_n + (1 − λ) z_n + Ψ_h(t_n, z_n), z_{n+1} = z_n − Ψ_{−h}(t_{n+1}, y_{n+1}); the states at the
    /// output times are y. It keeps only the final (y, z) and the accepted step times. The reverse pass rebuilds every
    /// earlier pair from the next with the exact inverse, z_n = z_{n+1} + Ψ_{−h}(t_{n+1}, y_{n+1}),
    /// y_n = (y_{n+1} − (1 − λ) z_n − Ψ_h(t_n, z_n)) / λ, and applies the discrete adjoint of the map through the
    /// field's vector–Jacobian products, so the gradient is that of the computed solution up to the round-off of the
    /// reconstruction, which grows about as λ^−N on oscillatory problems.
    /// Fixed steps (dt), or adaptive steps for methods with an embedded estimate (bosh3, dopri5, tsit5), the error
    /// taken from the backward base step Ψ_{−h}(t_{n+1}, y_{n+1}); only accepted steps are kept. The order is the base
    /// method's. Memory (<see cref="SolverStatistics.PeakBytesKept"/>) does not depend on the number of steps; each step
    /// costs 2s evaluations forward, 2s for its reconstruction and 2s VJPs. The map runs in managed code through the
    /// field's <see cref="IVectorField.Evaluate"/>, <see cref="IVectorField.Vjp"/> and (for tangents)
    /// <see cref="ITangentVectorField.Jvp"/>.
    /// </summary>
    /// <param name="coupling">λ in (0, 1]; smaller λ damps the forward y–z gap more but amplifies the reconstruction's
    /// round-off. Ignored by the intrinsically reversible methods.</param>
    /// <returns>The adjoint mode.</returns>
    /// <remarks>With one of <see cref="Solver.ReversibleMethods"/> (<c>"reversible-heun"</c>, <c>"alf"</c>, <c>"alf4"</c>,
    /// <c>"alf6"</c>) the solve runs that method's own exactly invertible map instead of the wrapper, and the coupling is
    /// ignored; those methods run only with this mode. <see cref="Solver.Solve(OdeProblem, Adjoint, CancellationToken)"/> throws <see cref="ArgumentException"/>
    /// for an implicit method and for adaptive steps with a method without an embedded estimate. A running cost is
    /// integrated by the reversible map as one more state component (reconstructed with the state; its error is
    /// controlled with the state's).</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="coupling"/> is not in (0, 1].</exception>
    public static Adjoint Reversible(double coupling = 0.999)
    {
        if (!(coupling > 0 && coupling <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(coupling), coupling, "The coupling λ must be in (0, 1].");
        }

        return new Adjoint(GradientMode.Reversible, null, coupling: coupling);
    }

    /// <summary>
    /// Returns <c>"none"</c>, the checkpoint policy of a discrete mode (e.g. <c>"binomial(16)"</c>),
    /// <c>"symplectic"</c>, <c>"checkpoint-per-step"</c>, <c>"backsolve"</c> (with its tolerances when given) or
    /// <c>"reversible(λ = …)"</c>.
    /// </summary>
    /// <returns>The adjoint mode's description.</returns>
    public override string ToString() => Mode switch
    {
        GradientMode.Symplectic => "symplectic",
        GradientMode.CheckpointPerStep => "checkpoint-per-step",
        GradientMode.Reversible => string.Create(CultureInfo.InvariantCulture, $"reversible(λ = {Coupling:G})"),
        GradientMode.Backsolve when BacksolveRelativeTolerance is null && BacksolveAbsoluteTolerance is null => "backsolve",
        GradientMode.Backsolve => string.Create(
            CultureInfo.InvariantCulture,
            $"backsolve(rtol {BacksolveRelativeTolerance?.ToString("G", CultureInfo.InvariantCulture) ?? "solver's"}, atol {BacksolveAbsoluteTolerance?.ToString("G", CultureInfo.InvariantCulture) ?? "solver's"})"),
        _ => Checkpointing?.ToString() ?? "none",
    };

    private static void RequirePositiveFinite(double? value, string name)
    {
        if (value is { } given && !(given > 0 && double.IsFinite(given)))
        {
            throw new ArgumentOutOfRangeException(name, given, $"{name} must be positive and finite.");
        }
    }
}
