#include "trajectory/checkpointed.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "trajectory/schedule.hpp"

namespace rwd {
namespace {

class ram_store final : public checkpoint_store {
public:
    void clear() override {
        for (auto& [step, v] : states_) spare_.push_back(std::move(v));
        states_.clear();
        bytes_ = 0;
    }
    void put(int64_t step, const rwd_vec& state, bool) override {
        auto& slot = states_[step];
        if (!slot) {
            // The reverse pass stores and releases states all the time: reuse released vectors.
            if (!spare_.empty()) {
                slot = std::move(spare_.back());
                spare_.pop_back();
            } else {
                slot = make_like(state);
            }
            bytes_ += vec_bytes(state);
        }
        slot->ops->copy(slot.get(), &state);
    }
    void get(int64_t step, rwd_vec& state) override {
        auto it = states_.find(step);
        require(it != states_.end(), RWD_ERR_INTERNAL, "no checkpoint of step ", step);
        state.ops->copy(&state, it->second.get());
    }
    void remove(int64_t step) override {
        auto it = states_.find(step);
        if (it == states_.end()) return;
        bytes_ -= vec_bytes(*it->second);
        spare_.push_back(std::move(it->second));
        states_.erase(it);
    }
    int64_t ram_bytes() const override { return bytes_; }

private:
    std::map<int64_t, vec_ptr> states_;
    std::vector<vec_ptr> spare_;  // released vectors; never more than the budget, since they were all held at once
    int64_t bytes_ = 0;
};

class checkpointed final : public trajectory {
public:
    checkpointed(std::unique_ptr<checkpoint_placement> placement, std::unique_ptr<checkpoint_store> store)
        : placement_(std::move(placement)), store_(std::move(store)) {}

    void begin(int per_step, int64_t planned_steps) override {
        records_.clear();
        store_->clear();
        placement_->begin(planned_steps);
        held_.clear();
        per_step_ = per_step;
        tape_.clear();
        work_.clear();
        plan_.clear();
        next_action_ = 0;
        next_forward_ = -1;
        recomputed_ = 0;
        peak_ = 0;
        peak_disk_ = 0;
    }

    void push(const step_record& record, const rwd_vec* const* kept) override {
        const int64_t step = steps();
        dropped_.clear();
        const bool keep = placement_->offer(step, record.t, dropped_);
        for (int64_t d : dropped_) release(d);
        if (keep) {
            store_->put(step, *kept[0], true);
            held_.insert(step);
        }
        records_.push_back(record);
        // The last step's stages stay from the forward solve, so the reverse pass starts without recomputing.
        if (tape_.empty()) allocate(kept);
        for (int k = 0; k < per_step_; ++k) tape_[static_cast<size_t>(k)]->ops->copy(tape_[static_cast<size_t>(k)].get(), kept[k]);
        plan_.clear();
        track_peak();
    }

    const rwd_vec* const* fetch(int64_t step, const replay_fn& replay) override {
        const int64_t n = steps();
        require(step >= 0 && step < n, RWD_ERR_INTERNAL, "trajectory step ", step, " out of range");
        if (step == n - 1 && !continues_reverse_pass(step)) {
            const int64_t budget = placement_->budget(n);
            plan_ = plan_reversal(n, std::vector<int64_t>(held_.begin(), held_.end()), budget, true);
            next_action_ = 0;
        }
        if (continues_reverse_pass(step)) return reverse(step, replay);
        require(step == 0 || step == next_forward_, RWD_ERR_INTERNAL, "trajectory steps must be fetched in order (",
                step, " after ", next_forward_ - 1, ")");
        return forward(step, replay);
    }

    int64_t bytes_kept() const override { return store_->ram_bytes() + tape_bytes(); }
    int64_t peak_bytes_kept() const override { return peak_; }
    int64_t peak_disk_bytes_kept() const override { return peak_disk_; }
    int64_t recomputed_steps() const override { return recomputed_; }

private:
    bool continues_reverse_pass(int64_t step) const {
        for (size_t a = next_action_; a < plan_.size(); ++a)
            if (plan_[a].kind == RWD_ACTION_REVERSE) return plan_[a].step == step;
        return false;
    }

