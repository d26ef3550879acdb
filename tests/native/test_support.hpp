// Shared pieces of the native tests: RAII owners for C ABI objects and vector fields given as C callbacks.
#pragma once

#include <memory>
#include <random>
#include <vector>

#include "rewind/rewind.h"

namespace rwdtest {

struct context_deleter { void operator()(rwd_context* c) const { rwd_context_destroy(c); } };
struct field_deleter { void operator()(rwd_field* f) const { rwd_field_destroy(f); } };
struct ts_deleter { void operator()(rwd_ts* t) const { rwd_ts_destroy(t); } };
using context_ptr = std::unique_ptr<rwd_context, context_deleter>;
using field_ptr = std::unique_ptr<rwd_field, field_deleter>;
using ts_ptr = std::unique_ptr<rwd_ts, ts_deleter>;

context_ptr make_context();
ts_ptr make_ts(rwd_context* ctx, const char* method, double dt, double rtol = 1e-8, double atol = 1e-10);
std::vector<std::string> rk_methods();

// Lotka–Volterra: y0' = p0 y0 - p1 y0 y1, y1' = p3 y0 y1 - p2 y1 (exact f, vjp, jvp).
field_ptr lotka_volterra(rwd_context* ctx);
// y' = p0 y (scalar), with y(t) = y0 exp(p0 t).
field_ptr exponential(rwd_context* ctx);
// f returns NaN once t > 0.5.
field_ptr nan_after_half(rwd_context* ctx);
// y' = y^2: blows up at t = 1/y0.
field_ptr blow_up(rwd_context* ctx);

std::vector<double> random_vector(std::mt19937& rng, size_t n);
double dot(const std::vector<double>& a, const std::vector<double>& b);
std::string last_error(rwd_context* ctx);

}  // namespace rwdtest
