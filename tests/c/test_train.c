/*
 * test_train.c — training behaviour: determinism, nn_reset, shuffling, the
 * epoch/step counters, divergence handling, the optimisers, the initial
 * weights, side effects of nn_trace/nn_predict/nn_evaluate, evaluation
 * bookkeeping, parameter checks and error reporting.
 *
 * The data: data/digits.csv (scale unit) split 0.2 with seed 1, so
 * 1797 − 359 = 1438 training rows (359 = Σ round(count·0.2) over the label
 * counts 178,182,177,183,181,182,181,179,174,180).
 */
#include "testutil.h"

#include <stdint.h>

#define N_TRAIN 1438
#define N_TEST 359

static nn_data *digits;

static void base_config(nn_config *c, int hid, int out, int cost, int opt, float lr, int batch,
                        uint32_t seed)
{
    nn_config_default(c);
    c->n_layers = 3;
    c->sizes[0] = 64;
    c->sizes[1] = 32;
    c->sizes[2] = 10;
    c->hidden_act = hid;
    c->output_act = out;
    c->cost = cost;
    c->optimizer = opt;
    c->lr = lr;
    c->batch_size = batch;
    c->seed = seed;
}

static nn_net *make(const nn_config *c, const nn_data *d, const char *what)
{
    nn_error err;
    nn_net *net;
    memset(&err, 0, sizeof err);
    net = nn_create(c, &err);
    CHECK(net != NULL, "%s: nn_create: %d %s", what, err.code, err.message);
    if (net && d) {
        int rc = nn_attach(net, d);
        CHECK(rc == NN_OK, "%s: nn_attach: %d %s", what, rc, nn_last_error(net)->message);
    }
    return net;
}

static int same_params(nn_net *a, nn_net *b)
{
    return nn_param_count(a) == nn_param_count(b) &&
           memcmp(nn_params(a), nn_params(b), sizeof(float) * (size_t)nn_param_count(a)) == 0;
}

static int count_diff(const float *a, const float *b, int n)
{
    int i, k = 0;
    for (i = 0; i < n; i++) k += a[i] != b[i];
    return k;
}

static int all_finite(const float *p, int n)
{
    int i;
    for (i = 0; i < n; i++)
        if (!isfinite(p[i])) return 0;
    return 1;
}

static float *copy_params(nn_net *net)
{
    float *p = malloc(sizeof(float) * (size_t)nn_param_count(net));
    memcpy(p, nn_params(net), sizeof(float) * (size_t)nn_param_count(net));
    return p;
}

static int train_epochs(nn_net *net, int n, const char *what)
{
    int i, rc = NN_OK;
    for (i = 0; i < n && rc == NN_OK; i++) {
        rc = nn_train_epoch(net);
        CHECK(rc == NN_OK, "%s: nn_train_epoch: %d %s", what, rc, nn_last_error(net)->message);
    }
    return rc;
}

/* ---- a step in parts (nn_train_samples) ------------------------------------ */

/* A big batch split over many calls gives the same bits as whole steps; the
 * calls stop at an epoch's end; a half-done step is finished by the next
 * nn_train_steps and dropped by nn_reset and nn_params_changed. */
static void test_train_samples(void)
{
    static const struct { int batch, opt; float lr, wd; } cases[] = {
        {0, NN_SGD, 0.5f, 0.0f}, {200, NN_ADAM, 0.01f, 1e-3f}, {32, NN_MOMENTUM, 0.05f, 0.0f}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        nn_config c;
        char what[64];
        base_config(&c, NN_RELU, NN_SOFTMAX, NN_XENT, cases[k].opt, cases[k].lr, cases[k].batch, 3);
        c.weight_decay = cases[k].wd;
        snprintf(what, sizeof what, "parts, batch %d", cases[k].batch);
        nn_net *a = make(&c, digits, what), *b = make(&c, digits, what);
        if (!a || !b) { nn_free(a); nn_free(b); return; }
        train_epochs(a, 2, what);
        int calls = 0, split = 0, bad = 0;
        tu_srand(11 + k);
        while (nn_epochs_done(b) < 2 && calls < 100000 && !bad) {
            const int before = nn_epochs_done(b), n = 1 + (int)(tu_rand32() % 300);
            const int rc = nn_train_samples(b, n);
            const int pending = nn_step_pending(b), ep = nn_epochs_done(b);
            calls++;
            split += pending > 0;
            bad = rc != NN_OK || ep - before > 1 ||
                  (ep != before && (nn_step_in_epoch(b) != 0 || pending != 0)) ||
                  pending % NN_CHUNK != 0;
            CHECK(!bad, "%s: call %d (%d samples): rc %d (%s), epochs %d -> %d, step %d, pending %d",
                  what, calls, n, rc, nn_last_error(b)->message, before, ep, nn_step_in_epoch(b), pending);
        }
        CHECK(same_params(a, b) && nn_last_batch_cost(a) == nn_last_batch_cost(b),
              "%s: %d calls give other weights than whole steps (%d differ; last cost %.9g vs %.9g)",
              what, calls, count_diff(nn_params(a), nn_params(b), nn_param_count(a)),
              (double)nn_last_batch_cost(a), (double)nn_last_batch_cost(b));
        CHECK(cases[k].batch > 0 && cases[k].batch <= NN_CHUNK ? split == 0 : split > 10,
              "%s: steps left half done %d times", what, split);
        nn_free(a);
        nn_free(b);
    }

    /* full batch: a half-done step, finished by nn_train_steps; dropped by
     * nn_reset and nn_params_changed */
    nn_config c;
    base_config(&c, NN_SIGMOID, NN_SIGMOID, NN_MSE, NN_SGD, 0.5f, 0, 5);
    nn_net *a = make(&c, digits, "half"), *b = make(&c, digits, "half");
    if (!a || !b) { nn_free(a); nn_free(b); return; }
    CHECK(nn_train_samples(b, 5 * NN_CHUNK) == NN_OK && nn_step_pending(b) == 5 * NN_CHUNK &&
              nn_step_in_epoch(b) == 0,
          "5 chunks of a full batch: pending %d, step %d", nn_step_pending(b), nn_step_in_epoch(b));
    nn_train_steps(a, 1);
    nn_train_steps(b, 1);
    CHECK(nn_step_pending(b) == 0 && nn_epochs_done(b) == 1 && same_params(a, b),
          "nn_train_steps finishes the half-done step: pending %d, epochs %d, %d weights differ",
          nn_step_pending(b), nn_epochs_done(b), count_diff(nn_params(a), nn_params(b), nn_param_count(a)));
    nn_train_samples(b, 1);
    nn_reset(b);
    nn_reset(a);
    CHECK(nn_step_pending(b) == 0, "nn_reset drops the half-done step: pending %d", nn_step_pending(b));
    nn_train_samples(b, 3 * NN_CHUNK);
    CHECK(nn_params_changed(b) == NN_OK && nn_step_pending(b) == 0,
          "nn_params_changed drops it: pending %d", nn_step_pending(b));
    nn_train_steps(a, 1);
    nn_train_steps(b, 1);
    CHECK(same_params(a, b), "after the dropped steps: %d weights differ from a whole step",
          count_diff(nn_params(a), nn_params(b), nn_param_count(a)));
    CHECK(nn_train_samples(b, 0) == NN_EINVAL && tu_contains_ci(nn_last_error(b)->message, "at least 1"),
          "0 samples: \"%s\"", nn_last_error(b)->message);
    nn_free(a);
    nn_free(b);

    /* blowing up in a split step: the same error, the weights of before it */
    base_config(&c, NN_RELU, NN_IDENTITY, NN_MSE, NN_SGD, 100.0f, 0, 3);
    b = make(&c, digits, "diverge in parts");
    if (!b) return;
    const int P = nn_param_count(b);
    float *before = malloc(sizeof(float) * (size_t)P);
    int rc = NN_OK, calls = 0;
    while (rc == NN_OK && calls < 2000) {
        if (nn_step_pending(b) == 0) memcpy(before, nn_params(b), sizeof(float) * (size_t)P);
        rc = nn_train_samples(b, 100);
        calls++;
    }
    CHECK(rc == NN_EDIVERGED && nn_step_pending(b) == 0 &&
              memcmp(nn_params(b), before, sizeof(float) * (size_t)P) == 0 &&
              tu_contains_ci(nn_last_error(b)->message, "learning rate"),
          "lr 100 in parts: rc %d after %d calls, pending %d, \"%s\"", rc, calls,
          nn_step_pending(b), nn_last_error(b)->message);
    free(before);
    nn_free(b);
}

