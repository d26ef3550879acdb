/* rewind/context.h — the context: error state and log sink shared by every object created in it. */
#ifndef REWIND_CONTEXT_H
#define REWIND_CONTEXT_H

#include "rewind/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rwd_context rwd_context;

/* Log levels, ordered as Microsoft.Extensions.Logging.LogLevel. */
enum {
    RWD_LOG_TRACE = 0,
    RWD_LOG_DEBUG = 1,
    RWD_LOG_INFORMATION = 2,
    RWD_LOG_WARNING = 3,
    RWD_LOG_ERROR = 4,
    RWD_LOG_NONE = 6
};

/* Receives one formatted, NUL-terminated UTF-8 message. May be called from any thread that uses the context. */
typedef void (*rwd_log_fn)(void* user, int32_t level, const char* message);

RWD_EXPORT rwd_status rwd_context_create(rwd_context** out);
RWD_EXPORT void rwd_context_destroy(rwd_context* ctx); /* NULL is a no-op */

/* Message of the last failure of a call on an object of this context. Owned by the context; valid until the
   next failing call in it. Never NULL ("" when nothing failed). */
RWD_EXPORT rwd_status rwd_context_last_error(rwd_context* ctx, const char** message);

/* Messages at or above min_level go to fn; fn == NULL turns logging off. Messages below min_level are never
   formatted. */
RWD_EXPORT rwd_status rwd_context_set_log_callback(rwd_context* ctx, rwd_log_fn fn, void* user, int32_t min_level);

#ifdef __cplusplus
}
#endif

#endif
