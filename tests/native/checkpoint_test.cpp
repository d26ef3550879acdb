// Checkpointed trajectories: the same gradients as store-all, bit for bit, for every schedule and budget, fixed
// and adaptive steps; the optimal number of recomputations; memory within the budget; disk files cleaned up.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <csignal>
#include <cstring>
#include <filesystem>

#include "test_support.hpp"

using namespace rwdtest;

namespace {

struct configuration {
    const char* type;
    int64_t checkpoints;
    int64_t disk;
};

struct outcome {
    std::vector<double> yout, grad_y0, grad_p, tangent;
    rwd_ts_stats stats{};
};

std::string scratch_directory() {
    auto dir = std::filesystem::temp_directory_path() / ("rewind-checkpoint-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir.string();
}

outcome run(const std::string& method, double dt, const configuration& c, const std::string& dir = "") {
    auto ctx = make_context();
    auto field = lotka_volterra(ctx.get());
    auto ts = make_ts(ctx.get(), method.c_str(), dt, 1e-6, 1e-8);
    EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), c.type, c.checkpoints, c.disk, dir.empty() ? nullptr : dir.c_str(), 0),
              RWD_OK)
        << last_error(ctx.get());
    const std::vector<double> tout = {0.0, 0.9, 2.2, 3.0};
    const std::vector<double> y0 = {1.0, 0.8}, p = {1.5, 1.0, 3.0, 1.0};
    outcome o;
    o.yout.resize(8);
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), y0.data(), 2, p.data(), 4, 0.0, tout.data(), 4, o.yout.data()), RWD_OK)
        << last_error(ctx.get());
    const std::vector<double> w = {0.3, -1.0, 0.7, 0.2, -0.4, 1.1, 0.9, -0.6};
    o.grad_y0.resize(2);
    o.grad_p.resize(4);
    EXPECT_EQ(rwd_ts_adjoint_solve(ts.get(), w.data(), 8, o.grad_y0.data(), 2, o.grad_p.data(), 4), RWD_OK)
        << last_error(ctx.get());
    rwd_ts_get_stats(ts.get(), &o.stats);
    // A second reverse pass and a tangent-linear pass on the same trajectory give the same numbers again.
    std::vector<double> again_y0(2), again_p(4);
    EXPECT_EQ(rwd_ts_adjoint_solve(ts.get(), w.data(), 8, again_y0.data(), 2, again_p.data(), 4), RWD_OK);
    EXPECT_EQ(again_y0, o.grad_y0);
    EXPECT_EQ(again_p, o.grad_p);
    const std::vector<double> dy0 = {0.5, -0.25}, dp = {0.1, 0.2, -0.3, 0.4};
    o.tangent.resize(8);
    EXPECT_EQ(rwd_ts_tlm_solve(ts.get(), dy0.data(), 2, dp.data(), 4, o.tangent.data(), 8), RWD_OK);
    return o;
}

}  // namespace

