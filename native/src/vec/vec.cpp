#include "vec/vec.hpp"

#include <cmath>

#include "core/guard.hpp"

namespace rwd {

const rwd_vec_ops& vec_backend(const std::string& name) {
    if (name == "cpu") return cpu_vec_ops();
    fail(RWD_ERR_UNKNOWN_NAME, "unknown vector backend '", name, "'; available: cpu");
}

void vec_deleter::operator()(rwd_vec* v) const noexcept {
    if (v == nullptr) return;
    v->ops->release(v->data);
    delete v;
}

vec_ptr make_vec(rwd_context* ctx, const rwd_vec_ops& ops, int64_t n) {
    require(n >= 0, RWD_ERR_ARGUMENT, "vector size ", n, " is negative");
    vec_ptr v(new rwd_vec{ctx, &ops, n, nullptr});
    v->data = ops.allocate(n);
    return v;
}

std::vector<vec_ptr> make_many(const rwd_vec& like, size_t count) {
    std::vector<vec_ptr> out;
    out.reserve(count);
    for (size_t i = 0; i < count; ++i) out.push_back(make_like(like));
    return out;
}

}  // namespace rwd

namespace {

const rwd_vec& checked(const rwd_vec* v, const char* name) { return rwd::deref(v, name); }

void same_shape(const rwd_vec& a, const rwd_vec& b) {
    rwd::require(a.ctx == b.ctx, RWD_ERR_ARGUMENT, "vectors belong to different contexts");
    rwd::require(a.ops == b.ops, RWD_ERR_ARGUMENT, "vectors have different backends (", a.ops->name, ", ",
                 b.ops->name, ")");
    rwd::require(a.n == b.n, RWD_ERR_ARGUMENT, "vector sizes differ (", a.n, " and ", b.n, ")");
}

void finite_scalar(double value, const char* name) {
    rwd::require(std::isfinite(value), RWD_ERR_NONFINITE, name, " is not finite (", value, ")");
}

rwd_context* ctx_of(const rwd_vec* v) { return v != nullptr ? v->ctx : nullptr; }

}  // namespace

extern "C" {

rwd_status rwd_vec_create(rwd_context* ctx, const char* backend, int64_t n, rwd_vec** out) {
    return rwd::guarded(ctx, [&] {
        rwd::deref(ctx, "ctx");
        rwd::deref(out, "out") = nullptr;
        const auto& ops = rwd::vec_backend(rwd::text(backend, "backend"));
        *out = rwd::make_vec(ctx, ops, n).release();
    });
}

void rwd_vec_destroy(rwd_vec* v) { rwd::vec_deleter()(v); }

rwd_status rwd_vec_size(const rwd_vec* v, int64_t* n) {
    return rwd::guarded(ctx_of(v), [&] { rwd::deref(n, "n") = checked(v, "v").n; });
}

rwd_status rwd_vec_set(rwd_vec* v, const double* data, int64_t n) {
    return rwd::guarded(ctx_of(v), [&] {
        auto& x = rwd::deref(v, "v");
        rwd::require(n == x.n, RWD_ERR_ARGUMENT, "data has ", n, " entries; the vector has ", x.n);
        rwd::require(data != nullptr || n == 0, RWD_ERR_ARGUMENT, "data is NULL");
        x.ops->set(&x, data);
    });
}

rwd_status rwd_vec_get(const rwd_vec* v, double* data, int64_t n) {
    return rwd::guarded(ctx_of(v), [&] {
        const auto& x = checked(v, "v");
        rwd::require(n == x.n, RWD_ERR_ARGUMENT, "data has ", n, " entries; the vector has ", x.n);
        rwd::require(data != nullptr || n == 0, RWD_ERR_ARGUMENT, "data is NULL");
        x.ops->get(&x, data);
    });
}

rwd_status rwd_vec_copy(rwd_vec* y, const rwd_vec* x) {
    return rwd::guarded(ctx_of(y), [&] {
        same_shape(rwd::deref(y, "y"), checked(x, "x"));
        if (x != y) y->ops->copy(y, x);
    });
}

rwd_status rwd_vec_scale(rwd_vec* y, double alpha) {
    return rwd::guarded(ctx_of(y), [&] {
        auto& v = rwd::deref(y, "y");
        finite_scalar(alpha, "alpha");
        if (alpha != 1.0) v.ops->scale(&v, alpha);
    });
}

rwd_status rwd_vec_axpy(rwd_vec* y, double alpha, const rwd_vec* x) {
    return rwd::guarded(ctx_of(y), [&] {
        same_shape(rwd::deref(y, "y"), checked(x, "x"));
        finite_scalar(alpha, "alpha");
        if (alpha != 0.0) y->ops->axpy_multi(y, 1, &alpha, &x);
    });
}

rwd_status rwd_vec_axpby(rwd_vec* y, double alpha, const rwd_vec* x, double beta) {
    return rwd::guarded(ctx_of(y), [&] {
        same_shape(rwd::deref(y, "y"), checked(x, "x"));
        finite_scalar(alpha, "alpha");
        finite_scalar(beta, "beta");
        y->ops->axpby(y, alpha, x, beta);
    });
}

rwd_status rwd_vec_dot(const rwd_vec* x, const rwd_vec* y, double* out) {
    return rwd::guarded(ctx_of(x), [&] {
        same_shape(checked(x, "x"), checked(y, "y"));
        rwd::deref(out, "out") = x->ops->dot(x, y);
    });
}

rwd_status rwd_vec_norm2(const rwd_vec* x, double* out) {
    return rwd::guarded(ctx_of(x), [&] {
        const auto& v = checked(x, "x");
        rwd::deref(out, "out") = std::sqrt(v.ops->dot(&v, &v));
    });
}

}
