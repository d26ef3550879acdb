/* work_precision.c — side-by-side work–precision comparison of librewind's implicit integrators with SUNDIALS
   CVODE (BDF) on the stiff test set, and of their gradients (Rewind's discrete adjoint vs CVODES' continuous
   adjoint). See README.md in this directory for what is measured and how to read the output.

   usage: peers_work_precision [options]
     --csv PATH            forward work–precision rows        (default results/work_precision.csv)
     --gradient-csv PATH   gradient rows                      (default results/gradients.csv)
     --ratio-csv PATH      equal-accuracy ratios              (default results/ratios.csv)
     --problems LIST       comma-separated (default rober,hires,pollu,vdpol)
     --methods LIST        librewind methods (default kvaerno5,kvaerno4,kvaerno3,sdirk4,trbdf2)
     --gradient-methods L  librewind methods of the gradient study (default kvaerno5,kvaerno4,sdirk4)
     --min-time S          accumulated CPU time per measurement (default 0.2 s)
     --rtol-exp A:B        rtol = 1e-A .. 1e-B (default 4:10)
     --no-rewind           CVODE/CVODES only (and the problem checks)
     --no-gradients        skip the gradient comparison
     --check               only the problem checks (self-test, tight CVODE solves against the references)
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "problems.h"
#include "solvers.h"

#ifndef PEERS_RESULTS_DIR
#define PEERS_RESULTS_DIR "results"
#endif

#define MAX_RTOLS 16
#define MAX_METHODS 8
#define MAX_PROBLEMS 8
#define MAX_REPS 200000

/* CVODE also runs at these extra tolerances (rtol = 10^-e), only so that equal-accuracy interpolation covers the
   mescd range the librewind points reach (marked "cover" in the tables). */
static const double cover_exps[] = {3.0, 3.5, 10.5, 11.0, 12.0, 13.0};

typedef struct options {
    const char* csv;
    const char* gradient_csv;
    const char* ratio_csv;
    const char* problems[MAX_PROBLEMS];
    int nproblems;
    const char* methods[MAX_METHODS];
    int nmethods;
    const char* gmethods[MAX_METHODS];
    int ngmethods;
    double min_time;
    int exp_lo, exp_hi;
    int rewind;
    int gradients;
    int check_only;
} options;

typedef struct result {
    char solver[64];
    double rtol, atol;
    int cover; /* CVODE coverage point, not part of the main rtol list */
    int ok;
    char message[256];
    int reps;
    double t_median, t_mean; /* thread CPU time per solve */
    double wall_median;      /* wall-clock time per solve */
    peer_stats st;
    double mescd, scd;
    double grad_err; /* gradients only: relative error of p .* dL/dp */
} result;

