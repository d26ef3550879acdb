// Implicit methods (theta, esdirk): convergence order, exact discrete adjoints through the dense and GMRES stage
// solves, checkpointing invariance, running costs, and clear errors when Newton or the iteration matrix fails.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "test_support.hpp"

using namespace rwdtest;

namespace {

// Robertson's kinetics with its rate constants as parameters: p0 on y1, p1 on y2 y3, p2 on y2^2.
int32_t rober_f(void*, double, const double* y, const double* p, double* dydt) {
    dydt[0] = -p[0] * y[0] + p[1] * y[1] * y[2];
    dydt[1] = p[0] * y[0] - p[1] * y[1] * y[2] - p[2] * y[1] * y[1];
    dydt[2] = p[2] * y[1] * y[1];
    return 0;
}

void rober_jacobian_into(const double* y, const double* p, double* J) {
    J[0] = -p[0], J[1] = p[1] * y[2], J[2] = p[1] * y[1];
    J[3] = p[0], J[4] = -p[1] * y[2] - 2.0 * p[2] * y[1], J[5] = -p[1] * y[1];
    J[6] = 0.0, J[7] = 2.0 * p[2] * y[1], J[8] = 0.0;
}

int32_t rober_jacobian(void*, double, const double* y, const double* p, double* dfdy) {
    rober_jacobian_into(y, p, dfdy);
    return 0;
}

int32_t rober_vjp(void*, double, const double* y, const double* p, const double* w, double* w_dy, double* w_dp) {
    double J[9];
    rober_jacobian_into(y, p, J);
    for (int j = 0; j < 3; ++j) w_dy[j] = w[0] * J[j] + w[1] * J[3 + j] + w[2] * J[6 + j];
    w_dp[0] = (w[1] - w[0]) * y[0];
    w_dp[1] = (w[0] - w[1]) * y[1] * y[2];
    w_dp[2] = (w[2] - w[1]) * y[1] * y[1];
    return 0;
}

int32_t rober_jvp(void*, double, const double* y, const double* p, const double* v, double* jv) {
    double J[9];
    rober_jacobian_into(y, p, J);
    for (int i = 0; i < 3; ++i) jv[i] = J[3 * i] * v[0] + J[3 * i + 1] * v[1] + J[3 * i + 2] * v[2];
    jv[0] += -y[0] * v[3] + y[1] * y[2] * v[4];
    jv[1] += y[0] * v[3] - y[1] * y[2] * v[4] - y[1] * y[1] * v[5];
    jv[2] += y[1] * y[1] * v[5];
    return 0;
}

enum class jacobian_kind { callback, products };

field_ptr robertson(rwd_context* ctx, jacobian_kind kind) {
    rwd_field* f = nullptr;
    EXPECT_EQ(rwd_field_create(ctx, 3, 3, rober_f, rober_vjp, rober_jvp, nullptr, &f), RWD_OK);
    if (kind == jacobian_kind::callback) EXPECT_EQ(rwd_field_set_jacobian(f, rober_jacobian), RWD_OK);
    return field_ptr(f);
}

std::vector<std::string> methods_of(const char* type) {
    int64_t size = 0;
    EXPECT_EQ(rwd_ts_methods(type, nullptr, 0, &size), RWD_OK);
    std::string names(static_cast<size_t>(size), '\0');
    EXPECT_EQ(rwd_ts_methods(type, names.data(), size, &size), RWD_OK);
    names.resize(static_cast<size_t>(size - 1));
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t comma; (comma = names.find(',', start)) != std::string::npos; start = comma + 1)
        out.push_back(names.substr(start, comma - start));
    out.push_back(names.substr(start));
    return out;
}

// Every implicit method as (type, name).
std::vector<std::pair<std::string, std::string>> implicit_methods() {
    std::vector<std::pair<std::string, std::string>> all;
    for (const char* type : {"theta", "esdirk"})
        for (const auto& name : methods_of(type)) all.emplace_back(type, name);
    return all;
}

ts_ptr make_implicit(rwd_context* ctx, const std::string& type, const std::string& method, double dt,
                     const char* linear = "dense", double rtol = 1e-8, double atol = 1e-10) {
    rwd_ts* ts = nullptr;
    EXPECT_EQ(rwd_ts_create(ctx, type.c_str(), method.c_str(), &ts), RWD_OK) << last_error(ctx);
    EXPECT_EQ(rwd_ts_set_step(ts, dt), RWD_OK);
    EXPECT_EQ(rwd_ts_set_tolerances(ts, rtol, atol), RWD_OK);
    EXPECT_EQ(rwd_ts_set_newton(ts, 1e-3, 30), RWD_OK);  // tight: finite differences see the Newton error
    EXPECT_EQ(rwd_ts_set_linear_solver(ts, linear, 1e-13, 30), RWD_OK) << last_error(ctx);
    return ts_ptr(ts);
}

