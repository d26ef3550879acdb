#include "nn/activation.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace rwd {
namespace {

constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;

// exp(-|z|) / (1 + exp(-|z|))^2: the logistic function's slope s(z) s(-z) without the cancellation of s (1 - s)
// once s rounds to 1.
double logistic_slope(double z) {
    const double e = std::exp(-std::fabs(z));
    const double denominator = 1.0 + e;
    return e / (denominator * denominator);
}

// 1 / (1 + exp(-z)), never evaluating exp of a large positive argument.
double logistic(double z) {
    if (z >= 0.0) return 1.0 / (1.0 + std::exp(-z));
    const double e = std::exp(z);
    return e / (1.0 + e);
}

// Each activation as value(z) and slope(z, a) with a = value(z). Written as types so that the loops below are
// instantiated per activation, with no per-entry dispatch.
struct identity_fn {
    static double value(double z) { return z; }
    static double slope(double, double) { return 1.0; }
};
struct tanh_fn {
    static double value(double z) { return std::tanh(z); }
    static double slope(double, double a) { return (1.0 - a) * (1.0 + a); }  // 1 - a^2, exact near |a| = 1
};
struct relu_fn {
    static double value(double z) { return z > 0.0 ? z : 0.0; }
    static double slope(double z, double) { return z > 0.0 ? 1.0 : 0.0; }  // 0 at the kink, as PyTorch
};
struct softplus_fn {
    // log(1 + e^z) = max(z, 0) + log1p(e^-|z|): no overflow for large z, no loss for very negative z.
    static double value(double z) { return (z > 0.0 ? z : 0.0) + std::log1p(std::exp(-std::fabs(z))); }
    static double slope(double z, double) { return logistic(z); }
};
struct gelu_fn {
    // z Phi(z) with Phi(z) = erfc(-z / sqrt 2) / 2, which keeps its relative accuracy where 1 + erf cancels.
    static double value(double z) { return 0.5 * z * std::erfc(-z * inv_sqrt2); }
    static double slope(double z, double) {
        return 0.5 * std::erfc(-z * inv_sqrt2) + z * inv_sqrt_2pi * std::exp(-0.5 * z * z);
    }
};
struct sigmoid_fn {
    static double value(double z) { return logistic(z); }
    static double slope(double z, double) { return logistic_slope(z); }
};
struct silu_fn {
    // z s(z), with slope s(z) + z s(z) s(-z)
    static double value(double z) { return z * logistic(z); }
    static double slope(double z, double) { return logistic(z) + z * logistic_slope(z); }
};

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
    visit(f, [&](auto fn) {
        for (int64_t i = 0; i < count; ++i) a[i] = fn.value(z[i]);
    });
}

void multiply_by_slope(activation f, const double* z, const double* a, const double* in, double* out,
                       int64_t count) {
    if (f == activation::identity) {
        if (out != in) std::copy(in, in + count, out);
        return;
    }
    visit(f, [&](auto fn) {
        for (int64_t i = 0; i < count; ++i) out[i] = fn.slope(z[i], a[i]) * in[i];
    });
}

}  // namespace rwd
