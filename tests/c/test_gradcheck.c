/*
 * test_gradcheck.c — the analytic gradients of the core against central
 * finite differences of an independent double-precision forward pass.
 *
 * The reference (ref_* below) is written from the header only: the layout
 * "layer 0's W (out×in, row-major), its b, layer 1's W, b, ...", the
 * activations, and the costs
 *     MSE:  C = 1/(2n) Σ Σ_k (a_k − y_k)²
 *     XENT: C = −1/n Σ log softmax(z)_label
 * plus, for the batch gradient in nn_grads, λ/2 · Σ W² over weights only
 * (whose derivative is the header's "λ·W added to ∂C/∂W, not to biases").
 * Finite differences: g_fd = (C(p+h) − C(p−h)) / 2h with h = 1e-5, all in
 * double, at the float parameters of the core converted to double.
 *
 * Error measure, per parameter i (ga = core, float32; gfd = reference;
 * G = max_j |gfd_j| over the parameters checked in that comparison):
 *     if max(|ga|, |gfd|) < 1e-7  -> "tiny": counted, not compared
 *     else err_i = |ga − gfd| / max(|ga| + |gfd|, 1e-6, 1e-2·G)
 *     and max_i err_i must be < 1e-3.
 * The 1e-2·G floor keeps components far smaller than the gradient's scale
 * (sums that cancel, e.g. data gradient + λW ≈ 0) from failing on float32
 * rounding: the core's absolute errors there are ~1e-8..1e-7, which is
 * 1e-4..1e-3 of a 1e-5 component (measured), but a real bug is an O(1)
 * error on whole classes of parameters (errors 0.18 to 1 in mutation runs).
 * Guard against a vacuous pass: over the checked parameters the FD gradient
 * must have L2 norm > 1e-6 and at least 30% of its entries with |gfd| > 1e-7
 * (20% for ReLU nets, whose narrow hidden layers have dead units; for the δ
 * of a ReLU hidden layer only "not all zero").  Digit rows have zero pixels,
 * whose first-layer weights rightly get zero gradient; random inputs don't.
 *
 * Covered: hidden sigmoid/tanh/relu × {MSE+softmax, MSE+sigmoid,
 * MSE+identity, XENT+softmax} × architectures 64,10 / 64,5,10 / 64,6,4,10:
 *   - nn_trace (single sample, real digit rows and random inputs): z and a of
 *     every layer, the cost, the prediction, nn_predict, every parameter's
 *     gradient, every layer's δ against FD of the cost w.r.t. that layer's z,
 *     and ∂C/∂W = δ·aᵀ, ∂C/∂b = δ;
 *   - nn_grads after one plain-SGD step of nn_train_steps (full batch of 7
 *     real rows and of 7 random-pixel rows; 7 rows with weight decay 0.05;
 *     batch 5 of 7 rows over two steps, the second batch being the smaller
 *     last one, shuffling off and a different seed per configuration; for
 *     64,6,4,10 also 150 rows = 3 chunks of NN_CHUNK with weight decay 0.01,
 *     200 random parameters), nn_last_batch_cost against the reference mean
 *     cost (no L2 term), and the SGD update p' = p − lr·g;
 *   - nn_trace with weight decay on: its grads are δ·aᵀ (no L2 term).
 * Set NN_TEST_VERBOSE=1 to print the max error of every comparison.
 */
#include "testutil.h"

#include <stdint.h>

#define FD_H 1e-5
#define REL_TOL 1e-3
#define TINY 1e-7
#define MAX_PARAMS 4096

/* ---- the independent double-precision reference ------------------------ */

typedef struct {
    int n_layers;
    int sizes[NN_MAX_LAYERS];
    int hid, out, cost;
    int woff[NN_MAX_LAYERS], boff[NN_MAX_LAYERS];
    int nparams;
} ref_net;