/* ---- determinism, reset, shuffle ------------------------------------------ */

static void test_determinism(void)
{
    nn_config c;
    nn_net *a, *b, *x;
    float *init;
    int P;
    base_config(&c, NN_RELU, NN_SOFTMAX, NN_XENT, NN_SGD, 0.05f, 32, 42);
    a = make(&c, digits, "determinism a");
    b = make(&c, digits, "determinism b");
    c.seed = 43;
    x = make(&c, digits, "determinism seed 43");
    if (!a || !b || !x) goto out;
    P = nn_param_count(a);
    CHECK(same_params(a, b), "same seed: initial params differ in %d places",
          count_diff(nn_params(a), nn_params(b), P));
    CHECK(count_diff(nn_params(a), nn_params(x), P) > P / 2,
          "seeds 42 and 43: only %d of %d initial params differ",
          count_diff(nn_params(a), nn_params(x), P), P);
    init = copy_params(a);
    train_epochs(a, 2, "determinism a");
    train_epochs(b, 2, "determinism b");
    CHECK(same_params(a, b), "same seed: params after 2 epochs differ in %d places",
          count_diff(nn_params(a), nn_params(b), P));
    CHECK(memcmp(nn_grads(a), nn_grads(b), sizeof(float) * (size_t)P) == 0,
          "same seed: grads after 2 epochs differ");
    CHECK(count_diff(nn_params(a), init, P) > P / 2, "training changed only %d of %d params",
          count_diff(nn_params(a), init, P), P);
    CHECK(nn_epochs_done(a) == 2, "epochs done %d, want 2", nn_epochs_done(a));

    /* nn_reset: initial params exactly, counters cleared, and the same
     * training run again (the shuffle generator restarts too) */
    {
        float *after2 = copy_params(a);
        nn_reset(a);
        CHECK(memcmp(nn_params(a), init, sizeof(float) * (size_t)P) == 0,
              "nn_reset: params differ from the initial ones in %d places",
              count_diff(nn_params(a), init, P));
        CHECK(nn_epochs_done(a) == 0 && nn_step_in_epoch(a) == 0,
              "nn_reset: epochs %d step %d, want 0 0", nn_epochs_done(a), nn_step_in_epoch(a));
        train_epochs(a, 2, "after reset");
        CHECK(memcmp(nn_params(a), after2, sizeof(float) * (size_t)P) == 0,
              "after nn_reset, 2 epochs give different params (%d differ)",
              count_diff(nn_params(a), after2, P));
        /* reset in the middle of an epoch */
        nn_train_steps(a, 7);
        nn_reset(a);
        CHECK(nn_epochs_done(a) == 0 && nn_step_in_epoch(a) == 0,
              "nn_reset mid-epoch: epochs %d step %d", nn_epochs_done(a), nn_step_in_epoch(a));
        train_epochs(a, 2, "after mid-epoch reset");
        CHECK(memcmp(nn_params(a), after2, sizeof(float) * (size_t)P) == 0,
              "after a mid-epoch nn_reset, 2 epochs give different params (%d differ)",
              count_diff(nn_params(a), after2, P));
        free(after2);
    }
    free(init);
out:
    if (a) nn_free(a);
    if (b) nn_free(b);
    if (x) nn_free(x);
}

/* nn_reset also clears optimizer state (momentum and Adam) */
static void test_reset_optimizer(void)
{
    static const int opts[2] = {NN_MOMENTUM, NN_ADAM};
    int k;
    for (k = 0; k < 2; k++) {
        nn_config c;
        nn_net *a, *b;
        const char *what = k ? "reset adam" : "reset momentum";
        base_config(&c, NN_TANH, NN_SOFTMAX, NN_XENT, opts[k], k ? 0.002f : 0.05f, 64, 5);
        a = make(&c, digits, what);
        b = make(&c, digits, what);
        if (a && b) {
            nn_train_steps(a, 30);
            nn_reset(a);
            nn_train_steps(a, 30);
            nn_train_steps(b, 30);
            CHECK(same_params(a, b), "%s: reset + 30 steps differs from a fresh net's 30 steps "
                  "(%d params differ)", what,
                  count_diff(nn_params(a), nn_params(b), nn_param_count(a)));
        }
        if (a) nn_free(a);
        if (b) nn_free(b);
    }
}

