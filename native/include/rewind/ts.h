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
} rwd_ts_stats;

/* type: "rk" (explicit Runge–Kutta). method names a tableau of that type:
   euler, midpoint, heun, ralston3, rk4, bosh3, dopri5, tsit5. Unknown names: RWD_ERR_UNKNOWN_NAME. */
RWD_EXPORT rwd_status rwd_ts_create(rwd_context* ctx, const char* type, const char* method, rwd_ts** out);
RWD_EXPORT void rwd_ts_destroy(rwd_ts* ts); /* NULL is a no-op */

/* Number of entries `names` needs (incl. NUL) for rwd_ts_methods: a comma-separated list of the methods of a type. */
RWD_EXPORT rwd_status rwd_ts_methods(const char* type, char* names, int64_t capacity, int64_t* required);

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
/* What the forward keeps for the reverse pass (rewind/schedule.h describes the schedules):
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
