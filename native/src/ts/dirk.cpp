// "theta" and "esdirk": diagonally implicit Runge–Kutta methods, with their exact discrete adjoint and
// tangent-linear steps.
//
// Forward:  Y_i = psi_i + h a_ii k_i,  psi_i = y_n + h sum_{j<i} a_ij k_j,  k_i = f(t_n + c_i h, Y_i),
//           y_{n+1} = y_n + h sum_i b_i k_i.
//           Implicit stages (a_ii != 0) are solved by Newton's method with M = I - h a_ii J, and k_i is taken as
//           (Y_i - psi_i) / (h a_ii), which is f(Y_i) at the converged solution without amplifying its error by
//           the stiffness.
// Reverse:  for i = s..1:  (I - h a_ii J_i)^T w_i = b_i lambda_{n+1} + sum_{j>i} a_ji L_j,
//           L_i = h J_i^T w_i,  mu += h (df/dp)_i^T w_i,   lambda_n = lambda_{n+1} + sum_i L_i,
//           with J_i the exact Jacobian at the converged Y_i and the parameter term from the solved w_i.
// Tangent:  (I - h a_ii J_i) dk_i = J_i dpsi_i + (df/dp)_i dp,  dy_{n+1} = dy_n + h sum_i b_i dk_i.
//
// Jacobian policy: a solve that keeps a trajectory evaluates Newton's Jacobian at the start of every step (reused
// across its stages, iterations and rejected attempts), so a recomputed step repeats the forward's arithmetic
// bit for bit; a forward-only solve keeps it across steps until Newton slows down.
#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

#include "core/error.hpp"
#include "linsolve/linear_solver.hpp"
#include "ts/linear_combination.hpp"
#include "ts/method.hpp"
#include "ts/rk_tableau.hpp"

namespace rwd {
namespace {

constexpr double slow_rate = 0.3;           // a forward-only solve refreshes its Jacobian after a step this slow
constexpr int64_t jacobian_max_age = 20;    // ... or after this many steps
constexpr int max_refreshes = 2;            // Jacobian updates within one stage's Newton iteration
constexpr double min_carried_eta = 0.1;     // floor of Newton's error factor carried to the next stage

class dirk final : public ts_method {
public:
    // theta_name is set for the θ-methods, whose tableau depends on the configured θ.
    dirk(rk_tableau tableau, std::string theta_name) : tab_(std::move(tableau)), theta_name_(std::move(theta_name)) {
        shape();
    }

    bool implicit() const override { return true; }

    void configure(const implicit_options& options) override {
        options_ = options;
        if (theta_name_ == "theta") {
            tab_ = theta_tableau(theta_name_, options.theta);
            shape();
        }
    }

    int order() const override { return tab_.order; }
    int embedded_order() const override { return tab_.embedded_order; }
    int kept_per_step() const override { return kept_; }

    void setup(const rwd_vec& y, const rwd_vec& p) override {
        Y_ = make_many(y, static_cast<size_t>(s_));
        K_ = make_many(y, static_cast<size_t>(s_));
        L_ = make_many(y, static_cast<size_t>(s_));
        psi_ = make_like(y);
        f0_ = make_like(y);
        fy_ = make_like(y);
        residual_ = make_like(y);
        correction_ = make_like(y);
        w_ = make_like(y);
        nu_ = make_like(p);
        linear_ = make_linear_solver(options_.linear_solver, y.n, options_);
        linear_->setup(y, p);
        f0_current_ = false;
        jacobian_ = jacobian_state::none;
        factored_shift_ = 0.0;
    }

