/* rewind/vec.h — vectors with a backend chosen by name ("cpu"). Integrators touch data only through these ops. */
#ifndef REWIND_VEC_H
#define REWIND_VEC_H

#include "rewind/context.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rwd_vec rwd_vec;

/* backend: "cpu" (always present). Unknown names fail with RWD_ERR_UNKNOWN_NAME. Contents start at zero. */
RWD_EXPORT rwd_status rwd_vec_create(rwd_context* ctx, const char* backend, int64_t n, rwd_vec** out);
RWD_EXPORT void rwd_vec_destroy(rwd_vec* v); /* NULL is a no-op */

RWD_EXPORT rwd_status rwd_vec_size(const rwd_vec* v, int64_t* n);
RWD_EXPORT rwd_status rwd_vec_set(rwd_vec* v, const double* data, int64_t n);  /* v = data; n must equal size */
RWD_EXPORT rwd_status rwd_vec_get(const rwd_vec* v, double* data, int64_t n);  /* data = v; n must equal size */

RWD_EXPORT rwd_status rwd_vec_copy(rwd_vec* y, const rwd_vec* x);                       /* y = x          */
RWD_EXPORT rwd_status rwd_vec_scale(rwd_vec* y, double alpha);                          /* y = alpha y    */
RWD_EXPORT rwd_status rwd_vec_axpy(rwd_vec* y, double alpha, const rwd_vec* x);         /* y += alpha x   */
RWD_EXPORT rwd_status rwd_vec_axpby(rwd_vec* y, double alpha, const rwd_vec* x, double beta); /* y = alpha x + beta y */
RWD_EXPORT rwd_status rwd_vec_dot(const rwd_vec* x, const rwd_vec* y, double* out);      /* out = x . y    */
RWD_EXPORT rwd_status rwd_vec_norm2(const rwd_vec* x, double* out);                       /* out = ||x||_2  */

#ifdef __cplusplus
}
#endif

#endif
