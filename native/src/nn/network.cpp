#include "nn/network.hpp"

#include <algorithm>

namespace rwd {

network::network(const std::vector<int64_t>& sizes, const std::vector<activation>& activations, bool time_input) {
    for (size_t k = 0; k < activations.size(); ++k) {
        dense_layer layer{};
        layer.inputs = sizes[k];
        layer.outputs = sizes[k + 1];
        layer.row_length = sizes[k] + (k == 0 && time_input ? 1 : 0);
        layer.weights = parameter_count_;
        layer.biases = layer.weights + layer.outputs * layer.row_length;
        layer.f = activations[k];
        parameter_count_ = layer.biases + layer.outputs;
        layers_.push_back(layer);
    }
    widest_ = *std::max_element(sizes.begin(), sizes.end());
}

network_evaluator::network_evaluator(const network& net, int64_t batch) : net_(net), batch_(batch) {
    for (const auto& layer : net.layers()) {
        pre_activation_.emplace_back(static_cast<size_t>(batch * layer.outputs));
        activation_.emplace_back(static_cast<size_t>(batch * layer.outputs));
    }
    for (auto& buffer : buffer_) buffer.resize(static_cast<size_t>(batch * net.widest()));
}

void network_evaluator::multiply(int64_t m, int64_t n, int64_t k, const gemm_operand& a, const gemm_operand& b,
                                 double beta, double* c, int64_t ldc) {
    gemm(net_.kernel(), workspace_, m, n, k, 1.0, a, b, beta, c, ldc);
}

const double* network_evaluator::layer_input(size_t layer, const double* x) const {
    return layer == 0 ? x : activation_[layer - 1].data();
}

void network_evaluator::fill_rows_with_bias(const dense_layer& layer, double t, const double* q, double* z) const {
    const double* bias = q + layer.biases;
    const double* time_weight = q + layer.weights + layer.inputs;  // column `inputs` of W, when the layer takes t
    for (int64_t j = 0; j < layer.outputs; ++j)
        z[j] = layer.time_input() ? bias[j] + t * time_weight[j * layer.row_length] : bias[j];
    for (int64_t row = 1; row < batch_; ++row) std::copy(z, z + layer.outputs, z + row * layer.outputs);
}

void network_evaluator::run_forward(double t, const double* x, const double* p) {
    const auto& layers = net_.layers();
    for (size_t k = 0; k < layers.size(); ++k) {
        const dense_layer& layer = layers[k];
        double* z = pre_activation_[k].data();
        fill_rows_with_bias(layer, t, p, z);
        multiply(batch_, layer.outputs, layer.inputs, {layer_input(k, x), layer.inputs, false},
                 {p + layer.weights, layer.row_length, true}, 1.0, z, layer.outputs);
        activate(layer.f, z, activation_[k].data(), batch_ * layer.outputs);
    }
}

void network_evaluator::forward(double t, const double* x, const double* p, double* y) {
    run_forward(t, x, p);
    std::copy(activation_.back().begin(), activation_.back().end(), y);
}

void network_evaluator::vjp(double t, const double* x, const double* p, const double* w, double* w_dx,
                            double* w_dp) {
    run_forward(t, x, p);
    const auto& layers = net_.layers();
    const double* cotangent = w;  // w^T d net / d(this layer's activations)
    size_t free_buffer = 0;
    for (size_t k = layers.size(); k-- > 0;) {
        const dense_layer& layer = layers[k];
        // dz may overwrite the cotangent: it is the previous layer's dx, which is used only here.
        double* dz = buffer_[free_buffer].data();
        multiply_by_slope(layer.f, pre_activation_[k].data(), activation_[k].data(), cotangent, dz,
                          batch_ * layer.outputs);
        // dW = dz^T (layer input), summed over the batch by the product itself.
        multiply(layer.outputs, layer.inputs, batch_, {dz, layer.outputs, true},
                 {layer_input(k, x), layer.inputs, false}, 0.0, w_dp + layer.weights, layer.row_length);
        double* bias_gradient = w_dp + layer.biases;
        std::copy(dz, dz + layer.outputs, bias_gradient);
        for (int64_t row = 1; row < batch_; ++row) {
            const double* dz_row = dz + row * layer.outputs;
            for (int64_t j = 0; j < layer.outputs; ++j) bias_gradient[j] += dz_row[j];
        }
        if (layer.time_input())
            for (int64_t j = 0; j < layer.outputs; ++j)
                w_dp[layer.weights + j * layer.row_length + layer.inputs] = t * bias_gradient[j];
        double* dx = k == 0 ? w_dx : buffer_[1 - free_buffer].data();
        multiply(batch_, layer.inputs, layer.outputs, {dz, layer.outputs, false},
                 {p + layer.weights, layer.row_length, false}, 0.0, dx, layer.inputs);
        cotangent = dx;
        free_buffer = 1 - free_buffer;
    }
}

void network_evaluator::jvp(double t, const double* x, const double* p, const double* v_x, const double* v_p,
                            double* jv) {
    run_forward(t, x, p);
    // Jacobians built column by column have no parameter tangent: skipping its products changes no bit.
    const bool parameter_tangent =
        std::any_of(v_p, v_p + net_.parameter_count(), [](double v) { return v != 0.0; });
    const auto& layers = net_.layers();
    const double* tangent = v_x;  // tangent of this layer's input
    for (size_t k = 0; k < layers.size(); ++k) {
        const dense_layer& layer = layers[k];
        double* dz = k + 1 == layers.size() ? jv : buffer_[k % 2].data();
        double beta = 0.0;
        if (parameter_tangent) {
            // d(A W^T + b + t w_time) along the parameters: A dW^T + db + t dw_time
            fill_rows_with_bias(layer, t, v_p, dz);
            multiply(batch_, layer.outputs, layer.inputs, {layer_input(k, x), layer.inputs, false},
                     {v_p + layer.weights, layer.row_length, true}, 1.0, dz, layer.outputs);
            beta = 1.0;
        }
        multiply(batch_, layer.outputs, layer.inputs, {tangent, layer.inputs, false},
                 {p + layer.weights, layer.row_length, true}, beta, dz, layer.outputs);
        multiply_by_slope(layer.f, pre_activation_[k].data(), activation_[k].data(), dz, dz, batch_ * layer.outputs);
        tangent = dz;
    }
}

}  // namespace rwd
