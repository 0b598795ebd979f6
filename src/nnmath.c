/*
 * nnmath.c — the C core of the nnmath lesson.  See nnmath.h for the API.
 *
 * Layout of this file (in the spirit of llm.c's train_gpt2.c):
 *   1. small helpers: error messages, a 32-bit random generator
 *   2. the kernels: <op>_forward / <op>_backward, outputs first, shapes in
 *      comments as (B,IN) etc.  B = samples in the chunk (<= NN_CHUNK).
 *   3. data: CSV parser, split, limit
 *   4. the network: create, init, train, evaluate, trace
 *
 * Numbers are float32 everywhere (like PyTorch).  The matrix kernels use
 * 4-float vectors (see "four-lane vectors" below) in a fixed order of
 * additions, so every build — native, wasm SIMD, wasm scalar, with or
 * without a vectorising compiler — computes the same bits; no -ffast-math.
 *
 * Conventions worth knowing (the header has the API):
 *  - A step's gradient is the mean over its batch: the output δ of each
 *    sample is scaled by 1/n before the backward pass and the chunks'
 *    contributions are summed into nn_grads.  With weight decay λ, nn_grads
 *    also holds the λ·W term (it is the gradient the optimiser used); the
 *    trace gradients (one sample) never include it.
 *  - Optimisers as torch.optim: SGD p −= lr·g; momentum v = μ·v + g,
 *    p −= lr·v; Adam with β1 = config.momentum (as the header says; 0.9 by
 *    default), β2 = 0.999, ε = 1e-8 and bias correction (the corrections
 *    computed in double).
 *  - Divergence: if the batch cost, a gradient or an updated parameter is
 *    not finite, the parameters of before the step are kept or restored
 *    (every optimiser copies the parameters to a backup as, or before, it
 *    updates them), the gradients and optimiser
 *    state are zeroed and the step does not count (the same batch comes next).
 */
#include "nnmath.h"
#include "nn_format.h"

/* a·b + c is two roundings everywhere (no fused multiply-add), so that every
 * build adds up the same numbers.  (GCC does not contract in ISO C mode.) */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(nn_config) == 64, "nn_config must be 64 bytes");
_Static_assert(offsetof(nn_config, sizes) == 4, "nn_config layout");
_Static_assert(offsetof(nn_config, hidden_act) == 28, "nn_config layout");
_Static_assert(offsetof(nn_config, output_act) == 32, "nn_config layout");
_Static_assert(offsetof(nn_config, cost) == 36, "nn_config layout");
_Static_assert(offsetof(nn_config, optimizer) == 40, "nn_config layout");
_Static_assert(offsetof(nn_config, lr) == 44, "nn_config layout");
_Static_assert(offsetof(nn_config, momentum) == 48, "nn_config layout");
_Static_assert(offsetof(nn_config, weight_decay) == 52, "nn_config layout");
_Static_assert(offsetof(nn_config, batch_size) == 56, "nn_config layout");
_Static_assert(offsetof(nn_config, seed) == 60, "nn_config layout");
_Static_assert(sizeof(nn_error) == 256, "nn_error must be 256 bytes");
_Static_assert(offsetof(nn_error, message) == 4, "nn_error layout");

#define NN_MAX_BATCH 100000
#define NN_MAX_LR 100.0f
#define NN_MAX_DECAY 1.0f
#define ADAM_BETA2 0.999f
#define ADAM_EPS 1e-8f

/* ========================================================================
 * 1. helpers
 * ======================================================================== */

#if defined(__GNUC__) || defined(__clang__)
#define NN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NN_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define NN_PRINTF(a, b)
#define NN_ALWAYS_INLINE inline
#endif

/* ---- messages ----------------------------------------------------------
 * A formatter of its own for the messages: %d, %s, %zu and %%, nothing else
 * (numbers with a fraction go through fmt_num below).  The printf family
 * brought some 8 KB of libc, floating-point formatting included, into each
 * WebAssembly core.  Output is cut to fit and always ends with '\0'. */
typedef struct { char *p, *end; } nn_sink; /* end: the place of the final '\0' */

static void sink_char(nn_sink *o, char c) {
    if (o->p < o->end) *o->p++ = c;
}
static void sink_str(nn_sink *o, const char *s) {
    while (*s) sink_char(o, *s++);
}
static void sink_uint(nn_sink *o, unsigned long long u) {
    char d[24];
    int n = 0;
    do { d[n++] = (char)('0' + u % 10u); u /= 10u; } while (u);
    while (n) sink_char(o, d[--n]);
}
static void sink_int(nn_sink *o, long long v) {
    if (v < 0) sink_char(o, '-');
    sink_uint(o, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v);
}

int nn__vformat(char *buf, size_t cap, const char *fmt, va_list ap) {
    if (!buf || cap == 0) return NN_EINVAL;
    nn_sink o = {buf, buf + cap - 1};
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') { sink_char(&o, *f); continue; }
        f++;
        if (*f == 'd') {
            sink_int(&o, va_arg(ap, int));
        } else if (*f == 's') {
            const char *v = va_arg(ap, const char *);
            sink_str(&o, v ? v : "(null)");
        } else if (f[0] == 'z' && f[1] == 'u') {
            f++;
            sink_uint(&o, (unsigned long long)va_arg(ap, size_t));
        } else if (*f == '%') {
            sink_char(&o, '%');
        } else { /* not supported (a mistake in this file): shown, never guessed */
            sink_str(&o, "%?");
            if (!*f) break;
        }
    }
    *o.p = '\0';
    return NN_OK;
}

static int verr(nn_error *e, int code, const char *fmt, va_list ap) {
    if (e) {
        e->code = code;
        if (fmt) nn__vformat(e->message, sizeof e->message, fmt, ap);
        else e->message[0] = '\0';
    }
    return code;
}

NN_PRINTF(3, 4)
static int set_err(nn_error *e, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    verr(e, code, fmt, ap);
    va_end(ap);
    return code;
}

static int set_ok(nn_error *e) {
    if (e) {
        e->code = NN_OK;
        e->message[0] = '\0';
    }
    return NN_OK;
}

/* 10^k, k = 0..22, exactly (every one is a double). */
static double pow10_exact(int k) {
    double p = 1.0;
    while (k-- > 0) p *= 10.0;
    return p;
}

/* v · 10^-k, exactly rounded while 10^|k| is exact (|k| <= 22), else in
 * steps (off by an ulp or two: a tie at the 6th digit may then round the
 * other way than printf would). */
static double scale10(double v, int k) {
    while (k > 22) { v /= 1e22; k -= 22; }
    while (k < -22) { v *= 1e22; k += 22; }
    return k >= 0 ? v / pow10_exact(k) : v * pow10_exact(-k);
}

/* printf's "%g" of a finite v: 6 significant digits, ties to even, without
 * trailing zeros; "1e-05" style below 1e-4 and from 1e6 on. */
static void fmt_g(char out[32], double v) {
    nn_sink o = {out, out + 31};
    if (signbit(v)) { sink_char(&o, '-'); v = -v; }
    if (v == 0.0) {
        sink_char(&o, '0');
        *o.p = '\0';
        return;
    }
    /* x, the decimal exponent of v rounded to 6 digits (10^x <= it < 10^(x+1)):
     * first from the binary exponent (log10 2 = 0.30103; libm's log10 would
     * add a kilobyte to the wasm), then set right by the digits themselves */
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    const int e2 = (int)((u >> 52) & 0x7ff) - 1023;
    int x = e2 >= 0 ? e2 * 30103 / 100000 : -((-e2 * 30103 + 99999) / 100000);
    double r = 0.0;
    for (int tries = 0; tries < 40; tries++) {
        r = nearbyint(scale10(v, x - 5)); /* v / 10^(x-5), rounded (ties to even): 6 digits */
        if (r >= 1e6) x++;
        else if (r < 1e5) x--;
        else break;
    }
    char d[7];
    long long m = (long long)r;
    for (int i = 5; i >= 0; i--) { d[i] = (char)('0' + m % 10); m /= 10; }
    int nd = 6;
    if (x < -4 || x >= 6) {
        while (nd > 1 && d[nd - 1] == '0') nd--;
        sink_char(&o, d[0]);
        if (nd > 1) sink_char(&o, '.');
        for (int i = 1; i < nd; i++) sink_char(&o, d[i]);
        sink_char(&o, 'e');
        sink_char(&o, x < 0 ? '-' : '+');
        if (x > -10 && x < 10) sink_char(&o, '0');
        sink_uint(&o, (unsigned long long)(x < 0 ? -x : x));
    } else {
        const int ip = x >= 0 ? x + 1 : 0; /* digits before the point */
        while (nd > ip && d[nd - 1] == '0') nd--;
        if (x < 0) {
            sink_char(&o, '0');
            sink_char(&o, '.');
            for (int i = 0; i < -x - 1; i++) sink_char(&o, '0');
            for (int i = 0; i < nd; i++) sink_char(&o, d[i]);
        } else {
            for (int i = 0; i < nd; i++) {
                if (i == ip) sink_char(&o, '.');
                sink_char(&o, d[i]);
            }
        }
    }
    *o.p = '\0';
}

/* A number for a message: "0.1", "-1", "NaN", "infinity" (as printf's %g). */
typedef struct { char s[32]; } numstr;
static numstr fmt_num(double v) {
    numstr n;
    if (isnan(v)) strcpy(n.s, "NaN");
    else if (isinf(v)) strcpy(n.s, v > 0 ? "infinity" : "minus infinity");
    else fmt_g(n.s, v);
    return n;
}

/* 1 if every x[i] is finite.  Integer test on the exponent bits so that the
 * loop is a plain OR reduction (vectorisable, no float tricks). */
static int all_finite(const float *x, int n) {
    uint32_t bad = 0;
    for (int i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u);
        bad |= (uint32_t)((u & 0x7f800000u) == 0x7f800000u);
    }
    return bad == 0;
}

static int min_int(int a, int b) { return a < b ? a : b; }

/* ---- random numbers -------------------------------------------------------
 * xoshiro128** (Blackman & Vigna), 32-bit arithmetic only, so every platform
 * (native, wasm, and any re-implementation) gets the same sequence.
 * Seeding: x = mix32(seed ^ mix32(stream)), where mix32 is MurmurHash3's
 * 32-bit finaliser; the four state words are the next four splitmix32
 * outputs (x += 0x9E3779B9, then mix32(x)).  Streams: 1 = initialisation,
 * 2 = shuffling, 3 = the train/test split, so the three generators of a seed
 * are unrelated.
 * uniform01 = (next >> 8) * 2^-24 (the top 24 bits, exactly representable).
 * below(n)  = rejection sampling: draw r until r >= (2^32 mod n), return r % n.
 * Fisher–Yates: for i = n-1 down to 1, j = below(i+1), swap a[i], a[j]. */
typedef struct nn_rng { uint32_t s[4]; } nn_rng;

enum { RNG_INIT = 1, RNG_SHUFFLE = 2, RNG_SPLIT = 3 };

static uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t mix32(uint32_t z) {
    z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
    z = (z ^ (z >> 13)) * 0xC2B2AE35u;
    return z ^ (z >> 16);
}

static uint32_t splitmix32(uint32_t *x) { return mix32(*x += 0x9E3779B9u); }

static void rng_seed(nn_rng *r, uint32_t seed, uint32_t stream) {
    uint32_t x = mix32(seed ^ mix32(stream));
    for (int i = 0; i < 4; i++) r->s[i] = splitmix32(&x);
    if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) r->s[0] = 1;
}

static uint32_t rng_next(nn_rng *r) {
    uint32_t *s = r->s;
    const uint32_t result = rotl32(s[1] * 5u, 7) * 9u;
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11);
    return result;
}

static float rng_uniform01(nn_rng *r) {
    return (float)(rng_next(r) >> 8) * (1.0f / 16777216.0f);
}

static uint32_t rng_below(nn_rng *r, uint32_t n) {
    const uint32_t lim = (0u - n) % n;
    for (;;) {
        uint32_t x = rng_next(r);
        if (x >= lim) return x % n;
    }
}

static void shuffle_ints(int *a, int n, nn_rng *r) {
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint32_t)i + 1u);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* ========================================================================
 * 2. kernels
 * ======================================================================== */

/* ---- four-lane vectors -------------------------------------------------------
 * The matrix kernels are written with 4-float vectors.  With GCC or Clang they
 * are the compilers' generic vectors (SSE on x86-64, wasm SIMD with
 * -msimd128, NEON on arm; plain scalar code without SIMD); elsewhere (or with
 * -DNN_NO_VECTOR) a struct of 4 floats.  Both do exactly the same float
 * operations in the same order (each lane: acc + a·b, two roundings, no fused
 * multiply-add), so every build computes bit-identical numbers (libm's expf,
 * tanhf and logf aside).  No -ffast-math is needed or wanted. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(NN_NO_VECTOR)
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
/* the same vector, any alignment, allowed to alias floats */
typedef float v4f_u __attribute__((vector_size(16), aligned(4), may_alias));
static inline v4f v_load(const float *p) { return *(const v4f_u *)p; }
static inline void v_store(float *p, v4f v) { *(v4f_u *)p = v; }
static inline v4f v_splat(float x) { return (v4f){x, x, x, x}; }
static inline v4f v_set(float a, float b, float c, float d) { return (v4f){a, b, c, d}; }
static inline v4f v_madd(v4f acc, v4f a, v4f b) { return acc + a * b; }
static inline v4f v_add(v4f a, v4f b) { return a + b; }
static inline v4f v_sub(v4f a, v4f b) { return a - b; }
static inline v4f v_mul(v4f a, v4f b) { return a * b; }
static inline float v_lane(v4f v, int k) { return v[k]; }
/* x where x > 0, else +0 (NaN → +0): the bits of x ANDed with the mask */
static inline v4f v_relu(v4f x) { return (v4f)((v4i)x & (x > v_splat(0.0f))); }
/* x where m > 0, else +0 */
static inline v4f v_keep_pos(v4f x, v4f m) { return (v4f)((v4i)x & (m > v_splat(0.0f))); }
/* (a0, a2, b0, b2) and (a1, a3, b1, b3) */
#if defined(__clang__) || __GNUC__ >= 12
static inline v4f v_even(v4f a, v4f b) { return __builtin_shufflevector(a, b, 0, 2, 4, 6); }
static inline v4f v_odd(v4f a, v4f b) { return __builtin_shufflevector(a, b, 1, 3, 5, 7); }
#else
static inline v4f v_even(v4f a, v4f b) { return __builtin_shuffle(a, b, (v4i){0, 2, 4, 6}); }
static inline v4f v_odd(v4f a, v4f b) { return __builtin_shuffle(a, b, (v4i){1, 3, 5, 7}); }
#endif
#else
typedef struct { float f[4]; } v4f;
static v4f v_load(const float *p) {
    v4f v;
    memcpy(v.f, p, sizeof v.f);
    return v;
}
static void v_store(float *p, v4f v) { memcpy(p, v.f, sizeof v.f); }
static v4f v_set(float a, float b, float c, float d) {
    v4f v = {{a, b, c, d}};
    return v;
}
static v4f v_splat(float x) { return v_set(x, x, x, x); }
static v4f v_madd(v4f acc, v4f a, v4f b) {
    for (int k = 0; k < 4; k++) acc.f[k] = acc.f[k] + a.f[k] * b.f[k];
    return acc;
}
static v4f v_add(v4f a, v4f b) {
    for (int k = 0; k < 4; k++) a.f[k] = a.f[k] + b.f[k];
    return a;
}
static v4f v_sub(v4f a, v4f b) {
    for (int k = 0; k < 4; k++) a.f[k] = a.f[k] - b.f[k];
    return a;
}
static v4f v_mul(v4f a, v4f b) {
    for (int k = 0; k < 4; k++) a.f[k] = a.f[k] * b.f[k];
    return a;
}
static float v_lane(v4f v, int k) { return v.f[k]; }
static v4f v_keep_pos(v4f x, v4f m) {
    for (int k = 0; k < 4; k++) x.f[k] = m.f[k] > 0.0f ? x.f[k] : 0.0f;
    return x;
}
static v4f v_relu(v4f x) { return v_keep_pos(x, x); }
static v4f v_even(v4f a, v4f b) { return v_set(a.f[0], a.f[2], b.f[0], b.f[2]); }
static v4f v_odd(v4f a, v4f b) { return v_set(a.f[1], a.f[3], b.f[1], b.f[3]); }
#endif

/* Four dot products finished at once: lane r = (l0 + l1) + (l2 + l3) of
 * a[r] — the same additions, in the same order, as dot_finish (minus the
 * tail), for four accumulators. */
static inline v4f hsum4(v4f a0, v4f a1, v4f a2, v4f a3) {
    const v4f s01 = v_add(v_even(a0, a1), v_odd(a0, a1)); /* a0:01 a0:23 a1:01 a1:23 */
    const v4f s23 = v_add(v_even(a2, a3), v_odd(a2, a3));
    return v_add(v_even(s01, s23), v_odd(s01, s23));
}

/* The end of a four-lane dot product: (l0 + l1) + (l2 + l3), then the
 * products a[i]·b[i] for i = n4 .. n-1 in order. */
static float dot_finish(v4f acc, const float *a, const float *b, int n4, int n) {
    float t = (v_lane(acc, 0) + v_lane(acc, 1)) + (v_lane(acc, 2) + v_lane(acc, 3));
    for (int i = n4; i < n; i++) t += a[i] * b[i];
    return t;
}

/* Σ a[i]·b[i]: lane k sums the products with i ≡ k (mod 4) for i < n4
 * (n4 = n rounded down to a multiple of 4), then dot_finish.  The blocked
 * kernel below adds in exactly this order too. */
static float dot(const float *a, const float *b, int n) {
    const int n4 = n & ~3;
    v4f acc = v_splat(0.0f);
    for (int i = 0; i < n4; i += 4) acc = v_madd(acc, v_load(a + i), v_load(b + i));
    return dot_finish(acc, a, b, n4, n);
}

static inline float relu1(float z) { return z > 0.0f ? z : 0.0f; }

/* out (B,OUT) = inp (B,IN) · Wᵀ + b;   W (OUT,IN) row-major, b (OUT);
 * and, when relu is not NULL, relu (B,OUT) = [out > 0] · out as well.
 * Blocked: 2 samples × 4 rows of W at a time, so each loaded vector is used
 * several times (8 running dot products).  Every dot product adds in the
 * order of dot(): four lanes, (l0 + l1) + (l2 + l3), the tail, then b + it;
 * the four of a block are finished together (hsum4) and stored as a vector. */
static NN_ALWAYS_INLINE void linear_forward_k(float *restrict out, float *restrict relu,
                                              const float *restrict inp,
                                              const float *restrict W, const float *restrict b,
                                              int B, int IN, int OUT) {
    const int n4 = IN & ~3;
    int s = 0;
    for (; s + 2 <= B; s += 2) {
        const float *x0 = inp + s * IN, *x1 = x0 + IN;
        float *o0 = out + s * OUT, *o1 = o0 + OUT;
        int j = 0;
        for (; j + 4 <= OUT; j += 4) {
            const float *w[4] = {W + j * IN, W + (j + 1) * IN, W + (j + 2) * IN, W + (j + 3) * IN};
            v4f a0[4], a1[4];
            for (int r = 0; r < 4; r++) a0[r] = a1[r] = v_splat(0.0f);
            /* one running pointer per operand: the rows are at offsets r·IN
             * (constants when IN is), so wasm needs one add per operand */
            const float *wp = w[0], *xp = x0;
            for (int i = 0; i < n4; i += 4, wp += 4, xp += 4) {
                const v4f xa = v_load(xp), xb = v_load(xp + IN);
                for (int r = 0; r < 4; r++) {
                    const v4f wv = v_load(wp + r * IN);
                    a0[r] = v_madd(a0[r], wv, xa);
                    a1[r] = v_madd(a1[r], wv, xb);
                }
            }
            v4f t0 = hsum4(a0[0], a0[1], a0[2], a0[3]);
            v4f t1 = hsum4(a1[0], a1[1], a1[2], a1[3]);
            for (int i = n4; i < IN; i++) { /* the tail, a column of W at a time */
                const v4f wc = v_set(w[0][i], w[1][i], w[2][i], w[3][i]);
                t0 = v_madd(t0, wc, v_splat(x0[i]));
                t1 = v_madd(t1, wc, v_splat(x1[i]));
            }
            const v4f bv = v_load(b + j);
            t0 = v_add(bv, t0);
            t1 = v_add(bv, t1);
            v_store(o0 + j, t0);
            v_store(o1 + j, t1);
            if (relu) {
                v_store(relu + s * OUT + j, v_relu(t0));
                v_store(relu + (s + 1) * OUT + j, v_relu(t1));
            }
        }
        for (; j < OUT; j++) {
            o0[j] = b[j] + dot(W + j * IN, x0, IN);
            o1[j] = b[j] + dot(W + j * IN, x1, IN);
            if (relu) {
                relu[s * OUT + j] = relu1(o0[j]);
                relu[(s + 1) * OUT + j] = relu1(o1[j]);
            }
        }
    }
    for (; s < B; s++)
        for (int j = 0; j < OUT; j++) {
            out[s * OUT + j] = b[j] + dot(W + j * IN, inp + s * IN, IN);
            if (relu) relu[s * OUT + j] = relu1(out[s * OUT + j]);
        }
}

/* IN = 64 (every input layer) gets its own copy, where the offsets of the
 * rows are constants and the inner loop unrolls completely. */
static void linear_forward(float *restrict out, float *restrict relu, const float *restrict inp,
                           const float *restrict W, const float *restrict b, int B, int IN,
                           int OUT) {
    if (IN == NN_INPUTS) linear_forward_k(out, relu, inp, W, b, B, NN_INPUTS, OUT);
    else linear_forward_k(out, relu, inp, W, b, B, IN, OUT);
}

