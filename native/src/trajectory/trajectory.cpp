#include "trajectory/trajectory.hpp"

#include "core/error.hpp"

namespace rwd {

std::unique_ptr<trajectory> make_trajectory(const std::string& type, int64_t budget) {
    if (type == "store-all") {
        require(budget == 0, RWD_ERR_ARGUMENT, "store-all keeps every step; its budget must be 0, not ", budget);
        return make_store_all();
    }
    fail(RWD_ERR_UNKNOWN_NAME, "unknown trajectory type '", type, "'; available: store-all");
}

}  // namespace rwd