static void test_shuffle(void)
{
    nn_config c;
    nn_net *on, *off, *off2, *on2;
    int P;
    base_config(&c, NN_SIGMOID, NN_SIGMOID, NN_MSE, NN_SGD, 0.5f, 16, 9);
    on = make(&c, digits, "shuffle on");
    off = make(&c, digits, "shuffle off");
    c.seed = 10;
    off2 = make(&c, digits, "shuffle off, seed 10");
    on2 = make(&c, digits, "shuffle on, seed 10");
    if (!on || !off || !off2 || !on2) goto out;
    P = nn_param_count(on);
    /* the same initial weights for all four */
    memcpy(nn_params(off2), nn_params(on), sizeof(float) * (size_t)P);
    memcpy(nn_params(on2), nn_params(on), sizeof(float) * (size_t)P);
    CHECK(nn_params_changed(off2) == NN_OK && nn_params_changed(on2) == NN_OK,
          "nn_params_changed failed");
    nn_set_shuffle(off, 0);
    nn_set_shuffle(off2, 0);
    train_epochs(on, 1, "shuffle on");
    train_epochs(off, 1, "shuffle off");
    train_epochs(off2, 1, "shuffle off seed 10");
    train_epochs(on2, 1, "shuffle on seed 10");
    CHECK(count_diff(nn_params(on), nn_params(off), P) > P / 2,
          "shuffle on vs off: only %d of %d params differ after an epoch",
          count_diff(nn_params(on), nn_params(off), P), P);
    CHECK(same_params(off, off2), "shuffle off: the seed changed the batch order (%d params differ)",
          count_diff(nn_params(off), nn_params(off2), P));
    CHECK(count_diff(nn_params(on), nn_params(on2), P) > P / 2,
          "shuffle on: seeds 9 and 10 gave the same batch order");
out:
    if (on) nn_free(on);
    if (off) nn_free(off);
    if (off2) nn_free(off2);
    if (on2) nn_free(on2);
}

/* Which rows does an epoch visit?  50 rows of random pixels split 0.2 (40
 * training rows); batch 1 and a learning rate so small that the params do
 * not move (1e-30 · gradient is far below half an ulp of any weight), so
 * each step's batch cost identifies its row among the precomputed row costs. */
static void test_epoch_order(void)
{
    uint8_t px[50 * 64], lb[50];
    nn_error err;
    nn_data *d;
    nn_config c;
    nn_net *net;
    float cost[50];
    int i, r, e, order[3][40];
    const int *train;
    tu_srand(77);
    for (i = 0; i < 50 * 64; i++) px[i] = (uint8_t)(tu_rand32() % 17);
    for (i = 0; i < 50; i++) lb[i] = (uint8_t)(i % 10);
    d = nn_data_from_bytes(px, lb, 50, NN_SCALE_UNIT, &err);
    CHECK(d != NULL, "epoch order data: %s", err.message);
    if (!d) return;
    CHECK(nn_data_split(d, 0.2f, 3, &err) == NN_OK && nn_data_set_count(d, NN_SET_TRAIN) == 40,
          "epoch order split: %d training rows", nn_data_set_count(d, NN_SET_TRAIN));
    train = nn_data_set_indices(d, NN_SET_TRAIN);
    base_config(&c, NN_TANH, NN_SOFTMAX, NN_XENT, NN_SGD, 1e-30f, 1, 11);
    net = make(&c, d, "epoch order");
    if (!net) goto out;
    for (r = 0; r < 50; r++) cost[r] = nn_cost_rows(net, d, &r, 1);
    for (e = 0; e < 3; e++) {
        int seen[50] = {0}, bad = 0;
        if (e == 2) nn_set_shuffle(net, 0);
        for (i = 0; i < 40; i++) {
            int best = -1, j;
            double bd = 1e9, second = 1e9;
            CHECK(nn_train_steps(net, 1) == NN_OK, "epoch order: step failed");
            for (j = 0; j < 50; j++) {
                double dd = fabs(nn_last_batch_cost(net) - cost[j]);
                if (dd < bd) { second = bd; bd = dd; best = j; }
                else if (dd < second) second = dd;
            }
            if (!(bd < 1e-6 && second > 1e-5)) bad++;
            order[e][i] = best;
            seen[best]++;
        }
        CHECK(bad == 0, "epoch order: %d steps could not be matched to a row", bad);
        for (i = 0; i < 40; i++)
            if (seen[train[i]] != 1) break;
        CHECK(i == 40, "epoch %d: training row %d was used %d times, want once", e + 1,
              i < 40 ? train[i] : -1, i < 40 ? seen[train[i]] : 0);
        CHECK(nn_epochs_done(net) == e + 1, "epoch order: epochs done %d, want %d",
              nn_epochs_done(net), e + 1);
    }
    CHECK(memcmp(order[0], train, sizeof(int) * 40) != 0,
          "shuffling on: epoch 1 visited the rows in ascending order");
    CHECK(memcmp(order[0], order[1], sizeof order[0]) != 0,
          "shuffling on: epochs 1 and 2 visited the rows in the same order");
    CHECK(memcmp(order[2], train, sizeof(int) * 40) == 0,
          "shuffling off: epoch 3 did not visit the training rows in order (first rows %d %d %d, "
          "want %d %d %d)", order[2][0], order[2][1], order[2][2], train[0], train[1], train[2]);
    nn_free(net);
out:
    nn_data_free(d);
}

/* ---- counters ------------------------------------------------------------------ */

static void test_counters(void)
{
    static const struct {
        int batch, steps;
    } spe[] = {{32, 45}, {0, 1}, {1, N_TRAIN}, {1000, 2}, {N_TRAIN, 1}, {N_TRAIN + 1, 1},
               {719, 2}, {718, 3}, {100000, 1}};
    nn_config c;
    nn_net *net;
    size_t i;
    int rc;

    for (i = 0; i < sizeof spe / sizeof spe[0]; i++) {
        base_config(&c, NN_SIGMOID, NN_SIGMOID, NN_MSE, NN_SGD, 0.1f, spe[i].batch, 1);
        c.sizes[1] = 4;
        net = make(&c, digits, "counters");
        if (!net) continue;
        CHECK(nn_steps_per_epoch(net) == spe[i].steps, "batch %d: %d steps per epoch, want %d",
              spe[i].batch, nn_steps_per_epoch(net), spe[i].steps);
        if (spe[i].steps <= 45) {
            rc = nn_train_epoch(net);
            CHECK(rc == NN_OK && nn_epochs_done(net) == 1 && nn_step_in_epoch(net) == 0,
                  "batch %d: after nn_train_epoch rc %d epochs %d step %d, want 0 1 0",
                  spe[i].batch, rc, nn_epochs_done(net), nn_step_in_epoch(net));
        }
        nn_free(net);
    }

    base_config(&c, NN_SIGMOID, NN_SIGMOID, NN_MSE, NN_SGD, 0.1f, 32, 1);
    net = make(&c, digits, "counters 32");
    if (!net) return;
    CHECK(nn_epochs_done(net) == 0 && nn_step_in_epoch(net) == 0, "fresh: epochs %d step %d",
          nn_epochs_done(net), nn_step_in_epoch(net));
    rc = nn_train_steps(net, 0);
    CHECK(rc == NN_OK && nn_epochs_done(net) == 0 && nn_step_in_epoch(net) == 0,
          "0 steps: rc %d epochs %d step %d", rc, nn_epochs_done(net), nn_step_in_epoch(net));
    rc = nn_train_steps(net, 10);
    CHECK(rc == NN_OK && nn_epochs_done(net) == 0 && nn_step_in_epoch(net) == 10,
          "10 steps: rc %d epochs %d step %d, want 0 10", rc, nn_epochs_done(net),
          nn_step_in_epoch(net));
    rc = nn_train_epoch(net); /* the 35 steps left */
    CHECK(rc == NN_OK && nn_epochs_done(net) == 1 && nn_step_in_epoch(net) == 0,
          "rest of the epoch: rc %d epochs %d step %d, want 1 0", rc, nn_epochs_done(net),
          nn_step_in_epoch(net));
    rc = nn_train_steps(net, 50); /* crosses a boundary: 45 + 5 */
    CHECK(rc == NN_OK && nn_epochs_done(net) == 2 && nn_step_in_epoch(net) == 5,
          "50 steps: rc %d epochs %d step %d, want 2 5", rc, nn_epochs_done(net),
          nn_step_in_epoch(net));
    rc = nn_train_steps(net, 40);
    CHECK(rc == NN_OK && nn_epochs_done(net) == 3 && nn_step_in_epoch(net) == 0,
          "40 more steps: rc %d epochs %d step %d, want 3 0", rc, nn_epochs_done(net),
          nn_step_in_epoch(net));
    rc = nn_train_epoch(net); /* a whole epoch at a boundary */
    CHECK(rc == NN_OK && nn_epochs_done(net) == 4 && nn_step_in_epoch(net) == 0,
          "epoch at a boundary: rc %d epochs %d step %d, want 4 0", rc, nn_epochs_done(net),
          nn_step_in_epoch(net));
    CHECK(isfinite(nn_last_batch_cost(net)) && nn_last_batch_cost(net) > 0,
          "last batch cost %g", nn_last_batch_cost(net));
    nn_free(net);
}