static void ref_init(ref_net *r, const nn_config *c)
{
    int l, off = 0;
    r->n_layers = c->n_layers;
    for (l = 0; l < c->n_layers; l++) r->sizes[l] = c->sizes[l];
    r->hid = c->hidden_act;
    r->out = c->output_act;
    r->cost = c->cost;
    for (l = 0; l + 1 < c->n_layers; l++) {
        r->woff[l] = off;
        off += r->sizes[l + 1] * r->sizes[l];
        r->boff[l] = off;
        off += r->sizes[l + 1];
    }
    r->nparams = off;
}

static double ref_act(int f, double z)
{
    switch (f) {
    case NN_SIGMOID: return 1.0 / (1.0 + exp(-z));
    case NN_TANH: return tanh(z);
    case NN_RELU: return z > 0 ? z : 0.0;
    case NN_IDENTITY: return z;
    default: return NAN;
    }
}

/* Activations of layer L (1..n_layers-1); layer 0 = the input. */
typedef struct {
    double z[NN_MAX_LAYERS][NN_MAX_WIDTH];
    double a[NN_MAX_LAYERS][NN_MAX_WIDTH];
} ref_state;

/* Forward pass of one sample; returns the sample's cost (n = 1, no L2) for
 * `label`.  If pl >= 1, z of layer pl, unit pi, is shifted by pd before its
 * activation (used to get ∂C/∂z by finite differences). */
static double ref_forward(const ref_net *r, const double *p, const double *x, int label,
                          int pl, int pi, double pd, ref_state *s)
{
    int l, i, j, L = r->n_layers - 1, K = r->sizes[L];
    double cost = 0.0;
    for (j = 0; j < NN_INPUTS; j++) s->a[0][j] = x[j];
    for (l = 0; l < L; l++) {
        int in = r->sizes[l], out = r->sizes[l + 1];
        const double *W = p + r->woff[l], *b = p + r->boff[l];
        for (i = 0; i < out; i++) {
            double z = b[i];
            for (j = 0; j < in; j++) z += W[i * in + j] * s->a[l][j];
            if (l + 1 == pl && i == pi) z += pd;
            s->z[l + 1][i] = z;
        }
        if (l + 1 < L) {
            for (i = 0; i < out; i++) s->a[l + 1][i] = ref_act(r->hid, s->z[l + 1][i]);
        } else if (r->out == NN_SOFTMAX) {
            double m = s->z[L][0], sum = 0.0;
            for (i = 1; i < out; i++) if (s->z[L][i] > m) m = s->z[L][i];
            for (i = 0; i < out; i++) sum += exp(s->z[L][i] - m);
            for (i = 0; i < out; i++) s->a[L][i] = exp(s->z[L][i] - m) / sum;
            if (r->cost == NN_XENT) cost = -(s->z[L][label] - m - log(sum));
        } else {
            for (i = 0; i < out; i++) s->a[L][i] = ref_act(r->out, s->z[L][i]);
        }
    }
    if (r->cost == NN_MSE) {
        for (i = 0; i < K; i++) {
            double d = s->a[L][i] - (i == label ? 1.0 : 0.0);
            cost += 0.5 * d * d;
        }
    }
    return cost;
}

/* Mean cost over n samples plus lambda/2 · Σ W² (weights only). */
static double ref_batch_cost(const ref_net *r, const double *p, const double *xs,
                             const int *labels, int n, double lambda)
{
    static ref_state s;
    double c = 0.0, w2 = 0.0;
    int k, l, i;
    for (k = 0; k < n; k++) c += ref_forward(r, p, xs + (size_t)k * NN_INPUTS, labels[k], 0, 0, 0, &s);
    c /= n;
    if (lambda != 0.0) {
        for (l = 0; l + 1 < r->n_layers; l++)
            for (i = 0; i < r->sizes[l + 1] * r->sizes[l]; i++) {
                double w = p[r->woff[l] + i];
                w2 += w * w;
            }
        c += 0.5 * lambda * w2;
    }
    return c;
}

