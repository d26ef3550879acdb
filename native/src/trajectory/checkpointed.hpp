// A trajectory that keeps some states as checkpoints and rebuilds the rest: a placement decides what the forward
// solve keeps, a store holds the states (RAM, or RAM and disk), and the reverse pass executes plan_reversal.
#pragma once

#include "trajectory/trajectory.hpp"

namespace rwd {

class checkpoint_placement {
public:
    virtual ~checkpoint_placement() = default;
    // planned_steps: N when known before the forward solve, else -1.
    virtual void begin(int64_t planned_steps) = 0;
    // The forward solve holds the state before step `step` (at time t): whether to keep it; states to release are
    // appended to dropped.
    virtual bool offer(int64_t step, double t, std::vector<int64_t>& dropped) = 0;
    // Checkpoint slots (states, y0 included) the reverse pass of a run of `steps` steps may use.
    virtual int64_t budget(int64_t steps) const = 0;
};

class checkpoint_store {
public:
    virtual ~checkpoint_store() = default;
    virtual void clear() = 0;
    // `forward`: kept by the forward solve, and so held longer than the reverse pass's own checkpoints.
    virtual void put(int64_t step, const rwd_vec& state, bool forward) = 0;
    virtual void get(int64_t step, rwd_vec& state) = 0;
    virtual void remove(int64_t step) = 0;
    virtual int64_t ram_bytes() const = 0;
    virtual int64_t disk_bytes() const { return 0; }
};

std::unique_ptr<checkpoint_store> make_ram_store();
// Offline binomial placement when N is known, online thinning otherwise (binomial.cpp).
std::unique_ptr<checkpoint_placement> make_binomial_placement(int64_t checkpoints, int64_t planned_steps);
std::unique_ptr<trajectory> make_checkpointed(std::unique_ptr<checkpoint_placement> placement,
                                              std::unique_ptr<checkpoint_store> store);

}  // namespace rwd
