#include "test_support.hpp"

#include <cmath>
#include <limits>
#include <sstream>

namespace rwdtest {
namespace {

int32_t lv_f(void*, double, const double* y, const double* p, double* dydt) {
    dydt[0] = p[0] * y[0] - p[1] * y[0] * y[1];
    dydt[1] = p[3] * y[0] * y[1] - p[2] * y[1];
    return 0;
}

int32_t lv_vjp(void*, double, const double* y, const double* p, const double* w, double* w_dy, double* w_dp) {
    w_dy[0] = w[0] * (p[0] - p[1] * y[1]) + w[1] * p[3] * y[1];
    w_dy[1] = -w[0] * p[1] * y[0] + w[1] * (p[3] * y[0] - p[2]);
    w_dp[0] = w[0] * y[0];
    w_dp[1] = -w[0] * y[0] * y[1];
    w_dp[2] = -w[1] * y[1];
    w_dp[3] = w[1] * y[0] * y[1];
    return 0;
}

int32_t lv_jvp(void*, double, const double* y, const double* p, const double* v, double* jv) {
    jv[0] = (p[0] - p[1] * y[1]) * v[0] - p[1] * y[0] * v[1] + y[0] * v[2] - y[0] * y[1] * v[3];
    jv[1] = p[3] * y[1] * v[0] + (p[3] * y[0] - p[2]) * v[1] - y[1] * v[4] + y[0] * y[1] * v[5];
    return 0;
}

int32_t exp_f(void*, double, const double* y, const double* p, double* dydt) {
    dydt[0] = p[0] * y[0];
    return 0;
}

int32_t exp_vjp(void*, double, const double* y, const double* p, const double* w, double* w_dy, double* w_dp) {
    w_dy[0] = w[0] * p[0];
    w_dp[0] = w[0] * y[0];
    return 0;
}

int32_t exp_jvp(void*, double, const double* y, const double* p, const double* v, double* jv) {
    jv[0] = p[0] * v[0] + y[0] * v[1];
    return 0;
}

int32_t nan_f(void*, double t, const double* y, const double*, double* dydt) {
    dydt[0] = t > 0.5 ? std::numeric_limits<double>::quiet_NaN() : -y[0];
    return 0;
}

int32_t square_f(void*, double, const double* y, const double*, double* dydt) {
    dydt[0] = y[0] * y[0];
    return 0;
}

int32_t square_vjp(void*, double, const double* y, const double*, const double* w, double* w_dy, double*) {
    w_dy[0] = 2.0 * y[0] * w[0];
    return 0;
}

field_ptr make_field(rwd_context* ctx, int64_t n, int64_t np, rwd_field_f_fn f, rwd_field_vjp_fn vjp,
                     rwd_field_jvp_fn jvp) {
    rwd_field* field = nullptr;
    if (rwd_field_create(ctx, n, np, f, vjp, jvp, nullptr, &field) != RWD_OK) throw std::runtime_error(last_error(ctx));
    return field_ptr(field);
}

}  // namespace

context_ptr make_context() {
    rwd_context* ctx = nullptr;
    if (rwd_context_create(&ctx) != RWD_OK) throw std::runtime_error("rwd_context_create failed");
    return context_ptr(ctx);
}

ts_ptr make_ts(rwd_context* ctx, const char* method, double dt, double rtol, double atol) {
    rwd_ts* ts = nullptr;
    if (rwd_ts_create(ctx, "rk", method, &ts) != RWD_OK) throw std::runtime_error(last_error(ctx));
    ts_ptr owned(ts);
    if (rwd_ts_set_step(ts, dt) != RWD_OK || rwd_ts_set_tolerances(ts, rtol, atol) != RWD_OK)
        throw std::runtime_error(last_error(ctx));
    return owned;
}

std::vector<std::string> rk_methods() {
    int64_t size = 0;
    rwd_ts_methods("rk", nullptr, 0, &size);
    std::string names(static_cast<size_t>(size), '\0');
    rwd_ts_methods("rk", names.data(), size, &size);
    names.resize(static_cast<size_t>(size - 1));
    std::vector<std::string> out;
    std::stringstream in(names);
    for (std::string name; std::getline(in, name, ',');) out.push_back(name);
    return out;
}

field_ptr lotka_volterra(rwd_context* ctx) { return make_field(ctx, 2, 4, lv_f, lv_vjp, lv_jvp); }
field_ptr exponential(rwd_context* ctx) { return make_field(ctx, 1, 1, exp_f, exp_vjp, exp_jvp); }
field_ptr nan_after_half(rwd_context* ctx) { return make_field(ctx, 1, 0, nan_f, square_vjp, nullptr); }
field_ptr blow_up(rwd_context* ctx) { return make_field(ctx, 1, 0, square_f, square_vjp, nullptr); }

std::vector<double> random_vector(std::mt19937& rng, size_t n) {
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    std::vector<double> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0.0;
    for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

std::string last_error(rwd_context* ctx) {
    const char* message = nullptr;
    rwd_context_last_error(ctx, &message);
    return message;
}

}  // namespace rwdtest
