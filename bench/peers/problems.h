/* problems.h — the stiff test problems of the peer comparison, defined once in plain C and shared by every
   solver adapter (CVODE/CVODES and librewind), so that all of them integrate the same equations with the same
   derivative code.

   Sources: /work/shared/research/stiff-test-set.md (Bari Test Set for IVP Solvers, cran/deTestSet), which gives
   the equations, constants, initial values, intervals and the reference values y(T) copied below.

   Every problem is dy/dt = f(t, y, p) with a parameter vector p (the rate constants), and comes with
     f       dydt = f(t, y, p)
     jac     dfdy = df/dy, dense, row-major (dfdy[i * n + j] = df_i/dy_j), overwritten
     vjp     w_dy = w^T df/dy, w_dp = w^T df/dp (overwritten)
     jvp     jv = df/dy v[0..n) + df/dp v[n..n+np)
   ROBER, HIRES and POLLU are mass-action networks (reaction rates r_j = k_{idx(j)} * monomial_j(y), f = S r) and
   share one generic implementation of f and its derivatives; VDPOL is written out by hand. */
#ifndef PEERS_PROBLEMS_H
#define PEERS_PROBLEMS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct peer_problem peer_problem;

typedef int (*peer_f_fn)(const peer_problem* pb, double t, const double* y, const double* p, double* dydt);
typedef int (*peer_jac_fn)(const peer_problem* pb, double t, const double* y, const double* p, double* dfdy);
typedef int (*peer_vjp_fn)(const peer_problem* pb, double t, const double* y, const double* p, const double* w,
                           double* w_dy, double* w_dp);
typedef int (*peer_jvp_fn)(const peer_problem* pb, double t, const double* y, const double* p, const double* v,
                           double* jv);

struct peer_problem {
    const char* name;
    const char* description;
    int n;                          /* states                                                              */
    int np;                         /* parameters                                                          */
    double t0, tf;                  /* interval                                                            */
    const double* y0;               /* n initial values                                                    */
    const double* p;                /* np nominal parameters                                               */
    const char* const* param_names; /* np names, each saying which term it multiplies                       */
    const double* yref;             /* n reference values y(tf)                                            */
    double atol_per_rtol;           /* atol = atol_per_rtol * rtol (both solvers, and mescd's atol/rtol)   */
    peer_f_fn f;
    peer_jac_fn jac;
    peer_vjp_fn vjp;
    peer_jvp_fn jvp;
    const void* data;               /* private (the reaction network)                                      */
};

int peer_problem_count(void);
const peer_problem* peer_problem_at(int index);
const peer_problem* peer_problem_find(const char* name); /* NULL when unknown */

/* mescd = -log10( max_i |y_i - yref_i| / (atol/rtol + |yref_i|) ) (stiff-test-set.md §2). */
double peer_mescd(const peer_problem* pb, const double* y);
/* scd = -log10( max_i |y_i - yref_i| / |yref_i| ) (all references here are non-zero). */
double peer_scd(const peer_problem* pb, const double* y);

/* The loss of the gradient comparison is L = sum_i w_i y_i(tf) with w_i = 1 / (|yref_i| + atol/rtol): the
   mescd weights, so every component counts in proportion to its accuracy scale. */
void peer_loss_weights(const peer_problem* pb, double* w);

/* Self-test of the derivative code at a state near the solution: df/dy against central differences of f,
   jvp against jac and df/dp differences, vjp against jvp (dot-product). Prints one line per problem to stdout;
   returns the number of failing checks. */
int peer_selftest(const peer_problem* pb);

#ifdef __cplusplus
}
#endif

#endif
