// Vectors: a backend fills an ops table; the front-end (vec.cpp) validates, backends assume valid input.
// Integrators touch vector data only through these functions, so one integrator runs on every backend.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/context.hpp"
#include "rewind/vec.h"

struct rwd_vec_ops {
    const char* name;
    void* (*allocate)(int64_t n);  // zero-filled
    void (*release)(void* data);
    void (*set)(rwd_vec* v, const double* host);
    void (*get)(const rwd_vec* v, double* host);
    // Host view for callbacks into user code; a device backend syncs here.
    double* (*host)(rwd_vec* v);
    void (*copy)(rwd_vec* y, const rwd_vec* x);                                     // y = x
    void (*fill)(rwd_vec* y, double value);                                        // y_i = value
    void (*scale)(rwd_vec* y, double alpha);                                       // y = alpha y
    void (*axpby)(rwd_vec* y, double alpha, const rwd_vec* x, double beta);        // y = alpha x + beta y
    void (*axpy_multi)(rwd_vec* y, int32_t count, const double* c, const rwd_vec* const* x);  // y += sum c_k x_k
    double (*dot)(const rwd_vec* x, const rwd_vec* y);
    // sqrt(mean((e_i / (atol + rtol max(|a_i|, |b_i|)))^2)): the error norm of step-size control.
    double (*error_norm)(const rwd_vec* e, const rwd_vec* a, const rwd_vec* b, double rtol, double atol);
    // Index of the first NaN/Inf entry, or -1.
    int64_t (*first_nonfinite)(const rwd_vec* x);
};

struct rwd_vec {
    rwd_context* ctx;
    const rwd_vec_ops* ops;
    int64_t n;
    void* data;
};

namespace rwd {

const rwd_vec_ops& vec_backend(const std::string& name);  // RWD_ERR_UNKNOWN_NAME if absent
const rwd_vec_ops& cpu_vec_ops();

struct vec_deleter {
    void operator()(rwd_vec* v) const noexcept;
};
using vec_ptr = std::unique_ptr<rwd_vec, vec_deleter>;

vec_ptr make_vec(rwd_context* ctx, const rwd_vec_ops& ops, int64_t n);
inline vec_ptr make_like(const rwd_vec& v, int64_t n) { return make_vec(v.ctx, *v.ops, n); }
inline vec_ptr make_like(const rwd_vec& v) { return make_like(v, v.n); }
std::vector<vec_ptr> make_many(const rwd_vec& like, size_t count);

inline int64_t vec_bytes(const rwd_vec& v) { return v.n * static_cast<int64_t>(sizeof(double)); }

}  // namespace rwd