/* FD gradient of ref_batch_cost for the parameters listed in idx. */
static void fd_grad(const ref_net *r, double *p, const double *xs, const int *labels, int n,
                    double lambda, const int *idx, int nidx, double *g)
{
    int t;
    for (t = 0; t < nidx; t++) {
        int i = idx[t];
        double v = p[i], cp, cm;
        p[i] = v + FD_H;
        cp = ref_batch_cost(r, p, xs, labels, n, lambda);
        p[i] = v - FD_H;
        cm = ref_batch_cost(r, p, xs, labels, n, lambda);
        p[i] = v;
        g[t] = (cp - cm) / (2 * FD_H);
    }
}

/* Which layer / kind a parameter index is (for messages). */
static void describe(const ref_net *r, int i, char *buf, size_t n)
{
    int l;
    if (!r) {
        snprintf(buf, n, "unit %d", i);
        return;
    }
    for (l = 0; l + 1 < r->n_layers; l++) {
        int in = r->sizes[l], out = r->sizes[l + 1];
        if (i >= r->woff[l] && i < r->boff[l]) {
            snprintf(buf, n, "W%d[%d][%d]", l, (i - r->woff[l]) / in, (i - r->woff[l]) % in);
            return;
        }
        if (i >= r->boff[l] && i < r->boff[l] + out) {
            snprintf(buf, n, "b%d[%d]", l, i - r->boff[l]);
            return;
        }
    }
    snprintf(buf, n, "param %d", i);
}

static int verbose;

/* Compares ga[idx[t]] (core) with gfd[t]; one CHECK for the error, two for
 * the non-vacuity guard. */
static void compare(const char *what, const ref_net *r, const float *ga, const int *idx, int nidx,
                    const double *gfd, double min_nonzero)
{
    int t, worst = -1, nonzero = 0, tiny = 0, printed = 0;
    double max_err = 0.0, norm = 0.0, G = 0.0;
    for (t = 0; t < nidx; t++) G = fmax(G, fabs(gfd[t]));
    for (t = 0; t < nidx; t++) {
        double a = ga[idx[t]], f = gfd[t], err;
        norm += f * f;
        if (fabs(f) > TINY) nonzero++;
        if (fabs(a) < TINY && fabs(f) < TINY) {
            tiny++;
            continue;
        }
        err = fabs(a - f) / fmax(fmax(fabs(a) + fabs(f), 1e-6), 1e-2 * G);
        if (!(err <= max_err)) {
            max_err = err;
            worst = t;
        }
        if (!(err < REL_TOL) && printed < 3) {
            char name[64];
            describe(r, idx[t], name, sizeof name);
            printf("  %s: %s analytic %.9g, finite difference %.9g, rel err %.3g\n", what, name,
                   a, f, err);
            printed++;
        }
    }
    norm = sqrt(norm);
    if (worst >= 0) {
        char name[64];
        describe(r, idx[worst], name, sizeof name);
        CHECK(max_err < REL_TOL, "%s: max rel err %.3g >= %g at %s (analytic %.9g, FD %.9g)", what,
              max_err, REL_TOL, name, ga[idx[worst]], gfd[worst]);
        if (verbose)
            printf("  ok %-60s max rel err %.2e at %s, %d/%d tiny, %d nonzero\n", what, max_err,
                   name, tiny, nidx, nonzero);
    } else {
        CHECK(0, "%s: no parameter was compared (all %d tiny)", what, nidx);
    }
    CHECK(norm > 1e-6, "%s: FD gradient norm %.3g is too small to test", what, norm);
    CHECK(nonzero >= min_nonzero * nidx && nonzero > 0,
          "%s: only %d of %d FD gradient entries are non-zero (want >= %.0f%%)", what, nonzero,
          nidx, 100 * min_nonzero);
}

/* ---- helpers around the core ------------------------------------------- */

static const char *act_name(int f)
{
    static const char *n[] = {"sigmoid", "tanh", "relu", "softmax", "identity"};
    return f >= 0 && f <= 4 ? n[f] : "?";
}

