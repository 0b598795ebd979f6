/*
 * nnmath.h — a small multilayer perceptron for the UCI 8x8 digits, written
 * for a lesson on the mathematics of neural networks.  C11, libc + libm only.
 *
 * This header is the documentation.  One prefix (nn_), opaque handles, and
 * every error returned as a code plus a plain-language message; the library
 * never calls exit() or abort() and never prints.
 *
 * ------------------------------------------------------------------------
 * The network
 * ------------------------------------------------------------------------
 * sizes = {64, h1, ..., 10}: 2..6 layer sizes (so 0..4 hidden layers), hidden
 * widths 1..512.  Weight layer l (l = 0 .. n_layers-2) maps a_l (in = sizes[l])
 * to a_{l+1} (out = sizes[l+1]):
 *
 *     z_{l+1} = W_l · a_l + b_l          W_l is out×in, row-major (like
 *     a_{l+1} = f(z_{l+1})               PyTorch's nn.Linear.weight)
 *
 * f is the hidden activation (sigmoid, tanh, relu) for every layer but the
 * last, and the output activation (softmax, sigmoid, identity) for the last.
 *
 * Costs, exactly as the lesson prints them (n = number of samples, y one-hot):
 *     NN_MSE:  C = 1/(2n) · Σ_samples Σ_k (a_k − y_k)²
 *     NN_XENT: C = −1/n · Σ_samples log softmax(z)_label   (max subtracted;
 *              NN_XENT requires the softmax output)
 * Optional L2 weight decay λ adds λ·W to ∂C/∂W (weights only, not biases);
 * reported costs never include the L2 term.
 *
 * Parameters live in ONE contiguous float buffer: layer 0's W (out×in), then
 * its b (out), then layer 1's W, b, ...  Gradients live in a second buffer with
 * the same layout.  Everything is allocated by nn_create/nn_attach; training
 * never allocates.
 *
 * Determinism: two independent 32-bit generators live in the network, both
 * derived from config.seed: one for initialisation, one for shuffling.  So the
 * same seed gives the same initial weights (for the same architecture) and
 * the same batch order (for the same training set), native and wasm alike.
 * Initialisation is uniform: He, U(±sqrt(6/in)), for ReLU hidden layers;
 * Xavier/Glorot, U(±sqrt(6/(in+out))), for sigmoid and tanh (and for the
 * output layer).  Biases start at 0.
 *
 * Batches: a batch of any size (0 = the whole training set) is processed in
 * chunks of NN_CHUNK samples whose gradients are summed, so memory does not
 * depend on the batch size.
 */
#ifndef NNMATH_H
#define NNMATH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NN_INPUTS 64
#define NN_CLASSES 10
#define NN_MAX_LAYERS 6     /* layer sizes, input and output included */
#define NN_MAX_WIDTH 512
#define NN_CHUNK 64         /* samples per internal chunk */
#define NN_MAX_ROWS 100000  /* the CSV parser refuses larger files */

/* ---- error codes ------------------------------------------------------ */
enum {
    NN_OK = 0,
    NN_EINVAL = 1,    /* a bad argument or configuration */
    NN_EDATA = 2,     /* malformed data or parameter values */
    NN_EDIVERGED = 3, /* training produced a non-finite cost or weight */
    NN_ENOMEM = 4     /* out of memory */
};

/* Every error is a code plus a message (NUL-terminated, plain language).
 * The struct is 256 bytes: code at offset 0, message at offset 4. */
typedef struct nn_error {
    int code;
    char message[252];
} nn_error;

/* ---- enumerations (the numbers cross the wasm boundary) ---------------- */
enum { NN_SIGMOID = 0, NN_TANH = 1, NN_RELU = 2, NN_SOFTMAX = 3, NN_IDENTITY = 4 };
enum { NN_MSE = 0, NN_XENT = 1 };
enum { NN_SGD = 0, NN_MOMENTUM = 1, NN_ADAM = 2 };
enum { NN_SCALE_UNIT = 0 /* pixel/16 */, NN_SCALE_RAW = 1 /* 0..16 */ };
enum { NN_SET_TRAIN = 0, NN_SET_TEST = 1, NN_SET_ALL = 2 };

/* ---- data ---------------------------------------------------------------
 * A data set of n digits: raw pixels (n×64 bytes, 0..16), labels (n bytes,
 * 0..9) and the scaled inputs x (n×64 floats).  After nn_data_split it also
 * holds the train and test index lists (each ascending). */
