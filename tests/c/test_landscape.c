/*
 * test_landscape.c — the cost landscape (src/nn_landscape.c).
 *
 * On the digits (split 0.2, seed 1) with the "improved" network (64,32,10,
 * ReLU, softmax, cross-entropy, SGD 0.1, batch 32) trained for 2 epochs, and
 * with the "simple" one (64,8,10, sigmoid, MSE) untrained:
 *   - directions: biases 0; each row of each W has the norm of θ's row;
 *     deterministic (same seed → same bits, other seed → other numbers);
 *     d1 and d2 nearly orthogonal; θ unchanged;
 *   - nn_landscape_row: the centre (α = β = 0) equals nn_cost_rows bit for
 *     bit; any point equals nn_cost_rows at θ + (α·d1 + β·d2) set by hand;
 *     θ is bit-identical after every call (also after errors);
 *     one grid row in pieces equals the whole row;
 *   - errors: bad rows, NULLs, non-finite coordinates → NN_EINVAL + message;
 *   - nn_landscape_project: θ → (0, 0); θ + a·d1 + b·d2 → (a, b), off ≈ 0;
 *   - nn_landscape_path_directions: orthonormal, the path lies in the plane
 *     (off ≈ 0, explained sums to 1), the first point has coordinates <= 0;
 *   - the time of a 31×31 grid over 500 training rows is printed (not checked).
 */
#include "testutil.h"

#include <stdint.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static nn_net *make_net(const nn_data *d, int improved)
{
    nn_config cfg;
    nn_error err;
    nn_net *net;
    nn_config_default(&cfg);
    if (improved) {
        cfg.n_layers = 3;
        cfg.sizes[0] = 64;
        cfg.sizes[1] = 32;
        cfg.sizes[2] = 10;
        cfg.hidden_act = NN_RELU;
        cfg.output_act = NN_SOFTMAX;
        cfg.cost = NN_XENT;
    }
    net = nn_create(&cfg, &err);
    if (!net) {
        tu_fail(__FILE__, __LINE__, "nn_create: %s", err.message);
        return NULL;
    }
    if (nn_attach(net, d) != NN_OK) tu_fail(__FILE__, __LINE__, "nn_attach failed");
    return net;
}

static int same_bits(const float *a, const float *b, int n)
{
    return memcmp(a, b, (size_t)n * sizeof(float)) == 0;
}

static double dotd(const float *a, const float *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++) s += (double)a[i] * b[i];
    return s;
}