static void make_config(nn_config *c, const int *sizes, int nl, int hid, int out, int cost)
{
    static uint32_t seed = 7;
    int l;
    nn_config_default(c);
    c->n_layers = nl;
    for (l = 0; l < NN_MAX_LAYERS; l++) c->sizes[l] = l < nl ? sizes[l] : 0;
    c->hidden_act = hid;
    c->output_act = out;
    c->cost = cost;
    c->optimizer = NN_SGD;
    c->lr = 0.01f;
    c->weight_decay = 0.0f;
    c->seed = seed++; /* a new seed for every configuration: with shuffling off the
                         * batches must be rows in order whatever the seed */
}

/* Creates the net and gives every bias a random value (the initial zero
 * biases would hide a forward pass that ignores them): U[-0.5, 0.5), except
 * U[0.5, 1.5) for ReLU hidden layers so that few of their (narrow) layers'
 * units are dead and the gradients stay non-trivial. */
static nn_net *make_net(const nn_config *c, const ref_net *r, const char *what)
{
    nn_error err;
    nn_net *net;
    int l, i;
    float *p;
    memset(&err, 0, sizeof err);
    net = nn_create(c, &err);
    CHECK(net != NULL, "%s: nn_create failed: %d %s", what, err.code, err.message);
    if (!net) return NULL;
    CHECK(nn_param_count(net) == r->nparams, "%s: nn_param_count %d, want %d", what,
          nn_param_count(net), r->nparams);
    CHECK(nn_layer_count(net) == r->n_layers - 1, "%s: nn_layer_count %d, want %d", what,
          nn_layer_count(net), r->n_layers - 1);
    for (l = 0; l + 1 < r->n_layers; l++) {
        CHECK(nn_weight_offset(net, l) == r->woff[l] && nn_bias_offset(net, l) == r->boff[l] &&
                  nn_layer_in(net, l) == r->sizes[l] && nn_layer_out(net, l) == r->sizes[l + 1],
              "%s: layer %d: offsets W %d b %d in %d out %d, want %d %d %d %d", what, l,
              nn_weight_offset(net, l), nn_bias_offset(net, l), nn_layer_in(net, l),
              nn_layer_out(net, l), r->woff[l], r->boff[l], r->sizes[l], r->sizes[l + 1]);
    }
    if (nn_param_count(net) != r->nparams) {
        nn_free(net);
        return NULL;
    }
    p = nn_params(net);
    for (l = 0; l + 1 < r->n_layers; l++)
        for (i = 0; i < r->sizes[l + 1]; i++)
            p[r->boff[l] + i] = (float)(r->hid == NN_RELU && l + 2 < r->n_layers
                                            ? 0.5 + tu_uniform()
                                            : tu_uniform() - 0.5);
    CHECK(nn_params_changed(net) == NN_OK, "%s: nn_params_changed failed", what);
    return net;
}

static void params_to_double(nn_net *net, int n, double *out)
{
    const float *p = nn_params(net);
    int i;
    for (i = 0; i < n; i++) out[i] = p[i];
}

static int all_idx[MAX_PARAMS];

/* ---- single-sample checks through nn_trace ----------------------------- */