typedef struct nn_data nn_data;

/* Parse the digits CSV: per line 64 integers 0..16 then a label 0..9,
 * comma-separated, no header; "\n" or "\r\n"; a final newline is optional.
 * Errors (NN_EDATA) name the line and column (both 1-based), e.g.
 *   "line 12, column 65: the label must be a whole number from 0 to 9, found \"x\"".
 * An empty file, a wrong column count, text, a value out of range and a file
 * of more than NN_MAX_ROWS rows are all refused.  Returns NULL on error. */
nn_data *nn_data_parse_csv(const char *text, size_t len, int scale, nn_error *err);

/* Build a data set from n×64 raw pixels (0..16) and n labels (0..9). */
nn_data *nn_data_from_bytes(const uint8_t *pixels, const uint8_t *labels, int n,
                            int scale, nn_error *err);
void nn_data_free(nn_data *d);

int nn_data_count(const nn_data *d);
int nn_data_scale(const nn_data *d);
const float *nn_data_x(const nn_data *d);        /* (n,64) scaled */
const uint8_t *nn_data_pixels(const nn_data *d); /* (n,64) raw 0..16 */
const uint8_t *nn_data_labels(const nn_data *d); /* (n) */

/* Seeded, stratified split: for every label, its rows are shuffled with the
 * seed and round(count × test_fraction) of them go to the test set.
 * test_fraction in [0, 0.9]; 0 puts every row in the training set.  Until
 * called, every row is training data and the test set is empty. */
int nn_data_split(nn_data *d, float test_fraction, uint32_t seed, nn_error *err);

/* Keep only the first n rows of the training list (stratification is kept
 * approximately: the training list is interleaved by label).  For the
 * "training-set size" experiments.  n >= 1; n larger than the list is fine. */
int nn_data_limit_train(nn_data *d, int n, nn_error *err);

int nn_data_set_count(const nn_data *d, int set);
const int *nn_data_set_indices(const nn_data *d, int set); /* row numbers */

/* ---- configuration ------------------------------------------------------
 * Plain struct of 4-byte fields (64 bytes) so that JS can fill it in wasm
 * memory; offsets are fixed: n_layers 0, sizes 4, hidden_act 28,
 * output_act 32, cost 36, optimizer 40, lr 44, momentum 48, weight_decay 52,
 * batch_size 56, seed 60. */
typedef struct nn_config {
    int32_t n_layers;              /* 2..6 */
    int32_t sizes[NN_MAX_LAYERS];  /* sizes[0] = 64, sizes[n_layers-1] = 10 */
    int32_t hidden_act;            /* NN_SIGMOID, NN_TANH or NN_RELU */
    int32_t output_act;            /* NN_SOFTMAX, NN_SIGMOID or NN_IDENTITY */
    int32_t cost;                  /* NN_MSE or NN_XENT */
    int32_t optimizer;             /* NN_SGD, NN_MOMENTUM or NN_ADAM */
    float lr;                      /* finite, > 0, <= 100 */
    float momentum;                /* [0, 1): momentum; Adam's beta1 */
    float weight_decay;            /* L2 λ, finite, 0 <= λ <= 1 */
    int32_t batch_size;            /* 0 = full batch, else 1..100000 */
    uint32_t seed;
} nn_config;

/* The lesson's "simple" classifier: 64,8,10, sigmoid, sigmoid output, MSE,
 * SGD lr 0.1, momentum 0.9 (unused by SGD), batch 32, seed 1. */
void nn_config_default(nn_config *cfg);
int nn_config_sizeof(void); /* 64: lets the JS wrapper check the layout */

/* Check a configuration without creating anything. */
int nn_config_check(const nn_config *cfg, nn_error *err);

/* ---- the network --------------------------------------------------------- */
typedef struct nn_net nn_net;

nn_net *nn_create(const nn_config *cfg, nn_error *err);
void nn_free(nn_net *net);

/* The last error of this network (code NN_OK if none).  Every int-returning
 * function below returns its code and also stores it here. */
const nn_error *nn_last_error(const nn_net *net);

int nn_layer_count(const nn_net *net);          /* weight layers = n_layers-1 */
int nn_layer_in(const nn_net *net, int l);
int nn_layer_out(const nn_net *net, int l);
int nn_weight_offset(const nn_net *net, int l); /* float index of W_l in params */
int nn_bias_offset(const nn_net *net, int l);   /* float index of b_l */
int nn_param_count(const nn_net *net);
float *nn_params(nn_net *net); /* the contiguous parameter buffer */
float *nn_grads(nn_net *net);  /* gradients of the last training step */

