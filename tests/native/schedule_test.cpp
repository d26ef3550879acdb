// Checkpoint schedules on their own: optimal recomputation counts, budgets, and plans that are executable.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "rewind/schedule.h"
#include "trajectory/schedule.hpp"

namespace {

// Brute force over every split: the fewest recomputed steps to reverse `l` steps from a stored start with `c`
// states, when reversing one step costs one recomputation of its stages (l - 1 of them; the last is taped).
int64_t brute_force_advances(int64_t l, int64_t c, std::map<std::pair<int64_t, int64_t>, int64_t>& memo) {
    if (l <= 1) return 0;
    if (c == 1) return l * (l - 1) / 2;
    auto key = std::make_pair(l, c);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    int64_t best = INT64_MAX;
    for (int64_t m = 1; m < l; ++m)
        best = std::min(best, m + brute_force_advances(l - m, c - 1, memo) + brute_force_advances(m, c, memo));
    return memo[key] = best;
}

// Runs a plan on a model of the trajectory: checks that each reversed step starts from its own state, that every
// step is reversed once in decreasing order, and that no more than `budget` checkpoints are ever held.
void check_executable(const std::vector<rwd::schedule_action>& plan, int64_t steps, int64_t budget) {
    std::set<int64_t> held;
    int64_t current = -1, next_reverse = steps - 1;
    for (const auto& a : plan) {
        switch (a.kind) {
            case RWD_ACTION_FORWARD: current = a.to; break;
            case RWD_ACTION_STORE:
                ASSERT_TRUE(a.step == current || (current == -1 && a.step == 0)) << "store " << a.step;
                held.insert(a.step);
                ASSERT_LE(static_cast<int64_t>(held.size()), budget);
                break;
            case RWD_ACTION_FREE: ASSERT_EQ(held.erase(a.step), 1u) << "free " << a.step; break;
            case RWD_ACTION_RESTORE:
                ASSERT_EQ(held.count(a.step), 1u) << "restore " << a.step;
                current = a.step;
                break;
            case RWD_ACTION_ADVANCE:
                ASSERT_EQ(a.step, current);
                ASSERT_GT(a.to, a.step);
                current = a.to;
                break;
            case RWD_ACTION_REVERSE:
                ASSERT_EQ(a.step, next_reverse--);
                if (a.to == 1) ASSERT_EQ(current, a.step) << "reverse " << a.step << " from state " << current;
                break;
            default: FAIL() << "unknown action " << a.kind;
        }
    }
    EXPECT_EQ(next_reverse, -1);
}

rwd_schedule_summary summary_of(const char* type, int64_t steps, int64_t checkpoints,
                                std::vector<rwd::schedule_action>* plan = nullptr) {
    rwd_schedule_summary s{};
    int64_t count = 0;
    EXPECT_EQ(rwd_schedule_plan(type, steps, checkpoints, &s, nullptr, 0, &count), RWD_OK);
    if (plan != nullptr) {
        std::vector<rwd_schedule_action> raw(static_cast<size_t>(count));
        EXPECT_EQ(rwd_schedule_plan(type, steps, checkpoints, &s, raw.data(), count, &count), RWD_OK);
        plan->clear();
        for (const auto& a : raw) plan->push_back({a.kind, a.step, a.to});
    }
    return s;
}

}  // namespace

TEST(Schedule, ClosedFormIsTheBruteForceMinimum) {
    std::map<std::pair<int64_t, int64_t>, int64_t> memo;
    for (int64_t c = 1; c <= 6; ++c)
        for (int64_t n = 1; n <= 80; ++n)
            ASSERT_EQ(rwd::binomial_min_recomputations(n, c), brute_force_advances(n, c, memo)) << n << ", " << c;
}

TEST(Schedule, BinomialPlansRecomputeExactlyTheMinimum) {
    for (int64_t c = 1; c <= 8; ++c) {
        for (int64_t n = 1; n <= 300; n += (n < 40 ? 1 : 17)) {
            std::vector<rwd::schedule_action> plan;
            const auto s = summary_of("binomial", n, c, &plan);
            ASSERT_EQ(s.recomputed_steps, s.optimal_recomputed_steps) << n << ", " << c;
            ASSERT_LE(s.peak_checkpoints, c);
            check_executable(plan, n, c);
        }
    }
}

TEST(Schedule, TableOfOptimalCounts) {
    // (N, c) -> r N - C(c + r, c + 1), r the smallest integer with C(c + r, c) >= N.
    const struct { int64_t n, c, r, recomputed; } table[] = {
        {10, 1, 9, 45},     {10, 2, 3, 20},     {10, 3, 2, 15},        {100, 2, 13, 845}, {100, 5, 4, 316},
        {1000, 8, 5, 4285}, {1000, 16, 4, 2860}, {10000, 10, 7, 57624}, {7, 7, 1, 6},      {1, 4, 0, 0},
    };
    for (const auto& row : table) {
        const auto s = summary_of("binomial", row.n, row.c);
        EXPECT_EQ(s.repetitions, row.r) << row.n << ", " << row.c;
        EXPECT_EQ(s.recomputed_steps, row.recomputed) << row.n << ", " << row.c;
        EXPECT_EQ(s.optimal_recomputed_steps, row.recomputed) << row.n << ", " << row.c;
    }
}

TEST(Schedule, OnlinePlacementStaysWithinItsBudgetForAnyLength) {
    for (int64_t c : {1, 2, 3, 8, 16}) {
        rwd::online_placement placement(c);
        std::vector<int64_t> dropped;
        std::set<int64_t> held;
        for (int64_t step = 0; step < 5000; ++step) {
            dropped.clear();
            if (placement.offer(step, dropped)) held.insert(step);
            for (int64_t d : dropped) ASSERT_EQ(held.erase(d), 1u);
            ASSERT_LE(static_cast<int64_t>(held.size()), std::max<int64_t>(1, (c + 1) / 2));
            ASSERT_EQ(held.count(0), 1u);
        }
    }
    for (int64_t c : {1, 2, 5, 8})
        for (int64_t n : {1, 2, 7, 64, 65, 1000}) {
            std::vector<rwd::schedule_action> plan;
            const auto s = summary_of("online-binomial", n, c, &plan);
            EXPECT_LE(s.peak_checkpoints, c);
            EXPECT_GE(s.recomputed_steps, s.optimal_recomputed_steps);
            check_executable(plan, n, c);
        }
}

TEST(Schedule, SolutionOnlyAndStoreAll) {
    std::vector<rwd::schedule_action> plan;
    auto s = summary_of("solution-only", 50, 0, &plan);
    EXPECT_EQ(s.recomputed_steps, 49);  // every step but the last (its stages are still held) once
    check_executable(plan, 50, 50);
    s = summary_of("store-all", 50, 0, &plan);
    EXPECT_EQ(s.recomputed_steps, 0);
    check_executable(plan, 50, 50);
}

TEST(Schedule, BadInput) {
    rwd_schedule_summary s{};
    int64_t count = 0;
    EXPECT_EQ(rwd_schedule_plan("binomial", 10, 0, &s, nullptr, 0, &count), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_schedule_plan("binomial", 0, 3, &s, nullptr, 0, &count), RWD_ERR_ARGUMENT);
    EXPECT_EQ(rwd_schedule_plan("revolve", 10, 3, &s, nullptr, 0, &count), RWD_ERR_UNKNOWN_NAME);
}
