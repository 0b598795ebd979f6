/*
 * test_fuzz.c — damaged and random input for the two text readers (the
 * digits CSV, the parameter file) and for the configuration check.  The
 * texts are valid ones mutated at random (bytes changed, deleted, inserted,
 * spans copied, the end cut off), with a fixed seed, many
 * thousands of cases.  Every text is handed over in a buffer of exactly its
 * length with no NUL after it, so a read past the end is caught under
 * AddressSanitizer (make test runs this file under ASan and UBSan too).
 *
 * What is checked, besides "no crash":
 *  - CSV: a text that is accepted has exactly the rows an independent
 *    reader finds (the same pixels and labels), and nothing but blanks after
 *    them; a refused one gets a message naming a line N whose lines before
 *    it are all valid to the independent reader, and N itself is not (or
 *    "the file is empty" for a text of blanks only).
 *  - parameters: an accepted text leaves finite parameters that survive a
 *    write and a re-read bit for bit; a refused one leaves the network's
 *    parameters untouched (byte for byte) and says where ("line N, column
 *    M" or "layer N").
 *  - configurations (6,000, mostly near the edges): nn_config_check agrees
 *    with the ranges nnmath.h documents (written out again here), nn_create
 *    with nn_config_check, and every valid network trains (in parts and in
 *    steps), evaluates and traces on a small data set, ending with OK or a
 *    divergence and finite weights.
 *  - All: each kind of outcome happens many times, so the checks are not
 *    vacuous.
 */
#include <float.h>
#include <stdint.h>
#include <limits.h>

#include "testutil.h"
#include "params_json.h"

/* ---- mutations ------------------------------------------------------------ */

/* A random change of `t` (length *n, room for cap bytes); the inserted
 * characters come from `alpha` (na of them) or are any byte. */
static void mutate_once(char *t, size_t *n, size_t cap, const char *alpha, size_t na) {
    size_t len = *n;
    const unsigned op = tu_rand32() % 7;
    const size_t at = len ? tu_rand32() % len : 0;
    switch (op) {
    case 0: /* change a byte to a character of the format */
        if (len) t[at] = alpha[tu_rand32() % na];
        break;
    case 1: /* change a byte to any byte */
        if (len) t[at] = (char)(tu_rand32() & 0xff);
        break;
    case 2: { /* delete 1..8 bytes */
        size_t k = 1 + tu_rand32() % 8;
        if (at + k > len) k = len - at;
        memmove(t + at, t + at + k, len - at - k);
        len -= k;
        break;
    }
    case 3: { /* insert 1..4 characters of the format */
        const size_t k = 1 + tu_rand32() % 4;
        if (len + k > cap) break;
        memmove(t + at + k, t + at, len - at);
        for (size_t i = 0; i < k; i++) t[at + i] = alpha[tu_rand32() % na];
        len += k;
        break;
    }
    case 4: { /* copy a span of 1..64 bytes to another place */
        if (!len) break;
        const size_t from = tu_rand32() % len;
        size_t k = 1 + tu_rand32() % 64;
        if (from + k > len) k = len - from;
        if (len + k > cap) break;
        char span[64];
        memcpy(span, t + from, k);
        memmove(t + at + k, t + at, len - at);
        memcpy(t + at, span, k);
        len += k;
        break;
    }
    case 5: /* cut the end off */
        len = at;
        break;
    default: { /* swap two bytes */
        if (!len) break;
        const size_t b = tu_rand32() % len;
        const char c = t[at];
        t[at] = t[b];
        t[b] = c;
        break;
    }
    }
    *n = len;
}

/* A copy of `base` with 1..4 random changes, in a fresh buffer of exactly
 * its length (malloc(1) when empty); *n gets the length. */
static char *mutated(const char *base, size_t len, const char *alpha, size_t *n) {
    const size_t cap = len + 512;
    char *t = malloc(cap);
    memcpy(t, base, len);
    size_t m = len;
    const unsigned k = 1 + tu_rand32() % 4;
    for (unsigned i = 0; i < k; i++) mutate_once(t, &m, cap, alpha, strlen(alpha) + 1);
    char *exact = malloc(m ? m : 1);
    memcpy(exact, t, m);
    free(t);
    *n = m;
    return exact;
}

