// "solution-only": every state, no stages; the reverse pass recomputes each step's stages once.
#include "trajectory/checkpointed.hpp"

namespace rwd {
namespace {

class every_state final : public checkpoint_placement {
public:
    void begin(int64_t) override {}
    bool offer(int64_t, double, std::vector<int64_t>&) override { return true; }
    int64_t budget(int64_t steps) const override { return steps; }
};

}  // namespace

std::unique_ptr<trajectory> make_solution_only() {
    return make_checkpointed(std::make_unique<every_state>(), make_ram_store());
}

}  // namespace rwd
