// Forward solves through the C ABI: accuracy, output times, statistics, and every kind of bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_support.hpp"

using namespace rwdtest;

namespace {

double solve_exponential(const char* method, double dt, double rtol, double t_end, rwd_ts_stats* stats = nullptr) {
    auto ctx = make_context();
    auto field = exponential(ctx.get());
    auto ts = make_ts(ctx.get(), method, dt, rtol, rtol * 1e-3);
    double y0 = 1.0, p = -0.8, yout = 0.0;
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, &p, 1, 0.0, &t_end, 1, &yout), RWD_OK)
        << last_error(ctx.get());
    if (stats != nullptr) rwd_ts_get_stats(ts.get(), stats);
    return yout;
}

}  // namespace

TEST(Ts, FixedStepsConvergeAtTheTableausOrder) {
    const std::pair<const char*, int> orders[] = {{"euler", 1}, {"midpoint", 2}, {"heun", 2},  {"ralston3", 3},
                                                  {"rk4", 4},   {"bosh3", 3},    {"dopri5", 5}, {"tsit5", 5}};
    for (auto [method, order] : orders) {
        const double exact = std::exp(-0.8 * 2.0);
        const double coarse = std::fabs(solve_exponential(method, 0.04, 1e-6, 2.0) - exact);
        const double fine = std::fabs(solve_exponential(method, 0.02, 1e-6, 2.0) - exact);
        EXPECT_NEAR(std::log2(coarse / fine), order, 0.2) << method;
    }
}

TEST(Ts, MethodListNamesEveryTableau) {
    EXPECT_EQ(rk_methods(), (std::vector<std::string>{"euler", "midpoint", "heun", "ralston3", "rk4", "bosh3", "dopri5",
                                                      "tsit5"}));
    int64_t size = 0;
    char small[4];
    EXPECT_EQ(rwd_ts_methods("rk", small, 4, &size), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_ts_methods("bdf", nullptr, 0, &size), RWD_ERR_UNKNOWN_NAME);
}

// Tolerances bound the local error of each step; every method propagates a solution more accurate than the one
// its error estimate measures (an embedded pair's higher-order solution, or the Richardson extrapolation of step
// doubling), so the global error stays near the tolerance and falls as it is tightened.
TEST(Ts, AdaptiveStepsMeetTheToleranceForEveryMethod) {
    const double exact = std::exp(-0.8 * 3.0);
    for (const auto& method : rk_methods()) {
        rwd_ts_stats stats{};
        const double loose = std::fabs(solve_exponential(method.c_str(), 0.0, 1e-5, 3.0) - exact) / exact;
        const double tight = std::fabs(solve_exponential(method.c_str(), 0.0, 1e-8, 3.0, &stats) - exact) / exact;
        EXPECT_LT(tight, 10 * 1e-8) << method;
        EXPECT_LT(tight, loose / 20) << method;
        EXPECT_GT(stats.steps, 1) << method;
    }
}

TEST(Ts, LandsExactlyOnIrregularOutputTimes) {
    auto ctx = make_context();
    auto field = exponential(ctx.get());
    auto ts = make_ts(ctx.get(), "dopri5", 0.0, 1e-10, 1e-12);
    const std::vector<double> tout = {0.0, 0.013, 0.5, 0.5000001, 2.9, 3.0};
    std::vector<double> yout(tout.size());
    double y0 = 2.0, p = -0.8;
    ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, &p, 1, 0.0, tout.data(), 6, yout.data()), RWD_OK);
    EXPECT_EQ(yout[0], 2.0);
    for (size_t k = 0; k < tout.size(); ++k) EXPECT_NEAR(yout[k], 2.0 * std::exp(-0.8 * tout[k]), 1e-9) << k;
}

TEST(Ts, FirstSameAsLastSavesOneEvaluationPerStep) {
    rwd_ts_stats stats{};
    solve_exponential("dopri5", 0.1, 1e-6, 1.0, &stats);
    EXPECT_EQ(stats.steps, 10);
    EXPECT_EQ(stats.f_evals, 1 + 6 * 10);
    solve_exponential("rk4", 0.1, 1e-6, 1.0, &stats);
    EXPECT_EQ(stats.f_evals, 4 * 10);
    EXPECT_EQ(stats.rejected_steps, 0);
    EXPECT_EQ(stats.peak_bytes_kept, 10 * 4 * 8);  // rk4 keeps y_n and three more stage states per step
}

