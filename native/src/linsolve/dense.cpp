// "dense": the iteration matrix M = I - shift J as a dense matrix with its LU factors (LAPACK when found, else the
// built-in kernel below; both are in this file behind dense_lu.hpp).
//
// Newton's Jacobian comes from the field's Jacobian callback, else from n jvp products (columns), else from forward
// differences of f. The exact solves of the reverse and tangent-linear passes build J at the stage values from the
// callback, else from vjp rows (transposed solves, and forward ones without jvp) or jvp columns, and factor it in
// their own matrix so that Newton's factors stay valid.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

#include "core/error.hpp"
#include "linsolve/dense_lu.hpp"
#include "linsolve/linear_solver.hpp"

#ifdef REWIND_HAVE_LAPACK
// Fortran LAPACK with 32-bit integers. The trailing length of the character argument is the hidden one gfortran
// passes; LAPACKs that do not read it ignore the extra argument.
extern "C" {
void dgetrf_(const int* m, const int* n, double* a, const int* lda, int* ipiv, int* info);
void dgetrs_(const char* trans, const int* n, const int* nrhs, const double* a, const int* lda, const int* ipiv,
             double* b, const int* ldb, int* info, std::size_t trans_length);
}
#endif

namespace rwd {
namespace {

// Row-major Doolittle elimination with partial pivoting (the first largest entry of the column, as LAPACK's
// idamax): row k is swapped with row pivots[k] before step k.
void factor_built_in(lu_factors& lu) {
    const int64_t n = lu.n;
    double* a = lu.a.data();
    for (int64_t k = 0; k < n; ++k) {
        int64_t pivot = k;
        for (int64_t i = k + 1; i < n; ++i)
            if (std::fabs(a[i * n + k]) > std::fabs(a[pivot * n + k])) pivot = i;
        lu.pivots[static_cast<size_t>(k)] = static_cast<int>(pivot);
        if (a[pivot * n + k] == 0.0) return;  // singular: lu_factor finds the zero on the diagonal
        if (pivot != k) std::swap_ranges(a + k * n, a + (k + 1) * n, a + pivot * n);
        const double* pivot_row = a + k * n;
        for (int64_t i = k + 1; i < n; ++i) {
            double* row = a + i * n;
            const double multiplier = row[k] / pivot_row[k];
            row[k] = multiplier;
            if (multiplier == 0.0) continue;
            for (int64_t j = k + 1; j < n; ++j) row[j] -= multiplier * pivot_row[j];
        }
    }
}

// P A = L U, so A x = b is L U x = P b, and A^T x = b is U^T L^T (P x) = b.
void solve_built_in(const lu_factors& lu, double* x, bool transpose) {
    const int64_t n = lu.n;
    const double* a = lu.a.data();
    if (!transpose) {
        for (int64_t k = 0; k < n; ++k) std::swap(x[k], x[lu.pivots[static_cast<size_t>(k)]]);
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < i; ++j) x[i] -= a[i * n + j] * x[j];
        for (int64_t i = n - 1; i >= 0; --i) {
            for (int64_t j = i + 1; j < n; ++j) x[i] -= a[i * n + j] * x[j];
            x[i] /= a[i * n + i];
        }
        return;
    }
    // Column-oriented, so that the transposed factors are read along their rows.
    for (int64_t j = 0; j < n; ++j) {
        x[j] /= a[j * n + j];
        for (int64_t i = j + 1; i < n; ++i) x[i] -= a[j * n + i] * x[j];
    }
    for (int64_t j = n - 1; j >= 0; --j)
        for (int64_t i = 0; i < j; ++i) x[i] -= a[j * n + i] * x[j];
    for (int64_t k = n - 1; k >= 0; --k) std::swap(x[k], x[lu.pivots[static_cast<size_t>(k)]]);
}

#ifdef REWIND_HAVE_LAPACK
// LAPACK reads the row-major A as the column-major A^T: it factors A^T, and the 'N'/'T' flags of the solve swap.
void factor_lapack(lu_factors& lu) {
    const int n = static_cast<int>(lu.n);
    int info = 0;
    dgetrf_(&n, &n, lu.a.data(), &n, lu.pivots.data(), &info);
    require(info >= 0, RWD_ERR_INTERNAL, "dgetrf rejected argument ", -info);  // info > 0: a zero pivot
}

void solve_lapack(const lu_factors& lu, double* x, bool transpose) {
    const int n = static_cast<int>(lu.n);
    const int one = 1;
    const char trans = transpose ? 'N' : 'T';
    int info = 0;
    dgetrs_(&trans, &n, &one, lu.a.data(), &n, lu.pivots.data(), x, &n, &info, 1);
    require(info == 0, RWD_ERR_INTERNAL, "dgetrs rejected argument ", -info);
}
#endif

}  // namespace