/* Re-initialise parameters and optimizer state from the seed, as at create.
 * Also resets the shuffle generator and the epoch counter. */
void nn_reset(nn_net *net);

/* Parameters were changed from outside (e.g. loaded from a file): check they
 * are finite (NN_EDATA otherwise, with the layer named) and clear optimizer
 * state. */
int nn_params_changed(nn_net *net);

/* Change hyper-parameters between steps (same checks as nn_config_check). */
int nn_set_lr(nn_net *net, float lr);

/* ---- training -----------------------------------------------------------
 * nn_attach binds the net to a data set (which must outlive it, and must be
 * split before attaching if a test set is wanted); it allocates the shuffle
 * buffer, so call it before training, not during.  Each epoch starts by
 * laying the training indices out in order and, if shuffling is on
 * (default), Fisher–Yates shuffling them with the shuffle generator. */
int nn_attach(nn_net *net, const nn_data *d);
void nn_set_shuffle(nn_net *net, int on);

/* Run up to `steps` mini-batch steps (a step = one gradient update); an
 * epoch boundary is crossed as needed.  The last batch of an epoch may be
 * smaller.  If a step produces a non-finite cost, gradient or weight, the
 * parameters of before that step are restored, optimizer state is cleared
 * and NN_EDIVERGED is returned with a message naming the epoch and step and
 * suggesting a smaller learning rate. */
int nn_train_steps(nn_net *net, int steps);
/* Run the steps left in the current epoch (a whole epoch at a boundary). */
int nn_train_epoch(nn_net *net);
/* Train on about `samples` (>= 1) samples, a step split into parts when its
 * batch is bigger: the gradient is added NN_CHUNK samples at a time (whole
 * chunks, so up to NN_CHUNK - 1 more than asked), each step's update is made
 * when its batch is complete, and the call returns early at the end of an
 * epoch.  A step can be left half done: nn_step_pending tells how many of its
 * samples are in (nn_grads holds their partial sum), and the next
 * nn_train_samples, nn_train_steps or nn_train_epoch goes on with it (it is
 * then one step).  The results are the same, bit for bit, as whole steps.
 * nn_reset, nn_params_changed and nn_attach drop a half-done step.  This is
 * how the page keeps every task short with a big batch. */
int nn_train_samples(nn_net *net, int samples);
int nn_step_pending(const nn_net *net);   /* samples of the step in progress (0: none) */
int nn_epochs_done(const nn_net *net);    /* completed epochs */
int nn_step_in_epoch(const nn_net *net);  /* steps done in the current epoch */
int nn_steps_per_epoch(const nn_net *net);
float nn_last_batch_cost(const nn_net *net);

/* ---- evaluation ------------------------------------------------------------ */
typedef struct nn_eval {
    float cost;          /* mean data cost (no L2 term) */
    float accuracy;      /* correct / count, 0..1 (0 for an empty set) */
    int32_t correct;
    int32_t count;
    int32_t confusion[NN_CLASSES * NN_CLASSES]; /* [true*10 + predicted] */
} nn_eval;

int nn_evaluate(nn_net *net, int set, nn_eval *out); /* on the attached data */
/* nn_evaluate, and also the output activations of every row of the set, in the
 * order of nn_data_set_indices, into outputs (count × 10 floats; NULL: none):
 * the same numbers, bit for bit, as nn_predict gives row by row, in one call. */
int nn_evaluate_outputs(nn_net *net, int set, nn_eval *out, float *outputs);
/* Evaluate on an explicit list of rows of any data set. */
int nn_evaluate_rows(nn_net *net, const nn_data *d, const int *rows, int n, nn_eval *out);

/* ---- one sample, every number ---------------------------------------------
 * nn_trace runs the forward pass for one input x (64 floats, already scaled)
 * and keeps every layer's z and a.  If label is 0..9 it also runs the backward
 * pass for that one sample (n = 1 in the cost) and keeps every layer's
 * δ = ∂C/∂z, ∂C/∂W = δ·aᵀ and ∂C/∂b = δ (in a buffer with the params' layout,
 * separate from nn_grads); label -1 skips the backward pass.
 * Layer index l for trace arrays: a(0) is the input x; z(l), a(l), delta(l)
 * for l = 1..n_layers-1 are the outputs of weight layer l-1. */