TEST(Checkpoint, EveryScheduleAndBudgetGivesTheStoreAllGradientBitForBit) {
    const std::string dir = scratch_directory();
    for (const auto& method : rk_methods()) {
        for (double dt : {0.05, 0.0}) {
            SCOPED_TRACE(method + (dt > 0 ? " fixed" : " adaptive"));
            const auto reference = run(method, dt, {"store-all", 0, 0});
            std::vector<configuration> configurations = {{"solution-only", 0, 0}, {"multilevel", 1, 2}, {"multilevel", 0, 3}};
            for (int64_t c : {1, 2, 3, 5, 8, 1000}) {
                configurations.push_back({"binomial", c, 0});
                configurations.push_back({"online-binomial", c, 0});
            }
            for (const auto& c : configurations) {
                SCOPED_TRACE(std::string(c.type) + " " + std::to_string(c.checkpoints) + "+" + std::to_string(c.disk));
                const auto o = run(method, dt, c, dir);
                EXPECT_EQ(o.yout, reference.yout);
                EXPECT_EQ(o.grad_y0, reference.grad_y0);
                EXPECT_EQ(o.grad_p, reference.grad_p);
                EXPECT_EQ(o.tangent, reference.tangent);
                EXPECT_EQ(o.stats.steps, reference.stats.steps);
            }
        }
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "checkpoint files left in " << dir;
    std::filesystem::remove_all(dir);
}

TEST(Checkpoint, FixedStepBinomialRecomputesTheOptimumWithinItsBudget) {
    for (int64_t c : {1, 2, 3, 4, 8, 16}) {
        SCOPED_TRACE(c);
        const auto o = run("rk4", 0.01, {"binomial", c, 0});  // 300 steps
        ASSERT_EQ(o.stats.steps, 300);
        rwd_schedule_summary summary{};
        int64_t count = 0;
        ASSERT_EQ(rwd_schedule_plan("binomial", 300, c, &summary, nullptr, 0, &count), RWD_OK);
        // Recomputed steps after one reverse pass: exactly the Griewank–Walther minimum. (run() also makes a
        // second reverse pass and a tangent-linear pass, counted on top.)
        auto ctx = make_context();
        auto field = lotka_volterra(ctx.get());
        auto ts = make_ts(ctx.get(), "rk4", 0.01);
        ASSERT_EQ(rwd_ts_set_trajectory(ts.get(), "binomial", c, 0, nullptr, 0), RWD_OK);
        const double y0[2] = {1.0, 0.8}, p[4] = {1.5, 1.0, 3.0, 1.0}, tout[1] = {3.0};
        double yout[2], w[2] = {1.0, 1.0}, g_y0[2], g_p[4];
        ASSERT_EQ(rwd_ts_solve(ts.get(), field.get(), y0, 2, p, 4, 0.0, tout, 1, yout), RWD_OK);
        ASSERT_EQ(rwd_ts_adjoint_solve(ts.get(), w, 2, g_y0, 2, g_p, 4), RWD_OK);
        rwd_ts_stats stats{};
        rwd_ts_get_stats(ts.get(), &stats);
        EXPECT_EQ(stats.recomputed_steps, summary.optimal_recomputed_steps);
        // Memory: c states plus one step's kept vectors (rk4: 4 states of 2 doubles).
        EXPECT_LE(stats.peak_bytes_kept, (c + 4) * 2 * 8);
        EXPECT_GT(stats.peak_bytes_kept, 0);
    }
}

TEST(Checkpoint, PeakMemoryStaysWithinTheBudgetForAdaptiveRuns) {
    for (int64_t c : {1, 3, 8}) {
        const auto o = run("dopri5", 0.0, {"online-binomial", c, 0});
        EXPECT_LE(o.stats.peak_bytes_kept, (c + 6) * 2 * 8) << c;
    }
    const auto all = run("dopri5", 0.0, {"store-all", 0, 0});
    EXPECT_EQ(all.stats.peak_bytes_kept, all.stats.steps * 6 * 2 * 8);
}

TEST(Checkpoint, BadBudgetsAndDirectories) {
    auto ctx = make_context();
    auto ts = make_ts(ctx.get(), "rk4", 0.1);
    EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), "binomial", 0, 0, nullptr, 0), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("at least 1 checkpoint"), std::string::npos) << last_error(ctx.get());
    EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), "store-all", 4, 0, nullptr, 0), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), "multilevel", 2, 0, "/tmp", 0), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_ts_set_trajectory(ts.get(), "multilevel", 2, 2, "/nonexistent/rewind", 0), RWD_ERR_IO);
    EXPECT_NE(last_error(ctx.get()).find("'/nonexistent/rewind' cannot be written"), std::string::npos)
        << last_error(ctx.get());
}

TEST(Checkpoint, ARunLongerThanPlannedFails) {
    auto ctx = make_context();
    auto field = lotka_volterra(ctx.get());
    auto ts = make_ts(ctx.get(), "dopri5", 0.0, 1e-8, 1e-10);
    ASSERT_EQ(rwd_ts_set_trajectory(ts.get(), "binomial", 4, 0, nullptr, 10), RWD_OK);
    const double y0[2] = {1.0, 0.8}, p[4] = {1.5, 1.0, 3.0, 1.0}, tout[1] = {5.0};
    double yout[2];
    EXPECT_EQ(rwd_ts_solve(ts.get(), field.get(), y0, 2, p, 4, 0.0, tout, 1, yout), RWD_ERR_ARGUMENT);
    EXPECT_NE(last_error(ctx.get()).find("planned for 10 steps, but the solve needs more (step 10 at t = "),
              std::string::npos)
        << last_error(ctx.get());
}

TEST(Checkpoint, AFullDiskFailsCleanlyAndLeavesNoFiles) {
    const std::string dir = scratch_directory();
    auto ctx = make_context();
    auto field = lotka_volterra(ctx.get());
    auto ts = make_ts(ctx.get(), "rk4", 0.01);
    ASSERT_EQ(rwd_ts_set_trajectory(ts.get(), "multilevel", 1, 4, dir.c_str(), 0), RWD_OK);
    // A file-size limit of 8 bytes makes the first 16-byte checkpoint write fail as a full disk would.
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit previous{};
    getrlimit(RLIMIT_FSIZE, &previous);
    rlimit tiny = previous;
    tiny.rlim_cur = 8;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    const double y0[2] = {1.0, 0.8}, p[4] = {1.5, 1.0, 3.0, 1.0}, tout[1] = {3.0};
    double yout[2];
    const rwd_status status = rwd_ts_solve(ts.get(), field.get(), y0, 2, p, 4, 0.0, tout, 1, yout);
    setrlimit(RLIMIT_FSIZE, &previous);
    EXPECT_EQ(status, RWD_ERR_IO);
    EXPECT_NE(last_error(ctx.get()).find("writing the checkpoint of step 0"), std::string::npos)
        << last_error(ctx.get());
    ts.reset();
    EXPECT_TRUE(std::filesystem::is_empty(dir)) << "checkpoint files left in " << dir;
    std::filesystem::remove_all(dir);
}
