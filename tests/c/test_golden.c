/*
 * test_golden.c — reproduce the PyTorch golden fixtures (tests/golden/).
 *
 * Usage: test_golden <project-source-dir>
 *
 * tests/golden/golden.json (made by tests/golden/make_golden.py with Debian's
 * python3-torch; see tests/golden/README.md) lists configurations; for each,
 * starting from the committed initial parameters tests/golden/<init>, we run
 * 10 full-batch steps on all 1797 rows of data/digits.csv (no split, no
 * shuffling) and compare, within 1e-4 relative,
 *   - the 11 costs (before each step via nn_cost_rows and nn_last_batch_cost,
 *     and after the last step), and
 *   - every final parameter, layer by layer.
 *
 * Prints one line per failed check (plus one "info:" line per configuration
 * with the largest relative errors seen) and ends with "N passed, N failed".
 * Exit status 0 only if every check passed.
 *
 * Contains a minimal JSON reader (objects, arrays, strings without escapes
 * beyond the simple ones, numbers, true/false/null): enough for the fixtures,
 * no more.
 */
#include "nnmath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tolerance: |got - want| <= REL * max(|want|, FLOOR).
 * REL is the 1e-4 relative agreement the project promises.  FLOOR exists for
 * parameters whose final value is near zero: float32 rounding error in a
 * parameter comes from the magnitudes it passed through (its initial value
 * and updates of order 0.1..1), not from its final value, so a weight that
 * ends at 1e-4 carries the same ~1e-8..3e-7 absolute error as one that ends
 * at 0.5 (make_golden.py measures the torch float32 run against float64: the
 * largest absolute difference is 3e-7).  A purely relative test would then
 * fail on rounding noise; FLOOR = 1e-2 makes the bound for such values an
 * absolute 1e-6, still far below any real change of the parameters (every
 * configuration moves some parameter by 0.05..0.9, and a mistake such as
 * decaying the biases or a wrong derivative shifts values by >= 1e-4).  The
 * costs are all > 0.3, so for them the floor never applies. */
#define REL 1e-4
#define FLOOR 1e-2
#define STEPS_MAX 64

static int g_pass, g_fail;

/* ---------------------------------------------------------------- JSON */
enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct jv {
    int type;
    double num;     /* J_NUM (strtod), J_BOOL */
    float numf;     /* J_NUM read with strtof: the exact float32 */
    char *str;      /* J_STR */
    int n;          /* J_ARR / J_OBJ: number of items */
    struct jv *items;
    char **keys;    /* J_OBJ */
} jv;

typedef struct {
    const char *s;
    size_t pos, len;
    char err[200];
} jparser;

static void j_ws(jparser *p)
{
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\n' ||
                               p->s[p->pos] == '\r' || p->s[p->pos] == '\t'))
        p->pos++;
}

static int j_fail(jparser *p, const char *what)
{
    if (!p->err[0])
        snprintf(p->err, sizeof p->err, "JSON error at byte %zu: %s", p->pos, what);
    return -1;
}

static int j_value(jparser *p, jv *out, int depth);

static int j_string(jparser *p, char **out)
{
    size_t start, k = 0;
    char *buf;
    if (p->pos >= p->len || p->s[p->pos] != '"') return j_fail(p, "expected a string");
    start = ++p->pos;
    while (p->pos < p->len && p->s[p->pos] != '"') {
        if (p->s[p->pos] == '\\') p->pos++;
        p->pos++;
    }
    if (p->pos >= p->len) return j_fail(p, "unterminated string");
    buf = malloc(p->pos - start + 1);
    if (!buf) return j_fail(p, "out of memory");
    for (size_t i = start; i < p->pos; i++) {
        char c = p->s[i];
        if (c == '\\') {
            c = p->s[++i];
            if (c == 'n') c = '\n';
            else if (c == 't') c = '\t';
            else if (c == 'u') { free(buf); return j_fail(p, "\\u escapes not supported"); }
        }
        buf[k++] = c;
    }
    buf[k] = 0;
    p->pos++;
    *out = buf;
    return 0;
}

