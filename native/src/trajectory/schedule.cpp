#include "trajectory/schedule.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <string>

#include "core/guard.hpp"

namespace rwd {

int64_t binomial_beta(int64_t s, int64_t t) {
    if (t < 0 || s < 0) return 0;
    // C(s + t, s) = prod_{i=1..t} (s + i) / i, exact at every step; saturate instead of overflowing.
    int64_t value = 1;
    for (int64_t i = 1; i <= t; ++i) {
        if (value > std::numeric_limits<int64_t>::max() / (s + i)) return std::numeric_limits<int64_t>::max();
        value = value * (s + i) / i;
    }
    return value;
}

int64_t binomial_repetitions(int64_t steps, int64_t checkpoints) {
    int64_t r = 0;
    while (binomial_beta(checkpoints, r) < steps) ++r;
    return r;
}

int64_t binomial_min_recomputations(int64_t steps, int64_t checkpoints) {
    if (steps <= 1) return 0;
    const int64_t r = binomial_repetitions(steps, checkpoints);
    return r * steps - binomial_beta(checkpoints + 1, r - 1);
}

int64_t binomial_split(int64_t length, int64_t snaps) {
    const int64_t r = binomial_repetitions(length, snaps);
    // Any m in [max(beta(c, r-2), l - beta(c-1, r)), min(beta(c, r-1), l - beta(c-1, r-1))] is optimal; the upper end
    // advances as far as possible.
    const int64_t m = std::min(binomial_beta(snaps, r - 1), length - binomial_beta(snaps - 1, r - 1));
    return std::max<int64_t>(1, std::min(m, length - 1));
}

std::vector<int64_t> binomial_placement(int64_t steps, int64_t checkpoints) {
    std::vector<int64_t> kept{0};
    int64_t position = 0;
    for (int64_t snaps = checkpoints; snaps > 1 && steps - position > 1; --snaps) {
        position += binomial_split(steps - position, snaps);
        kept.push_back(position);
    }
    return kept;
}

online_placement::online_placement(int64_t checkpoints) : capacity_(std::max<int64_t>(1, (checkpoints + 1) / 2)) {}

bool online_placement::offer(int64_t step, std::vector<int64_t>& dropped) {
    if (step % spacing_ != 0) return false;
    kept_.push_back(step);
    bool keep = true;
    while (static_cast<int64_t>(kept_.size()) > capacity_) {
        spacing_ *= 2;
        std::vector<int64_t> still;
        for (int64_t s : kept_) {
            if (s % spacing_ == 0) {
                still.push_back(s);
            } else if (s == step) {
                keep = false;  // never stored, so nothing to release
            } else {
                dropped.push_back(s);
            }
        }
        kept_ = std::move(still);
    }
    return keep;
}

std::vector<int64_t> online_placement_for(int64_t steps, int64_t checkpoints) {
    online_placement placement(checkpoints);
    std::vector<int64_t> dropped;
    for (int64_t step = 0; step < steps; ++step) placement.offer(step, dropped);
    return placement.kept();
}

std::vector<schedule_action> plan_reversal(int64_t steps, const std::vector<int64_t>& kept, int64_t checkpoints,
                                           bool tape_last) {
    std::vector<schedule_action> plan;
    std::set<int64_t> stored(kept.begin(), kept.end());
    require(stored.count(0) == 1, RWD_ERR_INTERNAL, "a reverse pass needs the initial state among the checkpoints");
    for (int64_t i = steps - 1; i >= 0; --i) {
        while (!stored.empty() && *stored.rbegin() > i) {
            plan.push_back({RWD_ACTION_FREE, *stored.rbegin(), 0});
            stored.erase(std::prev(stored.end()));
        }
        if (i == steps - 1 && tape_last) {
            plan.push_back({RWD_ACTION_REVERSE, i, 0});
            continue;
        }
        int64_t current = *stored.rbegin();
        plan.push_back({RWD_ACTION_RESTORE, current, 0});
        while (current < i) {
            const int64_t free = checkpoints - static_cast<int64_t>(stored.size());
            if (free <= 0) {
                plan.push_back({RWD_ACTION_ADVANCE, current, i});
                current = i;
                break;
            }
            const int64_t next = current + binomial_split(i + 1 - current, free + 1);
            plan.push_back({RWD_ACTION_ADVANCE, current, next});
            plan.push_back({RWD_ACTION_STORE, next, 0});
            stored.insert(next);
            current = next;
        }
        plan.push_back({RWD_ACTION_REVERSE, i, 1});
    }
    return plan;
}

std::vector<schedule_action> plan_forward(int64_t steps, const std::vector<int64_t>& kept) {
    std::vector<schedule_action> plan;
    int64_t at = 0;
    for (int64_t s : kept) {
        if (s > at) plan.push_back({RWD_ACTION_FORWARD, at, s});
        plan.push_back({RWD_ACTION_STORE, s, 0});
        at = s;
    }
    if (steps > at) plan.push_back({RWD_ACTION_FORWARD, at, steps});
    return plan;
}

schedule_counts count_actions(const std::vector<schedule_action>& plan) {
    schedule_counts counts;
    int64_t held = 0;
    for (const auto& a : plan) {
        if (a.kind == RWD_ACTION_ADVANCE) counts.recomputed_steps += a.to - a.step;
        if (a.kind == RWD_ACTION_REVERSE && a.to == 1) ++counts.recomputed_steps;
        if (a.kind == RWD_ACTION_STORE) counts.peak_checkpoints = std::max(counts.peak_checkpoints, ++held);
        if (a.kind == RWD_ACTION_FREE) --held;
    }
    return counts;
}

namespace {

// The online placement as the forward solve meets it: stores and the frees of thinning, in order.
std::vector<schedule_action> plan_forward_online(int64_t steps, int64_t checkpoints, std::vector<int64_t>& kept) {
    std::vector<schedule_action> plan;
    online_placement placement(checkpoints);
    std::vector<int64_t> dropped;
    int64_t at = 0;
    for (int64_t step = 0; step < steps; ++step) {
        dropped.clear();
        const bool keep = placement.offer(step, dropped);
        if (!keep && dropped.empty()) continue;
        if (step > at) plan.push_back({RWD_ACTION_FORWARD, at, step});
        at = step;
        for (int64_t d : dropped) plan.push_back({RWD_ACTION_FREE, d, 0});
        if (keep) plan.push_back({RWD_ACTION_STORE, step, 0});
    }
    if (steps > at) plan.push_back({RWD_ACTION_FORWARD, at, steps});
    kept = placement.kept();
    return plan;
}

std::vector<int64_t> every_state(int64_t steps) {
    std::vector<int64_t> all(static_cast<size_t>(steps));
    for (int64_t i = 0; i < steps; ++i) all[static_cast<size_t>(i)] = i;
    return all;
}

std::vector<schedule_action> whole_plan(const std::string& type, int64_t steps, int64_t checkpoints) {
    std::vector<schedule_action> plan;
    std::vector<int64_t> kept;
    if (type == "store-all") {
        plan = plan_forward(steps, every_state(steps));
        for (int64_t i = steps - 1; i >= 0; --i) plan.push_back({RWD_ACTION_REVERSE, i, 0});
        return plan;
    }
    if (type == "solution-only") {
        kept = every_state(steps);
        plan = plan_forward(steps, kept);
        checkpoints = steps;
    } else if (type == "binomial") {
        kept = binomial_placement(steps, checkpoints);
        plan = plan_forward(steps, kept);
    } else if (type == "online-binomial") {
        plan = plan_forward_online(steps, checkpoints, kept);
    } else {
        fail(RWD_ERR_UNKNOWN_NAME, "unknown schedule '", type,
             "'; available: store-all, solution-only, binomial, online-binomial");
    }
    const auto reverse = plan_reversal(steps, kept, checkpoints, true);
    plan.insert(plan.end(), reverse.begin(), reverse.end());
    return plan;
}

}  // namespace
}  // namespace rwd

