// Step doubling: makes a method without an embedded pair adaptive. One step of size h is a full step y_F and two
// half steps y_H of the base method of order p; with c = 1 / (2^p - 1), err = c (y_H - y_F) estimates the error
// of y_H, and the step continues from
//   explicit bases:  y_{n+1} = y_H + c (y_H - y_F)   (Richardson local extrapolation, order p + 1, as an embedded
//                                                       pair continues from its higher-order solution);
//   implicit bases:  y_{n+1} = y_H                    (extrapolation would cost stability: for the trapezoidal rule
//                                                       its amplification factor tends to 5/3 as h|λ| → ∞).
// The composite step is differentiated exactly: its reverse pass runs the base method's reverse steps on
// (1 + c) lambda through the half steps and on -c lambda through the full step, and adds the two; without
// extrapolation only the half steps carry derivatives, so only they are kept.
#include <cmath>

#include "ts/method.hpp"

namespace rwd {
namespace {

class step_doubling final : public ts_method {
public:
    explicit step_doubling(ts_method& base)
        : base_(base),
          k_(base.kept_per_step()),
          c_(1.0 / (std::ldexp(1.0, base.order()) - 1.0)),
          extrapolate_(!base.implicit()) {}

    bool implicit() const override { return base_.implicit(); }
    void configure(const implicit_options& options) override { base_.configure(options); }
    int order() const override { return base_.order() + (extrapolate_ ? 1 : 0); }
    int embedded_order() const override { return base_.order(); }
    // Blocks of the base method's kept vectors: first half, second half, then the full step when it is
    // differentiated. kept[0] is y_n.
    int kept_per_step() const override { return (extrapolate_ ? 3 : 2) * k_; }

    void setup(const rwd_vec& y, const rwd_vec& p) override {
        base_.setup(y, p);
        full_ = make_like(y);
        middle_ = make_like(y);
        half_ = make_like(y);
    }

    bool step(step_env& env, double t, double h, const rwd_vec& y, rwd_vec& y_next, rwd_vec* err,
              rwd_vec* const* keep, bool current) override {
        if (err == nullptr && !extrapolate_) return halves(env, t, h, y, y_next, keep, current);
        if (!base_.step(env, t, h, y, *full_, nullptr, block(keep, 2), current)) return false;
        if (!halves(env, t, h, y, *half_, keep, current)) return false;
        if (err != nullptr) {
            err->ops->copy(err, half_.get());
            err->ops->axpby(err, -c_, full_.get(), c_);
        }
        y_next.ops->copy(&y_next, full_.get());
        if (extrapolate_)
            y_next.ops->axpby(&y_next, 1.0 + c_, half_.get(), -c_);
        else
            y_next.ops->copy(&y_next, half_.get());
        return true;
    }

    std::string failure() const override { return base_.failure(); }
    void accept() override { base_.accept(); }

    void adjoint_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& lambda,
                      rwd_vec& mu) override {
        rwd_vec& through_full = *full_;
        if (extrapolate_) {
            through_full.ops->copy(&through_full, &lambda);
            through_full.ops->scale(&through_full, -c_);
            lambda.ops->scale(&lambda, 1.0 + c_);
        }
        base_.adjoint_step(env, t + 0.5 * h, 0.5 * h, kept + k_, lambda, mu);
        base_.adjoint_step(env, t, 0.5 * h, kept, lambda, mu);
        if (extrapolate_) {
            base_.adjoint_step(env, t, h, kept + 2 * k_, through_full, mu);
            lambda.ops->axpby(&lambda, 1.0, &through_full, 1.0);
        }
    }

    void tlm_step(step_env& env, double t, double h, const rwd_vec* const* kept, rwd_vec& dy,
                  const rwd_vec& dp) override {
        rwd_vec& through_full = *full_;
        if (extrapolate_) {
            through_full.ops->copy(&through_full, &dy);
            base_.tlm_step(env, t, h, kept + 2 * k_, through_full, dp);
        }
        base_.tlm_step(env, t, 0.5 * h, kept, dy, dp);
        base_.tlm_step(env, t + 0.5 * h, 0.5 * h, kept + k_, dy, dp);
        if (extrapolate_) dy.ops->axpby(&dy, -c_, &through_full, 1.0 + c_);
    }

private:
    // The two half steps from (t, y) into out.
    bool halves(step_env& env, double t, double h, const rwd_vec& y, rwd_vec& out, rwd_vec* const* keep,
                bool current) {
        if (!base_.step(env, t, 0.5 * h, y, *middle_, nullptr, block(keep, 0), current)) return false;
        return base_.step(env, t + 0.5 * h, 0.5 * h, *middle_, out, nullptr, block(keep, 1), false);
    }

    rwd_vec* const* block(rwd_vec* const* keep, int index) const {
        return keep != nullptr && index * k_ < kept_per_step() ? keep + index * k_ : nullptr;
    }

    ts_method& base_;
    int k_;
    double c_;
    bool extrapolate_;
    vec_ptr full_, middle_, half_;
};

}  // namespace

std::unique_ptr<ts_method> make_step_doubling(ts_method& base) { return std::make_unique<step_doubling>(base); }

}  // namespace rwd
