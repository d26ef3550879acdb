/* solver_cvode.c — CVODE (forward), CVODES (continuous adjoint, forward sensitivities) adapters for the shared
   problem definitions. SUNDIALS 6.x API (SUNContext). */
#include "solvers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cvodes/cvodes.h>
#include <nvector/nvector_serial.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>

#define CV_MAX_STEPS 10000000L

/* What every callback needs: the problem, its parameters and scratch space. */
typedef struct cv_user {
    const peer_problem* pb;
    double* p;    /* np parameters (a copy of pb->p)              */
    double* jbuf; /* n * n row-major Jacobian scratch             */
    double* v;    /* n + np scratch (jvp directions)              */
    double* wdp;  /* np scratch (vjp output we do not need)       */
    char error[256];
} cv_user;

static int cv_user_init(cv_user* u, const peer_problem* pb)
{
    const size_t n = (size_t)pb->n, np = (size_t)pb->np;
    memset(u, 0, sizeof *u);
    u->pb = pb;
    u->p = malloc(sizeof(double) * (np ? np : 1));
    u->jbuf = malloc(sizeof(double) * n * n);
    u->v = malloc(sizeof(double) * (n + np));
    u->wdp = malloc(sizeof(double) * (np ? np : 1));
    if (!u->p || !u->jbuf || !u->v || !u->wdp) return -1;
    memcpy(u->p, pb->p, sizeof(double) * np);
    return 0;
}

static void cv_user_free(cv_user* u)
{
    free(u->p);
    free(u->jbuf);
    free(u->v);
    free(u->wdp);
}

static void cv_err_handler(int error_code, const char* module, const char* function, char* msg, void* user)
{
    cv_user* u = (cv_user*)user;
    snprintf(u->error, sizeof u->error, "%s %s (%d): %s", module, function, error_code, msg);
}

/* ---- callbacks: thin adapters onto the problem's f / jac / vjp / jvp -------------------------------------- */

static int cv_rhs(realtype t, N_Vector y, N_Vector ydot, void* user)
{
    cv_user* u = (cv_user*)user;
    return u->pb->f(u->pb, t, NV_DATA_S(y), u->p, NV_DATA_S(ydot));
}

/* SUNDIALS' dense matrix is column-major: element (i, j) at data[j * n + i]. */
static int cv_jac(realtype t, N_Vector y, N_Vector fy, SUNMatrix J, void* user, N_Vector t1, N_Vector t2,
                  N_Vector t3)
{
    cv_user* u = (cv_user*)user;
    const int n = u->pb->n;
    (void)fy; (void)t1; (void)t2; (void)t3;
    if (u->pb->jac(u->pb, t, NV_DATA_S(y), u->p, u->jbuf) != 0) return -1;
    realtype* a = SM_DATA_D(J);
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) a[j * n + i] = u->jbuf[i * n + j];
    return 0;
}

/* Backward problem (integrated from tf down to t0): lambda' = -J^T lambda. */
static int cv_rhsB(realtype t, N_Vector y, N_Vector yB, N_Vector yBdot, void* user)
{
    cv_user* u = (cv_user*)user;
    const int n = u->pb->n;
    realtype* out = NV_DATA_S(yBdot);
    if (u->pb->vjp(u->pb, t, NV_DATA_S(y), u->p, NV_DATA_S(yB), out, u->wdp) != 0) return -1;
    for (int i = 0; i < n; ++i) out[i] = -out[i];
    return 0;
}

/* Jacobian of the backward right-hand side: -J^T. A row-major J read column-major is J^T. */
static int cv_jacB(realtype t, N_Vector y, N_Vector yB, N_Vector fyB, SUNMatrix JB, void* user, N_Vector t1,
                   N_Vector t2, N_Vector t3)
{
    cv_user* u = (cv_user*)user;
    const int n = u->pb->n;
    (void)yB; (void)fyB; (void)t1; (void)t2; (void)t3;
    if (u->pb->jac(u->pb, t, NV_DATA_S(y), u->p, u->jbuf) != 0) return -1;
    realtype* a = SM_DATA_D(JB);
    for (int k = 0; k < n * n; ++k) a[k] = -u->jbuf[k];
    return 0;
}

/* Quadrature integrand of the backward problem: qB' = lambda^T df/dp, qB(tf) = 0, so that
   qB(t0) = -int_{t0}^{tf} lambda^T df/dp dt = -dL/dp. */
