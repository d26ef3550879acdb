// "binomial": Revolve's offline placement for a step count N known before the forward solve (fixed steps, or
// planned by the caller); the reverse pass then recomputes the Griewank–Walther minimum. Without N (adaptive
// steps, nothing planned) the forward solve places states as online-binomial does.
#include <set>

#include "core/error.hpp"
#include "trajectory/checkpointed.hpp"
#include "trajectory/schedule.hpp"

namespace rwd {
namespace {

class binomial_placement_policy final : public checkpoint_placement {
public:
    binomial_placement_policy(int64_t checkpoints, int64_t planned_steps)
        : checkpoints_(checkpoints), caller_planned_(planned_steps), online_(checkpoints) {}

    void begin(int64_t planned_steps) override {
        planned_ = caller_planned_ > 0 ? caller_planned_ : planned_steps;
        online_ = online_placement(checkpoints_);
        if (planned_ > 0) {
            const auto kept = rwd::binomial_placement(planned_, checkpoints_);
            positions_ = std::set<int64_t>(kept.begin(), kept.end());
        }
    }

    bool offer(int64_t step, double t, std::vector<int64_t>& dropped) override {
        if (planned_ <= 0) return online_.offer(step, dropped);
        require(step < planned_, RWD_ERR_ARGUMENT, "the binomial schedule was planned for ", planned_,
                " steps, but the solve needs more (step ", step, " at t = ", t,
                "); plan more steps or use online-binomial");
        return positions_.count(step) == 1;
    }

    int64_t budget(int64_t) const override { return checkpoints_; }

private:
    int64_t checkpoints_;
    int64_t caller_planned_;
    int64_t planned_ = -1;
    std::set<int64_t> positions_;
    online_placement online_;
};

}  // namespace

std::unique_ptr<checkpoint_placement> make_binomial_placement(int64_t checkpoints, int64_t planned_steps) {
    return std::make_unique<binomial_placement_policy>(checkpoints, planned_steps);
}

std::unique_ptr<trajectory> make_binomial(int64_t checkpoints, int64_t planned_steps) {
    return make_checkpointed(make_binomial_placement(checkpoints, planned_steps), make_ram_store());
}

}  // namespace rwd