static void test_limited(const char *src)
{
    nn_error err;
    nn_config c;
    nn_net *net;
    nn_data *d = tu_load_digits(src, NN_SCALE_UNIT);
    if (!d) return;
    nn_data_split(d, 0.2f, 1, &err);
    CHECK(nn_data_limit_train(d, 100, &err) == NN_OK, "limit 100: %s", err.message);
    base_config(&c, NN_SIGMOID, NN_SIGMOID, NN_MSE, NN_SGD, 0.1f, 32, 1);
    net = make(&c, d, "limited");
    if (net) {
        nn_eval ev;
        CHECK(nn_steps_per_epoch(net) == 4, "100 training rows, batch 32: %d steps per epoch, want 4",
              nn_steps_per_epoch(net));
        train_epochs(net, 1, "limited");
        CHECK(nn_epochs_done(net) == 1, "limited: epochs %d", nn_epochs_done(net));
        CHECK(nn_evaluate(net, NN_SET_TRAIN, &ev) == NN_OK && ev.count == 100,
              "limited: evaluate train count %d, want 100", ev.count);
        CHECK(nn_evaluate(net, NN_SET_TEST, &ev) == NN_OK && ev.count == N_TEST,
              "limited: evaluate test count %d, want %d", ev.count, N_TEST);
        nn_free(net);
    }
    nn_data_free(d);
}

/* ---- divergence -------------------------------------------------------------- */

static void test_divergence(void)
{
    nn_config c;
    nn_net *net;
    float *before, *init;
    int P, step, rc = NN_OK, i;
    /* ReLU + identity output + MSE with lr 100 */
    base_config(&c, NN_RELU, NN_IDENTITY, NN_MSE, NN_SGD, 100.0f, 32, 3);
    c.n_layers = 4;
    c.sizes[2] = 32;
    c.sizes[3] = 10;
    net = make(&c, digits, "divergence");
    if (!net) return;
    P = nn_param_count(net);
    init = copy_params(net);
    before = malloc(sizeof(float) * (size_t)P);
    for (step = 0; step < 200; step++) {
        memcpy(before, nn_params(net), sizeof(float) * (size_t)P);
        rc = nn_train_steps(net, 1);
        if (rc != NN_OK) break;
    }
    CHECK(rc == NN_EDIVERGED, "lr 100: after %d steps rc %d, want NN_EDIVERGED (%d)", step, rc,
          NN_EDIVERGED);
    if (rc == NN_EDIVERGED) {
        const char *m = nn_last_error(net)->message;
        CHECK(nn_last_error(net)->code == NN_EDIVERGED, "last error code %d",
              nn_last_error(net)->code);
        CHECK(tu_contains_ci(m, "learning rate"), "divergence message \"%s\" does not mention the "
              "learning rate", m);
        CHECK(tu_has_word_num(m, "epoch", 1 + step / nn_steps_per_epoch(net)) &&
                  tu_has_word_num(m, "step", 1 + step % nn_steps_per_epoch(net)),
              "divergence message \"%s\" does not name epoch %d, step %d", m,
              1 + step / nn_steps_per_epoch(net), 1 + step % nn_steps_per_epoch(net));
        CHECK(all_finite(nn_params(net), P), "params not finite after the divergence");
        CHECK(memcmp(nn_params(net), before, sizeof(float) * (size_t)P) == 0,
              "params after the failing step %d are not those of before it (%d differ)", step + 1,
              count_diff(nn_params(net), before, P));
        CHECK(nn_step_in_epoch(net) == step % nn_steps_per_epoch(net),
              "the failed step counted: step in epoch %d, want %d", nn_step_in_epoch(net),
              step % nn_steps_per_epoch(net));
        /* the net stays usable: a smaller learning rate from the last good
         * weights either trains or reports the divergence again, cleanly */
        rc = nn_set_lr(net, 0.01f);
        CHECK(rc == NN_OK && nn_last_error(net)->code == NN_OK, "nn_set_lr(0.01): %d", rc);
        for (i = 0; i < 5; i++) {
            memcpy(before, nn_params(net), sizeof(float) * (size_t)P);
            rc = nn_train_steps(net, 1);
            CHECK(rc == NN_OK || (rc == NN_EDIVERGED &&
                                  memcmp(nn_params(net), before, sizeof(float) * (size_t)P) == 0),
                  "after the divergence: step rc %d", rc);
            CHECK(all_finite(nn_params(net), P), "params not finite after another step");
        }
        /* ... and from the initial weights lr 0.01 trains a whole epoch */
        memcpy(nn_params(net), init, sizeof(float) * (size_t)P);
        rc = nn_params_changed(net);
        CHECK(rc == NN_OK, "nn_params_changed: %d", rc);
        rc = nn_train_epoch(net);
        CHECK(rc == NN_OK && all_finite(nn_params(net), P),
              "lr 0.01 after a divergence: nn_train_epoch rc %d (%s)", rc,
              nn_last_error(net)->message);
        {
            nn_eval ev;
            CHECK(nn_evaluate(net, NN_SET_TRAIN, &ev) == NN_OK && isfinite(ev.cost),
                  "evaluate after recovery: cost %g", ev.cost);
        }
    }
    free(before);
    free(init);
    nn_free(net);
}

