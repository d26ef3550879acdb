/* solver_rewind_missing.c — stand-ins when the harness is built without librewind (CVODE side only). */
#include <stdio.h>

#include "solvers.h"

static int missing(void)
{
    fprintf(stderr, "built without librewind: configure with -DRewind_DIR=<librewind build dir>\n");
    return -1;
}

int peer_rewind_forward(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                        double rtol, double atol)
{
    (void)out; (void)pb; (void)type; (void)method; (void)rtol; (void)atol;
    return missing();
}

int peer_rewind_adjoint(peer_solver* out, const peer_problem* pb, const char* type, const char* method,
                        double rtol, double atol, const double* w)
{
    (void)out; (void)pb; (void)type; (void)method; (void)rtol; (void)atol; (void)w;
    return missing();
}

double peer_rewind_dot_test(const peer_problem* pb, const char* type, const char* method, double rtol, double atol,
                            const double* w, double* lhs, double* rhs, double* worst, int* worst_index, char* message)
{
    (void)pb; (void)type; (void)method; (void)rtol; (void)atol; (void)w; (void)lhs; (void)rhs; (void)worst;
    (void)worst_index;
    snprintf(message, 256, "built without librewind");
    return -1.0;
}

int peer_rewind_probe(char* message)
{
    snprintf(message, 256, "built without librewind (configure with -DRewind_DIR=<librewind build dir>)");
    return -1;
}
