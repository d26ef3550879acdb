/* solver_rewind.c — librewind adapters for the shared problem definitions (C ABI, rewind/rewind.h). */
#include "solvers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rewind/rewind.h>

#define RW_MAX_STEPS 10000000LL

/* ---- callbacks: thin adapters onto the problem's f / jac / vjp / jvp (user = the problem) ------------------ */

static int32_t rw_f(void* user, double t, const double* y, const double* p, double* dydt)
{
    const peer_problem* pb = (const peer_problem*)user;
    return pb->f(pb, t, y, p, dydt);
}

static int32_t rw_vjp(void* user, double t, const double* y, const double* p, const double* w, double* w_dy,
                      double* w_dp)
{
    const peer_problem* pb = (const peer_problem*)user;
    return pb->vjp(pb, t, y, p, w, w_dy, w_dp);
}

static int32_t rw_jvp(void* user, double t, const double* y, const double* p, const double* v, double* jv)
{
    const peer_problem* pb = (const peer_problem*)user;
    return pb->jvp(pb, t, y, p, v, jv);
}

static int32_t rw_jac(void* user, double t, const double* y, const double* p, double* dfdy)
{
    const peer_problem* pb = (const peer_problem*)user; /* both row-major */
    return pb->jac(pb, t, y, p, dfdy);
}

typedef struct rw_solver {
    const peer_problem* pb;
    rwd_context* ctx;
    rwd_field* field;
    rwd_ts* ts;
    double* w;
    double tout;
} rw_solver;

static void rw_destroy(void* impl)
{
    rw_solver* s = (rw_solver*)impl;
    if (!s) return;
    rwd_ts_destroy(s->ts);
    rwd_field_destroy(s->field);
    rwd_context_destroy(s->ctx);
    free(s->w);
    free(s);
}

#define RWCHECK(call)                                                                                          \
    do {                                                                                                       \
        rwd_status st_ = (call);                                                                               \
        if (st_ != RWD_OK) {                                                                                   \
            const char* m_ = "";                                                                               \
            if (s->ctx) rwd_context_last_error(s->ctx, &m_);                                                   \
            else rwd_last_error(&m_);                                                                          \
            snprintf(message, 256, "%.60s -> %d: %.170s", #call, (int)st_, m_);                                      \
            goto fail;                                                                                         \
        }                                                                                                      \
    } while (0)

static rw_solver* rw_setup(const peer_problem* pb, const char* type, const char* method, double rtol, double atol,
                           const char* trajectory, char* message)
{
    rw_solver* s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(message, 256, "out of memory");
        return NULL;
    }
    s->pb = pb;
    s->tout = pb->tf;
    RWCHECK(rwd_context_create(&s->ctx));
    RWCHECK(rwd_field_create(s->ctx, pb->n, pb->np, rw_f, rw_vjp, rw_jvp, (void*)pb, &s->field));
    RWCHECK(rwd_field_set_jacobian(s->field, rw_jac));
    RWCHECK(rwd_ts_create(s->ctx, type, method, &s->ts));
    RWCHECK(rwd_ts_set_step(s->ts, 0.0));
    RWCHECK(rwd_ts_set_tolerances(s->ts, rtol, atol));
    RWCHECK(rwd_ts_set_max_steps(s->ts, RW_MAX_STEPS));
    RWCHECK(rwd_ts_set_linear_solver(s->ts, "dense", 1e-10, 30));
    RWCHECK(rwd_ts_set_trajectory(s->ts, trajectory, 0, 0, NULL, 0));
    return s;
fail:
    rw_destroy(s);
    return NULL;
}

static void rw_stats(rw_solver* s, peer_stats* st)
{
    rwd_ts_stats r;
    memset(st, 0, sizeof *st);
    if (rwd_ts_get_stats(s->ts, &r) != RWD_OK) return;
    st->steps = r.steps;
    st->rejected = r.rejected_steps;
    st->f_evals = r.f_evals;
    st->jac_evals = r.jacobian_evals;
    st->factorizations = r.factorizations;
    st->newton_iters = r.newton_iterations;
    st->newton_fails = r.newton_failures;
    st->b_rhs_evals = r.vjp_evals;
}

static int rw_forward_solve(void* impl, double* yT, double* dl_dp, double* dl_dy0, peer_stats* st, char* message)
{
    rw_solver* s = (rw_solver*)impl;
    const peer_problem* pb = s->pb;
    (void)dl_dp; (void)dl_dy0;
    RWCHECK(rwd_ts_solve(s->ts, s->field, pb->y0, pb->n, pb->p, pb->np, pb->t0, &s->tout, 1, yT));
    rw_stats(s, st);
    return 0;
fail:
    return -1;
}

static int rw_adjoint_solve(void* impl, double* yT, double* dl_dp, double* dl_dy0, peer_stats* st, char* message)
{
    rw_solver* s = (rw_solver*)impl;
    const peer_problem* pb = s->pb;
    double* y0bar = dl_dy0;
    double scratch[64];
    double* tmp = NULL;
    if (!y0bar) {
        y0bar = pb->n <= 64 ? scratch : (tmp = malloc(sizeof(double) * (size_t)pb->n));
    }
    RWCHECK(rwd_ts_solve(s->ts, s->field, pb->y0, pb->n, pb->p, pb->np, pb->t0, &s->tout, 1, yT));
    RWCHECK(rwd_ts_adjoint_solve(s->ts, s->w, pb->n, y0bar, pb->n, dl_dp, pb->np));
    rw_stats(s, st);
    st->b_steps = st->steps;
    free(tmp);
    return 0;
fail:
    free(tmp);
    return -1;
}

