#include <string>

#include "core/guard.hpp"

namespace {
thread_local std::string thread_last_error;
}

namespace rwd {

rwd_status record_failure(rwd_context* ctx, rwd_status status, const char* message) noexcept {
    try {
        thread_last_error = message;
        if (ctx != nullptr) {
            std::lock_guard<std::mutex> lock(ctx->mutex);
            ctx->last_error = message;
        }
        if (ctx != nullptr && ctx->logs(RWD_LOG_DEBUG)) ctx->log(RWD_LOG_DEBUG, "error %d: %s", status, message);
    } catch (...) {
        // Out of memory while copying the message: the status still says what happened.
    }
    return status;
}

}  // namespace rwd

extern "C" {

rwd_status rwd_abi_version(int32_t* version) {
    return rwd::guarded(nullptr, [&] { rwd::deref(version, "version") = RWD_ABI_VERSION; });
}

rwd_status rwd_last_error(const char** message) {
    return rwd::guarded(nullptr, [&] { rwd::deref(message, "message") = thread_last_error.c_str(); });
}

}