// A moderately stiff Robertson run on [0, 2] (rates scaled down, and started near its slow manifold, y2 ~
// sqrt(p0 / p2), so that fixed steps of 0.05 need no step-size control through the initial transient).
struct rober_run {
    context_ptr ctx = make_context();
    field_ptr field;
    ts_ptr ts;
    std::vector<double> tout = {0.0, 0.6, 1.3, 2.0};
    std::vector<double> y0 = {0.99, 0.01, 0.0};
    std::vector<double> p = {0.4, 1e2, 3e3};
    std::vector<double> yout = std::vector<double>(12);
    rwd_status status = RWD_OK;

    rober_run(const std::string& type, const std::string& method, double dt, const char* linear = "dense",
              jacobian_kind kind = jacobian_kind::callback, const char* trajectory = "store-all",
              int64_t checkpoints = 0)
        : field(robertson(ctx.get(), kind)), ts(make_implicit(ctx.get(), type, method, dt, linear)) {
        EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), trajectory, checkpoints, 0, nullptr, 0), RWD_OK);
        status = rwd_ts_solve(ts.get(), field.get(), y0.data(), 3, p.data(), 3, 0.0, tout.data(), 4, yout.data());
        EXPECT_EQ(status, RWD_OK) << type << "/" << method << ": " << last_error(ctx.get());
    }

    std::pair<std::vector<double>, std::vector<double>> gradient(const std::vector<double>& w) {
        std::vector<double> g_y0(3), g_p(3);
        EXPECT_EQ(rwd_ts_adjoint_solve(ts.get(), w.data(), 12, g_y0.data(), 3, g_p.data(), 3), RWD_OK)
            << last_error(ctx.get());
        return {g_y0, g_p};
    }
};

// y' = A y with A = [[-0.5, 2], [-2, -0.5]] (p = (-0.5, 2)); y(t) = e^{-0.5 t} R(2t) y0.
int32_t spiral_f(void*, double, const double* y, const double* p, double* dydt) {
    dydt[0] = p[0] * y[0] + p[1] * y[1];
    dydt[1] = -p[1] * y[0] + p[0] * y[1];
    return 0;
}
int32_t spiral_vjp(void*, double, const double* y, const double* p, const double* w, double* w_dy, double* w_dp) {
    w_dy[0] = p[0] * w[0] - p[1] * w[1];
    w_dy[1] = p[1] * w[0] + p[0] * w[1];
    w_dp[0] = w[0] * y[0] + w[1] * y[1];
    w_dp[1] = w[0] * y[1] - w[1] * y[0];
    return 0;
}
int32_t spiral_jvp(void*, double, const double* y, const double* p, const double* v, double* jv) {
    jv[0] = p[0] * v[0] + p[1] * v[1] + y[0] * v[2] + y[1] * v[3];
    jv[1] = -p[1] * v[0] + p[0] * v[1] + y[1] * v[2] - y[0] * v[3];
    return 0;
}

int expected_order(const std::string& method) {
    if (method == "beuler" || method == "theta") return 1;  // theta defaults to 1/2 but is tested at 0.7
    if (method == "cn" || method == "trbdf2") return 2;
    if (method == "kvaerno3") return 3;
    if (method == "kvaerno4" || method == "sdirk4") return 4;
    return 5;
}

}  // namespace

