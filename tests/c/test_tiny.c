/*
 * test_tiny.c — a network small enough to compute by hand.
 *
 * Architecture 64,2,10, hidden sigmoid, scale NN_SCALE_UNIT (x = pixel/16).
 * Parameter layout from the header: W0 (2×64) at 0, b0 (2) at 128,
 * W1 (10×2) at 130, b1 (10) at 150; 160 floats.  All zero except
 *     W0[0][0] = 0.5   W0[0][10] = -1   W0[1][10] = 2   W0[1][63] = -1
 *     b0 = (0.1, -1)
 *     W1[0] = (1, 0)   W1[1] = (0, -1)  W1[2] = (2, -1)  W1[9] = (-1, 2)
 *     b1[3] = 0.3
 * The data set (nn_data_from_bytes, 3 rows):
 *     row 0: pixel 0 = 16, pixel 10 = 8, pixel 63 = 4   label 2
 *            -> x0 = 1, x10 = 0.5, x63 = 0.25
 *     row 1: pixel 5 = 16, pixel 10 = 16                label 9
 *     row 2: all pixels 0                               label 0
 *
 * Row 0 by hand:
 *     z1_0 = 0.5·1 + (−1)·0.5 + 0.1            = 0.1
 *     z1_1 = 2·0.5 + (−1)·0.25 − 1             = −0.25
 *     a1   = σ(z1) = (1/(1+e^−0.1), 1/(1+e^0.25)) = (0.524979187, 0.437823499)
 *     z2   = (a1_0, −a1_1, 2a1_0 − a1_1, 0.3, 0,0,0,0,0, −a1_0 + 2a1_1)
 *          = (0.524979187, −0.437823499, 0.612134876, 0.3, 0×5, 0.350667811)
 *   softmax output, cross-entropy, label 2:
 *     a2_k = e^{z2_k} / Σ e^{z2}; Σ e^{z2} = 1.69042 + 0.645440 + 1.84436 + 1.34986
 *            + 5·1 + 1.42002 = 11.9501  ->  a2_2 = 1.84436/11.9501 = 0.154338819
 *     C    = −ln a2_2 = 1.86860497;  predicted = argmax = 2
 *     δ2   = a2 − y  (δ2_2 = 0.154338819 − 1 = −0.845661181)
 *     δ1_j = (Σ_k W1[k][j] δ2_k) · a1_j (1 − a1_j)
 *     δ1_0 = (0.141456835 + 2·(−0.845661181) − 0.118828734) · 0.524979187·0.475020813
 *          = −1.66869426 · 0.249376040 = −0.416132367
 *     δ1_1 = (−0.0540112271 − (−0.845661181)·1 + 2·0.118828734) · 0.437823499·0.562176501
 *          = 1.02930742 · 0.246134083 = 0.253347638
 *     ∂C/∂W1[k][j] = δ2_k a1_j, e.g. ∂C/∂W1[2][0] = −0.845661181·0.524979187 = −0.443954520
 *     ∂C/∂W0[i][j] = δ1_i x_j,  e.g. ∂C/∂W0[0][10] = −0.416132367·0.5 = −0.208066183
 *   sigmoid output, MSE (C = ½ Σ (a2 − y)²), label 2:
 *     a2 = σ(z2) = (0.628311328, 0.392259708, 0.648427642, 0.574442517, 0.5×5, 0.586779512)
 *     C  = ½(0.628311² + 0.392260² + 0.351572² + 0.574443² + 5·0.25 + 0.586780²) = 1.29827016
 *     δ2_k = (a2_k − y_k) a2_k (1 − a2_k), e.g. δ2_2 = −0.351572358·0.648427642·0.351572358
 *          = −0.0801476815
 * The other rows and the full-batch step (mean of the three rows' gradients,
 * SGD with lr 0.5: p' = p − 0.5·ḡ) were computed the same way in double
 * precision with a separate calculator (a few lines of JavaScript, not the
 * core); the literals are below.
 */
#include "testutil.h"

#include <stdint.h>

#define TOL 3e-6

enum { OW0 = 0, OB0 = 128, OW1 = 130, OB1 = 150, NPARAM = 160 };

#define W0(i, j) (OW0 + (i) * 64 + (j))
#define B0(i) (OB0 + (i))
#define W1(k, j) (OW1 + (k) * 2 + (j))
#define B1(k) (OB1 + (k))

