// The "cpu" vector backend: contiguous host doubles.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>

#include "vec/vec.hpp"

namespace {

double* data(rwd_vec* v) { return static_cast<double*>(v->data); }
const double* data(const rwd_vec* v) { return static_cast<const double*>(v->data); }
size_t bytes(const rwd_vec* v) { return static_cast<size_t>(v->n) * sizeof(double); }

void* allocate(int64_t n) {
    void* p = std::calloc(static_cast<size_t>(std::max<int64_t>(n, 1)), sizeof(double));
    if (p == nullptr) throw std::bad_alloc();
    return p;
}

void release(void* p) { std::free(p); }

void set(rwd_vec* v, const double* host) {
    if (v->n > 0) std::memcpy(v->data, host, bytes(v));
}

void get(const rwd_vec* v, double* host) {
    if (v->n > 0) std::memcpy(host, v->data, bytes(v));
}

double* host(rwd_vec* v) { return data(v); }

void copy(rwd_vec* y, const rwd_vec* x) {
    if (y != x && y->n > 0) std::memcpy(y->data, x->data, bytes(y));
}

void fill(rwd_vec* y, double value) { std::fill(data(y), data(y) + y->n, value); }

void scale(rwd_vec* y, double alpha) {
    double* d = data(y);
    for (int64_t i = 0; i < y->n; ++i) d[i] *= alpha;
}

void axpby(rwd_vec* y, double alpha, const rwd_vec* x, double beta) {
    double* d = data(y);
    const double* s = data(x);
    for (int64_t i = 0; i < y->n; ++i) d[i] = alpha * s[i] + beta * d[i];
}

void axpy_multi(rwd_vec* y, int32_t count, const double* c, const rwd_vec* const* x) {
    double* d = data(y);
    // One pass over y per term keeps the summation order fixed (k = 0, 1, ...), so recomputed steps reproduce
    // stored ones bit for bit.
    for (int32_t k = 0; k < count; ++k) {
        if (c[k] == 0.0) continue;
        const double* s = data(x[k]);
        const double ck = c[k];
        for (int64_t i = 0; i < y->n; ++i) d[i] += ck * s[i];
    }
}

double dot(const rwd_vec* x, const rwd_vec* y) {
    const double* a = data(x);
    const double* b = data(y);
    double sum = 0.0;
    for (int64_t i = 0; i < x->n; ++i) sum += a[i] * b[i];
    return sum;
}

double error_norm(const rwd_vec* e, const rwd_vec* a, const rwd_vec* b, double rtol, double atol) {
    if (e->n == 0) return 0.0;
    const double* de = data(e);
    const double* da = data(a);
    const double* db = data(b);
    double sum = 0.0;
    for (int64_t i = 0; i < e->n; ++i) {
        const double scale = atol + rtol * std::max(std::fabs(da[i]), std::fabs(db[i]));
        const double r = de[i] / scale;
        sum += r * r;
    }
    return std::sqrt(sum / static_cast<double>(e->n));
}

int64_t first_nonfinite(const rwd_vec* x) {
    const double* d = data(x);
    for (int64_t i = 0; i < x->n; ++i)
        if (!std::isfinite(d[i])) return i;
    return -1;
}

const rwd_vec_ops cpu_ops = {"cpu",  allocate, release, set,        get, host,       copy, fill,
                             scale, axpby,    axpy_multi, dot, error_norm, first_nonfinite};

}  // namespace

namespace rwd {
const rwd_vec_ops& cpu_vec_ops() { return cpu_ops; }
}  // namespace rwd
