/* problems.c — ROBER, HIRES, POLLU (mass-action networks) and VDPOL, with their references. See problems.h. */
#include "problems.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------------------------
   Mass-action networks: reaction j has rate r_j = p[k] * m_j(y) with the monomial m_j = y[a] * y[b] (a or b
   may be -1 for "absent", a == b for a square) and changes species s[0..ns) by c[0..ns): f_s += c * r_j.
   Several reactions may share one parameter (HIRES uses k1 and k2 in several terms). */

#define PEER_MAX_STOICH 6

typedef struct reaction {
    int k;    /* parameter index                 */
    int a, b; /* reactant species, -1 for absent  */
    int ns;
    int s[PEER_MAX_STOICH];
    double c[PEER_MAX_STOICH];
} reaction;

typedef struct network {
    int nr;
    const reaction* r;
} network;

static double monomial(const reaction* r, const double* y)
{
    double m = 1.0;
    if (r->a >= 0) m *= y[r->a];
    if (r->b >= 0) m *= y[r->b];
    return m;
}

static int ma_f(const peer_problem* pb, double t, const double* y, const double* p, double* dydt)
{
    const network* net = (const network*)pb->data;
    (void)t;
    for (int i = 0; i < pb->n; ++i) dydt[i] = 0.0;
    for (int j = 0; j < net->nr; ++j) {
        const reaction* r = &net->r[j];
        const double rate = p[r->k] * monomial(r, y);
        for (int q = 0; q < r->ns; ++q) dydt[r->s[q]] += r->c[q] * rate;
    }
    return 0;
}

/* d r_j / d y: contributions (species, value), at most two. */
static int rate_gradient(const reaction* r, const double* y, const double* p, int* idx, double* val)
{
    int m = 0;
    if (r->a >= 0) {
        idx[m] = r->a;
        val[m] = p[r->k] * (r->b >= 0 ? y[r->b] : 1.0);
        ++m;
    }
    if (r->b >= 0) {
        idx[m] = r->b;
        val[m] = p[r->k] * (r->a >= 0 ? y[r->a] : 1.0);
        ++m;
    }
    return m; /* a == b gives two equal entries on one species: 2 k y_a, as it must */
}

static int ma_jac(const peer_problem* pb, double t, const double* y, const double* p, double* dfdy)
{
    const network* net = (const network*)pb->data;
    const int n = pb->n;
    (void)t;
    memset(dfdy, 0, sizeof(double) * (size_t)n * (size_t)n);
    for (int j = 0; j < net->nr; ++j) {
        const reaction* r = &net->r[j];
        int idx[2];
        double val[2];
        const int m = rate_gradient(r, y, p, idx, val);
        for (int q = 0; q < r->ns; ++q)
            for (int e = 0; e < m; ++e) dfdy[r->s[q] * n + idx[e]] += r->c[q] * val[e];
    }
    return 0;
}

static int ma_vjp(const peer_problem* pb, double t, const double* y, const double* p, const double* w, double* w_dy,
                  double* w_dp)
{
    const network* net = (const network*)pb->data;
    (void)t;
    for (int i = 0; i < pb->n; ++i) w_dy[i] = 0.0;
    for (int k = 0; k < pb->np; ++k) w_dp[k] = 0.0;
    for (int j = 0; j < net->nr; ++j) {
        const reaction* r = &net->r[j];
        double u = 0.0; /* w^T S[:, j] */
        for (int q = 0; q < r->ns; ++q) u += r->c[q] * w[r->s[q]];
        if (u == 0.0) continue;
        w_dp[r->k] += u * monomial(r, y);
        int idx[2];
        double val[2];
        const int m = rate_gradient(r, y, p, idx, val);
        for (int e = 0; e < m; ++e) w_dy[idx[e]] += u * val[e];
    }
    return 0;
}

static int ma_jvp(const peer_problem* pb, double t, const double* y, const double* p, const double* v, double* jv)
{
    const network* net = (const network*)pb->data;
    const double* vp = v + pb->n;
    (void)t;
    for (int i = 0; i < pb->n; ++i) jv[i] = 0.0;
    for (int j = 0; j < net->nr; ++j) {
        const reaction* r = &net->r[j];
        int idx[2];
        double val[2];
        const int m = rate_gradient(r, y, p, idx, val);
        double dr = vp[r->k] * monomial(r, y);
        for (int e = 0; e < m; ++e) dr += val[e] * v[idx[e]];
        for (int q = 0; q < r->ns; ++q) jv[r->s[q]] += r->c[q] * dr;
    }
    return 0;
}

