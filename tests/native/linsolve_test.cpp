// Linear solvers of implicit stages: the dense LU kernels, the Jacobians the dense solver builds from each source,
// and matrix-free GMRES against dense.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "linsolve/dense_lu.hpp"
#include "linsolve/linear_solver.hpp"
#include "test_support.hpp"

using namespace rwdtest;

namespace {

// f_i(y, p) = sum_j A_ij y_j + p_0 sin(y_{i+1 mod n}): nonlinear, so finite differences are approximate.
struct test_field {
    int64_t n;
    std::vector<double> a;
    int64_t nan_row = -1, nan_column = -1;  // the Jacobian callback returns NaN there when set

    int64_t next(int64_t i) const { return (i + 1) % n; }
    double jacobian(const double* y, const double* p, int64_t i, int64_t j) const {
        return a[static_cast<size_t>(i * n + j)] + (j == next(i) ? p[0] * std::cos(y[j]) : 0.0);
    }
};

const test_field& of(void* user) { return *static_cast<const test_field*>(user); }

int32_t field_f(void* user, double, const double* y, const double* p, double* dydt) {
    const test_field& s = of(user);
    for (int64_t i = 0; i < s.n; ++i) {
        dydt[i] = p[0] * std::sin(y[s.next(i)]);
        for (int64_t j = 0; j < s.n; ++j) dydt[i] += s.a[static_cast<size_t>(i * s.n + j)] * y[j];
    }
    return 0;
}

int32_t field_vjp(void* user, double, const double* y, const double* p, const double* w, double* w_dy,
                  double* w_dp) {
    const test_field& s = of(user);
    w_dp[0] = 0.0;
    for (int64_t j = 0; j < s.n; ++j) w_dy[j] = 0.0;
    for (int64_t i = 0; i < s.n; ++i) {
        for (int64_t j = 0; j < s.n; ++j) w_dy[j] += w[i] * s.jacobian(y, p, i, j);
        w_dp[0] += w[i] * std::sin(y[s.next(i)]);
    }
    return 0;
}

int32_t field_jvp(void* user, double, const double* y, const double* p, const double* v, double* jv) {
    const test_field& s = of(user);
    for (int64_t i = 0; i < s.n; ++i) {
        jv[i] = std::sin(y[s.next(i)]) * v[s.n];
        for (int64_t j = 0; j < s.n; ++j) jv[i] += s.jacobian(y, p, i, j) * v[j];
    }
    return 0;
}

int32_t field_jacobian(void* user, double, const double* y, const double* p, double* dfdy) {
    const test_field& s = of(user);
    for (int64_t i = 0; i < s.n; ++i)
        for (int64_t j = 0; j < s.n; ++j)
            dfdy[i * s.n + j] = i == s.nan_row && j == s.nan_column ? std::numeric_limits<double>::quiet_NaN()
                                                                     : s.jacobian(y, p, i, j);
    return 0;
}

enum class products { vjp_only, jvp, jvp_and_jacobian };

// A field with its parameters, counters and step environment, at step 3.
struct problem {
    test_field spec;
    context_ptr ctx = make_context();
    field_ptr field;
    rwd::vec_ptr p;
    rwd_ts_stats stats{};
    rwd::step_env env{};

    problem(test_field s, double p0, products given) : spec(std::move(s)) {
        rwd_field* created = nullptr;
        const rwd_field_jvp_fn jvp = given == products::vjp_only ? nullptr : field_jvp;
        if (rwd_field_create(ctx.get(), spec.n, 1, field_f, field_vjp, jvp, &spec, &created) != RWD_OK)
            throw std::runtime_error(last_error(ctx.get()));
        field.reset(created);
        if (given == products::jvp_and_jacobian) rwd_field_set_jacobian(created, field_jacobian);
        p = vec({p0});
        env = rwd::step_env{created, p.get(), &stats, 3};
    }

    rwd::vec_ptr vec(const std::vector<double>& values) const {
        auto v = rwd::make_vec(ctx.get(), rwd::cpu_vec_ops(), static_cast<int64_t>(values.size()));
        v->ops->set(v.get(), values.data());
        return v;
    }

