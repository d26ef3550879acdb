// A running cost g(t, y, p) integrated with the solve: the field (f, g) on the state (y, Q), Q' = g. Stepping the
// augmented field integrates Q with the same method and steps as y, so its reverse and tangent-linear passes are
// the exact derivatives of the computed integral without any method-specific code.
#pragma once

#include <vector>

#include "field/field.hpp"
#include "rewind/ts.h"

namespace rwd {

struct running_cost {
    rwd_cost_fn g = nullptr;
    rwd_cost_gradient_fn gradient = nullptr;
    void* user = nullptr;
};

class cost_augmented_field {
public:
    cost_augmented_field(rwd_field& field, const running_cost& cost);
    cost_augmented_field(const cost_augmented_field&) = delete;
    cost_augmented_field& operator=(const cost_augmented_field&) = delete;

    rwd_field& field() { return augmented_; }

private:
    static int32_t f(void* user, double t, const double* y, const double* p, double* dydt);
    static int32_t vjp(void* user, double t, const double* y, const double* p, const double* w, double* w_dy,
                       double* w_dp);
    static int32_t jvp(void* user, double t, const double* y, const double* p, const double* v, double* jv);
    static int32_t jacobian(void* user, double t, const double* y, const double* p, double* dfdy);
    int32_t cost_gradient(double t, const double* y, const double* p);

    rwd_field& inner_;
    running_cost cost_;
    rwd_field augmented_;
    std::vector<double> dg_dy_, dg_dp_, scratch_;
};

}  // namespace rwd
