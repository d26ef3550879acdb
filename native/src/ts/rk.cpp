// "rk": explicit Runge–Kutta methods driven by a Butcher tableau, with their exact discrete adjoint and
// tangent-linear steps.
//
// Forward:   Y_i = y_n + h sum_{j<i} a_ij k_j,  k_i = f(t_n + c_i h, Y_i),  y_{n+1} = y_n + h sum_i b_i k_i.
// Reverse (division-free form, Hager 2000 / Sandu 2006), for i = s..1:
//            w_i = b_i lambda_{n+1} + sum_{j>i} a_ji L_j,  L_i = h J_i^T w_i,  mu += h (df/dp)_i^T w_i,
//            lambda_n = lambda_{n+1} + sum_i L_i.
// Stages whose weight in that recursion is identically zero (a trailing FSAL stage) are neither kept nor adjoined.
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "ts/linear_combination.hpp"
#include "ts/method.hpp"
#include "ts/rk_tableau.hpp"

namespace rwd {
namespace {

class rk final : public ts_method {
public:
    explicit rk(const rk_tableau& tableau) : tab_(tableau), s_(tableau.stages()) {
        stage_layout layout = layout_stages(tab_);
        needed_ = std::move(layout.needed);
        slot_ = std::move(layout.slot);
        kept_ = layout.kept;
        // First same as last: the last stage is evaluated at (t_n + h, y_{n+1}), so it is the next step's first.
        const int last = s_ - 1;
        fsal_ = s_ > 1 && tab_.c[static_cast<size_t>(last)] == 1.0 && tab_.b[static_cast<size_t>(last)] == 0.0;
        for (int j = 0; j < last && fsal_; ++j) fsal_ = tab_.a_at(last, j) == tab_.b[static_cast<size_t>(j)];
    }

    int order() const override { return tab_.order; }
    int embedded_order() const override { return tab_.embedded_order; }
    int kept_per_step() const override { return kept_; }

    void setup(const rwd_vec& y, const rwd_vec& p) override {
        Y_ = make_many(y, static_cast<size_t>(s_));
        K_ = make_many(y, static_cast<size_t>(s_));
        L_ = make_many(y, static_cast<size_t>(s_));
        w_ = make_like(y);
        nu_ = make_like(p);
        first_ready_ = false;
        last_current_ = false;
    }

    bool step(step_env& env, double t, double h, const rwd_vec& y, rwd_vec& y_next, rwd_vec* err,
              rwd_vec* const* keep, bool current) override {
        for (int i = 0; i < s_; ++i) {
            rwd_vec& Yi = *Y_[static_cast<size_t>(i)];
            Yi.ops->copy(&Yi, &y);
            if (i > 0) sum_.combine(Yi, [&](int j) { return h * tab_.a_at(i, j); }, K_, i);
            const double ti = t + tab_.c[static_cast<size_t>(i)] * h;
            if (i == 0 && current && first_ready_ && first_time_ == ti) continue;  // k_1 = f(t_n, y_n) is known
            eval_f(*env.field, ti, Yi, *env.p, *K_[static_cast<size_t>(i)], {env.step, i});
            ++env.stats->f_evals;
        }
        first_ready_ = current;
        first_time_ = t;
        last_current_ = current;
        last_stage_time_ = t + tab_.c[static_cast<size_t>(s_ - 1)] * h;

        y_next.ops->copy(&y_next, &y);
        sum_.combine(y_next, [&](int j) { return h * tab_.b[static_cast<size_t>(j)]; }, K_, s_);
        if (err != nullptr) {
            err->ops->fill(err, 0.0);
            sum_.combine(*err, [&](int j) { return h * tab_.b_err[static_cast<size_t>(j)]; }, K_, s_);
        }
        if (keep != nullptr) {
            keep[0]->ops->copy(keep[0], &y);  // a trajectory recomputes the step from y_n
            for (int i = 1; i < s_; ++i)
                if (slot_[static_cast<size_t>(i)] > 0)
                    keep[slot_[static_cast<size_t>(i)]]->ops->copy(keep[slot_[static_cast<size_t>(i)]],
                                                                   Y_[static_cast<size_t>(i)].get());
        }
        return true;
    }

    void accept() override {
        if (fsal_ && last_current_) {
            std::swap(K_[0], K_[static_cast<size_t>(s_ - 1)]);
            first_time_ = last_stage_time_;
            first_ready_ = true;
        } else {
            first_ready_ = false;
        }
    }

    void adjoint_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& lambda,
                      rwd_vec& mu) override {
        for (int i = s_ - 1; i >= 0; --i) {
            if (!needed_[static_cast<size_t>(i)]) continue;
            rwd_vec& w = *w_;
            w.ops->fill(&w, 0.0);
            sum_.gather(tab_.b[static_cast<size_t>(i)], &lambda);
            for (int j = i + 1; j < s_; ++j)
                sum_.gather(needed_[static_cast<size_t>(j)] ? tab_.a_at(j, i) : 0.0, L_[static_cast<size_t>(j)].get());
            sum_.apply(w);
            rwd_vec& Li = *L_[static_cast<size_t>(i)];
            eval_vjp(*env.field, t + tab_.c[static_cast<size_t>(i)] * h, stage(kept, i), *env.p, w, Li, *nu_,
                     {env.step, i});
            ++env.stats->vjp_evals;
            Li.ops->scale(&Li, h);
            sum_.gather(h, nu_.get());
            sum_.apply(mu);
        }
        sum_.combine(lambda, [&](int j) { return needed_[static_cast<size_t>(j)] ? 1.0 : 0.0; }, L_, s_);
    }

    void tlm_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& dy,
                  const rwd_vec& dp) override {
        // L_ holds the stage tangents dk_i here, w_ the stage-state tangent dY_i.
        for (int i = 0; i < s_; ++i) {
            if (!needed_[static_cast<size_t>(i)]) continue;
            rwd_vec& dY = *w_;
            dY.ops->copy(&dY, &dy);
            sum_.combine(dY, [&](int j) { return needed_[static_cast<size_t>(j)] ? h * tab_.a_at(i, j) : 0.0; }, L_, i);
            eval_jvp(*env.field, t + tab_.c[static_cast<size_t>(i)] * h, stage(kept, i), *env.p, dY, dp,
                     *L_[static_cast<size_t>(i)], {env.step, i});
            ++env.stats->jvp_evals;
        }
        sum_.combine(
            dy, [&](int j) { return needed_[static_cast<size_t>(j)] ? h * tab_.b[static_cast<size_t>(j)] : 0.0; }, L_,
            s_);
    }

private:
    const rwd_vec& stage(const rwd_vec* const* kept, int i) const { return *kept[slot_[static_cast<size_t>(i)]]; }

    const rk_tableau& tab_;
    int s_;
    std::vector<bool> needed_;
    std::vector<int> slot_;
    int kept_ = 1;
    bool fsal_ = false;

    std::vector<vec_ptr> Y_, K_, L_;
    vec_ptr w_, nu_;
    linear_combination sum_;

    bool first_ready_ = false;  // K_[0] holds f(first_time_, current state)
    double first_time_ = 0.0;
    bool last_current_ = false;
    double last_stage_time_ = 0.0;
};

}  // namespace

std::unique_ptr<ts_method> make_rk(const std::string& tableau) {
    return std::make_unique<rk>(rk_tableau_named(tableau));
}

std::vector<std::string> rk_tableau_names() {
    std::vector<std::string> names;
    for (const auto& t : rk_tableaus()) names.push_back(t.name);
    return names;
}

}  // namespace rwd
