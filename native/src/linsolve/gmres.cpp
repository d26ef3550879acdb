// "gmres": matrix-free restarted GMRES(m) on the iteration matrix M = I - shift J, from x = 0, with modified
// Gram–Schmidt and Givens rotations, touching vectors only through their ops (so it runs on every backend).
//
// J v comes from jvp (Newton's corrections fall back to a forward difference of f without one), J^T v from vjp.
// Every operation runs in a fixed order on fixed inputs, so a repeated solve gives bitwise the same x: recomputed
// steps of a checkpointed reverse pass then see the forward's arithmetic exactly.
#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "linsolve/linear_solver.hpp"

namespace rwd {
namespace {

// Inexact Newton: a forward correction needs only a few digits, and Newton's own test decides convergence.
constexpr double loosest_forward_tolerance = 1e-6;
// Forward solves give up early (the step is retried smaller); exact solves get at least this many cycles.
constexpr int64_t forward_cycles = 5;
constexpr int64_t least_exact_cycles = 20;

double norm(const rwd_vec& v) { return std::sqrt(v.ops->dot(&v, &v)); }

struct gmres_outcome {
    bool converged;
    int64_t iterations;
    double relative_residual;
};

class gmres_solver final : public linear_solver {
public:
    gmres_solver(double tolerance, int restart) : tolerance_(tolerance), restart_(restart) {
        require(tolerance > 0.0 && tolerance < 1.0, RWD_ERR_ARGUMENT, "the GMRES tolerance ", tolerance,
                " must lie in (0, 1)");
        require(restart >= 1, RWD_ERR_ARGUMENT, "the GMRES restart ", restart, " must be at least 1");
    }

    void setup(const rwd_vec& like, const rwd_vec& p) override {
        // More than n Arnoldi vectors cannot be independent.
        m_ = static_cast<int>(std::min<int64_t>(restart_, like.n));
        basis_ = make_many(like, static_cast<size_t>(m_ + 1));
        rhs_ = make_like(like);
        perturbed_ = make_like(like);
        zero_p_ = make_like(p);
        scratch_p_ = make_like(p);
        hessenberg_.assign(static_cast<size_t>(m_ * (m_ + 1)), 0.0);
        cosines_.assign(static_cast<size_t>(m_), 0.0);
        sines_.assign(static_cast<size_t>(m_), 0.0);
        residuals_.assign(static_cast<size_t>(m_ + 1), 0.0);
        coefficients_.assign(static_cast<size_t>(m_), 0.0);
        terms_.assign(static_cast<size_t>(m_), nullptr);
    }

    void set_jacobian_point(step_env&, double, const rwd_vec&, const rwd_vec&) override {}

    bool set_shift(step_env&, double shift) override {
        shift_ = shift;
        return true;
    }

    bool solve(step_env& env, double t, const rwd_vec& y, const rwd_vec& f_y, const rwd_vec& b,
               rwd_vec& x) override {
        const eval_site site{env.step, -1};
        rwd_field& field = *env.field;
        static const double sqrt_eps = std::sqrt(std::numeric_limits<double>::epsilon());
        const double y_scale = sqrt_eps * (1.0 + norm(y));
        const auto product = [&](const rwd_vec& v, rwd_vec& jv) {
            if (field.jvp != nullptr) return jvp(env, t, y, v, jv, site);
            // J v ~ (f(t, y + eps v) - f(t, y)) / eps, eps = sqrt(eps_mach) (1 + |y|) / |v|: a relative
            // perturbation of y of about sqrt(eps_mach) whatever the size of v.
            const double v_norm = norm(v);
            if (v_norm == 0.0) return jv.ops->fill(&jv, 0.0);
            const double epsilon = y_scale / v_norm;
            rwd_vec& perturbed = *perturbed_;
            perturbed.ops->copy(&perturbed, &y);
            perturbed.ops->axpby(&perturbed, epsilon, &v, 1.0);
            eval_f(field, t, perturbed, *env.p, jv, site);
            ++env.stats->f_evals;
            jv.ops->axpby(&jv, -1.0 / epsilon, &f_y, 1.0 / epsilon);
        };
        const gmres_outcome outcome =
            run(product, shift_, b, x, std::max(tolerance_, loosest_forward_tolerance), forward_cycles);
        env.stats->linear_iterations += outcome.iterations;
        return outcome.converged;
    }

