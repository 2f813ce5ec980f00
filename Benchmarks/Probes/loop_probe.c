// The GEMM loops 1 and 2 around a 16 x 6 AVX2 micro-kernel, in C with
// intrinsics and no packing: how fast the SIMD8 kernel's loop structure can
// run on this machine when nothing else is in the way (Docs/Performance.md,
// "Where the SIMD8 kernel's last 10% goes"). Not part of the package.
//
//   clang -O2 -march=native Benchmarks/Probes/loop_probe.c -o /tmp/loop_probe
//   /tmp/loop_probe 96 96       # n m: packed B block of n columns, C of m x n
//   /tmp/loop_probe 1020 1024
//
// A is one packed 96 x 512 block (MC x KC, in L2), B a packed 512 x n block
// whose 6-column micro-panels loop 2 walks, C is updated C += A*B per tile.
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { KC = 512, MC = 96, MR = 16, NR = 6 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#define STEP(j) \
    bb = _mm256_broadcast_ss(b + j); \
    c0##j = _mm256_fmadd_ps(a0, bb, c0##j); \
    c1##j = _mm256_fmadd_ps(a1, bb, c1##j);
#define UPDATE(j) \
    _mm256_storeu_ps(c + j * ldc, _mm256_add_ps(c0##j, _mm256_loadu_ps(c + j * ldc))); \
    _mm256_storeu_ps(c + j * ldc + 8, _mm256_add_ps(c1##j, _mm256_loadu_ps(c + j * ldc + 8)));

__attribute__((noinline)) static void kernel(int k, const float *a, const float *b, float *c, int ldc) {
    __m256 c00 = _mm256_setzero_ps(), c10 = c00, c01 = c00, c11 = c00, c02 = c00, c12 = c00;
    __m256 c03 = c00, c13 = c00, c04 = c00, c14 = c00, c05 = c00, c15 = c00;
    for (int p = 0; p < k; p++) {
        __m256 a0 = _mm256_load_ps(a), a1 = _mm256_load_ps(a + 8), bb;
        STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5)
        a += MR;
        b += NR;
    }
    UPDATE(0) UPDATE(1) UPDATE(2) UPDATE(3) UPDATE(4) UPDATE(5)
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: loop_probe n m\n"); return 2; }
    int n = atoi(argv[1]) / NR * NR, m = atoi(argv[2]) / MC * MC;
    float *a = aligned_alloc(64, (size_t)MC * KC * 4);
    float *b = aligned_alloc(64, (size_t)n * KC * 4);
    float *c = aligned_alloc(64, (size_t)m * n * 4);
    for (size_t i = 0; i < (size_t)MC * KC; i++) a[i] = 1e-3f * (i % 7);
    for (size_t i = 0; i < (size_t)n * KC; i++) b[i] = 1e-3f * (i % 5);
    for (size_t i = 0; i < (size_t)m * n; i++) c[i] = 0;
    double best = 0;
    for (int sample = 0; sample < 5; sample++) {
        double start = now(), flops = 0;
        for (int ic = 0; ic < m; ic += MC)              // loop 3 (the same packed A block each time)
            for (int jr = 0; jr < n; jr += NR)          // loop 2: B micro-panels
                for (int ir = 0; ir < MC; ir += MR) {   // loop 1: A micro-panels
                    kernel(KC, a + ir * KC, b + (size_t)jr * KC, c + ic + ir + (size_t)jr * m, m);
                    flops += 2.0 * MR * NR * KC;
                }
        double gflops = flops / (now() - start) * 1e-9;
        if (gflops > best) best = gflops;
    }
    printf("n = %d, m = %d: %.1f GFLOP/s (c[5] = %g)\n", n, m, best, c[5]);
    return 0;
}
