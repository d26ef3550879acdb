// "none": a forward-only solve keeps nothing for a reverse pass (only the step records).
#include "core/error.hpp"
#include "trajectory/trajectory.hpp"

namespace rwd {
namespace {

class no_trajectory final : public trajectory {
public:
    void begin(int, int64_t) override { records_.clear(); }
    void push(const step_record& record, const rwd_vec* const*) override { records_.push_back(record); }
    const rwd_vec* const* fetch(int64_t, const replay_fn&) override {
        fail(RWD_ERR_STATE, "the last solve kept no trajectory (type 'none'); solve with another trajectory type to "
                            "differentiate it");
    }
    int64_t bytes_kept() const override { return 0; }
    int64_t peak_bytes_kept() const override { return 0; }
    int64_t recomputed_steps() const override { return 0; }
};

}  // namespace

std::unique_ptr<trajectory> make_no_trajectory() { return std::make_unique<no_trajectory>(); }

}  // namespace rwd
