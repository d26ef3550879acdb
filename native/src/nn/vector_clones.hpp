// REWIND_VECTOR_CLONES compiles a loop-heavy function twice on x86-64 Linux, for the SSE2 baseline and for AVX2,
// and the loader picks one per process by the CPU. Only the vector width differs: every entry is computed by the
// same operations in the same order (no FMA: -ffp-contract=off), so both give the same bits. GCC only: Clang does
// not clone function templates yet, and builds the baseline alone.
#pragma once

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define REWIND_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define REWIND_VECTOR_CLONES
#endif
