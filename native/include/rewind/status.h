/* rewind/status.h — status codes shared by every rwd_* function. */
#ifndef REWIND_STATUS_H
#define REWIND_STATUS_H

#include <stdint.h>

#include "rewind/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every rwd_* function returns one of these; 0 is success. The message of the last failure is kept per
   context (rwd_context_last_error) and per thread (rwd_last_error) for calls that fail before a context exists. */
typedef int32_t rwd_status;

enum {
    RWD_OK = 0,
    RWD_ERR_ARGUMENT = 1,       /* wrong size, null pointer, out-of-range value, non-increasing times   */
    RWD_ERR_NONFINITE = 2,      /* NaN or Inf in an input or produced by the vector field              */
    RWD_ERR_ALLOC = 3,          /* out of memory                                                       */
    RWD_ERR_STATE = 4,          /* object in the wrong phase (e.g. adjoint before solve)               */
    RWD_ERR_UNKNOWN_NAME = 5,   /* unknown method, backend or trajectory name                          */
    RWD_ERR_STEP_UNDERFLOW = 6, /* the step size fell below the minimum step                           */
    RWD_ERR_MAX_STEPS = 7,      /* the step limit was reached before the last output time              */
    RWD_ERR_CONVERGENCE = 8,    /* a nonlinear or linear solver failed to converge                     */
    RWD_ERR_CALLBACK = 9,       /* a user callback reported failure (its own error travels separately) */
    RWD_ERR_UNSUPPORTED = 10,   /* the operation needs something the object lacks (e.g. no jvp)         */
    RWD_ERR_INTERNAL = 11,      /* a bug in librewind                                                  */
    RWD_ERR_IO = 12             /* a checkpoint file could not be written or read                      */
};

/* ABI version: bumped whenever a declaration in these headers changes. Checked by the bindings at load. */
#define RWD_ABI_VERSION 5

RWD_EXPORT rwd_status rwd_abi_version(int32_t* version);

/* Message of the last failure on this thread (for calls without a context). Owned by the library, valid until
   the next failing call on this thread. Never NULL. */
RWD_EXPORT rwd_status rwd_last_error(const char** message);

#ifdef __cplusplus
}
#endif

#endif
