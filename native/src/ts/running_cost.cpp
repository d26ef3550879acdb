#include "ts/running_cost.hpp"

#include <algorithm>

namespace rwd {

cost_augmented_field::cost_augmented_field(rwd_field& field, const running_cost& cost)
    : inner_(field),
      cost_(cost),
      augmented_{field.ctx,
                 field.n + 1,
                 field.np,
                 &cost_augmented_field::f,
                 &cost_augmented_field::vjp,
                 field.jvp != nullptr ? &cost_augmented_field::jvp : nullptr,
                 field.jacobian != nullptr ? &cost_augmented_field::jacobian : nullptr,
                 this,
                 std::vector<double>(static_cast<size_t>(field.n + 1 + field.np))},
      dg_dy_(static_cast<size_t>(field.n)),
      dg_dp_(static_cast<size_t>(field.np)),
      // (v_y, v_p) for jvp, or the inner Jacobian when there is one
      scratch_(static_cast<size_t>(field.jacobian != nullptr ? std::max(field.n * field.n, field.n + field.np)
                                                              : field.n + field.np)) {}

int32_t cost_augmented_field::cost_gradient(double t, const double* y, const double* p) {
    return cost_.gradient(cost_.user, t, y, p, dg_dy_.data(), dg_dp_.data());
}

// (f, g)
int32_t cost_augmented_field::f(void* user, double t, const double* y, const double* p, double* dydt) {
    auto& self = *static_cast<cost_augmented_field*>(user);
    const int32_t code = self.inner_.f(self.inner_.user, t, y, p, dydt);
    if (code != 0) return code;
    return self.cost_.g(self.cost_.user, t, y, p, dydt + self.inner_.n);
}

// (w_y, w_Q)^T d(f, g)/d(y, Q) = (w_y^T df/dy + w_Q dg/dy, 0), and w_y^T df/dp + w_Q dg/dp.
int32_t cost_augmented_field::vjp(void* user, double t, const double* y, const double* p, const double* w,
                                  double* w_dy, double* w_dp) {
    auto& self = *static_cast<cost_augmented_field*>(user);
    const int64_t n = self.inner_.n;
    int32_t code = self.inner_.vjp(self.inner_.user, t, y, p, w, w_dy, w_dp);
    if (code == 0) code = self.cost_gradient(t, y, p);
    if (code != 0) return code;
    for (int64_t i = 0; i < n; ++i) w_dy[i] += w[n] * self.dg_dy_[static_cast<size_t>(i)];
    w_dy[n] = 0.0;
    for (int64_t k = 0; k < self.inner_.np; ++k) w_dp[k] += w[n] * self.dg_dp_[static_cast<size_t>(k)];
    return 0;
}

// d(f, g) along v = (v_y, v_Q, v_p); Q does not enter f or g.
int32_t cost_augmented_field::jvp(void* user, double t, const double* y, const double* p, const double* v,
                                  double* jv) {
    auto& self = *static_cast<cost_augmented_field*>(user);
    const int64_t n = self.inner_.n;
    const int64_t np = self.inner_.np;
    double* packed = self.scratch_.data();  // (v_y, v_p) as the inner field expects
    for (int64_t i = 0; i < n; ++i) packed[i] = v[i];
    for (int64_t k = 0; k < np; ++k) packed[n + k] = v[n + 1 + k];
    int32_t code = self.inner_.jvp(self.inner_.user, t, y, p, packed, jv);
    if (code == 0) code = self.cost_gradient(t, y, p);
    if (code != 0) return code;
    double dg = 0.0;
    for (int64_t i = 0; i < n; ++i) dg += self.dg_dy_[static_cast<size_t>(i)] * v[i];
    for (int64_t k = 0; k < np; ++k) dg += self.dg_dp_[static_cast<size_t>(k)] * v[n + 1 + k];
    jv[n] = dg;
    return 0;
}

// [[df/dy, 0], [dg/dy, 0]], row-major (n + 1) x (n + 1).
int32_t cost_augmented_field::jacobian(void* user, double t, const double* y, const double* p, double* dfdy) {
    auto& self = *static_cast<cost_augmented_field*>(user);
    const int64_t n = self.inner_.n;
    double* inner = self.scratch_.data();
    int32_t code = self.inner_.jacobian(self.inner_.user, t, y, p, inner);
    if (code == 0) code = self.cost_gradient(t, y, p);
    if (code != 0) return code;
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t j = 0; j < n; ++j) dfdy[i * (n + 1) + j] = inner[i * n + j];
        dfdy[i * (n + 1) + n] = 0.0;
    }
    for (int64_t j = 0; j < n; ++j) dfdy[n * (n + 1) + j] = self.dg_dy_[static_cast<size_t>(j)];
    dfdy[n * (n + 1) + n] = 0.0;
    return 0;
}

}  // namespace rwd