    void solve_at(step_env& env, double t, const rwd_vec& y, double shift, const rwd_vec& b, rwd_vec& x,
                  bool transpose, int stage) override {
        const eval_site site{env.step, stage};
        if (!transpose && env.field->jvp == nullptr)
            fail(RWD_ERR_UNSUPPORTED, "the vector field has no jvp; the tangent-linear GMRES solve at t = ", t,
                 " (step ", env.step, ", stage ", stage,
                 ") applies the iteration matrix through Jacobian-vector products");
        const auto product = [&](const rwd_vec& v, rwd_vec& jv) {
            if (transpose) return vjp(env, t, y, v, jv, site);
            jvp(env, t, y, v, jv, site);
        };
        // Enough cycles for n iterations and a margin: full GMRES would converge in n.
        const int64_t cycles = std::max(least_exact_cycles, b.n / m_ + 2);
        const gmres_outcome outcome = run(product, shift, b, x, tolerance_, cycles);
        env.stats->linear_iterations += outcome.iterations;
        if (!outcome.converged)
            fail(RWD_ERR_CONVERGENCE, "GMRES did not converge on the iteration matrix I - h*gamma*J",
                 transpose ? "^T" : "", " (h*gamma = ", shift, ") at t = ", t, " (step ", env.step, ", stage ", stage,
                 "): relative residual ", outcome.relative_residual, " after ", outcome.iterations,
                 " iterations (tolerance ", tolerance_, ", restart ", m_, ")");
    }

private:
    void jvp(step_env& env, double t, const rwd_vec& y, const rwd_vec& v, rwd_vec& jv, const eval_site& site) {
        eval_jvp(*env.field, t, y, *env.p, v, *zero_p_, jv, site);
        ++env.stats->jvp_evals;
    }

    void vjp(step_env& env, double t, const rwd_vec& y, const rwd_vec& v, rwd_vec& jtv, const eval_site& site) {
        eval_vjp(*env.field, t, y, *env.p, v, jtv, *scratch_p_, site);
        ++env.stats->vjp_evals;
    }

    // Solves (I - shift A) x = b from x = 0, A v given by product(v, out), until |r| <= tolerance |b| or after
    // max_cycles restarts. b may be x.
    template <class Product>
    gmres_outcome run(const Product& product, double shift, const rwd_vec& b, rwd_vec& x, double tolerance,
                      int64_t max_cycles) {
        const auto apply = [&](const rwd_vec& v, rwd_vec& out) {
            product(v, out);
            out.ops->axpby(&out, 1.0, &v, -shift);
        };
        rwd_vec& rhs = *rhs_;
        rhs.ops->copy(&rhs, &b);
        x.ops->fill(&x, 0.0);
        gmres_outcome outcome{true, 0, 0.0};
        const double b_norm = norm(rhs);
        if (b_norm == 0.0) return outcome;
        const double target = tolerance * b_norm;
        rwd_vec& r = *basis_[0];
        r.ops->copy(&r, &rhs);
        double residual = b_norm;
        for (int64_t cycle = 1;; ++cycle) {
            const int columns = arnoldi_cycle(apply, residual, target, outcome.iterations);
            add_correction(x, columns);
            residual = std::fabs(residuals_[static_cast<size_t>(columns)]);
            // No column: M is singular on the Krylov space, and a restart would repeat the same cycle.
            if (residual <= target || cycle == max_cycles || columns == 0) break;
            apply(x, r);
            r.ops->axpby(&r, 1.0, &rhs, -1.0);  // r = b - M x, the true residual
            residual = norm(r);
            if (residual <= target) break;
        }
        outcome.converged = residual <= target;
        outcome.relative_residual = residual / b_norm;
        return outcome;
    }