/* Species indices below are 0-based: Y(1) is y1. */
#define Y(i) ((i) - 1)
#define NONE (-1)

/* ---- ROBER: deTestSet order k1 = 0.04 (y1), k2 = 3e7 (y2^2), k3 = 1e4 (y2 y3) ------------------------------- */

static const reaction rober_reactions[] = {
    {0, Y(1), NONE, 2, {Y(1), Y(2)}, {-1, 1}},       /* k1 y1:    y1 -> y2        */
    {1, Y(2), Y(2), 2, {Y(2), Y(3)}, {-1, 1}},       /* k2 y2^2:  2 y2 -> y2 + y3 */
    {2, Y(2), Y(3), 2, {Y(1), Y(2)}, {1, -1}},       /* k3 y2 y3: y2 + y3 -> y1 + y3 */
};
static const network rober_net = {3, rober_reactions};
static const double rober_p[] = {0.04, 3e7, 1e4};
static const char* const rober_pnames[] = {"k1 (0.04 y1)", "k2 (3e7 y2^2)", "k3 (1e4 y2 y3)"};
static const double rober_y0[] = {1.0, 0.0, 0.0};
static const double rober_ref[] = {
    0.2083340149701255e-07,
    0.8333360770334713e-13,
    0.9999999791665050e+00,
};

/* ---- HIRES: deTestSet's parametrised form, p = (k1 .. k9, Oks) -------------------------------------------- */

enum { K1, K2, K3, K4, K5, K6, K7, K8, K9, OKS };
static const reaction hires_reactions[] = {
    {K1, Y(1), NONE, 2, {Y(1), Y(2)}, {-1, 1}},                /* k1 y1                     */
    {K2, Y(2), NONE, 2, {Y(2), Y(1)}, {-1, 1}},                /* k2 y2                     */
    {K6, Y(3), NONE, 2, {Y(3), Y(1)}, {-1, 1}},                /* k6 y3                     */
    {OKS, NONE, NONE, 1, {Y(1)}, {1}},                         /* Oks                       */
    {K3, Y(2), NONE, 2, {Y(2), Y(4)}, {-1, 1}},                /* k3 y2                     */
    {K1, Y(3), NONE, 2, {Y(3), Y(4)}, {-1, 1}},                /* k1 y3                     */
    {K2, Y(4), NONE, 2, {Y(4), Y(3)}, {-1, 1}},                /* k2 y4                     */
    {K5, Y(5), NONE, 2, {Y(5), Y(3)}, {-1, 1}},                /* k5 y5                     */
    {K4, Y(4), NONE, 1, {Y(4)}, {-1}},                         /* k4 y4 (loss of y4)        */
    {K1, Y(5), NONE, 2, {Y(5), Y(6)}, {-1, 1}},                /* k1 y5                     */
    {K2, Y(6), NONE, 2, {Y(6), Y(5)}, {-1, 1}},                /* k2 y6                     */
    {K2, Y(7), NONE, 3, {Y(7), Y(5), Y(8)}, {-1, 1, 1}},       /* k2 y7                     */
    {K8, Y(4), NONE, 1, {Y(6)}, {1}},                          /* k8 y4 (source of y6)      */
    {K8, Y(7), NONE, 3, {Y(7), Y(6), Y(8)}, {-1, 1, 1}},       /* k8 y7                     */
    {K9, Y(7), NONE, 2, {Y(7), Y(8)}, {-1, 1}},                /* k9 y7                     */
    {K7, Y(6), Y(8), 3, {Y(6), Y(8), Y(7)}, {-1, -1, 1}},      /* k7 y6 y8                  */
};
static const network hires_net = {(int)(sizeof hires_reactions / sizeof hires_reactions[0]), hires_reactions};
static const double hires_p[] = {1.71, 0.43, 8.32, 0.69, 0.035, 8.32, 280.0, 0.69, 0.69, 0.0007};
static const char* const hires_pnames[] = {"k1 (1.71)",  "k2 (0.43)", "k3 (8.32)",  "k4 (0.69)",
                                           "k5 (0.035)", "k6 (8.32)", "k7 (280)",   "k8 (0.69)",
                                           "k9 (0.69)",  "Oks (0.0007)"};