static int cv_rhsQB(realtype t, N_Vector y, N_Vector yB, N_Vector qBdot, void* user)
{
    cv_user* u = (cv_user*)user;
    return u->pb->vjp(u->pb, t, NV_DATA_S(y), u->p, NV_DATA_S(yB), u->jbuf /* n entries of scratch */,
                      NV_DATA_S(qBdot));
}

/* Forward sensitivity right-hand side: s_i' = J s_i + df/dp_i. */
static int cv_rhsS(int Ns, realtype t, N_Vector y, N_Vector ydot, int iS, N_Vector yS, N_Vector ySdot, void* user,
                   N_Vector t1, N_Vector t2)
{
    cv_user* u = (cv_user*)user;
    const int n = u->pb->n, np = u->pb->np;
    (void)Ns; (void)ydot; (void)t1; (void)t2;
    memcpy(u->v, NV_DATA_S(yS), sizeof(double) * (size_t)n);
    for (int k = 0; k < np; ++k) u->v[n + k] = (k == iS) ? 1.0 : 0.0;
    return u->pb->jvp(u->pb, t, NV_DATA_S(y), u->p, u->v, NV_DATA_S(ySdot));
}

/* ---- shared forward setup ---------------------------------------------------------------------------------- */

typedef struct cv_solver {
    cv_user u;
    double rtol, atol;
    SUNContext ctx;
    void* mem;
    N_Vector y;
    SUNMatrix A;
    SUNLinearSolver LS;
    /* adjoint */
    int which;
    N_Vector yB, qB;
    SUNMatrix AB;
    SUNLinearSolver LSB;
    const double* w;
    double* wcopy;
    int adjoint_ready;
    long nd;
    int quad_errcon;
    int polynomial;
    /* forward sensitivities */
    N_Vector* yS;
} cv_solver;

