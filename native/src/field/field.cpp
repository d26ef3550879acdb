#include "field/field.hpp"

#include <cmath>
#include <sstream>

#include "core/guard.hpp"

namespace rwd {
namespace {

// Callbacks read host memory; reading through the host view does not change the vector's value.
double* host(const rwd_vec& v) { return v.ops->host(const_cast<rwd_vec*>(&v)); }

std::string where(const char* function, double t, const eval_site& site) {
    std::ostringstream out;
    out.precision(17);
    out << function << " at t = " << t << " (step " << site.step;
    if (site.stage >= 0) out << ", stage " << site.stage;
    out << ")";
    return out.str();
}

void check_callback(int32_t code, const char* function, double t, const eval_site& site) {
    if (code != 0) fail(RWD_ERR_CALLBACK, "the vector field's ", where(function, t, site), " failed with code ", code);
}

void check_finite(const rwd_vec& v, const char* function, const char* output, double t, const eval_site& site) {
    const int64_t i = v.ops->first_nonfinite(&v);
    if (i >= 0) {
        const double value = host(v)[i];
        fail(RWD_ERR_NONFINITE, "the vector field's ", where(function, t, site), " returned ", value, " in ", output,
             "[", i, "]");
    }
}

}  // namespace

void eval_f(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, rwd_vec& dydt, const eval_site& site) {
    const int32_t code = field.f(field.user, t, host(y), host(p), host(dydt));
    check_callback(code, "f", t, site);
    check_finite(dydt, "f", "dydt", t, site);
}

void eval_vjp(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, const rwd_vec& w, rwd_vec& w_dy,
              rwd_vec& w_dp, const eval_site& site) {
    const int32_t code = field.vjp(field.user, t, host(y), host(p), host(w), host(w_dy), host(w_dp));
    check_callback(code, "vjp", t, site);
    check_finite(w_dy, "vjp", "w_dy", t, site);
    check_finite(w_dp, "vjp", "w_dp", t, site);
}

void eval_jvp(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, const rwd_vec& v_y, const rwd_vec& v_p,
              rwd_vec& jv, const eval_site& site) {
    require(field.jvp != nullptr, RWD_ERR_UNSUPPORTED,
            "the vector field has no jvp; a tangent-linear solve needs Jacobian-vector products");
    v_y.ops->get(&v_y, field.tangent.data());
    v_p.ops->get(&v_p, field.tangent.data() + field.n);
    const int32_t code = field.jvp(field.user, t, host(y), host(p), field.tangent.data(), host(jv));
    check_callback(code, "jvp", t, site);
    check_finite(jv, "jvp", "jv", t, site);
}

void eval_jacobian(rwd_field& field, double t, const rwd_vec& y, const rwd_vec& p, double* dfdy,
                   const eval_site& site) {
    require(field.jacobian != nullptr, RWD_ERR_INTERNAL, "the vector field has no Jacobian callback");
    const int32_t code = field.jacobian(field.user, t, host(y), host(p), dfdy);
    check_callback(code, "jacobian", t, site);
    const int64_t n = field.n;
    for (int64_t k = 0; k < n * n; ++k)
        if (!std::isfinite(dfdy[k]))
            fail(RWD_ERR_NONFINITE, "the vector field's ", where("jacobian", t, site), " returned ", dfdy[k],
                 " in dfdy[", k / n, "][", k % n, "]");
}

}  // namespace rwd

extern "C" {

rwd_status rwd_field_create(rwd_context* ctx, int64_t n, int64_t np, rwd_field_f_fn f, rwd_field_vjp_fn vjp,
                            rwd_field_jvp_fn jvp, void* user, rwd_field** out) {
    return rwd::guarded(ctx, [&] {
        rwd::deref(ctx, "ctx");
        rwd::deref(out, "out") = nullptr;
        rwd::require(n >= 1, RWD_ERR_ARGUMENT, "state size n = ", n, " must be at least 1");
        rwd::require(np >= 0, RWD_ERR_ARGUMENT, "parameter size np = ", np, " is negative");
        rwd::require(f != nullptr, RWD_ERR_ARGUMENT, "f is NULL");
        rwd::require(vjp != nullptr, RWD_ERR_ARGUMENT, "vjp is NULL");
        *out = new rwd_field{ctx, n, np, f, vjp, jvp, nullptr, user,
                              std::vector<double>(static_cast<size_t>(n + np))};
    });
}

void rwd_field_destroy(rwd_field* field) { delete field; }

rwd_status rwd_field_set_jacobian(rwd_field* field, rwd_field_jacobian_fn jacobian) {
    return rwd::guarded(field != nullptr ? field->ctx : nullptr,
                        [&] { rwd::deref(field, "field").jacobian = jacobian; });
}

}