/* dW[j][i0 .. i0+4·NV) (+)= Σ_s dout[s][j] · inp[s][i0 ..], for R rows j at a
 * time: the running sums stay in registers, the terms are added one sample
 * after the other (s = 0, 1, ...), starting from dW (or from 0 when `first`:
 * then dW need not be cleared beforehand).  R ≤ 2, NV ≤ 4. */
static NN_ALWAYS_INLINE void dw_block(float *restrict dW, const float *restrict dout,
                                      const float *restrict inp, int B, int IN, int OUT, int j,
                                      int i0, int R, int NV, int first) {
    v4f a[2][4];
    for (int r = 0; r < R; r++)
        for (int k = 0; k < NV; k++)
            a[r][k] = first ? v_splat(0.0f) : v_load(dW + (j + r) * IN + i0 + 4 * k);
    const float *x = inp + i0, *dp = dout + j; /* running pointers: row s of each */
    for (int s = 0; s < B; s++, x += IN, dp += OUT) {
        v4f xv[4];
        for (int k = 0; k < NV; k++) xv[k] = v_load(x + 4 * k);
        for (int r = 0; r < R; r++) {
            const v4f d = v_splat(dp[r]);
            for (int k = 0; k < NV; k++) a[r][k] = v_madd(a[r][k], d, xv[k]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int k = 0; k < NV; k++) v_store(dW + (j + r) * IN + i0 + 4 * k, a[r][k]);
}

/* Rows j .. j+R-1 of dW (R a constant at each call, so the sums live in
 * registers): 16 columns at a time, then 4, then the last IN % 4 one by one. */
static NN_ALWAYS_INLINE void dw_rows(float *restrict dW, const float *restrict dout,
                                     const float *restrict inp, int B, int IN, int OUT, int j,
                                     int R, int first) {
    const int n4 = IN & ~3;
    int i = 0;
    for (; i + 16 <= n4; i += 16) dw_block(dW, dout, inp, B, IN, OUT, j, i, R, 4, first);
    for (; i < n4; i += 4) dw_block(dW, dout, inp, B, IN, OUT, j, i, R, 1, first);
    for (int r = 0; r < R; r++)
        for (int c = n4; c < IN; c++) {
            float acc = first ? 0.0f : dW[(j + r) * IN + c];
            for (int s = 0; s < B; s++) acc += dout[s * OUT + j + r] * inp[s * IN + c];
            dW[(j + r) * IN + c] = acc;
        }
}

/* dW (OUT,IN) += doutᵀ · inp;   db (OUT) += Σ_s dout   (= instead of += when
 * `first`, with the same bits as adding to zeros).
 * Every dW[j][i] gets its B terms added in sample order, whatever the path. */
/* Backward kernels get a copy for IN = 64 too, except in wasm without SIMD
 * (where the unrolled scalar copy measured slower). */
#ifndef NN_SPECIALISE_DW
#if defined(__wasm__) && !defined(__wasm_simd128__)
#define NN_SPECIALISE_DW 0
#else
#define NN_SPECIALISE_DW 1
#endif
#endif
static NN_ALWAYS_INLINE void dw_all(float *restrict dW, const float *restrict dout,
                                    const float *restrict inp, int B, int IN, int OUT,
                                    int first) {
    int j = 0;
    for (; j + 2 <= OUT; j += 2) dw_rows(dW, dout, inp, B, IN, OUT, j, 2, first);
    if (j < OUT) dw_rows(dW, dout, inp, B, IN, OUT, j, 1, first);
}
static void linear_backward_weights(float *restrict dW, float *restrict db,
                                    const float *restrict dout, const float *restrict inp,
                                    int B, int IN, int OUT, int first) {
    /* constant IN = 64 and `first` in their own copies */
    if (NN_SPECIALISE_DW && IN == NN_INPUTS) {
        if (first) dw_all(dW, dout, inp, B, NN_INPUTS, OUT, 1);
        else dw_all(dW, dout, inp, B, NN_INPUTS, OUT, 0);
    } else {
        if (first) dw_all(dW, dout, inp, B, IN, OUT, 1);
        else dw_all(dW, dout, inp, B, IN, OUT, 0);
    }
    /* db: four columns at a time, each summed over s in order from 0 */
    int j = 0;
    for (; j + 4 <= OUT; j += 4) {
        v4f acc = v_splat(0.0f);
        for (int s = 0; s < B; s++) acc = v_add(acc, v_load(dout + s * OUT + j));
        v_store(db + j, v_add(first ? v_splat(0.0f) : v_load(db + j), acc));
    }
    for (; j < OUT; j++) {
        float dbj = 0.0f;
        for (int s = 0; s < B; s++) dbj += dout[s * OUT + j];
        db[j] = (first ? 0.0f : db[j]) + dbj;
    }
}

/* d · f'(z) with f' written in terms of a = f(z) (hidden activations):
 * sigmoid a(1−a), tanh 1−a², relu [a > 0]; identity (or any other) 1. */
static inline float act_grad1(float d, float a, int act) {
    switch (act) {
    case NN_SIGMOID: return d * (a * (1.0f - a));
    case NN_TANH: return d * (1.0f - a * a);
    case NN_RELU: return a > 0.0f ? d : 0.0f;
    default: return d;
    }
}
static inline v4f act_grad4(v4f d, v4f a, int act) {
    const v4f one = v_splat(1.0f);
    switch (act) {
    case NN_SIGMOID: return v_mul(d, v_mul(a, v_sub(one, a)));
    case NN_TANH: return v_mul(d, v_sub(one, v_mul(a, a)));
    case NN_RELU: return v_keep_pos(d, a);
    default: return d;
    }
}

/* dinp[s][i0 .. i0+4·NV) = f'(·) ⊙ Σ_j dout[s][j] · W[j][i0 ..] for R samples
 * at a time, the rows of W added in order j = 0, 1, ... starting from 0, the
 * activation's derivative (act_grad4, from A = f(z) of this layer's input)
 * applied at the store. */
static NN_ALWAYS_INLINE void dinp_block(float *restrict dinp, const float *restrict dout,
                                        const float *restrict W, const float *restrict A,
                                        int act, int IN, int OUT, int s, int i0, int R, int NV) {
    v4f a[2][4];
    for (int r = 0; r < R; r++)
        for (int k = 0; k < NV; k++) a[r][k] = v_splat(0.0f);
    const float *w = W + i0, *dp = dout + s * OUT; /* running pointers: row j of W, column j of dout */
    for (int j = 0; j < OUT; j++, w += IN, dp++) {
        v4f wv[4];
        for (int k = 0; k < NV; k++) wv[k] = v_load(w + 4 * k);
        for (int r = 0; r < R; r++) {
            const v4f d = v_splat(dp[r * OUT]);
            for (int k = 0; k < NV; k++) a[r][k] = v_madd(a[r][k], d, wv[k]);
        }
    }
    for (int r = 0; r < R; r++)
        for (int k = 0; k < NV; k++) {
            const int o = (s + r) * IN + i0 + 4 * k;
            v_store(dinp + o, act_grad4(a[r][k], v_load(A + o), act));
        }
}

/* Samples s .. s+R-1 of dinp (R a constant at each call). */
static NN_ALWAYS_INLINE void dinp_rows(float *restrict dinp, const float *restrict dout,
                                       const float *restrict W, const float *restrict A,
                                       int act, int IN, int OUT, int s, int R) {
    const int n4 = IN & ~3;
    int i = 0;
    for (; i + 16 <= n4; i += 16) dinp_block(dinp, dout, W, A, act, IN, OUT, s, i, R, 4);
    for (; i < n4; i += 4) dinp_block(dinp, dout, W, A, act, IN, OUT, s, i, R, 1);
    for (int r = 0; r < R; r++)
        for (int c = n4; c < IN; c++) {
            float acc = 0.0f;
            for (int j = 0; j < OUT; j++) acc += dout[(s + r) * OUT + j] * W[j * IN + c];
            const int o = (s + r) * IN + c;
            dinp[o] = act_grad1(acc, A[o], act);
        }
}

/* dinp (B,IN) = (dout (B,OUT) · W (OUT,IN)) ⊙ f'(z), f' from A = f(z) (B,IN) */
static NN_ALWAYS_INLINE void dinp_all(float *restrict dinp, const float *restrict dout,
                                      const float *restrict W, const float *restrict A, int act,
                                      int B, int IN, int OUT) {
    int s = 0;
    for (; s + 2 <= B; s += 2) dinp_rows(dinp, dout, W, A, act, IN, OUT, s, 2);
    if (s < B) dinp_rows(dinp, dout, W, A, act, IN, OUT, s, 1);
}
static void linear_backward_input(float *restrict dinp, const float *restrict dout,
                                  const float *restrict W, const float *restrict A, int act,
                                  int B, int IN, int OUT) {
    switch (act) { /* a constant act in each copy */
    case NN_RELU:
        if (NN_SPECIALISE_DW && IN == NN_INPUTS)
            dinp_all(dinp, dout, W, A, NN_RELU, B, NN_INPUTS, OUT);
        else dinp_all(dinp, dout, W, A, NN_RELU, B, IN, OUT);
        break;
    case NN_SIGMOID: dinp_all(dinp, dout, W, A, NN_SIGMOID, B, IN, OUT); break;
    case NN_TANH: dinp_all(dinp, dout, W, A, NN_TANH, B, IN, OUT); break;
    default: dinp_all(dinp, dout, W, A, NN_IDENTITY, B, IN, OUT); break;
    }
}

/* dW (OUT,IN) += doutᵀ · inp;  db (OUT) += Σ_s dout  (= when `first`);
 * dinp (B,IN) = (dout (B,OUT) · W (OUT,IN)) ⊙ f'(z), f' of the hidden
 * activation `act` taken from inp = f(z)   (skipped when dinp is NULL) */
static void linear_backward(float *restrict dinp, float *restrict dW, float *restrict db,
                            const float *restrict dout, const float *restrict inp,
                            const float *restrict W, int B, int IN, int OUT, int first, int act) {
    linear_backward_weights(dW, db, dout, inp, B, IN, OUT, first);
    if (dinp) linear_backward_input(dinp, dout, W, inp, act, B, IN, OUT);
}

/* y (n) += alpha · x (n) */
static void axpy(float *restrict y, float alpha, const float *restrict x, int n) {
    for (int i = 0; i < n; i++) y[i] += alpha * x[i];
}

/* a (N) = f(z (N)) for an element-wise activation (sigmoid, tanh, relu,
 * identity) */
static void activation_forward(float *restrict a, const float *restrict z, int N, int act) {
    switch (act) {
    case NN_SIGMOID:
        for (int i = 0; i < N; i++) a[i] = 1.0f / (1.0f + expf(-z[i]));
        break;
    case NN_TANH:
        for (int i = 0; i < N; i++) a[i] = tanhf(z[i]);
        break;
    case NN_RELU:
        for (int i = 0; i < N; i++) a[i] = z[i] > 0.0f ? z[i] : 0.0f;
        break;
    default: /* NN_IDENTITY */
        memcpy(a, z, (size_t)N * sizeof *a);
        break;
    }
}

/* dz (N) = da (N) ⊙ f'(z), with f' written in terms of a = f(z):
 * sigmoid a(1−a), tanh 1−a², relu [a > 0].  dz may be da (in place). */
static void activation_backward(float *dz, const float *da, const float *restrict a,
                                int N, int act) {
    switch (act) {
    case NN_SIGMOID:
        for (int i = 0; i < N; i++) dz[i] = da[i] * (a[i] * (1.0f - a[i]));
        break;
    case NN_TANH:
        for (int i = 0; i < N; i++) dz[i] = da[i] * (1.0f - a[i] * a[i]);
        break;
    case NN_RELU:
        for (int i = 0; i < N; i++) dz[i] = a[i] > 0.0f ? da[i] : 0.0f;
        break;
    default: /* NN_IDENTITY */
        if (dz != da) memcpy(dz, da, (size_t)N * sizeof *dz);
        break;
    }
}

/* a (B,C) = softmax(z (B,C)) row by row, max subtracted */
static void softmax_forward(float *restrict a, float *restrict sums, const float *restrict z,
                            int B, int C) {
    for (int s = 0; s < B; s++) {
        const float *zs = z + s * C;
        float *as = a + s * C;
        float m = zs[0];
        for (int k = 1; k < C; k++) m = zs[k] > m ? zs[k] : m;
        float sum = 0.0f;
        for (int k = 0; k < C; k++) {
            as[k] = expf(zs[k] - m);
            sum += as[k];
        }
        if (sums) sums[s] = sum;
        const float inv = 1.0f / sum;
        for (int k = 0; k < C; k++) as[k] *= inv;
    }
}

/* dz (B,C) = ∂C/∂z through the softmax: a ⊙ (da − Σ_k da_k a_k).  In place ok. */
static void softmax_backward(float *dz, const float *da, const float *restrict a, int B, int C) {
    for (int s = 0; s < B; s++) {
        const float *g = da + s * C;
        const float *as = a + s * C;
        float *d = dz + s * C;
        float ga = 0.0f;
        for (int k = 0; k < C; k++) ga += g[k] * as[k];
        for (int k = 0; k < C; k++) d[k] = as[k] * (g[k] - ga);
    }
}

/* Output layer activation: a (B,C) = f_out(z (B,C)) */
static void output_forward(float *restrict a, const float *restrict z, int B, int C, int act) {
    if (act == NN_SOFTMAX) softmax_forward(a, NULL, z, B, C);
    else activation_forward(a, z, B * C, act);
}

/* Per-sample costs summed over the chunk (the caller divides by n):
 *   MSE:  ½ Σ_k (a_k − y_k)²
 *   XENT: −log softmax(z)_label = log Σ exp(z − max) + max − z_label
 * z, a (B,C); labels (B); sums (B) = Σ exp(z − max) per sample as
 * softmax_forward left them, or NULL to compute them here */
static double cost_forward(const float *z, const float *a, const float *sums,
                           const uint8_t *labels, int B, int C, int cost) {
    double total = 0.0;
    for (int s = 0; s < B; s++) {
        const int y = labels[s];
        float c = 0.0f;
        if (cost == NN_XENT) {
            const float *zs = z + s * C;
            float m = zs[0];
            for (int k = 1; k < C; k++) m = zs[k] > m ? zs[k] : m;
            float sum = 0.0f;
            if (sums) sum = sums[s]; /* softmax_forward's sum: the same additions */
            else
                for (int k = 0; k < C; k++) sum += expf(zs[k] - m);
            c = logf(sum) + m - zs[y];
        } else {
            const float *as = a + s * C;
            for (int k = 0; k < C; k++) {
                const float e = as[k] - (k == y ? 1.0f : 0.0f);
                c += e * e;
            }
            c *= 0.5f;
        }
        total += (double)c;
    }
    return total;
}

/* dz (B,C) = scale · ∂cost/∂z for each sample of the chunk (scale = 1/n for a
 * mean cost).
 *   XENT (softmax output): δ = a − y
 *   MSE:  g = a − y, then through the output activation:
 *         sigmoid g ⊙ a(1−a), identity g, softmax a ⊙ (g − Σ g_k a_k) */
static void cost_backward(float *restrict dz, const float *restrict a, const uint8_t *labels,
                          int B, int C, int cost, int out_act, float scale) {
    for (int s = 0; s < B; s++) {
        const float *as = a + s * C;
        float *d = dz + s * C;
        for (int k = 0; k < C; k++) d[k] = as[k] - (k == labels[s] ? 1.0f : 0.0f);
    }
    if (cost == NN_MSE) {
        if (out_act == NN_SOFTMAX) softmax_backward(dz, dz, a, B, C);
        else activation_backward(dz, dz, a, B * C, out_act);
    }
    if (scale != 1.0f)
        for (int i = 0; i < B * C; i++) dz[i] *= scale;
}

/* index of the largest of C values, ties → the lowest index */
static int argmax(const float *v, int C) {
    int best = 0;
    for (int k = 1; k < C; k++)
        if (v[k] > v[best]) best = k;
    return best;
}

/* ========================================================================
 * 3. data
 * ======================================================================== */

struct nn_data {
    int n, scale;
    uint8_t *pixels; /* (n,64) */
    uint8_t *labels; /* (n) */
    float *x;        /* (n,64) */
    int *all;        /* 0..n-1 */
    int *train_full; /* training rows after the split, ascending */
    int n_train_full;
    int *train; /* the training list (after nn_data_limit_train) */
    int n_train;
    int *test; /* ascending */
    int n_test;
    int *scratch;  /* (n) */
    uint8_t *mark; /* (n) */
};

void nn_data_free(nn_data *d) {
    if (!d) return;
    free(d->pixels);
    free(d->labels);
    free(d->x);
    free(d->all);
    free(d->train_full);
    free(d->train);
    free(d->test);
    free(d->scratch);
    free(d->mark);
    free(d);
}

static int check_scale(int scale, nn_error *err) {
    if (scale != NN_SCALE_UNIT && scale != NN_SCALE_RAW)
        return set_err(err, NN_EINVAL,
                       "The pixel scale must be 0 (pixel/16, from 0 to 1) or 1 (raw 0 to 16) "
                       "(got %d).", scale);
    return NN_OK;
}

/* Allocate a data set of n rows (pixels/labels left to the caller). */
static nn_data *data_alloc(int n, int scale, nn_error *err) {
    nn_data *d = calloc(1, sizeof *d);
    if (d) {
        const size_t un = (size_t)n;
        d->n = n;
        d->scale = scale;
        d->pixels = malloc(un * NN_INPUTS);
        d->labels = malloc(un);
        d->x = malloc(un * NN_INPUTS * sizeof(float));
        d->all = malloc(un * sizeof(int));
        d->train_full = malloc(un * sizeof(int));
        d->train = malloc(un * sizeof(int));
        d->test = malloc(un * sizeof(int));
        d->scratch = malloc(un * sizeof(int));
        d->mark = malloc(un);
        if (d->pixels && d->labels && d->x && d->all && d->train_full && d->train &&
            d->test && d->scratch && d->mark)
            return d;
    }
    nn_data_free(d);
    set_err(err, NN_ENOMEM, "Not enough memory for a data set of %d rows.", n);
    return NULL;
}

/* Fill x from the pixels and make every row training data. */
static void data_finish(nn_data *d) {
    const float k = d->scale == NN_SCALE_UNIT ? 1.0f / 16.0f : 1.0f;
    for (int i = 0; i < d->n * NN_INPUTS; i++) d->x[i] = (float)d->pixels[i] * k;
    for (int i = 0; i < d->n; i++) d->all[i] = d->train_full[i] = d->train[i] = i;
    d->n_train_full = d->n_train = d->n;
    d->n_test = 0;
}

nn_data *nn_data_from_bytes(const uint8_t *pixels, const uint8_t *labels, int n, int scale,
                            nn_error *err) {
    if (check_scale(scale, err)) return NULL;
    if (n < 1 || n > NN_MAX_ROWS) {
        set_err(err, NN_EINVAL, "A data set needs between 1 and %d rows (got %d).",
                NN_MAX_ROWS, n);
        return NULL;
    }
    if (!pixels || !labels) {
        set_err(err, NN_EINVAL, "No pixels or labels were given.");
        return NULL;
    }
    for (int i = 0; i < n * NN_INPUTS; i++)
        if (pixels[i] > 16) {
            set_err(err, NN_EDATA,
                    "Row %d, pixel %d is %d, but a pixel must be a whole number from 0 to 16 "
                    "(rows and pixels counted from 0).",
                    i / NN_INPUTS, i % NN_INPUTS, pixels[i]);
            return NULL;
        }
    for (int i = 0; i < n; i++)
        if (labels[i] > 9) {
            set_err(err, NN_EDATA,
                    "Row %d has the label %d, but a label must be a whole number from 0 to 9 "
                    "(rows counted from 0).", i, labels[i]);
            return NULL;
        }
    nn_data *d = data_alloc(n, scale, err);
    if (!d) return NULL;
    memcpy(d->pixels, pixels, (size_t)n * NN_INPUTS);
    memcpy(d->labels, labels, (size_t)n);
    data_finish(d);
    set_ok(err);
    return d;
}

/* ---- CSV ------------------------------------------------------------------
 * Rules (the header has the summary):
 *  - lines end with "\n" or "\r\n"; the last line needs no newline;
 *  - blank lines (nothing, or only spaces/tabs) at the end of the file are
 *    ignored; a blank line followed by more data is an error;
 *  - each line: exactly 65 comma-separated fields, 64 pixels 0..16 then the
 *    label 0..9;
 *  - a field is one or more decimal digits and nothing else (leading zeros
 *    are fine).  Spaces, signs, decimal points, letters, quotes, an empty
 *    field or a NUL byte are refused, with the field quoted in the message;
 *  - at most NN_MAX_ROWS rows.
 * The parser only ever looks at text[0 .. len-1]; text need not end in NUL. */

static int is_blank_char(char c) { return c == ' ' || c == '\t'; }

/* Show a field in a message: printable ASCII kept, other bytes as '?',
 * at most 20 characters then "...". */
static void show_field(char *out, size_t cap, const char *f, size_t n) {
    size_t o = 0;
    const size_t max_shown = 20;
    for (size_t i = 0; i < n && i < max_shown && o + 1 < cap; i++) {
        const unsigned char c = (unsigned char)f[i];
        out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    if (n > max_shown && o + 4 < cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Parse one field [f, f+n) as a whole number 0..maxv.  Returns the value or
 * -1 (bad text or out of range), -2 (empty) or -3 (contains a NUL byte). */
static int parse_field(const char *f, size_t n, int maxv) {
    if (n == 0) return -2;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        const char c = f[i];
        if (c == '\0') return -3;
        if (c < '0' || c > '9') return -1;
        if (v <= maxv) v = v * 10 + (c - '0'); /* stop growing once too big */
    }
    return v <= maxv ? v : -1;
}

static int csv_field_error(nn_error *err, int line, int col, int code, const char *f, size_t n) {
    if (code == -3)
        return set_err(err, NN_EDATA,
                       "line %d, column %d: the text contains a NUL byte, so it does not look "
                       "like a CSV text file", line, col);
    char shown[32];
    show_field(shown, sizeof shown, f, n);
    const char *what = col == NN_INPUTS + 1 ? "the label must be a whole number from 0 to 9"
                                            : "a pixel must be a whole number from 0 to 16";
    if (code == -2)
        return set_err(err, NN_EDATA, "line %d, column %d: %s, found nothing", line, col, what);
    return set_err(err, NN_EDATA, "line %d, column %d: %s, found \"%s\"", line, col, what,
                   shown);
}

/* One pass over the text.  With pixels/labels NULL it validates and counts
 * the rows; otherwise it stores them (the text is then known to be valid). */
static int csv_pass(const char *text, size_t len, uint8_t *pixels, uint8_t *labels,
                    int *rows_out, nn_error *err) {
    /* ignore trailing blank lines (and the final newline) */
    size_t end = len;
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' ||
                       is_blank_char(text[end - 1])))
        end--;
    /* ...but keep the last data line whole (its own trailing spaces are an error) */
    while (end < len && text[end] != '\n' && text[end] != '\r') end++;
    if (end == 0) return set_err(err, NN_EDATA, "the file is empty");

    int rows = 0, line = 0;
    size_t pos = 0;
    while (pos < end) {
        line++;
        const char *nl = memchr(text + pos, '\n', end - pos);
        const size_t next = nl ? (size_t)(nl - text) + 1 : end;
        size_t le = nl ? (size_t)(nl - text) : end;
        if (le > pos && text[le - 1] == '\r') le--;
        const char *ls = text + pos;
        const size_t ln = le - pos;
        pos = next;

        size_t k = 0;
        while (k < ln && is_blank_char(ls[k])) k++;
        if (k == ln)
            return set_err(err, NN_EDATA,
                           "line %d: the line is empty; blank lines are only allowed at the "
                           "end of the file", line);
        if (++rows > NN_MAX_ROWS)
            return set_err(err, NN_EDATA, "line %d: the file has more than %d rows", line,
                           NN_MAX_ROWS);
        int fields = 1;
        for (size_t i = 0; i < ln; i++) fields += ls[i] == ',';
        if (fields < NN_INPUTS + 1)
            return set_err(err, NN_EDATA,
                           "line %d: expected %d values (%d pixels and a label), found %d; "
                           "the line ends before column %d",
                           line, NN_INPUTS + 1, NN_INPUTS, fields, fields + 1);
        if (fields > NN_INPUTS + 1)
            return set_err(err, NN_EDATA,
                           "line %d: expected %d values (%d pixels and a label), found %d; "
                           "column %d should not be there",
                           line, NN_INPUTS + 1, NN_INPUTS, fields, NN_INPUTS + 2);
        size_t fs = 0;
        for (int col = 1; col <= NN_INPUTS + 1; col++) {
            size_t fe = fs;
            while (fe < ln && ls[fe] != ',') fe++;
            const int maxv = col == NN_INPUTS + 1 ? 9 : 16;
            const int v = parse_field(ls + fs, fe - fs, maxv);
            if (v < 0) return csv_field_error(err, line, col, v, ls + fs, fe - fs);
            if (pixels) {
                if (col <= NN_INPUTS) pixels[(rows - 1) * NN_INPUTS + (col - 1)] = (uint8_t)v;
                else labels[rows - 1] = (uint8_t)v;
            }
            fs = fe + 1;
        }
    }
    *rows_out = rows;
    return NN_OK;
}

nn_data *nn_data_parse_csv(const char *text, size_t len, int scale, nn_error *err) {
    if (check_scale(scale, err)) return NULL;
    if (!text && len > 0) {
        set_err(err, NN_EINVAL, "No text was given.");
        return NULL;
    }
    int rows = 0;
    if (csv_pass(text, len, NULL, NULL, &rows, err)) return NULL;
    nn_data *d = data_alloc(rows, scale, err);
    if (!d) return NULL;
    csv_pass(text, len, d->pixels, d->labels, &rows, NULL);
    data_finish(d);
    set_ok(err);
    return d;
}

int nn_data_count(const nn_data *d) { return d ? d->n : 0; }
int nn_data_scale(const nn_data *d) { return d ? d->scale : NN_SCALE_UNIT; }
const float *nn_data_x(const nn_data *d) { return d ? d->x : NULL; }
const uint8_t *nn_data_pixels(const nn_data *d) { return d ? d->pixels : NULL; }
const uint8_t *nn_data_labels(const nn_data *d) { return d ? d->labels : NULL; }

/* Stratified split.  One generator (stream RNG_SPLIT) seeded from `seed`; for
 * label 0, 1, ..., 9 in turn: that label's rows in ascending order are
 * Fisher–Yates shuffled and the first round(count·test_fraction) go to the
 * test set (round half away from zero, computed in double).  Both lists are
 * then ascending.  Any earlier limit is undone. */
int nn_data_split(nn_data *d, float test_fraction, uint32_t seed, nn_error *err) {
    if (!d) return set_err(err, NN_EINVAL, "No data set was given.");
    if (!(test_fraction >= 0.0f && test_fraction <= 0.9f))
        return set_err(err, NN_EINVAL,
                       "The test fraction must be a number from 0 to 0.9 (got %s).",
                       fmt_num((double)test_fraction).s);
    nn_rng rng;
    rng_seed(&rng, seed, RNG_SPLIT);
    memset(d->mark, 0, (size_t)d->n);
    for (int c = 0; c < NN_CLASSES; c++) {
        int cnt = 0;
        for (int i = 0; i < d->n; i++)
            if (d->labels[i] == c) d->scratch[cnt++] = i;
        shuffle_ints(d->scratch, cnt, &rng);
        const int k = (int)floor((double)cnt * (double)test_fraction + 0.5);
        for (int i = 0; i < k && i < cnt; i++) d->mark[d->scratch[i]] = 1;
    }
    d->n_train_full = d->n_test = 0;
    for (int i = 0; i < d->n; i++) {
        if (d->mark[i]) d->test[d->n_test++] = i;
        else d->train_full[d->n_train_full++] = i;
    }
    memcpy(d->train, d->train_full, (size_t)d->n_train_full * sizeof(int));
    d->n_train = d->n_train_full;
    return set_ok(err);
}

/* The training list becomes the split's training rows interleaved by label:
 * first row of label 0, first of label 1, ..., first of label 9, second of
 * label 0, ... (labels that run out are skipped; rows of a label in
 * ascending order), cut to the first n.  Always starts from the full
 * training list of the last split, so limits do not compound. */
int nn_data_limit_train(nn_data *d, int n, nn_error *err) {
    if (!d) return set_err(err, NN_EINVAL, "No data set was given.");
    if (n < 1)
        return set_err(err, NN_EINVAL,
                       "The training set must keep at least 1 row (got %d).", n);
    int start[NN_CLASSES + 1] = {0}, cur[NN_CLASSES];
    for (int i = 0; i < d->n_train_full; i++) start[d->labels[d->train_full[i]] + 1]++;
    for (int c = 0; c < NN_CLASSES; c++) start[c + 1] += start[c];
    for (int c = 0; c < NN_CLASSES; c++) cur[c] = start[c];
    for (int i = 0; i < d->n_train_full; i++) {
        const int r = d->train_full[i];
        d->scratch[cur[d->labels[r]]++] = r; /* grouped by label, stable */
    }
    for (int c = 0; c < NN_CLASSES; c++) cur[c] = start[c];
    const int keep = min_int(n, d->n_train_full);
    int m = 0;
    while (m < keep)
        for (int c = 0; c < NN_CLASSES && m < keep; c++)
            if (cur[c] < start[c + 1]) d->train[m++] = d->scratch[cur[c]++];
    d->n_train = keep;
    return set_ok(err);
}

int nn_data_set_count(const nn_data *d, int set) {
    if (!d) return 0;
    switch (set) {
    case NN_SET_TRAIN: return d->n_train;
    case NN_SET_TEST: return d->n_test;
    case NN_SET_ALL: return d->n;
    default: return 0;
    }
}

const int *nn_data_set_indices(const nn_data *d, int set) {
    if (!d) return NULL;
    switch (set) {
    case NN_SET_TRAIN: return d->train;
    case NN_SET_TEST: return d->test;
    case NN_SET_ALL: return d->all;
    default: return NULL;
    }
}

/* ========================================================================
 * 4. the network
 * ======================================================================== */

void nn_config_default(nn_config *cfg) {
    if (!cfg) return;
    memset(cfg, 0, sizeof *cfg);
    cfg->n_layers = 3;
    cfg->sizes[0] = NN_INPUTS;
    cfg->sizes[1] = 8;
    cfg->sizes[2] = NN_CLASSES;
    cfg->hidden_act = NN_SIGMOID;
    cfg->output_act = NN_SIGMOID;
    cfg->cost = NN_MSE;
    cfg->optimizer = NN_SGD;
    cfg->lr = 0.1f;
    cfg->momentum = 0.9f;
    cfg->weight_decay = 0.0f;
    cfg->batch_size = 32;
    cfg->seed = 1;
}

int nn_config_sizeof(void) { return (int)sizeof(nn_config); }

static int check_lr(float lr, nn_error *err) {
    if (!(lr > 0.0f) || isinf(lr))
        return set_err(err, NN_EINVAL,
                       "The learning rate must be a number greater than 0 (got %s).",
                       fmt_num((double)lr).s);
    if (lr > NN_MAX_LR)
        return set_err(err, NN_EINVAL, "The learning rate must be at most 100 (got %s).",
                       fmt_num((double)lr).s);
    return NN_OK;
}

static const char *act_name(int a) {
    switch (a) {
    case NN_SIGMOID: return "sigmoid";
    case NN_TANH: return "tanh";
    case NN_RELU: return "ReLU";
    case NN_SOFTMAX: return "softmax";
    case NN_IDENTITY: return "identity";
    default: return "unknown";
    }
}

/* "ReLU", or "code 7" for a number that is no activation at all */
static numstr act_label(int a) {
    numstr n;
    if (a >= NN_SIGMOID && a <= NN_IDENTITY) {
        strcpy(n.s, act_name(a));
    } else {
        nn_sink o = {n.s, n.s + sizeof n.s - 1};
        sink_str(&o, "code ");
        sink_int(&o, a);
        *o.p = '\0';
    }
    return n;
}

int nn_config_check(const nn_config *cfg, nn_error *err) {
    if (!cfg) return set_err(err, NN_EINVAL, "No configuration was given.");
    const int nl = cfg->n_layers;
    if (nl < 2 || nl > NN_MAX_LAYERS)
        return set_err(err, NN_EINVAL,
                       "A network needs between 2 and %d layer sizes, input and output "
                       "included, so 0 to %d hidden layers (got %d sizes).",
                       NN_MAX_LAYERS, NN_MAX_LAYERS - 2, nl);
    if (cfg->sizes[0] != NN_INPUTS)
        return set_err(err, NN_EINVAL,
                       "The first layer must have 64 inputs, one per pixel (got %d).",
                       cfg->sizes[0]);
    for (int l = 1; l < nl - 1; l++)
        if (cfg->sizes[l] < 1 || cfg->sizes[l] > NN_MAX_WIDTH)
            return set_err(err, NN_EINVAL,
                           "A hidden layer needs between 1 and %d neurons (layer %d has %d).",
                           NN_MAX_WIDTH, l, cfg->sizes[l]);
    if (cfg->sizes[nl - 1] != NN_CLASSES)
        return set_err(err, NN_EINVAL,
                       "The last layer must have 10 outputs, one per digit (got %d).",
                       cfg->sizes[nl - 1]);
    if (cfg->hidden_act != NN_SIGMOID && cfg->hidden_act != NN_TANH &&
        cfg->hidden_act != NN_RELU)
        return set_err(err, NN_EINVAL,
                       "The hidden activation must be sigmoid, tanh or ReLU (got %s).",
                       act_label(cfg->hidden_act).s);
    if (cfg->output_act != NN_SOFTMAX && cfg->output_act != NN_SIGMOID &&
        cfg->output_act != NN_IDENTITY)
        return set_err(err, NN_EINVAL,
                       "The output activation must be softmax, sigmoid or identity "
                       "(got %s).", act_label(cfg->output_act).s);
    if (cfg->cost != NN_MSE && cfg->cost != NN_XENT)
        return set_err(err, NN_EINVAL,
                       "The cost must be MSE (mean squared error) or cross-entropy "
                       "(got code %d).", cfg->cost);
    if (cfg->cost == NN_XENT && cfg->output_act != NN_SOFTMAX)
        return set_err(err, NN_EINVAL,
                       "Cross-entropy needs the softmax output layer (the output "
                       "activation is %s). Choose softmax, or use the MSE cost.",
                       act_name(cfg->output_act));
    if (cfg->optimizer != NN_SGD && cfg->optimizer != NN_MOMENTUM &&
        cfg->optimizer != NN_ADAM)
        return set_err(err, NN_EINVAL,
                       "The optimizer must be SGD, momentum or Adam (got code %d).",
                       cfg->optimizer);
    if (check_lr(cfg->lr, err)) return NN_EINVAL;
    if (!(cfg->momentum >= 0.0f && cfg->momentum < 1.0f))
        return set_err(err, NN_EINVAL,
                       "The momentum must be a number from 0 up to, but not including, 1 "
                       "(got %s).", fmt_num((double)cfg->momentum).s);
    if (!(cfg->weight_decay >= 0.0f && cfg->weight_decay <= NN_MAX_DECAY))
        return set_err(err, NN_EINVAL,
                       "The weight decay must be a number from 0 to 1 (got %s).",
                       fmt_num((double)cfg->weight_decay).s);
    if (cfg->batch_size < 0 || cfg->batch_size > NN_MAX_BATCH)
        return set_err(err, NN_EINVAL,
                       "The batch size must be 0 (the whole training set) or a whole number "
                       "from 1 to %d (got %d).", NN_MAX_BATCH, cfg->batch_size);
    return set_ok(err);
}

struct nn_net {
    nn_config cfg;
    nn_error err;
    int L;                         /* weight layers */
    int sizes[NN_MAX_LAYERS];      /* layer widths, sizes[0] = 64 */
    int woff[NN_MAX_LAYERS - 1];   /* float offset of W_l in params */
    int boff[NN_MAX_LAYERS - 1];   /* float offset of b_l */
    int P;                         /* parameter count */

    float *block; /* one allocation for every float buffer below */
    float *params, *grads, *backup, *m, *v; /* (P) each */
    float *trace_grads;                     /* (P) */
    /* chunk buffers: act[l] (NN_CHUNK, sizes[l]) for l = 0..L (act[0] = x),
     * pre[l] (NN_CHUNK, sizes[l]) for l = 1..L, two delta buffers */
    float *act[NN_MAX_LAYERS], *pre[NN_MAX_LAYERS];
    float *dbuf[2];
    /* trace: one sample */
    float *tz[NN_MAX_LAYERS], *ta[NN_MAX_LAYERS], *td[NN_MAX_LAYERS];
    float trace_cost;
    int trace_pred;
    uint8_t chunk_labels[NN_CHUNK];
    float sm_sum[NN_CHUNK]; /* the chunk's softmax denominators (for the cost) */

    /* optimizer */
    int adam_t;

    /* training state */
    nn_rng shuffle_rng;
    const nn_data *data;
    int *order;     /* (data->n) this epoch's sample order */
    int order_cap;
    int order_n;    /* training rows in this epoch */
    int pos;        /* next position in order */
    int epoch_open; /* order laid out for the current epoch */
    int epochs_done, step_in_epoch;
    int step_n, step_done; /* the step in progress: its batch size, samples done (0, 0: none) */
    double step_cost;      /* its summed cost so far */
    int shuffle;
    float last_cost;
};

static int net_err(nn_net *net, int code, const char *fmt, ...) NN_PRINTF(3, 4);
static int net_err(nn_net *net, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    verr(&net->err, code, fmt, ap);
    va_end(ap);
    return code;
}

static void init_params(nn_net *net) {
    nn_rng rng;
    rng_seed(&rng, net->cfg.seed, RNG_INIT);
    for (int l = 0; l < net->L; l++) {
        const int in = net->sizes[l], out = net->sizes[l + 1];
        const int he = l < net->L - 1 && net->cfg.hidden_act == NN_RELU;
        const double fan = he ? (double)in : (double)(in + out);
        const float bound = (float)sqrt(6.0 / fan);
        float *W = net->params + net->woff[l];
        for (int i = 0; i < out * in; i++) W[i] = bound * (2.0f * rng_uniform01(&rng) - 1.0f);
        memset(net->params + net->boff[l], 0, (size_t)out * sizeof(float));
    }
}

static void clear_optimizer(nn_net *net) {
    memset(net->m, 0, (size_t)net->P * sizeof(float));
    memset(net->v, 0, (size_t)net->P * sizeof(float));
    net->adam_t = 0;
}

nn_net *nn_create(const nn_config *cfg, nn_error *err) {
    if (nn_config_check(cfg, err)) return NULL;
    nn_net *net = calloc(1, sizeof *net);
    if (!net) {
        set_err(err, NN_ENOMEM, "Not enough memory to create the network.");
        return NULL;
    }
    net->cfg = *cfg;
    for (int l = cfg->n_layers; l < NN_MAX_LAYERS; l++) net->cfg.sizes[l] = 0;
    net->L = cfg->n_layers - 1;
    int P = 0, widths = 0, maxw = 0;
    for (int l = 0; l < cfg->n_layers; l++) {
        net->sizes[l] = cfg->sizes[l];
        widths += cfg->sizes[l];
        if (cfg->sizes[l] > maxw) maxw = cfg->sizes[l];
    }
    for (int l = 0; l < net->L; l++) {
        net->woff[l] = P;
        P += net->sizes[l] * net->sizes[l + 1];
        net->boff[l] = P;
        P += net->sizes[l + 1];
    }
    net->P = P;
    /* params, grads, backup, m, v, trace_grads: 6P; chunk act + pre:
     * 2·NN_CHUNK·widths; deltas 2·NN_CHUNK·maxw; trace z, a, delta: 3·widths */
    const size_t total = 6 * (size_t)P + 2 * (size_t)NN_CHUNK * (size_t)widths +
                         2 * (size_t)NN_CHUNK * (size_t)maxw + 3 * (size_t)widths;
    net->block = calloc(total, sizeof(float));
    if (!net->block) {
        set_err(err, NN_ENOMEM,
                "Not enough memory to create the network (%zu bytes needed).",
                total * sizeof(float));
        free(net);
        return NULL;
    }
    float *p = net->block;
    net->params = p, p += P;
    net->grads = p, p += P;
    net->backup = p, p += P;
    net->m = p, p += P;
    net->v = p, p += P;
    net->trace_grads = p, p += P;
    for (int l = 0; l <= net->L; l++) net->act[l] = p, p += NN_CHUNK * net->sizes[l];
    for (int l = 0; l <= net->L; l++) net->pre[l] = p, p += NN_CHUNK * net->sizes[l];
    net->dbuf[0] = p, p += NN_CHUNK * maxw;
    net->dbuf[1] = p, p += NN_CHUNK * maxw;
    for (int l = 0; l <= net->L; l++) net->tz[l] = p, p += net->sizes[l];
    for (int l = 0; l <= net->L; l++) net->ta[l] = p, p += net->sizes[l];
    for (int l = 0; l <= net->L; l++) net->td[l] = p, p += net->sizes[l];
    net->shuffle = 1;
    nn_reset(net);
    set_ok(&net->err);
    set_ok(err);
    return net;
}

void nn_free(nn_net *net) {
    if (!net) return;
    free(net->order);
    free(net->block);
    free(net);
}

const nn_error *nn_last_error(const nn_net *net) { return net ? &net->err : NULL; }

int nn_layer_count(const nn_net *net) { return net ? net->L : 0; }
int nn_layer_in(const nn_net *net, int l) {
    return net && l >= 0 && l < net->L ? net->sizes[l] : 0;
}
int nn_layer_out(const nn_net *net, int l) {
    return net && l >= 0 && l < net->L ? net->sizes[l + 1] : 0;
}
int nn_weight_offset(const nn_net *net, int l) {
    return net && l >= 0 && l < net->L ? net->woff[l] : -1;
}
int nn_bias_offset(const nn_net *net, int l) {
    return net && l >= 0 && l < net->L ? net->boff[l] : -1;
}
int nn_param_count(const nn_net *net) { return net ? net->P : 0; }
float *nn_params(nn_net *net) { return net ? net->params : NULL; }
float *nn_grads(nn_net *net) { return net ? net->grads : NULL; }

void nn_reset(nn_net *net) {
    if (!net) return;
    init_params(net);
    memcpy(net->backup, net->params, (size_t)net->P * sizeof(float));
    memset(net->grads, 0, (size_t)net->P * sizeof(float));
    clear_optimizer(net);
    rng_seed(&net->shuffle_rng, net->cfg.seed, RNG_SHUFFLE);
    net->epochs_done = 0;
    net->step_in_epoch = 0;
    net->step_n = net->step_done = 0;
    net->pos = 0;
    net->order_n = 0;
    net->epoch_open = 0;
    net->last_cost = NAN;
    net->trace_cost = NAN;
    net->trace_pred = -1;
}

int nn_params_changed(nn_net *net) {
    if (!net) return NN_EINVAL;
    clear_optimizer(net);
    net->step_n = net->step_done = 0; /* a half-done step's gradient was for the old ones */
    for (int l = 0; l < net->L; l++) {
        const int in = net->sizes[l], out = net->sizes[l + 1];
        const float *W = net->params + net->woff[l];
        const float *b = net->params + net->boff[l];
        for (int i = 0; i < out * in; i++)
            if (!isfinite(W[i]))
                return net_err(net, NN_EDATA,
                               "Weight layer %d (%d -> %d): the weight in row %d, column %d "
                               "is %s, but every parameter must be a finite number.",
                               l + 1, in, out, i / in + 1, i % in + 1,
                               fmt_num((double)W[i]).s);
        for (int j = 0; j < out; j++)
            if (!isfinite(b[j]))
                return net_err(net, NN_EDATA,
                               "Weight layer %d (%d -> %d): bias %d is %s, but every "
                               "parameter must be a finite number.",
                               l + 1, in, out, j + 1, fmt_num((double)b[j]).s);
    }
    return set_ok(&net->err);
}

int nn_set_lr(nn_net *net, float lr) {
    if (!net) return NN_EINVAL;
    if (check_lr(lr, &net->err)) return NN_EINVAL;
    net->cfg.lr = lr;
    return set_ok(&net->err);
}

int nn_attach(nn_net *net, const nn_data *d) {
    if (!net) return NN_EINVAL;
    if (!d) return net_err(net, NN_EINVAL, "No data set was given to train on.");
    if (d->n > net->order_cap) {
        int *o = malloc((size_t)d->n * sizeof *o);
        if (!o)
            return net_err(net, NN_ENOMEM, "Not enough memory to attach a data set of %d rows.",
                           d->n);
        free(net->order);
        net->order = o;
        net->order_cap = d->n;
    }
    net->data = d;
    net->epoch_open = 0; /* the next step starts a new epoch */
    net->step_in_epoch = 0;
    net->step_n = net->step_done = 0;
    net->pos = 0;
    net->order_n = 0;
    return set_ok(&net->err);
}

void nn_set_shuffle(nn_net *net, int on) {
    if (net) net->shuffle = on != 0;
}

/* ---- forward / backward over one chunk --------------------------------- */

/* Copy rows of d into act[0] (B,64) and their labels into chunk_labels.
 * The 64 floats of a row are copied as 16 vectors written out (a loop or
 * memcpy would become a call to memcpy, which is slow in wasm). */
static void gather_chunk(nn_net *net, const nn_data *d, const int *rows, int B) {
    _Static_assert(NN_INPUTS == 64, "gather_chunk copies 64 floats");
    for (int s = 0; s < B; s++) {
        float *restrict dst = net->act[0] + s * NN_INPUTS;
        const float *restrict src = d->x + (size_t)rows[s] * NN_INPUTS;
#define NN_COPY4(k) v_store(dst + 4 * (k), v_load(src + 4 * (k)))
        NN_COPY4(0); NN_COPY4(1); NN_COPY4(2); NN_COPY4(3);
        NN_COPY4(4); NN_COPY4(5); NN_COPY4(6); NN_COPY4(7);
        NN_COPY4(8); NN_COPY4(9); NN_COPY4(10); NN_COPY4(11);
        NN_COPY4(12); NN_COPY4(13); NN_COPY4(14); NN_COPY4(15);
#undef NN_COPY4
        net->chunk_labels[s] = d->labels[rows[s]];
    }
}

/* act[0] (B,64) → pre[l], act[l] for l = 1..L */
static void forward_chunk(nn_net *net, int B) {
    const float *params = net->params;
    for (int l = 0; l < net->L; l++) {
        const int in = net->sizes[l], out = net->sizes[l + 1];
        const int hidden = l < net->L - 1, relu = hidden && net->cfg.hidden_act == NN_RELU;
        linear_forward(net->pre[l + 1], relu ? net->act[l + 1] : NULL, net->act[l],
                       params + net->woff[l], params + net->boff[l], B, in, out);
        if (hidden) {
            if (!relu)
                activation_forward(net->act[l + 1], net->pre[l + 1], B * out,
                                   net->cfg.hidden_act);
        } else if (net->cfg.output_act == NN_SOFTMAX) {
            softmax_forward(net->act[l + 1], net->sm_sum, net->pre[l + 1], B, out);
        } else {
            activation_forward(net->act[l + 1], net->pre[l + 1], B * out, net->cfg.output_act);
        }
    }
}

/* The softmax sums forward_chunk left, for cost_forward (NULL: none). */
static const float *sm_sums(const nn_net *net) {
    return net->cfg.output_act == NN_SOFTMAX ? net->sm_sum : NULL;
}

/* Accumulate scale·∂(Σ costs)/∂params of the chunk into grads (or store
 * them there, for the first chunk of a step: no need to clear grads). */
static void backward_chunk(nn_net *net, int B, float scale, int first) {
    const int L = net->L;
    float *delta = net->dbuf[0], *dprev = net->dbuf[1];
    cost_backward(delta, net->act[L], net->chunk_labels, B, NN_CLASSES, net->cfg.cost,
                  net->cfg.output_act, scale);
    for (int l = L - 1; l >= 0; l--) {
        const int in = net->sizes[l], out = net->sizes[l + 1];
        linear_backward(l > 0 ? dprev : NULL, net->grads + net->woff[l],
                        net->grads + net->boff[l], delta, net->act[l],
                        net->params + net->woff[l], B, in, out, first, net->cfg.hidden_act);
        if (l > 0) { /* dprev = ∂C/∂z of layer l: f' applied by linear_backward */
            float *t = delta;
            delta = dprev;
            dprev = t;
        }
    }
}

/* ---- optimisers (PyTorch conventions) -------------------------------------- */

/* SGD, p (P) -= lr · g in one pass: the old values go to `old`, the new
 * ones to p.  Only the new values are checked: with lr > 0 a gradient that is
 * not finite makes its new value infinite or NaN too, so g is scanned only
 * when something went wrong, to say which.  Returns 0, or 1 if a gradient is
 * not finite, 2 if an updated parameter would not be; then p is restored
 * from old (the same bits as before the step). */
static int sgd_step(float *restrict p, float *restrict old, const float *restrict g, float lr,
                    int P) {
    uint32_t bad = 0;
    for (int i = 0; i < P; i++) {
        const float o = p[i], n = o - lr * g[i];
        uint32_t un;
        memcpy(&un, &n, sizeof un);
        bad |= (uint32_t)((un & 0x7f800000u) == 0x7f800000u);
        old[i] = o;
        p[i] = n;
    }
    if (!bad) return 0;
    memcpy(p, old, (size_t)P * sizeof(float));
    return all_finite(g, P) ? 2 : 1;
}

/* v (P) = mu·v + g;  p (P) -= lr · v */
static void momentum_update(float *restrict p, float *restrict v, const float *restrict g,
                            float lr, float mu, int P) {
    for (int i = 0; i < P; i++) {
        v[i] = mu * v[i] + g[i];
        p[i] -= lr * v[i];
    }
}

/* m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²;
 * p -= (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + ε)   (as torch.optim.Adam) */
static void adam_update(float *restrict p, float *restrict m, float *restrict v,
                        const float *restrict g, float lr, float beta1, int t, int P) {
    const double bc1 = 1.0 - pow((double)beta1, (double)t);
    const double bc2 = 1.0 - pow((double)ADAM_BETA2, (double)t);
    const float step = (float)((double)lr / bc1);
    const float bc2_sqrt = (float)sqrt(bc2);
    for (int i = 0; i < P; i++) {
        m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
        v[i] = ADAM_BETA2 * v[i] + (1.0f - ADAM_BETA2) * g[i] * g[i];
        const float denom = sqrtf(v[i]) / bc2_sqrt + ADAM_EPS;
        p[i] -= step * (m[i] / denom);
    }
}

/* ---- training ----------------------------------------------------------- */

static void start_epoch(nn_net *net) {
    const nn_data *d = net->data;
    net->order_n = d->n_train;
    memcpy(net->order, d->train, (size_t)d->n_train * sizeof(int));
    if (net->shuffle) shuffle_ints(net->order, net->order_n, &net->shuffle_rng);
    net->pos = 0;
    net->step_in_epoch = 0;
    net->epoch_open = 1;
}

static int batch_of(const nn_net *net, int n) {
    return net->cfg.batch_size > 0 ? min_int(net->cfg.batch_size, n) : n;
}

/* A step (one batch, one update) goes in three parts, so that the page can
 * split a big one over several calls (nn_train_samples): step_begin picks
 * the batch, step_chunk adds the gradient of its next NN_CHUNK samples,
 * step_finish updates the parameters once the whole batch is in.  The chunks
 * are the same, in the same order, however the step is split. */
static int step_begin(nn_net *net) {
    if (!net->data)
        return net_err(net, NN_EINVAL,
                       "The network has no data to train on yet (attach a data set first).");
    if (!net->epoch_open) {
        if (net->data->n_train < 1)
            return net_err(net, NN_EINVAL, "The training set is empty, so there is nothing "
                                           "to train on.");
        start_epoch(net);
    }
    net->step_n = batch_of(net, net->order_n - net->pos);
    net->step_done = 0;
    net->step_cost = 0.0;
    return NN_OK;
}

/* The next chunk of the step in progress; returns its number of samples. */
static int step_chunk(nn_net *net) {
    const int n = net->step_n, c = net->step_done;
    const int B = min_int(NN_CHUNK, n - c);
    gather_chunk(net, net->data, net->order + net->pos + c, B);
    forward_chunk(net, B);
    net->step_cost += cost_forward(net->pre[net->L], net->act[net->L], sm_sums(net),
                                   net->chunk_labels, B, NN_CLASSES, net->cfg.cost);
    backward_chunk(net, B, 1.0f / (float)n, c == 0);
    net->step_done = c + B;
    return B;
}

static int step_finish(nn_net *net) {
    const int P = net->P;
    const int n = net->step_n;
    net->step_n = net->step_done = 0;
    const float batch_cost = (float)(net->step_cost / (double)n);

    /* L2: ∂C/∂W += λ·W (weights only) */
    const float wd = net->cfg.weight_decay;
    if (wd > 0.0f)
        for (int l = 0; l < net->L; l++) {
            const int k = net->sizes[l] * net->sizes[l + 1];
            axpy(net->grads + net->woff[l], wd, net->params + net->woff[l], k);
        }

    /* The parameters are untouched until the update, so the backup is
     * taken there (SGD takes it in its one pass and puts it back itself). */
    const char *what = NULL;
    int restore = 0; /* the parameters were changed (backup holds the old ones) */
    const char *const bad_cost = "the cost became infinite (or NaN)";
    const char *const bad_grad = "a gradient became infinite (or NaN)";
    const char *const bad_weight = "a weight became infinite (or NaN)";
    if (!isfinite(batch_cost)) {
        what = bad_cost; /* nothing changed yet */
    } else if (net->cfg.optimizer == NN_SGD) {
        const int bad = sgd_step(net->params, net->backup, net->grads, net->cfg.lr, P);
        what = bad == 1 ? bad_grad : bad == 2 ? bad_weight : NULL; /* p already restored */
    } else {
        restore = 1;
        memcpy(net->backup, net->params, (size_t)P * sizeof(float));
        if (!all_finite(net->grads, P)) {
            what = bad_grad;
        } else {
            if (net->cfg.optimizer == NN_MOMENTUM) {
                momentum_update(net->params, net->m, net->grads, net->cfg.lr, net->cfg.momentum,
                                P);
            } else {
                net->adam_t++;
                adam_update(net->params, net->m, net->v, net->grads, net->cfg.lr,
                            net->cfg.momentum, net->adam_t, P);
            }
            if (!all_finite(net->params, P)) what = bad_weight;
        }
    }
    if (what) {
        if (restore) memcpy(net->params, net->backup, (size_t)P * sizeof(float));
        memset(net->grads, 0, (size_t)P * sizeof(float));
        clear_optimizer(net);
        return net_err(net, NN_EDIVERGED,
                       "Training blew up at epoch %d, step %d: %s. The weights were put back "
                       "to their last good values. Try a smaller learning rate than %s.",
                       net->epochs_done + 1, net->step_in_epoch + 1, what,
                       fmt_num((double)net->cfg.lr).s);
    }
    net->last_cost = batch_cost;
    net->pos += n;
    net->step_in_epoch++;
    if (net->pos >= net->order_n) {
        net->epochs_done++;
        net->step_in_epoch = 0;
        net->epoch_open = 0;
    }
    return NN_OK;
}

/* One chunk of the step in progress (a new step is begun if none is), and
 * the update if that chunk completes the step (net->step_n is 0 again).
 * *samples gets the chunk's size. */
static int train_chunk(nn_net *net, int *samples) {
    if (!net->step_n) {
        const int rc = step_begin(net);
        if (rc) return rc;
    }
    *samples = step_chunk(net);
    return net->step_done == net->step_n ? step_finish(net) : NN_OK;
}

/* The step in progress to its end, or a whole new one. */
static int train_step(nn_net *net) {
    int rc, b;
    do rc = train_chunk(net, &b);
    while (rc == NN_OK && net->step_n);
    return rc;
}

int nn_train_steps(nn_net *net, int steps) {
    if (!net) return NN_EINVAL;
    if (steps < 0)
        return net_err(net, NN_EINVAL, "The number of steps cannot be negative (got %d).",
                       steps);
    for (int i = 0; i < steps; i++) {
        const int rc = train_step(net);
        if (rc) return rc;
    }
    return set_ok(&net->err);
}

int nn_train_epoch(nn_net *net) {
    if (!net) return NN_EINVAL;
    do {
        const int rc = train_step(net);
        if (rc) return rc;
    } while (net->epoch_open);
    return set_ok(&net->err);
}

int nn_train_samples(nn_net *net, int samples) {
    if (!net) return NN_EINVAL;
    if (samples < 1)
        return net_err(net, NN_EINVAL, "The number of samples must be at least 1 (got %d).",
                       samples);
    for (int done = 0; done < samples;) {
        int b;
        const int rc = train_chunk(net, &b);
        if (rc) return rc;
        done += b;
        if (!net->step_n && !net->epoch_open) break; /* the end of an epoch */
    }
    return set_ok(&net->err);
}

int nn_step_pending(const nn_net *net) { return net ? net->step_done : 0; }

int nn_epochs_done(const nn_net *net) { return net ? net->epochs_done : 0; }
int nn_step_in_epoch(const nn_net *net) { return net ? net->step_in_epoch : 0; }

int nn_steps_per_epoch(const nn_net *net) {
    if (!net || !net->data) return 0;
    const int n = net->epoch_open ? net->order_n : net->data->n_train;
    if (n < 1) return 0;
    const int b = batch_of(net, n);
    return (n + b - 1) / b;
}

float nn_last_batch_cost(const nn_net *net) { return net ? net->last_cost : NAN; }

/* ---- evaluation ------------------------------------------------------------ */

static int check_rows(nn_net *net, const nn_data *d, const int *rows, int n) {
    if (!d) return net_err(net, NN_EINVAL, "No data set was given.");
    if (n < 0) return net_err(net, NN_EINVAL, "The number of rows cannot be negative (got %d).", n);
    if (n > 0 && !rows) return net_err(net, NN_EINVAL, "No list of rows was given.");
    for (int i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= d->n)
            return net_err(net, NN_EINVAL,
                           "Row %d is not in the data set (it has rows 0 to %d).", rows[i],
                           d->n - 1);
    return NN_OK;
}

/* Runs the rows through the net; fills cost/accuracy/confusion, and when
 * outputs is not NULL the output activations of each row (n,10), in order. */
static int eval_rows(nn_net *net, const nn_data *d, const int *rows, int n, nn_eval *out,
                     float *outputs) {
    const int rc = check_rows(net, d, rows, n);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    double cost = 0.0;
    for (int c = 0; c < n; c += NN_CHUNK) {
        const int B = min_int(NN_CHUNK, n - c);
        gather_chunk(net, d, rows + c, B);
        forward_chunk(net, B);
        cost += cost_forward(net->pre[net->L], net->act[net->L], sm_sums(net),
                             net->chunk_labels, B, NN_CLASSES, net->cfg.cost);
        if (outputs)
            memcpy(outputs + (size_t)c * NN_CLASSES, net->act[net->L],
                   (size_t)B * NN_CLASSES * sizeof(float));
        for (int s = 0; s < B; s++) {
            const int y = net->chunk_labels[s];
            const int p = argmax(net->act[net->L] + s * NN_CLASSES, NN_CLASSES);
            out->confusion[y * NN_CLASSES + p]++;
            out->correct += p == y;
        }
    }
    out->count = n;
    out->cost = n > 0 ? (float)(cost / (double)n) : 0.0f;
    out->accuracy = n > 0 ? (float)out->correct / (float)n : 0.0f;
    return set_ok(&net->err);
}

int nn_evaluate(nn_net *net, int set, nn_eval *out) {
    return nn_evaluate_outputs(net, set, out, NULL);
}

int nn_evaluate_outputs(nn_net *net, int set, nn_eval *out, float *outputs) {
    if (!net) return NN_EINVAL;
    if (!out) return net_err(net, NN_EINVAL, "No place to put the result was given.");
    if (!net->data)
        return net_err(net, NN_EINVAL, "The network has no data set attached.");
    if (set != NN_SET_TRAIN && set != NN_SET_TEST && set != NN_SET_ALL)
        return net_err(net, NN_EINVAL,
                       "The set must be 0 (training), 1 (test) or 2 (all) (got %d).", set);
    return eval_rows(net, net->data, nn_data_set_indices(net->data, set),
                     nn_data_set_count(net->data, set), out, outputs);
}

int nn_evaluate_rows(nn_net *net, const nn_data *d, const int *rows, int n, nn_eval *out) {
    if (!net) return NN_EINVAL;
    if (!out) return net_err(net, NN_EINVAL, "No place to put the result was given.");
    return eval_rows(net, d, rows, n, out, NULL);
}

float nn_cost_rows(nn_net *net, const nn_data *d, const int *rows, int n) {
    if (!net) return NAN;
    nn_eval e;
    if (eval_rows(net, d, rows, n, &e, NULL)) return NAN;
    return e.cost;
}

/* ---- one sample ------------------------------------------------------------ */

static int check_input(nn_net *net, const float *x) {
    if (!x) return net_err(net, NN_EINVAL, "No input was given.");
    for (int i = 0; i < NN_INPUTS; i++)
        if (!isfinite(x[i]))
            return net_err(net, NN_EINVAL,
                           "The input must be 64 finite numbers, but value %d is %s.", i,
                           fmt_num((double)x[i]).s);
    return NN_OK;
}

int nn_trace(nn_net *net, const float *x, int label) {
    if (!net) return NN_EINVAL;
    int rc = check_input(net, x);
    if (rc) return rc;
    if (label < -1 || label > 9)
        return net_err(net, NN_EINVAL,
                       "The label must be a digit from 0 to 9, or -1 for none (got %d).", label);
    const int L = net->L;
    memcpy(net->ta[0], x, NN_INPUTS * sizeof(float));
    for (int l = 0; l < L; l++) {
        const int in = net->sizes[l], out = net->sizes[l + 1];
        linear_forward(net->tz[l + 1], NULL, net->ta[l], net->params + net->woff[l],
                       net->params + net->boff[l], 1, in, out);
        if (l < L - 1) activation_forward(net->ta[l + 1], net->tz[l + 1], out, net->cfg.hidden_act);
        else output_forward(net->ta[l + 1], net->tz[l + 1], 1, out, net->cfg.output_act);
    }
    net->trace_pred = argmax(net->ta[L], NN_CLASSES);
    memset(net->trace_grads, 0, (size_t)net->P * sizeof(float));
    for (int l = 0; l <= L; l++) memset(net->td[l], 0, (size_t)net->sizes[l] * sizeof(float));
    if (label < 0) {
        net->trace_cost = NAN;
        return set_ok(&net->err);
    }
    const uint8_t y = (uint8_t)label;
    net->trace_cost =
        (float)cost_forward(net->tz[L], net->ta[L], NULL, &y, 1, NN_CLASSES, net->cfg.cost);
    cost_backward(net->td[L], net->ta[L], &y, 1, NN_CLASSES, net->cfg.cost, net->cfg.output_act,
                  1.0f);
    for (int l = L - 1; l >= 0; l--) {
        const int in = net->sizes[l], out = net->sizes[l + 1];
        linear_backward(l > 0 ? net->td[l] : NULL, net->trace_grads + net->woff[l],
                        net->trace_grads + net->boff[l], net->td[l + 1], net->ta[l],
                        net->params + net->woff[l], 1, in, out, 1, net->cfg.hidden_act);
    }
    return set_ok(&net->err);
}

const float *nn_trace_z(const nn_net *net, int l) {
    return net && l >= 1 && l <= net->L ? net->tz[l] : NULL;
}
const float *nn_trace_a(const nn_net *net, int l) {
    return net && l >= 0 && l <= net->L ? net->ta[l] : NULL;
}
const float *nn_trace_delta(const nn_net *net, int l) {
    return net && l >= 1 && l <= net->L ? net->td[l] : NULL;
}
const float *nn_trace_grads(const nn_net *net) { return net ? net->trace_grads : NULL; }
float nn_trace_cost(const nn_net *net) { return net ? net->trace_cost : NAN; }
int nn_trace_predicted(const nn_net *net) { return net ? net->trace_pred : -1; }

int nn_predict(nn_net *net, const float *x, float *out10) {
    if (!net) return NN_EINVAL;
    const int rc = check_input(net, x);
    if (rc) return rc;
    if (!out10) return net_err(net, NN_EINVAL, "No place to put the output was given.");
    memcpy(net->act[0], x, NN_INPUTS * sizeof(float));
    forward_chunk(net, 1);
    memcpy(out10, net->act[net->L], NN_CLASSES * sizeof(float));
    return set_ok(&net->err);
}