static void check_trace(nn_net *net, const ref_net *r, const float *xf, int label, const char *what)
{
    static double p[MAX_PARAMS], g[MAX_PARAMS];
    static ref_state s, s2;
    double x[NN_INPUTS], cost;
    int L = r->n_layers - 1, l, i, j, rc, best;
    char w[256];
    float out10[NN_CLASSES];
    const float *tg;

    for (j = 0; j < NN_INPUTS; j++) x[j] = xf[j];
    params_to_double(net, r->nparams, p);
    cost = ref_forward(r, p, x, label, 0, 0, 0, &s);

    /* forward only: label -1 */
    rc = nn_trace(net, xf, -1);
    CHECK(rc == NN_OK, "%s: nn_trace(label -1) returned %d", what, rc);
    CHECK(isnan(nn_trace_cost(net)), "%s: nn_trace_cost with label -1 is %g, want NaN", what,
          nn_trace_cost(net));

    rc = nn_trace(net, xf, label);
    CHECK(rc == NN_OK, "%s: nn_trace returned %d", what, rc);
    if (rc != NN_OK) return;

    /* every layer's z and a */
    for (j = 0; j < NN_INPUTS; j++)
        if (nn_trace_a(net, 0)[j] != xf[j]) break;
    CHECK(j == NN_INPUTS, "%s: trace a(0)[%d] = %g is not the input %g", what, j,
          j < NN_INPUTS ? nn_trace_a(net, 0)[j] : 0, j < NN_INPUTS ? xf[j] : 0);
    for (l = 1; l <= L; l++) {
        double maxdz = 0, maxda = 0;
        int wz = 0, wa = 0;
        for (i = 0; i < r->sizes[l]; i++) {
            double dz = fabs(nn_trace_z(net, l)[i] - s.z[l][i]) / fmax(1.0, fabs(s.z[l][i]));
            double da = fabs(nn_trace_a(net, l)[i] - s.a[l][i]) / fmax(1.0, fabs(s.a[l][i]));
            if (!(dz <= maxdz)) { maxdz = dz; wz = i; }
            if (!(da <= maxda)) { maxda = da; wa = i; }
        }
        CHECK(maxdz < 1e-5, "%s: z(%d)[%d] = %.9g, reference %.9g", what, l, wz,
              nn_trace_z(net, l)[wz], s.z[l][wz]);
        CHECK(maxda < 1e-5, "%s: a(%d)[%d] = %.9g, reference %.9g", what, l, wa,
              nn_trace_a(net, l)[wa], s.a[l][wa]);
    }
    CHECK(fabs(nn_trace_cost(net) - cost) <= 1e-5 * fmax(1.0, fabs(cost)),
          "%s: nn_trace_cost %.9g, reference %.9g", what, nn_trace_cost(net), cost);

    best = 0;
    for (i = 1; i < NN_CLASSES; i++) if (s.a[L][i] > s.a[L][best]) best = i;
    CHECK(nn_trace_predicted(net) == best, "%s: nn_trace_predicted %d, reference argmax %d", what,
          nn_trace_predicted(net), best);

    /* the parameter gradient */
    fd_grad(r, p, x, &label, 1, 0.0, all_idx, r->nparams, g);
    snprintf(w, sizeof w, "%s trace dC/dparams", what);
    compare(w, r, nn_trace_grads(net), all_idx, r->nparams, g, r->hid == NN_RELU ? 0.2 : 0.3);

    /* δ of every layer against FD of the cost w.r.t. that layer's z */
    for (l = 1; l <= L; l++) {
        double gd[NN_MAX_WIDTH];
        int didx[NN_MAX_WIDTH];
        for (i = 0; i < r->sizes[l]; i++) {
            double cp = ref_forward(r, p, x, label, l, i, FD_H, &s2);
            double cm = ref_forward(r, p, x, label, l, i, -FD_H, &s2);
            gd[i] = (cp - cm) / (2 * FD_H);
            didx[i] = i;
        }
        snprintf(w, sizeof w, "%s delta(%d)", what, l);
        compare(w, NULL, nn_trace_delta(net, l), didx, r->sizes[l], gd,
                l < L && r->hid == NN_RELU ? 0.0 : 0.3);
    }

    /* ∂C/∂W = δ·aᵀ and ∂C/∂b = δ, from the trace's own arrays */
    tg = nn_trace_grads(net);
    {
        double maxd = 0;
        int wi = 0;
        for (l = 0; l < L; l++) {
            const float *d = nn_trace_delta(net, l + 1), *a = nn_trace_a(net, l);
            for (i = 0; i < r->sizes[l + 1]; i++) {
                double e = fabs(tg[r->boff[l] + i] - d[i]);
                if (e > maxd) { maxd = e; wi = r->boff[l] + i; }
                for (j = 0; j < r->sizes[l]; j++) {
                    int k = r->woff[l] + i * r->sizes[l] + j;
                    e = fabs(tg[k] - (double)d[i] * a[j]) / fmax(1.0, fabs((double)d[i] * a[j]));
                    if (e > maxd) { maxd = e; wi = k; }
                }
            }
        }
        describe(r, wi, w, sizeof w);
        CHECK(maxd < 1e-6, "%s: trace grads differ from delta*a^T by %.3g at %s", what, maxd, w);
    }

    /* nn_predict gives the same output */
    rc = nn_predict(net, xf, out10);
    CHECK(rc == NN_OK, "%s: nn_predict returned %d", what, rc);
    for (i = 0; i < NN_CLASSES; i++)
        if (!(fabs(out10[i] - s.a[L][i]) <= 1e-5 * fmax(1.0, fabs(s.a[L][i])))) break;
    CHECK(i == NN_CLASSES, "%s: nn_predict[%d] = %.9g, reference %.9g", what, i,
          i < NN_CLASSES ? out10[i] : 0, i < NN_CLASSES ? s.a[L][i] : 0);
}