TEST(Implicit, TypesAndMethodsAreListedByName) {
    int64_t size = 0;
    ASSERT_EQ(rwd_ts_types(nullptr, 0, &size), RWD_OK);
    std::string types(static_cast<size_t>(size), '\0');
    ASSERT_EQ(rwd_ts_types(types.data(), size, &size), RWD_OK);
    EXPECT_STREQ(types.c_str(), "rk,theta,esdirk");
    EXPECT_EQ(methods_of("theta"), (std::vector<std::string>{"beuler", "cn", "theta"}));
    EXPECT_EQ(methods_of("esdirk"), (std::vector<std::string>{"trbdf2", "kvaerno3", "kvaerno4", "kvaerno5", "sdirk4"}));
    auto ctx = make_context();
    rwd_ts* ts = nullptr;
    EXPECT_EQ(rwd_ts_create(ctx.get(), "esdirk", "kvaerno9", &ts), RWD_ERR_UNKNOWN_NAME);
    EXPECT_NE(last_error(ctx.get()).find("kvaerno5"), std::string::npos);
    auto cn = make_implicit(ctx.get(), "theta", "cn", 0.1);
    EXPECT_EQ(rwd_ts_set_theta(cn.get(), 0.7), RWD_ERR_UNSUPPORTED);
    EXPECT_EQ(rwd_ts_set_linear_solver(cn.get(), "cholesky", 1e-10, 30), RWD_ERR_UNKNOWN_NAME);
    EXPECT_NE(last_error(ctx.get()).find("dense"), std::string::npos);
}

TEST(Implicit, EveryMethodConvergesAtItsOrder) {
    auto ctx = make_context();
    rwd_field* raw = nullptr;
    ASSERT_EQ(rwd_field_create(ctx.get(), 2, 2, spiral_f, spiral_vjp, spiral_jvp, nullptr, &raw), RWD_OK);
    field_ptr field(raw);
    const double y0[2] = {1.0, 0.5}, p[2] = {-0.5, 2.0}, T = 2.0;
    const double decay = std::exp(-0.5 * T), c = std::cos(2.0 * T), s = std::sin(2.0 * T);
    const double exact[2] = {decay * (c * y0[0] + s * y0[1]), decay * (-s * y0[0] + c * y0[1])};
    for (const auto& [type, method] : implicit_methods()) {
        SCOPED_TRACE(type + "/" + method);
        std::vector<double> errors;
        const std::vector<double> steps = {0.1, 0.05, 0.025};
        for (double dt : steps) {
            auto ts = make_implicit(ctx.get(), type, method, dt, "dense", 1e-13, 1e-15);
            if (method == "theta") ASSERT_EQ(rwd_ts_set_theta(ts.get(), 0.7), RWD_OK);
            double y[2];
            ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), y0, 2, p, 2, 0.0, &T, 1, y), RWD_OK) << last_error(ctx.get());
            errors.push_back(std::hypot(y[0] - exact[0], y[1] - exact[1]));
        }
        const double slope = std::log(errors.front() / errors.back()) / std::log(steps.front() / steps.back());
        EXPECT_NEAR(slope, expected_order(method), 0.3) << "errors " << errors[0] << ", " << errors[2];
    }
}

TEST(Implicit, DotProductTestForEveryMethodSolverAndJacobianSource) {
    std::mt19937 rng(11);
    for (const auto& [type, method] : implicit_methods()) {
        for (double dt : {0.05, 0.0}) {
            for (const char* linear : {"dense", "gmres"}) {
                for (auto kind : {jacobian_kind::callback, jacobian_kind::products}) {
                    SCOPED_TRACE(type + "/" + method + (dt > 0 ? " fixed " : " adaptive ") + linear +
                                 (kind == jacobian_kind::callback ? " jacobian" : " products"));
                    rober_run run(type, method, dt, linear, kind);
                    ASSERT_EQ(run.status, RWD_OK);
                    const auto dy0 = random_vector(rng, 3), dp = random_vector(rng, 3), w = random_vector(rng, 12);
                    std::vector<double> jv(12);
                    ASSERT_EQ(rwd_ts_tlm_solve(run.ts.get(), dy0.data(), 3, dp.data(), 3, jv.data(), 12), RWD_OK)
                        << last_error(run.ctx.get());
                    const auto [g_y0, g_p] = run.gradient(w);
                    const double forward = dot(jv, w);
                    const double reverse = dot(dy0, g_y0) + dot(dp, g_p);
                    EXPECT_LE(std::fabs(forward - reverse), 1e-10 * std::fabs(forward))
                        << forward << " vs " << reverse;
                }
            }
        }
    }
}

