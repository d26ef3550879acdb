/* neural_gradient.c — per-iteration gradient time, forward time and peak memory of a neural ODE whose vector field
   is one of librewind's native batched networks (rwd_nn_field_create), with the GEMM kernel forced to "builtin" and
   to "blas"; achieved GFLOP/s of the network's products against a plain BLAS dgemm of the same shapes. It also
   writes the model, its inputs and librewind's loss and gradient, so that neural_gradient_torch.py can run the
   identical model in PyTorch and check that both compute the same numbers. See README.md ("Neural ODE gradients
   against PyTorch") for what is measured and how to read it.

   usage: peers_neural_gradient [options]
     --cases LIST        small,large (default both)
                           small: batch 256,  2-64-64-2   (tanh, tanh, identity), --steps steps
                           large: batch 4096, 2-256-256-2 (tanh, tanh, identity), --large-steps steps
     --methods LIST      rk4,dopri5 (default both; fixed steps dt = T / steps, every step taken)
     --kernels LIST      builtin,blas (default both; blas is left out when librewind was built without BLAS)
     --steps N           steps of the small case (default 50)
     --large-steps N     steps of the large case (default 10: an iteration costs ~50x the small one's per step)
     --t1 T              end time; the solve runs over [0, T] (default 1)
     --min-time S        accumulated CPU time per measurement (default 1 s), but at least --min-reps iterations
     --min-reps N        timed iterations at least (default 3; one untimed warm-up comes first)
     --data-dir DIR      where neural_<case>.txt (model and inputs) and rewind_<case>_<method>_<kernel>.txt (loss,
                         y(T), dL/dp) go (default $TMPDIR/peers-neural)
     --csv PATH          librewind's rows (default <data-dir>/rewind.csv)
     --no-fork           measure in this process (peak RSS then covers everything measured before, too)

   Every measurement (case x method x kernel x {gradient, forward}) runs in a fork()ed child process of its own, so
   that its peak RSS is that of this configuration alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef PEERS_HAVE_BLAS
#include <dlfcn.h>
#endif

#include <rewind/rewind.h>

#define MAX_REPS 100000
#define MAX_LIST 4

/* ---- the model ---------------------------------------------------------------------------------------------- */

typedef struct bench_case {
    const char* name;
    int64_t batch;
    int64_t hidden;
    int64_t steps;
} bench_case;

#define LAYERS 3
static const char* const activations[LAYERS] = {"tanh", "tanh", "identity"};

static void case_sizes(const bench_case* c, int64_t sizes[LAYERS + 1])
{
    sizes[0] = 2;
    sizes[1] = c->hidden;
    sizes[2] = c->hidden;
    sizes[3] = 2;
}

static int64_t case_parameter_count(const bench_case* c)
{
    int64_t sizes[LAYERS + 1], np = 0;
    case_sizes(c, sizes);
    for (int k = 0; k < LAYERS; ++k) np += sizes[k + 1] * sizes[k] + sizes[k + 1];
    return np;
}

/* GEMM flops of one evaluation of the network on the batch: 2 * batch * sum_k in_k * out_k. A vector-Jacobian
   product runs the forward pass again and then two products per layer (dW = dz^T A and dA = dz W): 3 times that. */
static double forward_flops(const bench_case* c)
{
    int64_t sizes[LAYERS + 1];
    case_sizes(c, sizes);
    double f = 0.0;
    for (int k = 0; k < LAYERS; ++k) f += 2.0 * (double)c->batch * (double)sizes[k] * (double)sizes[k + 1];
    return f;
}

/* The data, from one documented seeded rule (README.md): splitmix64 from seed 20240605, u = (x >> 11) * 2^-53.
   In this order: for each layer, W (out x in, row-major) then b, every entry (2u - 1) / sqrt(in) (PyTorch's
   nn.Linear default range); y0 (batch x 2, row-major), every entry 2u - 1; target = 0.8 R(1 rad) y0 per sample. */
typedef struct rng {
    uint64_t state;
} rng;

