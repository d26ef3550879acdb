// Checkpoint schedules: pure functions of (steps, checkpoints). Placement decides which states the forward solve
// keeps; plan_reversal turns any set of kept states into the reverse pass, recursing binomially (Griewank &
// Walther, Revolve) with whatever checkpoint slots are free. Trajectories execute these plans.
#pragma once

#include <cstdint>
#include <vector>

#include "rewind/schedule.h"

namespace rwd {

struct schedule_action {
    int32_t kind;  // RWD_ACTION_*
    int64_t step;
    int64_t to;
};

// beta(s, t) = C(s + t, s), saturating at INT64_MAX.
int64_t binomial_beta(int64_t s, int64_t t);
// r: the smallest integer with beta(c, r) >= steps.
int64_t binomial_repetitions(int64_t steps, int64_t checkpoints);
// The Griewank–Walther minimum of recomputed steps to reverse `steps` steps with `checkpoints` states (y0 included)
// when the last step's stages are kept by the forward solve: r N - beta(c + 1, r - 1).
int64_t binomial_min_recomputations(int64_t steps, int64_t checkpoints);
// Where to put the next checkpoint when reversing `length` steps with `snaps` states: an optimal split m in [1, length).
int64_t binomial_split(int64_t length, int64_t snaps);

// States the forward solve keeps (sorted, always starting with 0) for N steps and c checkpoints.
std::vector<int64_t> binomial_placement(int64_t steps, int64_t checkpoints);
// Placement without knowing N: at most ceil(c / 2) states, evenly spaced by a power of two that doubles (dropping
// every other state) whenever they would not fit. The free half of the budget serves the reverse pass.
class online_placement {
public:
    explicit online_placement(int64_t checkpoints);
    // Called for every state the forward solve reaches (step = 0, 1, 2, ...); returns whether to keep it, and
    // appends to `dropped` the kept states to release.
    bool offer(int64_t step, std::vector<int64_t>& dropped);
    const std::vector<int64_t>& kept() const { return kept_; }

private:
    int64_t capacity_;
    int64_t spacing_ = 1;
    std::vector<int64_t> kept_;
};
std::vector<int64_t> online_placement_for(int64_t steps, int64_t checkpoints);

// The reverse pass over `steps` steps from the kept states `kept` (sorted, containing 0) with `checkpoints` slots
// in all. With tape_last, the stages of the last step are still held from the forward solve.
std::vector<schedule_action> plan_reversal(int64_t steps, const std::vector<int64_t>& kept, int64_t checkpoints,
                                           bool tape_last);

// The forward actions that produce `kept` (forward/store), for printing a whole schedule.
std::vector<schedule_action> plan_forward(int64_t steps, const std::vector<int64_t>& kept);

struct schedule_counts {
    int64_t recomputed_steps = 0;
    int64_t peak_checkpoints = 0;
};
schedule_counts count_actions(const std::vector<schedule_action>& plan);

}  // namespace rwd