static void check_directions(nn_net *net, const char *name)
{
    const int P = nn_param_count(net), L = nn_layer_count(net);
    float *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    float *e1 = malloc(P * sizeof *e1), *e2 = malloc(P * sizeof *e2);
    float *before = malloc(P * sizeof *before);
    nn_error err;
    memcpy(before, nn_params(net), P * sizeof *before);
    CHECK(nn_landscape_directions(net, 7, d1, d2, &err) == NN_OK, "%s: directions: %s", name, err.message);
    CHECK(err.code == NN_OK, "%s: err.code %d after success", name, err.code);
    CHECK(same_bits(before, nn_params(net), P), "%s: directions changed the parameters", name);
    int bias_nonzero = 0, bad_rows = 0, rows = 0;
    for (int l = 0; l < L; l++) {
        const int in = nn_layer_in(net, l), out = nn_layer_out(net, l);
        const int wo = nn_weight_offset(net, l), bo = nn_bias_offset(net, l);
        for (int j = 0; j < out; j++) {
            if (d1[bo + j] != 0.0f || d2[bo + j] != 0.0f) bias_nonzero++;
            const double tn = sqrt(dotd(before + wo + j * in, before + wo + j * in, in));
            const double n1 = sqrt(dotd(d1 + wo + j * in, d1 + wo + j * in, in));
            const double n2 = sqrt(dotd(d2 + wo + j * in, d2 + wo + j * in, in));
            rows++;
            if (fabs(n1 - tn) > 1e-5 * tn || fabs(n2 - tn) > 1e-5 * tn) {
                if (bad_rows < 3)
                    printf("  %s layer %d row %d: |θ| %.9g, |d1| %.9g, |d2| %.9g\n", name, l, j, tn, n1, n2);
                bad_rows++;
            }
        }
    }
    CHECK(bias_nonzero == 0, "%s: %d bias entries of the directions are not 0", name, bias_nonzero);
    CHECK(bad_rows == 0, "%s: %d of %d rows do not have the norm of θ's row", name, bad_rows, rows);
    const double cosang = dotd(d1, d2, P) / sqrt(dotd(d1, d1, P) * dotd(d2, d2, P));
    CHECK(fabs(cosang) < 0.15, "%s: d1 and d2 should be nearly orthogonal, cos = %.4f", name, cosang);
    /* the entries look Gaussian-ish: not all the same size (the kurtosis of
     * the normalised entries of the first layer is between 2 and 4.5) */
    {
        const int n = nn_layer_in(net, 0) * nn_layer_out(net, 0);
        double m2 = 0, m4 = 0;
        for (int i = 0; i < n; i++) {
            /* divide by θ's row norm so rows are comparable */
            const int in = nn_layer_in(net, 0), j = i / in;
            const double tn = sqrt(dotd(before + j * in, before + j * in, in)) / sqrt((double)in);
            const double v = d1[i] / tn;
            m2 += v * v;
            m4 += v * v * v * v;
        }
        m2 /= n;
        m4 /= n;
        const double kurt = m4 / (m2 * m2);
        CHECK(kurt > 2.0 && kurt < 4.5, "%s: kurtosis of d1's first layer %.3f (Gaussian: 3)", name, kurt);
    }
    /* determinism */
    CHECK(nn_landscape_directions(net, 7, e1, e2, &err) == NN_OK, "%s: directions again", name);
    CHECK(same_bits(d1, e1, P) && same_bits(d2, e2, P), "%s: same seed gave other directions", name);
    CHECK(nn_landscape_directions(net, 8, e1, e2, NULL) == NN_OK, "%s: directions with NULL err", name);
    CHECK(!same_bits(d1, e1, P) && !same_bits(d2, e2, P), "%s: another seed gave the same directions", name);
    CHECK(!same_bits(d1, d2, P), "%s: d1 == d2", name);
    /* errors */
    CHECK(nn_landscape_directions(net, 7, NULL, d2, &err) == NN_EINVAL && err.message[0],
          "%s: NULL d1 accepted", name);
    CHECK(nn_landscape_directions(net, 7, d1, d1, &err) == NN_EINVAL, "%s: d1 == d2 accepted", name);
    CHECK(nn_landscape_directions(NULL, 7, d1, d2, &err) == NN_EINVAL, "%s: NULL net accepted", name);
    free(d1); free(d2); free(e1); free(e2); free(before);
}

