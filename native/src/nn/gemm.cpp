#include "nn/gemm.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>

#include "core/error.hpp"
#include "nn/vector_clones.hpp"

#ifdef REWIND_HAVE_BLAS
// Fortran BLAS with 32-bit integers. The trailing lengths of the character arguments are the hidden ones gfortran
// passes; BLASes that do not read them ignore the extra arguments.
extern "C" {
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* b, const int* ldb, const double* beta, double* c,
            const int* ldc, std::size_t transa_length, std::size_t transb_length);
}
#endif

namespace rwd {
namespace {

// GotoBLAS blocking: the micro-kernel keeps a tile_rows x tile_cols block of C in registers while it streams a
// packed sliver of A (tile_rows x depth) and one of B (depth x tile_cols) from L1; a block_rows x depth block of
// packed A stays in L2 and a depth x panel_cols panel of packed B is reused by every block of A.
constexpr int64_t tile_rows = 4;
constexpr int64_t tile_cols = 8;
constexpr int64_t block_rows = 96;
constexpr int64_t depth = 256;
constexpr int64_t panel_cols = 2048;

int64_t round_up(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }

// op(X)(row, col)
double entry(const gemm_operand& x, int64_t row, int64_t col) {
    return x.transposed ? x.data[col * x.stride + row] : x.data[row * x.stride + col];
}

// Rows [row0, row0 + rows) x columns [col0, col0 + cols) of op(A) as slivers of tile_rows rows, each stored column
// by column (tile_rows consecutive entries per column), the last one padded with zeros.
void pack_a(const gemm_operand& a, int64_t row0, int64_t col0, int64_t rows, int64_t cols, double* packed) {
    for (int64_t sliver = 0; sliver < rows; sliver += tile_rows, packed += tile_rows * cols) {
        const int64_t filled = std::min(tile_rows, rows - sliver);
        for (int64_t p = 0; p < cols; ++p) {
            double* column = packed + p * tile_rows;
            for (int64_t i = 0; i < filled; ++i) column[i] = entry(a, row0 + sliver + i, col0 + p);
            std::fill(column + filled, column + tile_rows, 0.0);
        }
    }
}

// Rows [row0, row0 + rows) x columns [col0, col0 + cols) of op(B) as slivers of tile_cols columns, each stored row
// by row (tile_cols consecutive entries per row), the last one padded with zeros.
void pack_b(const gemm_operand& b, int64_t row0, int64_t col0, int64_t rows, int64_t cols, double* packed) {
    for (int64_t sliver = 0; sliver < cols; sliver += tile_cols, packed += tile_cols * rows) {
        const int64_t filled = std::min(tile_cols, cols - sliver);
        for (int64_t p = 0; p < rows; ++p) {
            double* row = packed + p * tile_cols;
            for (int64_t j = 0; j < filled; ++j) row[j] = entry(b, row0 + p, col0 + sliver + j);
            std::fill(row + filled, row + tile_cols, 0.0);
        }
    }
}

// tile = (sliver of A) (sliver of B) over `count` products per entry: vectorized across the columns of the tile.
REWIND_VECTOR_CLONES
void multiply_slivers(int64_t count, const double* __restrict a, const double* __restrict b,
                      double* __restrict tile) {
    double sum[tile_rows][tile_cols] = {};
    for (int64_t p = 0; p < count; ++p)
        for (int64_t i = 0; i < tile_rows; ++i)
            for (int64_t j = 0; j < tile_cols; ++j) sum[i][j] += a[p * tile_rows + i] * b[p * tile_cols + j];
    for (int64_t i = 0; i < tile_rows; ++i)
        for (int64_t j = 0; j < tile_cols; ++j) tile[i * tile_cols + j] = sum[i][j];
}

void gemm_built_in(gemm_workspace& workspace, int64_t m, int64_t n, int64_t k, double alpha, const gemm_operand& a,
                   const gemm_operand& b, double beta, double* c, int64_t ldc) {
    const auto a_block = static_cast<size_t>(std::min(round_up(m, tile_rows), block_rows) * std::min(k, depth));
    const auto b_panel = static_cast<size_t>(std::min(round_up(n, tile_cols), panel_cols) * std::min(k, depth));
    if (workspace.packed_a.size() < a_block) workspace.packed_a.resize(a_block);
    if (workspace.packed_b.size() < b_panel) workspace.packed_b.resize(b_panel);
    double* packed_a = workspace.packed_a.data();
    double* packed_b = workspace.packed_b.data();
    double tile[tile_rows * tile_cols];
    for (int64_t col0 = 0; col0 < n; col0 += panel_cols) {
        const int64_t cols = std::min(panel_cols, n - col0);
        for (int64_t p0 = 0; p0 < k; p0 += depth) {
            const int64_t count = std::min(depth, k - p0);
            // The first block of products scales C by beta; the later ones add to it.
            const double scale_c = p0 == 0 ? beta : 1.0;
            pack_b(b, p0, col0, count, cols, packed_b);
            for (int64_t row0 = 0; row0 < m; row0 += block_rows) {
                const int64_t rows = std::min(block_rows, m - row0);
                pack_a(a, row0, p0, rows, count, packed_a);
                for (int64_t j0 = 0; j0 < cols; j0 += tile_cols) {
                    const int64_t tile_width = std::min(tile_cols, cols - j0);
                    for (int64_t i0 = 0; i0 < rows; i0 += tile_rows) {
                        multiply_slivers(count, packed_a + i0 * count, packed_b + j0 * count, tile);
                        const int64_t tile_height = std::min(tile_rows, rows - i0);
                        for (int64_t i = 0; i < tile_height; ++i) {
                            double* c_row = c + (row0 + i0 + i) * ldc + col0 + j0;
                            const double* product = tile + i * tile_cols;
                            if (scale_c == 0.0)
                                for (int64_t j = 0; j < tile_width; ++j) c_row[j] = alpha * product[j];
                            else
                                for (int64_t j = 0; j < tile_width; ++j)
                                    c_row[j] = scale_c * c_row[j] + alpha * product[j];
                        }
                    }
                }
            }
        }
    }
}

#ifdef REWIND_HAVE_BLAS
int blas_size(int64_t value) {
    require(value <= std::numeric_limits<int>::max(), RWD_ERR_ARGUMENT, "a matrix dimension or stride of ", value,
            " is too large for BLAS (32-bit sizes)");
    return static_cast<int>(value);
}

// BLAS reads the row-major C as the column-major C^T = op(B)^T op(A)^T, and a row-major X as the column-major X^T:
// so it multiplies B by A (swapped), each with its own transpose flag unchanged.
void gemm_blas(int64_t m, int64_t n, int64_t k, double alpha, const gemm_operand& a, const gemm_operand& b,
               double beta, double* c, int64_t ldc) {
    const int rows = blas_size(n), cols = blas_size(m), inner = blas_size(k);
    const int lda = blas_size(a.stride), ldb = blas_size(b.stride), ldc_blas = blas_size(ldc);
    const char trans_b = b.transposed ? 'T' : 'N', trans_a = a.transposed ? 'T' : 'N';
    dgemm_(&trans_b, &trans_a, &rows, &cols, &inner, &alpha, b.data, &ldb, a.data, &lda, &beta, c, &ldc_blas, 1, 1);
}
#endif

}  // namespace

bool blas_available() {
#ifdef REWIND_HAVE_BLAS
    return true;
#else
    return false;
#endif
}

// The reference BLAS many distributions install is 4-13x slower than the built-in kernel on these shapes, so BLAS is
// the default only when CMake found an optimised one (OpenBLAS, MKL, BLIS, Accelerate).
gemm_kernel default_gemm_kernel() {
#ifdef REWIND_HAVE_OPTIMIZED_BLAS
    return gemm_kernel::blas;
#else
    return gemm_kernel::built_in;
#endif
}

void gemm(gemm_kernel kernel, gemm_workspace& workspace, int64_t m, int64_t n, int64_t k, double alpha,
          const gemm_operand& a, const gemm_operand& b, double beta, double* c, int64_t ldc) {
    if (kernel == gemm_kernel::blas) {
#ifdef REWIND_HAVE_BLAS
        gemm_blas(m, n, k, alpha, a, b, beta, c, ldc);
#else
        fail(RWD_ERR_UNSUPPORTED, "librewind was built without BLAS");
#endif
    } else {
        gemm_built_in(workspace, m, n, k, alpha, a, b, beta, c, ldc);
    }
}

}  // namespace rwd