static void set_params(float *p)
{
    memset(p, 0, NPARAM * sizeof(float));
    p[W0(0, 0)] = 0.5f;
    p[W0(0, 10)] = -1.0f;
    p[W0(1, 10)] = 2.0f;
    p[W0(1, 63)] = -1.0f;
    p[B0(0)] = 0.1f;
    p[B0(1)] = -1.0f;
    p[W1(0, 0)] = 1.0f;
    p[W1(1, 1)] = -1.0f;
    p[W1(2, 0)] = 2.0f;
    p[W1(2, 1)] = -1.0f;
    p[W1(9, 0)] = -1.0f;
    p[W1(9, 1)] = 2.0f;
    p[B1(3)] = 0.3f;
}

/* Expected values for one output/cost case. */
typedef struct {
    const char *name;
    int output, cost;
    double a2[10];       /* row 0 output */
    double cost0;        /* row 0 cost */
    double d2[10];       /* row 0 output delta */
    double d1[2];        /* row 0 hidden delta */
    double dW1_20, dW1_91, dW0_010, dW0_163; /* a few row-0 weight gradients */
    double row_cost[3];  /* cost of each row */
    double mean_cost;
    /* full-batch SGD step, lr 0.5: {index, mean gradient, new value} */
    struct { int idx; double grad, value; } step[12];
} tiny_case;

static const tiny_case cases[2] = {
    {"softmax+xent", NN_SOFTMAX, NN_XENT,
     {0.141456835, 0.0540112271, 0.154338819, 0.112957928, 0.0836812914, 0.0836812914,
      0.0836812914, 0.0836812914, 0.0836812914, 0.118828734},
     1.86860497,
     {0.141456835, 0.0540112271, -0.845661181, 0.112957928, 0.0836812914, 0.0836812914,
      0.0836812914, 0.0836812914, 0.0836812914, 0.118828734},
     {-0.416132367, 0.253347638},
     -0.443954520, 0.0520260120, -0.208066183, 0.0633369095,
     {1.86860497, 1.33298744, 1.96002326},
     1.72053856,
     {{W0(0, 0), -0.138710789, 0.569355394},
      {W0(0, 5), 0.0674918821, -0.0337459410},
      {W0(0, 10), -0.00186351242, -0.999068244},
      {W0(1, 10), -0.0614500369, 2.03072502},
      {W0(1, 63), 0.0211123032, -1.01055615},
      {W0(1, 1), 0.0, 0.0},
      {B0(0), -0.119401566, 0.159700783},
      {B0(1), -0.0242598813, -0.987870059},
      {W1(2, 0), -0.109397460, 2.05469873},
      {W1(9, 1), -0.154520091, 2.07726005},
      {B1(3), 0.111856586, 0.244071707},
      {B1(9), -0.177691806, 0.0888459030}}},
    {"sigmoid+mse", NN_SIGMOID, NN_MSE,
     {0.628311328, 0.392259708, 0.648427642, 0.574442517, 0.5, 0.5, 0.5, 0.5, 0.5, 0.586779512},
     1.29827016,
     {0.146733442, 0.0935115878, -0.0801476815, 0.140427248, 0.125, 0.125, 0.125, 0.125, 0.125,
      0.142276027},
     {-0.0388622504, 0.0667486460},
     -0.0420758647, 0.0622917880, -0.0194311252, 0.0166871615,
     {1.29827016, 1.14081414, 1.31473219},
     1.25127216,
     {{W0(0, 0), -0.0129540835, 0.506477042},
      {W0(0, 5), 0.0282365648, -0.0141182824},
      {W0(0, 10), 0.0217595231, -1.01087976},
      {W0(1, 10), -0.00665927283, 2.00332964},
      {W0(1, 63), 0.00556238717, -1.00278119},
      {W0(1, 1), 0.0, 0.0},
      {B0(0), 0.0221767556, 0.0889116222},
      {B0(1), 0.00429997895, -1.00214999},
      {W1(2, 0), 0.0228932916, 1.98855335},
      {W1(9, 1), 0.0216499970, 1.98917500},
      {B1(3), 0.140427248, 0.229786376},
      {B1(9), 0.0751445575, -0.0375722788}}},
};

/* row 0's hidden layer, the same in both cases */
static const double Z1[2] = {0.1, -0.25};
static const double A1[2] = {0.524979187, 0.437823499};
static const double Z2[10] = {0.524979187, -0.437823499, 0.612134876, 0.3, 0, 0, 0, 0, 0,
                              0.350667811};

