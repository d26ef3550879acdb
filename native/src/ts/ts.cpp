// The ts front-end: options, the forward driver (step-size control, landing on output times, statistics), and
// the reverse and tangent-linear passes over the kept trajectory. Methods (rk.cpp, ...) only take single steps.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "core/guard.hpp"
#include "trajectory/trajectory.hpp"
#include "linsolve/linear_solver.hpp"
#include "ts/method.hpp"
#include "ts/rk_tableau.hpp"
#include "ts/running_cost.hpp"

struct rwd_ts {
    rwd_context* ctx;
    std::string type;
    std::string method_name;
    std::unique_ptr<rwd::ts_method> method;
    // What the last solve stepped with: the method, or step doubling around it for adaptive steps without an
    // embedded pair. The reverse and tangent-linear passes must use the same.
    std::unique_ptr<rwd::ts_method> doubling;
    rwd::ts_method* stepper = nullptr;

    double dt = 0.0;  // 0: adaptive
    double rtol = 1e-6;
    double atol = 1e-9;
    double h0 = 0.0;    // 0: automatic
    double hmin = 0.0;  // 0: a few ulps of t
    int64_t max_steps = 100000;
    rwd::trajectory_options trajectory_options;
    rwd::implicit_options implicit;
    rwd::running_cost cost;

    // The last solve, kept for the reverse and tangent-linear passes.
    bool solved = false;
    rwd_field* field = nullptr;  // what the solve stepped: the caller's field, or it augmented by the running cost
    std::unique_ptr<rwd::cost_augmented_field> augmented;
    int64_t n = 0;               // the caller's state size
    std::vector<double> q;       // running cost Q at each output time
    std::vector<double> dq;      // its tangent from the last tangent-linear solve
    rwd::vec_ptr p;
    double t0 = 0.0;
    std::vector<double> tout;
    std::vector<int64_t> output_step;  // number of accepted steps taken when tout[k] was reached
    std::unique_ptr<rwd::trajectory> trajectory;
    rwd_ts_stats stats{};
};

namespace rwd {
namespace {

constexpr double safety = 0.9;
constexpr double max_growth = 5.0;
constexpr double max_shrink = 0.2;
constexpr double newton_shrink = 0.25;  // step-size factor after a failed Newton iteration
constexpr int max_newton_retries = 10;  // failed Newton iterations in a row before the solve gives up

void require_finite_array(const double* x, int64_t n, const char* name) {
    for (int64_t i = 0; i < n; ++i)
        if (!std::isfinite(x[i])) fail(RWD_ERR_NONFINITE, name, "[", i, "] is ", x[i]);
}

void require_array(const void* x, int64_t n, const char* name) {
    require(x != nullptr || n == 0, RWD_ERR_ARGUMENT, name, " is NULL");
}

vec_ptr vec_from(rwd_context* ctx, const double* data, int64_t n) {
    auto v = make_vec(ctx, cpu_vec_ops(), n);
    if (n > 0) v->ops->set(v.get(), data);
    return v;
}

// The step to try from t toward an output time: h, or exactly what is left when that lands within a hair of it
// (a step is stretched rather than followed by a sliver).
struct step_toward {
    double h;
    bool landing;
};
step_toward toward(double t, double h, double target) {
    const bool landing = t + h * (1.0 + 1e-10) >= target;
    return {landing ? target - t : h, landing};
}

// Steps a fixed-step solve takes: known before it starts, so binomial checkpointing can plan for them.
int64_t fixed_step_count(double t0, const std::vector<double>& tout, double dt) {
    int64_t count = 0;
    double t = t0;
    for (double target : tout)
        while (t < target) {
            const auto s = toward(t, dt, target);
            t = s.landing ? target : t + s.h;
            ++count;
        }
    return count;
}

// Smallest step that still moves t: below it the step-size controller has lost the solution.
double min_step(const rwd_ts& ts, double t) {
    return std::max(ts.hmin, 16.0 * std::numeric_limits<double>::epsilon() * std::fabs(t));
}

class forward_driver {
public:
    forward_driver(rwd_ts& ts, rwd_vec& y, double* yout) : ts_(ts), y_(y), yout_(yout) {
        method_ = ts.stepper;
        y_next_ = make_like(y);
        err_ = make_like(y);
        keep_ = make_many(y, static_cast<size_t>(method_->kept_per_step()));
        for (auto& v : keep_) keep_views_.push_back(v.get());
        env_ = {ts.field, ts.p.get(), &ts.stats, 0};
        q_ = method_->embedded_order();
    }

