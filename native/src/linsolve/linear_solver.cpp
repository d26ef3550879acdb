#include "linsolve/linear_solver.hpp"

#include "core/error.hpp"

namespace rwd {

namespace {
// Above this size a dense LU (n^2 memory, n^3 work per factorization) costs more than matrix-free products.
constexpr int64_t largest_auto_dense = 256;
}  // namespace

std::unique_ptr<linear_solver> make_linear_solver(const std::string& name, int64_t n, const implicit_options& options) {
    const bool dense = name == "dense" || (name == "auto" && n <= largest_auto_dense);
    if (dense) return make_dense_solver();
    if (name == "gmres" || name == "auto") return make_gmres_solver(options.linear_tolerance, options.gmres_restart);
    fail(RWD_ERR_UNKNOWN_NAME, "unknown linear solver '", name, "'; available: auto, dense, gmres");
}

}  // namespace rwd
