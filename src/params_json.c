/*
 * params_json.c — reading and writing the trainer's parameter files.
 * See params_json.h for the format and the error messages.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* getpid, lstat, chmod */
#endif
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath */
#endif

#include "params_json.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__GNUC__) || defined(__clang__)
#define NNP_PRINTF(fmt_index, first_arg) \
    __attribute__((format(printf, fmt_index, first_arg)))
#else
#define NNP_PRINTF(fmt_index, first_arg)
#endif

#define NUMBER_MAX_CHARS 128 /* longest number token accepted */
#define KEY_MAX_CHARS 16     /* longest member name we need to recognise */
#define WHAT_MAX_CHARS 64    /* "row 512 of layer 5's weight" etc. */

/* ---- errors ------------------------------------------------------------ */

static void clear_error(nn_error *err)
{
    if (err) {
        err->code = NN_OK;
        err->message[0] = '\0';
    }
}

static int set_error(nn_error *err, int code, const char *fmt, ...) NNP_PRINTF(3, 4);

static int set_error(nn_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* "<prefix>: <old message>", truncated to fit. */
static void prefix_error(nn_error *err, const char *prefix)
{
    char old[sizeof err->message];
    size_t used;

    memcpy(old, err->message, sizeof old);
    old[sizeof old - 1] = '\0';
    used = strlen(prefix);
    if (used > sizeof err->message - 3)
        used = sizeof err->message - 3;
    memcpy(err->message, prefix, used);
    memcpy(err->message + used, ": ", 2);
    used += 2;
    strncpy(err->message + used, old, sizeof err->message - used - 1);
    err->message[sizeof err->message - 1] = '\0';
}

/* ---- the reader ---------------------------------------------------------- */

typedef struct reader {
    const char *text;
    size_t len;
    size_t pos;
    nn_error *err;
} reader;

static int peek(const reader *r)
{
    return r->pos < r->len ? (unsigned char)r->text[r->pos] : -1;
}

static void skip_space(reader *r)
{
    while (r->pos < r->len) {
        char c = r->text[r->pos];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        r->pos++;
    }
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static void line_column(const reader *r, size_t pos, size_t *line, size_t *column)
{
    size_t line_start = 0;
    *line = 1;
    for (size_t i = 0; i < pos && i < r->len; i++) {
        if (r->text[i] == '\n') {
            (*line)++;
            line_start = i + 1;
        }
    }
    *column = pos - line_start + 1;
}

static int fail_at(reader *r, size_t pos, const char *fmt, ...) NNP_PRINTF(3, 4);

static int fail_at(reader *r, size_t pos, const char *fmt, ...)
{
    char detail[sizeof r->err->message];
    size_t line, column;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    line_column(r, pos, &line, &column);
    return set_error(r->err, NN_EDATA, "line %zu, column %zu: %.200s", line, column, detail);
}

static int is_word_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '-' || c == '+' || c == '.' || c == '_';
}

/* A short description of what is at `pos`, for "found ..." messages. */
static void describe_found(const reader *r, size_t pos, char *out, size_t cap)
{
    if (pos >= r->len) {
        snprintf(out, cap, "the end of the file");
        return;
    }
    int c = (unsigned char)r->text[pos];
    if (is_word_char(c)) {
        size_t n = 0;
        while (pos + n < r->len && n < 24 && is_word_char((unsigned char)r->text[pos + n]))
            n++;
        snprintf(out, cap, "\"%.*s\"", (int)n, r->text + pos);
    } else if (c >= 0x20 && c < 0x7f) {
        snprintf(out, cap, "'%c'", c);
    } else {
        snprintf(out, cap, "byte 0x%02X", (unsigned)c);
    }
}

static int fail_expected(reader *r, const char *expected)
{
    char found[48];
    describe_found(r, r->pos, found, sizeof found);
    return fail_at(r, r->pos, "expected %s, found %s", expected, found);
}

static int expect_char(reader *r, char c, const char *expected)
{
    skip_space(r);
    if (peek(r) != (unsigned char)c)
        return fail_expected(r, expected);
    r->pos++;
    return NN_OK;
}

static int fail_number(reader *r, size_t start);

static int match_literal(reader *r, const char *word)
{
    size_t n = strlen(word);
    if (r->len - r->pos < n || memcmp(r->text + r->pos, word, n) != 0)
        return fail_number(r, r->pos); /* in this format, values are numbers */
    r->pos += n;
    return NN_OK;
}

/* ---- strings ---- */

static int hex_value(int c)
{
    if (is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_unicode_escape(reader *r, unsigned *code)
{
    *code = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(peek(r));
        if (h < 0)
            return fail_at(r, r->pos, "expected four hex digits after \\u in a string");
        *code = *code * 16 + (unsigned)h;
        r->pos++;
    }
    return NN_OK;
}

/* The character an escape stands for (after the backslash), or -1 if it is
 * not a valid escape; *exact is cleared for non-ASCII \u escapes. */
static int parse_escape(reader *r, int *exact)
{
    static const char from[] = "\"\\/bfnrt";
    static const char to[] = "\"\\/\b\f\n\r\t";
    int c = peek(r);
    const char *hit = c > 0 ? strchr(from, c) : NULL;

    if (hit) {
        r->pos++;
        return to[hit - from];
    }
    if (c == 'u') {
        unsigned code;
        r->pos++;
        if (parse_unicode_escape(r, &code) != NN_OK)
            return -2;
        if (code >= 0x80 || code == 0)
            *exact = 0;
        return (int)(code & 0x7f);
    }
    if (c >= 0x20 && c < 0x7f)
        fail_at(r, r->pos - 1, "unknown escape \"\\%c\" in a string", c);
    else
        fail_at(r, r->pos - 1, "a backslash in a string must start an escape such as \\n");
    return -2;
}

static void append_key(char *buf, size_t cap, size_t *n, int c, int *exact)
{
    if (*n + 1 < cap)
        buf[(*n)++] = (char)c;
    else
        *exact = 0;
}

/* Parse the string at r->pos ('"').  Its content, if short and plain ASCII,
 * goes to buf (NUL-terminated) with *exact = 1; otherwise *exact = 0. */
static int parse_string(reader *r, char *buf, size_t cap, int *exact)
{
    size_t start = r->pos, n = 0;

    *exact = 1;
    r->pos++; /* the opening quote */
    for (;;) {
        int c = peek(r);
        if (c < 0)
            return fail_at(r, start, "a string is not closed (missing '\"')");
        if (c == '"')
            break;
        if (c < 0x20)
            return fail_at(r, r->pos, "control character (byte 0x%02X) inside a string",
                           (unsigned)c);
        r->pos++;
        if (c == '\\') {
            c = parse_escape(r, exact);
            if (c == -2)
                return NN_EDATA;
        } else if (c >= 0x80) {
            *exact = 0;
        }
        append_key(buf, cap, &n, c, exact);
    }
    r->pos++; /* the closing quote */
    buf[n] = '\0';
    return NN_OK;
}

/* ---- numbers ---- */

static int skip_digits(reader *r)
{
    size_t start = r->pos;
    while (is_digit(peek(r)))
        r->pos++;
    return r->pos > start;
}

static int fail_number(reader *r, size_t start)
{
    char found[48];
    const char *hint = "";
    const char *p = r->text + start;
    size_t left = r->len - start;

    describe_found(r, start, found, sizeof found);
    if ((left >= 3 && (memcmp(p, "NaN", 3) == 0 || memcmp(p, "nan", 3) == 0)) ||
        (left >= 3 && (memcmp(p, "Inf", 3) == 0 || memcmp(p, "inf", 3) == 0)) ||
        (left >= 4 && (memcmp(p, "-Inf", 4) == 0 || memcmp(p, "-inf", 4) == 0)))
        hint = " (NaN and Infinity are not allowed: every value must be a finite number)";
    return fail_at(r, start, "expected a number, found %s%s", found, hint);
}

/* Scan a number in strict JSON syntax and convert it to a double. */
static int scan_number(reader *r, double *out)
{
    size_t start = r->pos;
    char buf[NUMBER_MAX_CHARS + 1];

    if (peek(r) == '-')
        r->pos++;
    if (peek(r) == '0') {
        r->pos++;
        if (is_digit(peek(r)))
            return fail_at(r, start, "a number cannot start with 0 followed by more digits");
    } else if (!skip_digits(r)) {
        return fail_number(r, start);
    }
    if (peek(r) == '.') {
        r->pos++;
        if (!skip_digits(r))
            return fail_number(r, start);
    }
    if (peek(r) == 'e' || peek(r) == 'E') {
        r->pos++;
        if (peek(r) == '+' || peek(r) == '-')
            r->pos++;
        if (!skip_digits(r))
            return fail_number(r, start);
    }
    if (r->pos - start > NUMBER_MAX_CHARS)
        return fail_at(r, start, "a number is longer than %d characters", NUMBER_MAX_CHARS);
    memcpy(buf, r->text + start, r->pos - start);
    buf[r->pos - start] = '\0';
    *out = strtod(buf, NULL);
    return NN_OK;
}

/* ---- generic containers ---- */

typedef int (*member_fn)(reader *r, const char *key, int exact, size_t key_pos, void *ctx);
typedef int (*element_fn)(reader *r, int index, void *ctx);

/* Parse {"key": value, ...}; fn parses each value. */
static int parse_object(reader *r, const char *what, member_fn fn, void *ctx)
{
    char expected[WHAT_MAX_CHARS + 16];
    char key[KEY_MAX_CHARS];
    int rc, exact;

    snprintf(expected, sizeof expected, "'{' to start %s", what);
    if ((rc = expect_char(r, '{', expected)) != NN_OK)
        return rc;
    skip_space(r);
    if (peek(r) == '}') {
        r->pos++;
        return NN_OK;
    }
    for (;;) {
        skip_space(r);
        size_t key_pos = r->pos;
        if (peek(r) != '"')
            return fail_expected(r, "a member name in double quotes");
        if ((rc = parse_string(r, key, sizeof key, &exact)) != NN_OK)
            return rc;
        if ((rc = expect_char(r, ':', "':' after a member name")) != NN_OK)
            return rc;
        skip_space(r);
        if ((rc = fn(r, key, exact, key_pos, ctx)) != NN_OK)
            return rc;
        skip_space(r);
        if (peek(r) == '}') {
            r->pos++;
            return NN_OK;
        }
        if ((rc = expect_char(r, ',', "',' or '}'")) != NN_OK)
            return rc;
    }
}

/* Parse [value, ...]; fn parses each element; *count = elements seen. */
static int parse_array(reader *r, const char *what, element_fn fn, void *ctx, int *count)
{
    char expected[WHAT_MAX_CHARS + 16];
    int rc;

    *count = 0;
    snprintf(expected, sizeof expected, "'[' to start %s", what);
    if ((rc = expect_char(r, '[', expected)) != NN_OK)
        return rc;
    skip_space(r);
    if (peek(r) == ']') {
        r->pos++;
        return NN_OK;
    }
    for (;;) {
        skip_space(r);
        if (*count == NN_MAX_ROWS * NN_INPUTS)
            return fail_at(r, r->pos, "a list is too long");
        if ((rc = fn(r, *count, ctx)) != NN_OK)
            return rc;
        (*count)++;
        skip_space(r);
        if (peek(r) == ']') {
            r->pos++;
            return NN_OK;
        }
        if ((rc = expect_char(r, ',', "',' or ']'")) != NN_OK)
            return rc;
    }
}

/* ---- skipping unknown values ---- */

static int skip_value(reader *r, int depth);

static int skip_member(reader *r, const char *key, int exact, size_t key_pos, void *ctx)
{
    (void)key, (void)exact, (void)key_pos;
    return skip_value(r, *(const int *)ctx + 1);
}

static int skip_element(reader *r, int index, void *ctx)
{
    (void)index;
    return skip_value(r, *(const int *)ctx + 1);
}

static int skip_value(reader *r, int depth)
{
    char key[KEY_MAX_CHARS];
    int exact, count;
    double number;

    skip_space(r);
    if (depth > NNP_MAX_DEPTH)
        return fail_at(r, r->pos, "values are nested more than %d deep", NNP_MAX_DEPTH);
    switch (peek(r)) {
    case '{': return parse_object(r, "an object", skip_member, &depth);
    case '[': return parse_array(r, "a list", skip_element, &depth, &count);
    case '"': return parse_string(r, key, sizeof key, &exact);
    case 't': return match_literal(r, "true");
    case 'f': return match_literal(r, "false");
    case 'n': return match_literal(r, "null");
    default:
        if (peek(r) == '-' || is_digit(peek(r)))
            return scan_number(r, &number);
        return fail_number(r, r->pos); /* in this format, values are numbers */
    }
}

/* ---- the parameter format ---- */

typedef struct params_ctx {
    nn_net *net;
    float *values; /* parsed parameters, same layout as nn_params */
    int n_layers;
    int seen_layers;
} params_ctx;

typedef struct layer_ctx {
    params_ctx *params;
    int layer; /* 0-based */
    int seen_weight, seen_bias;
} layer_ctx;

typedef struct numbers_ctx {
    float *dst;     /* NULL: check but discard */
    int capacity;   /* numbers that fit in dst */
    int layer;      /* 0-based, for messages */
} numbers_ctx;

static int number_element(reader *r, int index, void *ctx)
{
    numbers_ctx *nc = ctx;
    size_t start = r->pos;
    double v;
    int rc = scan_number(r, &v);

    if (rc != NN_OK)
        return rc;
    /* What rounds to a finite float: below FLT_MAX + half its last place
     * (2^128 - 2^103; that value itself rounds to infinity).  FLT_MAX is
     * written as 3.40282347e+38, a little more than FLT_MAX, and must read
     * back as FLT_MAX. */
    if (!isfinite(v) || fabs(v) >= 0x1p128 - 0x1p103)
        return fail_at(r, start, "layer %d has a non-finite value (%.*s does not fit in a float)",
                       nc->layer + 1, (int)(r->pos - start < 40 ? r->pos - start : 40),
                       r->text + start);
    if (nc->dst && index < nc->capacity) /* (float) of more than FLT_MAX is undefined in C */
        nc->dst[index] = fabs(v) > FLT_MAX ? (v > 0 ? FLT_MAX : -FLT_MAX) : (float)v;
    return NN_OK;
}

static int parse_numbers(reader *r, const char *what, numbers_ctx *nc, int *count)
{
    return parse_array(r, what, number_element, nc, count);
}

typedef struct weight_ctx {
    layer_ctx *layer;
    int in, out;
    float *dst; /* out×in */
} weight_ctx;

static int weight_row(reader *r, int row, void *ctx)
{
    weight_ctx *wc = ctx;
    int l = wc->layer->layer;
    char what[WHAT_MAX_CHARS];
    numbers_ctx nc = {row < wc->out ? wc->dst + (size_t)row * (size_t)wc->in : NULL,
                      wc->in, l};
    int count, rc;

    snprintf(what, sizeof what, "row %d of layer %d's weight", row + 1, l + 1);
    if ((rc = parse_numbers(r, what, &nc, &count)) != NN_OK)
        return rc;
    if (row < wc->out && count != wc->in)
        return set_error(r->err, NN_EDATA,
                         "layer %d weight should be %d rows of %d numbers, but row %d has %d",
                         l + 1, wc->out, wc->in, row + 1, count);
    return NN_OK;
}

static int parse_weight(reader *r, layer_ctx *lc)
{
    nn_net *net = lc->params->net;
    int l = lc->layer, rows, rc;
    weight_ctx wc = {lc, nn_layer_in(net, l), nn_layer_out(net, l),
                     lc->params->values + nn_weight_offset(net, l)};
    char what[WHAT_MAX_CHARS];

    snprintf(what, sizeof what, "layer %d's weight", l + 1);
    if ((rc = parse_array(r, what, weight_row, &wc, &rows)) != NN_OK)
        return rc;
    if (rows != wc.out)
        return set_error(r->err, NN_EDATA,
                         "layer %d weight should be %d rows of %d numbers, found %d row%s",
                         l + 1, wc.out, wc.in, rows, rows == 1 ? "" : "s");
    return NN_OK;
}

static int parse_bias(reader *r, layer_ctx *lc)
{
    nn_net *net = lc->params->net;
    int l = lc->layer, out = nn_layer_out(net, l), count, rc;
    numbers_ctx nc = {lc->params->values + nn_bias_offset(net, l), out, l};
    char what[WHAT_MAX_CHARS];

    snprintf(what, sizeof what, "layer %d's bias", l + 1);
    if ((rc = parse_numbers(r, what, &nc, &count)) != NN_OK)
        return rc;
    if (count != out)
        return set_error(r->err, NN_EDATA, "layer %d bias should be %d numbers, found %d",
                         l + 1, out, count);
    return NN_OK;
}

static int mark_seen(reader *r, int *seen, size_t key_pos, int layer, const char *key)
{
    if (*seen)
        return fail_at(r, key_pos, "layer %d has \"%s\" twice", layer + 1, key);
    *seen = 1;
    return NN_OK;
}

static int layer_member(reader *r, const char *key, int exact, size_t key_pos, void *ctx)
{
    layer_ctx *lc = ctx;
    int rc;

    if (exact && strcmp(key, "weight") == 0) {
        if ((rc = mark_seen(r, &lc->seen_weight, key_pos, lc->layer, key)) != NN_OK)
            return rc;
        return parse_weight(r, lc);
    }
    if (exact && strcmp(key, "bias") == 0) {
        if ((rc = mark_seen(r, &lc->seen_bias, key_pos, lc->layer, key)) != NN_OK)
            return rc;
        return parse_bias(r, lc);
    }
    return skip_value(r, 1);
}

static int layer_element(reader *r, int index, void *ctx)
{
    params_ctx *pc = ctx;
    layer_ctx lc = {pc, index, 0, 0};
    char what[WHAT_MAX_CHARS];
    size_t start = r->pos;
    int rc;

    if (index >= pc->n_layers)
        return skip_value(r, 1); /* counted; reported after the list */
    snprintf(what, sizeof what, "layer %d (an object with \"weight\" and \"bias\")", index + 1);
    if ((rc = parse_object(r, what, layer_member, &lc)) != NN_OK)
        return rc;
    if (!lc.seen_weight || !lc.seen_bias)
        return fail_at(r, start, "layer %d has no \"%s\"", index + 1,
                       lc.seen_weight ? "bias" : "weight");
    return NN_OK;
}

/* "64,8,10" */
static void describe_sizes(nn_net *net, char *out, size_t cap)
{
    size_t used = 0;
    int layers = nn_layer_count(net);

    out[0] = '\0';
    for (int l = 0; l <= layers && used < cap; l++) {
        int size = l < layers ? nn_layer_in(net, l) : nn_layer_out(net, l - 1);
        int n = snprintf(out + used, cap - used, l ? ",%d" : "%d", size);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static int top_member(reader *r, const char *key, int exact, size_t key_pos, void *ctx)
{
    params_ctx *pc = ctx;
    char sizes[64];
    int count, rc;

    if (!exact || strcmp(key, "layers") != 0)
        return skip_value(r, 1);
    if (pc->seen_layers)
        return fail_at(r, key_pos, "\"layers\" appears twice");
    pc->seen_layers = 1;
    if ((rc = parse_array(r, "the list of layers", layer_element, pc, &count)) != NN_OK)
        return rc;
    if (count != pc->n_layers) {
        describe_sizes(pc->net, sizes, sizeof sizes);
        return set_error(r->err, NN_EDATA, "the file has %d layer%s, the network (%s) has %d",
                         count, count == 1 ? "" : "s", sizes, pc->n_layers);
    }
    return NN_OK;
}

static void skip_byte_order_mark(reader *r)
{
    if (r->len >= 3 && memcmp(r->text, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
}

/* Pass 1: is the text one well-formed JSON value and nothing else? */
static int check_syntax(reader *r)
{
    int rc;

    skip_space(r);
    if (r->pos >= r->len)
        return set_error(r->err, NN_EDATA, "the file is empty");
    if ((rc = skip_value(r, 0)) != NN_OK)
        return rc;
    skip_space(r);
    if (r->pos < r->len)
        return fail_expected(r, "nothing after the end of the parameters");
    return NN_OK;
}

/* Syntax errors are reported before shape errors, wherever they are. */
static int parse_document(reader *r, params_ctx *pc)
{
    size_t start;
    int rc;

    skip_byte_order_mark(r);
    start = r->pos;
    if ((rc = check_syntax(r)) != NN_OK)
        return rc;
    r->pos = start; /* pass 2: the parameters and their shapes */
    if ((rc = parse_object(r, "the parameters", top_member, pc)) != NN_OK)
        return rc;
    if (!pc->seen_layers)
        return set_error(r->err, NN_EDATA, "the file has no \"layers\" list");
    return NN_OK;
}

int nnp_parse(const char *text, size_t len, nn_net *net, nn_error *err)
{
    params_ctx pc;
    reader r = {text, len, 0, err};
    int count, rc;

    clear_error(err);
    if (!net || (!text && len))
        return set_error(err, NN_EINVAL, "nnp_parse: no network or no text");
    count = nn_param_count(net);
    pc.net = net;
    pc.n_layers = nn_layer_count(net);
    pc.seen_layers = 0;
    pc.values = malloc((size_t)count * sizeof *pc.values);
    if (!pc.values)
        return set_error(err, NN_ENOMEM, "out of memory reading the parameters");
    rc = parse_document(&r, &pc);
    if (rc == NN_OK) {
        memcpy(nn_params(net), pc.values, (size_t)count * sizeof *pc.values);
        rc = nn_params_changed(net);
        if (rc != NN_OK)
            set_error(err, rc, "%s", nn_last_error(net)->message);
    }
    free(pc.values);
    return rc;
}

/* ---- files -------------------------------------------------------------- */

static char *grow(char *buf, size_t *cap, size_t need)
{
    size_t new_cap = *cap ? *cap : 4096;
    char *p;

    while (new_cap < need)
        new_cap *= 2;
    if (new_cap == *cap)
        return buf;
    p = realloc(buf, new_cap);
    if (p)
        *cap = new_cap;
    return p;
}

static char *read_stream(FILE *f, const char *path, size_t cap, const char *what,
                         size_t *len_out, nn_error *err)
{
    size_t len = 0, buf_cap = 0;
    char *buf = NULL;

    for (;;) {
        char *p = grow(buf, &buf_cap, len + 65536 + 1);
        if (!p) {
            free(buf);
            set_error(err, NN_ENOMEM, "out of memory reading %s \"%s\"", what, path);
            return NULL;
        }
        buf = p;
        size_t n = fread(buf + len, 1, buf_cap - len - 1, f);
        len += n;
        if (len > cap) {
            free(buf);
            set_error(err, NN_EDATA, "%s \"%s\" is larger than %zu MiB", what, path, cap >> 20);
            return NULL;
        }
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        set_error(err, NN_EDATA, "cannot read %s \"%s\": %s", what, path, strerror(errno));
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *len_out = len;
    return buf;
}

char *nnp_read_text(const char *path, size_t cap, const char *what, size_t *len_out,
                    nn_error *err)
{
    FILE *f;
    char *text;

    clear_error(err);
    errno = 0;
    f = fopen(path, "rb");
    if (!f) {
        set_error(err, NN_EDATA, "cannot read %s \"%s\": %s", what, path,
                  errno ? strerror(errno) : "cannot open it");
        return NULL;
    }
    text = read_stream(f, path, cap, what, len_out, err);
    fclose(f);
    return text;
}

int nnp_read_file(const char *path, nn_net *net, nn_error *err)
{
    size_t len;
    char *text = nnp_read_text(path, NNP_MAX_FILE_BYTES, "parameter file", &len, err);
    int rc;

    if (!text)
        return err ? err->code : NN_EDATA;
    rc = nnp_parse(text, len, net, err);
    if (rc != NN_OK && err)
        prefix_error(err, path);
    free(text);
    return rc;
}

/* ---- writing ---- */

typedef struct text_buf {
    char *data;
    size_t len, cap;
    int failed;
} text_buf;

static void buf_append(text_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    char *p = grow(b->data, &b->cap, b->len + n + 1);
    if (!p) {
        b->failed = 1;
        return;
    }
    b->data = p;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_puts(text_buf *b, const char *s) { buf_append(b, s, strlen(s)); }

static void buf_float(text_buf *b, float v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%.9g", (double)v);
    buf_append(b, tmp, (size_t)n);
}

static void buf_floats(text_buf *b, const float *v, int n)
{
    buf_puts(b, "[");
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(b, ",");
        buf_float(b, v[i]);
    }
    buf_puts(b, "]");
}

static void format_layer(text_buf *b, nn_net *net, int l)
{
    const float *params = nn_params(net);
    const float *w = params + nn_weight_offset(net, l);
    int in = nn_layer_in(net, l), out = nn_layer_out(net, l);

    buf_puts(b, "{\"weight\":[\n");
    for (int row = 0; row < out; row++) {
        buf_floats(b, w + (size_t)row * (size_t)in, in);
        buf_puts(b, row + 1 < out ? ",\n" : "\n");
    }
    buf_puts(b, "],\n\"bias\":");
    buf_floats(b, params + nn_bias_offset(net, l), out);
    buf_puts(b, "}");
}

static int first_non_finite_layer(nn_net *net)
{
    const float *params = nn_params(net);
    for (int l = 0; l < nn_layer_count(net); l++) {
        int in = nn_layer_in(net, l), out = nn_layer_out(net, l);
        const float *w = params + nn_weight_offset(net, l);
        const float *bias = params + nn_bias_offset(net, l);
        for (int i = 0; i < in * out; i++)
            if (!isfinite(w[i]))
                return l;
        for (int i = 0; i < out; i++)
            if (!isfinite(bias[i]))
                return l;
    }
    return -1;
}

char *nnp_format(nn_net *net, size_t *len_out, nn_error *err)
{
    text_buf b = {NULL, 0, 0, 0};
    int layers, bad;

    clear_error(err);
    if (!net) {
        set_error(err, NN_EINVAL, "nnp_format: no network");
        return NULL;
    }
    if ((bad = first_non_finite_layer(net)) >= 0) {
        set_error(err, NN_EDATA, "layer %d has a non-finite value; not writing it", bad + 1);
        return NULL;
    }
    layers = nn_layer_count(net);
    b.data = grow(NULL, &b.cap, (size_t)nn_param_count(net) * 16 + 256);
    b.failed = b.data == NULL;
    buf_puts(&b, "{\"layers\":[\n");
    for (int l = 0; l < layers; l++) {
        format_layer(&b, net, l);
        buf_puts(&b, l + 1 < layers ? ",\n" : "\n");
    }
    buf_puts(&b, "]}\n");
    if (b.failed) {
        free(b.data);
        set_error(err, NN_ENOMEM, "out of memory formatting the parameters");
        return NULL;
    }
    if (len_out)
        *len_out = b.len;
    return b.data;
}

int nnp_write_stream(FILE *f, nn_net *net, nn_error *err)
{
    size_t len;
    char *text = nnp_format(net, &len, err);
    int ok;

    if (!text)
        return err ? err->code : NN_ENOMEM;
    ok = fwrite(text, 1, len, f) == len && fflush(f) == 0;
    free(text);
    if (!ok)
        return set_error(err, NN_EDATA, "cannot write the parameters: %s", strerror(errno));
    return NN_OK;
}

static int write_failed(const char *path, const char *tmp_path, int saved_errno, nn_error *err)
{
    if (tmp_path)
        remove(tmp_path);
    return set_error(err, NN_EDATA, "cannot write \"%s\": %s", path,
                     saved_errno ? strerror(saved_errno) : "write error");
}

/* Write and close f; on failure *saved_errno says why. */
static int write_and_close(FILE *f, const char *text, size_t len, int *saved_errno)
{
    int wrote = fwrite(text, 1, len, f) == len && fflush(f) == 0;

    *saved_errno = errno;
    if (fclose(f) != 0 && wrote) {
        wrote = 0;
        *saved_errno = errno;
    }
    return wrote;
}

/* For paths that are not regular files (/dev/stdout, a FIFO, ...): no
 * temporary file, and above all no rename over a device. */
static int write_in_place(const char *path, const char *text, size_t len, nn_error *err)
{
    int saved_errno;
    FILE *f;

    errno = 0;
    f = fopen(path, "wb");
    if (!f)
        return write_failed(path, NULL, errno, err);
    if (!write_and_close(f, text, len, &saved_errno))
        return write_failed(path, NULL, saved_errno, err);
    return NN_OK;
}

/* Write to a temporary file next to `target`, then rename it over target
 * (keeping the permissions of an existing target).  `path` is for messages. */
static int write_by_rename(const char *path, const char *target, const struct stat *existing,
                           const char *text, size_t len, nn_error *err)
{
    size_t tmp_size = strlen(target) + 32;
    char *tmp_path = malloc(tmp_size);
    int rc = NN_OK, saved_errno;
    FILE *f;

    if (!tmp_path)
        return set_error(err, NN_ENOMEM, "out of memory writing \"%s\"", path);
    snprintf(tmp_path, tmp_size, "%s.tmp%ld", target, (long)getpid());
    errno = 0;
    f = fopen(tmp_path, "wbx");
    if (!f)
        rc = write_failed(path, NULL, errno, err);
    else if (!write_and_close(f, text, len, &saved_errno))
        rc = write_failed(path, tmp_path, saved_errno, err);
    else if (existing && chmod(tmp_path, existing->st_mode & 07777) != 0)
        rc = write_failed(path, tmp_path, errno, err);
    else if (rename(tmp_path, target) != 0)
        rc = write_failed(path, tmp_path, errno, err);
    free(tmp_path);
    return rc;
}

int nnp_write_text_atomic(const char *path, const char *text, size_t len, nn_error *err)
{
    struct stat st;
    char *resolved = NULL;
    const char *target = path;
    int rc;

    clear_error(err);
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        resolved = realpath(path, NULL); /* replace the link's target, not the link */
        if (!resolved)
            return write_in_place(path, text, len, err); /* e.g. a dangling link */
        target = resolved;
    }
    if (stat(target, &st) != 0)
        rc = write_by_rename(path, target, NULL, text, len, err);
    else if (S_ISREG(st.st_mode))
        rc = write_by_rename(path, target, &st, text, len, err);
    else
        rc = write_in_place(path, text, len, err); /* devices, FIFOs; directories fail */
    free(resolved);
    return rc;
}

int nnp_write_file(const char *path, nn_net *net, nn_error *err)
{
    size_t len;
    char *text = nnp_format(net, &len, err);
    int rc;

    if (!text)
        return err ? err->code : NN_ENOMEM;
    rc = nnp_write_text_atomic(path, text, len, err);
    free(text);
    return rc;
}