    void run() {
        const size_t nout = ts_.tout.size();
        const int64_t n = y_.n;
        double t = ts_.t0;
        double h = ts_.dt > 0.0 ? ts_.dt : initial_step(t);
        for (size_t k = 0; k < nout; ++k) {
            const double target = ts_.tout[k];
            while (t < target) {
                const auto [h_try, landing] = toward(t, h, target);
                require(ts_.stats.steps + ts_.stats.rejected_steps < ts_.max_steps, RWD_ERR_MAX_STEPS,
                        "reached the maximum of ", ts_.max_steps, " steps at t = ", t, " (step ", ts_.stats.steps,
                        ") before output time tout[", k, "] = ", target);
                if (ts_.dt == 0.0 && h_try < min_step(ts_, t))
                    fail(RWD_ERR_STEP_UNDERFLOW, "step size ", h_try, " fell below the minimum ", min_step(ts_, t),
                         " at t = ", t, " (step ", ts_.stats.steps, ", ", ts_.stats.rejected_steps,
                         " rejected) before output time tout[", k, "] = ", target);
                const double err = attempt(t, h_try, k, target);
                if (err < 0.0) {
                    h = h_try * newton_shrink;
                    continue;
                }
                if (err <= 1.0) {
                    ts_.trajectory->push({t, h_try}, keep_views_.data());
                    method_->accept();
                    y_.ops->copy(&y_, y_next_.get());
                    ++ts_.stats.steps;
                    t = landing ? target : t + h_try;
                    if (ts_.dt == 0.0) {
                        const double proposed = h_try * growth(err, true);
                        h = landing ? std::max(h, proposed) : proposed;
                        previous_err_ = std::max(err, 1e-4);
                    }
                    if (ts_.ctx->logs(RWD_LOG_TRACE))
                        ts_.ctx->log(RWD_LOG_TRACE, "step %lld accepted: t = %.17g, h = %.17g, error = %.3g",
                                     static_cast<long long>(ts_.stats.steps - 1), t, h_try, err);
                } else {
                    ++ts_.stats.rejected_steps;
                    h = h_try * growth(err, false);
                    if (ts_.ctx->logs(RWD_LOG_TRACE))
                        ts_.ctx->log(RWD_LOG_TRACE, "step rejected at t = %.17g: h = %.17g, error = %.3g", t, h_try,
                                     err);
                }
            }
            ts_.output_step[k] = ts_.stats.steps;
            y_.ops->get(&y_, yout_ + static_cast<int64_t>(k) * n);
        }
    }

private:
    // Takes a step of size h from the current state into y_next_ and keep_; returns the weighted error norm
    // (0 for fixed steps, where every step is accepted), or -1 when an implicit stage could not be solved and
    // the step is to be retried smaller.
    double attempt(double t, double h, size_t k, double target) {
        env_.step = ts_.stats.steps;
        const bool fixed = ts_.dt > 0.0;
        if (!method_->step(env_, t, h, y_, *y_next_, fixed ? nullptr : err_.get(), keep_views_.data(), true)) {
            ++ts_.stats.newton_failures;
            ++ts_.stats.rejected_steps;
            if (fixed)
                fail(RWD_ERR_CONVERGENCE, "step ", ts_.stats.steps, " from t = ", t, " (h = ", h, ", fixed) failed: ",
                     method_->failure());
            if (++newton_failures_in_a_row_ >= max_newton_retries)
                fail(RWD_ERR_CONVERGENCE, "step ", ts_.stats.steps, " from t = ", t, " failed ", max_newton_retries,
                     " times in a row, down to h = ", h, " (before output time tout[", k, "] = ", target,
                     "); the last failure: ", method_->failure());
            if (ts_.ctx->logs(RWD_LOG_DEBUG))
                ts_.ctx->log(RWD_LOG_DEBUG, "step %lld from t = %.17g with h = %.17g retried smaller: %s",
                             static_cast<long long>(ts_.stats.steps), t, h, method_->failure().c_str());
            return -1.0;
        }
        newton_failures_in_a_row_ = 0;
        if (fixed) return 0.0;
        if (err_->ops->first_nonfinite(err_.get()) >= 0) return std::numeric_limits<double>::infinity();
        return err_->ops->error_norm(err_.get(), &y_, y_next_.get(), ts_.rtol, ts_.atol);
    }