    // M v or M^T v with M = I - shift J(y), from the analytic Jacobian.
    std::vector<double> apply(const std::vector<double>& y, double shift, const std::vector<double>& v,
                              bool transpose) const {
        const double p0 = values(*p)[0];
        std::vector<double> out(v);
        for (int64_t i = 0; i < spec.n; ++i)
            for (int64_t j = 0; j < spec.n; ++j) {
                const double entry =
                    transpose ? spec.jacobian(y.data(), &p0, j, i) : spec.jacobian(y.data(), &p0, i, j);
                out[static_cast<size_t>(i)] -= shift * entry * v[static_cast<size_t>(j)];
            }
        return out;
    }

    static std::vector<double> values(const rwd_vec& v) {
        std::vector<double> out(static_cast<size_t>(v.n));
        v.ops->get(&v, out.data());
        return out;
    }
};

// A well-conditioned nonsymmetric matrix: -I plus a random part of norm about 1/2.
test_field random_field(std::mt19937& rng, int64_t n) {
    test_field s{n, random_vector(rng, static_cast<size_t>(n * n))};
    for (auto& entry : s.a) entry *= 0.5 / std::sqrt(static_cast<double>(n));
    for (int64_t i = 0; i < n; ++i) s.a[static_cast<size_t>(i * n + i)] -= 1.0;
    return s;
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
    double out = 0.0;
    for (size_t i = 0; i < a.size(); ++i) out = std::max(out, std::fabs(a[i] - b[i]));
    return out;
}

constexpr double t_at = 0.5;

// x from solve() after set_jacobian_point and set_shift at (t_at, y).
std::vector<double> newton_solve(problem& pb, rwd::linear_solver& solver, const std::vector<double>& y, double shift,
                                 const std::vector<double>& b) {
    auto y_vec = pb.vec(y), f_y = pb.vec(y), b_vec = pb.vec(b), x = pb.vec(b);
    solver.setup(*y_vec, *pb.p);
    rwd::eval_f(*pb.field, t_at, *y_vec, *pb.p, *f_y, {3, -1});
    solver.set_jacobian_point(pb.env, t_at, *y_vec, *f_y);
    EXPECT_TRUE(solver.set_shift(pb.env, shift));
    EXPECT_TRUE(solver.solve(pb.env, t_at, *y_vec, *f_y, *b_vec, *x));
    return problem::values(*x);
}

std::vector<double> exact_solve(problem& pb, rwd::linear_solver& solver, const std::vector<double>& y, double shift,
                                const std::vector<double>& b, bool transpose) {
    auto y_vec = pb.vec(y), b_vec = pb.vec(b), x = pb.vec(b);
    solver.setup(*y_vec, *pb.p);
    solver.solve_at(pb.env, t_at, *y_vec, shift, *b_vec, *x, transpose, 2);
    return problem::values(*x);
}

// The status and message of the rwd::error that body throws.
template <class Body>
std::pair<rwd_status, std::string> failure_of(Body body) {
    try {
        body();
    } catch (const rwd::error& e) {
        return {e.status(), e.what()};
    }
    return {RWD_OK, ""};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::vector<double> multiply(const std::vector<double>& a, const std::vector<double>& x, bool transpose) {
    const size_t n = x.size();
    std::vector<double> out(n, 0.0);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < n; ++j) out[i] += (transpose ? a[j * n + i] : a[i * n + j]) * x[j];
    return out;
}

}  // namespace

TEST(DenseLu, BuiltInSolvesSystemsThatNeedPivotingAndTheirTransposes) {
    // a_00 = 0: elimination without row interchanges would divide by zero.
    const std::vector<double> a = {0, 2, 1,  //
                                   4, 1, -1,
                                   -2, 3, 5};
    const std::vector<double> x = {1, -2, 3};
    for (bool transpose : {false, true}) {
        rwd::lu_factors lu{3, a};
        ASSERT_TRUE(rwd::lu_factor(lu, rwd::lu_kernel::built_in));
        auto solution = multiply(a, x, transpose);
        rwd::lu_solve(lu, solution.data(), transpose);
        EXPECT_LT(max_difference(solution, x), 1e-14) << (transpose ? "transpose" : "plain");
    }
}

