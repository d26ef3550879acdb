// Internal error type: every failure inside librewind is an rwd::error carrying the status the C ABI returns.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

#include "rewind/status.h"

namespace rwd {

class error : public std::runtime_error {
public:
    error(rwd_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    rwd_status status() const noexcept { return status_; }

private:
    rwd_status status_;
};

// Builds a message from streamable parts: fail(RWD_ERR_ARGUMENT, "y0 has ", n, " entries; expected ", m).
template <class... Parts>
[[noreturn]] void fail(rwd_status status, const Parts&... parts) {
    std::ostringstream out;
    out.precision(17);
    (out << ... << parts);
    throw error(status, out.str());
}

template <class... Parts>
void require(bool condition, rwd_status status, const Parts&... parts) {
    if (!condition) fail(status, parts...);
}

}  // namespace rwd