static const double hires_y0[] = {1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057};
static const double hires_ref[] = {
    0.7371312573325668e-3, 0.1442485726316185e-3, 0.5888729740967575e-4, 0.1175651343283149e-2,
    0.2386356198831331e-2, 0.6238968252742796e-2, 0.2849998395185769e-2, 0.2850001604814231e-2,
};

/* ---- POLLU: 20 species, 25 reactions, p = (k1 .. k25) ----------------------------------------------------- */

static const reaction pollu_reactions[] = {
    {0, Y(1), NONE, 3, {Y(1), Y(2), Y(3)}, {-1, 1, 1}},                        /* r1  = k1  y1     */
    {1, Y(2), Y(4), 3, {Y(1), Y(2), Y(4)}, {1, -1, -1}},                       /* r2  = k2  y2 y4  */
    {2, Y(5), Y(2), 4, {Y(1), Y(2), Y(5), Y(6)}, {1, -1, -1, 1}},              /* r3  = k3  y5 y2  */
    {3, Y(7), NONE, 3, {Y(5), Y(7), Y(8)}, {2, -1, 1}},                        /* r4  = k4  y7     */
    {4, Y(7), NONE, 2, {Y(7), Y(8)}, {-1, 1}},                                 /* r5  = k5  y7     */
    {5, Y(7), Y(6), 4, {Y(5), Y(6), Y(7), Y(8)}, {1, -1, -1, 1}},              /* r6  = k6  y7 y6  */
    {6, Y(9), NONE, 4, {Y(5), Y(8), Y(9), Y(10)}, {1, 1, -1, 1}},              /* r7  = k7  y9     */
    {7, Y(9), Y(6), 3, {Y(6), Y(9), Y(11)}, {-1, -1, 1}},                      /* r8  = k8  y9 y6  */
    {8, Y(11), Y(2), 5, {Y(1), Y(2), Y(10), Y(11), Y(12)}, {1, -1, 1, -1, 1}}, /* r9  = k9  y11 y2 */
    {9, Y(11), Y(1), 3, {Y(1), Y(11), Y(13)}, {-1, -1, 1}},                    /* r10 = k10 y11 y1 */
    {10, Y(13), NONE, 3, {Y(1), Y(11), Y(13)}, {1, 1, -1}},                    /* r11 = k11 y13    */
    {11, Y(10), Y(2), 4, {Y(1), Y(2), Y(10), Y(14)}, {1, -1, -1, 1}},          /* r12 = k12 y10 y2 */
    {12, Y(14), NONE, 3, {Y(5), Y(7), Y(14)}, {1, 1, -1}},                     /* r13 = k13 y14    */
    {13, Y(1), Y(6), 3, {Y(1), Y(6), Y(15)}, {-1, -1, 1}},                     /* r14 = k14 y1 y6  */
    {14, Y(3), NONE, 2, {Y(3), Y(4)}, {-1, 1}},                                /* r15 = k15 y3     */
    {15, Y(4), NONE, 2, {Y(4), Y(16)}, {-1, 1}},                               /* r16 = k16 y4     */
    {16, Y(4), NONE, 2, {Y(3), Y(4)}, {1, -1}},                                /* r17 = k17 y4     */
    {17, Y(16), NONE, 2, {Y(6), Y(16)}, {2, -1}},                              /* r18 = k18 y16    */
    {18, Y(16), NONE, 2, {Y(3), Y(16)}, {1, -1}},                              /* r19 = k19 y16    */
    {19, Y(17), Y(6), 4, {Y(5), Y(6), Y(17), Y(18)}, {1, -1, -1, 1}},          /* r20 = k20 y17 y6 */
    {20, Y(19), NONE, 2, {Y(2), Y(19)}, {1, -1}},                              /* r21 = k21 y19    */
    {21, Y(19), NONE, 3, {Y(1), Y(3), Y(19)}, {1, 1, -1}},                     /* r22 = k22 y19    */
    {22, Y(1), Y(4), 3, {Y(1), Y(4), Y(19)}, {-1, -1, 1}},                     /* r23 = k23 y1 y4  */
    {23, Y(19), Y(1), 3, {Y(1), Y(19), Y(20)}, {-1, -1, 1}},                   /* r24 = k24 y19 y1 */
    {24, Y(20), NONE, 3, {Y(1), Y(19), Y(20)}, {1, 1, -1}},                    /* r25 = k25 y20    */
};
static const network pollu_net = {(int)(sizeof pollu_reactions / sizeof pollu_reactions[0]), pollu_reactions};
static const double pollu_p[] = {
    0.35,   26.6,   1.23e4, 8.6e-4, 8.2e-4, 1.5e4, 1.3e-4, 2.4e4,  1.65e4, 9.0e3, 0.022,  1.2e4, 1.88,
    1.63e4, 4.8e6,  3.5e-4, 0.0175, 1.0e8,  4.44e11, 1.24e3, 2.1,  5.78,   0.0474, 1.78e3, 3.12,
};
static const char* const pollu_pnames[] = {"k1",  "k2",  "k3",  "k4",  "k5",  "k6",  "k7",  "k8",  "k9",
                                           "k10", "k11", "k12", "k13", "k14", "k15", "k16", "k17", "k18",
                                           "k19", "k20", "k21", "k22", "k23", "k24", "k25"};
