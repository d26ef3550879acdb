// The context: last-error message and log sink shared by the objects created in it.
#pragma once

#include <cstdarg>
#include <mutex>
#include <string>

#include "rewind/context.h"

struct rwd_context {
    std::mutex mutex;  // guards last_error; objects of one context may be used from several threads
    std::string last_error;
    rwd_log_fn log_fn = nullptr;
    void* log_user = nullptr;
    int32_t log_level = RWD_LOG_NONE;

    bool logs(int32_t level) const { return log_fn != nullptr && level >= log_level && level < RWD_LOG_NONE; }
    // printf-style; formats only when the level is enabled.
    void log(int32_t level, const char* format, ...) const
#if defined(__GNUC__)
        __attribute__((format(printf, 3, 4)))
#endif
        ;
};