TEST(DenseLu, LapackAgreesWithBuiltInOrIsUnsupported) {
    std::mt19937 rng(3);
    const int64_t n = 30;
    const auto a = random_vector(rng, static_cast<size_t>(n * n));
    const auto b = random_vector(rng, static_cast<size_t>(n));
    rwd::lu_factors built_in{n, a}, lapack{n, a};
    if (rwd::default_lu_kernel() != rwd::lu_kernel::lapack) {
        const auto [status, message] = failure_of([&] { rwd::lu_factor(lapack, rwd::lu_kernel::lapack); });
        EXPECT_EQ(status, RWD_ERR_UNSUPPORTED);
        EXPECT_EQ(message, "librewind was built without LAPACK");
        return;
    }
    ASSERT_TRUE(rwd::lu_factor(built_in, rwd::lu_kernel::built_in));
    ASSERT_TRUE(rwd::lu_factor(lapack, rwd::lu_kernel::lapack));
    for (bool transpose : {false, true}) {
        auto x_built_in = b, x_lapack = b;
        rwd::lu_solve(built_in, x_built_in.data(), transpose);
        rwd::lu_solve(lapack, x_lapack.data(), transpose);
        EXPECT_LT(max_difference(x_built_in, x_lapack), 1e-11) << (transpose ? "transpose" : "plain");
        EXPECT_LT(max_difference(multiply(a, x_lapack, transpose), b), 1e-12);
    }
}

TEST(DenseLu, SingularAndNonFiniteMatricesAreRejected) {
    std::vector<rwd::lu_kernel> kernels = {rwd::lu_kernel::built_in};
    if (rwd::default_lu_kernel() == rwd::lu_kernel::lapack) kernels.push_back(rwd::lu_kernel::lapack);
    for (const auto kernel : kernels) {
        rwd::lu_factors singular{3, {1, 2, 3, 2, 4, 6, 1, 0, 1}};
        EXPECT_FALSE(rwd::lu_factor(singular, kernel));
        rwd::lu_factors with_nan{2, {1, std::numeric_limits<double>::quiet_NaN(), 0, 1}};
        EXPECT_FALSE(rwd::lu_factor(with_nan, kernel));
        rwd::lu_factors with_inf{2, {1, 0, std::numeric_limits<double>::infinity(), 1}};
        EXPECT_FALSE(rwd::lu_factor(with_inf, kernel));
    }
}

TEST(LinearSolver, FactoryChoosesByNameAndSize) {
    std::mt19937 rng(5);
    problem pb(random_field(rng, 2), 0.3, products::jvp);
    const rwd::implicit_options options;
    const auto jacobian_evals_of = [&](const std::string& name, int64_t n) {
        auto solver = rwd::make_linear_solver(name, n, options);
        auto y = pb.vec({0.1, 0.2}), f_y = pb.vec({0.0, 0.0});
        solver->setup(*y, *pb.p);
        const int64_t before = pb.stats.jacobian_evals;
        solver->set_jacobian_point(pb.env, t_at, *y, *f_y);  // only the dense solver builds a matrix
        return pb.stats.jacobian_evals - before;
    };
    EXPECT_EQ(jacobian_evals_of("dense", 1000), 1);
    EXPECT_EQ(jacobian_evals_of("gmres", 2), 0);
    EXPECT_EQ(jacobian_evals_of("auto", 256), 1);
    EXPECT_EQ(jacobian_evals_of("auto", 257), 0);
    const auto [status, message] = failure_of([&] { rwd::make_linear_solver("lu", 2, options); });
    EXPECT_EQ(status, RWD_ERR_UNKNOWN_NAME);
    EXPECT_EQ(message, "unknown linear solver 'lu'; available: auto, dense, gmres");
}

