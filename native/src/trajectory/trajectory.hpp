// What the forward solve keeps for the reverse pass. A trajectory implementation (one per file, chosen by name)
// decides which steps' vectors to hold; it can rebuild the others through the recompute function, which replays
// one accepted step of the method from its starting state.
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

// Rebuilds the kept vectors of one step: given its record and kept[0] = y_n, fills kept[1..].
using recompute_fn = std::function<void(const step_record&, rwd_vec* const* kept)>;

class trajectory {
public:
    virtual ~trajectory() = default;

    // Starts a new forward solve whose steps each keep `per_step` vectors (kept[0] = y_n, then the method's
    // stage states).
    virtual void begin(int per_step) = 0;
    // Appends an accepted step; kept holds per_step vectors.
    virtual void push(const step_record& record, const rwd_vec* const* kept) = 0;
    virtual int64_t steps() const = 0;
    virtual const step_record& record(int64_t step) const = 0;
    // The kept vectors of `step`, valid until the next fetch. The reverse pass asks for steps in decreasing order,
    // the tangent-linear pass in increasing order.
    virtual const rwd_vec* const* fetch(int64_t step, const recompute_fn& recompute) = 0;

    virtual int64_t bytes_kept() const = 0;        // vector bytes held now (step records excluded)
    virtual int64_t peak_bytes_kept() const = 0;   // largest bytes_kept since begin
    virtual int64_t recomputed_steps() const = 0;  // steps replayed by fetch since begin
};

std::unique_ptr<trajectory> make_trajectory(const std::string& type, int64_t budget);
std::unique_ptr<trajectory> make_store_all();

}  // namespace rwd
