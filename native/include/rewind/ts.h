/* rewind/ts.h — the time stepper: method by name, step control, output times, trajectory, the discrete adjoint
   and the tangent-linear solve of the same discrete solution. */
#ifndef REWIND_TS_H
#define REWIND_TS_H

#include "rewind/field.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rwd_ts rwd_ts;

/* Counters of one ts; forward and reverse work are kept apart so callers can report both. */
typedef struct rwd_ts_stats {
    int64_t steps;               /* accepted steps of the forward solve                                   */
    int64_t rejected_steps;      /* rejected by the error controller                                      */
    int64_t f_evals;             /* evaluations of f, forward and recomputation                           */
    int64_t vjp_evals;           /* vector–Jacobian products (adjoint)                                    */
    int64_t jvp_evals;           /* Jacobian–vector products (tangent-linear)                             */
    int64_t recomputed_steps;    /* forward steps taken again to rebuild what the trajectory did not keep */
    int64_t peak_bytes_kept;     /* largest number of vector bytes the trajectory held at once (states and
                                    stages; the 16 bytes per step of step times and sizes are not counted) */
    int64_t bytes_kept;          /* vector bytes the trajectory holds now                                 */
    int64_t peak_disk_bytes_kept; /* largest number of bytes held in checkpoint files at once (multilevel) */
    /* Implicit methods (0 for explicit ones): */
    int64_t jacobian_evals;      /* dense Jacobians built (callback, products or finite differences)      */
    int64_t factorizations;      /* LU factorizations of iteration matrices                               */
    int64_t newton_iterations;   /* Newton iterations of the forward solve and its recomputations         */
    int64_t newton_failures;     /* step attempts whose Newton iteration failed (the step was retried)    */
    int64_t linear_iterations;   /* GMRES iterations, forward and reverse                                 */
} rwd_ts_stats;

/* type and method, by name (unknown names: RWD_ERR_UNKNOWN_NAME):
     "rk"      explicit Runge–Kutta: euler, midpoint, heun, ralston3, rk4, bosh3, dopri5, tsit5;
     "theta"   θ-methods: beuler (θ = 1), cn (θ = 1/2), theta (θ from rwd_ts_set_theta);
     "esdirk"  diagonally implicit Runge–Kutta with embedded error estimates: trbdf2, kvaerno3, kvaerno4,
               kvaerno5, sdirk4.
   Implicit methods solve their stage equations with Newton's method and a linear solver. */
RWD_EXPORT rwd_status rwd_ts_create(rwd_context* ctx, const char* type, const char* method, rwd_ts** out);
RWD_EXPORT void rwd_ts_destroy(rwd_ts* ts); /* NULL is a no-op */

/* Comma-separated lists of the ts types and of the methods of a type. `required` receives the bytes `names`
   needs (incl. NUL); names may be NULL to ask for that size only. */
RWD_EXPORT rwd_status rwd_ts_types(char* names, int64_t capacity, int64_t* required);
RWD_EXPORT rwd_status rwd_ts_methods(const char* type, char* names, int64_t capacity, int64_t* required);

/* The Butcher tableau of an explicit Runge–Kutta method (one of the "rk" methods): stages s, order, embedded_order
   (0 without an embedded estimate) are always written. The arrays hold room for `capacity` stages: c, b and b_err
   `capacity` entries each, a `capacity`*`capacity` (row-major, strictly lower triangular). They may all be NULL with
   capacity 0 to ask for the sizes only; otherwise capacity must be at least s (RWD_ERR_ARGUMENT) and the first s
   entries (s*s of a, row stride s) are written. b_err = b - b_embedded, all zeros without an embedded estimate.
   RWD_ERR_UNKNOWN_NAME for a name that is not an explicit Runge–Kutta method. */
RWD_EXPORT rwd_status rwd_ts_tableau(const char* method, int32_t capacity, int32_t* stages, int32_t* order,
                                     int32_t* embedded_order, double* c, double* a, double* b, double* b_err);

/* Fixed steps of size dt (> 0; the step before each output time is shortened to land on it), or dt = 0 for
   adaptive steps controlled by rtol/atol (the default). */
RWD_EXPORT rwd_status rwd_ts_set_step(rwd_ts* ts, double dt);
RWD_EXPORT rwd_status rwd_ts_set_tolerances(rwd_ts* ts, double rtol, double atol);
/* First adaptive step; 0 selects it automatically (the default). */
RWD_EXPORT rwd_status rwd_ts_set_initial_step(rwd_ts* ts, double h0);
/* Smallest step allowed before RWD_ERR_STEP_UNDERFLOW; 0 means a few ulps of t (the default). */
RWD_EXPORT rwd_status rwd_ts_set_min_step(rwd_ts* ts, double hmin);
/* Most accepted + rejected steps per solve before RWD_ERR_MAX_STEPS (default 100000). */
RWD_EXPORT rwd_status rwd_ts_set_max_steps(rwd_ts* ts, int64_t max_steps);
/* θ of the "theta" method: 0 < θ <= 1 (default 1/2; order 2 at θ = 1/2, else 1; A-stable for θ >= 1/2).
   RWD_ERR_UNSUPPORTED for other methods. */