    // PI controller (Hairer & Wanner II, IV.2): h_new = h * safety * err^(-0.7/(q+1)) * err_prev^(0.4/(q+1)).
    double growth(double err, bool accepted) const {
        if (!std::isfinite(err)) return max_shrink;
        if (err == 0.0) return accepted ? max_growth : 1.0;
        const double k = static_cast<double>(q_ + 1);
        double factor = safety * std::pow(err, -0.7 / k) * std::pow(previous_err_, 0.4 / k);
        factor = std::min(max_growth, std::max(max_shrink, factor));
        return accepted ? factor : std::min(1.0, factor);
    }

    // Hairer, Nørsett & Wanner I, II.4: an initial step from the sizes of y0, f(y0) and a difference quotient.
    double initial_step(double t) {
        const double span = ts_.tout.back() - t;
        if (ts_.h0 > 0.0) return std::min(ts_.h0, span);
        auto f0 = make_like(y_);
        auto f1 = make_like(y_);
        auto y1 = make_like(y_);
        auto zero = make_like(y_);
        env_.step = 0;
        eval_f(*ts_.field, t, y_, *ts_.p, *f0, {0, -1});
        ++ts_.stats.f_evals;
        const double d0 = y_.ops->error_norm(&y_, &y_, &y_, ts_.rtol, ts_.atol);
        const double d1 = y_.ops->error_norm(f0.get(), &y_, &y_, ts_.rtol, ts_.atol);
        double h = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        h = std::min(h, span);
        y1->ops->copy(y1.get(), &y_);
        y1->ops->axpby(y1.get(), h, f0.get(), 1.0);
        eval_f(*ts_.field, t + h, *y1, *ts_.p, *f1, {0, -1});
        ++ts_.stats.f_evals;
        f1->ops->axpby(f1.get(), -1.0, f0.get(), 1.0);
        const double d2 = y_.ops->error_norm(f1.get(), &y_, &y_, ts_.rtol, ts_.atol) / h;
        const double dmax = std::max(d1, d2);
        const double h1 = dmax <= 1e-15 ? std::max(1e-6, h * 1e-3)
                                        : std::pow(0.01 / dmax, 1.0 / static_cast<double>(method_->order() + 1));
        return std::min({100.0 * h, h1, span});
    }

