// C = alpha op(A) op(B) + beta C for row-major doubles. Two kernels behind one function: dgemm from BLAS when
// librewind is built with it, and a cache-blocked built-in one that is always compiled, so that every build can
// run it and tests can compare the two.
#pragma once

#include <cstdint>
#include <vector>

namespace rwd {

enum class gemm_kernel { built_in, blas };

// BLAS when librewind was built with it, else the built-in kernel.
bool blas_available();  // librewind was built with a BLAS
gemm_kernel default_gemm_kernel();  // what "auto" chooses

// Scratch memory of the built-in kernel (its packed blocks of A and B). It grows on first use to what the shapes
// need, so a caller that keeps one across calls of the same shapes allocates nothing in steady state.
struct gemm_workspace {
    std::vector<double> packed_a;
    std::vector<double> packed_b;
};

// A row-major matrix as stored, with its row stride, used as op(X) = X or X^T.
struct gemm_operand {
    const double* data;
    int64_t stride;
    bool transposed;
};

// C = alpha op(A) op(B) + beta C with op(A) m x k, op(B) k x n and C m x n (row stride ldc); m, n, k >= 1.
// With beta = 0, C is only written (NaN in it does not propagate). RWD_ERR_UNSUPPORTED for gemm_kernel::blas in a
// build without BLAS.
void gemm(gemm_kernel kernel, gemm_workspace& workspace, int64_t m, int64_t n, int64_t k, double alpha,
          const gemm_operand& a, const gemm_operand& b, double beta, double* c, int64_t ldc);

}  // namespace rwd