static const double pollu_y0[] = {0.0, 0.2, 0.0, 0.04, 0.0, 0.0, 0.1, 0.3, 0.01, 0.0,
                                  0.0, 0.0, 0.0, 0.0,  0.0, 0.0, 0.007, 0.0, 0.0, 0.0};
static const double pollu_ref[] = {
    0.5646255480022769e-01, 0.1342484130422339e+00, 0.4139734331099427e-08, 0.5523140207484359e-02,
    0.2018977262302196e-06, 0.1464541863493966e-06, 0.7784249118997964e-01, 0.3245075353396018e+00,
    0.7494013383880406e-02, 0.1622293157301561e-07, 0.1135863833257075e-07, 0.2230505975721359e-02,
    0.2087162882798630e-03, 0.1396921016840158e-04, 0.8964884856898295e-02, 0.4352846369330103e-17,
    0.6899219696263405e-02, 0.1007803037365946e-03, 0.1772146513969984e-05, 0.5682943292316392e-04,
};

/* ---- VDPOL (Bari vdpol.f, scaled time, eps = 1e-6), p = (mu) with mu = 1/eps = 1e6:
        y1' = y2,  y2' = mu ((1 - y1^2) y2 - y1) ------------------------------------------------------------- */

static int vdpol_f(const peer_problem* pb, double t, const double* y, const double* p, double* dydt)
{
    (void)pb;
    (void)t;
    dydt[0] = y[1];
    dydt[1] = p[0] * ((1.0 - y[0] * y[0]) * y[1] - y[0]);
    return 0;
}

static int vdpol_jac(const peer_problem* pb, double t, const double* y, const double* p, double* dfdy)
{
    (void)pb;
    (void)t;
    dfdy[0] = 0.0;
    dfdy[1] = 1.0;
    dfdy[2] = p[0] * (-2.0 * y[0] * y[1] - 1.0);
    dfdy[3] = p[0] * (1.0 - y[0] * y[0]);
    return 0;
}

static int vdpol_vjp(const peer_problem* pb, double t, const double* y, const double* p, const double* w,
                     double* w_dy, double* w_dp)
{
    (void)pb;
    (void)t;
    w_dy[0] = w[1] * p[0] * (-2.0 * y[0] * y[1] - 1.0);
    w_dy[1] = w[0] + w[1] * p[0] * (1.0 - y[0] * y[0]);
    w_dp[0] = w[1] * ((1.0 - y[0] * y[0]) * y[1] - y[0]);
    return 0;
}

static int vdpol_jvp(const peer_problem* pb, double t, const double* y, const double* p, const double* v,
                     double* jv)
{
    (void)pb;
    (void)t;
    jv[0] = v[1];
    jv[1] = p[0] * ((-2.0 * y[0] * y[1] - 1.0) * v[0] + (1.0 - y[0] * y[0]) * v[1]) +
            ((1.0 - y[0] * y[0]) * y[1] - y[0]) * v[2];
    return 0;
}