    rwd_ts& ts_;
    rwd_vec& y_;
    double* yout_;
    ts_method* method_;
    vec_ptr y_next_, err_;
    std::vector<vec_ptr> keep_;
    std::vector<rwd_vec*> keep_views_;
    step_env env_{};
    int q_ = 1;
    double previous_err_ = 1.0;
    int newton_failures_in_a_row_ = 0;
};

void require_solved(const rwd_ts& ts, const char* what) {
    require(ts.solved, RWD_ERR_STATE, what, " needs a successful rwd_ts_solve first");
}

replay_fn replay_for(rwd_ts& ts, step_env& env) {
    return [&ts, &env](const step_record& record, const rwd_vec& y, rwd_vec* const* kept, rwd_vec& y_next) {
        require(ts.stepper->step(env, record.t, record.h, y, y_next, nullptr, kept, false), RWD_ERR_INTERNAL,
                "recomputing step ", env.step, " from t = ", record.t, " failed although the forward step succeeded: ",
                ts.stepper->failure());
    };
}

void refresh_trajectory_stats(rwd_ts& ts) {
    ts.stats.bytes_kept = ts.trajectory->bytes_kept();
    ts.stats.peak_bytes_kept = std::max(ts.stats.peak_bytes_kept, ts.trajectory->peak_bytes_kept());
    ts.stats.peak_disk_bytes_kept = std::max(ts.stats.peak_disk_bytes_kept, ts.trajectory->peak_disk_bytes_kept());
    ts.stats.recomputed_steps = ts.trajectory->recomputed_steps();
}

void solve(rwd_ts& ts, rwd_field& field, const double* y0, int64_t n, const double* p, int64_t np, double t0,
           const double* tout, int64_t nout, double* yout) {
    require(field.ctx == ts.ctx, RWD_ERR_ARGUMENT, "the field and the ts belong to different contexts");
    require(n == field.n, RWD_ERR_ARGUMENT, "y0 has ", n, " entries; the field's state has ", field.n);
    require(np == field.np, RWD_ERR_ARGUMENT, "p has ", np, " entries; the field has ", field.np, " parameters");
    require_array(y0, n, "y0");
    require_array(p, np, "p");
    require(nout >= 1, RWD_ERR_ARGUMENT, "at least one output time is needed (nout = ", nout, ")");
    require_array(tout, nout, "tout");
    require_array(yout, nout * n, "yout");
    require(std::isfinite(t0), RWD_ERR_NONFINITE, "t0 is ", t0);
    require_finite_array(y0, n, "y0");
    require_finite_array(p, np, "p");
    require_finite_array(tout, nout, "tout");
    require(tout[0] >= t0, RWD_ERR_ARGUMENT, "tout[0] = ", tout[0], " is before t0 = ", t0);
    for (int64_t k = 1; k < nout; ++k)
        require(tout[k] > tout[k - 1], RWD_ERR_ARGUMENT, "output times must increase: tout[", k, "] = ", tout[k],
                " is not after tout[", k - 1, "] = ", tout[k - 1]);

    ts.solved = false;
    ts.stats = rwd_ts_stats{};
    ts.n = n;
    ts.q.clear();
    ts.dq.clear();
    ts.augmented.reset();
    if (ts.cost.g != nullptr) ts.augmented = std::make_unique<cost_augmented_field>(field, ts.cost);
    ts.field = ts.augmented ? &ts.augmented->field() : &field;
    const int64_t state = ts.field->n;
    ts.p = vec_from(ts.ctx, p, np);
    ts.t0 = t0;
    ts.tout.assign(tout, tout + nout);
    ts.output_step.assign(static_cast<size_t>(nout), 0);
    ts.implicit.rtol = ts.rtol;
    ts.implicit.atol = ts.atol;
    ts.implicit.reuse_jacobian_across_steps = ts.trajectory_options.type == "none";
    ts.method->configure(ts.implicit);
    ts.doubling.reset();
    if (ts.dt == 0.0 && ts.method->embedded_order() == 0) ts.doubling = make_step_doubling(*ts.method);
    ts.stepper = ts.doubling ? ts.doubling.get() : ts.method.get();
    ts.trajectory = make_trajectory(ts.trajectory_options);
    ts.trajectory->begin(ts.stepper->kept_per_step(), ts.dt > 0.0 ? fixed_step_count(t0, ts.tout, ts.dt) : -1);

    std::vector<double> y_start(y0, y0 + n);
    y_start.resize(static_cast<size_t>(state), 0.0);  // Q(t0) = 0
    auto y = vec_from(ts.ctx, y_start.data(), state);
    std::vector<double> out(static_cast<size_t>(nout * state));
    ts.stepper->setup(*y, *ts.p);
    forward_driver(ts, *y, out.data()).run();
    ts.q.assign(static_cast<size_t>(nout), 0.0);
    for (int64_t k = 0; k < nout; ++k) {
        std::copy_n(out.begin() + k * state, n, yout + k * n);
        if (ts.augmented) ts.q[static_cast<size_t>(k)] = out[static_cast<size_t>(k * state + n)];
    }
    refresh_trajectory_stats(ts);
    ts.solved = true;
    ts.ctx->log(RWD_LOG_DEBUG, "%s/%s solve: %lld steps, %lld rejected, %lld f evaluations, %lld bytes kept",
                ts.type.c_str(), ts.method_name.c_str(), static_cast<long long>(ts.stats.steps),
                static_cast<long long>(ts.stats.rejected_steps), static_cast<long long>(ts.stats.f_evals),
                static_cast<long long>(ts.stats.peak_bytes_kept));
}

void adjoint(rwd_ts& ts, const double* dl_dy, int64_t len, double* dl_dy0, int64_t n, double* dl_dp, int64_t np) {
    require_solved(ts, "rwd_ts_adjoint_solve");
    const int64_t user_state = ts.n;
    const auto nout = static_cast<int64_t>(ts.tout.size());
    require(len == nout * user_state, RWD_ERR_ARGUMENT, "dl_dy has ", len, " entries; expected ", nout,
            " output times x ", user_state, " states = ", nout * user_state);
    require(n == user_state, RWD_ERR_ARGUMENT, "dl_dy0 has ", n, " entries; the state has ", user_state);
    require(np == ts.field->np, RWD_ERR_ARGUMENT, "dl_dp has ", np, " entries; the field has ", ts.field->np,
            " parameters");
    require_array(dl_dy, len, "dl_dy");
    require_array(dl_dy0, n, "dl_dy0");
    require_array(dl_dp, np, "dl_dp");
    for (int64_t i = 0; i < len; ++i)
        if (!std::isfinite(dl_dy[i]))
            fail(RWD_ERR_NONFINITE, "dl_dy[", i / user_state, "][", i % user_state, "] (output time tout[",
                 i / user_state, "] = ", ts.tout[static_cast<size_t>(i / user_state)], ") is ", dl_dy[i]);

    // Cotangents of the stepped state: (dL/dy, dL/dQ) with dL/dQ = 1 at the last output time.
    const int64_t state = ts.field->n;
    std::vector<double> seed(static_cast<size_t>(nout * state), 0.0);
    for (int64_t k = 0; k < nout; ++k) std::copy_n(dl_dy + k * n, n, seed.begin() + k * state);
    if (ts.augmented) seed[static_cast<size_t>((nout - 1) * state + n)] = 1.0;

    auto lambda = make_vec(ts.ctx, cpu_vec_ops(), state);
    auto mu = make_vec(ts.ctx, cpu_vec_ops(), ts.field->np);
    auto cotangent = make_vec(ts.ctx, cpu_vec_ops(), state);
    ts.stepper->setup(*lambda, *ts.p);
    step_env env{ts.field, ts.p.get(), &ts.stats, 0};
    const auto replay = replay_for(ts, env);
    const double one = 1.0;
    int64_t k = nout - 1;
    auto add_outputs_at = [&](int64_t steps_done) {
        for (; k >= 0 && ts.output_step[static_cast<size_t>(k)] == steps_done; --k) {
            cotangent->ops->set(cotangent.get(), seed.data() + k * state);
            const rwd_vec* x = cotangent.get();
            lambda->ops->axpy_multi(lambda.get(), 1, &one, &x);
        }
    };
    for (int64_t step = ts.trajectory->steps() - 1; step >= 0; --step) {
        add_outputs_at(step + 1);
        const auto& record = ts.trajectory->record(step);
        env.step = step;
        const rwd_vec* const* kept = ts.trajectory->fetch(step, replay);
        ts.stepper->adjoint_step(env, record.t, record.h, kept, *lambda, *mu);
    }
    add_outputs_at(0);
    std::vector<double> gradient(static_cast<size_t>(state));
    lambda->ops->get(lambda.get(), gradient.data());
    std::copy_n(gradient.begin(), n, dl_dy0);
    mu->ops->get(mu.get(), dl_dp);
    refresh_trajectory_stats(ts);
}

void tangent_linear(rwd_ts& ts, const double* dy0, int64_t n, const double* dp, int64_t np, double* dyout,
                    int64_t len) {
    require_solved(ts, "rwd_ts_tlm_solve");
    const int64_t user_state = ts.n;
    const auto nout = static_cast<int64_t>(ts.tout.size());
    require(n == user_state, RWD_ERR_ARGUMENT, "dy0 has ", n, " entries; the state has ", user_state);
    require(np == ts.field->np, RWD_ERR_ARGUMENT, "dp has ", np, " entries; the field has ", ts.field->np,
            " parameters");
    require(len == nout * user_state, RWD_ERR_ARGUMENT, "dyout has ", len, " entries; expected ",
            nout * user_state);
    require_array(dy0, n, "dy0");
    require_array(dp, np, "dp");
    require_array(dyout, len, "dyout");
    require_finite_array(dy0, n, "dy0");
    require_finite_array(dp, np, "dp");
    require(ts.field->jvp != nullptr, RWD_ERR_UNSUPPORTED,
            "the vector field has no jvp; a tangent-linear solve needs Jacobian-vector products");

    const int64_t state = ts.field->n;
    std::vector<double> start(dy0, dy0 + n);
    start.resize(static_cast<size_t>(state), 0.0);
    auto dy = vec_from(ts.ctx, start.data(), state);
    auto dpv = vec_from(ts.ctx, dp, np);
    ts.stepper->setup(*dy, *ts.p);
    step_env env{ts.field, ts.p.get(), &ts.stats, 0};
    const auto replay = replay_for(ts, env);
    std::vector<double> out(static_cast<size_t>(nout * state));
    int64_t k = 0;
    auto write_outputs_at = [&](int64_t steps_done) {
        for (; k < nout && ts.output_step[static_cast<size_t>(k)] == steps_done; ++k)
            dy->ops->get(dy.get(), out.data() + k * state);
    };
    write_outputs_at(0);
    for (int64_t step = 0; step < ts.trajectory->steps(); ++step) {
        const auto& record = ts.trajectory->record(step);
        env.step = step;
        const rwd_vec* const* kept = ts.trajectory->fetch(step, replay);
        ts.stepper->tlm_step(env, record.t, record.h, kept, *dy, *dpv);
        write_outputs_at(step + 1);
    }
    ts.dq.assign(static_cast<size_t>(nout), 0.0);
    for (int64_t j = 0; j < nout; ++j) {
        std::copy_n(out.begin() + j * state, n, dyout + j * n);
        if (ts.augmented) ts.dq[static_cast<size_t>(j)] = out[static_cast<size_t>(j * state + n)];
    }
    refresh_trajectory_stats(ts);
}

// Writes a comma-separated list of names into a caller's buffer (rwd_ts_types, rwd_ts_methods).
void write_names(const std::vector<std::string>& names, char* buffer, int64_t capacity, int64_t* required) {
    std::ostringstream out;
    for (size_t i = 0; i < names.size(); ++i) out << (i ? "," : "") << names[i];
    const std::string list = out.str();
    const auto size = static_cast<int64_t>(list.size()) + 1;
    deref(required, "required") = size;
    if (buffer == nullptr) return;
    require(capacity >= size, RWD_ERR_ARGUMENT, "names holds ", capacity, " bytes; ", size, " are needed");
    std::memcpy(buffer, list.c_str(), static_cast<size_t>(size));
}

// The running cost values (or tangents) of the last solve into a caller's array.
void copy_running_cost(const rwd_ts& ts, const std::vector<double>& values, const char* what, const char* after,
                       double* out, int64_t nout) {
    require(values.size() == ts.tout.size(), RWD_ERR_STATE, what, " needs a successful ", after, " first");
    require(ts.augmented != nullptr, RWD_ERR_STATE, "the last solve had no running cost");
    require(nout == static_cast<int64_t>(values.size()), RWD_ERR_ARGUMENT, what, " has ", nout,
            " entries; the solve has ", values.size(), " output times");
    require_array(out, nout, what);
    std::copy(values.begin(), values.end(), out);
}

rwd_context* ctx_of(const rwd_ts* ts) { return ts != nullptr ? ts->ctx : nullptr; }

}  // namespace
}  // namespace rwd