static nn_net *make_tiny(const tiny_case *tc, int batch, uint32_t seed)
{
    nn_config c;
    nn_error err;
    nn_net *net;
    nn_config_default(&c);
    c.n_layers = 3;
    c.sizes[0] = 64;
    c.sizes[1] = 2;
    c.sizes[2] = 10;
    c.hidden_act = NN_SIGMOID;
    c.output_act = tc->output;
    c.cost = tc->cost;
    c.optimizer = NN_SGD;
    c.lr = 0.5f;
    c.weight_decay = 0.0f;
    c.batch_size = batch;
    c.seed = seed;
    memset(&err, 0, sizeof err);
    net = nn_create(&c, &err);
    CHECK(net != NULL, "%s: nn_create: %d %s", tc->name, err.code, err.message);
    if (!net) return NULL;
    CHECK(nn_param_count(net) == NPARAM && nn_weight_offset(net, 0) == OW0 &&
              nn_bias_offset(net, 0) == OB0 && nn_weight_offset(net, 1) == OW1 &&
              nn_bias_offset(net, 1) == OB1,
          "%s: layout: count %d, offsets %d %d %d %d; want 160, 0 128 130 150", tc->name,
          nn_param_count(net), nn_weight_offset(net, 0), nn_bias_offset(net, 0),
          nn_weight_offset(net, 1), nn_bias_offset(net, 1));
    if (nn_param_count(net) != NPARAM) {
        nn_free(net);
        return NULL;
    }
    set_params(nn_params(net));
    CHECK(nn_params_changed(net) == NN_OK, "%s: nn_params_changed failed", tc->name);
    return net;
}