    // One Arnoldi cycle from basis_[0] = r with |r| = beta. Builds the rotated Hessenberg matrix and the rotated
    // residual vector (whose last entry is the residual norm) and returns the number of columns taken.
    template <class Apply>
    int arnoldi_cycle(const Apply& apply, double beta, double target, int64_t& iterations) {
        basis_[0]->ops->scale(basis_[0].get(), 1.0 / beta);
        std::fill(residuals_.begin(), residuals_.end(), 0.0);
        residuals_[0] = beta;
        for (int j = 0; j < m_; ++j) {
            rwd_vec& w = *basis_[static_cast<size_t>(j + 1)];
            apply(*basis_[static_cast<size_t>(j)], w);
            ++iterations;
            double* h = &hessenberg_[static_cast<size_t>(j * (m_ + 1))];  // column j
            for (int i = 0; i <= j; ++i) {  // modified Gram–Schmidt
                const rwd_vec* v_i = basis_[static_cast<size_t>(i)].get();
                h[i] = w.ops->dot(&w, v_i);
                w.ops->axpby(&w, -h[i], v_i, 1.0);
            }
            const double w_norm = norm(w);
            h[j + 1] = w_norm;
            if (w_norm != 0.0) w.ops->scale(&w, 1.0 / w_norm);
            for (int i = 0; i < j; ++i) rotate(h[i], h[i + 1], i);
            const double radius = std::hypot(h[j], h[j + 1]);
            if (radius == 0.0) return j;  // the Krylov space is invariant and M singular on it: no progress
            cosines_[static_cast<size_t>(j)] = h[j] / radius;
            sines_[static_cast<size_t>(j)] = h[j + 1] / radius;
            rotate(residuals_[static_cast<size_t>(j)], residuals_[static_cast<size_t>(j + 1)], j);
            h[j] = radius;
            h[j + 1] = 0.0;
            // w_norm = 0: the Krylov space is invariant and holds the exact solution.
            if (std::fabs(residuals_[static_cast<size_t>(j + 1)]) <= target || w_norm == 0.0) return j + 1;
        }
        return m_;
    }

    // (a, b) <- Givens rotation k of (a, b).
    void rotate(double& a, double& b, int k) const {
        const double c = cosines_[static_cast<size_t>(k)];
        const double s = sines_[static_cast<size_t>(k)];
        const double rotated_a = c * a + s * b;
        b = c * b - s * a;
        a = rotated_a;
    }

    // x += V y with R y = (rotated residuals), R the leading columns x columns triangle.
    void add_correction(rwd_vec& x, int columns) {
        const auto rows = static_cast<size_t>(m_ + 1);
        for (int i = columns - 1; i >= 0; --i) {
            double sum = residuals_[static_cast<size_t>(i)];
            for (int k = i + 1; k < columns; ++k)
                sum -= hessenberg_[static_cast<size_t>(k) * rows + static_cast<size_t>(i)] *
                       coefficients_[static_cast<size_t>(k)];
            coefficients_[static_cast<size_t>(i)] =
                sum / hessenberg_[static_cast<size_t>(i) * rows + static_cast<size_t>(i)];
            terms_[static_cast<size_t>(i)] = basis_[static_cast<size_t>(i)].get();
        }
        if (columns > 0) x.ops->axpy_multi(&x, columns, coefficients_.data(), terms_.data());
    }

    double tolerance_;
    int restart_;
    int m_ = 0;  // restart, at most n
    double shift_ = 0.0;
    std::vector<vec_ptr> basis_;  // m + 1 Arnoldi vectors
    vec_ptr rhs_;                 // a copy of b, which may be x
    vec_ptr perturbed_;           // y + eps v of forward differences
    vec_ptr zero_p_;              // parameter tangent of jvp
    vec_ptr scratch_p_;           // the unused parameter part of vjp
    std::vector<double> hessenberg_;  // (m + 1) x m, column-major, rotated to upper triangular
    std::vector<double> cosines_, sines_;
    std::vector<double> residuals_;  // rotated |r| e_1
    std::vector<double> coefficients_;
    std::vector<const rwd_vec*> terms_;
};

}  // namespace

std::unique_ptr<linear_solver> make_gmres_solver(double tolerance, int restart) {
    return std::make_unique<gmres_solver>(tolerance, restart);
}

}  // namespace rwd
