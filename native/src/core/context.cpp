#include <cstdio>
#include <vector>

#include "core/guard.hpp"

void rwd_context::log(int32_t level, const char* format, ...) const {
    if (!logs(level)) return;
    va_list args;
    va_start(args, format);
    va_list again;
    va_copy(again, args);
    int length = std::vsnprintf(nullptr, 0, format, args);
    va_end(args);
    if (length >= 0) {
        std::vector<char> text(static_cast<size_t>(length) + 1);
        std::vsnprintf(text.data(), text.size(), format, again);
        log_fn(log_user, level, text.data());
    }
    va_end(again);
}

extern "C" {

rwd_status rwd_context_create(rwd_context** out) {
    return rwd::guarded(nullptr, [&] {
        rwd::deref(out, "out");
        *out = new rwd_context();
    });
}

void rwd_context_destroy(rwd_context* ctx) { delete ctx; }

rwd_status rwd_context_last_error(rwd_context* ctx, const char** message) {
    return rwd::guarded(nullptr, [&] {
        auto& context = rwd::deref(ctx, "ctx");
        std::lock_guard<std::mutex> lock(context.mutex);
        rwd::deref(message, "message") = context.last_error.c_str();
    });
}

rwd_status rwd_context_set_log_callback(rwd_context* ctx, rwd_log_fn fn, void* user, int32_t min_level) {
    return rwd::guarded(ctx, [&] {
        auto& context = rwd::deref(ctx, "ctx");
        rwd::require(min_level >= RWD_LOG_TRACE && min_level <= RWD_LOG_NONE, RWD_ERR_ARGUMENT, "log level ",
                     min_level, " is outside [", RWD_LOG_TRACE, ", ", RWD_LOG_NONE, "]");
        context.log_fn = fn;
        context.log_user = user;
        context.log_level = min_level;
    });
}

}