    bool step(step_env& env, double t, double h, const rwd_vec& y, rwd_vec& y_next, rwd_vec* err,
              rwd_vec* const* keep, bool current) override {
        if (!(current && f0_current_ && f0_time_ == t)) {
            eval_f(*env.field, t, y, *env.p, *f0_, {env.step, -1});
            ++env.stats->f_evals;
        }
        f0_current_ = current;
        f0_time_ = t;

        const bool fresh = needs_fresh_jacobian(current);
        if (fresh) evaluate_jacobian(env, t, y, current);
        if (!stages(env, t, h, y, err != nullptr)) {
            if (fresh || jacobian_ == jacobian_state::current) return false;
            // Newton failed with a Jacobian from an earlier step: retry once with a fresh one before giving up.
            evaluate_jacobian(env, t, y, current);
            if (!stages(env, t, h, y, err != nullptr)) return false;
        }

        y_next.ops->copy(&y_next, &y);
        sum_.combine(y_next, [&](int j) { return needed_[index(j)] ? h * tab_.b[index(j)] : 0.0; }, K_, s_);
        if (err != nullptr) {
            residual_->ops->fill(residual_.get(), 0.0);
            sum_.combine(*residual_, [&](int j) { return computed(j, true) ? h * tab_.b_err[index(j)] : 0.0; }, K_, s_);
            // When the embedded solution amplifies stiff components (|R(inf)| > 1: sdirk4, trbdf2), its difference
            // from the propagated one is dominated by them: filter it through Newton's matrix (Hairer & Wanner II,
            // IV.8, as in their SDIRK4). Kvaerno's embedded solutions damp them and are used as they are.
            if (!filter_error_ || !linear_->solve(env, t, y, *f0_, *residual_, *err))
                err->ops->copy(err, residual_.get());
        }
        if (keep != nullptr) {
            keep[0]->ops->copy(keep[0], &y);
            for (int i = 0; i < s_; ++i)
                if (slot_[index(i)] > 0) keep[slot_[index(i)]]->ops->copy(keep[slot_[index(i)]], Y_[index(i)].get());
        }
        return true;
    }

    std::string failure() const override { return failure_; }

    void accept() override {
        f0_current_ = false;  // f0 and the Jacobian were at the previous state
        if (jacobian_ == jacobian_state::current) jacobian_ = jacobian_state::old;
        ++jacobian_age_;
        if (worst_rate_ > slow_rate) refresh_ = true;
        worst_rate_ = 0.0;
    }

    void adjoint_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& lambda,
                      rwd_vec& mu) override {
        for (int i = s_ - 1; i >= 0; --i) {
            if (!needed_[index(i)]) continue;
            rwd_vec& r = *residual_;
            r.ops->fill(&r, 0.0);
            sum_.gather(tab_.b[index(i)], &lambda);
            for (int j = i + 1; j < s_; ++j)
                sum_.gather(needed_[index(j)] ? tab_.a_at(j, i) : 0.0, L_[index(j)].get());
            sum_.apply(r);
            const double ti = t + tab_.c[index(i)] * h;
            const double aii = tab_.a_at(i, i);
            const rwd_vec& Yi = stage(kept, i);
            rwd_vec& w = *w_;
            if (aii == 0.0)
                w.ops->copy(&w, &r);
            else
                linear_->solve_at(env, ti, Yi, h * aii, r, w, true, i);
            rwd_vec& Li = *L_[index(i)];
            eval_vjp(*env.field, ti, Yi, *env.p, w, Li, *nu_, {env.step, i});
            ++env.stats->vjp_evals;
            Li.ops->scale(&Li, h);
            sum_.gather(h, nu_.get());
            sum_.apply(mu);
        }
        sum_.combine(lambda, [&](int j) { return needed_[index(j)] ? 1.0 : 0.0; }, L_, s_);
    }