/* ---- batch checks through nn_train_steps / nn_grads -------------------- */

/* Trains `steps_to_check` SGD steps on data `d` (shuffle off, so batches are
 * rows in order) and checks, for each step, nn_grads against FD of the mean
 * cost of that step's rows + λ/2 ΣW², the batch cost and the SGD update.
 * If nidx < nparams, a random subset of parameters is checked. */
static void check_batch(const nn_config *c0, const nn_data *d, int batch, double lambda, int steps,
                        int nidx, const char *what)
{
    static double p[MAX_PARAMS], g[MAX_PARAMS];
    static float p0[MAX_PARAMS];
    static int idx[MAX_PARAMS];
    nn_config c = *c0;
    ref_net r;
    nn_net *net;
    int n = nn_data_count(d), step, row = 0, i, rc;
    double *xs = malloc(sizeof(double) * (size_t)n * NN_INPUTS);
    int *labels = malloc(sizeof(int) * (size_t)n);
    const uint8_t *px = nn_data_pixels(d), *lb = nn_data_labels(d);
    char w[256];

    for (i = 0; i < n * NN_INPUTS; i++) xs[i] = px[i] / 16.0; /* NN_SCALE_UNIT, from the header */
    for (i = 0; i < n; i++) labels[i] = lb[i];
    c.batch_size = batch;
    c.weight_decay = (float)lambda;
    lambda = c.weight_decay; /* the float the core sees */
    ref_init(&r, &c);
    net = make_net(&c, &r, what);
    if (!net) goto out;
    rc = nn_attach(net, d);
    CHECK(rc == NN_OK, "%s: nn_attach returned %d", what, rc);
    nn_set_shuffle(net, 0);

    if (nidx >= r.nparams) {
        nidx = r.nparams;
        for (i = 0; i < nidx; i++) idx[i] = i;
    } else {
        /* a random subset without repeats (partial Fisher–Yates) */
        int all[MAX_PARAMS];
        for (i = 0; i < r.nparams; i++) all[i] = i;
        for (i = 0; i < nidx; i++) {
            int j = i + (int)(tu_rand32() % (unsigned)(r.nparams - i)), t = all[i];
            all[i] = all[j];
            all[j] = t;
            idx[i] = all[i];
        }
    }

    for (step = 0; step < steps; step++) {
        int nb = batch == 0 ? n : (n - row < batch ? n - row : batch);
        double cost;
        float *pp = nn_params(net);
        const float *gg;
        memcpy(p0, pp, sizeof(float) * (size_t)r.nparams);
        params_to_double(net, r.nparams, p);
        rc = nn_train_steps(net, 1);
        CHECK(rc == NN_OK, "%s step %d: nn_train_steps returned %d (%s)", what, step + 1, rc,
              nn_last_error(net)->message);
        if (rc != NN_OK) break;
        cost = ref_batch_cost(&r, p, xs + (size_t)row * NN_INPUTS, labels + row, nb, 0.0);
        CHECK(fabs(nn_last_batch_cost(net) - cost) <= 1e-5 * fmax(1.0, cost),
              "%s step %d: nn_last_batch_cost %.9g, reference mean cost of rows %d..%d %.9g (the "
              "reported cost excludes L2)", what, step + 1, nn_last_batch_cost(net), row,
              row + nb - 1, cost);
        fd_grad(&r, p, xs + (size_t)row * NN_INPUTS, labels + row, nb, lambda, idx, nidx, g);
        snprintf(w, sizeof w, "%s step %d nn_grads", what, step + 1);
        gg = nn_grads(net);
        compare(w, &r, gg, idx, nidx, g, r.hid == NN_RELU ? 0.2 : 0.3);
        /* plain SGD: p' = p − lr·g, g being nn_grads (which holds the L2 term) */
        {
            double maxe = 0;
            int wi = 0;
            pp = nn_params(net);
            for (i = 0; i < r.nparams; i++) {
                double want = (double)p0[i] - (double)c.lr * gg[i];
                double e = fabs(pp[i] - want) / fmax(1.0, fabs(want));
                if (!(e <= maxe)) { maxe = e; wi = i; }
            }
            describe(&r, wi, w, sizeof w);
            CHECK(maxe < 1e-6, "%s step %d: SGD update: %s = %.9g, want p - lr*g = %.9g - %g*%.9g",
                  what, step + 1, w, pp[wi], p0[wi], c.lr, gg[wi]);
        }
        row += nb;
    }
    nn_free(net);
out:
    free(xs);
    free(labels);
}