static int j_push(jparser *p, jv *v, int *cap)
{
    if (v->n == *cap) {
        int nc = *cap ? *cap * 2 : 8;
        jv *ni = realloc(v->items, (size_t)nc * sizeof *ni);
        if (!ni) return j_fail(p, "out of memory");
        v->items = ni;
        if (v->type == J_OBJ) {
            char **nk = realloc(v->keys, (size_t)nc * sizeof *nk);
            if (!nk) return j_fail(p, "out of memory");
            v->keys = nk;
        }
        *cap = nc;
    }
    memset(&v->items[v->n], 0, sizeof v->items[0]);
    return 0;
}

static int j_value(jparser *p, jv *out, int depth)
{
    memset(out, 0, sizeof *out);
    if (depth > 32) return j_fail(p, "nested too deeply");
    j_ws(p);
    if (p->pos >= p->len) return j_fail(p, "unexpected end");
    char c = p->s[p->pos];
    if (c == '{' || c == '[') {
        int cap = 0, obj = c == '{';
        out->type = obj ? J_OBJ : J_ARR;
        p->pos++;
        j_ws(p);
        if (p->pos < p->len && p->s[p->pos] == (obj ? '}' : ']')) { p->pos++; return 0; }
        for (;;) {
            char *key = NULL;
            j_ws(p);
            if (obj) {
                if (j_string(p, &key)) return -1;
                j_ws(p);
                if (p->pos >= p->len || p->s[p->pos] != ':') { free(key); return j_fail(p, "expected ':'"); }
                p->pos++;
            }
            if (j_push(p, out, &cap)) { free(key); return -1; }
            if (obj) out->keys[out->n] = key;
            out->n++;
            if (j_value(p, &out->items[out->n - 1], depth + 1)) return -1;
            j_ws(p);
            if (p->pos < p->len && p->s[p->pos] == ',') { p->pos++; continue; }
            if (p->pos < p->len && p->s[p->pos] == (obj ? '}' : ']')) { p->pos++; return 0; }
            return j_fail(p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == '"') {
        out->type = J_STR;
        return j_string(p, &out->str);
    }
    if (!strncmp(p->s + p->pos, "true", 4)) { out->type = J_BOOL; out->num = 1; p->pos += 4; return 0; }
    if (!strncmp(p->s + p->pos, "false", 5)) { out->type = J_BOOL; p->pos += 5; return 0; }
    if (!strncmp(p->s + p->pos, "null", 4)) { out->type = J_NULL; p->pos += 4; return 0; }
    {
        /* The buffer is NUL-terminated (read_file), so strtod cannot run off. */
        char *end;
        out->type = J_NUM;
        out->num = strtod(p->s + p->pos, &end);
        if (end == p->s + p->pos) return j_fail(p, "expected a value");
        out->numf = strtof(p->s + p->pos, NULL);
        p->pos = (size_t)(end - p->s);
        return 0;
    }
}

static void j_free(jv *v)
{
    for (int i = 0; i < v->n; i++) {
        j_free(&v->items[i]);
        if (v->type == J_OBJ) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
}

static int j_parse(const char *text, size_t len, jv *out, char *err, size_t errlen)
{
    jparser p = {text, 0, len, {0}};
    if (j_value(&p, out, 0) == 0) {
        j_ws(&p);
        if (p.pos == p.len) return 0;
        j_fail(&p, "trailing characters");
    }
    snprintf(err, errlen, "%s", p.err);
    j_free(out);
    return -1;
}

static const jv *j_get(const jv *obj, const char *key)
{
    if (!obj || obj->type != J_OBJ) return NULL;
    for (int i = 0; i < obj->n; i++)
        if (!strcmp(obj->keys[i], key)) return &obj->items[i];
    return NULL;
}

/* ---------------------------------------------------------------- helpers */
static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f) return NULL;
    for (;;) {
        if (cap - n < 65536) {
            char *nb = realloc(buf, cap + 262144 + 1);
            if (!nb) { free(buf); fclose(f); return NULL; }
            buf = nb;
            cap += 262144;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

static int load_json(const char *dir, const char *name, jv *out)
{
    char path[4096], err[256];
    size_t len;
    char *text;
    snprintf(path, sizeof path, "%s/tests/golden/%s", dir, name);
    text = read_file(path, &len);
    if (!text) {
        printf("FAIL: cannot read %s\n", path);
        return -1;
    }
    if (j_parse(text, len, out, err, sizeof err)) {
        printf("FAIL: %s: %s\n", path, err);
        free(text);
        return -1;
    }
    free(text);
    return 0;
}

static void check(int ok, const char *fmt, const char *name, const char *what, double got, double want)
{
    if (ok) {
        g_pass++;
    } else {
        g_fail++;
        printf("FAIL: ");
        printf(fmt, name, what, got, want);
        printf("\n");
    }
}

static double rel_err(double got, double want)
{
    double scale = fabs(want) > FLOOR ? fabs(want) : FLOOR;
    if (!isfinite(got)) return INFINITY;
    return fabs(got - want) / scale;
}

static int lookup(const char *s, const char *const *names, int count)
{
    for (int i = 0; i < count; i++)
        if (names[i] && !strcmp(s, names[i])) return i;
    return -1;
}

/* Copy a {"layers":[{"weight":[[...]],"bias":[...]}]} object into the net's
 * parameter buffer.  Returns 0, or -1 after printing why. */
static int params_from_json(nn_net *net, const jv *doc, const char *what)
{
    const jv *layers = j_get(doc, "layers");
    float *p = nn_params(net);
    if (!layers || layers->type != J_ARR || layers->n != nn_layer_count(net)) {
        printf("FAIL: %s: \"layers\" missing or not %d layers\n", what, nn_layer_count(net));
        return -1;
    }
    for (int l = 0; l < layers->n; l++) {
        const jv *W = j_get(&layers->items[l], "weight"), *b = j_get(&layers->items[l], "bias");
        int in = nn_layer_in(net, l), out = nn_layer_out(net, l);
        if (!W || W->type != J_ARR || W->n != out || !b || b->type != J_ARR || b->n != out) {
            printf("FAIL: %s: layer %d: weight/bias missing or not %d rows\n", what, l, out);
            return -1;
        }
        for (int r = 0; r < out; r++) {
            const jv *row = &W->items[r];
            if (row->type != J_ARR || row->n != in) {
                printf("FAIL: %s: layer %d row %d: not %d numbers\n", what, l, r, in);
                return -1;
            }
            for (int c = 0; c < in; c++) {
                if (row->items[c].type != J_NUM) {
                    printf("FAIL: %s: layer %d: weight[%d][%d] is not a number\n", what, l, r, c);
                    return -1;
                }
                p[nn_weight_offset(net, l) + r * in + c] = row->items[c].numf;
            }
            if (b->items[r].type != J_NUM) {
                printf("FAIL: %s: layer %d: bias[%d] is not a number\n", what, l, r);
                return -1;
            }
            p[nn_bias_offset(net, l) + r] = b->items[r].numf;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- main */
static const char *const ACTS[] = {"sigmoid", "tanh", "relu", "softmax", "identity"};
static const char *const COSTS[] = {"mse", "xent"};
static const char *const OPTS[] = {"sgd", "momentum", "adam"};

static void run_config(const char *dir, const jv *c, const nn_data *d, const int *rows, int n)
{
    const jv *jname = j_get(c, "name"), *jlayers = j_get(c, "layers"), *jact = j_get(c, "activation"),
             *jout = j_get(c, "output"), *jcost = j_get(c, "cost"), *jopt = j_get(c, "optimizer"),
             *jlr = j_get(c, "lr"), *jmom = j_get(c, "momentum"), *jwd = j_get(c, "weight_decay"),
             *jsteps = j_get(c, "steps"), *jinit = j_get(c, "init"), *jcosts = j_get(c, "costs"),
             *jfinal = j_get(c, "final");
    const char *name = jname && jname->type == J_STR ? jname->str : "?";
    nn_config cfg;
    nn_error err;
    nn_net *net;
    jv init;
    int steps, rc;
    double got_costs[STEPS_MAX + 1], batch_costs[STEPS_MAX];
    double worst_cost = 0, worst_param = 0;

    if (!jname || jname->type != J_STR || !jlayers || jlayers->type != J_ARR || !jact ||
        jact->type != J_STR || !jout || jout->type != J_STR || !jcost || jcost->type != J_STR ||
        !jopt || jopt->type != J_STR || !jlr || jlr->type != J_NUM || !jmom || jmom->type != J_NUM ||
        !jwd || jwd->type != J_NUM || !jsteps || jsteps->type != J_NUM || !jinit ||
        jinit->type != J_STR || !jcosts || jcosts->type != J_ARR || !jfinal ||
        jlayers->n < 2 || jlayers->n > NN_MAX_LAYERS) {
        printf("FAIL: %s: malformed configuration in golden.json\n", name);
        g_fail++;
        return;
    }
    steps = (int)jsteps->num;
    if (steps < 1 || steps > STEPS_MAX || jcosts->n != steps + 1) {
        printf("FAIL: %s: steps %d and %d costs do not fit\n", name, steps, jcosts->n);
        g_fail++;
        return;
    }

    nn_config_default(&cfg);
    cfg.n_layers = jlayers->n;
    for (int i = 0; i < jlayers->n; i++) cfg.sizes[i] = (int32_t)jlayers->items[i].num;
    cfg.hidden_act = lookup(jact->str, ACTS, 3);
    cfg.output_act = lookup(jout->str, ACTS, 5);
    cfg.cost = lookup(jcost->str, COSTS, 2);
    cfg.optimizer = lookup(jopt->str, OPTS, 3);
    cfg.lr = jlr->numf;
    cfg.momentum = jmom->numf;
    cfg.weight_decay = jwd->numf;
    cfg.batch_size = 0; /* full batch: every row in every step */
    cfg.seed = 1;       /* irrelevant: the parameters are overwritten */
    if (cfg.hidden_act < 0 || cfg.output_act < 0 || cfg.cost < 0 || cfg.optimizer < 0) {
        printf("FAIL: %s: unknown activation, output, cost or optimizer name\n", name);
        g_fail++;
        return;
    }

    net = nn_create(&cfg, &err);
    if (!net) {
        printf("FAIL: %s: nn_create: %s\n", name, err.message);
        g_fail++;
        return;
    }
    if (nn_attach(net, d) != NN_OK) {
        printf("FAIL: %s: nn_attach: %s\n", name, nn_last_error(net)->message);
        g_fail++;
        nn_free(net);
        return;
    }
    /* Full batch: shuffling only changes the summation order, but keep the
     * CSV order so the run is the same as torch's (rows in file order). */
    nn_set_shuffle(net, 0);

    if (load_json(dir, jinit->str, &init)) {
        g_fail++;
        nn_free(net);
        return;
    }
    rc = params_from_json(net, &init, jinit->str);
    j_free(&init);
    if (rc) {
        g_fail++;
        nn_free(net);
        return;
    }
    if (nn_params_changed(net) != NN_OK) {
        printf("FAIL: %s: nn_params_changed: %s\n", name, nn_last_error(net)->message);
        g_fail++;
        nn_free(net);
        return;
    }

    for (int s = 0; s < steps; s++) {
        got_costs[s] = nn_cost_rows(net, d, rows, n);
        rc = nn_train_steps(net, 1);
        if (rc != NN_OK) {
            printf("FAIL: %s: nn_train_steps (step %d): %s\n", name, s + 1, nn_last_error(net)->message);
            g_fail++;
            nn_free(net);
            return;
        }
        batch_costs[s] = nn_last_batch_cost(net);
    }
    got_costs[steps] = nn_cost_rows(net, d, rows, n);

    for (int s = 0; s <= steps; s++) {
        char what[64];
        double want = jcosts->items[s].num, e = rel_err(got_costs[s], want);
        if (e > worst_cost) worst_cost = e;
        snprintf(what, sizeof what, "cost %d (nn_cost_rows)", s);
        check(e <= REL, "%s: %s = %.9g, PyTorch %.9g", name, what, got_costs[s], want);
        if (s < steps) {
            /* The full batch's cost, computed during step s+1 before its
             * update, is the same number. */
            e = rel_err(batch_costs[s], want);
            if (e > worst_cost) worst_cost = e;
            snprintf(what, sizeof what, "cost %d (nn_last_batch_cost after step %d)", s, s + 1);
            check(e <= REL, "%s: %s = %.9g, PyTorch %.9g", name, what, batch_costs[s], want);
        }
    }

    /* Final parameters, one check per layer's W and b; on failure the worst
     * element is named. */
    {
        const jv *layers = j_get(jfinal, "layers");
        const float *p = nn_params(net);
        if (!layers || layers->type != J_ARR || layers->n != nn_layer_count(net)) {
            printf("FAIL: %s: final.layers malformed\n", name);
            g_fail++;
            nn_free(net);
            return;
        }
        for (int l = 0; l < layers->n; l++) {
            const jv *W = j_get(&layers->items[l], "weight"), *b = j_get(&layers->items[l], "bias");
            int in = nn_layer_in(net, l), out = nn_layer_out(net, l);
            double wW = 0, wb = 0;
            int wr = 0, wc = 0, br = 0;
            double gotW = 0, wantW = 0, gotb = 0, wantb = 0;
            if (!W || W->type != J_ARR || W->n != out || !b || b->type != J_ARR || b->n != out) {
                printf("FAIL: %s: final layer %d malformed\n", name, l);
                g_fail++;
                continue;
            }
            for (int r = 0; r < out; r++) {
                const jv *row = &W->items[r];
                if (row->type != J_ARR || row->n != in) {
                    printf("FAIL: %s: final layer %d row %d malformed\n", name, l, r);
                    g_fail++;
                    nn_free(net);
                    return;
                }
                for (int k = 0; k < in; k++) {
                    double g = p[nn_weight_offset(net, l) + r * in + k], w = row->items[k].num;
                    double e = rel_err(g, w);
                    if (e > wW) { wW = e; wr = r; wc = k; gotW = g; wantW = w; }
                }
                {
                    double g = p[nn_bias_offset(net, l) + r], w = b->items[r].num;
                    double e = rel_err(g, w);
                    if (e > wb) { wb = e; br = r; gotb = g; wantb = w; }
                }
            }
            if (wW > worst_param) worst_param = wW;
            if (wb > worst_param) worst_param = wb;
            if (wW <= REL) g_pass++;
            else {
                g_fail++;
                printf("FAIL: %s: layer %d weight[%d][%d] = %.9g, PyTorch %.9g (rel err %.3g)\n",
                       name, l, wr, wc, gotW, wantW, wW);
            }
            if (wb <= REL) g_pass++;
            else {
                g_fail++;
                printf("FAIL: %s: layer %d bias[%d] = %.9g, PyTorch %.9g (rel err %.3g)\n",
                       name, l, br, gotb, wantb, wb);
            }
        }
    }
    printf("info: %-32s max rel err: costs %.2e, params %.2e\n", name, worst_cost, worst_param);
    nn_free(net);
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char path[4096];
    size_t len;
    char *csv;
    nn_data *d;
    nn_error err;
    jv golden;
    const jv *configs;
    int *rows, n;

    snprintf(path, sizeof path, "%s/data/digits.csv", dir);
    csv = read_file(path, &len);
    if (!csv) {
        printf("FAIL: cannot read %s\n0 passed, 1 failed\n", path);
        return 1;
    }
    d = nn_data_parse_csv(csv, len, NN_SCALE_UNIT, &err);
    free(csv);
    if (!d) {
        printf("FAIL: %s: %s\n0 passed, 1 failed\n", path, err.message);
        return 1;
    }
    n = nn_data_count(d);
    if (n != 1797) {
        printf("FAIL: %s: %d rows, expected 1797\n", path, n);
        g_fail++;
    }
    if (nn_data_set_count(d, NN_SET_TRAIN) != n) {
        printf("FAIL: unsplit data: %d training rows of %d\n", nn_data_set_count(d, NN_SET_TRAIN), n);
        g_fail++;
    }
    rows = malloc((size_t)n * sizeof *rows);
    if (!rows) return 1;
    for (int i = 0; i < n; i++) rows[i] = i;

    if (load_json(dir, "golden.json", &golden)) {
        free(rows);
        nn_data_free(d);
        printf("%d passed, %d failed\n", g_pass, g_fail + 1);
        return 1;
    }
    configs = j_get(&golden, "configs");
    if (!configs || configs->type != J_ARR || configs->n < 1) {
        printf("FAIL: golden.json has no \"configs\" array\n");
        g_fail++;
    } else {
        for (int i = 0; i < configs->n; i++) run_config(dir, &configs->items[i], d, rows, n);
    }

    j_free(&golden);
    free(rows);
    nn_data_free(d);
    printf("%d passed, %d failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}