    void tlm_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& dy,
                  const rwd_vec& dp) override {
        // L_ holds the stage tangents dk_i here.
        for (int i = 0; i < s_; ++i) {
            if (!needed_[index(i)]) continue;
            rwd_vec& dpsi = *psi_;
            dpsi.ops->copy(&dpsi, &dy);
            sum_.combine(dpsi, [&](int j) { return needed_[index(j)] ? h * tab_.a_at(i, j) : 0.0; }, L_, i);
            const double ti = t + tab_.c[index(i)] * h;
            const double aii = tab_.a_at(i, i);
            const rwd_vec& Yi = stage(kept, i);
            rwd_vec& dk = *L_[index(i)];
            rwd_vec& rhs = aii == 0.0 ? dk : *residual_;
            eval_jvp(*env.field, ti, Yi, *env.p, dpsi, dp, rhs, {env.step, i});
            ++env.stats->jvp_evals;
            if (aii != 0.0) linear_->solve_at(env, ti, Yi, h * aii, rhs, dk, false, i);
        }
        sum_.combine(dy, [&](int j) { return needed_[index(j)] ? h * tab_.b[index(j)] : 0.0; }, L_, s_);
    }

private:
    enum class jacobian_state { none, current, old };

    static size_t index(int i) { return static_cast<size_t>(i); }

    // Which stages matter and where the trajectory keeps them.
    void shape() {
        s_ = tab_.stages();
        stage_layout layout = layout_stages(tab_);
        needed_ = std::move(layout.needed);
        slot_ = std::move(layout.slot);
        kept_ = layout.kept;
        filter_error_ = !tab_.b_err.empty() && std::fabs(embedded_stability_at_infinity()) > 1.0;
    }

    // R(z) = 1 + z b^T (I - z A)^-1 1 of the embedded solution (weights b - b_err) at z = -1e8, by forward
    // substitution through the lower-triangular A.
    double embedded_stability_at_infinity() const {
        const double z = -1e8;
        std::vector<double> g(index(s_));
        double r = 1.0;
        for (int i = 0; i < s_; ++i) {
            double sum = 1.0;
            for (int j = 0; j < i; ++j) sum += z * tab_.a_at(i, j) * g[index(j)];
            g[index(i)] = sum / (1.0 - z * tab_.a_at(i, i));
            r += z * (tab_.b[index(i)] - tab_.b_err[index(i)]) * g[index(i)];
        }
        return r;
    }

    // Stages the forward pass computes: the needed ones, and for an error estimate those it weighs.
    bool computed(int i, bool estimate) const {
        return needed_[index(i)] || (estimate && !tab_.b_err.empty() && tab_.b_err[index(i)] != 0.0);
    }

    bool needs_fresh_jacobian(bool current) const {
        if (jacobian_ == jacobian_state::current && current) return false;
        if (options_.reuse_jacobian_across_steps && jacobian_ != jacobian_state::none && !refresh_ &&
            jacobian_age_ < jacobian_max_age)
            return false;
        return true;
    }

    void evaluate_jacobian(step_env& env, double t, const rwd_vec& y, bool current) {
        linear_->set_jacobian_point(env, t, y, *f0_);
        jacobian_ = current ? jacobian_state::current : jacobian_state::old;
        jacobian_age_ = 0;
        refresh_ = false;
        factored_shift_ = 0.0;  // the factorization belonged to the previous Jacobian
    }

    // Solves the stages of a step of size h from (t, y) into Y_ and K_. False when Newton failed.
    bool stages(step_env& env, double t, double h, const rwd_vec& y, bool estimate) {
        double eta = 1.0;  // Newton's error factor theta / (1 - theta), carried from stage to stage of this step
        // The two latest solution points of this step (node, value), starting with (0, y_n), for the predictor.
        stage_point older{-1.0, nullptr}, newer{0.0, &y};
        for (int i = 0; i < s_; ++i) {
            if (!computed(i, estimate)) continue;
            rwd_vec& Yi = *Y_[index(i)];
            rwd_vec& Ki = *K_[index(i)];
            const double ti = t + tab_.c[index(i)] * h;
            const double aii = tab_.a_at(i, i);
            psi_->ops->copy(psi_.get(), &y);
            sum_.combine(*psi_, [&](int j) { return computed(j, estimate) ? h * tab_.a_at(i, j) : 0.0; }, K_, i);
            if (aii == 0.0) {
                Yi.ops->copy(&Yi, psi_.get());
                if (i == 0) {
                    Ki.ops->copy(&Ki, f0_.get());  // the stage is (t_n, y_n)
                } else {
                    eval_f(*env.field, ti, Yi, *env.p, Ki, {env.step, i});
                    ++env.stats->f_evals;
                }
            } else {
                predict(Yi, tab_.c[index(i)], older, newer);
                if (!newton(env, ti, h * aii, y, Yi, eta, i)) return false;
                Ki.ops->copy(&Ki, &Yi);
                Ki.ops->axpby(&Ki, -1.0 / (h * aii), psi_.get(), 1.0 / (h * aii));
            }
            if (tab_.c[index(i)] != newer.c) older = newer;
            newer = {tab_.c[index(i)], &Yi};
        }
        return true;
    }