TEST(DenseJacobian, CallbackJvpColumnsAndVjpRowsAgreeAndFiniteDifferencesAreClose) {
    std::mt19937 rng(11);
    const int64_t n = 6;
    const auto spec = random_field(rng, n);
    const auto y = random_vector(rng, static_cast<size_t>(n)), b = random_vector(rng, static_cast<size_t>(n));
    const double shift = 0.3;
    problem with_jacobian(spec, 0.7, products::jvp_and_jacobian), with_jvp(spec, 0.7, products::jvp),
        vjp_only(spec, 0.7, products::vjp_only);
    auto dense = rwd::make_dense_solver();

    // Newton: callback, jvp columns, finite differences of f.
    const auto from_callback = newton_solve(with_jacobian, *dense, y, shift, b);
    EXPECT_LT(max_difference(with_jacobian.apply(y, shift, from_callback, false), b), 1e-14);
    EXPECT_EQ(newton_solve(with_jvp, *dense, y, shift, b), from_callback);
    EXPECT_LT(max_difference(newton_solve(vjp_only, *dense, y, shift, b), from_callback), 1e-6);

    // Exact: callback, jvp columns (plain) or vjp rows (transposed, or plain without jvp).
    for (bool transpose : {false, true}) {
        SCOPED_TRACE(transpose ? "transpose" : "plain");
        const auto exact = exact_solve(with_jacobian, *dense, y, shift, b, transpose);
        EXPECT_LT(max_difference(with_jacobian.apply(y, shift, exact, transpose), b), 1e-14);
        EXPECT_EQ(exact_solve(with_jvp, *dense, y, shift, b, transpose), exact);
        EXPECT_EQ(exact_solve(vjp_only, *dense, y, shift, b, transpose), exact);
    }
}

TEST(DenseJacobian, ExactSolvesKeepNewtonsFactors) {
    std::mt19937 rng(12);
    problem pb(random_field(rng, 4), 0.2, products::jvp);
    const auto y = random_vector(rng, 4), other_y = random_vector(rng, 4), b = random_vector(rng, 4);
    auto dense = rwd::make_dense_solver();
    const auto before = newton_solve(pb, *dense, y, 0.5, b);
    auto other = pb.vec(other_y), b_vec = pb.vec(b), x = pb.vec(b);
    dense->solve_at(pb.env, t_at, *other, 0.1, *b_vec, *x, true, 1);
    ASSERT_TRUE(dense->solve(pb.env, t_at, *other, *other, *b_vec, *x));
    EXPECT_EQ(problem::values(*x), before);
}

TEST(DenseJacobian, CountersMoveAsDocumented) {
    std::mt19937 rng(13);
    const int64_t n = 5;
    const auto spec = random_field(rng, n);
    const auto y = random_vector(rng, static_cast<size_t>(n)), b = random_vector(rng, static_cast<size_t>(n));
    auto dense = rwd::make_dense_solver();
    problem with_jacobian(spec, 0.7, products::jvp_and_jacobian), with_jvp(spec, 0.7, products::jvp),
        vjp_only(spec, 0.7, products::vjp_only);
    newton_solve(with_jacobian, *dense, y, 0.3, b);
    newton_solve(with_jvp, *dense, y, 0.3, b);
    newton_solve(vjp_only, *dense, y, 0.3, b);
    for (const problem* pb : {&with_jacobian, &with_jvp, &vjp_only}) {
        EXPECT_EQ(pb->stats.jacobian_evals, 1);
        EXPECT_EQ(pb->stats.factorizations, 1);
        EXPECT_EQ(pb->stats.linear_iterations, 0);
    }
    EXPECT_EQ(with_jacobian.stats.jvp_evals + with_jacobian.stats.f_evals, 0);
    EXPECT_EQ(with_jvp.stats.jvp_evals, n);
    EXPECT_EQ(vjp_only.stats.f_evals, n);  // one per column
    exact_solve(with_jvp, *dense, y, 0.3, b, true);
    EXPECT_EQ(with_jvp.stats.vjp_evals, n);
    EXPECT_EQ(with_jvp.stats.jacobian_evals, 2);
    EXPECT_EQ(with_jvp.stats.factorizations, 2);
}

