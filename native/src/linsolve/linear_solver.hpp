// Linear solvers of implicit stage equations: M x = b and M^T x = b with the iteration matrix M = I - shift * J,
// J = df/dy. One implementation per file, chosen by name: "dense" (dense.cpp: LU, LAPACK when found) and "gmres"
// (gmres.cpp: matrix-free restarted GMRES through jvp and vjp).
//
// Two uses with different rules:
//  * Newton's corrections in the forward solve (set_jacobian_point, set_shift, solve): J may be approximate and
//    old — the method decides when to re-evaluate it — and a failure is reported, not thrown, so the step can be
//    retried with a smaller step size.
//  * Exact solves of the reverse and tangent-linear passes (solve_at): J at the converged stage values, never a
//    reused one; a failure throws RWD_ERR_CONVERGENCE naming the time, step and stage.
#pragma once

#include <memory>
#include <string>

#include "ts/method.hpp"

namespace rwd {

class linear_solver {
public:
    virtual ~linear_solver() = default;

    // Work space for states shaped like `like` and parameters like `p`; called before each solve.
    virtual void setup(const rwd_vec& like, const rwd_vec& p) = 0;

    // Newton's Jacobian: J at (t, y); f_y = f(t, y) (for finite differences). The dense solver evaluates it here
    // (callback, else jvp columns, else finite differences of f) and counts stats->jacobian_evals; the matrix-free
    // solver applies J at each Newton iterate instead and ignores the point.
    virtual void set_jacobian_point(step_env& env, double t, const rwd_vec& y, const rwd_vec& f_y) = 0;
    // Prepares M = I - shift J for solve() (dense: LU factorization, counted in stats->factorizations).
    // Returns false when M is singular.
    virtual bool set_shift(step_env& env, double shift) = 0;
    // x = M^-1 b for Newton's correction at the iterate (t, y) with f_y = f(t, y). Returns false when the solve
    // failed (GMRES did not reach its forward tolerance). Counts stats->linear_iterations.
    virtual bool solve(step_env& env, double t, const rwd_vec& y, const rwd_vec& f_y, const rwd_vec& b,
                       rwd_vec& x) = 0;

    // x = (I - shift J(t, y))^-1 b, or its transpose when `transpose`, with the exact J at (t, y): dense builds J
    // from the callback, else vjp rows (transpose) or jvp columns; gmres applies vjp (transpose) or jvp.
    // Throws RWD_ERR_CONVERGENCE (singular matrix, GMRES not converged) naming t, env.step and `stage`.
    virtual void solve_at(step_env& env, double t, const rwd_vec& y, double shift, const rwd_vec& b, rwd_vec& x,
                          bool transpose, int stage) = 0;
};

// name: "dense", "gmres" or "auto" (dense up to 256 states, else gmres); RWD_ERR_UNKNOWN_NAME otherwise.
// `n` is the state size; the options give the GMRES tolerance and restart.
std::unique_ptr<linear_solver> make_linear_solver(const std::string& name, int64_t n, const implicit_options& options);
std::unique_ptr<linear_solver> make_dense_solver();
std::unique_ptr<linear_solver> make_gmres_solver(double tolerance, int restart);

}  // namespace rwd
