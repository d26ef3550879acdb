#include "nn/activation.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "nn/vector_clones.hpp"

namespace rwd {
namespace {

constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;

// exp and expm1 of x <= 0 as straight-line arithmetic that the loops below vectorize: libm's are scalar calls, and
// std::tanh alone took most of a small network's forward pass. x = k ln2 + r with |r| <= ln2 / 2; expm1(r) is its
// Taylor polynomial (truncated below 1e-17 relative), evaluated by Estrin's scheme for a short dependency chain;
// 2^k comes from the bits of the rounded k. Both stay within 1 ulp of libm, subnormal results included; NaN
// propagates. (This file is compiled with -fno-trapping-math so that the selects vectorize; values are unchanged.)
struct exp_parts {
    double scale;    // 2^k; below 2^-1000 it is 2^(k + 200), undone by unscale = 2^-200, so exp can be subnormal
    double unscale;
    double expm1_r;
};

inline exp_parts split_exp(double x) {
    constexpr double log2e = 1.44269504088896338700;
    constexpr double ln2_hi = 6.93147180369123816490e-01;  // fdlibm's split of ln 2: k ln2_hi is exact
    constexpr double ln2_lo = 1.90821492927058770002e-10;
    constexpr double shifter = 0x1.8p52;  // adding it rounds to an integer, which lands in the low mantissa bits
    x = x < -800.0 ? -800.0 : x;          // exp(-800) is 0 already; keeps k where its bits are read right
    const double shifted = x * log2e + shifter;
    const double k = shifted - shifter;
    const double r = (x - k * ln2_hi) - k * ln2_lo;
    const bool tiny = k < -1000.0;
    uint64_t bits;
    std::memcpy(&bits, &shifted, sizeof bits);  // low 12 bits: k modulo 4096
    bits = (bits + (tiny ? 1023 + 200 : 1023)) << 52;
    double scale;
    std::memcpy(&scale, &bits, sizeof scale);
    // expm1(r) = r + r^2 (1/2! + r/3! + ... + r^11/13!)
    const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    const double c01 = 1.0 / 2 + r * (1.0 / 6), c23 = 1.0 / 24 + r * (1.0 / 120);
    const double c45 = 1.0 / 720 + r * (1.0 / 5040), c67 = 1.0 / 40320 + r * (1.0 / 362880);
    const double c89 = 1.0 / 3628800 + r * (1.0 / 39916800), c1011 = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
    const double tail = (c01 + r2 * c23) + r4 * (c45 + r2 * c67) + r8 * (c89 + r2 * c1011);
    return {scale, tiny ? 0x1p-200 : 1.0, r + r2 * tail};
}

inline double exp_nonpositive(double x) {
    const exp_parts e = split_exp(x);
    return (e.scale + e.scale * e.expm1_r) * e.unscale;
}

// Where scale is shifted (x < -693), the exact result rounds to -1, and so does this.
inline double expm1_nonpositive(double x) {
    const exp_parts e = split_exp(x);
    return e.scale * e.expm1_r + (e.scale - 1.0);
}

// The logistic function s(z) = 1 / (1 + e^-z) and its slope s(z) s(-z), from e = exp(-|z|): no overflow, and no
// cancellation in 1 - s once s rounds to 1.
double logistic(double z, double e) { return (z >= 0.0 ? 1.0 : e) / (1.0 + e); }
double logistic_slope(double e) { return e / ((1.0 + e) * (1.0 + e)); }
double exp_minus_abs(double z) { return exp_nonpositive(-std::fabs(z)); }

// Each activation as value(z) and slope(z, a) with a = value(z). Written as types so that the loops below are
// instantiated per activation, with no per-entry dispatch.
struct identity_fn {
    static double value(double z) { return z; }
    static double slope(double, double) { return 1.0; }
};
struct tanh_fn {
    // tanh |z| = -expm1(-2|z|) / (2 + expm1(-2|z|)): accurate near 0, and 1 for large |z|
    static double value(double z) {
        const double m = expm1_nonpositive(-2.0 * std::fabs(z));
        return std::copysign(-m / (2.0 + m), z);
    }
    static double slope(double, double a) { return (1.0 - a) * (1.0 + a); }  // 1 - a^2, exact near |a| = 1
};
struct relu_fn {
    static double value(double z) { return z > 0.0 ? z : 0.0; }
    static double slope(double z, double) { return z > 0.0 ? 1.0 : 0.0; }  // 0 at the kink, as PyTorch
};
struct softplus_fn {
    // log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow for large z, no loss for very negative z.
    static double value(double z) { return (z > 0.0 ? z : 0.0) + std::log1p(exp_minus_abs(z)); }
    static double slope(double z, double) { return logistic(z, exp_minus_abs(z)); }
};
struct gelu_fn {
    // z Phi(z) with Phi(z) = erfc(-z / sqrt 2) / 2, which keeps its relative accuracy where 1 + erf cancels.
    static double value(double z) { return 0.5 * z * std::erfc(-z * inv_sqrt2); }
    static double slope(double z, double) {
        return 0.5 * std::erfc(-z * inv_sqrt2) + z * inv_sqrt_2pi * exp_nonpositive(-0.5 * z * z);
    }
};
struct sigmoid_fn {
    static double value(double z) { return logistic(z, exp_minus_abs(z)); }
    static double slope(double z, double) { return logistic_slope(exp_minus_abs(z)); }
};
struct silu_fn {
    // z s(z), with slope s(z) + z s(z) s(-z)
    static double value(double z) { return z * logistic(z, exp_minus_abs(z)); }
    static double slope(double z, double) {
        const double e = exp_minus_abs(z);
        return logistic(z, e) + z * logistic_slope(e);
    }
};

// The loops, one instantiation per activation, each compiled at every vector width.
template <class F>
REWIND_VECTOR_CLONES void activate_each(const double* z, double* a, int64_t count) {
    for (int64_t i = 0; i < count; ++i) a[i] = F::value(z[i]);
}

template <class F>
REWIND_VECTOR_CLONES void multiply_by_slope_each(const double* z, const double* a, const double* in, double* out,
                                                 int64_t count) {
    for (int64_t i = 0; i < count; ++i) out[i] = F::slope(z[i], a[i]) * in[i];
}

template <class Visitor>
void visit(activation f, Visitor&& visitor) {
    switch (f) {
        case activation::identity: return visitor(identity_fn{});
        case activation::tanh: return visitor(tanh_fn{});
        case activation::relu: return visitor(relu_fn{});
        case activation::softplus: return visitor(softplus_fn{});
        case activation::gelu: return visitor(gelu_fn{});
        case activation::sigmoid: return visitor(sigmoid_fn{});
        case activation::silu: return visitor(silu_fn{});
    }
    fail(RWD_ERR_INTERNAL, "activation ", static_cast<int>(f), " has no implementation");
}

constexpr activation all_activations[] = {activation::identity, activation::tanh,    activation::relu,
                                          activation::softplus, activation::gelu,    activation::sigmoid,
                                          activation::silu};

}  // namespace

const char* activation_name(activation f) {
    switch (f) {
        case activation::identity: return "identity";
        case activation::tanh: return "tanh";
        case activation::relu: return "relu";
        case activation::softplus: return "softplus";
        case activation::gelu: return "gelu";
        case activation::sigmoid: return "sigmoid";
        case activation::silu: return "silu";
    }
    return "?";
}

activation activation_named(const std::string& name, const std::string& what) {
    std::string known;
    for (const activation f : all_activations) {
        if (name == activation_name(f)) return f;
        known += known.empty() ? "" : ", ";
        known += activation_name(f);
    }
    fail(RWD_ERR_UNKNOWN_NAME, what, " = \"", name, "\" is not an activation; known: ", known);
}

void activate(activation f, const double* z, double* a, int64_t count) {
    visit(f, [&](auto fn) { activate_each<decltype(fn)>(z, a, count); });
}

void multiply_by_slope(activation f, const double* z, const double* a, const double* in, double* out,
                       int64_t count) {
    if (f == activation::identity) {
        if (out != in) std::copy(in, in + count, out);
        return;
    }
    visit(f, [&](auto fn) { multiply_by_slope_each<decltype(fn)>(z, a, in, out, count); });
}

}  // namespace rwd