static void test_case(const tiny_case *tc, const nn_data *d)
{
    char what[128];
    nn_net *net = make_tiny(tc, 0, 1);
    const float *x0 = nn_data_x(d);
    float out10[10];
    const float *g;
    nn_eval ev;
    int i, k, rc;
    static const int rows_all[3] = {0, 1, 2}, rows_20[2] = {2, 0};

    if (!net) return;

    /* ---- nn_trace of row 0, label 2 ---- */
    rc = nn_trace(net, x0, 2);
    CHECK(rc == NN_OK, "%s: nn_trace returned %d", tc->name, rc);
    for (i = 0; i < 2; i++) {
        snprintf(what, sizeof what, "%s: z(1)[%d]", tc->name, i);
        CHECK_NEAR(nn_trace_z(net, 1)[i], Z1[i], TOL, what);
        snprintf(what, sizeof what, "%s: a(1)[%d]", tc->name, i);
        CHECK_NEAR(nn_trace_a(net, 1)[i], A1[i], TOL, what);
        snprintf(what, sizeof what, "%s: delta(1)[%d]", tc->name, i);
        CHECK_NEAR(nn_trace_delta(net, 1)[i], tc->d1[i], TOL, what);
    }
    for (k = 0; k < 10; k++) {
        snprintf(what, sizeof what, "%s: z(2)[%d]", tc->name, k);
        CHECK_NEAR(nn_trace_z(net, 2)[k], Z2[k], TOL, what);
        snprintf(what, sizeof what, "%s: a(2)[%d]", tc->name, k);
        CHECK_NEAR(nn_trace_a(net, 2)[k], tc->a2[k], TOL, what);
        snprintf(what, sizeof what, "%s: delta(2)[%d]", tc->name, k);
        CHECK_NEAR(nn_trace_delta(net, 2)[k], tc->d2[k], TOL, what);
    }
    snprintf(what, sizeof what, "%s: nn_trace_cost", tc->name);
    CHECK_NEAR(nn_trace_cost(net), tc->cost0, TOL, what);
    CHECK(nn_trace_predicted(net) == 2, "%s: nn_trace_predicted %d, want 2", tc->name,
          nn_trace_predicted(net));
    g = nn_trace_grads(net);
    snprintf(what, sizeof what, "%s: trace dC/dW1[2][0]", tc->name);
    CHECK_NEAR(g[W1(2, 0)], tc->dW1_20, TOL, what);
    snprintf(what, sizeof what, "%s: trace dC/dW1[9][1]", tc->name);
    CHECK_NEAR(g[W1(9, 1)], tc->dW1_91, TOL, what);
    snprintf(what, sizeof what, "%s: trace dC/dW0[0][10]", tc->name);
    CHECK_NEAR(g[W0(0, 10)], tc->dW0_010, TOL, what);
    snprintf(what, sizeof what, "%s: trace dC/dW0[1][63]", tc->name);
    CHECK_NEAR(g[W0(1, 63)], tc->dW0_163, TOL, what);
    snprintf(what, sizeof what, "%s: trace dC/dW0[1][5] (pixel 5 is 0)", tc->name);
    CHECK_NEAR(g[W0(1, 5)], 0.0, 0.0, what);
    for (k = 0; k < 10; k++) {
        snprintf(what, sizeof what, "%s: trace dC/db1[%d] = delta", tc->name, k);
        CHECK_NEAR(g[B1(k)], tc->d2[k], TOL, what);
    }
    snprintf(what, sizeof what, "%s: trace dC/db0[0]", tc->name);
    CHECK_NEAR(g[B0(0)], tc->d1[0], TOL, what);

    /* ---- nn_predict ---- */
    rc = nn_predict(net, x0, out10);
    CHECK(rc == NN_OK, "%s: nn_predict returned %d", tc->name, rc);
    for (k = 0; k < 10; k++) {
        snprintf(what, sizeof what, "%s: nn_predict[%d]", tc->name, k);
        CHECK_NEAR(out10[k], tc->a2[k], TOL, what);
    }

    /* ---- nn_evaluate_rows / nn_cost_rows on the 3 rows ----
     * predictions: row 0 -> 2 (label 2), row 1 -> 9 (label 9), row 2 -> 2 (label 0) */
    memset(&ev, 0x55, sizeof ev);
    rc = nn_evaluate_rows(net, d, rows_all, 3, &ev);
    CHECK(rc == NN_OK, "%s: nn_evaluate_rows returned %d", tc->name, rc);
    snprintf(what, sizeof what, "%s: evaluate cost (mean of 3 rows)", tc->name);
    CHECK_NEAR(ev.cost, tc->mean_cost, TOL, what);
    CHECK(ev.correct == 2 && ev.count == 3, "%s: evaluate correct %d count %d, want 2 3", tc->name,
          ev.correct, ev.count);
    snprintf(what, sizeof what, "%s: evaluate accuracy", tc->name);
    CHECK_NEAR(ev.accuracy, 2.0 / 3.0, 1e-6, what);
    for (i = 0; i < 100; i++) {
        int want = (i == 2 * 10 + 2 || i == 9 * 10 + 9 || i == 0 * 10 + 2) ? 1 : 0;
        CHECK(ev.confusion[i] == want, "%s: confusion[true %d][pred %d] = %d, want %d", tc->name,
              i / 10, i % 10, ev.confusion[i], want);
    }
    snprintf(what, sizeof what, "%s: nn_cost_rows(all 3)", tc->name);
    CHECK_NEAR(nn_cost_rows(net, d, rows_all, 3), tc->mean_cost, TOL, what);
    rc = nn_evaluate_rows(net, d, rows_20, 2, &ev);
    CHECK(rc == NN_OK, "%s: nn_evaluate_rows(rows 2,0) returned %d", tc->name, rc);
    snprintf(what, sizeof what, "%s: evaluate cost of rows {2,0}", tc->name);
    CHECK_NEAR(ev.cost, (tc->row_cost[2] + tc->row_cost[0]) / 2, TOL, what);
    CHECK(ev.correct == 1 && ev.count == 2 && ev.confusion[2] == 1 && ev.confusion[22] == 1,
          "%s: rows {2,0}: correct %d count %d confusion[0][2] %d [2][2] %d, want 1 2 1 1",
          tc->name, ev.correct, ev.count, ev.confusion[2], ev.confusion[22]);
    for (i = 0; i < 3; i++) {
        snprintf(what, sizeof what, "%s: nn_cost_rows(row %d)", tc->name, i);
        CHECK_NEAR(nn_cost_rows(net, d, rows_all + i, 1), tc->row_cost[i], TOL, what);
    }

    /* ---- one full-batch SGD step (batch 0, lr 0.5) ---- */
    rc = nn_attach(net, d);
    CHECK(rc == NN_OK, "%s: nn_attach returned %d", tc->name, rc);
    CHECK(nn_steps_per_epoch(net) == 1, "%s: steps per epoch %d with batch 0, want 1", tc->name,
          nn_steps_per_epoch(net));
    rc = nn_train_steps(net, 1);
    CHECK(rc == NN_OK, "%s: nn_train_steps returned %d", tc->name, rc);
    snprintf(what, sizeof what, "%s: last batch cost", tc->name);
    CHECK_NEAR(nn_last_batch_cost(net), tc->mean_cost, TOL, what);
    CHECK(nn_epochs_done(net) == 1, "%s: epochs done %d after the one full-batch step, want 1",
          tc->name, nn_epochs_done(net));
    for (i = 0; i < 12; i++) {
        int idx = tc->step[i].idx;
        snprintf(what, sizeof what, "%s: batch gradient of param %d", tc->name, idx);
        CHECK_NEAR(nn_grads(net)[idx], tc->step[i].grad, TOL, what);
        snprintf(what, sizeof what, "%s: param %d after the SGD step", tc->name, idx);
        CHECK_NEAR(nn_params(net)[idx], tc->step[i].value, TOL, what);
    }
    nn_free(net);

    /* ---- batch 1 without shuffling: the first step uses row 0 only, so
     *      p' = p − 0.5 · (row 0's gradient from the hand computation); the
     *      next steps use rows 1 and 2 (their cost at the parameters of the
     *      moment, nn_cost_rows, is the step's batch cost).  Two seeds, as a
     *      shuffle that ignored nn_set_shuffle could keep row 0 first by luck. */
    for (i = 0; i < 2; i++) {
        int step;
        net = make_tiny(tc, 1, 1 + 100 * (uint32_t)i);
        if (!net) return;
        rc = nn_attach(net, d);
        CHECK(rc == NN_OK, "%s: nn_attach returned %d", tc->name, rc);
        nn_set_shuffle(net, 0);
        CHECK(nn_steps_per_epoch(net) == 3, "%s: steps per epoch %d with batch 1, want 3",
              tc->name, nn_steps_per_epoch(net));
        rc = nn_train_steps(net, 1);
        CHECK(rc == NN_OK, "%s: nn_train_steps returned %d", tc->name, rc);
        snprintf(what, sizeof what, "%s: batch-1 step: last batch cost = row 0 cost", tc->name);
        CHECK_NEAR(nn_last_batch_cost(net), tc->cost0, TOL, what);
        snprintf(what, sizeof what, "%s: batch-1 step: W1[2][0]", tc->name);
        CHECK_NEAR(nn_params(net)[W1(2, 0)], 2.0 - 0.5 * tc->dW1_20, TOL, what);
        snprintf(what, sizeof what, "%s: batch-1 step: W0[0][10]", tc->name);
        CHECK_NEAR(nn_params(net)[W0(0, 10)], -1.0 - 0.5 * tc->dW0_010, TOL, what);
        snprintf(what, sizeof what, "%s: batch-1 step: b1[3]", tc->name);
        CHECK_NEAR(nn_params(net)[B1(3)], 0.3 - 0.5 * tc->d2[3], TOL, what);
        snprintf(what, sizeof what, "%s: batch-1 step: b0[1]", tc->name);
        CHECK_NEAR(nn_params(net)[B0(1)], -1.0 - 0.5 * tc->d1[1], TOL, what);
        snprintf(what, sizeof what, "%s: batch-1 step: W0[0][5] (pixel 5 of row 0 is 0)",
                 tc->name);
        CHECK_NEAR(nn_params(net)[W0(0, 5)], 0.0, 0.0, what);
        for (step = 1; step < 3; step++) {
            float want = nn_cost_rows(net, d, rows_all + step, 1);
            rc = nn_train_steps(net, 1);
            CHECK(rc == NN_OK, "%s: nn_train_steps returned %d", tc->name, rc);
            snprintf(what, sizeof what, "%s: seed %d, batch-1 step %d uses row %d", tc->name,
                     1 + 100 * i, step + 1, step);
            CHECK_NEAR(nn_last_batch_cost(net), want, TOL, what);
        }
        CHECK(nn_epochs_done(net) == 1 && nn_step_in_epoch(net) == 0,
              "%s: after 3 batch-1 steps: epochs %d, step %d; want 1, 0", tc->name,
              nn_epochs_done(net), nn_step_in_epoch(net));
        nn_free(net);
    }
}

int main(int argc, char **argv)
{
    uint8_t px[3 * 64], lb[3] = {2, 9, 0};
    nn_error err;
    nn_data *d;
    (void)argc;
    (void)argv;
    memset(px, 0, sizeof px);
    px[0] = 16;
    px[10] = 8;
    px[63] = 4;
    px[64 + 5] = 16;
    px[64 + 10] = 16;
    memset(&err, 0, sizeof err);
    d = nn_data_from_bytes(px, lb, 3, NN_SCALE_UNIT, &err);
    CHECK(d != NULL, "nn_data_from_bytes: %d %s", err.code, err.message);
    if (d) {
        CHECK(nn_data_x(d)[0] == 1.0f && nn_data_x(d)[10] == 0.5f && nn_data_x(d)[63] == 0.25f &&
                  nn_data_x(d)[64 + 10] == 1.0f && nn_data_x(d)[1] == 0.0f,
              "scaled x of row 0: %g %g %g, want 1 0.5 0.25", nn_data_x(d)[0], nn_data_x(d)[10],
              nn_data_x(d)[63]);
        test_case(&cases[0], d);
        test_case(&cases[1], d);
        nn_data_free(d);
    }
    return tu_finish();
}