TEST(Ts, NonFiniteValueFromTheFieldNamesTimeStepAndComponent) {
    auto ctx = make_context();
    auto field = nan_after_half(ctx.get());
    auto ts = make_ts(ctx.get(), "rk4", 0.1);
    double y0 = 1.0, tout = 1.0, yout = 0.0;
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, nullptr, 0, 0.0, &tout, 1, &yout), RWD_ERR_NONFINITE);
    const auto message = last_error(ctx.get());
    EXPECT_NE(message.find("f at t = 0.55"), std::string::npos) << message;
    EXPECT_NE(message.find("(step 5, stage 1)"), std::string::npos) << message;
    EXPECT_NE(message.find("dydt[0]"), std::string::npos) << message;
}

TEST(Ts, StepSizeUnderflowAndStepLimitAreReported) {
    auto ctx = make_context();
    auto field = blow_up(ctx.get());
    auto ts = make_ts(ctx.get(), "dopri5", 0.0, 1e-8, 1e-8);
    double y0 = 1.0, tout = 2.0, yout = 0.0;
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, nullptr, 0, 0.0, &tout, 1, &yout), RWD_ERR_STEP_UNDERFLOW);
    EXPECT_NE(last_error(ctx.get()).find("fell below the minimum"), std::string::npos) << last_error(ctx.get());
    ASSERT_EQ(rwd_ts_set_max_steps(ts.get(), 10), RWD_OK);
    tout = 0.9;
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, nullptr, 0, 0.0, &tout, 1, &yout), RWD_ERR_MAX_STEPS);
    EXPECT_NE(last_error(ctx.get()).find("maximum of 10 steps"), std::string::npos) << last_error(ctx.get());
}

TEST(Ts, BadArgumentsAreRejectedBeforeSolving) {
    auto ctx = make_context();
    auto field = exponential(ctx.get());
    auto ts = make_ts(ctx.get(), "rk4", 0.1);
    double y0[2] = {1.0, 1.0}, p = -1.0, yout[2] = {0, 0};
    const double decreasing[2] = {1.0, 0.5};
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), y0, 1, &p, 1, 0.0, decreasing, 2, yout), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("tout[1] = 0.5 is not after tout[0] = 1"), std::string::npos);
    const double tout[1] = {1.0};
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), y0, 2, &p, 1, 0.0, tout, 1, yout), RWD_ERR_ARGUMENT);
    const double nan_y0 = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), &nan_y0, 1, &p, 1, 0.0, tout, 1, yout), RWD_ERR_NONFINITE);
    EXPECT_NE(last_error(ctx.get()).find("y0[0] is nan"), std::string::npos) << last_error(ctx.get());
    EXPECT_EQ(rwd_ts_set_step(ts.get(), -1.0), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_ts_set_tolerances(ts.get(), 0.0, 1e-9), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), "revolve-someday", 0, 0, nullptr, 0), RWD_ERR_UNKNOWN_NAME);
    rwd_ts* other = nullptr;
    EXPECT_EQ(rwd_ts_create(ctx.get(), "rk", "rk5000", &other), RWD_ERR_UNKNOWN_NAME);
    EXPECT_NE(last_error(ctx.get()).find("available: euler, midpoint"), std::string::npos) << last_error(ctx.get());
    EXPECT_EQ(other, nullptr);
    double grad = 0;
    EXPECT_EQ(rwd_ts_adjoint_solve(ts.get(), yout, 1, &grad, 1, &grad, 1), RWD_ERR_STATE);
}

TEST(Ts, CallbackFailureStopsTheSolve) {
    auto ctx = make_context();
    rwd_field* raw = nullptr;
    auto failing = [](void*, double, const double*, const double*, double*) -> int32_t { return 7; };
    auto vjp = [](void*, double, const double*, const double*, const double*, double*, double*) -> int32_t { return 0; };
    ASSERT_EQ(rwd_field_create(ctx.get(), 1, 0, failing, vjp, nullptr, nullptr, &raw), RWD_OK);
    field_ptr field(raw);
    auto ts = make_ts(ctx.get(), "euler", 0.1);
    double y0 = 1.0, tout = 1.0, yout = 0.0;
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), &y0, 1, nullptr, 0, 0.0, &tout, 1, &yout), RWD_ERR_CALLBACK);
    EXPECT_NE(last_error(ctx.get()).find("f at t = 0 (step 0, stage 0) failed with code 7"), std::string::npos)
        << last_error(ctx.get());
}