/* A step whose cost and gradient are finite but whose update overflows:
 * a weight of 1e37 on a pixel that is 0 in every row (so the cost does not
 * see it) and weight decay 0.5 with lr 100: w − 100·0.5·1e37 = −4.9e38 is
 * beyond float range.  The step must be refused, every parameter put back
 * and the message must blame a weight (not the cost or a gradient) — with
 * momentum (a backup copied before the update) and with SGD (which updates
 * and backs up in one pass, then puts the old values back). */
static void test_weight_overflow(void)
{
    static const struct {
        int opt;
        const char *name;
    } o[] = {{NN_MOMENTUM, "momentum"}, {NN_SGD, "sgd"}};
    uint8_t px[20 * 64], lb[20];
    nn_error err;
    nn_data *d;
    size_t k;
    int i;
    tu_srand(5);
    for (i = 0; i < 20 * 64; i++) px[i] = (uint8_t)(i % 64 == 0 ? 0 : tu_rand32() % 17);
    for (i = 0; i < 20; i++) lb[i] = (uint8_t)(i % 10);
    d = nn_data_from_bytes(px, lb, 20, NN_SCALE_UNIT, &err);
    CHECK(d != NULL, "overflow data: %s", err.message);
    if (!d) return;
    for (k = 0; k < sizeof o / sizeof o[0]; k++) {
        nn_config c;
        nn_net *net;
        float *before;
        int rc, P;
        base_config(&c, NN_TANH, NN_SOFTMAX, NN_XENT, o[k].opt, 100.0f, 0, 4);
        c.weight_decay = 0.5f;
        net = make(&c, d, "weight overflow");
        if (!net) continue;
        P = nn_param_count(net);
        nn_params(net)[nn_weight_offset(net, 0) + 3 * 64 + 0] = 1e37f; /* W0[3][0], pixel 0 */
        CHECK(nn_params_changed(net) == NN_OK, "%s: nn_params_changed with 1e37 (finite) refused",
              o[k].name);
        before = copy_params(net);
        rc = nn_train_steps(net, 1);
        CHECK(rc == NN_EDIVERGED, "%s: update to -4.9e38: rc %d, want NN_EDIVERGED", o[k].name,
              rc);
        CHECK(memcmp(nn_params(net), before, sizeof(float) * (size_t)P) == 0,
              "%s: after the refused update %d params differ from before it (W0[3][0] = %g)",
              o[k].name, count_diff(nn_params(net), before, P), nn_params(net)[3 * 64]);
        CHECK(tu_contains_ci(nn_last_error(net)->message, "learning rate"),
              "%s: message \"%s\" does not mention the learning rate", o[k].name,
              nn_last_error(net)->message);
        CHECK(tu_contains_ci(nn_last_error(net)->message, "a weight became infinite"),
              "%s: message \"%s\" does not blame a weight", o[k].name,
              nn_last_error(net)->message);
        CHECK(nn_epochs_done(net) == 0 && nn_step_in_epoch(net) == 0,
              "%s: refused step counted: epochs %d step %d", o[k].name, nn_epochs_done(net),
              nn_step_in_epoch(net));
        /* repairing the weight makes the net train again */
        nn_params(net)[3 * 64] = 0.0f;
        CHECK(nn_params_changed(net) == NN_OK && nn_set_lr(net, 0.01f) == NN_OK &&
                  nn_train_steps(net, 3) == NN_OK && all_finite(nn_params(net), P),
              "%s: after repairing the weight: %s", o[k].name, nn_last_error(net)->message);
        free(before);
        nn_free(net);
    }
    nn_data_free(d);
}

/* ---- optimisers -------------------------------------------------------------- */

static void test_optimisers(void)
{
    static const struct {
        int opt;
        float lr, mom;
        const char *name;
    } o[] = {{NN_SGD, 0.1f, 0.9f, "sgd"}, {NN_MOMENTUM, 0.02f, 0.9f, "momentum"},
             {NN_ADAM, 0.002f, 0.9f, "adam"}};
    size_t k;
    for (k = 0; k < 3; k++) {
        nn_config c;
        nn_net *net;
        nn_eval e0, e1, t1;
        base_config(&c, NN_RELU, NN_SOFTMAX, NN_XENT, o[k].opt, o[k].lr, 32, 21);
        c.momentum = o[k].mom;
        net = make(&c, digits, o[k].name);
        if (!net) continue;
        CHECK(nn_evaluate(net, NN_SET_TRAIN, &e0) == NN_OK, "%s: evaluate", o[k].name);
        train_epochs(net, 3, o[k].name);
        CHECK(nn_evaluate(net, NN_SET_TRAIN, &e1) == NN_OK && nn_evaluate(net, NN_SET_TEST, &t1) == NN_OK,
              "%s: evaluate", o[k].name);
        CHECK(e1.cost < 0.5f * e0.cost, "%s: train cost %g -> %g after 3 epochs (want < half)",
              o[k].name, e0.cost, e1.cost);
        CHECK(t1.accuracy > 0.75f, "%s: test accuracy %g after 3 epochs, want > 0.75", o[k].name,
              t1.accuracy);
        nn_free(net);
    }

    /* first steps: momentum's first update equals SGD's (no velocity yet),
     * the second does not; Adam's first update is lr·sign(g) (bias-corrected
     * m̂/√v̂ = g/|g|); Adam's β1 is the momentum field, so changing it
     * changes the second update */
    {
        nn_config c;
        nn_net *sgd, *mom, *ad, *ad5;
        float *p0;
        int P, i, bad = 0, checked = 0;
        base_config(&c, NN_TANH, NN_SOFTMAX, NN_XENT, NN_SGD, 0.05f, 32, 8);
        sgd = make(&c, digits, "sgd steps");
        c.optimizer = NN_MOMENTUM;
        mom = make(&c, digits, "momentum steps");
        c.optimizer = NN_ADAM;
        c.lr = 0.001f;
        ad = make(&c, digits, "adam steps");
        c.momentum = 0.5f;
        ad5 = make(&c, digits, "adam beta1 0.5 steps");
        if (!sgd || !mom || !ad || !ad5) goto out;
        P = nn_param_count(sgd);
        p0 = copy_params(sgd);
        nn_train_steps(sgd, 1);
        nn_train_steps(mom, 1);
        CHECK(same_params(sgd, mom),
              "momentum's first step differs from SGD's in %d params",
              count_diff(nn_params(sgd), nn_params(mom), P));
        nn_train_steps(sgd, 1);
        nn_train_steps(mom, 1);
        CHECK(count_diff(nn_params(sgd), nn_params(mom), P) > P / 2,
              "momentum's second step equals SGD's in all but %d params",
              count_diff(nn_params(sgd), nn_params(mom), P));

        /* nn_params_changed clears the velocity: the next momentum step is
         * a plain −lr·g again */
        {
            float *pb;
            double maxe = 0;
            CHECK(nn_params_changed(mom) == NN_OK, "nn_params_changed(momentum net)");
            pb = copy_params(mom);
            nn_train_steps(mom, 1);
            for (i = 0; i < P; i++)
                maxe = fmax(maxe, fabs((double)nn_params(mom)[i] - pb[i] + 0.05 * nn_grads(mom)[i]));
            CHECK(maxe < 1e-6, "momentum step after nn_params_changed is not -lr*g (max error %.3g): "
                  "the velocity was not cleared", maxe);
            free(pb);
        }

        nn_train_steps(ad, 1);
        nn_train_steps(ad5, 1);
        for (i = 0; i < P; i++) {
            double g = nn_grads(ad)[i], dp = (double)nn_params(ad)[i] - p0[i];
            if (fabs(g) < 1e-4) continue;
            checked++;
            if (!(fabs(dp + 0.001 * (g > 0 ? 1 : -1)) < 2e-5)) {
                if (bad < 3)
                    printf("  adam first step: param %d moved %.9g with gradient %.9g (want %+g)\n",
                           i, dp, g, g > 0 ? -0.001 : 0.001);
                bad++;
            }
        }
        CHECK(checked > P / 4 && bad == 0, "adam first step: %d of %d params (|g| > 1e-4) did not "
              "move by lr·sign(g)", bad, checked);
        nn_train_steps(ad, 1);
        nn_train_steps(ad5, 1);
        CHECK(count_diff(nn_params(ad), nn_params(ad5), P) > P / 2,
              "adam with momentum (beta1) 0.9 and 0.5: the second step differs in only %d of %d "
              "params; the header says the momentum field is Adam's beta1",
              count_diff(nn_params(ad), nn_params(ad5), P), P);
        free(p0);
    out:
        if (sgd) nn_free(sgd);
        if (mom) nn_free(mom);
        if (ad) nn_free(ad);
        if (ad5) nn_free(ad5);
    }
}