extern "C" {

rwd_status rwd_ts_create(rwd_context* ctx, const char* type, const char* method, rwd_ts** out) {
    return rwd::guarded(ctx, [&] {
        rwd::deref(ctx, "ctx");
        rwd::deref(out, "out") = nullptr;
        auto ts = std::make_unique<rwd_ts>();
        ts->ctx = ctx;
        ts->type = rwd::text(type, "type");
        ts->method_name = rwd::text(method, "method");
        ts->method = rwd::make_method(ts->type, ts->method_name);
        *out = ts.release();
    });
}

void rwd_ts_destroy(rwd_ts* ts) { delete ts; }

rwd_status rwd_ts_types(char* names, int64_t capacity, int64_t* required) {
    return rwd::guarded(nullptr, [&] { rwd::write_names(rwd::type_names(), names, capacity, required); });
}

rwd_status rwd_ts_methods(const char* type, char* names, int64_t capacity, int64_t* required) {
    return rwd::guarded(nullptr, [&] {
        rwd::write_names(rwd::method_names(rwd::text(type, "type")), names, capacity, required);
    });
}

rwd_status rwd_ts_tableau(const char* method, int32_t capacity, int32_t* stages, int32_t* order,
                          int32_t* embedded_order, double* c, double* a, double* b, double* b_err) {
    return rwd::guarded(nullptr, [&] {
        const rwd::rk_tableau& t = rwd::rk_tableau_named(rwd::text(method, "method"));
        const int32_t s = t.stages();
        rwd::deref(stages, "stages") = s;
        rwd::deref(order, "order") = t.order;
        rwd::deref(embedded_order, "embedded_order") = t.embedded_order;
        if (capacity == 0 && c == nullptr && a == nullptr && b == nullptr && b_err == nullptr) return;
        rwd::require(capacity >= s, RWD_ERR_ARGUMENT, "capacity = ", capacity, " stages; '", t.name, "' has ", s);
        rwd::require(c != nullptr && a != nullptr && b != nullptr && b_err != nullptr, RWD_ERR_ARGUMENT,
                     "c, a, b and b_err must all be given (or all be NULL with capacity 0)");
        const auto n = static_cast<size_t>(s);
        std::copy(t.c.begin(), t.c.end(), c);
        std::copy(t.a.begin(), t.a.end(), a);
        std::copy(t.b.begin(), t.b.end(), b);
        if (t.b_err.empty()) {
            std::fill(b_err, b_err + n, 0.0);
        } else {
            std::copy(t.b_err.begin(), t.b_err.end(), b_err);
        }
    });
}

rwd_status rwd_ts_set_step(rwd_ts* ts, double dt) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::require(std::isfinite(dt) && dt >= 0.0, RWD_ERR_ARGUMENT, "dt = ", dt,
                     " must be finite and positive (or 0 for adaptive steps)");
        rwd::deref(ts, "ts").dt = dt;
    });
}

