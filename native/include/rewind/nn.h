/* rewind/nn.h — batched dense networks with exact forward, vector–Jacobian and Jacobian–vector products, and a
   network as a native vector field (the time stepper calls it without leaving native code). */
#ifndef REWIND_NN_H
#define REWIND_NN_H

#include "rewind/field.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rwd_nn rwd_nn;

/* A multilayer network x -> y of `layers` dense layers, layer k mapping sizes[k] inputs to sizes[k + 1] outputs,
   each followed by activations[k], one of "identity", "tanh", "relu", "softplus", "gelu", "sigmoid", "silu"
   (unknown names: RWD_ERR_UNKNOWN_NAME). With time_input != 0 the time t is appended to the first layer's input,
   which then has sizes[0] + 1 columns. layers >= 1, every size >= 1.
   Parameters are one contiguous vector: for each layer in order, its weights W_k (sizes[k + 1] rows, one per
   output, of sizes[k] (+ 1 for the time column of layer 0) entries, row-major), then its biases b_k
   (sizes[k + 1]). Inputs and outputs are batched row-major: x is batch x sizes[0], y is batch x sizes[layers]. */
RWD_EXPORT rwd_status rwd_nn_create(rwd_context* ctx, int64_t layers, const int64_t* sizes,
                                    const char* const* activations, int32_t time_input, rwd_nn** out);
RWD_EXPORT void rwd_nn_destroy(rwd_nn* nn); /* NULL is a no-op; fields made from it must be destroyed first */
/* A network keeps work buffers for every batch size it has been called with (until it is destroyed), so calls
   allocate nothing in steady state; one network (and its fields) must not be used from two threads at once. */

RWD_EXPORT rwd_status rwd_nn_parameter_count(const rwd_nn* nn, int64_t* count);

/* GEMM kernel: "auto" (the default: BLAS when librewind was built with an optimised one — OpenBLAS, MKL, BLIS,
   Accelerate — else built-in, which beats a reference BLAS), "blas" (any BLAS librewind was built with;
   RWD_ERR_UNSUPPORTED without one) or "builtin" (cache-blocked, always available). */
RWD_EXPORT rwd_status rwd_nn_set_gemm(rwd_nn* nn, const char* kernel);

/* y = net(t, x; p) for a batch of inputs (np = parameter count). */
RWD_EXPORT rwd_status rwd_nn_forward(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
                                     double* y);
/* w_dx = w^T d net/dx (batch x sizes[0]), w_dp = sum over the batch of w^T d net/dp (np); w is batch x output. */
RWD_EXPORT rwd_status rwd_nn_vjp(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
                                 const double* w, double* w_dx, double* w_dp);
/* jv = d net/dx v_x + d net/dp v_p (batch x output); v_x is batch x sizes[0], v_p (np) is shared by the batch. */
RWD_EXPORT rwd_status rwd_nn_jvp(rwd_nn* nn, double t, const double* x, int64_t batch, const double* p, int64_t np,
                                 const double* v_x, const double* v_p, double* jv);

/* The network as the vector field dy/dt = net(t, y; p) on a state of `batch` rows (n = batch * sizes[0], which must
   equal batch * sizes[layers]), with f, vjp and jvp evaluated natively and the field's np = parameter count.
   The network must outlive the field. */
RWD_EXPORT rwd_status rwd_nn_field_create(rwd_nn* nn, int64_t batch, rwd_field** out);

#ifdef __cplusplus
}
#endif

#endif