extern "C" {

rwd_status rwd_schedule_plan(const char* type, int64_t steps, int64_t checkpoints, rwd_schedule_summary* summary,
                             rwd_schedule_action* actions, int64_t capacity, int64_t* count) {
    return rwd::guarded(nullptr, [&] {
        const std::string name = rwd::text(type, "type");
        rwd::require(steps >= 1, RWD_ERR_ARGUMENT, "steps = ", steps, " must be at least 1");
        const bool budgeted = name == "binomial" || name == "online-binomial";
        rwd::require(!budgeted || checkpoints >= 1, RWD_ERR_ARGUMENT, "checkpoints = ", checkpoints,
                     " must be at least 1 (the initial state)");
        rwd::deref(summary, "summary");
        rwd::deref(count, "count");
        rwd::require(actions == nullptr || capacity >= 0, RWD_ERR_ARGUMENT, "capacity = ", capacity, " is negative");
        const auto plan = rwd::whole_plan(name, steps, checkpoints);
        const auto counts = rwd::count_actions(plan);
        const int64_t budget = budgeted ? checkpoints : steps;
        *summary = {steps,
                    budget,
                    counts.recomputed_steps,
                    rwd::binomial_min_recomputations(steps, budget),
                    rwd::binomial_repetitions(steps, budget),
                    counts.peak_checkpoints};
        *count = static_cast<int64_t>(plan.size());
        if (actions == nullptr) return;
        const size_t n = std::min(plan.size(), static_cast<size_t>(capacity));
        for (size_t i = 0; i < n; ++i) actions[i] = {plan[i].kind, 0, plan[i].step, plan[i].to};
    });
}

}