static void check_slice(nn_net *net, const nn_data *d, const char *name)
{
    const int P = nn_param_count(net);
    const int *train = nn_data_set_indices(d, NN_SET_TRAIN);
    const int n = 500;
    float *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    float *before = malloc(P * sizeof *before), *manual = malloc(P * sizeof *manual);
    float betas[31], out[31], part[31];
    nn_error err;
    CHECK(nn_data_set_count(d, NN_SET_TRAIN) >= n, "%s: not enough training rows", name);
    memcpy(before, nn_params(net), P * sizeof *before);
    nn_landscape_directions(net, 3, d1, d2, &err);
    for (int j = 0; j < 31; j++) betas[j] = (float)(j - 15) / 15.0f;
    CHECK(betas[15] == 0.0f, "%s: the grid should hold 0", name);

    /* the centre row */
    const float centre = nn_cost_rows(net, d, train, n);
    CHECK(isfinite(centre) && centre > 0, "%s: centre cost %g", name, centre);
    CHECK(nn_landscape_row(net, d, train, n, d1, d2, 0.0f, betas, 31, out, &err) == NN_OK,
          "%s: row: %s", name, err.message);
    CHECK(memcmp(&out[15], &centre, sizeof centre) == 0,
          "%s: the centre of the grid %.9g is not the current cost %.9g", name, out[15], centre);
    CHECK(same_bits(before, nn_params(net), P), "%s: θ changed after a row", name);
    CHECK(memcmp(&centre, &(float){nn_cost_rows(net, d, train, n)}, sizeof centre) == 0,
          "%s: cost changed after a row", name);
    /* the trained (or initial) point is a valley along β at α = 0 */
    if (strcmp(name, "improved") == 0)
        CHECK(out[0] > centre && out[30] > centre, "%s: cost at β = ±1 (%g, %g) should exceed the centre %g",
              name, out[0], out[30], centre);

    /* any point = nn_cost_rows at θ + (α·d1 + β·d2) set by hand */
    const float alphas[3] = {-1.0f, 0.4f, 2.0f / 3.0f};
    for (int a = 0; a < 3; a++) {
        CHECK(nn_landscape_row(net, d, train, n, d1, d2, alphas[a], betas, 31, out, &err) == NN_OK,
              "%s: row α=%g", name, alphas[a]);
        int mismatches = 0;
        for (int j = 0; j < 31; j += 5) {
            for (int i = 0; i < P; i++) manual[i] = before[i] + (alphas[a] * d1[i] + betas[j] * d2[i]);
            memcpy(nn_params(net), manual, P * sizeof *manual);
            const float c = nn_cost_rows(net, d, train, n);
            memcpy(nn_params(net), before, P * sizeof *before);
            if (memcmp(&c, &out[j], sizeof c) != 0) {
                printf("  %s α=%g β=%g: row %.9g, by hand %.9g\n", name, alphas[a], betas[j], out[j], c);
                mismatches++;
            }
        }
        CHECK(mismatches == 0, "%s: %d grid points differ from the cost set by hand", name, mismatches);
        CHECK(same_bits(before, nn_params(net), P), "%s: θ changed after row α=%g", name, alphas[a]);
        /* the same row in pieces of 4 */
        for (int j = 0; j < 31; j += 4) {
            const int k = j + 4 <= 31 ? 4 : 31 - j;
            nn_landscape_row(net, d, train, n, d1, d2, alphas[a], betas + j, k, part + j, NULL);
        }
        CHECK(same_bits(out, part, 31), "%s: the row in pieces differs (α=%g)", name, alphas[a]);
    }

    /* far away the cost may overflow: stored, θ still restored */
    {
        float far[2] = {1e30f, -1e30f}, o2[2];
        CHECK(nn_landscape_row(net, d, train, 50, d1, d2, 1e30f, far, 2, o2, &err) == NN_OK,
              "%s: far row: %s", name, err.message);
        CHECK(same_bits(before, nn_params(net), P), "%s: θ changed after a far row", name);
    }

    /* errors leave θ alone */
    {
        int bad_rows[3] = {0, 5, 99999};
        float nanb[2] = {0.0f, NAN};
        CHECK(nn_landscape_row(net, d, bad_rows, 3, d1, d2, 0.0f, betas, 31, out, &err) == NN_EINVAL &&
              tu_has_word_num(err.message, "row", 99999), "%s: bad row: %d %s", name, err.code, err.message);
        CHECK(nn_landscape_row(net, d, train, 0, d1, d2, 0.0f, betas, 31, out, &err) == NN_EINVAL,
              "%s: n = 0 accepted", name);
        CHECK(nn_landscape_row(net, d, train, n, d1, d2, NAN, betas, 31, out, &err) == NN_EINVAL &&
              tu_contains_ci(err.message, "alpha"), "%s: NaN alpha: %s", name, err.message);
        CHECK(nn_landscape_row(net, d, train, n, d1, d2, 0.0f, nanb, 2, out, &err) == NN_EINVAL,
              "%s: NaN beta accepted", name);
        CHECK(nn_landscape_row(net, d, train, n, d1, d2, 0.0f, betas, 0, out, &err) == NN_EINVAL,
              "%s: 0 betas accepted", name);
        CHECK(nn_landscape_row(net, d, train, n, NULL, d2, 0.0f, betas, 31, out, &err) == NN_EINVAL,
              "%s: NULL d1 accepted", name);
        CHECK(nn_landscape_row(net, NULL, train, n, d1, d2, 0.0f, betas, 31, out, &err) == NN_EINVAL,
              "%s: NULL data accepted", name);
        float saved = d2[3];
        d2[3] = INFINITY;
        CHECK(nn_landscape_row(net, d, train, n, d1, d2, 0.0f, betas, 31, out, &err) == NN_EINVAL,
              "%s: infinite direction accepted", name);
        d2[3] = saved;
        CHECK(same_bits(before, nn_params(net), P), "%s: θ changed after errors", name);
    }
    free(d1); free(d2); free(before); free(manual);
}

