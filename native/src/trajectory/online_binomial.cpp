// "online-binomial": for runs whose step count is unknown until they end (adaptive steps). The forward solve keeps
// at most ceil(c/2) evenly spaced states (online_placement: the spacing doubles when they would not fit, so the
// budget holds for any N); the reverse pass reverses each segment binomially with the slots left free.
#include "trajectory/checkpointed.hpp"
#include "trajectory/schedule.hpp"

namespace rwd {
namespace {

class online_placement_policy final : public checkpoint_placement {
public:
    explicit online_placement_policy(int64_t checkpoints) : checkpoints_(checkpoints), online_(checkpoints) {}
    void begin(int64_t) override { online_ = online_placement(checkpoints_); }
    bool offer(int64_t step, double, std::vector<int64_t>& dropped) override { return online_.offer(step, dropped); }
    int64_t budget(int64_t) const override { return checkpoints_; }

private:
    int64_t checkpoints_;
    online_placement online_;
};

}  // namespace

std::unique_ptr<trajectory> make_online_binomial(int64_t checkpoints) {
    return make_checkpointed(std::make_unique<online_placement_policy>(checkpoints), make_ram_store());
}

}  // namespace rwd
