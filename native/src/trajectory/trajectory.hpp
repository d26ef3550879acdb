// What the forward solve keeps for the reverse pass. A trajectory (one implementation per file, chosen by name)
// decides which states and stages to hold; it rebuilds the others by replaying accepted steps of the method.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vec/vec.hpp"

namespace rwd {

struct step_record {
    double t;  // start of the step
    double h;  // accepted step size (a constant of the discrete solution)
};

// Replays one accepted step of the method from y (the state at record.t): writes y_next and, when kept is not
// NULL, the step's kept vectors (kept[0] = y, then its stage states).
using replay_fn = std::function<void(const step_record&, const rwd_vec& y, rwd_vec* const* kept, rwd_vec& y_next)>;

struct trajectory_options {
    std::string type = "store-all";
    int64_t checkpoints = 0;       // states held in memory (y0 included); 0 for store-all and solution-only
    int64_t disk_checkpoints = 0;  // multilevel: states held in files under `directory`
    std::string directory;
    int64_t planned_steps = 0;     // binomial: N planned by the caller (0: from the fixed step, or unknown)
};

class trajectory {
public:
    virtual ~trajectory() = default;

    // Starts a new forward solve whose steps keep `per_step` vectors (kept[0] = y_n, then stage states).
    // planned_steps is N when known in advance, else -1.
    virtual void begin(int per_step, int64_t planned_steps) = 0;
    // Appends accepted step number steps() (its kept vectors).
    virtual void push(const step_record& record, const rwd_vec* const* kept) = 0;
    // The kept vectors of `step`, valid until the next fetch. A reverse pass asks for steps N-1, ..., 0; a
    // tangent-linear pass for 0, ..., N-1; either may be repeated.
    virtual const rwd_vec* const* fetch(int64_t step, const replay_fn& replay) = 0;

    int64_t steps() const { return static_cast<int64_t>(records_.size()); }
    const step_record& record(int64_t step) const { return records_.at(static_cast<size_t>(step)); }

    // Vector bytes held now and at most since begin (states, stages; the (t, h) records are not counted).
    virtual int64_t bytes_kept() const = 0;
    virtual int64_t peak_bytes_kept() const = 0;
    virtual int64_t peak_disk_bytes_kept() const { return 0; }
    virtual int64_t recomputed_steps() const = 0;  // steps replayed by fetch since begin

protected:
    std::vector<step_record> records_;
};

// Validates the options (RWD_ERR_ARGUMENT, RWD_ERR_UNKNOWN_NAME, RWD_ERR_IO) and creates the trajectory.
std::unique_ptr<trajectory> make_trajectory(const trajectory_options& options);

std::unique_ptr<trajectory> make_no_trajectory();
std::unique_ptr<trajectory> make_store_all();
std::unique_ptr<trajectory> make_solution_only();
std::unique_ptr<trajectory> make_binomial(int64_t checkpoints, int64_t planned_steps);
std::unique_ptr<trajectory> make_online_binomial(int64_t checkpoints);
std::unique_ptr<trajectory> make_multilevel(int64_t ram_checkpoints, int64_t disk_checkpoints,
                                            const std::string& directory, int64_t planned_steps);

}  // namespace rwd
