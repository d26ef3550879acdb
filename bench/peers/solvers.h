/* solvers.h — one small interface over the solvers being compared, so the timing loop treats them alike.
   Each adapter (solver_cvode.c, solver_rewind.c) is a thin layer that calls the shared problem definition
   (problems.h) from the solver's own callback signature. */
#ifndef PEERS_SOLVERS_H
#define PEERS_SOLVERS_H

#include "problems.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Work of ONE solve (counters are reset by every solve). Forward-only runs leave the b_* fields 0. */
typedef struct peer_stats {
    long long steps;          /* accepted steps (forward)                                            */
    long long rejected;       /* error-test and Newton failures (forward)                            */
    long long f_evals;        /* evaluations of f (forward, incl. any recomputation)                 */
    long long jac_evals;      /* dense Jacobians built (forward)                                     */
    long long factorizations; /* LU factorizations (forward); CVODE: linear-solver setups            */
    long long newton_iters;   /* nonlinear iterations (forward)                                      */
    long long newton_fails;   /* step attempts whose nonlinear solve failed (forward)                */
    long long b_steps;        /* backward steps (CVODES adjoint; Rewind: reverse sweep = forward steps) */
    long long b_rhs_evals;    /* adjoint right-hand sides: CVODES fB evaluations, Rewind vjp products  */
    long long b_jac_evals;    /* backward Jacobians (CVODES JacB)                                    */
    long long b_factorizations;
} peer_stats;

typedef struct peer_solver {
    char name[64];
    void* impl;
    /* yT (n) always; dl_dp (np) and dl_dy0 (n) for gradient solvers (may be NULL for forward ones).
       Returns 0 on success; on failure writes a message into `message` (capacity 256). */
    int (*solve)(void* impl, double* yT, double* dl_dp, double* dl_dy0, peer_stats* stats, char* message);
    void (*destroy)(void* impl);
} peer_solver;

/* ---- CVODE / CVODES (solver_cvode.c) ---------------------------------------------------------------------- */

/* BDF, max order 5, Newton with the dense direct solver and the analytic Jacobian, stop time tf, mxstep 1e7. */
int peer_cvode_forward(peer_solver* out, const peer_problem* pb, double rtol, double atol);

/* CVODES continuous adjoint of L = w . y(tf): CVodeAdjInit(nd, CV_HERMITE or CV_POLYNOMIAL) with nd at least
   the forward step count (one checkpoint interval: no forward recomputation, like Rewind's store-all), backward
   problem lambda' = -J^T lambda, lambda(tf) = w with the dense solver and the analytic transposed Jacobian, and
   the quadrature of lambda^T df/dp. Backward tolerances: rtol, atol * max|w|. The quadrature is in the error
   test only when quad_errcon (CVODES' default is not), then with rtol and atol * max|w| / |p_j| for dL/dp_j. */
int peer_cvodes_adjoint(peer_solver* out, const peer_problem* pb, double rtol, double atol, const double* w,
                        int quad_errcon, int polynomial);

/* CVODES forward sensitivities (staggered, sensitivities in the error test, CVodeSensEEtolerances with
   pbar = |p|): dL/dp = w . dy(tf)/dp, dL/dy0 not computed (NaN). Used for the reference gradient. */
int peer_cvodes_fsa(peer_solver* out, const peer_problem* pb, double rtol, double atol, const double* w);

/* ---- librewind (solver_rewind.c) -------------------------------------------------------------------------- */

/* type/method as rwd_ts_create takes them; adaptive steps, dense linear solver, analytic Jacobian callback.
   Forward solvers use trajectory "none"; adjoint solvers "store-all" and rwd_ts_adjoint_solve. */
int peer_rewind_forward(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                        double rtol, double atol);
int peer_rewind_adjoint(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                        double rtol, double atol, const double* w);

/* Dot-product test of one store-all solve against rwd_ts_tlm_solve of the same solve: with a random direction
   (dy0, dp) (dp scaled by |p|), lhs = w . tlm(dy0, dp)(tf) and rhs = adjoint(w) . (dy0, dp); returns
   |lhs - rhs| / max(|lhs|, |rhs|), or a negative number on failure (message written). Then every unit direction
   (e_i for y0, |p_k| e_k for p; n + np tangent-linear solves) is compared with the matching adjoint component:
   *worst is the largest relative mismatch, *worst_index its direction (0..n-1: y0_i, n..: p_k). */
double peer_rewind_dot_test(const peer_problem* pb, const char* type, const char* method, double rtol, double atol,
                            const double* w, double* lhs, double* rhs, double* worst, int* worst_index, char* message);

/* Whether librewind can create an implicit ("esdirk") ts and solve HIRES with it (kvaerno5, rtol 1e-6): 0 yes,
   else the message of the failure. */
int peer_rewind_probe(char* message);

#ifdef __cplusplus
}
#endif

#endif