TEST(DenseJacobian, SingularIterationMatrixNamesTimeStepAndStage) {
    problem pb(test_field{2, {1, 0, 0, 1}}, 0.0, products::jvp);  // J = I: I - 1 J = 0
    auto dense = rwd::make_dense_solver();
    auto y = pb.vec({1, 2}), f_y = pb.vec({1, 2}), b = pb.vec({1, 1}), x = pb.vec({0, 0});
    dense->setup(*y, *pb.p);
    dense->set_jacobian_point(pb.env, t_at, *y, *f_y);
    EXPECT_FALSE(dense->set_shift(pb.env, 1.0));
    const auto [status, message] = failure_of([&] { dense->solve_at(pb.env, t_at, *y, 1.0, *b, *x, true, 2); });
    EXPECT_EQ(status, RWD_ERR_CONVERGENCE);
    EXPECT_TRUE(contains(message, "I - h*gamma*J")) << message;
    EXPECT_TRUE(contains(message, "singular at t = 0.5 (step 3, stage 2)")) << message;
}

TEST(DenseJacobian, NanFromTheCallbackNamesTheEntry) {
    std::mt19937 rng(17);
    auto spec = random_field(rng, 3);
    spec.nan_row = 1;
    spec.nan_column = 2;
    problem pb(spec, 0.1, products::jvp_and_jacobian);
    auto dense = rwd::make_dense_solver();
    auto y = pb.vec({1, 2, 3}), b = pb.vec({1, 1, 1}), x = pb.vec({0, 0, 0});
    dense->setup(*y, *pb.p);
    for (bool newton : {true, false}) {
        const auto [status, message] = failure_of([&] {
            if (newton) return dense->set_jacobian_point(pb.env, t_at, *y, *b);
            dense->solve_at(pb.env, t_at, *y, 0.1, *b, *x, false, 2);
        });
        EXPECT_EQ(status, RWD_ERR_NONFINITE);
        EXPECT_TRUE(contains(message, "jacobian")) << message;
        EXPECT_TRUE(contains(message, "[1][2]")) << message;
        EXPECT_TRUE(contains(message, newton ? "(step 3)" : "(step 3, stage 2)")) << message;
    }
}

TEST(Gmres, AgreesWithDenseOnANonsymmetricSystem) {
    std::mt19937 rng(19);
    const int64_t n = 40;
    problem pb(random_field(rng, n), 0.4, products::jvp);
    const auto y = random_vector(rng, static_cast<size_t>(n)), b = random_vector(rng, static_cast<size_t>(n));
    const double shift = 0.8;
    auto dense = rwd::make_dense_solver();
    auto gmres = rwd::make_gmres_solver(1e-12, 10);  // restarts, since 10 < 40
    for (bool transpose : {false, true}) {
        SCOPED_TRACE(transpose ? "transpose" : "plain");
        const auto expected = exact_solve(pb, *dense, y, shift, b, transpose);
        EXPECT_LT(max_difference(exact_solve(pb, *gmres, y, shift, b, transpose), expected), 1e-10);
    }
    // Newton's corrections stop at the forward tolerance max(1e-12, 1e-6).
    const auto expected = newton_solve(pb, *dense, y, shift, b);
    EXPECT_LT(max_difference(newton_solve(pb, *gmres, y, shift, b), expected), 1e-5);
}

TEST(Gmres, ForwardWithoutJvpUsesFiniteDifferencesOfF) {
    std::mt19937 rng(23);
    const int64_t n = 40;
    problem pb(random_field(rng, n), 0.4, products::vjp_only);
    const auto y = random_vector(rng, static_cast<size_t>(n)), b = random_vector(rng, static_cast<size_t>(n));
    auto dense = rwd::make_dense_solver();
    const auto expected = exact_solve(pb, *dense, y, 0.8, b, false);
    const auto stats_before = pb.stats;
    auto gmres = rwd::make_gmres_solver(1e-10, 30);
    const auto x = newton_solve(pb, *gmres, y, 0.8, b);
    EXPECT_LT(max_difference(x, expected), 1e-5);
    EXPECT_EQ(pb.stats.jvp_evals, stats_before.jvp_evals);
    EXPECT_EQ(pb.stats.jacobian_evals, stats_before.jacobian_evals);
    EXPECT_GT(pb.stats.linear_iterations, 0);
    // One f per Arnoldi iteration, and one per restart.
    EXPECT_GE(pb.stats.f_evals - stats_before.f_evals, pb.stats.linear_iterations);
}

