#include <sstream>

#include "core/error.hpp"
#include "ts/method.hpp"

namespace rwd {
namespace {

struct ts_type {
    const char* name;
    std::unique_ptr<ts_method> (*create)(const std::string& method);
    std::vector<std::string> (*methods)();
};

const ts_type types[] = {
    {"rk", make_rk, rk_tableau_names},
    {"theta", make_theta, theta_method_names},
    {"esdirk", make_esdirk, esdirk_tableau_names},
};

const ts_type& find_type(const std::string& name) {
    for (const auto& type : types)
        if (name == type.name) return type;
    std::ostringstream known;
    for (const auto& type : types) known << (&type == types ? "" : ", ") << type.name;
    fail(RWD_ERR_UNKNOWN_NAME, "unknown ts type '", name, "'; available: ", known.str());
}

}  // namespace

std::unique_ptr<ts_method> make_method(const std::string& type, const std::string& method) {
    return find_type(type).create(method);
}

std::vector<std::string> method_names(const std::string& type) { return find_type(type).methods(); }

std::vector<std::string> type_names() {
    std::vector<std::string> names;
    for (const auto& type : types) names.push_back(type.name);
    return names;
}

}  // namespace rwd