    struct stage_point {
        double c;  // node (-1: none)
        const rwd_vec* value;
    };

    // Newton's starting value for the stage at node c: the line through the two latest stage values of this step
    // (the latest alone when there is one, or it is at the same node). Extrapolating stage values rather than
    // derivatives keeps stiff components where the implicit stages put them; a derivative carries the last Newton
    // error times h*lambda, which sends Newton far off (Robertson's kinetics then go negative and blow up).
    void predict(rwd_vec& Y, double c, const stage_point& older, const stage_point& newer) {
        Y.ops->copy(&Y, newer.value);
        if (older.value == nullptr || c == newer.c) return;
        const double slope = (c - newer.c) / (newer.c - older.c);
        Y.ops->axpby(&Y, -slope, older.value, 1.0 + slope);
    }

    // Newton's method for Y = psi + shift f(t, Y), from the guess in Y (Hairer & Wanner II, IV.8: the iteration
    // stops when eta ||dY|| <= tolerance in the weighted norm of y, eta = theta / (1 - theta) from the observed
    // contraction rate theta). When it diverges or is too slow to finish, the Jacobian is re-evaluated at the last
    // iterate that was not worse and the iteration continues from there (twice at most) before the stage fails.
    // Every decision depends on this step's data only, so a recomputed step takes the same path.
    bool newton(step_env& env, double t, double shift, const rwd_vec& y, rwd_vec& Y, double& eta, int stage) {
        if (factored_shift_ != shift && !factor(env, shift)) return singular(t, stage, shift);
        const double kappa = options_.newton_tolerance;
        const int limit = options_.newton_max_iterations;
        int refreshes = 0;
        double previous = 0.0;
        for (int k = 0; k < limit; ++k) {
            eval_f(*env.field, t, Y, *env.p, *fy_, {env.step, stage});
            ++env.stats->f_evals;
            // residual = -(Y - psi - shift f(Y))
            rwd_vec& r = *residual_;
            r.ops->copy(&r, psi_.get());
            r.ops->axpby(&r, shift, fy_.get(), 1.0);
            r.ops->axpby(&r, -1.0, &Y, 1.0);
            if (!linear_->solve(env, t, Y, *fy_, r, *correction_))
                return failed(t, stage, "the linear solver did not converge in Newton iteration ", k + 1);
            ++env.stats->newton_iterations;
            const double norm = correction_->ops->error_norm(correction_.get(), &y, &y, options_.rtol, options_.atol);
            if (!std::isfinite(norm)) return failed(t, stage, "Newton's iteration produced a non-finite correction");
            const double rate = k > 0 ? norm / previous : 0.0;
            if (k > 0) worst_rate_ = std::max(worst_rate_, rate);
            const bool diverged = rate >= 1.0;
            if (!diverged) {
                Y.ops->axpby(&Y, 1.0, correction_.get(), 1.0);
                if (k > 0) eta = rate / (1.0 - rate);
                if (eta * norm <= kappa || norm == 0.0) {
                    // The next stage may stop after one iteration on this estimate; a rate measured as ~0 (a
                    // correction that vanished in rounding) must not let an O(h) first correction through.
                    eta = std::max(eta, min_carried_eta);
                    return true;
                }
            }
            const bool too_slow = !diverged && k > 0 && std::pow(rate, limit - 1 - k) / (1.0 - rate) * norm > kappa;
            if (!diverged && !too_slow && k + 1 < limit) {
                previous = norm;
                continue;
            }
            if (refreshes == max_refreshes) {
                if (diverged)
                    return failed(t, stage, "Newton's iteration diverged (contraction rate ", rate, " at iteration ",
                                  k + 1, ")");
                return failed(t, stage, "Newton's iteration does not converge within ", limit,
                              " iterations (contraction rate ", rate, ")");
            }
            // A diverging correction was not applied: Y is the last iterate that was not worse, and fy_ is f there.
            if (!diverged) {
                eval_f(*env.field, t, Y, *env.p, *fy_, {env.step, stage});
                ++env.stats->f_evals;
            }
            linear_->set_jacobian_point(env, t, Y, *fy_);
            jacobian_ = jacobian_state::old;  // no longer the step's starting point: a retried attempt re-evaluates
            if (!factor(env, shift)) return singular(t, stage, shift);
            ++refreshes;
            k = -1;
            eta = 1.0;
        }
        return failed(t, stage, "Newton's iteration did not converge in ", limit, " iterations");
    }