static int cmp_double(const void* a, const void* b);

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of this thread: what the comparisons use, since it is far less disturbed than wall time by other
   processes on a shared machine (both solvers are single-threaded here). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double median_of(double* v, int m)
{
    qsort(v, (size_t)m, sizeof(double), cmp_double);
    return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

static int cmp_double(const void* a, const void* b)
{
    const double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

/* One warm-up solve (it also sets up lazily built state), then timed solves until min_time of CPU time has
   accumulated (at least 3). A warm-up that alone takes min_time or more is the only sample. The counters are
   those of the last solve (every solve repeats the same work). */
static void measure(peer_solver* s, const peer_problem* pb, double min_time, result* r, double* yT, double* dl_dp,
                    double* dl_dy0)
{
    static double cpu[MAX_REPS], wall[MAX_REPS];
    r->ok = 0;
    const double w0 = now_s(), c0 = cpu_s();
    if (s->solve(s->impl, yT, dl_dp, dl_dy0, &r->st, r->message) != 0) return;
    const double warm_cpu = cpu_s() - c0, warm_wall = now_s() - w0;
    double total = 0.0;
    int reps = 0;
    if (warm_cpu >= min_time) {
        cpu[0] = warm_cpu;
        wall[0] = warm_wall;
        reps = 1;
        total = warm_cpu;
    }
    while ((total < min_time || reps < 3) && reps < MAX_REPS && warm_cpu < min_time) {
        const double t0 = now_s(), u0 = cpu_s();
        const int rc = s->solve(s->impl, yT, dl_dp, dl_dy0, &r->st, r->message);
        const double du = cpu_s() - u0, dt = now_s() - t0;
        if (rc != 0) return;
        cpu[reps] = du;
        wall[reps] = dt;
        ++reps;
        total += du;
    }
    r->reps = reps;
    r->t_mean = total / reps;
    r->t_median = median_of(cpu, reps);
    r->wall_median = median_of(wall, reps);
    r->mescd = peer_mescd(pb, yT);
    r->scd = peer_scd(pb, yT);
    r->ok = 1;
}

static const char* method_type(const char* method)
{
    if (strcmp(method, "beuler") == 0 || strcmp(method, "cn") == 0 || strcmp(method, "theta") == 0) return "theta";
    return "esdirk";
}

static void split_list(char* s, const char** out, int* count, int max)
{
    *count = 0;
    for (char* tok = strtok(s, ","); tok && *count < max; tok = strtok(NULL, ",")) out[(*count)++] = tok;
}

static FILE* open_csv(const char* path)
{
    FILE* f = fopen(path, "w");
    if (!f) fprintf(stderr, "cannot write %s\n", path);
    return f;
}

/* ---- equal-accuracy interpolation --------------------------------------------------------------------------- */

typedef struct xy {
    double x, y;
} xy;

static int cmp_xy(const void* a, const void* b)
{
    const double x = ((const xy*)a)->x, y = ((const xy*)b)->x;
    return (x > y) - (x < y);
}

/* Piecewise-linear y(x) through points sorted by x; NAN outside [x_min, x_max]. */
static double interp(const xy* pts, int m, double x)
{
    if (m < 2 || x < pts[0].x || x > pts[m - 1].x) return NAN;
    for (int i = 0; i + 1 < m; ++i)
        if (x >= pts[i].x && x <= pts[i + 1].x) {
            const double dx = pts[i + 1].x - pts[i].x;
            if (dx <= 0) return pts[i].y;
            return pts[i].y + (pts[i + 1].y - pts[i].y) * (x - pts[i].x) / dx;
        }
    return NAN;
}

static void print_stats_row(const result* r, const char* tag)
{
    if (!r->ok) {
        printf("  %-18s %8.0e %s  FAILED: %s\n", r->solver, r->rtol, tag, r->message);
        return;
    }
    printf("  %-18s %8.0e %-5s %6.2f %10.4f %7lld %6lld %6lld %8lld %6lld %6lld %7lld %5d\n", r->solver, r->rtol,
           tag, r->mescd, 1e3 * r->t_median, r->st.steps, r->st.rejected, r->st.newton_fails, r->st.f_evals,
           r->st.jac_evals, r->st.factorizations, r->st.newton_iters, r->reps);
}

/* ---- problem checks ------------------------------------------------------------------------------------------ */

static int check_problem(const peer_problem* pb)
{
    int failures = peer_selftest(pb);
    /* Tight CVODE solve against the reference (atol 1e-4 below the problem's ratio, so that small components
       such as ROBER's y1 ~ 2e-8 are resolved too): every component to >= 7 significant digits (scd) is required. */
    const double rtol = 1e-12, atol = 1e-4 * pb->atol_per_rtol * rtol;
    peer_solver s;
    double yT[64];
    peer_stats st;
    char message[256] = "";
    if (peer_cvode_forward(&s, pb, rtol, atol) != 0 || s.solve(s.impl, yT, NULL, NULL, &st, message) != 0) {
        printf("check %-6s  CVODE rtol 1e-12 FAILED: %s\n", pb->name, message);
        return failures + 1;
    }
    const double mescd = peer_mescd(pb, yT), scd = peer_scd(pb, yT);
    printf("check %-6s  CVODE rtol %.0e atol %.0e: mescd %.2f  scd %.2f  steps %lld  %s\n", pb->name, rtol, atol,
           mescd, scd, st.steps, scd >= 7.0 ? "ok (scd >= 7)" : "FAIL (scd < 7)");
    for (int i = 0; i < pb->n; ++i)
        printf("      y%-2d = % .16e  ref % .16e  rel %.1e\n", i + 1, yT[i], pb->yref[i],
               fabs(yT[i] - pb->yref[i]) / fabs(pb->yref[i]));
    if (scd < 7.0) ++failures;
    s.destroy(s.impl);
    return failures;
}

/* ---- the forward work–precision study ------------------------------------------------------------------------ */

typedef struct summary_row {
    char problem[16], solver[64];
    int points, outside, failed;
    double gm_time, min_time, max_time, gm_f;
} summary_row;

static summary_row summary[MAX_PROBLEMS * MAX_METHODS];
static int nsummary = 0;

static void print_summary(void)
{
    if (nsummary == 0) return;
    printf("\n# summary: librewind time / CVODE time at equal mescd (thread-CPU time; < 1 means librewind is faster)\n");
    printf("  %-8s %-18s %6s %9s %9s %9s %9s   %s\n", "problem", "solver", "points", "geomean", "min", "max",
           "f geomean", "not compared");
    for (int i = 0; i < nsummary; ++i) {
        const summary_row* r = &summary[i];
        printf("  %-8s %-18s %6d", r->problem, r->solver, r->points);
        if (r->points)
            printf(" %9.2f %9.2f %9.2f %9.2f", r->gm_time, r->min_time, r->max_time, r->gm_f);
        else
            printf(" %9s %9s %9s %9s", "-", "-", "-", "-");
        printf("   %d outside CVODE's mescd range, %d failed\n", r->outside, r->failed);
    }
}

static void forward_study(const options* o, const peer_problem* pb, FILE* csv, FILE* ratio_csv)
{
    result rs[(MAX_METHODS + 1) * (MAX_RTOLS + 8)];
    int nr = 0;
    double yT[64];
    const int nmeth = o->rewind ? o->nmethods : 0;

    printf("\n== %s: %s; atol = %g * rtol\n", pb->name, pb->description, pb->atol_per_rtol);
    printf("  %-18s %8s %-5s %6s %10s %7s %6s %6s %8s %6s %6s %7s %5s\n", "solver", "rtol", "", "mescd",
           "time[ms]", "steps", "rej", "nlfail", "f", "jac", "LU", "newton", "reps");

    /* CVODE at the main rtols, then the coverage points. */
    int nexp = o->exp_hi - o->exp_lo + 1;
    int nc = 0;
    for (int k = 0; k < nexp + (int)(sizeof cover_exps / sizeof cover_exps[0]); ++k) {
        double e;
        int cover = k >= nexp;
        if (!cover) e = o->exp_lo + k;
        else {
            e = cover_exps[k - nexp];
            if (e >= o->exp_lo && e <= o->exp_hi) continue;
        }
        result* r = &rs[nr++];
        memset(r, 0, sizeof *r);
        r->rtol = pow(10.0, -e);
        r->atol = pb->atol_per_rtol * r->rtol;
        r->cover = cover;
        peer_solver s;
        if (peer_cvode_forward(&s, pb, r->rtol, r->atol) != 0) {
            snprintf(r->message, sizeof r->message, "setup failed");
            snprintf(r->solver, sizeof r->solver, "cvode-bdf");
            continue;
        }
        snprintf(r->solver, sizeof r->solver, "%s", s.name);
        measure(&s, pb, o->min_time, r, yT, NULL, NULL);
        s.destroy(s.impl);
        print_stats_row(r, cover ? "cover" : "");
        ++nc;
    }
    const int cvode_end = nr;

    for (int m = 0; m < nmeth; ++m) {
        for (int e = o->exp_lo; e <= o->exp_hi; ++e) {
            result* r = &rs[nr++];
            memset(r, 0, sizeof *r);
            r->rtol = pow(10.0, -e);
            r->atol = pb->atol_per_rtol * r->rtol;
            peer_solver s;
            snprintf(r->solver, sizeof r->solver, "rewind-%s", o->methods[m]);
            if (peer_rewind_forward(&s, pb, method_type(o->methods[m]), o->methods[m], r->rtol, r->atol) != 0) {
                snprintf(r->message, sizeof r->message, "setup failed");
                print_stats_row(r, "");
                continue;
            }
            measure(&s, pb, o->min_time, r, yT, NULL, NULL);
            s.destroy(s.impl);
            print_stats_row(r, "");
        }
    }

    if (csv)
        for (int i = 0; i < nr; ++i) {
            const result* r = &rs[i];
            fprintf(csv, "%s,%s,%.1e,%.1e,%d,%d,%d,%.6e,%.6e,%.6e,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%.4f,%.4f,\"%s\"\n",
                    pb->name, r->solver, r->rtol, r->atol, r->cover, r->ok, r->reps, r->t_median, r->t_mean,
                    r->wall_median,
                    r->st.steps, r->st.rejected, r->st.newton_fails, r->st.f_evals, r->st.jac_evals,
                    r->st.factorizations, r->st.newton_iters, r->ok ? r->mescd : NAN, r->ok ? r->scd : NAN,
                    r->ok ? "" : r->message);
        }

    if (nmeth == 0) return;

    /* Ratios at equal accuracy: CVODE's log10(time) and log10(f evals) interpolated linearly in mescd. CVODE
       runs with mescd < 1 (error above 10% of the scale: a diverged solve, e.g. ROBER at rtol 1e-3) are left out. */
    xy tpts[MAX_RTOLS + 8], fpts[MAX_RTOLS + 8];
    int m2 = 0;
    for (int i = 0; i < cvode_end; ++i)
        if (rs[i].ok && rs[i].mescd >= 1.0) {
            tpts[m2].x = fpts[m2].x = rs[i].mescd;
            tpts[m2].y = log10(rs[i].t_median);
            fpts[m2].y = log10((double)rs[i].st.f_evals);
            ++m2;
        }
    qsort(tpts, (size_t)m2, sizeof(xy), cmp_xy);
    qsort(fpts, (size_t)m2, sizeof(xy), cmp_xy);
    printf("\n  %s: librewind / CVODE at equal mescd (CVODE interpolated log-linearly in mescd over %.2f..%.2f)\n",
           pb->name, m2 ? tpts[0].x : NAN, m2 ? tpts[m2 - 1].x : NAN);
    printf("  %-18s %8s %6s %12s %12s %10s %10s\n", "solver", "rtol", "mescd", "time ratio", "f ratio",
           "t_rw[ms]", "t_cv[ms]");
    for (int m = 0; m < nmeth; ++m) {
        double logsum = 0.0, logf = 0.0, tmin = INFINITY, tmax = 0.0;
        int cnt = 0, outside = 0, failed = 0;
        char name[64];
        snprintf(name, sizeof name, "rewind-%s", o->methods[m]);
        for (int i = cvode_end; i < nr; ++i) {
            const result* r = &rs[i];
            if (strcmp(r->solver, name) != 0) continue;
            if (!r->ok) {
                printf("  %-18s %8.0e  failed\n", r->solver, r->rtol);
                ++failed;
                continue;
            }
            const double lt = interp(tpts, m2, r->mescd), lf = interp(fpts, m2, r->mescd);
            if (isnan(lt)) {
                ++outside;
                printf("  %-18s %8.0e %6.2f %12s %12s %10.4f %10s\n", r->solver, r->rtol, r->mescd, "outside",
                       "outside", 1e3 * r->t_median, "-");
                if (ratio_csv)
                    fprintf(ratio_csv, "%s,%s,%.1e,%.4f,,,%.6e,\n", pb->name, r->solver, r->rtol, r->mescd,
                            r->t_median);
                continue;
            }
            const double tc = pow(10.0, lt), fc = pow(10.0, lf);
            const double tr = r->t_median / tc, fr = (double)r->st.f_evals / fc;
            logsum += log(tr);
            logf += log(fr);
            tmin = fmin(tmin, tr);
            tmax = fmax(tmax, tr);
            ++cnt;
            printf("  %-18s %8.0e %6.2f %12.2f %12.2f %10.4f %10.4f\n", r->solver, r->rtol, r->mescd, tr, fr,
                   1e3 * r->t_median, 1e3 * tc);
            if (ratio_csv)
                fprintf(ratio_csv, "%s,%s,%.1e,%.4f,%.4f,%.4f,%.6e,%.6e\n", pb->name, r->solver, r->rtol, r->mescd,
                        tr, fr, r->t_median, tc);
        }
        if (cnt)
            printf("  %-18s geometric-mean time ratio over %d points: %.2f\n", name, cnt, exp(logsum / cnt));
        if (nsummary < (int)(sizeof summary / sizeof summary[0])) {
            summary_row* row = &summary[nsummary++];
            snprintf(row->problem, sizeof row->problem, "%s", pb->name);
            snprintf(row->solver, sizeof row->solver, "%s", name);
            row->points = cnt;
            row->outside = outside;
            row->failed = failed;
            row->gm_time = cnt ? exp(logsum / cnt) : NAN;
            row->gm_f = cnt ? exp(logf / cnt) : NAN;
            row->min_time = tmin;
            row->max_time = tmax;
        }
    }
}

/* ---- the gradient study -------------------------------------------------------------------------------------- */

/* Relative error of the log-parameter gradient p .* dL/dp (2-norm). */
static double grad_error(const peer_problem* pb, const double* g, const double* gref)
{
    double num = 0.0, den = 0.0;
    for (int k = 0; k < pb->np; ++k) {
        const double a = pb->p[k] * g[k], b = pb->p[k] * gref[k];
        num += (a - b) * (a - b);
        den += b * b;
    }
    return sqrt(num / den);
}

static void gradient_row(FILE* csv, const char* kind, const peer_problem* pb, const result* r, double dot_residual)
{
    if (!csv) return;
    fprintf(csv, "%s,%s,%s,%.1e,%.1e,%d,%d,%.6e,%.6e,%.6e,%.4f,%.4e,%.4e,%lld,%lld,%lld,%lld,%lld,%lld,\"%s\"\n",
            kind, pb->name, r->solver, r->rtol, r->atol, r->ok, r->reps, r->t_median, r->t_mean, r->wall_median,
            r->mescd, r->grad_err,
            dot_residual, r->st.steps, r->st.b_steps, r->st.f_evals, r->st.b_rhs_evals, r->st.jac_evals,
            r->st.b_jac_evals, r->message);
}

/* One untimed gradient solve (references and confirmations). */
static int gradient_once(peer_solver* s, const peer_problem* pb, result* r, double* yT, double* gp, double* g0)
{
    r->ok = s->solve(s->impl, yT, gp, g0, &r->st, r->message) == 0;
    snprintf(r->solver, sizeof r->solver, "%s", s->name);
    if (r->ok) r->mescd = peer_mescd(pb, yT);
    s->destroy(s->impl);
    return r->ok;
}

static void gradient_study(const options* o, const peer_problem* pb, FILE* csv)
{
    const int np = pb->np;
    double w[64], yT[64], g0[64], gref[64], gchk[64], gp[64];
    char message[256] = "";
    peer_solver s;
    result ref;
    memset(&ref, 0, sizeof ref);
    peer_loss_weights(pb, w);

    printf("\n== gradients, %s: L = sum_i w_i y_i(T), w_i = 1/(|yref_i| + %g)\n", pb->name, pb->atol_per_rtol);

    /* Reference: CVODES forward sensitivities at rtol 1e-14 (sensitivities in the error test) — a third method,
       independent of both adjoints being compared — confirmed by librewind kvaerno5's discrete adjoint at rtol
       1e-14 and by the CVODES adjoint at rtol 1e-13 (its backward solve fails at 1e-14 on ROBER). Their
       difference to the reference bounds the reference's own error. */
    const double rref = 1e-14, aref = pb->atol_per_rtol * rref;
    ref.rtol = rref;
    ref.atol = aref;
    if (peer_cvodes_fsa(&s, pb, rref, aref, w) != 0 || !gradient_once(&s, pb, &ref, yT, gref, g0)) {
        printf("  reference (CVODES FSA) FAILED: %s\n", ref.message);
        gradient_row(csv, "reference", pb, &ref, NAN);
        return;
    }
    printf("  reference: CVODES forward sensitivities, rtol %.0e, mescd of y(T) %.2f\n", rref, ref.mescd);
    gradient_row(csv, "reference", pb, &ref, NAN);

    double chk_rw[64];
    int have_rw = 0;
    for (int c = 0; c < 2; ++c) {
        result r;
        memset(&r, 0, sizeof r);
        r.rtol = c == 0 ? rref : 1e-13;
        r.atol = pb->atol_per_rtol * r.rtol;
        int rc;
        if (c == 0) {
            if (!o->rewind) continue;
            rc = peer_rewind_adjoint(&s, pb, "esdirk", "kvaerno5", r.rtol, r.atol, w);
        } else
            rc = peer_cvodes_adjoint(&s, pb, r.rtol, r.atol, w, 0, 0);
        if (rc != 0 || !gradient_once(&s, pb, &r, yT, gchk, g0)) {
            printf("  confirm:   %s at rtol %.0e FAILED: %s\n", c == 0 ? "rewind-kvaerno5-adj" : "cvodes-adj",
                   r.rtol, r.message);
            gradient_row(csv, "confirm", pb, &r, NAN);
            continue;
        }
        r.grad_err = grad_error(pb, gchk, gref);
        printf("  confirm:   %-20s rtol %.0e: relative difference to the reference %.2e (mescd %.2f)\n", r.solver,
               r.rtol, r.grad_err, r.mescd);
        gradient_row(csv, "confirm", pb, &r, NAN);
        if (c == 0) {
            memcpy(chk_rw, gchk, sizeof(double) * (size_t)np);
            have_rw = 1;
        }
    }
    printf("  %-18s %14s %14s\n", "parameter", "p dL/dp (ref)", have_rw ? "rewind 1e-14" : "");
    for (int k = 0; k < np; ++k)
        printf("  %-18s % 14.6e % 14.6e\n", pb->param_names[k], pb->p[k] * gref[k],
               have_rw ? pb->p[k] * chk_rw[k] : NAN);

    /* Every solver at each rtol, timed (forward + reverse). */
    /* CVODES with its defaults (Hermite interpolation, quadrature outside the error test), and its most careful
       setting (polynomial interpolation, quadrature in the error test). */
    static const char* const cv_names[] = {"cvodes-adj", "cvodes-adj-poly-qerr"};
    const int ncv = 2;
    const char* names[2 + MAX_METHODS];
    int nsolvers = ncv;
    names[0] = cv_names[0];
    names[1] = cv_names[1];
    if (o->rewind)
        for (int m = 0; m < o->ngmethods; ++m) names[nsolvers++] = o->gmethods[m];
    result rs[(2 + MAX_METHODS) * MAX_RTOLS];
    int nr = 0;
    printf("  %-20s %8s %6s %10s %10s %7s %7s %8s %8s %5s\n", "solver", "rtol", "mescd", "grad err", "time[ms]",
           "steps", "bsteps", "f", "adj rhs", "reps");
    for (int k = 0; k < nsolvers; ++k)
        for (int e = o->exp_lo; e <= o->exp_hi; ++e) {
            result* r = &rs[nr++];
            memset(r, 0, sizeof *r);
            r->rtol = pow(10.0, -e);
            r->atol = pb->atol_per_rtol * r->rtol;
            int rc = k < ncv ? peer_cvodes_adjoint(&s, pb, r->rtol, r->atol, w, k == 1, k == 1)
                             : peer_rewind_adjoint(&s, pb, method_type(names[k]), names[k], r->rtol, r->atol, w);
            if (k < ncv) snprintf(r->solver, sizeof r->solver, "%s", names[k]);
            else snprintf(r->solver, sizeof r->solver, "rewind-%s-adj", names[k]);
            if (rc != 0) {
                snprintf(r->message, sizeof r->message, "setup failed");
                gradient_row(csv, "gradient", pb, r, NAN);
                continue;
            }
            measure(&s, pb, o->min_time, r, yT, gp, g0);
            s.destroy(s.impl);
            if (!r->ok) {
                printf("  %-20s %8.0e FAILED: %s\n", r->solver, r->rtol, r->message);
                gradient_row(csv, "gradient", pb, r, NAN);
                continue;
            }
            r->grad_err = grad_error(pb, gp, gref);
            printf("  %-20s %8.0e %6.2f %10.2e %10.4f %7lld %7lld %8lld %8lld %5d\n", r->solver, r->rtol, r->mescd,
                   r->grad_err, 1e3 * r->t_median, r->st.steps, r->st.b_steps, r->st.f_evals, r->st.b_rhs_evals,
                   r->reps);
            gradient_row(csv, "gradient", pb, r, NAN);
        }

    /* Time at equal gradient error: each CVODES variant's log10(time) interpolated linearly in log10(error)
       (points with error >= 1 left out). */
    xy pts[2][MAX_RTOLS];
    int mp[2] = {0, 0};
    for (int v = 0; v < ncv; ++v) {
        for (int i = 0; i < nr; ++i)
            if (rs[i].ok && strcmp(rs[i].solver, cv_names[v]) == 0 && rs[i].grad_err > 0 && rs[i].grad_err < 1.0) {
                pts[v][mp[v]].x = -log10(rs[i].grad_err);
                pts[v][mp[v]].y = log10(rs[i].t_median);
                ++mp[v];
            }
        qsort(pts[v], (size_t)mp[v], sizeof(xy), cmp_xy);
    }
    if (nsolvers > ncv) {
        printf("  librewind / CVODES time at equal gradient error (CVODES interpolated log-log; '-' = error outside "
               "the range CVODES reached)\n");
        printf("    %-20s %8s %10s %14s %20s\n", "solver", "rtol", "grad err", "vs cvodes-adj", "vs cvodes-adj-poly-qerr");
        for (int i = 0; i < nr; ++i) {
            if (!rs[i].ok || strncmp(rs[i].solver, "cvodes", 6) == 0) continue;
            printf("    %-20s %8.0e %10.2e", rs[i].solver, rs[i].rtol, rs[i].grad_err);
            for (int v = 0; v < ncv; ++v) {
                const double lt = rs[i].grad_err > 0 ? interp(pts[v], mp[v], -log10(rs[i].grad_err)) : NAN;
                if (isnan(lt)) printf(" %*s", v == 0 ? 14 : 20, "-");
                else printf(" %*.2f", v == 0 ? 14 : 20, rs[i].t_median / pow(10.0, lt));
            }
            printf("\n");
        }
    }

    /* Dot-product test: the discrete adjoint against the tangent-linear solve of the same discrete solution. */
    if (o->rewind) {
        printf("  dot-product test (store-all solve; w . TLM(dy0,dp)(T) vs adjoint(w) . (dy0,dp)):\n");
        for (int m = 0; m < o->ngmethods; ++m)
            for (int e = o->exp_lo; e <= o->exp_hi; e += 2) {
                const double rtol = pow(10.0, -e);
                double lhs = 0, rhs = 0, worst = 0;
                int worst_index = -1;
                result r;
                memset(&r, 0, sizeof r);
                snprintf(r.solver, sizeof r.solver, "rewind-%s", o->gmethods[m]);
                r.rtol = rtol;
                r.atol = pb->atol_per_rtol * rtol;
                const double res = peer_rewind_dot_test(pb, method_type(o->gmethods[m]), o->gmethods[m], rtol,
                                                        r.atol, w, &lhs, &rhs, &worst, &worst_index, message);
                r.ok = res >= 0;
                char where[64] = "-";
                if (worst_index >= 0 && worst_index < pb->n) snprintf(where, sizeof where, "y0_%d", worst_index + 1);
                else if (worst_index >= pb->n) snprintf(where, sizeof where, "%s", pb->param_names[worst_index - pb->n]);
                if (!r.ok) {
                    snprintf(r.message, sizeof r.message, "%s", message);
                    printf("    %-10s rtol %.0e FAILED: %s\n", o->gmethods[m], rtol, message);
                } else
                    printf("    %-10s rtol %.0e  lhs % .16e  rhs % .16e  residual %.1e  worst unit direction "
                           "%.1e (%s)\n",
                           o->gmethods[m], rtol, lhs, rhs, res, worst, where);
                snprintf(r.message, sizeof r.message, "worst unit direction %.3e at %s", worst, where);
                gradient_row(csv, "dot-test", pb, &r, r.ok ? res : NAN);
            }
    }
}

int main(int argc, char** argv)
{
    options o;
    memset(&o, 0, sizeof o);
    static char default_csv[1024], default_gcsv[1024], default_rcsv[1024];
    snprintf(default_csv, sizeof default_csv, "%s/work_precision.csv", PEERS_RESULTS_DIR);
    snprintf(default_gcsv, sizeof default_gcsv, "%s/gradients.csv", PEERS_RESULTS_DIR);
    snprintf(default_rcsv, sizeof default_rcsv, "%s/ratios.csv", PEERS_RESULTS_DIR);
    o.csv = default_csv;
    o.gradient_csv = default_gcsv;
    o.ratio_csv = default_rcsv;
    o.min_time = 0.2;
    o.exp_lo = 4;
    o.exp_hi = 10;
    o.rewind = 1;
    o.gradients = 1;
    static char problems_default[] = "rober,hires,pollu,vdpol";
    static char methods_default[] = "kvaerno5,kvaerno4,kvaerno3,sdirk4,trbdf2";
    static char gmethods_default[] = "kvaerno5,kvaerno4,sdirk4";
    char* plist = problems_default;
    char* mlist = methods_default;
    char* glist = gmethods_default;
    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--csv") == 0 && v) o.csv = argv[++i];
        else if (strcmp(a, "--gradient-csv") == 0 && v) o.gradient_csv = argv[++i];
        else if (strcmp(a, "--ratio-csv") == 0 && v) o.ratio_csv = argv[++i];
        else if (strcmp(a, "--problems") == 0 && v) plist = argv[++i];
        else if (strcmp(a, "--methods") == 0 && v) mlist = argv[++i];
        else if (strcmp(a, "--gradient-methods") == 0 && v) glist = argv[++i];
        else if (strcmp(a, "--min-time") == 0 && v) o.min_time = atof(argv[++i]);
        else if (strcmp(a, "--rtol-exp") == 0 && v) {
            if (sscanf(argv[++i], "%d:%d", &o.exp_lo, &o.exp_hi) != 2 || o.exp_lo > o.exp_hi ||
                o.exp_hi - o.exp_lo >= MAX_RTOLS) {
                fprintf(stderr, "--rtol-exp wants A:B with A <= B\n");
                return 2;
            }
        } else if (strcmp(a, "--no-rewind") == 0) o.rewind = 0;
        else if (strcmp(a, "--no-gradients") == 0) o.gradients = 0;
        else if (strcmp(a, "--check") == 0) o.check_only = 1;
        else {
            fprintf(stderr, "unknown or incomplete option %s (see the header of work_precision.c)\n", a);
            return 2;
        }
    }
    split_list(plist, o.problems, &o.nproblems, MAX_PROBLEMS);
    split_list(mlist, o.methods, &o.nmethods, MAX_METHODS);
    split_list(glist, o.gmethods, &o.ngmethods, MAX_METHODS);

    int failures = 0;
    printf("# problem checks\n");
    for (int i = 0; i < o.nproblems; ++i) {
        const peer_problem* pb = peer_problem_find(o.problems[i]);
        if (!pb) {
            fprintf(stderr, "unknown problem %s\n", o.problems[i]);
            return 2;
        }
        failures += check_problem(pb);
    }
    if (o.check_only) return failures ? 1 : 0;

#ifndef PEERS_HAVE_REWIND
    if (o.rewind) printf("\n(built without librewind: CVODE/CVODES only; configure with -DRewind_DIR=...)\n");
    o.rewind = 0;
#endif
    if (o.rewind) {
        char message[256] = "";
        if (peer_rewind_probe(message) != 0) {
            printf("\nlibrewind cannot solve with an implicit method yet: %s\n", message);
            return 3;
        }
    }

    FILE* csv = open_csv(o.csv);
    FILE* rcsv = o.rewind ? open_csv(o.ratio_csv) : NULL;
    if (csv)
        fprintf(csv, "problem,solver,rtol,atol,cover,ok,reps,cpu_median_s,cpu_mean_s,wall_median_s,steps,rejected,"
                     "newton_fails,f_evals,jac_evals,factorizations,newton_iters,mescd,scd,error\n");
    if (rcsv) fprintf(rcsv, "problem,solver,rtol,mescd,time_ratio,f_ratio,cpu_rewind_s,cpu_cvode_interp_s\n");
    printf("\n# forward work-precision (time = median thread-CPU time per solve; counters of one solve)\n");
    for (int i = 0; i < o.nproblems; ++i) forward_study(&o, peer_problem_find(o.problems[i]), csv, rcsv);
    if (csv) fclose(csv);
    if (rcsv) fclose(rcsv);
    print_summary();

    if (o.gradients) {
        FILE* gcsv = open_csv(o.gradient_csv);
        if (gcsv)
            fprintf(gcsv, "kind,problem,solver,rtol,atol,ok,reps,cpu_median_s,cpu_mean_s,wall_median_s,mescd,grad_rel_err,"
                          "dot_residual,steps,b_steps,f_evals,adj_rhs_evals,jac_evals,b_jac_evals,note\n");
        printf("\n# gradients dL/dp (error = ||p.*(g - g_ref)||_2 / ||p.*g_ref||_2; time = median thread-CPU time of "
               "forward + reverse)\n");
        for (int i = 0; i < o.nproblems; ++i) gradient_study(&o, peer_problem_find(o.problems[i]), gcsv);
        if (gcsv) fclose(gcsv);
    }
    printf("\nwrote %s%s%s\n", o.csv, o.rewind ? ", " : "", o.rewind ? o.ratio_csv : "");
    if (o.gradients) printf("wrote %s\n", o.gradient_csv);
    return 0;
}