TEST(Ts, TableauGivesSizesThenCoefficients) {
    int32_t s = 0, order = 0, embedded = 0;
    ASSERT_EQ(rwd_ts_tableau("rk4", 0, &s, &order, &embedded, nullptr, nullptr, nullptr, nullptr), RWD_OK);
    EXPECT_EQ(s, 4);
    EXPECT_EQ(order, 4);
    EXPECT_EQ(embedded, 0);
    std::vector<double> c(4), a(16), b(4), b_err(4, 1.0);
    ASSERT_EQ(rwd_ts_tableau("rk4", 4, &s, &order, &embedded, c.data(), a.data(), b.data(), b_err.data()), RWD_OK);
    EXPECT_EQ(c, (std::vector<double>{0.0, 0.5, 0.5, 1.0}));
    EXPECT_EQ(b, (std::vector<double>{1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}));
    EXPECT_EQ(b_err, (std::vector<double>(4, 0.0)));
    EXPECT_EQ(a[1 * 4 + 0], 0.5);
    EXPECT_EQ(a[2 * 4 + 1], 0.5);
    EXPECT_EQ(a[3 * 4 + 2], 1.0);

    ASSERT_EQ(rwd_ts_tableau("bosh3", 0, &s, &order, &embedded, nullptr, nullptr, nullptr, nullptr), RWD_OK);
    EXPECT_EQ(s, 4);
    EXPECT_EQ(order, 3);
    EXPECT_EQ(embedded, 2);
    std::vector<double> c3(8), a3(64), b3(8), e3(8);
    ASSERT_EQ(rwd_ts_tableau("bosh3", 8, &s, &order, &embedded, c3.data(), a3.data(), b3.data(), e3.data()), RWD_OK);
    double sum_b = 0.0, sum_e = 0.0;
    for (int i = 0; i < s; ++i) {
        sum_b += b3[i];
        sum_e += e3[i];
        double row = 0.0;
        for (int j = 0; j < s; ++j) row += a3[i * s + j];
        EXPECT_NEAR(row, c3[i], 1e-15) << "row " << i;
    }
    EXPECT_NEAR(sum_b, 1.0, 1e-15);
    EXPECT_NEAR(sum_e, 0.0, 1e-15);
}

TEST(Ts, TableauRejectsImplicitUnknownAndSmallBuffers) {
    int32_t s = 0, order = 0, embedded = 0;
    EXPECT_EQ(rwd_ts_tableau("beuler", 0, &s, &order, &embedded, nullptr, nullptr, nullptr, nullptr),
              RWD_ERR_UNKNOWN_NAME);
    EXPECT_EQ(rwd_ts_tableau("kvaerno5", 0, &s, &order, &embedded, nullptr, nullptr, nullptr, nullptr),
              RWD_ERR_UNKNOWN_NAME);
    EXPECT_EQ(rwd_ts_tableau("nope", 0, &s, &order, &embedded, nullptr, nullptr, nullptr, nullptr),
              RWD_ERR_UNKNOWN_NAME);
    EXPECT_EQ(rwd_ts_tableau(nullptr, 0, &s, &order, &embedded, nullptr, nullptr, nullptr, nullptr), RWD_ERR_ARGUMENT);
    std::vector<double> c(3), a(9), b(3), e(3);
    EXPECT_EQ(rwd_ts_tableau("rk4", 3, &s, &order, &embedded, c.data(), a.data(), b.data(), e.data()),
              RWD_ERR_ARGUMENT);
    EXPECT_EQ(s, 4);  // the sizes are written even when the arrays are too small
    EXPECT_EQ(rwd_ts_tableau("rk4", 4, &s, &order, &embedded, c.data(), nullptr, b.data(), e.data()),
              RWD_ERR_ARGUMENT);
}
