// Elementwise activations of dense layers: their values and the chain-rule product with their first derivative,
// which is all that the forward, vector–Jacobian and Jacobian–vector passes of a network need.
#pragma once

#include <cstdint>
#include <string>

namespace rwd {

enum class activation { identity, tanh, relu, softplus, gelu, sigmoid, silu };

// The activation called `name`; RWD_ERR_UNKNOWN_NAME naming `what` (e.g. "activations[1]") and the known names.
activation activation_named(const std::string& name, const std::string& what);
const char* activation_name(activation f);

// a = f(z), count entries.
void activate(activation f, const double* z, double* a, int64_t count);

// out = f'(z) * in entrywise, given z and a = f(z); out may be in. The JVP pushes tangents forward through it and
// the VJP pulls cotangents back through it: f is entrywise, so its Jacobian is diagonal and its own transpose.
void multiply_by_slope(activation f, const double* z, const double* a, const double* in, double* out,
                       int64_t count);

}  // namespace rwd