int nn_trace(nn_net *net, const float *x, int label);
const float *nn_trace_z(const nn_net *net, int l);
const float *nn_trace_a(const nn_net *net, int l);
const float *nn_trace_delta(const nn_net *net, int l);
const float *nn_trace_grads(const nn_net *net); /* same layout as params */
float nn_trace_cost(const nn_net *net);         /* NaN when label was -1 */
int nn_trace_predicted(const nn_net *net);      /* argmax of the output */

/* Output activations (10 floats) for one scaled input x. */
int nn_predict(nn_net *net, const float *x, float *out10);

/* Cost of the current parameters on a list of rows (no L2), used by the
 * loss-landscape view and by tests. */
float nn_cost_rows(nn_net *net, const nn_data *d, const int *rows, int n);

/* ---- the cost landscape (src/nn_landscape.c) ------------------------------
 * A 2D slice of the cost through the current parameters θ (P floats):
 *
 *     C(α, β) = cost of θ + α·d1 + β·d2   on a list of rows (no L2 term)
 *
 * for two directions d1, d2 laid out like the parameters (Li et al. 2018,
 * "Visualizing the Loss Landscape of Neural Nets").  These functions use only
 * the public API above.  Errors are returned as a code and written to `err`
 * (which may be NULL) — not to nn_last_error.  All arithmetic is IEEE basic
 * operations and sqrt in a fixed order: native and wasm give the same bits. */
#define NN_LANDSCAPE_MAX_PATH 256 /* points nn_landscape_path_directions takes */

/* Two random, filter-normalised directions (d1, d2: P floats each).  Every
 * entry is roughly standard-normal (the centred sum of four uniform 24-bit
 * integers from a 32-bit generator seeded with `seed`; d1 is drawn first,
 * then d2); then each row of each W_l — the incoming weights of one neuron —
 * is scaled to the Euclidean norm of the same row of θ's W_l, and every bias
 * entry is 0 (as in Li et al.).  Same seed and θ, same bits. */
int nn_landscape_directions(nn_net *net, uint32_t seed, float *d1, float *d2, nn_error *err);

/* One row of the grid: out[j] = C(alpha, betas[j]) for j = 0..n_betas-1, on
 * rows[0..n-1] of d.  Each parameter is set to θ_i + (alpha·d1_i +
 * betas[j]·d2_i) in float, so alpha = beta = 0 gives θ exactly and its cost
 * equals nn_cost_rows(net, d, rows, n) bit for bit.  The parameters are
 * restored bit for bit before returning (optimizer state is not touched).
 * A cost that overflows far from θ is stored as it comes (inf or NaN).
 * Time ≈ n_betas forward passes over n rows: call it on a few betas at a
 * time to keep each call short (the page computes a 31×31 grid in slices). */
int nn_landscape_row(nn_net *net, const nn_data *d, const int *rows, int n, const float *d1,
                     const float *d2, float alpha, const float *betas, int n_betas, float *out,
                     nn_error *err);

/* Where parameter vectors lie on the plane θ + α·d1 + β·d2: for each of the
 * `count` vectors p_k (thetas + k·P), (α_k, β_k) = the orthogonal projection
 * of p_k − θ onto span(d1, d2) (least squares: the 2×2 normal equations, in
 * double; exact even when d1 and d2 are not orthogonal), written to
 * xy[2k], xy[2k+1].  If `off` is not NULL, off[k] = |p_k − θ − α_k·d1 −
 * β_k·d2| / |p_k − θ| (0 when p_k = θ): the part of the step from θ that
 * lies outside the plane (0 = in the plane, 1 = perpendicular to it). */
int nn_landscape_project(nn_net *net, const float *thetas, int count, const float *d1,
                         const float *d2, float *xy, float *off, nn_error *err);

/* Two directions that follow a training path (Li et al. §7): the first two
 * principal directions of the vectors p_k − θ, k = 0..count-1 (the right
 * singular vectors of the matrix with those rows; not centred, so the plane
 * holds the steps from θ), as orthogonal unit vectors.  count 1 to
 * NN_LANDSCAPE_MAX_PATH; at least one p_k must differ from θ.  If all steps
 * lie on one line, d2 is a fixed unit vector orthogonal to d1.  If
 * `explained` is not NULL it gets 2 floats: the fraction of Σ|p_k − θ|²
 * along d1 and along d2. */
int nn_landscape_path_directions(nn_net *net, const float *thetas, int count, float *d1,
                                 float *d2, float *explained, nn_error *err);

#ifdef __cplusplus
}
#endif
#endif /* NNMATH_H */