int main(int argc, char **argv)
{
    static const int archs[][NN_MAX_LAYERS + 1] = {
        {2, 64, 10}, {3, 64, 5, 10}, {4, 64, 6, 4, 10}};
    static const int combos[][2] = {
        {NN_MSE, NN_SOFTMAX}, {NN_MSE, NN_SIGMOID}, {NN_MSE, NN_IDENTITY}, {NN_XENT, NN_SOFTMAX}};
    static const int hids[] = {NN_SIGMOID, NN_TANH, NN_RELU};
    const char *src = argc > 1 ? argv[1] : ".";
    nn_data *digits;
    nn_data *small = NULL, *chunky = NULL, *rnd = NULL;
    uint8_t px[150 * NN_INPUTS], lb[150];
    nn_error err;
    int a, h, k, i;

    verbose = getenv("NN_TEST_VERBOSE") != NULL;
    for (i = 0; i < MAX_PARAMS; i++) all_idx[i] = i;
    tu_srand(12345);
    digits = tu_load_digits(src, NN_SCALE_UNIT);
    if (!digits) return tu_finish();

    /* data sets for the batch checks: 7 real rows (row 100..106), 150 real
     * rows (every 11th row) and 7 rows of random pixels */
    memset(&err, 0, sizeof err);
    memcpy(px, nn_data_pixels(digits) + 100 * NN_INPUTS, 7 * NN_INPUTS);
    memcpy(lb, nn_data_labels(digits) + 100, 7);
    small = nn_data_from_bytes(px, lb, 7, NN_SCALE_UNIT, &err);
    CHECK(small != NULL, "nn_data_from_bytes(7 rows): %d %s", err.code, err.message);
    for (i = 0; i < 150; i++) {
        memcpy(px + i * NN_INPUTS, nn_data_pixels(digits) + (size_t)(i * 11) * NN_INPUTS, NN_INPUTS);
        lb[i] = nn_data_labels(digits)[i * 11];
    }
    chunky = nn_data_from_bytes(px, lb, 150, NN_SCALE_UNIT, &err);
    CHECK(chunky != NULL, "nn_data_from_bytes(150 rows): %d %s", err.code, err.message);
    for (i = 0; i < 7 * NN_INPUTS; i++) px[i] = (uint8_t)(tu_rand32() % 17);
    for (i = 0; i < 7; i++) lb[i] = (uint8_t)(tu_rand32() % 10);
    rnd = nn_data_from_bytes(px, lb, 7, NN_SCALE_UNIT, &err);
    CHECK(rnd != NULL, "nn_data_from_bytes(random rows): %d %s", err.code, err.message);
    if (!small || !chunky || !rnd) goto done;

    for (a = 0; a < 3; a++) {
        for (h = 0; h < 3; h++) {
            /* with no hidden layer the hidden activation plays no part */
            if (archs[a][0] == 2 && h > 0) continue;
            for (k = 0; k < 4; k++) {
                nn_config c;
                ref_net r;
                nn_net *net;
                char what[160], w2[200];
                int s;
                make_config(&c, archs[a] + 1, archs[a][0], hids[h], combos[k][1], combos[k][0]);
                ref_init(&r, &c);
                snprintf(what, sizeof what, "[%d layers, %s hidden, %s output, %s]", archs[a][0],
                         act_name(hids[h]), act_name(combos[k][1]),
                         combos[k][0] == NN_MSE ? "mse" : "xent");

                /* single samples: two real rows and two random inputs */
                net = make_net(&c, &r, what);
                if (net) {
                    for (s = 0; s < 4; s++) {
                        float x[NN_INPUTS];
                        int label, row = 3 + 601 * s;
                        if (s < 2) {
                            memcpy(x, nn_data_x(digits) + (size_t)row * NN_INPUTS, sizeof x);
                            label = nn_data_labels(digits)[row];
                            snprintf(w2, sizeof w2, "%s trace row %d", what, row);
                        } else {
                            for (i = 0; i < NN_INPUTS; i++) x[i] = (float)tu_uniform();
                            label = (int)(tu_rand32() % 10);
                            snprintf(w2, sizeof w2, "%s trace random input %d", what, s - 1);
                        }
                        check_trace(net, &r, x, label, w2);
                    }
                    nn_free(net);
                }

                /* batches through nn_train_steps */
                snprintf(w2, sizeof w2, "%s batch 0 of 7 rows", what);
                check_batch(&c, small, 0, 0.0, 1, MAX_PARAMS, w2);
                snprintf(w2, sizeof w2, "%s batch 0 of 7 random rows", what);
                check_batch(&c, rnd, 0, 0.0, 1, MAX_PARAMS, w2);
                snprintf(w2, sizeof w2, "%s weight decay 0.05, batch 0 of 7 rows", what);
                check_batch(&c, small, 0, 0.05, 1, MAX_PARAMS, w2);
                snprintf(w2, sizeof w2, "%s batch 5 of 7 rows", what);
                check_batch(&c, small, 5, 0.0, 2, MAX_PARAMS, w2);
                if (a == 2) { /* 3 chunks: 64 + 64 + 22 rows; a random 200 parameters */
                    snprintf(w2, sizeof w2, "%s weight decay 0.01, batch 0 of 150 rows", what);
                    check_batch(&c, chunky, 0, 0.01, 1, 200, w2);
                }
            }
        }
    }

    /* nn_trace's grads are ∂C/∂W = δ·aᵀ for the one sample: with weight
     * decay on they still hold no L2 term (the header: L2 is added to the
     * training gradient) — checked against FD of the data cost alone. */
    {
        nn_config c;
        ref_net r;
        nn_net *net;
        static const int sz[] = {64, 5, 10};
        make_config(&c, sz, 3, NN_TANH, NN_SOFTMAX, NN_XENT);
        c.weight_decay = 0.05f;
        ref_init(&r, &c);
        net = make_net(&c, &r, "trace with weight decay");
        if (net) {
            check_trace(net, &r, nn_data_x(digits) + 50 * NN_INPUTS, nn_data_labels(digits)[50],
                        "[weight decay 0.05: trace has no L2 term] row 50");
            nn_free(net);
        }
    }

done:
    if (small) nn_data_free(small);
    if (chunky) nn_data_free(chunky);
    if (rnd) nn_data_free(rnd);
    nn_data_free(digits);
    return tu_finish();
}