rwd_status rwd_ts_set_tolerances(rwd_ts* ts, double rtol, double atol) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::require(std::isfinite(rtol) && rtol > 0.0, RWD_ERR_ARGUMENT, "rtol = ", rtol, " must be positive");
        rwd::require(std::isfinite(atol) && atol > 0.0, RWD_ERR_ARGUMENT, "atol = ", atol, " must be positive");
        auto& t = rwd::deref(ts, "ts");
        t.rtol = rtol;
        t.atol = atol;
    });
}

rwd_status rwd_ts_set_initial_step(rwd_ts* ts, double h0) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::require(std::isfinite(h0) && h0 >= 0.0, RWD_ERR_ARGUMENT, "h0 = ", h0, " must be positive or 0");
        rwd::deref(ts, "ts").h0 = h0;
    });
}

rwd_status rwd_ts_set_min_step(rwd_ts* ts, double hmin) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::require(std::isfinite(hmin) && hmin >= 0.0, RWD_ERR_ARGUMENT, "hmin = ", hmin,
                     " must be positive or 0");
        rwd::deref(ts, "ts").hmin = hmin;
    });
}

rwd_status rwd_ts_set_max_steps(rwd_ts* ts, int64_t max_steps) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::require(max_steps >= 1, RWD_ERR_ARGUMENT, "max_steps = ", max_steps, " must be at least 1");
        rwd::deref(ts, "ts").max_steps = max_steps;
    });
}