/* ---- initial weights ------------------------------------------------------------ */

static void test_init(void)
{
    static const int hids[3] = {NN_SIGMOID, NN_TANH, NN_RELU};
    static const char *names[3] = {"sigmoid", "tanh", "relu"};
    int h;
    for (h = 0; h < 3; h++) {
        nn_config c;
        nn_net *net;
        int l;
        base_config(&c, hids[h], NN_SOFTMAX, NN_XENT, NN_SGD, 0.1f, 32, 1234);
        c.n_layers = 4;
        c.sizes[1] = 100;
        c.sizes[2] = 50;
        c.sizes[3] = 10;
        net = make(&c, NULL, "init");
        if (!net) continue;
        for (l = 0; l < 3; l++) {
            int in = c.sizes[l], out = c.sizes[l + 1], i, n = in * out, half = 0, nz = 0;
            int he = hids[h] == NN_RELU && l < 2;
            double bound = sqrt(6.0 / (he ? in : in + out)), maxw = 0, mean = 0;
            const float *W = nn_params(net) + nn_weight_offset(net, l);
            const float *b = nn_params(net) + nn_bias_offset(net, l);
            for (i = 0; i < n; i++) {
                double w = W[i];
                maxw = fmax(maxw, fabs(w));
                mean += w;
                half += fabs(w) < bound / 2;
            }
            mean /= n;
            for (i = 0; i < out; i++) nz += b[i] != 0.0f;
            CHECK(maxw <= bound * (1 + 1e-6), "%s layer %d: max |w| %.6g > %s bound %.6g", names[h],
                  l, maxw, he ? "He" : "Xavier", bound);
            CHECK(maxw > 0.8 * bound, "%s layer %d: max |w| %.6g < 0.8 × %s bound %.6g", names[h],
                  l, maxw, he ? "He" : "Xavier", bound);
            CHECK(nz == 0, "%s layer %d: %d biases are not 0", names[h], l, nz);
            /* uniform: half the weights lie within ±bound/2; mean ≈ 0
             * (n ≥ 500: σ of the fraction ≤ 0.023, of the mean ≤ 0.026·bound) */
            CHECK(fabs((double)half / n - 0.5) < 0.1, "%s layer %d: %.3f of the weights are within "
                  "half the bound (uniform: 0.5)", names[h], l, (double)half / n);
            CHECK(fabs(mean) < 0.1 * bound, "%s layer %d: mean weight %.4g (bound %.4g)", names[h],
                  l, mean, bound);
        }
        /* the same seed, a different architecture is fine; the same
         * architecture twice gives the same weights (checked elsewhere) */
        nn_free(net);
    }
}

/* ---- side effects and evaluation ------------------------------------------------ */

static void test_side_effects(void)
{
    nn_config c;
    nn_net *a, *b;
    int P, i, rc;
    float *p, *g, out10[10];
    nn_eval ev;
    const float *x = nn_data_x(digits);
    base_config(&c, NN_SIGMOID, NN_SOFTMAX, NN_MSE, NN_MOMENTUM, 0.3f, 16, 17);
    a = make(&c, digits, "side effects a");
    b = make(&c, digits, "side effects b");
    if (!a || !b) goto out;
    P = nn_param_count(a);
    nn_train_steps(a, 3);
    p = copy_params(a);
    g = malloc(sizeof(float) * (size_t)P);
    memcpy(g, nn_grads(a), sizeof(float) * (size_t)P);
    CHECK(nn_trace_grads(a) != nn_grads(a), "nn_trace_grads is the nn_grads buffer");
    rc = nn_trace(a, x + 64 * 5, nn_data_labels(digits)[5]);
    CHECK(rc == NN_OK, "trace: %d", rc);
    nn_trace(a, x + 64 * 6, -1);
    nn_predict(a, x, out10);
    nn_evaluate(a, NN_SET_ALL, &ev);
    nn_cost_rows(a, digits, nn_data_set_indices(digits, NN_SET_TEST), 100);
    CHECK(memcmp(p, nn_params(a), sizeof(float) * (size_t)P) == 0,
          "trace/predict/evaluate changed %d params", count_diff(p, nn_params(a), P));
    CHECK(memcmp(g, nn_grads(a), sizeof(float) * (size_t)P) == 0,
          "trace/predict/evaluate changed %d of nn_grads", count_diff(g, nn_grads(a), P));
    CHECK(nn_epochs_done(a) == 0 && nn_step_in_epoch(a) == 3, "trace/evaluate moved the counters");
    /* ... nor the training that follows (optimizer state, batch order) */
    nn_train_steps(b, 3);
    for (i = 0; i < 60; i++) {
        nn_train_steps(a, 1);
        nn_trace(a, x + 64 * i, i % 10);
        nn_evaluate(a, NN_SET_TEST, &ev);
        nn_predict(a, x + 64 * (i + 1), out10);
        nn_train_steps(b, 1);
    }
    CHECK(same_params(a, b), "training interleaved with trace/evaluate/predict differs from plain "
          "training (%d params)", count_diff(nn_params(a), nn_params(b), P));
    free(p);
    free(g);
out:
    if (a) nn_free(a);
    if (b) nn_free(b);
}

