// Dense LU factorization with partial pivoting, P A = L U, of a row-major n×n matrix, and solves with A and A^T.
// Two kernels behind the same functions: LAPACK's dgetrf/dgetrs when librewind is built with LAPACK, and a
// built-in one that is always compiled, so that every build can run it and tests can compare the two.
#pragma once

#include <cstdint>
#include <vector>

namespace rwd {

enum class lu_kernel { built_in, lapack };

// LAPACK when librewind was built with it, else the built-in kernel.
lu_kernel default_lu_kernel();

struct lu_factors {
    int64_t n = 0;
    std::vector<double> a;    // n * n, row-major: the matrix before lu_factor, its L and U factors after
    std::vector<int> pivots;  // row interchanges, in the kernel's own convention
    lu_kernel kernel = lu_kernel::built_in;  // the kernel that factored `a`; lu_solve uses the same
};

// Factors lu.a in place. Returns false when the matrix has a non-finite entry or the elimination meets an exactly
// zero (or overflowed) pivot. RWD_ERR_UNSUPPORTED for lu_kernel::lapack in a build without LAPACK.
bool lu_factor(lu_factors& lu, lu_kernel kernel = default_lu_kernel());

// x = A^-1 x, or A^-T x when `transpose`, with the factors of a successful lu_factor; x has n entries.
void lu_solve(const lu_factors& lu, double* x, bool transpose);

}  // namespace rwd