static const double vdpol_p[] = {1e6};
static const char* const vdpol_pnames[] = {"mu = 1/eps (1e6)"};
static const double vdpol_y0[] = {2.0, 0.0};
static const double vdpol_ref[] = {0.1706167732170483e+01, -0.8928097010247975e+00};

/* ---- the table ------------------------------------------------------------------------------------------- */

/* atol/rtol (our choice, the same for every solver): ROBER 1e-4 (its y2 is 4e-5 at most and ~1e-13 at the end),
   HIRES, POLLU, VDPOL 1 (atol = rtol). */
static const peer_problem problems[] = {
    {"rober", "Robertson kinetics, n=3, [0,1e11]", 3, 3, 0.0, 1e11, rober_y0, rober_p, rober_pnames, rober_ref,
     1e-4, ma_f, ma_jac, ma_vjp, ma_jvp, &rober_net},
    {"hires", "High Irradiance RESponse, n=8, [0,321.8122]", 8, 10, 0.0, 321.8122, hires_y0, hires_p,
     hires_pnames, hires_ref, 1.0, ma_f, ma_jac, ma_vjp, ma_jvp, &hires_net},
    {"pollu", "air pollution, n=20, 25 reactions, [0,60]", 20, 25, 0.0, 60.0, pollu_y0, pollu_p, pollu_pnames,
     pollu_ref, 1.0, ma_f, ma_jac, ma_vjp, ma_jvp, &pollu_net},
    {"vdpol", "Van der Pol, eps=1e-6 (scaled), n=2, [0,2]", 2, 1, 0.0, 2.0, vdpol_y0, vdpol_p, vdpol_pnames,
     vdpol_ref, 1.0, vdpol_f, vdpol_jac, vdpol_vjp, vdpol_jvp, NULL},
};

int peer_problem_count(void) { return (int)(sizeof problems / sizeof problems[0]); }

const peer_problem* peer_problem_at(int index)
{
    return (index >= 0 && index < peer_problem_count()) ? &problems[index] : NULL;
}

const peer_problem* peer_problem_find(const char* name)
{
    for (int i = 0; i < peer_problem_count(); ++i)
        if (strcmp(problems[i].name, name) == 0) return &problems[i];
    return NULL;
}

double peer_mescd(const peer_problem* pb, const double* y)
{
    double worst = 0.0;
    for (int i = 0; i < pb->n; ++i) {
        const double e = fabs(y[i] - pb->yref[i]) / (pb->atol_per_rtol + fabs(pb->yref[i]));
        if (!(e <= worst)) worst = e; /* NaN propagates */
    }
    return worst == 0.0 ? 99.0 : -log10(worst);
}

double peer_scd(const peer_problem* pb, const double* y)
{
    double worst = 0.0;
    for (int i = 0; i < pb->n; ++i) {
        const double e = fabs(y[i] - pb->yref[i]) / fabs(pb->yref[i]);
        if (!(e <= worst)) worst = e;
    }
    return worst == 0.0 ? 99.0 : -log10(worst);
}

void peer_loss_weights(const peer_problem* pb, double* w)
{
    for (int i = 0; i < pb->n; ++i) w[i] = 1.0 / (fabs(pb->yref[i]) + pb->atol_per_rtol);
}

/* ---- self-test -------------------------------------------------------------------------------------------- */

static double lcg_uniform(unsigned long long* s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 * 2.0 - 1.0;
}