TEST(Implicit, ParameterGradientsComeFromTheSolvedAdjointStages) {
    // A peer takes the parameter term of implicit stages from the last Krylov vector instead of the solved adjoint
    // vector; then GMRES and dense gradients would disagree in dL/dp while dL/dy0 agreed.
    for (const auto& [type, method] : implicit_methods()) {
        SCOPED_TRACE(type + "/" + method);
        rober_run dense(type, method, 0.05, "dense");
        rober_run gmres(type, method, 0.05, "gmres", jacobian_kind::products);
        const std::vector<double> w(12, 1.0);
        const auto [gy_dense, gp_dense] = dense.gradient(w);
        const auto [gy_gmres, gp_gmres] = gmres.gradient(w);
        for (size_t i = 0; i < 3; ++i) {
            EXPECT_NEAR(gy_gmres[i], gy_dense[i], 1e-9 * (1.0 + std::fabs(gy_dense[i])));
            EXPECT_NEAR(gp_gmres[i], gp_dense[i], 1e-9 * (1.0 + std::fabs(gp_dense[i])));
        }
    }
}

TEST(Implicit, TaylorRemainderShrinksQuadratically) {
    std::mt19937 rng(5);
    for (auto [method, linear] : {std::pair<const char*, const char*>{"kvaerno4", "dense"}, {"sdirk4", "dense"},
                                  {"kvaerno5", "gmres"}, {"cn", "gmres"}}) {
        SCOPED_TRACE(std::string(method) + " " + linear);
        const std::string type = std::string(method) == "cn" ? "theta" : "esdirk";
        rober_run base(type, method, 0.05, linear);
        const auto w = random_vector(rng, 12), dy0 = random_vector(rng, 3), dp = random_vector(rng, 3);
        const auto [g_y0, g_p] = base.gradient(w);
        // The parameter direction is relative (dp_i p_i): the rates differ by orders of magnitude.
        double directional = dot(dy0, g_y0);
        for (size_t i = 0; i < 3; ++i) directional += dp[i] * base.p[i] * g_p[i];
        const double loss = dot(w, base.yout);
        double previous = 0.0;
        for (double eps : {1e-3, 5e-4, 2.5e-4}) {
            rober_run moved(type, method, 0.05, linear);
            for (size_t i = 0; i < 3; ++i) {
                moved.y0[i] += eps * dy0[i];
                moved.p[i] += eps * dp[i] * base.p[i];
            }
            ASSERT_EQ(rwd_ts_solve(moved.ts.get(), moved.field.get(), moved.y0.data(), 3, moved.p.data(), 3, 0.0,
                                   moved.tout.data(), 4, moved.yout.data()),
                      RWD_OK);
            const double remainder = std::fabs(dot(w, moved.yout) - loss - eps * directional);
            if (previous > 0.0) EXPECT_NEAR(previous / remainder, 4.0, 0.4);
            previous = remainder;
        }
    }
}

TEST(Implicit, CheckpointedGradientsEqualStoreAll) {
    for (const auto& [type, method] : implicit_methods()) {
        for (double dt : {0.05, 0.0}) {
            SCOPED_TRACE(type + "/" + method + (dt > 0 ? " fixed" : " adaptive"));
            const std::vector<double> w = {0.3, -1.0, 2.0, 0.5, 1.0, -0.2, 0.1, 0.7, -0.4, 1.1, 0.9, -0.6};
            rober_run reference(type, method, dt);
            const auto expected = reference.gradient(w);
            for (auto [trajectory, checkpoints] : {std::pair<const char*, int64_t>{"solution-only", 0},
                                                   {"binomial", 3}, {"online-binomial", 4}}) {
                SCOPED_TRACE(trajectory);
                rober_run run(type, method, dt, "dense", jacobian_kind::callback, trajectory, checkpoints);
                EXPECT_EQ(run.yout, reference.yout);
                EXPECT_EQ(run.gradient(w), expected);
            }
        }
    }
}