rwd_status rwd_ts_set_theta(rwd_ts* ts, double theta) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        auto& t = rwd::deref(ts, "ts");
        rwd::require(t.type == "theta" && t.method_name == "theta", RWD_ERR_UNSUPPORTED, "method ", t.type, "/",
                     t.method_name, " has no configurable theta; use theta/theta");
        rwd::require(std::isfinite(theta) && theta > 0.0 && theta <= 1.0, RWD_ERR_ARGUMENT, "theta = ", theta,
                     " must be in (0, 1]");
        t.implicit.theta = theta;
    });
}

rwd_status rwd_ts_set_newton(rwd_ts* ts, double tolerance, int32_t max_iterations) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::require(std::isfinite(tolerance) && tolerance > 0.0, RWD_ERR_ARGUMENT, "Newton tolerance = ", tolerance,
                     " must be positive");
        rwd::require(max_iterations >= 1, RWD_ERR_ARGUMENT, "Newton max_iterations = ", max_iterations,
                     " must be at least 1");
        auto& t = rwd::deref(ts, "ts");
        t.implicit.newton_tolerance = tolerance;
        t.implicit.newton_max_iterations = max_iterations;
    });
}

rwd_status rwd_ts_set_linear_solver(rwd_ts* ts, const char* type, double tolerance, int32_t restart) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        auto& t = rwd::deref(ts, "ts");
        rwd::implicit_options options = t.implicit;
        options.linear_solver = rwd::text(type, "type");
        rwd::require(std::isfinite(tolerance) && tolerance > 0.0 && tolerance < 1.0, RWD_ERR_ARGUMENT,
                     "linear solver tolerance = ", tolerance, " must be in (0, 1)");
        rwd::require(restart >= 1, RWD_ERR_ARGUMENT, "GMRES restart = ", restart, " must be at least 1");
        options.linear_tolerance = tolerance;
        options.gmres_restart = restart;
        rwd::make_linear_solver(options.linear_solver, 1, options);  // validates the name now
        t.implicit = options;
    });
}

