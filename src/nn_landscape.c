/*
 * nn_landscape.c — a 2D slice of the cost landscape through the current
 * parameters, for the lesson's "real cost landscape" view.  See the last
 * section of nnmath.h for the API.
 *
 *     C(α, β) = cost of (θ + α·d1 + β·d2) on a list of rows
 *
 * θ = the network's parameters (P floats), d1, d2 = two directions with the
 * same layout (Li, Xu, Taylor, Studer, Goldstein 2018, "Visualizing the Loss
 * Landscape of Neural Nets"): random and "filter-normalised" (each neuron's
 * incoming weights scaled to the norm of that neuron's weights in θ, biases
 * 0), or the two main directions of a training path (§7 of the paper).
 *
 * Only the public API of nnmath.h is used (nn_params, nn_param_count, the
 * layer offsets and nn_cost_rows), so errors are reported through an
 * nn_error argument like the data functions do, not via nn_last_error.
 *
 * Every floating-point operation here is an IEEE basic operation or sqrt
 * (no exp/log/sin), in a fixed order, so native and wasm builds give the
 * same bits.
 */
#include "nnmath.h"
#include "nn_format.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ------------------------------------------------------------ */

static int ls_err(nn_error *e, int code, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static int ls_err(nn_error *e, int code, const char *fmt, ...) {
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        e->code = code;
        nn__vformat(e->message, sizeof e->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int ls_ok(nn_error *e) {
    if (e) {
        e->code = NN_OK;
        e->message[0] = '\0';
    }
    return NN_OK;
}

static int all_finite(const float *x, int n) {
    for (int i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* ---- a small 32-bit generator (splitmix32 with MurmurHash3's finaliser) -- */

static uint32_t ls_mix32(uint32_t z) {
    z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
    z = (z ^ (z >> 13)) * 0xC2B2AE35u;
    return z ^ (z >> 16);
}

typedef struct {
    uint32_t x;
} ls_rng;

static uint32_t ls_next(ls_rng *r) { return ls_mix32(r->x += 0x9E3779B9u); }

/* Roughly standard-normal: the sum of four uniform 24-bit integers, centred
 * (Irwin–Hall, variance 4/12 in units of 2^24, so × sqrt(3) / 2^24 gives
 * variance 1).  Integer sum, then one exact conversion: platform-independent. */
static double ls_gauss(ls_rng *r) {
    int32_t s = 0;
    for (int k = 0; k < 4; k++) s += (int32_t)(ls_next(r) >> 8);
    return ((double)s - 2.0 * 16777216.0) * (1.7320508075688772 / 16777216.0);
}

/* ---- directions -------------------------------------------------------- */

/* v (n) · w (n), summed in double in index order */
static double ls_dot(const float *v, const float *w, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += (double)v[i] * (double)w[i];
    return s;
}

/* dir (P): Gaussian entries, then every row of every W_l scaled to the norm of
 * the same row of theta; biases 0. */
static void filter_normalised(nn_net *net, const float *theta, ls_rng *r, float *dir) {
    const int P = nn_param_count(net), L = nn_layer_count(net);
    for (int i = 0; i < P; i++) dir[i] = (float)ls_gauss(r);
    for (int l = 0; l < L; l++) {
        const int in = nn_layer_in(net, l), out = nn_layer_out(net, l);
        const int wo = nn_weight_offset(net, l), bo = nn_bias_offset(net, l);
        for (int j = 0; j < out; j++) {
            float *drow = dir + wo + j * in;           /* (in) */
            const float *trow = theta + wo + j * in;   /* (in) */
            const double dn = sqrt(ls_dot(drow, drow, in));
            const double tn = sqrt(ls_dot(trow, trow, in));
            const double k = dn > 0.0 ? tn / dn : 0.0;
            for (int i = 0; i < in; i++) drow[i] = (float)((double)drow[i] * k);
        }
        memset(dir + bo, 0, (size_t)out * sizeof(float));
    }
}

int nn_landscape_directions(nn_net *net, uint32_t seed, float *d1, float *d2, nn_error *err) {
    if (!net) return ls_err(err, NN_EINVAL, "No network was given.");
    if (!d1 || !d2) return ls_err(err, NN_EINVAL, "No place to put the two directions was given.");
    if (d1 == d2) return ls_err(err, NN_EINVAL, "The two directions need two separate buffers.");
    ls_rng r = {ls_mix32(seed ^ 0x4C414E44u /* "LAND" */)};
    const float *theta = nn_params(net);
    filter_normalised(net, theta, &r, d1);
    filter_normalised(net, theta, &r, d2);
    return ls_ok(err);
}

/* ---- the slice --------------------------------------------------------- */

static int check_rows(const nn_data *d, const int *rows, int n, nn_error *err) {
    if (!d) return ls_err(err, NN_EINVAL, "No data set was given.");
    if (n < 1) return ls_err(err, NN_EINVAL, "The cost needs at least one row (got %d).", n);
    if (!rows) return ls_err(err, NN_EINVAL, "No list of rows was given.");
    const int count = nn_data_count(d);
    for (int i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= count)
            return ls_err(err, NN_EINVAL, "Row %d is not in the data set (it has rows 0 to %d).",
                          rows[i], count - 1);
    return NN_OK;
}

int nn_landscape_row(nn_net *net, const nn_data *d, const int *rows, int n, const float *d1,
                     const float *d2, float alpha, const float *betas, int n_betas, float *out,
                     nn_error *err) {
    if (!net) return ls_err(err, NN_EINVAL, "No network was given.");
    int rc = check_rows(d, rows, n, err);
    if (rc) return rc;
    if (!d1 || !d2) return ls_err(err, NN_EINVAL, "The two directions were not given.");
    if (n_betas < 1 || !betas || !out)
        return ls_err(err, NN_EINVAL, "At least one grid point (and a place for its cost) is needed.");
    if (!isfinite(alpha)) return ls_err(err, NN_EINVAL, "The grid coordinate alpha must be a finite number.");
    if (!all_finite(betas, n_betas))
        return ls_err(err, NN_EINVAL, "The grid coordinates beta must be finite numbers.");
    const int P = nn_param_count(net);
    if (!all_finite(d1, P) || !all_finite(d2, P))
        return ls_err(err, NN_EINVAL, "The directions must be finite numbers.");

    float *params = nn_params(net);                 /* (P) θ, changed and restored */
    float *theta = malloc((size_t)P * sizeof(float)); /* (P) a copy of θ */
    if (!theta) return ls_err(err, NN_ENOMEM, "Not enough memory for the cost landscape.");
    memcpy(theta, params, (size_t)P * sizeof(float));
    for (int j = 0; j < n_betas; j++) {
        const float beta = betas[j];
        /* params (P) = θ + (α·d1 + β·d2): α = β = 0 adds (±)0, so θ exactly */
        for (int i = 0; i < P; i++) params[i] = theta[i] + (alpha * d1[i] + beta * d2[i]);
        out[j] = nn_cost_rows(net, d, rows, n);
    }
    memcpy(params, theta, (size_t)P * sizeof(float));
    free(theta);
    return ls_ok(err);
}

/* ---- projections ------------------------------------------------------- */

int nn_landscape_project(nn_net *net, const float *thetas, int count, const float *d1,
                         const float *d2, float *xy, float *off, nn_error *err) {
    if (!net) return ls_err(err, NN_EINVAL, "No network was given.");
    if (count < 0) return ls_err(err, NN_EINVAL, "The number of points cannot be negative (got %d).", count);
    if (count == 0) return ls_ok(err);
    if (!thetas || !d1 || !d2 || !xy)
        return ls_err(err, NN_EINVAL, "The points, the directions and a place for the result are needed.");
    const int P = nn_param_count(net);
    const float *theta = nn_params(net);
    /* the 2×2 normal equations [a c; c b]·(x, y) = (d1·v, d2·v), v = p − θ */
    const double a = ls_dot(d1, d1, P), b = ls_dot(d2, d2, P), c = ls_dot(d1, d2, P);
    const double det = a * b - c * c;
    if (!(a > 0.0) || !(b > 0.0) || !(det > 1e-12 * a * b) || !isfinite(det))
        return ls_err(err, NN_EINVAL,
                      "The two directions must be finite, non-zero and not parallel.");
    for (int k = 0; k < count; k++) {
        const float *p = thetas + (size_t)k * (size_t)P; /* (P) */
        double u = 0.0, w = 0.0, vv = 0.0;
        for (int i = 0; i < P; i++) {
            const double v = (double)p[i] - (double)theta[i];
            u += (double)d1[i] * v;
            w += (double)d2[i] * v;
            vv += v * v;
        }
        const double x = (b * u - c * w) / det, y = (a * w - c * u) / det;
        if (!isfinite(x) || !isfinite(y))
            return ls_err(err, NN_EINVAL, "Point %d has a parameter that is not a finite number.", k + 1);
        xy[2 * k] = (float)x;
        xy[2 * k + 1] = (float)y;
        if (off) {
            /* |v − x·d1 − y·d2|² = vv − 2(x·u + y·w) + x²a + 2xy·c + y²b, but
             * computed directly for accuracy */
            double r2 = 0.0;
            for (int i = 0; i < P; i++) {
                const double e = ((double)p[i] - (double)theta[i]) - x * (double)d1[i] - y * (double)d2[i];
                r2 += e * e;
            }
            off[k] = vv > 0.0 ? (float)sqrt(r2 / vv) : 0.0f;
        }
    }
    return ls_ok(err);
}

/* ---- directions along a path --------------------------------------------
 * G (n,n) = V·Vᵀ with V's rows v_k = p_k − θ; eigenvectors of G by cyclic
 * Jacobi rotations; the direction of eigenvector u is Vᵀ·u / |Vᵀ·u|, and its
 * eigenvalue over trace(G) is the fraction of Σ|v_k|² it explains. */

static void jacobi_eigen(double *G, double *U, int n) {
    /* G (n,n) symmetric, destroyed (its diagonal ends up holding the
     * eigenvalues); U (n,n) = the eigenvectors, in columns */
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) U[i * n + j] = i == j ? 1.0 : 0.0;
    for (int sweep = 0; sweep < 60; sweep++) {
        double offd = 0.0, diag = 0.0;
        for (int i = 0; i < n; i++) {
            diag += G[i * n + i] * G[i * n + i];
            for (int j = i + 1; j < n; j++) offd += G[i * n + j] * G[i * n + j];
        }
        if (offd <= 1e-30 * diag || offd == 0.0) break;
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                const double gpq = G[p * n + q];
                if (gpq == 0.0) continue;
                const double gpp = G[p * n + p], gqq = G[q * n + q];
                const double th = (gqq - gpp) / (2.0 * gpq);
                const double t = (th >= 0.0 ? 1.0 : -1.0) / (fabs(th) + sqrt(th * th + 1.0));
                const double cs = 1.0 / sqrt(t * t + 1.0), sn = t * cs;
                for (int k = 0; k < n; k++) { /* columns p, q */
                    const double gkp = G[k * n + p], gkq = G[k * n + q];
                    G[k * n + p] = cs * gkp - sn * gkq;
                    G[k * n + q] = sn * gkp + cs * gkq;
                }
                for (int k = 0; k < n; k++) { /* rows p, q */
                    const double gpk = G[p * n + k], gqk = G[q * n + k];
                    G[p * n + k] = cs * gpk - sn * gqk;
                    G[q * n + k] = sn * gpk + cs * gqk;
                }
                for (int k = 0; k < n; k++) {
                    const double ukp = U[k * n + p], ukq = U[k * n + q];
                    U[k * n + p] = cs * ukp - sn * ukq;
                    U[k * n + q] = sn * ukp + cs * ukq;
                }
            }
        }
    }
}

/* dir (P) = Σ_k u[k·stride]·(p_k − θ), normalised; returns its norm before */
static double combine(const float *thetas, const float *theta, int count, int P,
                      const double *u, int stride, float *dir, double *acc) {
    for (int i = 0; i < P; i++) acc[i] = 0.0;
    for (int k = 0; k < count; k++) {
        const double uk = u[k * stride];
        const float *p = thetas + (size_t)k * (size_t)P;
        for (int i = 0; i < P; i++) acc[i] += uk * ((double)p[i] - (double)theta[i]);
    }
    double nrm = 0.0;
    for (int i = 0; i < P; i++) nrm += acc[i] * acc[i];
    nrm = sqrt(nrm);
    for (int i = 0; i < P; i++) dir[i] = nrm > 0.0 ? (float)(acc[i] / nrm) : 0.0f;
    return nrm;
}

/* Eigenvectors have no sign: flip dir (P) so that the first point of the path,
 * p_0 − θ, has a coordinate <= 0 along it (the path runs towards +). */
static void orient(const float *thetas, const float *theta, int P, float *dir) {
    double s = 0.0;
    for (int i = 0; i < P; i++) s += ((double)thetas[i] - (double)theta[i]) * (double)dir[i];
    if (s > 0.0)
        for (int i = 0; i < P; i++) dir[i] = -dir[i];
}

int nn_landscape_path_directions(nn_net *net, const float *thetas, int count, float *d1,
                                 float *d2, float *explained, nn_error *err) {
    if (!net) return ls_err(err, NN_EINVAL, "No network was given.");
    if (count < 1 || count > NN_LANDSCAPE_MAX_PATH)
        return ls_err(err, NN_EINVAL, "The path needs 1 to %d points (got %d).",
                      NN_LANDSCAPE_MAX_PATH, count);
    if (!thetas || !d1 || !d2 || d1 == d2)
        return ls_err(err, NN_EINVAL, "The points and two separate direction buffers are needed.");
    const int P = nn_param_count(net);
    if (!all_finite(thetas, count * P))
        return ls_err(err, NN_EINVAL, "The points of the path must be finite numbers.");
    const float *theta = nn_params(net);
    const size_t nn2 = (size_t)count * (size_t)count;
    double *G = malloc(2 * nn2 * sizeof(double) + (size_t)P * sizeof(double));
    if (!G) return ls_err(err, NN_ENOMEM, "Not enough memory for the path directions.");
    double *U = G + nn2, *acc = U + nn2;
    /* G (count,count) = V·Vᵀ */
    for (int k = 0; k < count; k++) {
        const float *pk = thetas + (size_t)k * (size_t)P;
        for (int m = 0; m <= k; m++) {
            const float *pm = thetas + (size_t)m * (size_t)P;
            double s = 0.0;
            for (int i = 0; i < P; i++)
                s += ((double)pk[i] - (double)theta[i]) * ((double)pm[i] - (double)theta[i]);
            G[k * count + m] = G[m * count + k] = s;
        }
    }
    double trace = 0.0;
    for (int k = 0; k < count; k++) trace += G[k * count + k];
    if (!(trace > 0.0)) {
        free(G);
        return ls_err(err, NN_EINVAL,
                      "Every point of the path equals the current parameters: there is no path "
                      "to follow yet (train a little first).");
    }
    jacobi_eigen(G, U, count);
    /* the two largest eigenvalues (ties: the lower index) */
    int i1 = 0, i2 = -1;
    for (int k = 1; k < count; k++)
        if (G[k * count + k] > G[i1 * count + i1]) i1 = k;
    for (int k = 0; k < count; k++)
        if (k != i1 && (i2 < 0 || G[k * count + k] > G[i2 * count + i2])) i2 = k;
    const double e1 = G[i1 * count + i1] > 0.0 ? G[i1 * count + i1] : 0.0;
    double e2 = i2 >= 0 && G[i2 * count + i2] > 0.0 ? G[i2 * count + i2] : 0.0;
    combine(thetas, theta, count, P, U + i1, count, d1, acc);
    orient(thetas, theta, P, d1);
    double n2 = 0.0;
    if (i2 >= 0 && e2 > 1e-12 * e1) {
        n2 = combine(thetas, theta, count, P, U + i2, count, d2, acc);
        orient(thetas, theta, P, d2);
    }
    if (!(n2 > 0.0)) {
        /* the path is a straight line: any unit direction orthogonal to d1 */
        ls_rng r = {ls_mix32(0x50415448u /* "PATH" */)};
        for (int i = 0; i < P; i++) acc[i] = ls_gauss(&r);
        double c = 0.0, nrm = 0.0;
        for (int i = 0; i < P; i++) c += acc[i] * (double)d1[i];
        for (int i = 0; i < P; i++) acc[i] -= c * (double)d1[i];
        for (int i = 0; i < P; i++) nrm += acc[i] * acc[i];
        nrm = sqrt(nrm);
        for (int i = 0; i < P; i++) d2[i] = (float)(acc[i] / nrm);
        e2 = 0.0;
    }
    if (explained) {
        explained[0] = (float)(e1 / trace);
        explained[1] = (float)(e2 / trace);
    }
    free(G);
    return ls_ok(err);
}
