// The C ABI of rewind/nn.h: argument checks, then the network and its evaluators.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/guard.hpp"
#include "nn/nn.hpp"

namespace rwd {
namespace {

// Sizes and batches stay within BLAS's 32-bit dimensions (and their products within int64).
constexpr int64_t max_dimension = std::numeric_limits<int32_t>::max();

rwd_context* ctx_of(const rwd_nn* nn) { return nn != nullptr ? nn->ctx : nullptr; }

// A batch x width row-major input: not NULL, every entry finite.
void require_batch_input(const double* values, int64_t batch, int64_t width, const char* name) {
    require(values != nullptr, RWD_ERR_ARGUMENT, name, " is NULL");
    for (int64_t i = 0; i < batch * width; ++i)
        if (!std::isfinite(values[i]))
            fail(RWD_ERR_NONFINITE, name, "[", i / width, "][", i % width, "] (sample ", i / width, ", entry ",
                 i % width, ") is ", values[i]);
}

// A vector of the network's parameter count (parameters or their tangent): not NULL, np matching, finite.
void require_parameter_input(const rwd_nn& nn, const double* values, int64_t np, const char* name) {
    require(values != nullptr, RWD_ERR_ARGUMENT, name, " is NULL");
    const int64_t count = nn.network.parameter_count();
    require(np == count, RWD_ERR_ARGUMENT, "np = ", np, " but the network has ", count, " parameters");
    for (int64_t i = 0; i < count; ++i)
        if (!std::isfinite(values[i])) fail(RWD_ERR_NONFINITE, name, "[", i, "] is ", values[i]);
}

void require_batch_size(int64_t batch) {
    require(batch >= 1 && batch <= max_dimension, RWD_ERR_ARGUMENT, "batch = ", batch, " must be between 1 and ",
            max_dimension);
}

// The checks forward, vjp and jvp share.
rwd_nn& checked_call(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np) {
    auto& net = deref(nn, "nn");
    require(std::isfinite(t), RWD_ERR_NONFINITE, "t is ", t);
    require_batch_size(batch);
    require_batch_input(x, batch, net.network.inputs(), "x");
    require_parameter_input(net, p, np, "p");
    return net;
}

}  // namespace

network_evaluator& evaluator_for(rwd_nn& nn, int64_t batch) {
    require_batch_size(batch);
    return nn.evaluators.try_emplace(batch, nn.network, batch).first->second;
}

}  // namespace rwd

extern "C" {

rwd_status rwd_nn_create(rwd_context* ctx, int64_t layers, const int64_t* sizes, const char* const* activations,
                         int32_t time_input, rwd_nn** out) {
    return rwd::guarded(ctx, [&] {
        rwd::deref(ctx, "ctx");
        rwd::deref(out, "out") = nullptr;
        rwd::require(layers >= 1, RWD_ERR_ARGUMENT, "layers = ", layers, " must be at least 1");
        rwd::require(sizes != nullptr, RWD_ERR_ARGUMENT, "sizes is NULL");
        rwd::require(activations != nullptr, RWD_ERR_ARGUMENT, "activations is NULL");
        std::vector<int64_t> layer_sizes(sizes, sizes + layers + 1);
        double parameters = 0.0;  // in floating point: the exact count could overflow before it is rejected
        for (int64_t k = 0; k <= layers; ++k) {
            rwd::require(layer_sizes[k] >= 1 && layer_sizes[k] <= rwd::max_dimension, RWD_ERR_ARGUMENT, "sizes[", k,
                         "] = ", layer_sizes[k], " must be between 1 and ", rwd::max_dimension);
            if (k > 0) parameters += static_cast<double>(layer_sizes[k - 1] + 2) * static_cast<double>(layer_sizes[k]);
        }
        rwd::require(parameters < 0x1p62, RWD_ERR_ARGUMENT, "a network of these sizes has about ", parameters,
                     " parameters, more than 2^62");
        std::vector<rwd::activation> layer_activations;
        for (int64_t k = 0; k < layers; ++k) {
            const std::string what = "activations[" + std::to_string(k) + "]";
            layer_activations.push_back(rwd::activation_named(rwd::text(activations[k], what.c_str()), what));
        }
        *out = new rwd_nn{ctx, rwd::network(layer_sizes, layer_activations, time_input != 0), {}};
    });
}

void rwd_nn_destroy(rwd_nn* nn) { delete nn; }

rwd_status rwd_nn_parameter_count(const rwd_nn* nn, int64_t* count) {
    return rwd::guarded(rwd::ctx_of(nn), [&] {
        const auto& net = rwd::deref(nn, "nn");
        rwd::deref(count, "count") = net.network.parameter_count();
    });
}

rwd_status rwd_nn_set_gemm(rwd_nn* nn, const char* kernel) {
    return rwd::guarded(rwd::ctx_of(nn), [&] {
        auto& net = rwd::deref(nn, "nn");
        const std::string name = rwd::text(kernel, "kernel");
        if (name == "auto") {
            net.network.set_kernel(rwd::default_gemm_kernel());
        } else if (name == "builtin") {
            net.network.set_kernel(rwd::gemm_kernel::built_in);
        } else if (name == "blas") {
            rwd::require(rwd::blas_available(), RWD_ERR_UNSUPPORTED,
                         "gemm kernel \"blas\": librewind was built without BLAS (\"builtin\" is always available)");
            net.network.set_kernel(rwd::gemm_kernel::blas);
        } else {
            rwd::fail(RWD_ERR_UNKNOWN_NAME, "gemm kernel \"", name, "\" is not known; known: auto, blas, builtin");
        }
    });
}

rwd_status rwd_nn_forward(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
                          double* y) {
    return rwd::guarded(rwd::ctx_of(nn), [&] {
        auto& net = rwd::checked_call(nn, t, x, batch, p, np);
        rwd::deref(y, "y");
        rwd::evaluator_for(net, batch).forward(t, x, p, y);
    });
}

rwd_status rwd_nn_vjp(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
                      const double* w, double* w_dx, double* w_dp) {
    return rwd::guarded(rwd::ctx_of(nn), [&] {
        auto& net = rwd::checked_call(nn, t, x, batch, p, np);
        rwd::require_batch_input(w, batch, net.network.outputs(), "w");
        rwd::deref(w_dx, "w_dx");
        rwd::deref(w_dp, "w_dp");
        rwd::evaluator_for(net, batch).vjp(t, x, p, w, w_dx, w_dp);
    });
}

rwd_status rwd_nn_jvp(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
                      const double* v_x, const double* v_p, double* jv) {
    return rwd::guarded(rwd::ctx_of(nn), [&] {
        auto& net = rwd::checked_call(nn, t, x, batch, p, np);
        rwd::require_batch_input(v_x, batch, net.network.inputs(), "v_x");
        rwd::require_parameter_input(net, v_p, np, "v_p");
        rwd::deref(jv, "jv");
        rwd::evaluator_for(net, batch).jvp(t, x, p, v_x, v_p, jv);
    });
}

}