static void check_project(nn_net *net, const char *name)
{
    const int P = nn_param_count(net);
    float *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    float *pts = malloc(3 * P * sizeof *pts), xy[6], off[3];
    const float *theta = nn_params(net);
    nn_error err;
    nn_landscape_directions(net, 11, d1, d2, NULL);
    for (int i = 0; i < P; i++) {
        pts[i] = theta[i];
        pts[P + i] = theta[i] + (0.3f * d1[i] - 0.7f * d2[i]);
        pts[2 * P + i] = theta[i] + 0.25f * d1[i];
    }
    /* an extra step orthogonal to the plane on the last point:
     * e = unit vector on a bias entry (d1, d2 are 0 there) */
    pts[2 * P + nn_bias_offset(net, 0)] += 5.0f;
    CHECK(nn_landscape_project(net, pts, 3, d1, d2, xy, off, &err) == NN_OK, "%s: project: %s", name, err.message);
    CHECK(xy[0] == 0.0f && xy[1] == 0.0f && off[0] == 0.0f, "%s: θ projects to (%g, %g), off %g", name, xy[0], xy[1], off[0]);
    CHECK_NEAR(xy[2], 0.3, 1e-5, "project α");
    CHECK_NEAR(xy[3], -0.7, 1e-5, "project β");
    CHECK_NEAR(off[1], 0.0, 1e-3, "project off (in the plane)");
    CHECK_NEAR(xy[4], 0.25, 1e-5, "project α with an orthogonal part");
    CHECK_NEAR(xy[5], 0.0, 1e-5, "project β with an orthogonal part");
    {
        const double inplane = 0.25 * sqrt(dotd(d1, d1, P));
        const double want = 5.0 / sqrt(25.0 + inplane * inplane);
        CHECK_NEAR(off[2], want, 1e-4, "project off (orthogonal part)");
    }
    CHECK(nn_landscape_project(net, pts, 3, d1, d2, xy, NULL, &err) == NN_OK, "%s: project without off", name);
    CHECK(nn_landscape_project(net, pts, 0, d1, d2, xy, off, &err) == NN_OK, "%s: project 0 points", name);
    CHECK(nn_landscape_project(net, pts, 3, d1, d1, xy, off, &err) == NN_EINVAL && err.message[0],
          "%s: parallel directions accepted", name);
    CHECK(nn_landscape_project(net, pts, -1, d1, d2, xy, off, &err) == NN_EINVAL, "%s: count -1 accepted", name);
    free(d1); free(d2); free(pts);
}

/* a path recorded while training: the plane of its two principal directions
 * holds most of it */
static void check_path(const nn_data *d)
{
    nn_net *net = make_net(d, 1);
    if (!net) return;
    const int P = nn_param_count(net), K = 12;
    float *snaps = malloc((size_t)K * P * sizeof *snaps);
    float *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    float *xy = malloc(2 * K * sizeof *xy), *off = malloc(K * sizeof *off), expl[2];
    nn_error err;
    for (int k = 0; k < K; k++) {
        memcpy(snaps + (size_t)k * P, nn_params(net), P * sizeof *snaps);
        nn_train_steps(net, 10);
    }
    float *before = malloc(P * sizeof *before);
    memcpy(before, nn_params(net), P * sizeof *before);
    CHECK(nn_landscape_path_directions(net, snaps, K, d1, d2, expl, &err) == NN_OK, "path: %s", err.message);
    CHECK(same_bits(before, nn_params(net), P), "path directions changed θ");
    CHECK_NEAR(dotd(d1, d1, P), 1.0, 1e-5, "|d1|² of the path directions");
    CHECK_NEAR(dotd(d2, d2, P), 1.0, 1e-5, "|d2|² of the path directions");
    CHECK_NEAR(dotd(d1, d2, P), 0.0, 1e-5, "d1·d2 of the path directions");
    CHECK(expl[0] >= expl[1] && expl[1] >= 0 && expl[0] + expl[1] <= 1.0f + 1e-5f && expl[0] > 0.5f,
          "path: explained %g, %g", expl[0], expl[1]);
    CHECK(nn_landscape_project(net, snaps, K, d1, d2, xy, off, &err) == NN_OK, "path project: %s", err.message);
    CHECK(xy[0] <= 0 && xy[1] <= 0, "path: the first point should have coordinates <= 0, got (%g, %g)", xy[0], xy[1]);
    /* Σ off² |v|² = (1 − explained) Σ |v|²  (the part outside the plane) */
    {
        double tot = 0, outside = 0;
        for (int k = 0; k < K; k++) {
            double vv = 0;
            for (int i = 0; i < P; i++) {
                const double v = (double)snaps[(size_t)k * P + i] - before[i];
                vv += v * v;
            }
            tot += vv;
            outside += (double)off[k] * off[k] * vv;
        }
        CHECK_NEAR(outside / tot, 1.0 - expl[0] - expl[1], 1e-4, "path: share outside the plane");
    }
    /* determinism */
    {
        float *e1 = malloc(P * sizeof *e1), *e2 = malloc(P * sizeof *e2);
        nn_landscape_path_directions(net, snaps, K, e1, e2, NULL, NULL);
        CHECK(same_bits(d1, e1, P) && same_bits(d2, e2, P), "path directions are not deterministic");
        /* a path on a straight line: d2 ⟂ d1, explained[1] = 0 */
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < P; i++) snaps[(size_t)k * P + i] = before[i] + (float)(k + 1) * 0.01f * d1[i];
        CHECK(nn_landscape_path_directions(net, snaps, 3, e1, e2, expl, &err) == NN_OK, "line path: %s", err.message);
        CHECK_NEAR(dotd(e1, e2, P), 0.0, 1e-5, "line path: d1·d2");
        CHECK_NEAR(dotd(e2, e2, P), 1.0, 1e-5, "line path: |d2|²");
        CHECK_NEAR(expl[1], 0.0, 1e-6, "line path: explained by d2");
        CHECK_NEAR(fabs(dotd(e1, d1, P)), 1.0, 1e-4, "line path: d1 along the line");
        free(e1); free(e2);
    }
    /* errors */
    CHECK(nn_landscape_path_directions(net, before, 1, d1, d2, expl, &err) == NN_EINVAL &&
          tu_contains_ci(err.message, "train"), "path at θ only: %d %s", err.code, err.message);
    CHECK(nn_landscape_path_directions(net, snaps, 0, d1, d2, expl, &err) == NN_EINVAL, "empty path accepted");
    CHECK(nn_landscape_path_directions(net, snaps, NN_LANDSCAPE_MAX_PATH + 1, d1, d2, expl, &err) == NN_EINVAL,
          "too long a path accepted");
    free(snaps); free(d1); free(d2); free(xy); free(off); free(before);
    nn_free(net);
}