    bool factor(step_env& env, double shift) {
        factored_shift_ = 0.0;
        if (!linear_->set_shift(env, shift)) return false;
        factored_shift_ = shift;
        return true;
    }

    bool singular(double t, int stage, double shift) {
        return failed(t, stage, "the iteration matrix I - h*gamma*J is singular (h*gamma = ", shift, ")");
    }

    template <class... Parts>
    bool failed(double t, int stage, const Parts&... parts) {
        std::ostringstream out;
        out.precision(17);
        out << "stage " << stage << " at t = " << t << ": ";
        (out << ... << parts);
        failure_ = out.str();
        return false;
    }


    const rwd_vec& stage(const rwd_vec* const* kept, int i) const { return *kept[slot_[index(i)]]; }

    rk_tableau tab_;
    std::string theta_name_;
    implicit_options options_;
    int s_ = 0;
    std::vector<bool> needed_;
    std::vector<int> slot_;
    int kept_ = 1;
    bool filter_error_ = false;

    std::unique_ptr<linear_solver> linear_;
    std::vector<vec_ptr> Y_, K_, L_;
    vec_ptr psi_, f0_, fy_, residual_, correction_, w_, nu_;
    linear_combination sum_;

    bool f0_current_ = false;  // f0_ = f(f0_time_, current state)
    double f0_time_ = 0.0;
    jacobian_state jacobian_ = jacobian_state::none;
    int64_t jacobian_age_ = 0;  // accepted steps since Newton's Jacobian was evaluated
    bool refresh_ = false;      // the next step evaluates a fresh Jacobian
    double worst_rate_ = 0.0;   // slowest Newton contraction of the current step
    double factored_shift_ = 0.0;
    std::string failure_;
};

}  // namespace

std::unique_ptr<ts_method> make_theta(const std::string& method) {
    if (method == "beuler") return std::make_unique<dirk>(theta_tableau(method, 1.0), method);
    if (method == "cn") return std::make_unique<dirk>(theta_tableau(method, 0.5), method);
    if (method == "theta") return std::make_unique<dirk>(theta_tableau(method, 0.5), method);
    fail(RWD_ERR_UNKNOWN_NAME, "unknown theta method '", method, "'; available: beuler, cn, theta");
}

std::vector<std::string> theta_method_names() { return {"beuler", "cn", "theta"}; }

std::unique_ptr<ts_method> make_esdirk(const std::string& tableau) {
    return std::make_unique<dirk>(dirk_tableau_named(tableau), std::string());
}

std::vector<std::string> esdirk_tableau_names() {
    std::vector<std::string> names;
    for (const auto& t : dirk_tableaus()) names.push_back(t.name);
    return names;
}

}  // namespace rwd