    const rwd_vec* const* reverse(int64_t step, const replay_fn& replay) {
        for (; next_action_ < plan_.size(); ++next_action_) {
            const auto& a = plan_[next_action_];
            switch (a.kind) {
                case RWD_ACTION_FREE: release(a.step); break;
                case RWD_ACTION_RESTORE: store_->get(a.step, *current_); break;
                case RWD_ACTION_ADVANCE:
                    for (int64_t j = a.step; j < a.to; ++j) advance(j, replay, nullptr);
                    break;
                case RWD_ACTION_STORE:
                    store_->put(a.step, *current_, false);
                    held_.insert(a.step);
                    track_peak();
                    break;
                case RWD_ACTION_REVERSE:
                    require(a.step == step, RWD_ERR_INTERNAL, "reverse pass out of order at step ", step);
                    ++next_action_;
                    if (a.to == 0) return tape_views_.data();
                    advance(step, replay, work_views_.data());
                    return work_views_.data();
                default: fail(RWD_ERR_INTERNAL, "unexpected schedule action ", a.kind);
            }
        }
        fail(RWD_ERR_INTERNAL, "the reverse plan ended before step ", step);
    }

    // Tangent-linear passes run forward from y0, recomputing each step's stages once.
    const rwd_vec* const* forward(int64_t step, const replay_fn& replay) {
        if (step == 0) store_->get(0, *current_);
        advance(step, replay, work_views_.data());
        next_forward_ = step + 1;
        return work_views_.data();
    }

    // Replays step j from current_, leaving its end state in current_ (and its stages in kept when given).
    void advance(int64_t j, const replay_fn& replay, rwd_vec* const* kept) {
        replay(records_[static_cast<size_t>(j)], *current_, kept, *next_);
        std::swap(current_, next_);
        ++recomputed_;
    }

    void release(int64_t step) {
        store_->remove(step);
        held_.erase(step);
    }

    void allocate(const rwd_vec* const* kept) {
        for (int k = 0; k < per_step_; ++k) {
            tape_.push_back(make_like(*kept[k]));
            work_.push_back(make_like(*kept[k]));
        }
        tape_views_.assign(tape_.size(), nullptr);
        work_views_.assign(work_.size(), nullptr);
        for (size_t k = 0; k < tape_.size(); ++k) {
            tape_views_[k] = tape_[k].get();
            work_views_[k] = work_[k].get();
        }
        current_ = make_like(*kept[0]);
        next_ = make_like(*kept[0]);
    }

    int64_t tape_bytes() const {
        int64_t bytes = 0;
        for (const auto& v : tape_) bytes += vec_bytes(*v);
        return bytes;
    }

    void track_peak() {
        peak_ = std::max(peak_, bytes_kept());
        peak_disk_ = std::max(peak_disk_, store_->disk_bytes());
    }

    std::unique_ptr<checkpoint_placement> placement_;
    std::unique_ptr<checkpoint_store> store_;
    std::set<int64_t> held_;
    std::vector<int64_t> dropped_;
    int per_step_ = 0;
    std::vector<vec_ptr> tape_, work_;  // the last step's kept vectors; a replayed step's kept vectors
    std::vector<rwd_vec*> tape_views_, work_views_;
    vec_ptr current_, next_;
    std::vector<schedule_action> plan_;
    size_t next_action_ = 0;
    int64_t next_forward_ = -1;
    int64_t recomputed_ = 0;
    int64_t peak_ = 0;
    int64_t peak_disk_ = 0;
};

}  // namespace

std::unique_ptr<checkpoint_store> make_ram_store() { return std::make_unique<ram_store>(); }

std::unique_ptr<trajectory> make_checkpointed(std::unique_ptr<checkpoint_placement> placement,
                                              std::unique_ptr<checkpoint_store> store) {
    return std::make_unique<checkpointed>(std::move(placement), std::move(store));
}

}  // namespace rwd
