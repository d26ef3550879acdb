/* rewind/field.h — a vector field dy/dt = f(t, y, p) given by C callbacks, with its vector–Jacobian products
   and (optionally) Jacobian–vector products. */
#ifndef REWIND_FIELD_H
#define REWIND_FIELD_H

#include "rewind/context.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rwd_field rwd_field;

/* Each callback returns 0 on success and anything else on failure; a failure stops the solve with
   RWD_ERR_CALLBACK (the callback keeps its own error for its caller). Arrays are host memory:
   y, dydt, w, w_dy have n entries; p, w_dp have np; v has n + np (the tangent of y, then of p). */

/* dydt = f(t, y, p) */
typedef int32_t (*rwd_field_f_fn)(void* user, double t, const double* y, const double* p, double* dydt);
/* w_dy = w^T df/dy, w_dp = w^T df/dp (overwrite, not accumulate) */
typedef int32_t (*rwd_field_vjp_fn)(void* user, double t, const double* y, const double* p, const double* w,
                                    double* w_dy, double* w_dp);
/* jv = df/dy v[0..n) + df/dp v[n..n+np) */
typedef int32_t (*rwd_field_jvp_fn)(void* user, double t, const double* y, const double* p, const double* v,
                                    double* jv);
/* dfdy = df/dy: n * n entries, row-major (dfdy[i * n + j] = df_i/dy_j), overwritten */
typedef int32_t (*rwd_field_jacobian_fn)(void* user, double t, const double* y, const double* p, double* dfdy);

/* f and vjp are required; jvp may be NULL (then tangent-linear solves fail with RWD_ERR_UNSUPPORTED).
   n >= 1, np >= 0. The user pointer is passed back unchanged and never freed. */
RWD_EXPORT rwd_status rwd_field_create(rwd_context* ctx, int64_t n, int64_t np, rwd_field_f_fn f,
                                       rwd_field_vjp_fn vjp, rwd_field_jvp_fn jvp, void* user, rwd_field** out);
RWD_EXPORT void rwd_field_destroy(rwd_field* field); /* NULL is a no-op */

/* Gives the field a dense Jacobian (NULL removes it). Implicit methods build their iteration matrices from it;
   without one they use jvp (or vjp) products, and finite differences of f in the forward solve only. */
RWD_EXPORT rwd_status rwd_field_set_jacobian(rwd_field* field, rwd_field_jacobian_fn jacobian);

#ifdef __cplusplus
}
#endif

#endif