static void test_evaluate(void)
{
    nn_config c;
    nn_net *net;
    int s, i, k;
    static const int sets[3] = {NN_SET_TRAIN, NN_SET_TEST, NN_SET_ALL};
    static const int counts[3] = {N_TRAIN, N_TEST, N_TRAIN + N_TEST};
    nn_eval ev[3];
    base_config(&c, NN_RELU, NN_SOFTMAX, NN_XENT, NN_SGD, 0.1f, 32, 2);
    net = make(&c, digits, "evaluate");
    if (!net) return;
    train_epochs(net, 1, "evaluate");
    for (s = 0; s < 3; s++) {
        int n = nn_data_set_count(digits, sets[s]), sum = 0, diag = 0, correct = 0;
        const int *rows = nn_data_set_indices(digits, sets[s]);
        int rowsum[10] = {0}, want_rowsum[10] = {0};
        double tcost = 0;
        int rc = nn_evaluate(net, sets[s], &ev[s]);
        CHECK(rc == NN_OK, "evaluate set %d: %d", sets[s], rc);
        CHECK(ev[s].count == counts[s] && n == counts[s], "set %d: count %d (set count %d), want %d",
              sets[s], ev[s].count, n, counts[s]);
        for (i = 0; i < 100; i++) {
            sum += ev[s].confusion[i];
            rowsum[i / 10] += ev[s].confusion[i];
            if (i / 10 == i % 10) diag += ev[s].confusion[i];
        }
        CHECK(sum == ev[s].count, "set %d: confusion sums to %d, count %d", sets[s], sum,
              ev[s].count);
        CHECK(diag == ev[s].correct, "set %d: confusion trace %d, correct %d", sets[s], diag,
              ev[s].correct);
        CHECK(fabs(ev[s].accuracy - (double)ev[s].correct / ev[s].count) < 1e-6,
              "set %d: accuracy %g, correct/count %g", sets[s], ev[s].accuracy,
              (double)ev[s].correct / ev[s].count);
        /* independent recount through nn_predict and nn_trace */
        for (i = 0; i < n; i++) {
            float out10[10];
            int r = rows[i], best = 0, y = nn_data_labels(digits)[r];
            want_rowsum[y]++;
            nn_predict(net, nn_data_x(digits) + (size_t)r * 64, out10);
            for (k = 1; k < 10; k++)
                if (out10[k] > out10[best]) best = k;
            correct += best == y;
            nn_trace(net, nn_data_x(digits) + (size_t)r * 64, y);
            tcost += nn_trace_cost(net);
        }
        for (k = 0; k < 10; k++)
            CHECK(rowsum[k] == want_rowsum[k], "set %d: confusion row %d sums to %d, want %d",
                  sets[s], k, rowsum[k], want_rowsum[k]);
        CHECK(correct == ev[s].correct, "set %d: evaluate correct %d, recount with nn_predict %d",
              sets[s], ev[s].correct, correct);
        CHECK(fabs(ev[s].cost - tcost / n) < 1e-5 * fmax(1, tcost / n),
              "set %d: evaluate cost %.9g, mean of nn_trace_cost %.9g", sets[s], ev[s].cost,
              tcost / n);
        CHECK(fabs(nn_cost_rows(net, digits, rows, n) - ev[s].cost) < 1e-6 * fmax(1, ev[s].cost),
              "set %d: nn_cost_rows %.9g, evaluate cost %.9g", sets[s],
              nn_cost_rows(net, digits, rows, n), ev[s].cost);
    }
    CHECK(ev[0].accuracy > 0.6f, "accuracy after 1 epoch %g (train), want > 0.6", ev[0].accuracy);
    CHECK(fabs(ev[2].cost - (ev[0].cost * N_TRAIN + ev[1].cost * N_TEST) / (N_TRAIN + N_TEST)) < 1e-5,
          "cost of all %g is not the weighted mean of train %g and test %g", ev[2].cost,
          ev[0].cost, ev[1].cost);
    {
        nn_eval e;
        int rc = nn_evaluate(net, 7, &e);
        CHECK(rc == NN_EINVAL, "evaluate set 7: rc %d, want NN_EINVAL", rc);
        rc = nn_evaluate_rows(net, digits, NULL, 0, &e);
        CHECK(rc == NN_OK && e.count == 0 && e.correct == 0 && e.accuracy == 0.0f,
              "evaluate 0 rows: rc %d count %d accuracy %g", rc, e.count, e.accuracy);
        {
            int badrow = 1797;
            rc = nn_evaluate_rows(net, digits, &badrow, 1, &e);
            CHECK(rc == NN_EINVAL && nn_last_error(net)->message[0],
                  "evaluate row 1797 (out of range): rc %d", rc);
        }
    }
    nn_free(net);
}

/* ---- parameter checks and error reporting -------------------------------------- */