static double uniform01(rng* r)
{
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

typedef struct case_data {
    int64_t np, n;
    double* p;
    double* y0;
    double* target;
} case_data;

static int make_data(const bench_case* c, case_data* d)
{
    int64_t sizes[LAYERS + 1];
    case_sizes(c, sizes);
    d->np = case_parameter_count(c);
    d->n = c->batch * 2;
    d->p = malloc(sizeof(double) * (size_t)d->np);
    d->y0 = malloc(sizeof(double) * (size_t)d->n);
    d->target = malloc(sizeof(double) * (size_t)d->n);
    if (!d->p || !d->y0 || !d->target) return -1;
    rng r = {20240605ULL};
    int64_t at = 0;
    for (int k = 0; k < LAYERS; ++k) {
        const double bound = 1.0 / sqrt((double)sizes[k]);
        const int64_t count = sizes[k + 1] * sizes[k] + sizes[k + 1];
        for (int64_t i = 0; i < count; ++i) d->p[at++] = bound * (2.0 * uniform01(&r) - 1.0);
    }
    for (int64_t i = 0; i < d->n; ++i) d->y0[i] = 2.0 * uniform01(&r) - 1.0;
    const double cs = 0.8 * cos(1.0), sn = 0.8 * sin(1.0);
    for (int64_t s = 0; s < c->batch; ++s) {
        const double a = d->y0[2 * s], b = d->y0[2 * s + 1];
        d->target[2 * s] = cs * a - sn * b;
        d->target[2 * s + 1] = sn * a + cs * b;
    }
    return 0;
}

static void free_data(case_data* d)
{
    free(d->p);
    free(d->y0);
    free(d->target);
    memset(d, 0, sizeof *d);
}

static void write_array(FILE* f, const char* name, const double* v, int64_t count)
{
    fprintf(f, "%s %lld\n", name, (long long)count);
    for (int64_t i = 0; i < count; ++i) fprintf(f, "%.17g\n", v[i]);
}

/* neural_<case>.txt: what neural_gradient_torch.py reads (keyword lines, then arrays as "name count" + one value
   per line, %.17g so every double survives the round trip). */
static int write_case_file(const char* dir, const bench_case* c, double t1, const case_data* d)
{
    char path[1024];
    int64_t sizes[LAYERS + 1];
    case_sizes(c, sizes);
    snprintf(path, sizeof path, "%s/neural_%s.txt", dir, c->name);
    FILE* f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    fprintf(f, "rewind-neural-benchmark 1\ncase %s\nbatch %lld\nsizes", c->name, (long long)c->batch);
    for (int k = 0; k <= LAYERS; ++k) fprintf(f, " %lld", (long long)sizes[k]);
    fprintf(f, "\nactivations");
    for (int k = 0; k < LAYERS; ++k) fprintf(f, " %s", activations[k]);
    fprintf(f, "\nsteps %lld\nt0 0\nt1 %.17g\nloss mse\n", (long long)c->steps, t1);
    write_array(f, "p", d->p, d->np);
    write_array(f, "y0", d->y0, d->n);
    write_array(f, "target", d->target, d->n);
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- clocks and memory -------------------------------------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the process (librewind is single-threaded here; PyTorch's side uses the same clock, so threads a
   library might start would be counted on both sides). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void* a, const void* b)
{
    const double x = *(const double*)a, y = *(const double*)b;
    return (x > y) - (x < y);
}

static double median_of(double* v, int m)
{
    qsort(v, (size_t)m, sizeof(double), cmp_double);
    return m % 2 ? v[m / 2] : 0.5 * (v[m / 2 - 1] + v[m / 2]);
}

/* Resident set size now (bytes), from /proc/self/statm; -1 where there is none. */
static int64_t current_rss(void)
{
    FILE* f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = -1;
    if (!f) return -1;
    if (fscanf(f, "%lld %lld", &size, &resident) != 2) resident = -1;
    fclose(f);
    return resident < 0 ? -1 : resident * (int64_t)sysconf(_SC_PAGESIZE);
}

/* Linux >= 4.0: writing 5 to /proc/self/clear_refs resets the peak RSS (VmHWM, which getrusage's ru_maxrss
   reports) to the current RSS. Returns 1 when it worked. */
static int reset_peak_rss(void)
{
    FILE* f = fopen("/proc/self/clear_refs", "w");
    if (!f) return 0;
    const int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

static int64_t peak_rss(void)
{
    struct rusage u;
    if (getrusage(RUSAGE_SELF, &u) != 0) return -1;
    return (int64_t)u.ru_maxrss * 1024; /* kilobytes on Linux */
}

/* ---- one measurement ---------------------------------------------------------------------------------------- */

typedef struct measurement {
    int ok;
    char message[256];
    int reps;
    double cpu_median, cpu_min, wall_median; /* seconds per iteration */
    int64_t steps, f_evals, vjp_evals;
    int64_t peak_bytes_kept;
    int64_t rss_baseline, rss_peak; /* bytes; peak over the warm-up and timed iterations */
    int hwm_reset;
    double loss;
    double flops; /* GEMM flops of one iteration */
} measurement;

typedef struct config {
    const bench_case* c;
    const char* method;
    const char* kernel;
    int gradient; /* 1: store-all solve + adjoint; 0: forward only (trajectory none) */
    double t1;
    double min_time;
    int min_reps;
    const char* data_dir;
} config;

#define CHECK(call)                                                                                            \
    do {                                                                                                       \
        rwd_status st_ = (call);                                                                               \
        if (st_ != RWD_OK) {                                                                                   \
            const char* m_ = "";                                                                               \
            if (ctx) rwd_context_last_error(ctx, &m_);                                                         \
            else rwd_last_error(&m_);                                                                          \
            snprintf(m->message, sizeof m->message, "%.50s -> %d: %.180s", #call, (int)st_, m_);              \
            goto done;                                                                                         \
        }                                                                                                      \
    } while (0)

static int write_gradient_file(const config* cf, const case_data* d, double loss, const double* yT,
                               const double* dl_dp, const double* dl_dy0)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/rewind_%s_%s_%s.txt", cf->data_dir, cf->c->name, cf->method, cf->kernel);
    FILE* f = fopen(path, "w");
    if (!f) return -1;
    fprintf(f, "rewind-neural-result 1\ncase %s\nmethod %s\nkernel %s\nloss %.17g\n", cf->c->name, cf->method,
            cf->kernel, loss);
    write_array(f, "yT", yT, d->n);
    write_array(f, "dl_dp", dl_dp, d->np);
    write_array(f, "dl_dy0", dl_dy0, d->n);
    return fclose(f) == 0 ? 0 : -1;
}

static void measure(const config* cf, measurement* m)
{
    const bench_case* c = cf->c;
    memset(m, 0, sizeof *m);
    rwd_context* ctx = NULL;
    rwd_nn* nn = NULL;
    rwd_field* field = NULL;
    rwd_ts* ts = NULL;
    case_data d = {0};
    double *yT = NULL, *dl_dy = NULL, *dl_dy0 = NULL, *dl_dp = NULL;
    static double cpu[MAX_REPS], wall[MAX_REPS];
    int64_t sizes[LAYERS + 1];
    case_sizes(c, sizes);

    if (make_data(c, &d) != 0) {
        snprintf(m->message, sizeof m->message, "out of memory");
        goto done;
    }
    yT = malloc(sizeof(double) * (size_t)d.n);
    dl_dy = malloc(sizeof(double) * (size_t)d.n);
    dl_dy0 = malloc(sizeof(double) * (size_t)d.n);
    dl_dp = malloc(sizeof(double) * (size_t)d.np);
    if (!yT || !dl_dy || !dl_dy0 || !dl_dp) {
        snprintf(m->message, sizeof m->message, "out of memory");
        goto done;
    }
    CHECK(rwd_context_create(&ctx));
    CHECK(rwd_nn_create(ctx, LAYERS, sizes, activations, 0, &nn));
    CHECK(rwd_nn_set_gemm(nn, cf->kernel));
    /* The baseline: parameters, inputs and the network object, as on PyTorch's side; the network field's evaluator
       (every layer's activations for the batch, its buffers) and everything the solves allocate count as the
       iteration's. */
    m->rss_baseline = current_rss();
    m->hwm_reset = reset_peak_rss();
    CHECK(rwd_nn_field_create(nn, c->batch, &field));
    CHECK(rwd_ts_create(ctx, "rk", cf->method, &ts));
    CHECK(rwd_ts_set_step(ts, cf->t1 / (double)c->steps));
    CHECK(rwd_ts_set_trajectory(ts, cf->gradient ? "store-all" : "none", 0, 0, NULL, 0));

    const double t1 = cf->t1;
    double total = 0.0;
    int reps = -1; /* -1: the warm-up */
    while (reps < cf->min_reps || (total < cf->min_time && reps < MAX_REPS)) {
        const double w0 = now_s(), u0 = cpu_s();
        CHECK(rwd_ts_solve(ts, field, d.y0, d.n, d.p, d.np, 0.0, &t1, 1, yT));
        double loss = 0.0;
        for (int64_t i = 0; i < d.n; ++i) {
            const double r = yT[i] - d.target[i];
            loss += r * r;
            dl_dy[i] = 2.0 * r / (double)d.n;
        }
        loss /= (double)d.n;
        if (cf->gradient) CHECK(rwd_ts_adjoint_solve(ts, dl_dy, d.n, dl_dy0, d.n, dl_dp, d.np));
        const double du = cpu_s() - u0, dw = now_s() - w0;
        m->loss = loss;
        if (reps >= 0) {
            cpu[reps] = du;
            wall[reps] = dw;
            total += du;
        }
        ++reps;
    }
    m->rss_peak = peak_rss();
    m->reps = reps;
    {
        double sorted_min = cpu[0];
        for (int i = 1; i < reps; ++i) sorted_min = cpu[i] < sorted_min ? cpu[i] : sorted_min;
        m->cpu_min = sorted_min;
    }
    m->cpu_median = median_of(cpu, reps);
    m->wall_median = median_of(wall, reps);
    rwd_ts_stats st;
    CHECK(rwd_ts_get_stats(ts, &st));
    m->steps = st.steps;
    m->f_evals = st.f_evals;
    m->vjp_evals = st.vjp_evals;
    m->peak_bytes_kept = st.peak_bytes_kept;
    m->flops = forward_flops(c) * ((double)st.f_evals + 3.0 * (double)st.vjp_evals);
    if (st.steps != c->steps) {
        snprintf(m->message, sizeof m->message, "took %lld steps, not %lld", (long long)st.steps,
                 (long long)c->steps);
        goto done;
    }
    if (cf->gradient && cf->data_dir && write_gradient_file(cf, &d, m->loss, yT, dl_dp, dl_dy0) != 0) {
        snprintf(m->message, sizeof m->message, "cannot write the gradient file into %s", cf->data_dir);
        goto done;
    }
    m->ok = 1;
done:
    rwd_ts_destroy(ts);
    rwd_field_destroy(field);
    rwd_nn_destroy(nn);
    rwd_context_destroy(ctx);
    free(yT);
    free(dl_dy);
    free(dl_dy0);
    free(dl_dp);
    free_data(&d);
}

/* ---- the network alone, and plain dgemm on the same shapes -------------------------------------------------- */

#ifdef PEERS_HAVE_BLAS
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k, const double* alpha,
            const double* a, const int* lda, const double* b, const int* ldb, const double* beta, double* c,
            const int* ldc, size_t transa_length, size_t transb_length);

/* Row-major C (m x n, row stride n) = op(A) op(B): column-major BLAS computes C^T = op(B)^T op(A)^T. */
static void rm_gemm(int trans_a, int trans_b, int m, int n, int k, const double* a, int lda, const double* b, int ldb,
                    double beta, double* c)
{
    const double one = 1.0;
    const char ta = trans_a ? 'T' : 'N', tb = trans_b ? 'T' : 'N';
    dgemm_(&tb, &ta, &n, &m, &k, &one, b, &ldb, a, &lda, &beta, c, &n, 1, 1);
}
#endif

/* The file the process's dgemm_ comes from (librewind's "blas" kernel binds to the same one), e.g. to tell the
   reference BLAS from OpenBLAS. */
static const char* blas_library(void)
{
#ifdef PEERS_HAVE_BLAS
    static char path[1024];
    Dl_info info;
    if (dladdr((void*)dgemm_, &info) && info.dli_fname) {
        char* real = realpath(info.dli_fname, NULL);
        snprintf(path, sizeof path, "%s", real ? real : info.dli_fname);
        free(real);
        return path;
    }
    return "?";
#else
    return "not linked into the harness";
#endif
}

typedef struct kernel_rates {
    int ok;
    char message[256];
    double net_builtin, net_blas; /* GFLOP/s of rwd_nn_forward + rwd_nn_vjp on the batch (0: not run) */
    double dgemm_sequence;        /* GFLOP/s of plain dgemm over the GEMMs of one forward + one vjp */
    double dgemm_largest;         /* GFLOP/s of plain dgemm on the largest forward product alone */
    int64_t largest_m, largest_n, largest_k;
} kernel_rates;

/* Repeats fn until min_time of CPU time (at least 3 times, after one warm-up); median seconds per call. */
typedef int (*timed_fn)(void* arg);
static double time_median(timed_fn fn, void* arg, double min_time)
{
    static double cpu[MAX_REPS];
    if (fn(arg) != 0) return -1.0;
    double total = 0.0;
    int reps = 0;
    while ((reps < 3 || total < min_time) && reps < MAX_REPS) {
        const double u0 = cpu_s();
        if (fn(arg) != 0) return -1.0;
        cpu[reps] = cpu_s() - u0;
        total += cpu[reps++];
    }
    return median_of(cpu, reps);
}

typedef struct net_call {
    rwd_nn* nn;
    const bench_case* c;
    const case_data* d;
    double *y, *w, *w_dx, *w_dp;
    double* a[LAYERS + 1]; /* activations per layer (a[0] = input), dgemm reference */
    double *dz, *dx;
    int64_t sizes[LAYERS + 1];
} net_call;

static int call_network(void* arg)
{
    net_call* q = (net_call*)arg;
    if (rwd_nn_forward(q->nn, 0.0, q->d->y0, q->c->batch, q->d->p, q->d->np, q->y) != RWD_OK) return -1;
    if (rwd_nn_vjp(q->nn, 0.0, q->d->y0, q->c->batch, q->d->p, q->d->np, q->w, q->w_dx, q->w_dp) != RWD_OK) return -1;
    return 0;
}

#ifdef PEERS_HAVE_BLAS
/* The GEMMs of one forward pass and one vjp, as librewind issues them, with plain dgemm: per layer the forward
   product Z = A W^T twice (forward, and again inside the vjp), then dW = dz^T A and dA = dz W. */
static int call_dgemm_sequence(void* arg)
{
    net_call* q = (net_call*)arg;
    const int b = (int)q->c->batch;
    for (int pass = 0; pass < 2; ++pass) {
        int64_t offset = 0;
        for (int k = 0; k < LAYERS; ++k) {
            const int in = (int)q->sizes[k], out = (int)q->sizes[k + 1];
            rm_gemm(0, 1, b, out, in, q->a[k], in, q->d->p + offset, in, 0.0, q->a[k + 1]);
            offset += (int64_t)in * out + out;
        }
    }
    int64_t offset = q->d->np;
    for (int k = LAYERS - 1; k >= 0; --k) {
        const int in = (int)q->sizes[k], out = (int)q->sizes[k + 1];
        offset -= (int64_t)in * out + out;
        rm_gemm(1, 0, out, in, b, q->dz, out, q->a[k], in, 0.0, q->w_dp);
        rm_gemm(0, 0, b, in, out, q->dz, out, q->d->p + offset, in, 0.0, q->dx);
    }
    return 0;
}

static int call_dgemm_largest(void* arg)
{
    net_call* q = (net_call*)arg;
    const int b = (int)q->c->batch, h = (int)q->sizes[1];
    rm_gemm(0, 1, b, h, h, q->a[1], h, q->d->p + 3 * h, h, 0.0, q->a[2]);
    return 0;
}
#endif

static void measure_kernels(const bench_case* c, double min_time, int have_blas, kernel_rates* r)
{
    memset(r, 0, sizeof *r);
    case_data d = {0};
    net_call q;
    memset(&q, 0, sizeof q);
    rwd_context* ctx = NULL;
    case_sizes(c, q.sizes);
    const int64_t b = c->batch, h = c->hidden;
    if (make_data(c, &d) != 0) goto oom;
    q.c = c;
    q.d = &d;
    q.y = calloc((size_t)(b * 2), sizeof(double));
    q.w = calloc((size_t)(b * 2), sizeof(double));
    q.w_dx = calloc((size_t)(b * 2), sizeof(double));
    q.w_dp = calloc((size_t)d.np, sizeof(double));
    for (int k = 0; k <= LAYERS; ++k) q.a[k] = calloc((size_t)(b * h), sizeof(double));
    q.dz = calloc((size_t)(b * h), sizeof(double));
    q.dx = calloc((size_t)(b * h), sizeof(double));
    if (!q.y || !q.w || !q.w_dx || !q.w_dp || !q.a[LAYERS] || !q.dz || !q.dx) goto oom;
    memcpy(q.a[0], d.y0, sizeof(double) * (size_t)(b * 2));
    for (int64_t i = 0; i < b * 2; ++i) q.w[i] = d.target[i];
    for (int64_t i = 0; i < b * h; ++i) {
        q.dz[i] = 1e-3 * (double)(i % 97);
        q.a[1][i] = 1e-3 * (double)(i % 89);
    }
    const double flops = 4.0 * forward_flops(c);
    if (rwd_context_create(&ctx) != RWD_OK || rwd_nn_create(ctx, LAYERS, q.sizes, activations, 0, &q.nn) != RWD_OK) {
        snprintf(r->message, sizeof r->message, "cannot create the network");
        goto done;
    }
    const char* kernels[2] = {"builtin", "blas"};
    for (int i = 0; i < 2; ++i) {
        if (i == 1 && !have_blas) continue;
        if (rwd_nn_set_gemm(q.nn, kernels[i]) != RWD_OK) continue;
        const double t = time_median(call_network, &q, min_time);
        if (t > 0.0) *(i == 0 ? &r->net_builtin : &r->net_blas) = 1e-9 * flops / t;
    }
#ifdef PEERS_HAVE_BLAS
    {
        const double t = time_median(call_dgemm_sequence, &q, min_time);
        if (t > 0.0) r->dgemm_sequence = 1e-9 * flops / t;
        const double tl = time_median(call_dgemm_largest, &q, min_time);
        if (tl > 0.0) r->dgemm_largest = 1e-9 * 2.0 * (double)b * (double)h * (double)h / tl;
        r->largest_m = b;
        r->largest_n = h;
        r->largest_k = h;
    }
#endif
    r->ok = 1;
    goto done;
oom:
    snprintf(r->message, sizeof r->message, "out of memory");
done:
    rwd_nn_destroy(q.nn);
    rwd_context_destroy(ctx);
    free(q.y);
    free(q.w);
    free(q.w_dx);
    free(q.w_dp);
    for (int k = 0; k <= LAYERS; ++k) free(q.a[k]);
    free(q.dz);
    free(q.dx);
    free_data(&d);
}

/* ---- children ----------------------------------------------------------------------------------------------- */

typedef void (*child_fn)(const void* arg, void* result);

/* Runs fn(arg, result) in a fork()ed child (result_size bytes come back through a pipe). Returns 0 when the child
   delivered its result. */
static int in_child(int use_fork, child_fn fn, const void* arg, void* result, size_t result_size, char* why,
                    size_t why_size)
{
    if (!use_fork) {
        fn(arg, result);
        return 0;
    }
    int fd[2];
    if (pipe(fd) != 0) {
        snprintf(why, why_size, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    const pid_t pid = fork();
    if (pid < 0) {
        snprintf(why, why_size, "fork: %s", strerror(errno));
        close(fd[0]);
        close(fd[1]);
        return -1;
    }
    if (pid == 0) {
        close(fd[0]);
        fn(arg, result);
        const char* at = (const char*)result;
        size_t left = result_size;
        while (left > 0) {
            const ssize_t wrote = write(fd[1], at, left);
            if (wrote <= 0) _exit(2);
            at += wrote;
            left -= (size_t)wrote;
        }
        _exit(0);
    }
    close(fd[1]);
    char* at = (char*)result;
    size_t got = 0;
    while (got < result_size) {
        const ssize_t n = read(fd[0], at + got, result_size - got);
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != result_size) {
        if (WIFSIGNALED(status)) snprintf(why, why_size, "the child died of signal %d", WTERMSIG(status));
        else snprintf(why, why_size, "the child exited with %d before reporting", WEXITSTATUS(status));
        return -1;
    }
    return 0;
}

static void measure_child(const void* arg, void* result) { measure((const config*)arg, (measurement*)result); }

typedef struct kernels_arg {
    const bench_case* c;
    double min_time;
    int have_blas;
} kernels_arg;

static void kernels_child(const void* arg, void* result)
{
    const kernels_arg* a = (const kernels_arg*)arg;
    measure_kernels(a->c, a->min_time, a->have_blas, (kernel_rates*)result);
}

/* ---- main --------------------------------------------------------------------------------------------------- */

static int split_list(char* s, const char** out, int max)
{
    int count = 0;
    for (char* tok = strtok(s, ","); tok && count < max; tok = strtok(NULL, ",")) out[count++] = tok;
    return count;
}

static int librewind_has_blas(void)
{
    rwd_context* ctx = NULL;
    rwd_nn* nn = NULL;
    const int64_t sizes[2] = {1, 1};
    const char* act[1] = {"identity"};
    int ok = 0;
    if (rwd_context_create(&ctx) == RWD_OK && rwd_nn_create(ctx, 1, sizes, act, 0, &nn) == RWD_OK)
        ok = rwd_nn_set_gemm(nn, "blas") == RWD_OK;
    rwd_nn_destroy(nn);
    rwd_context_destroy(ctx);
    return ok;
}

static double mib(int64_t bytes) { return (double)bytes / (1024.0 * 1024.0); }

int main(int argc, char** argv)
{
    const char* case_names[MAX_LIST] = {"small", "large"};
    int ncases = 2;
    const char* methods[MAX_LIST] = {"rk4", "dopri5"};
    int nmethods = 2;
    const char* kernels[MAX_LIST] = {"builtin", "blas"};
    int nkernels = 2;
    int64_t steps = 50, large_steps = 10;
    double t1 = 1.0, min_time = 1.0;
    int min_reps = 3, use_fork = 1;
    char default_dir[512];
    const char* tmp = getenv("TMPDIR");
    snprintf(default_dir, sizeof default_dir, "%s/peers-neural", tmp && *tmp ? tmp : "/tmp");
    const char* data_dir = default_dir;
    const char* csv_path = NULL;

    for (int i = 1; i < argc; ++i) {
        const char* a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-fork")) {
            use_fork = 0;
            continue;
        }
        if (!v) {
            fprintf(stderr, "unknown option or missing value: %s (see the top of neural_gradient.c)\n", a);
            return 2;
        }
        ++i;
        if (!strcmp(a, "--cases")) ncases = split_list(argv[i], case_names, MAX_LIST);
        else if (!strcmp(a, "--methods")) nmethods = split_list(argv[i], methods, MAX_LIST);
        else if (!strcmp(a, "--kernels")) nkernels = split_list(argv[i], kernels, MAX_LIST);
        else if (!strcmp(a, "--steps")) steps = atoll(v);
        else if (!strcmp(a, "--large-steps")) large_steps = atoll(v);
        else if (!strcmp(a, "--t1")) t1 = atof(v);
        else if (!strcmp(a, "--min-time")) min_time = atof(v);
        else if (!strcmp(a, "--min-reps")) min_reps = atoi(v);
        else if (!strcmp(a, "--data-dir")) data_dir = v;
        else if (!strcmp(a, "--csv")) csv_path = v;
        else {
            fprintf(stderr, "unknown option: %s (see the top of neural_gradient.c)\n", a);
            return 2;
        }
    }
    if (steps < 1 || large_steps < 1 || !(t1 > 0.0) || min_reps < 1 || min_reps > MAX_REPS) {
        fprintf(stderr, "bad --steps, --large-steps, --t1 or --min-reps\n");
        return 2;
    }

    bench_case all_cases[2] = {{"small", 256, 64, steps}, {"large", 4096, 256, large_steps}};
    const bench_case* cases[MAX_LIST];
    for (int i = 0; i < ncases; ++i) {
        cases[i] = NULL;
        for (int j = 0; j < 2; ++j)
            if (!strcmp(case_names[i], all_cases[j].name)) cases[i] = &all_cases[j];
        if (!cases[i]) {
            fprintf(stderr, "unknown case %s (small, large)\n", case_names[i]);
            return 2;
        }
    }
    for (int i = 0; i < nmethods; ++i)
        if (strcmp(methods[i], "rk4") && strcmp(methods[i], "dopri5")) {
            fprintf(stderr, "unknown method %s (rk4, dopri5)\n", methods[i]);
            return 2;
        }
    const int have_blas = librewind_has_blas();
    {
        int kept = 0;
        for (int i = 0; i < nkernels; ++i) {
            if (strcmp(kernels[i], "builtin") && strcmp(kernels[i], "blas")) {
                fprintf(stderr, "unknown kernel %s (builtin, blas)\n", kernels[i]);
                return 2;
            }
            if (!strcmp(kernels[i], "blas") && !have_blas) {
                printf("# librewind was built without BLAS: the \"blas\" kernel is left out\n");
                continue;
            }
            kernels[kept++] = kernels[i];
        }
        nkernels = kept;
    }

    if (mkdir(data_dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot create %s: %s\n", data_dir, strerror(errno));
        return 1;
    }
    char csv_default[1024];
    snprintf(csv_default, sizeof csv_default, "%s/rewind.csv", data_dir);
    if (!csv_path) csv_path = csv_default;
    FILE* csv = fopen(csv_path, "w");
    if (!csv) {
        fprintf(stderr, "cannot write %s: %s\n", csv_path, strerror(errno));
        return 1;
    }
    fprintf(csv, "side,case,batch,hidden,method,steps,kernel,mode,ok,reps,cpu_median_s,cpu_min_s,wall_median_s,"
                 "f_evals,vjp_evals,flops,gflops,bytes_kept,rss_baseline_bytes,rss_peak_delta_bytes,hwm_reset,loss\n");

    printf("# librewind neural ODE benchmark: 2-H-H-2 tanh network field, fixed steps over [0, %g], MSE loss;\n"
           "# time = median process-CPU time per iteration (gradient: store-all solve + adjoint; forward: trajectory\n"
           "# none), memory: bytes kept by the trajectory, and peak RSS of a process running that configuration alone\n"
           "# minus its RSS before the first iteration (network, parameters and inputs already there).\n"
           "# librewind built with BLAS: %s; dgemm from %s\n",
           t1, have_blas ? "yes" : "no", blas_library());
    int failures = 0;
    for (int ci = 0; ci < ncases; ++ci) {
        const bench_case* c = cases[ci];
        case_data d = {0};
        if (make_data(c, &d) != 0 || write_case_file(data_dir, c, t1, &d) != 0) {
            fprintf(stderr, "cannot write the data of case %s into %s\n", c->name, data_dir);
            return 1;
        }
        printf("\n## %s: batch %lld, 2-%lld-%lld-2, %lld parameters, %lld steps, %.3g MFLOP per network evaluation\n",
               c->name, (long long)c->batch, (long long)c->hidden, (long long)c->hidden, (long long)d.np,
               (long long)c->steps, 1e-6 * forward_flops(c));
        free_data(&d);
        printf("%-7s %-8s %-8s %10s %10s %9s %7s %7s %8s %8s %10s %10s %8s %s\n", "method", "kernel", "mode",
               "ms/iter", "wall ms", "grad/fwd", "f", "vjp", "GFLOP/s", "kept MiB", "RSS+ MiB", "loss", "reps", "");
        for (int mi = 0; mi < nmethods; ++mi) {
            for (int ki = 0; ki < nkernels; ++ki) {
                measurement res[2];
                for (int mode = 1; mode >= 0; --mode) {
                    config cf = {c, methods[mi], kernels[ki], mode, t1, min_time, min_reps, data_dir};
                    measurement* m = &res[mode];
                    char why[256] = "";
                    if (in_child(use_fork, measure_child, &cf, m, sizeof *m, why, sizeof why) != 0) {
                        memset(m, 0, sizeof *m);
                        snprintf(m->message, sizeof m->message, "%s", why);
                    }
                    const char* mode_name = mode ? "gradient" : "forward";
                    if (!m->ok) {
                        ++failures;
                        printf("%-7s %-8s %-8s FAILED: %s\n", methods[mi], kernels[ki], mode_name, m->message);
                    } else {
                        char ratio[32] = "";
                        if (mode == 0 && res[1].ok)
                            snprintf(ratio, sizeof ratio, "%.2f", res[1].cpu_median / m->cpu_median);
                        printf("%-7s %-8s %-8s %10.2f %10.2f %9s %7lld %7lld %8.2f %8.2f %10.2f %10.6g %8d %s\n",
                               methods[mi], kernels[ki], mode_name, 1e3 * m->cpu_median, 1e3 * m->wall_median, ratio,
                               (long long)m->f_evals, (long long)m->vjp_evals, 1e-9 * m->flops / m->cpu_median,
                               mib(m->peak_bytes_kept), mib(m->rss_peak - m->rss_baseline), m->loss, m->reps,
                               m->hwm_reset ? "" : "(peak RSS not reset: includes setup)");
                    }
                    fprintf(csv, "rewind,%s,%lld,%lld,%s,%lld,%s,%s,%d,%d,%.9g,%.9g,%.9g,%lld,%lld,%.9g,%.6g,%lld,%lld,"
                                 "%lld,%d,%.17g\n",
                            c->name, (long long)c->batch, (long long)c->hidden, methods[mi], (long long)c->steps,
                            kernels[ki], mode_name, m->ok, m->reps, m->cpu_median, m->cpu_min, m->wall_median,
                            (long long)m->f_evals, (long long)m->vjp_evals, m->flops,
                            m->ok ? 1e-9 * m->flops / m->cpu_median : 0.0, (long long)m->peak_bytes_kept,
                            (long long)m->rss_baseline, (long long)(m->rss_peak - m->rss_baseline), m->hwm_reset,
                            m->loss);
                    fflush(csv);
                    fflush(stdout);
                }
            }
        }
        kernel_rates kr;
        kernels_arg ka = {c, min_time, have_blas};
        char why[256] = "";
        if (in_child(use_fork, kernels_child, &ka, &kr, sizeof kr, why, sizeof why) != 0 || !kr.ok) {
            printf("network alone / dgemm: FAILED: %s\n", kr.ok ? why : kr.message);
            ++failures;
        } else {
            printf("network alone (rwd_nn_forward + rwd_nn_vjp, no solver): builtin %.2f GFLOP/s", kr.net_builtin);
            if (kr.net_blas > 0.0) printf(", blas %.2f GFLOP/s", kr.net_blas);
            printf("\n");
            if (kr.dgemm_sequence > 0.0)
                printf("plain BLAS dgemm, the same GEMM shapes as one forward + one vjp: %.2f GFLOP/s; "
                       "the largest product alone (%lld x %lld x %lld): %.2f GFLOP/s\n",
                       kr.dgemm_sequence, (long long)kr.largest_m, (long long)kr.largest_n, (long long)kr.largest_k,
                       kr.dgemm_largest);
            else
                printf("plain BLAS dgemm: not measured (the harness was built without BLAS)\n");
            const char* rows[4] = {"net_builtin", "net_blas", "dgemm_sequence", "dgemm_largest"};
            const double vals[4] = {kr.net_builtin, kr.net_blas, kr.dgemm_sequence, kr.dgemm_largest};
            for (int i = 0; i < 4; ++i)
                if (vals[i] > 0.0)
                    fprintf(csv, "kernel,%s,%lld,%lld,,,%s,rate,1,,,,,,,,%.6g,,,,,\n", c->name, (long long)c->batch,
                            (long long)c->hidden, rows[i], vals[i]);
        }
        fflush(csv);
    }
    fclose(csv);
    printf("\n# rows: %s; model/inputs and librewind's gradients for neural_gradient_torch.py: %s\n", csv_path,
           data_dir);
    return failures ? 1 : 0;
}
