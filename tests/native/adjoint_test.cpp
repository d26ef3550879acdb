// The discrete adjoint is the exact transpose of the tangent-linear solve of the same discrete solution.
#include <gtest/gtest.h>

#include <cmath>

#include "test_support.hpp"

using namespace rwdtest;

namespace {

struct lv_run {
    context_ptr ctx = make_context();
    field_ptr field = lotka_volterra(ctx.get());
    ts_ptr ts;
    std::vector<double> tout = {0.0, 0.7, 1.3, 2.0};
    std::vector<double> y0 = {1.0, 0.8};
    std::vector<double> p = {1.5, 1.0, 3.0, 1.0};
    std::vector<double> yout = std::vector<double>(8);

    lv_run(const std::string& method, double dt) : ts(make_ts(ctx.get(), method.c_str(), dt, 1e-7, 1e-9)) {
        EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), y0.data(), 2, p.data(), 4, 0.0, tout.data(), 4, yout.data()),
                  RWD_OK)
            << last_error(ctx.get());
    }
};

}  // namespace

TEST(Adjoint, DotProductTestForEveryMethodFixedAndAdaptive) {
    std::mt19937 rng(42);
    for (const auto& method : rk_methods()) {
        for (double dt : {0.05, 0.0}) {
            SCOPED_TRACE(method + (dt > 0 ? " fixed" : " adaptive"));
            lv_run run(method, dt);
            const auto dy0 = random_vector(rng, 2), dp = random_vector(rng, 4), w = random_vector(rng, 8);
            std::vector<double> jv(8), grad_y0(2), grad_p(4);
            ASSERT_EQ(rwd_ts_tlm_solve(run.ts.get(), dy0.data(), 2, dp.data(), 4, jv.data(), 8), RWD_OK);
            ASSERT_EQ(rwd_ts_adjoint_solve(run.ts.get(), w.data(), 8, grad_y0.data(), 2, grad_p.data(), 4), RWD_OK);
            const double forward = dot(jv, w);
            const double reverse = dot(dy0, grad_y0) + dot(dp, grad_p);
            EXPECT_LE(std::fabs(forward - reverse), 1e-12 * std::fabs(forward)) << forward << " vs " << reverse;
        }
    }
}

TEST(Adjoint, MatchesTheExactGradientOfTheExponential) {
    auto ctx = make_context();
    auto field = exponential(ctx.get());
    auto ts = make_ts(ctx.get(), "dopri5", 0.0, 1e-12, 1e-14);
    double y0 = 1.5, p = -0.7, tout = 2.0, yout = 0.0, w = 1.0, g_y0 = 0.0, g_p = 0.0;
    ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, &p, 1, 0.0, &tout, 1, &yout), RWD_OK);
    ASSERT_EQ(rwd_ts_adjoint_solve(ts.get(), &w, 1, &g_y0, 1, &g_p, 1), RWD_OK);
    EXPECT_NEAR(g_y0, std::exp(p * tout), 1e-10);
    EXPECT_NEAR(g_p, y0 * tout * std::exp(p * tout), 1e-10);
}

TEST(Adjoint, TaylorRemainderShrinksQuadratically) {
    std::mt19937 rng(7);
    lv_run base("rk4", 0.05);
    const auto w = random_vector(rng, 8), dy0 = random_vector(rng, 2), dp = random_vector(rng, 4);
    std::vector<double> g_y0(2), g_p(4);
    ASSERT_EQ(rwd_ts_adjoint_solve(base.ts.get(), w.data(), 8, g_y0.data(), 2, g_p.data(), 4), RWD_OK);
    const double directional = dot(dy0, g_y0) + dot(dp, g_p);
    const double loss = dot(w, base.yout);
    double previous = 0.0;
    for (double eps : {1e-2, 5e-3, 2.5e-3}) {
        lv_run moved("rk4", 0.05);
        for (int i = 0; i < 2; ++i) moved.y0[static_cast<size_t>(i)] += eps * dy0[static_cast<size_t>(i)];
        for (int i = 0; i < 4; ++i) moved.p[static_cast<size_t>(i)] += eps * dp[static_cast<size_t>(i)];
        ASSERT_EQ(rwd_ts_solve(moved.ts.get(), moved.field.get(), moved.y0.data(), 2, moved.p.data(), 4, 0.0,
                               moved.tout.data(), 4, moved.yout.data()),
                  RWD_OK);
        const double remainder = std::fabs(dot(w, moved.yout) - loss - eps * directional);
        if (previous > 0.0) EXPECT_NEAR(previous / remainder, 4.0, 0.2);
        previous = remainder;
    }
}

TEST(Adjoint, StatisticsCountTheReversePass) {
    lv_run run("dopri5", 0.1);
    rwd_ts_stats stats{};
    ASSERT_EQ(rwd_ts_get_stats(run.ts.get(), &stats), RWD_OK);
    EXPECT_EQ(stats.steps, 20);
    EXPECT_EQ(stats.peak_bytes_kept, 20 * 6 * 2 * 8);  // dopri5 keeps 6 stage states; its FSAL stage is not needed
    std::vector<double> w(8, 1.0), g_y0(2), g_p(4);
    ASSERT_EQ(rwd_ts_adjoint_solve(run.ts.get(), w.data(), 8, g_y0.data(), 2, g_p.data(), 4), RWD_OK);
    ASSERT_EQ(rwd_ts_get_stats(run.ts.get(), &stats), RWD_OK);
    EXPECT_EQ(stats.vjp_evals, 20 * 6);
    EXPECT_EQ(stats.recomputed_steps, 0);
    std::vector<double> wrong(7);
    EXPECT_EQ(rwd_ts_adjoint_solve(run.ts.get(), wrong.data(), 7, g_y0.data(), 2, g_p.data(), 4), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(run.ctx.get()).find("expected 4 output times x 2 states = 8"), std::string::npos);
}