int peer_selftest(const peer_problem* pb)
{
    const int n = pb->n, np = pb->np;
    double* y = calloc((size_t)n, sizeof(double));
    double* p = calloc((size_t)(np > 0 ? np : 1), sizeof(double));
    double* J = malloc(sizeof(double) * (size_t)n * (size_t)n);
    double* fp = malloc(sizeof(double) * (size_t)n);
    double* fm = malloc(sizeof(double) * (size_t)n);
    double* v = malloc(sizeof(double) * (size_t)(n + np));
    double* jv = malloc(sizeof(double) * (size_t)n);
    double* jv_ref = malloc(sizeof(double) * (size_t)n);
    double* w = malloc(sizeof(double) * (size_t)n);
    double* w_dy = malloc(sizeof(double) * (size_t)n);
    double* w_dp = malloc(sizeof(double) * (size_t)(np > 0 ? np : 1));
    unsigned long long seed = 12345;
    int failures = 0;
    const double t = pb->tf;

    /* A state near the solution, perturbed so that no component is exactly zero. */
    for (int i = 0; i < n; ++i) y[i] = pb->yref[i] * (1.0 + 0.1 * lcg_uniform(&seed));
    for (int k = 0; k < np; ++k) p[k] = pb->p[k];

    /* (1) df/dy against central differences of f, column by column. */
    pb->jac(pb, t, y, p, J);
    double jac_err = 0.0;
    for (int j = 0; j < n; ++j) {
        const double h = 1e-6 * (fabs(y[j]) > 0 ? fabs(y[j]) : 1e-6), yj = y[j];
        y[j] = yj + h;
        pb->f(pb, t, y, p, fp);
        y[j] = yj - h;
        pb->f(pb, t, y, p, fm);
        y[j] = yj;
        double colmax = 0.0, errmax = 0.0;
        for (int i = 0; i < n; ++i) {
            const double fd = (fp[i] - fm[i]) / (2.0 * h);
            colmax = fmax(colmax, fabs(J[i * n + j]));
            errmax = fmax(errmax, fabs(fd - J[i * n + j]));
        }
        if (colmax > 0) jac_err = fmax(jac_err, errmax / colmax);
    }
    if (!(jac_err < 1e-6)) ++failures;

    /* (2) jvp against J v + central differences of f in p. */
    for (int i = 0; i < n + np; ++i) v[i] = lcg_uniform(&seed);
    for (int i = 0; i < n + np; ++i)
        if (i >= n) v[i] *= fabs(p[i - n]);
    pb->jvp(pb, t, y, p, v, jv);
    {
        const double h = 1e-6;
        double* pp = malloc(sizeof(double) * (size_t)(np > 0 ? np : 1));
        for (int k = 0; k < np; ++k) pp[k] = p[k] + h * v[n + k];
        pb->f(pb, t, y, pp, fp);
        for (int k = 0; k < np; ++k) pp[k] = p[k] - h * v[n + k];
        pb->f(pb, t, y, pp, fm);
        free(pp);
        for (int i = 0; i < n; ++i) {
            double s = (fp[i] - fm[i]) / (2.0 * h);
            for (int j = 0; j < n; ++j) s += J[i * n + j] * v[j];
            jv_ref[i] = s;
        }
    }
    double jvp_err = 0.0, jvp_scale = 0.0;
    for (int i = 0; i < n; ++i) {
        jvp_err = fmax(jvp_err, fabs(jv[i] - jv_ref[i]));
        jvp_scale = fmax(jvp_scale, fabs(jv_ref[i]));
    }
    jvp_err /= jvp_scale;
    if (!(jvp_err < 1e-6)) ++failures;

    /* (3) vjp against jvp: w . (J v) == (w^T J) . v exactly up to rounding. */
    for (int i = 0; i < n; ++i) w[i] = lcg_uniform(&seed);
    pb->vjp(pb, t, y, p, w, w_dy, w_dp);
    double lhs = 0.0, rhs = 0.0, mag = 0.0;
    for (int i = 0; i < n; ++i) {
        lhs += w[i] * jv[i];
        mag += fabs(w[i] * jv[i]);
    }
    for (int i = 0; i < n; ++i) rhs += w_dy[i] * v[i];
    for (int k = 0; k < np; ++k) rhs += w_dp[k] * v[n + k];
    const double dot_err = fabs(lhs - rhs) / mag;
    if (!(dot_err < 1e-12)) ++failures;

    printf("selftest %-6s  jac vs FD %.1e   jvp vs jac+FD(p) %.1e   vjp.v vs w.jvp %.1e   %s\n", pb->name, jac_err,
           jvp_err, dot_err, failures ? "FAIL" : "ok");

    free(y); free(p); free(J); free(fp); free(fm); free(v); free(jv); free(jv_ref); free(w); free(w_dy); free(w_dp);
    return failures;
}