#define CVCHECK(call)                                                                                          \
    do {                                                                                                       \
        int flag_ = (call);                                                                                    \
        if (flag_ < 0) {                                                                                       \
            snprintf(message, 256, "%.60s failed (%d): %.160s", #call, flag_, s->u.error);                           \
            return -1;                                                                                         \
        }                                                                                                      \
    } while (0)

static void cv_destroy(void* impl)
{
    cv_solver* s = (cv_solver*)impl;
    if (!s) return;
    if (s->yS) N_VDestroyVectorArray(s->yS, s->u.pb->np);
    if (s->mem) CVodeFree(&s->mem);
    if (s->LS) SUNLinSolFree(s->LS);
    if (s->A) SUNMatDestroy(s->A);
    if (s->LSB) SUNLinSolFree(s->LSB);
    if (s->AB) SUNMatDestroy(s->AB);
    if (s->y) N_VDestroy(s->y);
    if (s->yB) N_VDestroy(s->yB);
    if (s->qB) N_VDestroy(s->qB);
    if (s->ctx) SUNContext_Free(&s->ctx);
    free(s->wcopy);
    cv_user_free(&s->u);
    free(s);
}

static cv_solver* cv_setup(const peer_problem* pb, double rtol, double atol, char* message)
{
    cv_solver* s = calloc(1, sizeof *s);
    if (!s || cv_user_init(&s->u, pb) != 0) {
        snprintf(message, 256, "out of memory");
        cv_destroy(s);
        return NULL;
    }
    s->rtol = rtol;
    s->atol = atol;
    if (SUNContext_Create(NULL, &s->ctx) != 0) {
        snprintf(message, 256, "SUNContext_Create failed");
        cv_destroy(s);
        return NULL;
    }
    s->y = N_VNew_Serial(pb->n, s->ctx);
    memcpy(NV_DATA_S(s->y), pb->y0, sizeof(double) * (size_t)pb->n);
    s->mem = CVodeCreate(CV_BDF, s->ctx);
    s->A = SUNDenseMatrix(pb->n, pb->n, s->ctx);
    s->LS = SUNLinSol_Dense(s->y, s->A, s->ctx);
    int ok = s->mem && s->A && s->LS;
    ok = ok && CVodeSetErrHandlerFn(s->mem, cv_err_handler, &s->u) == CV_SUCCESS;
    ok = ok && CVodeInit(s->mem, cv_rhs, pb->t0, s->y) == CV_SUCCESS;
    ok = ok && CVodeSetUserData(s->mem, &s->u) == CV_SUCCESS;
    ok = ok && CVodeSStolerances(s->mem, rtol, atol) == CV_SUCCESS;
    ok = ok && CVodeSetLinearSolver(s->mem, s->LS, s->A) == CV_SUCCESS;
    ok = ok && CVodeSetJacFn(s->mem, cv_jac) == CV_SUCCESS;
    ok = ok && CVodeSetMaxOrd(s->mem, 5) == CV_SUCCESS;
    ok = ok && CVodeSetMaxNumSteps(s->mem, CV_MAX_STEPS) == CV_SUCCESS;
    if (!ok) {
        snprintf(message, 256, "CVODE setup failed: %.200s", s->u.error);
        cv_destroy(s);
        return NULL;
    }
    return s;
}

/* Rewinds the forward problem to (t0, y0) and stops exactly at tf. */
static int cv_restart(cv_solver* s, char* message)
{
    const peer_problem* pb = s->u.pb;
    memcpy(NV_DATA_S(s->y), pb->y0, sizeof(double) * (size_t)pb->n);
    CVCHECK(CVodeReInit(s->mem, pb->t0, s->y));
    CVCHECK(CVodeSetStopTime(s->mem, pb->tf));
    return 0;
}

static void cv_forward_stats(cv_solver* s, peer_stats* st)
{
    long v = 0, v2 = 0;
    memset(st, 0, sizeof *st);
    CVodeGetNumSteps(s->mem, &v);
    st->steps = v;
    CVodeGetNumErrTestFails(s->mem, &v);
    CVodeGetNumNonlinSolvConvFails(s->mem, &v2);
    st->rejected = v + v2;
    st->newton_fails = v2;
    CVodeGetNumRhsEvals(s->mem, &v);
    CVodeGetNumLinRhsEvals(s->mem, &v2); /* 0 with the analytic Jacobian */
    st->f_evals = v + v2;
    CVodeGetNumJacEvals(s->mem, &v);
    st->jac_evals = v;
    CVodeGetNumLinSolvSetups(s->mem, &v);
    st->factorizations = v;
    CVodeGetNumNonlinSolvIters(s->mem, &v);
    st->newton_iters = v;
}

/* What the public constructors share: the forward setup, a private copy of the weights w (NULL for forward-only
   solvers; the caller's array need not outlive the solver) and the entry points, so that each constructor only
   adds its name and options. On failure the message goes to stderr and *out is left zeroed. */
static cv_solver* cv_create(peer_solver* out, const peer_problem* pb, double rtol, double atol, const double* w,
                            int (*solve)(void*, double*, double*, double*, peer_stats*, char*))
{
    char message[256];
    cv_solver* s = cv_setup(pb, rtol, atol, message);
    memset(out, 0, sizeof *out);
    if (!s) {
        fprintf(stderr, "%s\n", message);
        return NULL;
    }
    if (w) {
        s->wcopy = malloc(sizeof(double) * (size_t)pb->n);
        memcpy(s->wcopy, w, sizeof(double) * (size_t)pb->n);
        s->w = s->wcopy;
    }
    out->impl = s;
    out->solve = solve;
    out->destroy = cv_destroy;
    return s;
}

/* ---- forward ----------------------------------------------------------------------------------------------- */

static int cv_forward_solve(void* impl, double* yT, double* dl_dp, double* dl_dy0, peer_stats* st, char* message)
{
    cv_solver* s = (cv_solver*)impl;
    const peer_problem* pb = s->u.pb;
    realtype tret = pb->t0;
    (void)dl_dp; (void)dl_dy0;
    if (cv_restart(s, message) != 0) return -1;
    CVCHECK(CVode(s->mem, pb->tf, s->y, &tret, CV_NORMAL));
    if (fabs(tret - pb->tf) > 1e-12 * (1.0 + fabs(pb->tf))) {
        snprintf(message, 256, "CVode stopped at t = %.17g", tret);
        return -1;
    }
    memcpy(yT, NV_DATA_S(s->y), sizeof(double) * (size_t)pb->n);
    cv_forward_stats(s, st);
    return 0;
}

int peer_cvode_forward(peer_solver* out, const peer_problem* pb, double rtol, double atol)
{
    if (!cv_create(out, pb, rtol, atol, NULL, cv_forward_solve)) return -1;
    snprintf(out->name, sizeof out->name, "cvode-bdf");
    return 0;
}

/* ---- continuous adjoint ------------------------------------------------------------------------------------ */

static int cv_adjoint_setup(cv_solver* s, char* message)
{
    const peer_problem* pb = s->u.pb;
    double wmax = 0.0;
    for (int i = 0; i < pb->n; ++i) wmax = fmax(wmax, fabs(s->w[i]));
    CVCHECK(CVodeAdjInit(s->mem, s->nd, s->polynomial ? CV_POLYNOMIAL : CV_HERMITE));
    CVCHECK(CVodeCreateB(s->mem, CV_BDF, &s->which));
    s->yB = N_VNew_Serial(pb->n, s->ctx);
    s->qB = N_VNew_Serial(pb->np, s->ctx);
    memcpy(NV_DATA_S(s->yB), s->w, sizeof(double) * (size_t)pb->n);
    N_VConst(0.0, s->qB);
    CVCHECK(CVodeInitB(s->mem, s->which, cv_rhsB, pb->tf, s->yB));
    CVCHECK(CVodeSStolerancesB(s->mem, s->which, s->rtol, s->atol * wmax));
    CVCHECK(CVodeSetUserDataB(s->mem, s->which, &s->u));
    CVCHECK(CVodeSetMaxNumStepsB(s->mem, s->which, CV_MAX_STEPS));
    s->AB = SUNDenseMatrix(pb->n, pb->n, s->ctx);
    s->LSB = SUNLinSol_Dense(s->yB, s->AB, s->ctx);
    CVCHECK(CVodeSetLinearSolverB(s->mem, s->which, s->LSB, s->AB));
    CVCHECK(CVodeSetJacFnB(s->mem, s->which, cv_jacB));
    CVCHECK(CVodeQuadInitB(s->mem, s->which, cv_rhsQB, s->qB));
    CVCHECK(CVodeSetQuadErrConB(s->mem, s->which, s->quad_errcon ? SUNTRUE : SUNFALSE));
    if (s->quad_errcon) {
        /* absolute tolerance of dL/dp_j: the state's atol * max|w|, on the log-parameter scale p_j dL/dp_j */
        N_Vector aq = N_VNew_Serial(pb->np, s->ctx);
        for (int k = 0; k < pb->np; ++k) NV_Ith_S(aq, k) = s->atol * wmax / fabs(pb->p[k]);
        int flag = CVodeQuadSVtolerancesB(s->mem, s->which, s->rtol, aq);
        N_VDestroy(aq);
        CVCHECK(flag);
    }
    s->adjoint_ready = 1;
    return 0;
}

static int cv_adjoint_solve(void* impl, double* yT, double* dl_dp, double* dl_dy0, peer_stats* st, char* message)
{
    cv_solver* s = (cv_solver*)impl;
    const peer_problem* pb = s->u.pb;
    realtype tret = pb->t0;
    int ncheck = 0;
    if (!s->adjoint_ready) {
        /* nd: at least the forward step count, so the whole solve is one checkpoint interval whose
           interpolation data CVodeF keeps (no forward recomputation in CVodeB). */
        peer_stats fs;
        if (cv_forward_solve(s, yT, NULL, NULL, &fs, message) != 0) return -1;
        s->nd = (long)(fs.steps + fs.steps / 4 + 16);
        if (cv_adjoint_setup(s, message) != 0) return -1;
    }
    if (cv_restart(s, message) != 0) return -1;
    CVCHECK(CVodeAdjReInit(s->mem));
    CVCHECK(CVodeF(s->mem, pb->tf, s->y, &tret, CV_NORMAL, &ncheck));
    if (fabs(tret - pb->tf) > 1e-12 * (1.0 + fabs(pb->tf))) {
        snprintf(message, 256, "CVodeF stopped at t = %.17g", tret);
        return -1;
    }
    memcpy(yT, NV_DATA_S(s->y), sizeof(double) * (size_t)pb->n);
    cv_forward_stats(s, st);

    memcpy(NV_DATA_S(s->yB), s->w, sizeof(double) * (size_t)pb->n);
    N_VConst(0.0, s->qB);
    CVCHECK(CVodeReInitB(s->mem, s->which, pb->tf, s->yB));
    CVCHECK(CVodeQuadReInitB(s->mem, s->which, s->qB));
    CVCHECK(CVodeB(s->mem, pb->t0, CV_NORMAL));
    CVCHECK(CVodeGetB(s->mem, s->which, &tret, s->yB));
    CVCHECK(CVodeGetQuadB(s->mem, s->which, &tret, s->qB));
    for (int k = 0; k < pb->np; ++k) dl_dp[k] = -NV_Ith_S(s->qB, k);
    if (dl_dy0) memcpy(dl_dy0, NV_DATA_S(s->yB), sizeof(double) * (size_t)pb->n);

    void* memB = CVodeGetAdjCVodeBmem(s->mem, s->which);
    long v = 0;
    CVodeGetNumSteps(memB, &v);
    st->b_steps = v;
    CVodeGetNumRhsEvals(memB, &v);
    st->b_rhs_evals = v;
    CVodeGetNumJacEvals(memB, &v);
    st->b_jac_evals = v;
    CVodeGetNumLinSolvSetups(memB, &v);
    st->b_factorizations = v;
    if (ncheck > 1) {
        snprintf(message, 256, "CVodeF made %d checkpoints; expected one (nd = %ld)", ncheck, s->nd);
        return -1;
    }
    return 0;
}

int peer_cvodes_adjoint(peer_solver* out, const peer_problem* pb, double rtol, double atol, const double* w,
                        int quad_errcon, int polynomial)
{
    cv_solver* s = cv_create(out, pb, rtol, atol, w, cv_adjoint_solve);
    if (!s) return -1;
    s->quad_errcon = quad_errcon;
    s->polynomial = polynomial;
    snprintf(out->name, sizeof out->name, "cvodes-adj%s%s", polynomial ? "-poly" : "", quad_errcon ? "-qerr" : "");
    return 0;
}

/* ---- forward sensitivities (reference gradient) ------------------------------------------------------------ */

static int cv_fsa_solve(void* impl, double* yT, double* dl_dp, double* dl_dy0, peer_stats* st, char* message)
{
    cv_solver* s = (cv_solver*)impl;
    const peer_problem* pb = s->u.pb;
    realtype tret = pb->t0;
    if (!s->yS) {
        double* pbar = malloc(sizeof(double) * (size_t)pb->np);
        for (int k = 0; k < pb->np; ++k) pbar[k] = fabs(pb->p[k]);
        s->yS = N_VCloneVectorArray(pb->np, s->y);
        for (int k = 0; k < pb->np; ++k) N_VConst(0.0, s->yS[k]);
        int flag = CVodeSensInit1(s->mem, pb->np, CV_STAGGERED, cv_rhsS, s->yS);
        if (flag >= 0) flag = CVodeSensEEtolerances(s->mem);
        if (flag >= 0) flag = CVodeSetSensParams(s->mem, s->u.p, pbar, NULL);
        if (flag >= 0) flag = CVodeSetSensErrCon(s->mem, SUNTRUE);
        free(pbar);
        if (flag < 0) {
            snprintf(message, 256, "CVODES sensitivity setup failed (%d): %.180s", flag, s->u.error);
            return -1;
        }
    }
    if (cv_restart(s, message) != 0) return -1;
    for (int k = 0; k < pb->np; ++k) N_VConst(0.0, s->yS[k]);
    CVCHECK(CVodeSensReInit(s->mem, CV_STAGGERED, s->yS));
    CVCHECK(CVode(s->mem, pb->tf, s->y, &tret, CV_NORMAL));
    CVCHECK(CVodeGetSens(s->mem, &tret, s->yS));
    memcpy(yT, NV_DATA_S(s->y), sizeof(double) * (size_t)pb->n);
    for (int k = 0; k < pb->np; ++k) {
        double g = 0.0;
        for (int i = 0; i < pb->n; ++i) g += s->w[i] * NV_Ith_S(s->yS[k], i);
        dl_dp[k] = g;
    }
    if (dl_dy0)
        for (int i = 0; i < pb->n; ++i) dl_dy0[i] = NAN;
    cv_forward_stats(s, st);
    return 0;
}

int peer_cvodes_fsa(peer_solver* out, const peer_problem* pb, double rtol, double atol, const double* w)
{
    if (!cv_create(out, pb, rtol, atol, w, cv_fsa_solve)) return -1;
    snprintf(out->name, sizeof out->name, "cvodes-fsa");
    return 0;
}