TEST(Gmres, IsDeterministicCountsItsWorkAndAcceptsBAsX) {
    std::mt19937 rng(29);
    const int64_t n = 40;
    problem pb(random_field(rng, n), 0.4, products::jvp);
    const auto y = random_vector(rng, static_cast<size_t>(n)), b = random_vector(rng, static_cast<size_t>(n));
    auto gmres = rwd::make_gmres_solver(1e-12, 7);
    const auto first = exact_solve(pb, *gmres, y, 0.8, b, true);
    EXPECT_GT(pb.stats.linear_iterations, 0);
    EXPECT_GE(pb.stats.vjp_evals, pb.stats.linear_iterations);  // plus one per restart
    EXPECT_EQ(pb.stats.jvp_evals + pb.stats.f_evals + pb.stats.jacobian_evals + pb.stats.factorizations, 0);
    auto y_vec = pb.vec(y), in_place = pb.vec(b);
    gmres->solve_at(pb.env, t_at, *y_vec, 0.8, *in_place, *in_place, true, 2);
    EXPECT_EQ(problem::values(*in_place), first);  // bitwise

    const int64_t iterations = pb.stats.linear_iterations;
    auto zero = pb.vec(std::vector<double>(static_cast<size_t>(n), 0.0)), x = pb.vec(b);
    gmres->solve_at(pb.env, t_at, *y_vec, 0.8, *zero, *x, false, 2);
    EXPECT_EQ(problem::values(*x), std::vector<double>(static_cast<size_t>(n), 0.0));
    EXPECT_EQ(pb.stats.linear_iterations, iterations);
}

TEST(Gmres, FailuresNameWhatAndWhere) {
    // M = I - J = [[0, 1], [-1, 0]]: r^T M r = 0, so GMRES(1) never reduces the residual.
    problem pb(test_field{2, {1, -1, 1, 1}}, 0.0, products::jvp);
    auto gmres = rwd::make_gmres_solver(1e-10, 1);
    auto y = pb.vec({0.5, 0.5}), f_y = pb.vec({0, 0}), b = pb.vec({1, 0}), x = pb.vec({0, 0});
    gmres->setup(*y, *pb.p);
    ASSERT_TRUE(gmres->set_shift(pb.env, 1.0));
    EXPECT_FALSE(gmres->solve(pb.env, t_at, *y, *f_y, *b, *x));
    const auto [status, message] = failure_of([&] { gmres->solve_at(pb.env, t_at, *y, 1.0, *b, *x, false, 2); });
    EXPECT_EQ(status, RWD_ERR_CONVERGENCE);
    EXPECT_TRUE(contains(message, "t = 0.5 (step 3, stage 2)")) << message;
    EXPECT_TRUE(contains(message, "relative residual 1 after 20 iterations")) << message;

    problem no_jvp(test_field{2, {1, -1, 1, 1}}, 0.0, products::vjp_only);
    auto gmres_without_jvp = rwd::make_gmres_solver(1e-10, 2);
    gmres_without_jvp->setup(*y, *no_jvp.p);
    const auto [unsupported, why] = failure_of(
        [&] { gmres_without_jvp->solve_at(no_jvp.env, t_at, *y, 1.0, *b, *x, false, 2); });
    EXPECT_EQ(unsupported, RWD_ERR_UNSUPPORTED);
    EXPECT_TRUE(contains(why, "no jvp")) << why;
    EXPECT_TRUE(contains(why, "t = 0.5 (step 3, stage 2)")) << why;
}