/* What the public constructors share: rw_setup with the trajectory, a private copy of the weights w (NULL for
   forward-only solvers; the caller's array need not outlive the solver) and the entry points, so that each
   constructor only adds its name. On failure the message goes to stderr and *out is left zeroed. */
static rw_solver* rw_create(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                            double rtol, double atol, const char* trajectory, const double* w,
                            int (*solve)(void*, double*, double*, double*, peer_stats*, char*))
{
    char message[256];
    memset(out, 0, sizeof *out);
    rw_solver* s = rw_setup(pb, type, method, rtol, atol, trajectory, message);
    if (!s) {
        fprintf(stderr, "%s\n", message);
        return NULL;
    }
    if (w) {
        s->w = malloc(sizeof(double) * (size_t)pb->n);
        memcpy(s->w, w, sizeof(double) * (size_t)pb->n);
    }
    out->impl = s;
    out->solve = solve;
    out->destroy = rw_destroy;
    return s;
}

int peer_rewind_forward(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                        double rtol, double atol)
{
    if (!rw_create(out, pb, type, method, rtol, atol, "none", NULL, rw_forward_solve)) return -1;
    snprintf(out->name, sizeof out->name, "rewind-%s", method);
    return 0;
}

int peer_rewind_adjoint(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                        double rtol, double atol, const double* w)
{
    if (!rw_create(out, pb, type, method, rtol, atol, "store-all", w, rw_adjoint_solve)) return -1;
    snprintf(out->name, sizeof out->name, "rewind-%s-adj", method);
    return 0;
}

static double rw_uniform(unsigned long long* state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*state >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

double peer_rewind_dot_test(const peer_problem* pb, const char* type, const char* method, double rtol, double atol,
                            const double* w, double* lhs, double* rhs, double* worst, int* worst_index, char* message)
{
    const int n = pb->n, np = pb->np;
    double result = -1.0;
    double* yT = malloc(sizeof(double) * (size_t)n);
    double* dy0 = malloc(sizeof(double) * (size_t)n);
    double* dp = malloc(sizeof(double) * (size_t)(np ? np : 1));
    double* dyT = malloc(sizeof(double) * (size_t)n);
    double* g0 = malloc(sizeof(double) * (size_t)n);
    double* gp = malloc(sizeof(double) * (size_t)(np ? np : 1));
    double* tl = malloc(sizeof(double) * (size_t)(n + np));
    unsigned long long seed = 20240607ULL;
    rw_solver* s = rw_setup(pb, type, method, rtol, atol, "store-all", message);
    if (!s) goto done;
    RWCHECK(rwd_ts_solve(s->ts, s->field, pb->y0, n, pb->p, np, pb->t0, &s->tout, 1, yT));
    RWCHECK(rwd_ts_adjoint_solve(s->ts, w, n, g0, n, gp, np));
    /* (1) one random direction */
    for (int i = 0; i < n; ++i) dy0[i] = rw_uniform(&seed) * (fabs(pb->y0[i]) + pb->atol_per_rtol * rtol);
    for (int k = 0; k < np; ++k) dp[k] = rw_uniform(&seed) * fabs(pb->p[k]);
    RWCHECK(rwd_ts_tlm_solve(s->ts, dy0, n, dp, np, dyT, n));
    {
        double a = 0.0, b = 0.0;
        for (int i = 0; i < n; ++i) a += w[i] * dyT[i];
        for (int i = 0; i < n; ++i) b += g0[i] * dy0[i];
        for (int k = 0; k < np; ++k) b += gp[k] * dp[k];
        *lhs = a;
        *rhs = b;
        result = fabs(a - b) / fmax(fmax(fabs(a), fabs(b)), 1e-300);
    }
    /* (2) every unit direction: e_i for y0, |p_k| e_k for p (n + np tangent-linear solves) */
    double scale = 0.0;
    for (int c = 0; c < n + np; ++c) {
        for (int i = 0; i < n; ++i) dy0[i] = (c == i) ? 1.0 : 0.0;
        for (int k = 0; k < np; ++k) dp[k] = (c == n + k) ? fabs(pb->p[k]) : 0.0;
        RWCHECK(rwd_ts_tlm_solve(s->ts, dy0, n, dp, np, dyT, n));
        double a = 0.0;
        for (int i = 0; i < n; ++i) a += w[i] * dyT[i];
        tl[c] = a;
        const double b = c < n ? g0[c] : gp[c - n] * fabs(pb->p[c - n]);
        scale = fmax(scale, fmax(fabs(a), fabs(b)));
    }
    *worst = 0.0;
    *worst_index = -1;
    for (int c = 0; c < n + np; ++c) {
        const double b = c < n ? g0[c] : gp[c - n] * fabs(pb->p[c - n]);
        const double e = fabs(tl[c] - b) / fmax(fmax(fabs(tl[c]), fabs(b)), 1e-8 * scale);
        if (e > *worst) {
            *worst = e;
            *worst_index = c;
        }
    }
fail:
done:
    rw_destroy(s);
    free(yT); free(dy0); free(dp); free(dyT); free(g0); free(gp); free(tl);
    return result;
}

int peer_rewind_probe(char* message)
{
    const peer_problem* pb = peer_problem_find("hires");
    double yT[8];
    peer_stats st;
    rw_solver* s = rw_setup(pb, "esdirk", "kvaerno5", 1e-6, 1e-6, "none", message);
    if (!s) return -1;
    int rc = rw_forward_solve(s, yT, NULL, NULL, &st, message);
    rw_destroy(s);
    return rc;
}