lu_kernel default_lu_kernel() {
#ifdef REWIND_HAVE_LAPACK
    return lu_kernel::lapack;
#else
    return lu_kernel::built_in;
#endif
}

bool lu_factor(lu_factors& lu, lu_kernel kernel) {
    require(lu.n >= 0 && lu.a.size() == static_cast<size_t>(lu.n * lu.n), RWD_ERR_INTERNAL, "an LU of order ", lu.n,
            " was given ", lu.a.size(), " entries");
    lu.pivots.resize(static_cast<size_t>(lu.n));
    lu.kernel = kernel;
    if (kernel == lu_kernel::lapack) {
#ifdef REWIND_HAVE_LAPACK
        require(lu.n <= std::numeric_limits<int>::max(), RWD_ERR_ARGUMENT, "a dense matrix of order ", lu.n,
                " is too large for LAPACK");
        factor_lapack(lu);
#else
        fail(RWD_ERR_UNSUPPORTED, "librewind was built without LAPACK");
#endif
    } else {
        factor_built_in(lu);
    }
    // Non-finite entries of the matrix stay non-finite in its factors (elimination only moves, scales and adds
    // them), and so does overflow during elimination: one pass over the factors catches both.
    for (const double entry : lu.a)
        if (!std::isfinite(entry)) return false;
    for (int64_t k = 0; k < lu.n; ++k)
        if (lu.a[static_cast<size_t>(k * lu.n + k)] == 0.0) return false;
    return true;
}

void lu_solve(const lu_factors& lu, double* x, bool transpose) {
#ifdef REWIND_HAVE_LAPACK
    if (lu.kernel == lu_kernel::lapack) return solve_lapack(lu, x, transpose);
#endif
    solve_built_in(lu, x, transpose);
}

namespace {

// a = I - shift a, in place: the iteration matrix from the Jacobian.
void to_iteration_matrix(std::vector<double>& a, int64_t n, double shift) {
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j) {
            double& entry = a[static_cast<size_t>(i * n + j)];
            entry = (i == j ? 1.0 : 0.0) - shift * entry;
        }
}

enum class jacobian_source { callback, jvp_columns, vjp_rows, finite_differences };

class dense_solver final : public linear_solver {
public:
    void setup(const rwd_vec& like, const rwd_vec& p) override {
        n_ = like.n;
        const auto entries = static_cast<size_t>(n_ * n_);
        jacobian_.assign(entries, 0.0);
        newton_ = lu_factors{n_, std::vector<double>(entries), {}, lu_kernel::built_in};
        exact_ = newton_;
        newton_factored_ = false;
        probe_ = make_like(like);
        product_ = make_like(like);
        zero_p_ = make_like(p);
        scratch_p_ = make_like(p);
        probe_host_.assign(static_cast<size_t>(n_), 0.0);
        product_host_.assign(static_cast<size_t>(n_), 0.0);
        f_y_host_.assign(static_cast<size_t>(n_), 0.0);
        solution_host_.assign(static_cast<size_t>(n_), 0.0);
    }

    void set_jacobian_point(step_env& env, double t, const rwd_vec& y, const rwd_vec& f_y) override {
        const rwd_field& field = *env.field;
        const jacobian_source source = field.jacobian != nullptr ? jacobian_source::callback
                                       : field.jvp != nullptr    ? jacobian_source::jvp_columns
                                                                 : jacobian_source::finite_differences;
        build_jacobian(env, source, t, y, &f_y, jacobian_.data(), {env.step, -1});
    }

    bool set_shift(step_env& env, double shift) override {
        newton_.a = jacobian_;
        to_iteration_matrix(newton_.a, n_, shift);
        ++env.stats->factorizations;
        newton_factored_ = lu_factor(newton_);
        return newton_factored_;
    }

    bool solve(step_env&, double, const rwd_vec&, const rwd_vec&, const rwd_vec& b, rwd_vec& x) override {
        require(newton_factored_, RWD_ERR_INTERNAL,
                "the dense solver was asked to solve before a successful set_shift");
        solve_with(newton_, b, x, false);
        return true;
    }

