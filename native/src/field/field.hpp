// A vector field given by C callbacks. The ts calls it through these wrappers, which turn callback failures and
// non-finite results into errors that name the function, time, step and component.
#pragma once

#include <vector>

#include "rewind/field.h"
#include "vec/vec.hpp"

struct rwd_field {
    rwd_context* ctx;
    int64_t n;
    int64_t np;
    rwd_field_f_fn f;
    rwd_field_vjp_fn vjp;
    rwd_field_jvp_fn jvp;
    rwd_field_jacobian_fn jacobian;  // optional
    void* user;
    std::vector<double> tangent;  // (v_y, v_p) packed for jvp
};

namespace rwd {

// Where an evaluation happens, for error messages.
struct eval_site {
    int64_t step;   // 0-based index of the step being taken
    int32_t stage;  // 0-based stage within the step, -1 outside a step
};

void eval_f(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, rwd_vec& dydt, const eval_site& site);
void eval_vjp(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, const rwd_vec& w, rwd_vec& w_dy,
              rwd_vec& w_dp,
              const eval_site& site);
void eval_jvp(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, const rwd_vec& v_y, const rwd_vec& v_p,
              rwd_vec& jv,
              const eval_site& site);

// dfdy (n * n, row-major) = df/dy from the field's Jacobian callback, which must exist.
void eval_jacobian(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, double* dfdy,
                   const eval_site& site);

}  // namespace rwd
