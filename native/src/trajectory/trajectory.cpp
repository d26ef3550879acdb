#include "trajectory/trajectory.hpp"

#include "core/error.hpp"

namespace rwd {

std::unique_ptr<trajectory> make_trajectory(const trajectory_options& o) {
    require(o.planned_steps >= 0, RWD_ERR_ARGUMENT, "planned steps = ", o.planned_steps, " is negative");
    const bool unbudgeted = o.type == "none" || o.type == "store-all" || o.type == "solution-only";
    if (unbudgeted) {
        require(o.checkpoints == 0 && o.disk_checkpoints == 0, RWD_ERR_ARGUMENT, o.type,
                " has no checkpoint budget; it must be 0, not ", o.checkpoints, " + ",
                o.disk_checkpoints);
        if (o.type == "none") return make_no_trajectory();
        return o.type == "store-all" ? make_store_all() : make_solution_only();
    }
    if (o.type == "binomial" || o.type == "online-binomial") {
        require(o.checkpoints >= 1, RWD_ERR_ARGUMENT, o.type, " needs at least 1 checkpoint (the initial state), not ",
                o.checkpoints);
        require(o.disk_checkpoints == 0, RWD_ERR_ARGUMENT, o.type, " keeps no checkpoints on disk; use multilevel");
        return o.type == "binomial" ? make_binomial(o.checkpoints, o.planned_steps)
                                    : make_online_binomial(o.checkpoints);
    }
    if (o.type == "multilevel") {
        require(o.checkpoints >= 0 && o.disk_checkpoints >= 1, RWD_ERR_ARGUMENT,
                "multilevel needs at least 1 disk checkpoint and no negative RAM ones (", o.checkpoints, " in RAM, ",
                o.disk_checkpoints, " on disk)");
        return make_multilevel(o.checkpoints, o.disk_checkpoints, o.directory, o.planned_steps);
    }
    fail(RWD_ERR_UNKNOWN_NAME, "unknown trajectory type '", o.type,
         "'; available: none, store-all, solution-only, binomial, online-binomial, multilevel");
}

}  // namespace rwd