static void test_errors(void)
{
    nn_config c;
    nn_net *net;
    int rc, P, off;
    float keep;
    base_config(&c, NN_SIGMOID, NN_SIGMOID, NN_MSE, NN_SGD, 0.1f, 32, 1);
    c.n_layers = 4;
    c.sizes[2] = 12;
    c.sizes[3] = 10;
    net = make(&c, NULL, "errors");
    if (!net) return;
    P = nn_param_count(net);
    CHECK(nn_last_error(net)->code == NN_OK, "fresh net: last error %d", nn_last_error(net)->code);

    /* training or evaluating with no data attached is an error, not a crash */
    rc = nn_train_steps(net, 1);
    CHECK(rc == NN_EINVAL && nn_last_error(net)->code == NN_EINVAL && nn_last_error(net)->message[0],
          "train without data: rc %d", rc);
    {
        nn_eval e;
        rc = nn_evaluate(net, NN_SET_TRAIN, &e);
        CHECK(rc != NN_OK, "evaluate without data: rc %d", rc);
    }

    /* nn_params_changed: a NaN / inf is refused, naming the layer */
    off = nn_weight_offset(net, 1) + 5;
    keep = nn_params(net)[off];
    nn_params(net)[off] = NAN;
    rc = nn_params_changed(net);
    CHECK(rc == NN_EDATA && nn_last_error(net)->code == NN_EDATA &&
              tu_contains_ci(nn_last_error(net)->message, "layer"),
          "NaN weight: rc %d message \"%s\"", rc, nn_last_error(net)->message);
    nn_params(net)[off] = keep;
    nn_params(net)[nn_bias_offset(net, 2) + 1] = INFINITY;
    rc = nn_params_changed(net);
    CHECK(rc == NN_EDATA && tu_contains_ci(nn_last_error(net)->message, "layer"),
          "inf bias: rc %d message \"%s\"", rc, nn_last_error(net)->message);
    nn_params(net)[nn_bias_offset(net, 2) + 1] = 0.0f;
    rc = nn_params_changed(net);
    CHECK(rc == NN_OK && nn_last_error(net)->code == NN_OK, "finite params refused: %d", rc);

    /* nn_set_lr */
    {
        static const float bad[] = {0.0f, -1.0f, 1000.0f};
        int i;
        for (i = 0; i < 5; i++) {
            float lr = i < 3 ? bad[i] : (i == 3 ? NAN : INFINITY);
            rc = nn_set_lr(net, lr);
            CHECK(rc == NN_EINVAL && nn_last_error(net)->code == NN_EINVAL &&
                      tu_contains_ci(nn_last_error(net)->message, "learning rate"),
                  "nn_set_lr(%g): rc %d message \"%s\"", (double)lr, rc,
                  nn_last_error(net)->message);
        }
        rc = nn_set_lr(net, 100.0f);
        CHECK(rc == NN_OK && nn_last_error(net)->code == NN_OK, "nn_set_lr(100): rc %d", rc);
    }

    /* nn_trace / nn_predict: bad label or non-finite input */
    {
        float x[64] = {0}, out10[10];
        rc = nn_trace(net, x, 10);
        CHECK(rc == NN_EINVAL, "trace label 10: rc %d", rc);
        rc = nn_trace(net, x, -2);
        CHECK(rc == NN_EINVAL, "trace label -2: rc %d", rc);
        x[3] = NAN;
        rc = nn_trace(net, x, 1);
        CHECK(rc != NN_OK && nn_last_error(net)->message[0], "trace NaN input: rc %d", rc);
        rc = nn_predict(net, x, out10);
        CHECK(rc != NN_OK, "predict NaN input: rc %d", rc);
        x[3] = 0;
        rc = nn_trace(net, x, 1);
        CHECK(rc == NN_OK && nn_last_error(net)->code == NN_OK, "trace: rc %d", rc);
    }
    (void)P;
    nn_free(net);
}

/* nn_evaluate_outputs: the same nn_eval as nn_evaluate, and each row's outputs
 * the bits nn_predict gives for it alone (the page's evaluation takes them in one call). */
static void test_evaluate_outputs(void)
{
    static const struct { int act, out, cost; const char *what; } cases[] = {
        {NN_RELU, NN_SOFTMAX, NN_XENT, "relu/softmax/xent"},
        {NN_SIGMOID, NN_SIGMOID, NN_MSE, "sigmoid/sigmoid/mse"},
        {NN_TANH, NN_IDENTITY, NN_MSE, "tanh/identity/mse"},
    };
    static const int sets[3] = {NN_SET_TRAIN, NN_SET_TEST, NN_SET_ALL};
    float *outs = malloc(sizeof(float) * (1797 * 10 + 1)); /* + 1: a sentinel after the last row */
    int k, s, i;
    for (k = 0; k < 3; k++) {
        nn_config c;
        nn_net *net;
        nn_config_default(&c);
        c.n_layers = 4;
        c.sizes[0] = 64, c.sizes[1] = 16, c.sizes[2] = 12, c.sizes[3] = 10;
        c.hidden_act = cases[k].act;
        c.output_act = cases[k].out;
        c.cost = cases[k].cost;
        c.batch_size = 50;
        net = make(&c, digits, cases[k].what);
        if (!net) continue;
        train_epochs(net, 1, cases[k].what);
        for (s = 0; s < 3; s++) {
            nn_eval e1, e2;
            const int n = nn_data_set_count(digits, sets[s]);
            const int *rows = nn_data_set_indices(digits, sets[s]);
            int differ = 0, nonzero = 0;
            memset(outs, 0xff, sizeof(float) * (1797 * 10 + 1));
            CHECK(nn_evaluate(net, sets[s], &e1) == NN_OK &&
                      nn_evaluate_outputs(net, sets[s], &e2, outs) == NN_OK,
                  "%s set %d: %s", cases[k].what, sets[s], nn_last_error(net)->message);
            CHECK(memcmp(&e1, &e2, sizeof e1) == 0, "%s set %d: the nn_eval differs from nn_evaluate's",
                  cases[k].what, sets[s]);
            for (i = 0; i < n; i++) {
                float out10[10];
                nn_predict(net, nn_data_x(digits) + (size_t)rows[i] * 64, out10);
                differ += memcmp(out10, outs + (size_t)i * 10, sizeof out10) != 0;
                nonzero += out10[0] != 0.0f;
            }
            CHECK(differ == 0 && nonzero > n / 2, "%s set %d: %d of %d rows differ from nn_predict (%d nonzero)",
                  cases[k].what, sets[s], differ, n, nonzero);
            CHECK(((uint32_t *)outs)[(size_t)n * 10] == 0xffffffffu, "%s set %d: wrote past count × 10",
                  cases[k].what, sets[s]);
        }
        {
            nn_eval e;
            CHECK(nn_evaluate_outputs(net, NN_SET_TEST, &e, NULL) == NN_OK && e.count == N_TEST,
                  "%s: outputs NULL is allowed", cases[k].what);
            CHECK(nn_evaluate_outputs(net, 7, &e, outs) == NN_EINVAL, "%s: set 7 refused", cases[k].what);
        }
        nn_free(net);
    }
    CHECK(nn_evaluate_outputs(NULL, NN_SET_TEST, NULL, outs) == NN_EINVAL, "a NULL network is refused");
    free(outs);
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : ".";
    nn_error err;
    digits = tu_load_digits(src, NN_SCALE_UNIT);
    if (!digits) return tu_finish();
    CHECK(nn_data_split(digits, 0.2f, 1, &err) == NN_OK &&
              nn_data_set_count(digits, NN_SET_TRAIN) == N_TRAIN,
          "split: %d training rows, want %d", nn_data_set_count(digits, NN_SET_TRAIN), N_TRAIN);
    test_determinism();
    test_reset_optimizer();
    test_shuffle();
    test_epoch_order();
    test_counters();
    test_limited(src);
    test_divergence();
    test_weight_overflow();
    test_optimisers();
    test_init();
    test_side_effects();
    test_evaluate();
    test_evaluate_outputs();
    test_errors();
    test_train_samples();
    nn_data_free(digits);
    return tu_finish();
}