RWD_EXPORT rwd_status rwd_ts_set_theta(rwd_ts* ts, double theta);
/* Newton's method of implicit stages: it stops when its estimated error, in the weighted norm of the
   tolerances (rtol, atol; also in fixed-step solves), is below `tolerance` (default 0.01), and fails after
   max_iterations (default 10) or when it diverges; a failed step is retried with a quarter of its size (adaptive
   steps) or ends the solve with RWD_ERR_CONVERGENCE (fixed steps, or after 10 failures in a row). */
RWD_EXPORT rwd_status rwd_ts_set_newton(rwd_ts* ts, double tolerance, int32_t max_iterations);
/* Linear solver of implicit stages: "dense" (LU; LAPACK when found), "gmres" (matrix-free, restarted after
   `restart` iterations, Jacobian products through jvp and vjp) or "auto" (the default: dense up to 256 states,
   else gmres). `tolerance` is the relative residual of the reverse and tangent-linear GMRES solves (default
   1e-10); forward solves stop at max(tolerance, 1e-6) (inexact Newton). */
RWD_EXPORT rwd_status rwd_ts_set_linear_solver(rwd_ts* ts, const char* type, double tolerance, int32_t restart);

/* A running cost g(t, y, p) whose integral Q(t) = ∫_{t0}^{t} g dt is computed with the solve (by the same
   method, as one more state component, so its error is controlled too) and added to the loss: the adjoint
   then differentiates Σ_k dl_dy[k] · y(tout[k]) + Q(tout[nout - 1]). g NULL removes it. */
typedef int32_t (*rwd_cost_fn)(void* user, double t, const double* y, const double* p, double* g);
/* dg_dy = ∂g/∂y (n entries), dg_dp = ∂g/∂p (np entries), overwritten */
typedef int32_t (*rwd_cost_gradient_fn)(void* user, double t, const double* y, const double* p, double* dg_dy,
                                        double* dg_dp);
RWD_EXPORT rwd_status rwd_ts_set_running_cost(rwd_ts* ts, rwd_cost_fn g, rwd_cost_gradient_fn gradient,
                                              void* user);
/* Q(tout[k]) of the last solve (nout entries), and its tangent from the last rwd_ts_tlm_solve. */
RWD_EXPORT rwd_status rwd_ts_get_running_cost(const rwd_ts* ts, double* q, int64_t nout);
RWD_EXPORT rwd_status rwd_ts_get_running_cost_tangent(const rwd_ts* ts, double* dq, int64_t nout);

/* What the forward keeps for the reverse pass (rewind/schedule.h describes the schedules):
     "none"             nothing: a forward-only solve (adjoint and tangent-linear solves fail); implicit methods
                        may then reuse Jacobians across steps, which the other types forbid so that recomputed
                        steps repeat the forward's arithmetic exactly;
     "store-all"        every step's state and stages (checkpoints and disk_checkpoints 0);
     "solution-only"    every step's state; stages are recomputed (checkpoints and disk_checkpoints 0);
     "binomial"         c = checkpoints states in RAM, placed by Revolve for N steps: N = planned_steps when > 0,
                        else the step count of a fixed-step solve, else (adaptive) placed as online-binomial;
                        a solve longer than planned_steps fails with RWD_ERR_ARGUMENT;
     "online-binomial"  c = checkpoints states in RAM, for any N;
     "multilevel"       checkpoints in RAM plus disk_checkpoints in files under directory, placed as binomial.
   Every budgeted trajectory also holds the last step's stages. Gradients are the same for every choice. */
RWD_EXPORT rwd_status rwd_ts_set_trajectory(rwd_ts* ts, const char* type, int64_t checkpoints,
                                            int64_t disk_checkpoints, const char* directory, int64_t planned_steps);

/* Solves from (t0, y0) with parameters p (np may be 0 with p NULL) and writes y at each of the nout output
   times tout (non-decreasing from t0, strictly increasing after the first) into yout (nout * n, row per time).
   The steps, stages and output indices are kept for rwd_ts_adjoint_solve and rwd_ts_tlm_solve, which call the
   same field again: it must stay alive until the ts is destroyed or solves again. */
RWD_EXPORT rwd_status rwd_ts_solve(rwd_ts* ts, rwd_field* field, const double* y0, int64_t n, const double* p,
                                   int64_t np, double t0, const double* tout, int64_t nout, double* yout);

/* Discrete adjoint of the last solve: given dl_dy (nout * n, dL/dy at each output time) writes dl_dy0 (n) and
   dl_dp (np) — the exact derivative of the computed solution, accepted step sizes held constant. */
RWD_EXPORT rwd_status rwd_ts_adjoint_solve(rwd_ts* ts, const double* dl_dy, int64_t len, double* dl_dy0, int64_t n,
                                           double* dl_dp, int64_t np);

/* Tangent-linear solve of the last solve: the directional derivative of yout along (dy0, dp), written to dyout
   (nout * n). Needs the field's jvp. */
RWD_EXPORT rwd_status rwd_ts_tlm_solve(rwd_ts* ts, const double* dy0, int64_t n, const double* dp, int64_t np,
                                       double* dyout, int64_t len);

RWD_EXPORT rwd_status rwd_ts_get_stats(const rwd_ts* ts, rwd_ts_stats* stats);

#ifdef __cplusplus
}
#endif

#endif
