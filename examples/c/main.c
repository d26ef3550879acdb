/* Solves Lotka–Volterra with dopri5 through librewind's C ABI, then computes the gradient of
   L = 0.5 ||y(10) - (1, 1)||^2 with respect to y0 and the parameters by the discrete adjoint. */
#include <stdio.h>

#include <rewind/rewind.h>

/* p = (a, b, c, d): prey' = a prey - b prey predator, predator' = -c predator + d prey predator */
static int32_t lotka_volterra(void* user, double t, const double* y, const double* p, double* dydt)
{
    (void)user;
    (void)t;
    dydt[0] = p[0] * y[0] - p[1] * y[0] * y[1];
    dydt[1] = -p[2] * y[1] + p[3] * y[0] * y[1];
    return 0;
}

/* w_dy = w^T df/dy, w_dp = w^T df/dp */
static int32_t lotka_volterra_vjp(void* user, double t, const double* y, const double* p, const double* w,
                                  double* w_dy, double* w_dp)
{
    (void)user;
    (void)t;
    w_dy[0] = w[0] * (p[0] - p[1] * y[1]) + w[1] * p[3] * y[1];
    w_dy[1] = -w[0] * p[1] * y[0] + w[1] * (p[3] * y[0] - p[2]);
    w_dp[0] = w[0] * y[0];
    w_dp[1] = -w[0] * y[0] * y[1];
    w_dp[2] = -w[1] * y[1];
    w_dp[3] = w[1] * y[0] * y[1];
    return 0;
}

/* Reports a failed call with the context's message and jumps to the cleanup. */
#define CHECK(call)                                                                          \
    do {                                                                                     \
        rwd_status status_ = (call);                                                         \
        if (status_ != RWD_OK) {                                                             \
            const char* message_ = "";                                                       \
            rwd_context_last_error(ctx, &message_);                                          \
            fprintf(stderr, "%s failed with status %d: %s\n", #call, (int)status_, message_); \
            exit_code = 1;                                                                   \
            goto cleanup;                                                                    \
        }                                                                                    \
    } while (0)

int main(void)
{
    int exit_code = 0;
    rwd_context* ctx = NULL;
    rwd_field* field = NULL;
    rwd_ts* ts = NULL;

    if (rwd_context_create(&ctx) != RWD_OK) {
        const char* message = "";
        rwd_last_error(&message);
        fprintf(stderr, "rwd_context_create failed: %s\n", message);
        return 1;
    }

    const double y0[2] = {1.0, 1.0};
    const double p[4] = {1.5, 1.0, 3.0, 1.0};
    const double tout[1] = {10.0};
    double y_final[2];
    double dl_dy[2];
    double dl_dy0[2];
    double dl_dp[4];

    CHECK(rwd_field_create(ctx, 2, 4, lotka_volterra, lotka_volterra_vjp, NULL, NULL, &field));
    CHECK(rwd_ts_create(ctx, "rk", "dopri5", &ts));
    CHECK(rwd_ts_set_tolerances(ts, 1e-10, 1e-12));
    CHECK(rwd_ts_set_trajectory(ts, "store-all", 0, 0, NULL, 0));
    CHECK(rwd_ts_solve(ts, field, y0, 2, p, 4, 0.0, tout, 1, y_final));

    /* dL/dy(10) = y(10) - (1, 1) */
    dl_dy[0] = y_final[0] - 1.0;
    dl_dy[1] = y_final[1] - 1.0;
    CHECK(rwd_ts_adjoint_solve(ts, dl_dy, 2, dl_dy0, 2, dl_dp, 4));

    rwd_ts_stats stats;
    CHECK(rwd_ts_get_stats(ts, &stats));

    printf("y(10)  = [%.12g, %.12g]\n", y_final[0], y_final[1]);
    printf("dL/dy0 = [%.12g, %.12g]\n", dl_dy0[0], dl_dy0[1]);
    printf("dL/dp  = [%.12g, %.12g, %.12g, %.12g]\n", dl_dp[0], dl_dp[1], dl_dp[2], dl_dp[3]);
    printf("%lld steps, %lld f evaluations, %lld VJPs\n", (long long)stats.steps, (long long)stats.f_evals,
           (long long)stats.vjp_evals);

cleanup:
    rwd_ts_destroy(ts);
    rwd_field_destroy(field);
    rwd_context_destroy(ctx);
    return exit_code;
}