    void solve_at(step_env& env, double t, const rwd_vec& y, double shift, const rwd_vec& b, rwd_vec& x,
                  bool transpose, int stage) override {
        const rwd_field& field = *env.field;
        const jacobian_source source = field.jacobian != nullptr                ? jacobian_source::callback
                                       : transpose || field.jvp == nullptr ? jacobian_source::vjp_rows
                                                                            : jacobian_source::jvp_columns;
        build_jacobian(env, source, t, y, nullptr, exact_.a.data(), {env.step, stage});
        to_iteration_matrix(exact_.a, n_, shift);
        ++env.stats->factorizations;
        if (!lu_factor(exact_))
            fail(RWD_ERR_CONVERGENCE, "the iteration matrix I - h*gamma*J (h*gamma = ", shift, ") is singular at t = ",
                 t, " (step ", env.step, ", stage ", stage, ")");
        solve_with(exact_, b, x, transpose);
    }

private:
    // J (row-major n * n) at (t, y); f_y = f(t, y) is needed by finite differences only.
    void build_jacobian(step_env& env, jacobian_source source, double t, const rwd_vec& y, const rwd_vec* f_y,
                        double* jacobian, const eval_site& site) {
        rwd_field& field = *env.field;
        ++env.stats->jacobian_evals;
        switch (source) {
            case jacobian_source::callback:
                eval_jacobian(field, t, y, *env.p, jacobian, site);
                return;
            case jacobian_source::jvp_columns:
                for (int64_t j = 0; j < n_; ++j) {
                    set_unit(j);
                    eval_jvp(field, t, y, *env.p, *probe_, *zero_p_, *product_, site);
                    ++env.stats->jvp_evals;
                    store_column(j, [&](int64_t i) { return product_host_[static_cast<size_t>(i)]; }, jacobian);
                }
                return;
            case jacobian_source::vjp_rows:
                for (int64_t i = 0; i < n_; ++i) {
                    set_unit(i);
                    eval_vjp(field, t, y, *env.p, *probe_, *product_, *scratch_p_, site);
                    ++env.stats->vjp_evals;
                    product_->ops->get(product_.get(), jacobian + i * n_);
                }
                return;
            case jacobian_source::finite_differences:
                finite_differences(env, t, y, *f_y, jacobian, site);
                return;
        }
    }

    // Column j = (f(t, y + delta_j e_j) - f(t, y)) / delta_j with delta_j = sqrt(eps) max(|y_j|, 1): half the
    // digits for truncation and half for cancellation when y_j is of order one or larger; near zero the unit
    // floor keeps delta_j (about 1.5e-8) well above the rounding of f, which a relative step would not.
    void finite_differences(step_env& env, double t, const rwd_vec& y, const rwd_vec& f_y, double* jacobian,
                            const eval_site& site) {
        static const double sqrt_eps = std::sqrt(std::numeric_limits<double>::epsilon());
        f_y.ops->get(&f_y, f_y_host_.data());
        y.ops->get(&y, probe_host_.data());
        for (int64_t j = 0; j < n_; ++j) {
            double& y_j = probe_host_[static_cast<size_t>(j)];
            const double original = y_j;
            y_j = original + sqrt_eps * std::max(std::fabs(original), 1.0);
            const double delta = y_j - original;  // the step actually taken, exact in floating point
            probe_->ops->set(probe_.get(), probe_host_.data());
            y_j = original;
            eval_f(*env.field, t, *probe_, *env.p, *product_, site);
            ++env.stats->f_evals;
            const auto difference_quotient = [&](int64_t i) {
                const auto k = static_cast<size_t>(i);
                return (product_host_[k] - f_y_host_[k]) / delta;
            };
            store_column(j, difference_quotient, jacobian);
        }
    }

    // probe_ = e_j
    void set_unit(int64_t j) {
        probe_host_[static_cast<size_t>(j)] = 1.0;
        probe_->ops->set(probe_.get(), probe_host_.data());
        probe_host_[static_cast<size_t>(j)] = 0.0;
    }

    // Column j of the Jacobian from product_: jacobian[i][j] = entry(i) of its host copy.
    template <class Entry>
    void store_column(int64_t j, Entry entry, double* jacobian) {
        product_->ops->get(product_.get(), product_host_.data());
        for (int64_t i = 0; i < n_; ++i) jacobian[i * n_ + j] = entry(i);
    }

    void solve_with(const lu_factors& lu, const rwd_vec& b, rwd_vec& x, bool transpose) {
        b.ops->get(&b, solution_host_.data());
        lu_solve(lu, solution_host_.data(), transpose);
        x.ops->set(&x, solution_host_.data());
    }

    int64_t n_ = 0;
    std::vector<double> jacobian_;  // Newton's J, kept across set_shift calls
    lu_factors newton_;             // factors of I - shift J for solve()
    lu_factors exact_;              // J, then the factors, of solve_at()
    bool newton_factored_ = false;
    vec_ptr probe_;    // e_j, or y + delta_j e_j
    vec_ptr product_;  // J e_j, e_i^T J or f(t, y + delta_j e_j)
    vec_ptr zero_p_;   // parameter tangent of jvp columns
    vec_ptr scratch_p_;  // the unused parameter part of vjp rows
    std::vector<double> probe_host_, product_host_, f_y_host_, solution_host_;
};

}  // namespace

std::unique_ptr<linear_solver> make_dense_solver() { return std::make_unique<dense_solver>(); }

}  // namespace rwd