TEST(Implicit, StiffRobertsonKeepsItsInvariantAndForwardOnlyReusesJacobians) {
    auto ctx = make_context();
    auto field = robertson(ctx.get(), jacobian_kind::callback);
    const double y0[3] = {1.0, 0.0, 0.0}, p[3] = {0.04, 1e4, 3e7}, T = 1e5;
    double kept_jacobians = 0, reused_jacobians = 0;
    for (const char* trajectory : {"store-all", "none"}) {
        auto ts = make_implicit(ctx.get(), "esdirk", "kvaerno5", 0.0, "dense", 1e-8, 1e-14);
        ASSERT_EQ(rwd_ts_set_newton(ts.get(), 0.01, 10), RWD_OK);
        ASSERT_EQ(rwd_ts_set_trajectory(ts.get(), trajectory, 0, 0, nullptr, 0), RWD_OK);
        double y[3];
        ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), y0, 3, p, 3, 0.0, &T, 1, y), RWD_OK) << last_error(ctx.get());
        EXPECT_NEAR(y[0] + y[1] + y[2], 1.0, 1e-12);
        EXPECT_NEAR(y[0], 0.01786592, 1e-6);  // ROBER at t = 1e5 (Hairer & Wanner, Fig. IV.10.1 data)
        rwd_ts_stats stats{};
        ASSERT_EQ(rwd_ts_get_stats(ts.get(), &stats), RWD_OK);
        EXPECT_GT(stats.newton_iterations, 0);
        EXPECT_GT(stats.factorizations, 0);
        (std::string(trajectory) == "none" ? reused_jacobians : kept_jacobians) =
            static_cast<double>(stats.jacobian_evals) / static_cast<double>(stats.steps + stats.rejected_steps);
        if (std::string(trajectory) == "none") {
            std::vector<double> w(3, 1.0), g(3), gp(3);
            EXPECT_EQ(rwd_ts_adjoint_solve(ts.get(), w.data(), 3, g.data(), 3, gp.data(), 3), RWD_ERR_STATE);
            EXPECT_NE(last_error(ctx.get()).find("'none'"), std::string::npos);
        }
    }
    EXPECT_GE(kept_jacobians, 0.5);   // one per step (rejected attempts reuse it)
    EXPECT_LT(reused_jacobians, 0.5); // kept across steps
}

namespace {

// g(t, y, p) = y^2 for y' = p y: Q(T) = y0^2 (e^{2pT} - 1) / (2p).
int32_t square_cost(void*, double, const double* y, const double*, double* g) {
    *g = y[0] * y[0];
    return 0;
}
int32_t square_cost_gradient(void*, double, const double* y, const double*, double* dg_dy, double* dg_dp) {
    dg_dy[0] = 2.0 * y[0];
    dg_dp[0] = 0.0;
    return 0;
}

}  // namespace

TEST(Implicit, RunningCostIsIntegratedAndDifferentiatedExactly) {
    auto ctx = make_context();
    auto field = exponential(ctx.get());
    for (auto [type, method] : {std::pair<const char*, const char*>{"rk", "dopri5"}, {"esdirk", "kvaerno5"}}) {
        SCOPED_TRACE(method);
        rwd_ts* raw = nullptr;
        ASSERT_EQ(rwd_ts_create(ctx.get(), type, method, &raw), RWD_OK);
        ts_ptr ts(raw);
        ASSERT_EQ(rwd_ts_set_tolerances(ts.get(), 1e-11, 1e-13), RWD_OK);
        ASSERT_EQ(rwd_ts_set_running_cost(ts.get(), square_cost, square_cost_gradient, nullptr), RWD_OK);
        const double y0 = 1.5, p = -0.7, tout[2] = {1.0, 2.0};
        double y[2], q[2];
        ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, &p, 1, 0.0, tout, 2, y), RWD_OK) << last_error(ctx.get());
        ASSERT_EQ(rwd_ts_get_running_cost(ts.get(), q, 2), RWD_OK);
        for (int k = 0; k < 2; ++k)
            EXPECT_NEAR(q[k], y0 * y0 * (std::exp(2 * p * tout[k]) - 1) / (2 * p), 1e-9);
        // L = w . y + Q(T): dL/dp exactly, and the dot-product test against the tangent (dy, dQ).
        const double w[2] = {0.3, -0.8};
        double g_y0 = 0, g_p = 0;
        ASSERT_EQ(rwd_ts_adjoint_solve(ts.get(), w, 2, &g_y0, 1, &g_p, 1), RWD_OK) << last_error(ctx.get());
        const double T = tout[1], e = std::exp(2 * p * T);
        const double dq_dp = y0 * y0 * (2 * T * e * 2 * p - 2 * (e - 1)) / (4 * p * p);
        const double exact_p = w[0] * y0 * tout[0] * std::exp(p * tout[0]) + w[1] * y0 * T * std::exp(p * T) + dq_dp;
        EXPECT_NEAR(g_p, exact_p, 1e-8);
        const double dy0 = 0.4, dp = -1.3;
        double dy[2], dq[2];
        ASSERT_EQ(rwd_ts_tlm_solve(ts.get(), &dy0, 1, &dp, 1, dy, 2), RWD_OK);
        ASSERT_EQ(rwd_ts_get_running_cost_tangent(ts.get(), dq, 2), RWD_OK);
        const double forward = w[0] * dy[0] + w[1] * dy[1] + dq[1];
        EXPECT_NEAR(forward, dy0 * g_y0 + dp * g_p, 1e-13 * std::fabs(forward));
    }
}

