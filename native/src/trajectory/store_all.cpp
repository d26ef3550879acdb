// "store-all": every accepted step keeps its starting state and stage states. The reference every other
// trajectory is tested against.
#include <algorithm>

#include "core/error.hpp"
#include "trajectory/trajectory.hpp"

namespace rwd {
namespace {

class store_all final : public trajectory {
public:
    void begin(int per_step, int64_t) override {
        records_.clear();
        kept_.clear();
        views_.assign(static_cast<size_t>(per_step), nullptr);
        per_step_ = per_step;
        bytes_ = 0;
        peak_ = 0;
    }

    void push(const step_record& record, const rwd_vec* const* kept) override {
        records_.push_back(record);
        for (int k = 0; k < per_step_; ++k) {
            kept_.push_back(make_like(*kept[k]));
            kept_.back()->ops->copy(kept_.back().get(), kept[k]);
            bytes_ += vec_bytes(*kept[k]);
        }
        peak_ = std::max(peak_, bytes_);
    }

    const rwd_vec* const* fetch(int64_t step, const replay_fn&) override {
        require(step >= 0 && step < steps(), RWD_ERR_INTERNAL, "trajectory step ", step, " out of range");
        for (int k = 0; k < per_step_; ++k) views_[k] = kept_[static_cast<size_t>(step * per_step_ + k)].get();
        return views_.data();
    }

    int64_t bytes_kept() const override { return bytes_; }
    int64_t peak_bytes_kept() const override { return peak_; }
    int64_t recomputed_steps() const override { return 0; }

private:
    int per_step_ = 0;
    std::vector<vec_ptr> kept_;
    std::vector<const rwd_vec*> views_;
    int64_t bytes_ = 0;
    int64_t peak_ = 0;
};

}  // namespace

std::unique_ptr<trajectory> make_store_all() { return std::make_unique<store_all>(); }

}  // namespace rwd
