/* peak_sse.c — this machine's single-core 128-bit SIMD peak (GFLOP/s, float32).
 *
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L bench/peak/peak_sse.c -o peak_sse            (SSE mul + add)
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -mfma -DPEAK_FMA bench/peak/peak_sse.c -o peak_fma  (128-bit FMA)
 *
 * Mode "muladd" (the reference peak, the same instruction mix wasm SIMD has: f32x4.mul and
 * f32x4.add, no FMA): 6 independent multiply chains (_mm_mul_ps) and 6 independent add
 * chains, enough to cover latency 3 on two pipes each, and with the 2 constants 14 registers
 * (no spills); 4 flops per instruction.
 * Mode "fma" (only with -mfma): 10 independent _mm_fmadd_ps chains, 8 flops per instruction.
 * Prints {"kind":..., "gflops": best of 7 trials, "trials": [...]} on one line.
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static volatile float sink;

/* returns flops done */
static double kernel(long iters, float seed) {
#ifndef PEAK_FMA
    __m128 m[6], a[6];
    for (int k = 0; k < 6; k++) { m[k] = _mm_set1_ps(seed + (float)k); a[k] = _mm_set1_ps(seed - (float)k); }
    const __m128 up = _mm_set1_ps(1.0000001f), eps = _mm_set1_ps(1e-7f);
    for (long i = 0; i < iters; i++) {
        /* two rounds per iteration; 2·iters·1e-7 stays small, so the values stay bounded */
        m[0] = _mm_mul_ps(m[0], up); m[1] = _mm_mul_ps(m[1], up); m[2] = _mm_mul_ps(m[2], up);
        m[3] = _mm_mul_ps(m[3], up); m[4] = _mm_mul_ps(m[4], up); m[5] = _mm_mul_ps(m[5], up);
        a[0] = _mm_add_ps(a[0], eps); a[1] = _mm_add_ps(a[1], eps); a[2] = _mm_add_ps(a[2], eps);
        a[3] = _mm_add_ps(a[3], eps); a[4] = _mm_add_ps(a[4], eps); a[5] = _mm_add_ps(a[5], eps);
        m[0] = _mm_mul_ps(m[0], up); m[1] = _mm_mul_ps(m[1], up); m[2] = _mm_mul_ps(m[2], up);
        m[3] = _mm_mul_ps(m[3], up); m[4] = _mm_mul_ps(m[4], up); m[5] = _mm_mul_ps(m[5], up);
        a[0] = _mm_add_ps(a[0], eps); a[1] = _mm_add_ps(a[1], eps); a[2] = _mm_add_ps(a[2], eps);
        a[3] = _mm_add_ps(a[3], eps); a[4] = _mm_add_ps(a[4], eps); a[5] = _mm_add_ps(a[5], eps);
    }
    __m128 s = _mm_add_ps(m[0], a[0]);
    for (int k = 1; k < 6; k++) s = _mm_add_ps(s, _mm_add_ps(m[k], a[k]));
    sink = _mm_cvtss_f32(s);
    return (double)iters * 24.0 * 4.0; /* 24 instructions × 4 lanes × 1 flop */
#else
    __m128 c[10];
    for (int k = 0; k < 10; k++) c[k] = _mm_set1_ps(seed + (float)k);
    const __m128 a = _mm_set1_ps(0.9999999f), b = _mm_set1_ps(1e-7f);
    for (long i = 0; i < iters; i++) {
        c[0] = _mm_fmadd_ps(c[0], a, b); c[1] = _mm_fmadd_ps(c[1], a, b); c[2] = _mm_fmadd_ps(c[2], a, b);
        c[3] = _mm_fmadd_ps(c[3], a, b); c[4] = _mm_fmadd_ps(c[4], a, b); c[5] = _mm_fmadd_ps(c[5], a, b);
        c[6] = _mm_fmadd_ps(c[6], a, b); c[7] = _mm_fmadd_ps(c[7], a, b); c[8] = _mm_fmadd_ps(c[8], a, b);
        c[9] = _mm_fmadd_ps(c[9], a, b);
    }
    __m128 s = c[0];
    for (int k = 1; k < 10; k++) s = _mm_add_ps(s, c[k]);
    sink = _mm_cvtss_f32(s);
    return (double)iters * 10.0 * 8.0; /* 10 FMAs × 4 lanes × 2 flops */
#endif
}

int main(int argc, char **argv) {
    long iters = argc > 1 ? atol(argv[1]) : 20000000L;
    kernel(iters / 10, 1.0f); /* warm up (clock ramps up) */
    double best = 0, trials[7];
    for (int t = 0; t < 7; t++) {
        double t0 = now_s();
        double flops = kernel(iters, 1.0f + (float)t);
        double dt = now_s() - t0;
        trials[t] = flops / dt / 1e9;
        if (trials[t] > best) best = trials[t];
    }
#ifndef PEAK_FMA
    printf("{\"kind\":\"sse-muladd\",\"what\":\"6 _mm_mul_ps + 6 _mm_add_ps independent chains (128-bit, no FMA)\",");
#else
    printf("{\"kind\":\"sse-fma\",\"what\":\"10 independent _mm_fmadd_ps chains (128-bit FMA3)\",");
#endif
    printf("\"gflops\":%.3f,\"trials\":[", best);
    for (int t = 0; t < 7; t++) printf("%s%.3f", t ? "," : "", trials[t]);
    printf("]}\n");
    return 0;
}