rwd_status rwd_ts_set_running_cost(rwd_ts* ts, rwd_cost_fn g, rwd_cost_gradient_fn gradient, void* user) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        auto& t = rwd::deref(ts, "ts");
        rwd::require(g == nullptr || gradient != nullptr, RWD_ERR_ARGUMENT,
                     "a running cost needs its gradient callback");
        t.cost = {g, g != nullptr ? gradient : nullptr, g != nullptr ? user : nullptr};
    });
}

rwd_status rwd_ts_get_running_cost(const rwd_ts* ts, double* q, int64_t nout) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        const auto& t = rwd::deref(ts, "ts");
        rwd::copy_running_cost(t, t.q, "q", "solve", q, nout);
    });
}

rwd_status rwd_ts_get_running_cost_tangent(const rwd_ts* ts, double* dq, int64_t nout) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        const auto& t = rwd::deref(ts, "ts");
        rwd::copy_running_cost(t, t.dq, "dq", "tangent-linear solve", dq, nout);
    });
}

rwd_status rwd_ts_set_trajectory(rwd_ts* ts, const char* type, int64_t checkpoints, int64_t disk_checkpoints,
                                 const char* directory, int64_t planned_steps) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        auto& t = rwd::deref(ts, "ts");
        rwd::trajectory_options options;
        options.type = rwd::text(type, "type");
        options.checkpoints = checkpoints;
        options.disk_checkpoints = disk_checkpoints;
        options.directory = directory != nullptr ? directory : "";
        options.planned_steps = planned_steps;
        rwd::make_trajectory(options);  // validates the options (and the directory) now
        t.trajectory_options = options;
    });
}

rwd_status rwd_ts_solve(rwd_ts* ts, rwd_field* field, const double* y0, int64_t n, const double* p, int64_t np,
                        double t0, const double* tout, int64_t nout, double* yout) {
    return rwd::guarded(rwd::ctx_of(ts), [&] {
        rwd::solve(rwd::deref(ts, "ts"), rwd::deref(field, "field"), y0, n, p, np, t0, tout, nout, yout);
    });
}

rwd_status rwd_ts_adjoint_solve(rwd_ts* ts, const double* dl_dy, int64_t len, double* dl_dy0, int64_t n,
                                double* dl_dp, int64_t np) {
    return rwd::guarded(rwd::ctx_of(ts),
                        [&] { rwd::adjoint(rwd::deref(ts, "ts"), dl_dy, len, dl_dy0, n, dl_dp, np); });
}

rwd_status rwd_ts_tlm_solve(rwd_ts* ts, const double* dy0, int64_t n, const double* dp, int64_t np, double* dyout,
                            int64_t len) {
    return rwd::guarded(rwd::ctx_of(ts),
                        [&] { rwd::tangent_linear(rwd::deref(ts, "ts"), dy0, n, dp, np, dyout, len); });
}

rwd_status rwd_ts_get_stats(const rwd_ts* ts, rwd_ts_stats* stats) {
    return rwd::guarded(rwd::ctx_of(ts), [&] { rwd::deref(stats, "stats") = rwd::deref(ts, "ts").stats; });
}

}