namespace {

int32_t decay_f(void*, double, const double* y, const double*, double* dydt) {
    dydt[0] = -y[0];
    return 0;
}
int32_t decay_vjp(void*, double, const double*, const double*, const double* w, double* w_dy, double*) {
    w_dy[0] = -w[0];
    return 0;
}
// y' = -K sign(y) (+K at 0) from y0 = 0: backward Euler's Y = h f(Y) has no solution for any h > 0, and Newton
// (J = 0 away from the jump) alternates between hK and -hK, a correction far above the tolerance for any step
// that ten retries can reach.
int32_t flip_f(void*, double, const double* y, const double*, double* dydt) {
    dydt[0] = y[0] > 0.0 ? -1e6 : 1e6;
    return 0;
}
int32_t zero_jacobian(void*, double, const double*, const double*, double* dfdy) {
    dfdy[0] = 0.0;
    return 0;
}
// J = 10 makes beuler's iteration matrix I - 0.1 J exactly zero at dt = 0.1.
int32_t singular_jacobian(void*, double, const double*, const double*, double* dfdy) {
    dfdy[0] = 10.0;
    return 0;
}
int32_t nan_jacobian(void*, double t, const double*, const double*, double* dfdy) {
    dfdy[0] = t > 0.25 ? std::nan("") : -1.0;
    return 0;
}

field_ptr decay_with(rwd_context* ctx, rwd_field_jacobian_fn jacobian, rwd_field_f_fn f_fn = decay_f) {
    rwd_field* f = nullptr;
    EXPECT_EQ(rwd_field_create(ctx, 1, 0, f_fn, decay_vjp, nullptr, nullptr, &f), RWD_OK);
    EXPECT_EQ(rwd_field_set_jacobian(f, jacobian), RWD_OK);
    return field_ptr(f);
}

rwd_status solve_decay(rwd_context* ctx, rwd_field* field, const char* type, const char* method, double dt,
                       double y0 = 1.0) {
    auto ts = make_implicit(ctx, type, method, dt);
    const double T = 1.0;
    double y = 0.0;
    return rwd_ts_solve(ts.get(), field, &y0, 1, nullptr, 0, 0.0, &T, 1, &y);
}

}  // namespace

TEST(Implicit, NewtonDivergenceAtEveryRetryIsAConvergenceErrorNamingTimeAndStep) {
    auto ctx = make_context();
    auto field = decay_with(ctx.get(), zero_jacobian, flip_f);
    EXPECT_EQ(solve_decay(ctx.get(), field.get(), "theta", "beuler", 0.0, 0.0), RWD_ERR_CONVERGENCE);
    const std::string message = last_error(ctx.get());
    EXPECT_NE(message.find("step 0 from t = 0 failed 10 times in a row"), std::string::npos) << message;
    EXPECT_NE(message.find("diverged"), std::string::npos) << message;
    EXPECT_EQ(solve_decay(ctx.get(), field.get(), "theta", "beuler", 0.1, 0.0), RWD_ERR_CONVERGENCE);
    EXPECT_NE(last_error(ctx.get()).find("step 0 from t = 0 (h = 0.10000000000000001, fixed) failed: stage 1"),
              std::string::npos)
        << last_error(ctx.get());
}

TEST(Implicit, SingularIterationMatrixIsAConvergenceErrorNamingTimeAndStep) {
    auto ctx = make_context();
    auto field = decay_with(ctx.get(), singular_jacobian);
    EXPECT_EQ(solve_decay(ctx.get(), field.get(), "theta", "beuler", 0.1), RWD_ERR_CONVERGENCE);
    const std::string message = last_error(ctx.get());
    EXPECT_NE(message.find("step 0 from t = 0"), std::string::npos) << message;
    EXPECT_NE(message.find("singular"), std::string::npos) << message;
}

TEST(Implicit, NonFiniteJacobianNamesTimeStepAndEntry) {
    auto ctx = make_context();
    auto field = decay_with(ctx.get(), nan_jacobian);
    EXPECT_EQ(solve_decay(ctx.get(), field.get(), "esdirk", "kvaerno3", 0.1), RWD_ERR_NONFINITE);
    const std::string message = last_error(ctx.get());
    EXPECT_NE(message.find("jacobian at t = 0.30000000000000004 (step 3"), std::string::npos) << message;
    EXPECT_NE(message.find("dfdy[0][0]"), std::string::npos) << message;
}
