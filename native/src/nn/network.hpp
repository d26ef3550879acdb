// A multilayer network of dense layers, x -> y, batched (one row per sample), with its exact vector–Jacobian and
// Jacobian–vector products. Every layer is one GEMM per pass: forward Z = A W^T + b, backward dA = dZ W,
// dW = dZ^T A, db = column sums of dZ.
#pragma once

#include <cstdint>
#include <vector>

#include "nn/activation.hpp"
#include "nn/gemm.hpp"

namespace rwd {

// z = W x (+ t w_time) + b, then the activation. W has `outputs` rows of `row_length` entries: `inputs` weights,
// then the weight of the time column when the layer takes t.
struct dense_layer {
    int64_t inputs;
    int64_t outputs;
    int64_t row_length;
    int64_t weights;  // offset of W in the parameter vector
    int64_t biases;   // offset of b, right after W
    activation f;
    bool time_input() const { return row_length > inputs; }
};

class network {
public:
    // sizes has layers + 1 entries (all >= 1), activations one per layer; the caller has checked both.
    network(const std::vector<int64_t>& sizes, const std::vector<activation>& activations, bool time_input);

    const std::vector<dense_layer>& layers() const { return layers_; }
    int64_t inputs() const { return layers_.front().inputs; }
    int64_t outputs() const { return layers_.back().outputs; }
    int64_t parameter_count() const { return parameter_count_; }
    int64_t widest() const { return widest_; }  // the largest size, input included
    gemm_kernel kernel() const { return kernel_; }
    void set_kernel(gemm_kernel kernel) { kernel_ = kernel; }

private:
    std::vector<dense_layer> layers_;
    int64_t parameter_count_ = 0;
    int64_t widest_ = 0;
    gemm_kernel kernel_ = default_gemm_kernel();
};

// Evaluates a network on batches of one size. It owns what the forward pass keeps for the backward one (every
// layer's pre-activations and activations), tangent and cotangent buffers and the GEMM workspace, all sized once,
// so calls allocate nothing. Arrays are row-major with one row per sample: x and v_x are batch x inputs, y, w and
// jv batch x outputs; p and v_p have parameter_count entries.
class network_evaluator {
public:
    network_evaluator(const network& net, int64_t batch);

    const network& net() const { return net_; }
    int64_t batch() const { return batch_; }
    // y = net(t, x; p)
    void forward(double t, const double* x, const double* p, double* y);
    // w_dx = w^T dnet/dx per sample, w_dp = the sum over the batch of w^T dnet/dp (both overwritten).
    void vjp(double t, const double* x, const double* p, const double* w, double* w_dx, double* w_dp);
    // jv = dnet/dx v_x + dnet/dp v_p
    void jvp(double t, const double* x, const double* p, const double* v_x, const double* v_p, double* jv);

private:
    // Fills pre_activation_ and activation_ for every layer.
    void run_forward(double t, const double* x, const double* p);
    // Each row of z (batch x layer.outputs) = b + t w_time from the parameters (or parameter tangents) q.
    void fill_rows_with_bias(const dense_layer& layer, double t, const double* q, double* z) const;
    // The layer's input: x for the first layer, else the previous layer's activations.
    const double* layer_input(size_t layer, const double* x) const;
    void multiply(int64_t m, int64_t n, int64_t k, const gemm_operand& a, const gemm_operand& b, double beta,
                  double* c, int64_t ldc);

    const network& net_;
    int64_t batch_;
    std::vector<std::vector<double>> pre_activation_;  // per layer, batch x outputs
    std::vector<std::vector<double>> activation_;      // per layer, batch x outputs
    std::vector<double> buffer_[2];                    // batch x widest each: tangents and cotangents, ping-ponged
    gemm_workspace workspace_;
};

}  // namespace rwd