static int message_ok(const nn_error *e) {
    const size_t n = strnlen(e->message, sizeof e->message);
    return n > 0 && n < sizeof e->message;
}

/* ---- the CSV, against an independent reader -------------------------------- */

/* One line [s, s+n) as 64 pixels 0..16 and a label 0..9, comma-separated
 * digits and nothing else.  1 if valid (values in v[65]). */
static int ref_row(const char *s, size_t n, int v[65]) {
    int col = 0;
    size_t i = 0;
    for (;;) {
        if (col == 65) return 0;
        long x = 0;
        size_t d = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (x < 1000) x = x * 10 + (s[i] - '0');
            i++;
            d++;
        }
        if (d == 0 || x > (col == 64 ? 9 : 16)) return 0;
        v[col++] = (int)x;
        if (i == n) return col == 65;
        if (s[i] != ',') return 0;
        i++;
    }
}

static int is_blankish(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

typedef struct {
    int lines;         /* lines split at '\n' (a final one without '\n' counts) */
    const char *ls[1100];
    size_t ln[1100];   /* without the '\n' and one '\r' before it */
    int all_blank;     /* the text is blanks, CRs and newlines only */
} ref_lines;

static void split_lines(const char *t, size_t n, ref_lines *r) {
    r->lines = 0;
    r->all_blank = 1;
    for (size_t i = 0; i < n; i++) r->all_blank &= is_blankish(t[i]);
    size_t pos = 0;
    while (pos < n && r->lines < 1100) {
        const char *nl = memchr(t + pos, '\n', n - pos);
        size_t le = nl ? (size_t)(nl - t) : n;
        const size_t next = nl ? le + 1 : n;
        if (le > pos && t[le - 1] == '\r') le--;
        r->ls[r->lines] = t + pos;
        r->ln[r->lines] = le - pos;
        r->lines++;
        pos = next;
    }
}

/* The number N of "line N" at the start of a message, or 0. */
static int message_line(const char *m) {
    if (strncmp(m, "line ", 5) != 0) return 0;
    return atoi(m + 5);
}

static void fuzz_csv(const char *dir) {
    char path[1024];
    snprintf(path, sizeof path, "%s/data/digits.csv", dir);
    size_t full_len = 0;
    char *full = tu_read_file(path, &full_len);
    CHECK(full != NULL, "cannot read %s", path);
    if (!full) return;
    /* the first 5 rows */
    size_t base_len = 0;
    for (int rows = 0; base_len < full_len && rows < 5; base_len++)
        if (full[base_len] == '\n') rows++;

    /* the same rows with Windows line ends, and the last one without */
    char *crlf = malloc(2 * base_len);
    size_t crlf_len = 0;
    for (size_t i = 0; i < base_len; i++) {
        if (full[i] == '\n') crlf[crlf_len++] = '\r';
        crlf[crlf_len++] = full[i];
    }
    crlf_len -= 2;
    static const char alpha[] = "0123456789,,,\n\n\r \t-+.e\"x";
    int accepted = 0, refused = 0, empty = 0, bad = 0;
    tu_srand(20261207);
    for (int it = 0; it < 90000 && bad < 5; it++) {
        size_t n = 0;
        char *t = it % 3 == 2 ? mutated(crlf, crlf_len, alpha, &n) : mutated(full, base_len, alpha, &n);
        const int scale = it & 1 ? NN_SCALE_RAW : NN_SCALE_UNIT;
        nn_error err;
        memset(&err, 0x55, sizeof err); /* garbage: the reader must fill it */
        nn_data *d = nn_data_parse_csv(t, n, scale, &err);
        ref_lines *r = malloc(sizeof *r);
        split_lines(t, n, r);
        int v[65];
        if (d) {
            accepted++;
            const int rows = nn_data_count(d);
            const uint8_t *px = nn_data_pixels(d), *lab = nn_data_labels(d);
            const float *x = nn_data_x(d);
            int ok = rows >= 1 && rows <= r->lines && err.code == NN_OK;
            for (int i = 0; ok && i < rows; i++) {
                size_t len = r->ln[i];
                /* the last row: blanks after its first CR are the end of the file */
                if (i == rows - 1) {
                    const char *cr = memchr(r->ls[i], '\r', len);
                    if (cr) {
                        int rest_blank = 1;
                        for (const char *p = cr; p < t + n; p++) rest_blank &= is_blankish(*p);
                        if (rest_blank) len = (size_t)(cr - r->ls[i]);
                    }
                }
                ok = ref_row(r->ls[i], len, v);
                for (int c = 0; ok && c < 64; c++)
                    ok = px[i * 64 + c] == v[c] &&
                         x[i * 64 + c] == (scale == NN_SCALE_RAW ? (float)v[c] : (float)v[c] / 16.0f);
                ok = ok && lab[i] == v[64];
            }
            /* after the rows: blanks, CRs and newlines only */
            const char *after = rows < r->lines ? r->ls[rows] : t + n;
            for (const char *p = after; ok && p < t + n; p++) ok = is_blankish(*p);
            if (!ok) {
                bad++;
                CHECK(0, "case %d: accepted %d rows the independent reader does not agree with:\n%.*s",
                      it, rows, (int)(n < 2000 ? n : 2000), t);
            }
            nn_data_free(d);
        } else {
            refused++;
            const int line = message_line(err.message);
            int ok = err.code == NN_EDATA && message_ok(&err);
            if (ok && strcmp(err.message, "the file is empty") == 0) {
                empty++;
                ok = r->all_blank;
            } else if (ok) {
                ok = line >= 1 && line <= r->lines;
                for (int i = 0; ok && i < line - 1; i++) ok = ref_row(r->ls[i], r->ln[i], v);
                /* the line named is wrong to the independent reader too (a NUL byte
                 * or more than the rows' limit aside, which these texts never reach) */
                if (ok) ok = !ref_row(r->ls[line - 1], r->ln[line - 1], v);
            }
            if (!ok) {
                bad++;
                CHECK(0, "case %d: refused with code %d, \"%.200s\", which does not fit the text:\n%.*s",
                      it, err.code, err.message, (int)(n < 2000 ? n : 2000), t);
            }
        }
        free(r);
        free(t);
    }
    printf("csv: %d accepted, %d refused (%d as empty)\n", accepted, refused, empty);
    CHECK(bad == 0, "csv: %d cases went wrong", bad);
    CHECK(accepted >= 500 && refused >= 10000 && empty >= 10,
          "csv: every kind of outcome, many times (accepted %d, refused %d, empty %d)",
          accepted, refused, empty);
    free(crlf);
    free(full);
}

/* ---- the parameter file ------------------------------------------------- */

static void fuzz_params(void) {
    nn_config cfg;
    nn_config_default(&cfg);
    cfg.n_layers = 3;
    cfg.sizes[0] = 64;
    cfg.sizes[1] = 3;
    cfg.sizes[2] = 10;
    nn_error err;
    nn_net *net = nn_create(&cfg, &err);
    CHECK(net != NULL, "nn_create: %s", err.message);
    if (!net) return;
    const int P = nn_param_count(net);
    float *p = nn_params(net);
    /* numbers of every shape: tiny, huge, negative, zero, exponents */
    static const float odd[] = {0.0f, -0.0f, 1e-30f, -3.4e38f, 123456.0f, 1.17549435e-38f, 1e-45f, FLT_MAX};
    for (int i = 0; i < P; i++) if (i % 9 == 0) p[i] = odd[(i / 9) % 8];
    size_t base_len = 0;
    char *base = nnp_format(net, &base_len, &err);
    CHECK(base != NULL, "nnp_format: %s", err.message);
    if (!base) { nn_free(net); return; }
    float *snap = malloc((size_t)P * sizeof *snap), *again = malloc((size_t)P * sizeof *again);
    memcpy(snap, p, (size_t)P * sizeof *snap);
    CHECK(nnp_parse(base, base_len, net, &err) == NN_OK && memcmp(p, snap, (size_t)P * sizeof *p) == 0,
          "the unchanged text reads back the same numbers: %s", err.message);

    /* the edge of the floats: what rounds to FLT_MAX is read as FLT_MAX (it is how FLT_MAX
     * is written), from FLT_MAX + half its last place (2^128 - 2^103) on it is refused */
    static const struct { const char *text; int ok; float want; } edge[] = {
        {"3.40282347e+38", 1, FLT_MAX}, {"-3.40282347e38", 1, -FLT_MAX},
        {"3.4028235e38", 1, FLT_MAX}, {"340282356779733623858607532500980858880", 1, FLT_MAX},
        {"340282356779733661637539395458142568448", 0, 0}, {"3.4028236e38", 0, 0},
        {"-1e39", 0, 0}, {"1e-46", 1, 0.0f}};
    static const char start[] = "\"weight\":[\n[";
    const char *first = strstr(base, start);
    CHECK(first != NULL, "the weights start as in the format");
    for (size_t e = 0; first && e < sizeof edge / sizeof edge[0]; e++) {
        const size_t head = (size_t)(first - base) + strlen(start);
        const char *rest = base + head + strcspn(base + head, ",");
        char *t = malloc(base_len + 64);
        const int m = snprintf(t, base_len + 64, "%.*s%s%s", (int)head, base, edge[e].text, rest);
        memcpy(p, snap, (size_t)P * sizeof *p);
        const int rc = nnp_parse(t, (size_t)m, net, &err);
        CHECK(edge[e].ok ? rc == NN_OK && p[0] == edge[e].want : rc == NN_EDATA && p[0] == snap[0],
              "the first weight %s: code %d (%s), read as %.9g", edge[e].text, rc, err.message, (double)p[0]);
        free(t);
    }

    static const char alpha[] = "0123456789-+.eE,:[]{}\" \n\tnulltruebiasweightlayers\\";
    int accepted = 0, refused = 0, bad = 0;
    tu_srand(7);
    for (int it = 0; it < 60000 && bad < 5; it++) {
        size_t n = 0;
        char *t = mutated(base, base_len, alpha, &n);
        memcpy(p, snap, (size_t)P * sizeof *p);
        memset(&err, 0x55, sizeof err);
        const int rc = nnp_parse(t, n, net, &err);
        int ok;
        if (rc == NN_OK) {
            accepted++;
            ok = err.code == NN_OK;
            for (int i = 0; ok && i < P; i++) ok = isfinite(p[i]);
            /* written and read again: the same bits */
            size_t m = 0;
            char *w = ok ? nnp_format(net, &m, &err) : NULL;
            memcpy(again, p, (size_t)P * sizeof *p);
            ok = ok && w && nnp_parse(w, m, net, &err) == NN_OK &&
                 memcmp(p, again, (size_t)P * sizeof *p) == 0;
            free(w);
        } else {
            refused++;
            ok = rc == NN_EDATA && err.code == NN_EDATA && message_ok(&err) &&
                 memcmp(p, snap, (size_t)P * sizeof *p) == 0 &&
                 (message_line(err.message) >= 1 || tu_contains_ci(err.message, "layer") ||
                  strcmp(err.message, "the file is empty") == 0);
        }
        if (!ok) {
            bad++;
            CHECK(0, "case %d: code %d, \"%.200s\", for the text:\n%.*s", it, rc, err.message,
                  (int)(n < 3000 ? n : 3000), t);
        }
        free(t);
    }
    printf("parameters: %d accepted, %d refused\n", accepted, refused);
    CHECK(bad == 0, "parameters: %d cases went wrong", bad);
    CHECK(accepted >= 1000 && refused >= 10000, "parameters: both outcomes, many times (accepted %d, refused %d)",
          accepted, refused);
    free(snap);
    free(again);
    free(base);
    nn_free(net);
}

/* ---- configurations ---------------------------------------------------- */

/* The ranges nnmath.h documents, written out again here. */
static int ref_valid(const nn_config *c) {
    if (c->n_layers < 2 || c->n_layers > 6) return 0;
    if (c->sizes[0] != 64 || c->sizes[c->n_layers - 1] != 10) return 0;
    for (int l = 1; l < c->n_layers - 1; l++)
        if (c->sizes[l] < 1 || c->sizes[l] > 512) return 0;
    if (c->hidden_act != NN_SIGMOID && c->hidden_act != NN_TANH && c->hidden_act != NN_RELU) return 0;
    if (c->output_act != NN_SOFTMAX && c->output_act != NN_SIGMOID && c->output_act != NN_IDENTITY) return 0;
    if (c->cost != NN_MSE && c->cost != NN_XENT) return 0;
    if (c->cost == NN_XENT && c->output_act != NN_SOFTMAX) return 0; /* cross-entropy is on softmax */
    if (c->optimizer != NN_SGD && c->optimizer != NN_MOMENTUM && c->optimizer != NN_ADAM) return 0;
    if (!(c->lr > 0.0f && c->lr <= 100.0f)) return 0;
    if (!(c->momentum >= 0.0f && c->momentum < 1.0f)) return 0;
    if (!(c->weight_decay >= 0.0f && c->weight_decay <= 1.0f)) return 0;
    if (c->batch_size < 0 || c->batch_size > 100000) return 0;
    return 1;
}

#define PICK(arr) ((arr)[tu_rand32() % (sizeof(arr) / sizeof((arr)[0]))])

/* Random configurations, mostly near the edges: nn_config_check agrees with
 * the documented ranges, nn_create with nn_config_check (the same message),
 * and every valid network trains (in parts and in steps), evaluates and
 * traces on a small data set without a crash, reporting only OK or a
 * divergence, with finite weights afterwards. */
static void fuzz_configs(void) {
    static const int32_t widths[] = {-1, 0, 1, 2, 3, 7, 10, 33, 64, 65, 128, 512, 513, 100000, INT32_MIN};
    static const int32_t enums[] = {-1, 0, 1, 2, 3, 4, 5, 99};
    static const float lrs[] = {NAN, INFINITY, -1.0f, 0.0f, 1e-30f, 1e-4f, 0.1f, 3.0f, 100.0f, 100.01f, 1e30f};
    static const float moms[] = {NAN, -0.1f, 0.0f, 0.5f, 0.9f, 0.99999f, 1.0f, 1.5f};
    static const float wds[] = {NAN, -1e-9f, 0.0f, 1e-4f, 0.5f, 1.0f, 1.0001f, INFINITY};
    static const int32_t batches[] = {-5, -1, 0, 1, 2, 31, 64, 65, 1000, 100000, 100001};
    enum { ROWS = 40 };
    uint8_t px[ROWS * 64], lab[ROWS];
    tu_srand(64);
    for (int i = 0; i < ROWS * 64; i++) px[i] = (uint8_t)(tu_rand32() % 17);
    for (int i = 0; i < ROWS; i++) lab[i] = (uint8_t)(i % 10);
    nn_error err;
    nn_data *d = nn_data_from_bytes(px, lab, ROWS, NN_SCALE_UNIT, &err);
    CHECK(d && nn_data_split(d, 0.25f, 3, &err) == NN_OK, "the small data set: %s", err.message);
    if (!d) return;
    float x[64];
    for (int i = 0; i < 64; i++) x[i] = (float)px[i] / 16.0f;

    int valid = 0, invalid = 0, trained = 0, diverged = 0, bad = 0;
    for (int it = 0; it < 6000 && bad < 5; it++) {
        nn_config c;
        nn_config_default(&c);
        /* mostly valid shapes, with one or two fields off */
        c.n_layers = tu_rand32() % 8 ? 2 + (int)(tu_rand32() % 5) : PICK(enums) + (int)(tu_rand32() % 4);
        for (int l = 0; l < NN_MAX_LAYERS; l++) c.sizes[l] = 1 + (int)(tu_rand32() % 40);
        if (c.n_layers >= 2 && c.n_layers <= NN_MAX_LAYERS) {
            c.sizes[0] = tu_rand32() % 10 ? 64 : PICK(widths);
            c.sizes[c.n_layers - 1] = tu_rand32() % 10 ? 10 : PICK(widths);
            if (tu_rand32() % 6 == 0) c.sizes[1 + tu_rand32() % (c.n_layers - 1)] = PICK(widths);
        }
        c.hidden_act = tu_rand32() % 6 ? (int)(tu_rand32() % 3) : PICK(enums);
        c.cost = tu_rand32() % 2 ? NN_XENT : NN_MSE;
        c.output_act = tu_rand32() % 3 ? (c.cost == NN_XENT ? NN_SOFTMAX : (tu_rand32() % 2 ? NN_SIGMOID : NN_IDENTITY))
                                       : PICK(enums);
        if (tu_rand32() % 10 == 0) c.cost = PICK(enums);
        c.optimizer = tu_rand32() % 6 ? (int)(tu_rand32() % 3) : PICK(enums);
        c.lr = tu_rand32() % 3 ? 0.05f : PICK(lrs);
        c.momentum = tu_rand32() % 3 ? 0.9f : PICK(moms);
        c.weight_decay = tu_rand32() % 3 ? 0.0f : PICK(wds);
        c.batch_size = tu_rand32() % 3 ? 8 : PICK(batches);
        c.seed = tu_rand32();

        const int want = ref_valid(&c);
        memset(&err, 0x55, sizeof err);
        const int rc = nn_config_check(&c, &err);
        nn_error cerr;
        memset(&cerr, 0x33, sizeof cerr);
        /* wide networks are created only now and then (they take memory and time) */
        long P = 0;
        if (want)
            for (int l = 0; l + 1 < c.n_layers; l++) P += (long)c.sizes[l] * c.sizes[l + 1] + c.sizes[l + 1];
        nn_net *net = !want || P < 200000 || tu_rand32() % 20 == 0 ? nn_create(&c, &cerr) : NULL;
        int ok = (rc == NN_OK) == want && (want || (rc == NN_EINVAL && message_ok(&err)));
        if (!want) {
            invalid++;
            ok = ok && !net && cerr.code == rc && strcmp(cerr.message, err.message) == 0;
        } else if (net) {
            valid++;
            ok = ok && nn_param_count(net) == P && nn_attach(net, d) == NN_OK;
            for (int k = 0; ok && k < 3; k++) {
                const int r = k < 2 ? nn_train_samples(net, 1 + (int)(tu_rand32() % 70)) : nn_train_steps(net, 1);
                diverged += r == NN_EDIVERGED;
                ok = r == NN_OK || (r == NN_EDIVERGED && message_ok(nn_last_error(net)));
                for (int i = 0; ok && i < nn_param_count(net); i++) ok = isfinite(nn_params(net)[i]);
            }
            nn_eval ev;
            long sum = 0;
            ok = ok && nn_evaluate(net, NN_SET_TEST, &ev) == NN_OK && ev.count == nn_data_set_count(d, NN_SET_TEST) &&
                 ev.accuracy >= 0.0f && ev.accuracy <= 1.0f;
            for (int i = 0; ok && i < 100; i++) sum += ev.confusion[i];
            ok = ok && sum == ev.count && nn_trace(net, x, 3) == NN_OK && nn_trace(net, x, -1) == NN_OK;
            trained += ok;
            nn_free(net);
        }
        if (!ok) {
            bad++;
            CHECK(0, "config %d: layers %d (%d,%d,%d,%d,%d,%d), act %d/%d, cost %d, opt %d, lr %g, mom %g, "
                     "wd %g, batch %d: documented %s, nn_config_check %d \"%.150s\", nn_create \"%.150s\"",
                  it, c.n_layers, c.sizes[0], c.sizes[1], c.sizes[2], c.sizes[3], c.sizes[4], c.sizes[5],
                  c.hidden_act, c.output_act, c.cost, c.optimizer, (double)c.lr, (double)c.momentum,
                  (double)c.weight_decay, c.batch_size, want ? "valid" : "invalid", rc, err.message,
                  cerr.message);
        }
    }
    printf("configurations: %d valid (%d trained, %d steps diverged), %d refused\n", valid, trained,
           diverged, invalid);
    CHECK(bad == 0, "configurations: %d went wrong", bad);
    CHECK(valid >= 500 && invalid >= 1000 && diverged >= 1,
          "configurations: both kinds, many times (valid %d, refused %d, diverged %d)", valid, invalid,
          diverged);
    nn_data_free(d);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : ".";
    fuzz_csv(dir);
    fuzz_params();
    fuzz_configs();
    return tu_finish();
}