static void time_grid(nn_net *net, const nn_data *d)
{
    const int P = nn_param_count(net), G = 31, n = 500;
    const int *train = nn_data_set_indices(d, NN_SET_TRAIN);
    float *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2), betas[31], out[31];
    double worst = 0;
    nn_landscape_directions(net, 1, d1, d2, NULL);
    for (int j = 0; j < G; j++) betas[j] = (float)(j - 15) / 15.0f;
    const double t0 = now_s();
    for (int i = 0; i < G; i++) {
        const double r0 = now_s();
        nn_landscape_row(net, d, train, n, d1, d2, betas[i], betas, G, out, NULL);
        const double dt = now_s() - r0;
        if (dt > worst) worst = dt;
    }
    const double t = now_s() - t0;
    printf("timing: 31x31 grid over %d rows, %s: %.3f s (%.2f ms per grid row, worst %.2f ms)\n", n,
           "64,32,10", t, 1000 * t / G, 1000 * worst);
    free(d1); free(d2);
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : ".";
    nn_data *d = tu_load_digits(src, NN_SCALE_UNIT);
    if (!d) return tu_finish() || 1;
    nn_error err;
    CHECK(nn_data_split(d, 0.2f, 1, &err) == NN_OK, "split: %s", err.message);

    nn_net *improved = make_net(d, 1), *simple = make_net(d, 0);
    if (!improved || !simple) return tu_finish() || 1;
    CHECK(nn_train_epoch(improved) == NN_OK && nn_train_epoch(improved) == NN_OK, "training failed");

    check_directions(improved, "improved");
    check_directions(simple, "simple");
    check_slice(improved, d, "improved");
    check_slice(simple, d, "simple");
    check_project(improved, "improved");
    check_path(d);
    /* training still works after all this and gives the same result as a
     * network that never saw the landscape */
    {
        nn_net *twin = make_net(d, 1);
        nn_train_epoch(twin);
        nn_train_epoch(twin);
        CHECK(same_bits(nn_params(twin), nn_params(improved), nn_param_count(twin)),
              "the landscape functions changed the trained network");
        CHECK(nn_train_epoch(twin) == NN_OK && nn_train_epoch(improved) == NN_OK, "training after");
        CHECK(same_bits(nn_params(twin), nn_params(improved), nn_param_count(twin)),
              "training after the landscape differs (optimizer state touched?)");
        nn_free(twin);
    }
    time_grid(improved, d);

    nn_free(improved);
    nn_free(simple);
    nn_data_free(d);
    return tu_finish();
}
