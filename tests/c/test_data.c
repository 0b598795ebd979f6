/*
 * test_data.c — the CSV parser, nn_data_from_bytes, the stratified split,
 * nn_data_limit_train, and the configuration checks.
 *
 * The expected facts about data/digits.csv were taken from the file with
 * other tools, not from the core:
 *   awk -F, '{c[$65]++} END{for(k in c) print k, c[k]}'  -> label counts
 *     0:178 1:182 2:177 3:183 4:181 5:182 6:181 7:179 8:174 9:180 (1797 rows,
 *     every line 65 fields, LF line ends, final newline)
 *   python3: Σ pixels = 561718;  Σ ((row·64 + col) mod 9973)·pixel = 2740525091
 *     (row, col 0-based);  Σ label·(row+1) = 7272861
 *   head -1 / tail -1 / line 1000: the literal rows below.
 */
#include "testutil.h"

#include <stddef.h>
#include <stdint.h>

static const int FIRST_ROW[65] = {
    0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0,
    0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0,
    0, 6, 13, 10, 0, 0, 0, 0};
static const int ROW_999[65] = {
    0, 0, 9, 15, 14, 2, 0, 0, 0, 0, 9, 3, 9, 8, 0, 0, 0, 0, 0, 0, 6, 10, 0, 0, 0, 0, 0, 10, 15,
    2, 0, 0, 0, 0, 2, 10, 11, 15, 2, 0, 0, 3, 1, 0, 0, 14, 4, 0, 0, 10, 13, 7, 2, 12, 4, 0, 0,
    0, 7, 14, 16, 10, 0, 0, 3};
static const int LAST_ROW[65] = {
    0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0, 0, 0, 5, 16,
    16, 10, 0, 0, 0, 0, 12, 15, 15, 12, 0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8,
    0, 0, 1, 8, 12, 14, 12, 1, 0, 8};
static const int LABEL_COUNTS[10] = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};

/* ---- building CSV text ---------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *t, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1) cap *= 2;
        b->s = realloc(b->s, cap);
        if (!b->s) abort();
        b->cap = cap;
    }
    memcpy(b->s + b->n, t, n);
    b->n += n;
    b->s[b->n] = '\0';
}
static void sb_str(sbuf *b, const char *t) { sb_add(b, t, strlen(t)); }

/* A valid line: pixel c = (seed + c) % 17, label seed % 10; `eol` appended. */
static void sb_line(sbuf *b, int seed, const char *eol)
{
    char tmp[8];
    int c;
    for (c = 0; c < 64; c++) {
        snprintf(tmp, sizeof tmp, "%d,", (seed + c) % 17);
        sb_str(b, tmp);
    }
    snprintf(tmp, sizeof tmp, "%d", seed % 10);
    sb_str(b, tmp);
    sb_str(b, eol);
}

/* A line whose field `col` (1-based) is replaced by `field` (text as is). */
static void sb_line_with(sbuf *b, int col, const char *field, int nfields)
{
    char tmp[8];
    int c;
    for (c = 1; c <= nfields; c++) {
        if (c == col) sb_str(b, field);
        else {
            snprintf(tmp, sizeof tmp, "%d", c == 65 ? 3 : c % 17);
            sb_str(b, tmp);
        }
        if (c < nfields) sb_str(b, ",");
    }
    sb_str(b, "\n");
}

/* Parses text[0..len) from an exactly-sized heap copy (so ASan catches any
 * read past len). */
static nn_data *parse_exact(const char *text, size_t len, int scale, nn_error *err)
{
    char *copy = malloc(len ? len : 1);
    nn_data *d;
    if (!copy) abort();
    if (len) memcpy(copy, text, len);
    memset(err, 0, sizeof *err);
    d = nn_data_parse_csv(len ? copy : NULL, len, scale, err);
    free(copy);
    return d;
}

/* Expects a refusal with NN_EDATA whose message names line `line` and, if
 * col > 0, column `col` (col2 > 0: either col or col2), and contains `found`
 * if not NULL. */
static void expect_csv_error(const char *name, const char *text, size_t len, int line, int col,
                             int col2, const char *found)
{
    nn_error err;
    nn_data *d = parse_exact(text, len, NN_SCALE_UNIT, &err);
    CHECK(d == NULL, "csv %s: was accepted (%d rows)", name, d ? nn_data_count(d) : 0);
    if (d) {
        nn_data_free(d);
        return;
    }
    CHECK(err.code == NN_EDATA, "csv %s: code %d, want NN_EDATA (%d); message \"%s\"", name,
          err.code, NN_EDATA, err.message);
    CHECK(err.message[0] != '\0' && memchr(err.message, '\0', sizeof err.message) != NULL,
          "csv %s: empty or unterminated message", name);
    if (line > 0)
        CHECK(tu_has_word_num(err.message, "line", line), "csv %s: message \"%s\" does not name "
              "line %d", name, err.message, line);
    if (col > 0)
        CHECK(tu_has_word_num(err.message, "column", col) ||
                  (col2 > 0 && tu_has_word_num(err.message, "column", col2)),
              "csv %s: message \"%s\" does not name column %d%s", name, err.message, col,
              col2 > 0 ? " (or the neighbouring one)" : "");
    if (found)
        CHECK(strstr(err.message, found) != NULL, "csv %s: message \"%s\" does not quote \"%s\"",
              name, err.message, found);
}

static void expect_csv_rows(const char *name, const char *text, size_t len, int rows)
{
    nn_error err;
    nn_data *d = parse_exact(text, len, NN_SCALE_UNIT, &err);
    CHECK(d != NULL, "csv %s: refused: %d %s", name, err.code, err.message);
    if (!d) return;
    CHECK(nn_data_count(d) == rows, "csv %s: %d rows, want %d", name, nn_data_count(d), rows);
    CHECK(err.code == NN_OK, "csv %s: err.code %d after success", name, err.code);
    nn_data_free(d);
}

static int row_equals(const nn_data *d, int r, const int *want)
{
    int c;
    for (c = 0; c < 64; c++)
        if (nn_data_pixels(d)[(size_t)r * 64 + c] != want[c]) return 0;
    return nn_data_labels(d)[r] == want[64];
}

/* ---- the real file -------------------------------------------------------- */

static void test_real_file(const char *src)
{
    char path[4096];
    size_t len = 0;
    char *text;
    nn_data *d, *raw;
    nn_error err;
    int counts[10] = {0}, i, c;
    long long s = 0, w = 0, l = 0;

    snprintf(path, sizeof path, "%s/data/digits.csv", src);
    text = tu_read_file(path, &len);
    CHECK(text != NULL, "cannot read %s", path);
    if (!text) return;
    d = parse_exact(text, len, NN_SCALE_UNIT, &err);
    CHECK(d != NULL, "digits.csv refused: %d %s", err.code, err.message);
    raw = parse_exact(text, len, NN_SCALE_RAW, &err);
    CHECK(raw != NULL, "digits.csv (raw scale) refused: %d %s", err.code, err.message);
    if (d && raw) {
        CHECK(nn_data_count(d) == 1797, "digits.csv: %d rows, want 1797", nn_data_count(d));
        CHECK(nn_data_scale(d) == NN_SCALE_UNIT && nn_data_scale(raw) == NN_SCALE_RAW,
              "nn_data_scale %d %d, want 0 1", nn_data_scale(d), nn_data_scale(raw));
        CHECK(row_equals(d, 0, FIRST_ROW), "digits.csv: row 0 differs from the file's first line");
        CHECK(row_equals(d, 999, ROW_999), "digits.csv: row 999 differs from line 1000");
        CHECK(row_equals(d, 1796, LAST_ROW), "digits.csv: row 1796 differs from the last line");
        for (i = 0; i < nn_data_count(d); i++) {
            counts[nn_data_labels(d)[i] % 10]++;
            l += (long long)nn_data_labels(d)[i] * (i + 1);
            for (c = 0; c < 64; c++) {
                int v = nn_data_pixels(d)[(size_t)i * 64 + c];
                s += v;
                w += (long long)((i * 64 + c) % 9973) * v;
            }
        }
        for (i = 0; i < 10; i++)
            CHECK(counts[i] == LABEL_COUNTS[i], "digits.csv: label %d occurs %d times, want %d", i,
                  counts[i], LABEL_COUNTS[i]);
        CHECK(s == 561718 && w == 2740525091LL && l == 7272861,
              "digits.csv checksums: pixels %lld weighted %lld labels %lld; want 561718 "
              "2740525091 7272861", s, w, l);
        /* scaling: unit = pixel/16, raw = pixel */
        for (i = 0; i < 1797 * 64; i++) {
            float p = nn_data_pixels(d)[i];
            if (nn_data_x(d)[i] != p / 16.0f || nn_data_x(raw)[i] != p) break;
        }
        CHECK(i == 1797 * 64, "x[%d] = %g (unit) / %g (raw) for pixel %d", i,
              i < 1797 * 64 ? nn_data_x(d)[i] : 0, i < 1797 * 64 ? nn_data_x(raw)[i] : 0,
              i < 1797 * 64 ? nn_data_pixels(d)[i] : 0);
        /* before a split: every row is training data, the test set is empty */
        CHECK(nn_data_set_count(d, NN_SET_TRAIN) == 1797 && nn_data_set_count(d, NN_SET_TEST) == 0 &&
                  nn_data_set_count(d, NN_SET_ALL) == 1797,
              "unsplit counts train %d test %d all %d, want 1797 0 1797",
              nn_data_set_count(d, NN_SET_TRAIN), nn_data_set_count(d, NN_SET_TEST),
              nn_data_set_count(d, NN_SET_ALL));
        for (i = 0; i < 1797; i++)
            if (nn_data_set_indices(d, NN_SET_TRAIN)[i] != i ||
                nn_data_set_indices(d, NN_SET_ALL)[i] != i)
                break;
        CHECK(i == 1797, "unsplit: train/all index %d is not %d", i, i);
    }
    if (d) nn_data_free(d);
    if (raw) nn_data_free(raw);

    /* CRLF line ends and no final newline: same rows */
    {
        sbuf b = {0};
        size_t k;
        for (k = 0; k < len; k++) {
            if (text[k] == '\n') sb_str(&b, "\r\n");
            else sb_add(&b, text + k, 1);
        }
        d = parse_exact(b.s, b.n, NN_SCALE_UNIT, &err);
        CHECK(d && nn_data_count(d) == 1797 && row_equals(d, 1796, LAST_ROW) &&
                  row_equals(d, 0, FIRST_ROW),
              "digits.csv with CRLF: %s (%d rows)", d ? "wrong rows" : err.message,
              d ? nn_data_count(d) : 0);
        if (d) nn_data_free(d);
        d = parse_exact(b.s, b.n - 2, NN_SCALE_UNIT, &err); /* drop the final CRLF */
        CHECK(d && nn_data_count(d) == 1797 && row_equals(d, 1796, LAST_ROW),
              "digits.csv with CRLF, no final newline: %s", d ? "wrong rows" : err.message);
        if (d) nn_data_free(d);
        free(b.s);
    }
    d = parse_exact(text, len - 1, NN_SCALE_UNIT, &err); /* no final "\n" */
    CHECK(d && nn_data_count(d) == 1797 && row_equals(d, 1796, LAST_ROW),
          "digits.csv without the final newline: %s", d ? "wrong rows" : err.message);
    if (d) nn_data_free(d);
    free(text);
}

/* ---- malformed text --------------------------------------------------------- */

static void test_csv_errors(void)
{
    sbuf b = {0};
    nn_error err;
    nn_data *d;
    size_t k;
    char *exact;

    /* empty, whitespace only */
    expect_csv_error("empty file", "", 0, 0, 0, 0, NULL);
    expect_csv_error("only newlines", "\n\n\n", 3, 0, 0, 0, NULL);
    expect_csv_error("only whitespace", " \n\t\r\n  \n", 8, 0, 0, 0, NULL);

    /* wrong column counts on line 2 */
    sb_line(&b, 1, "\n");
    sb_line_with(&b, 0, "", 64);
    sb_line(&b, 2, "\n");
    expect_csv_error("64 values on line 2", b.s, b.n, 2, 65, 64, NULL);
    b.n = 0;
    sb_line(&b, 1, "\n");
    sb_line_with(&b, 0, "", 66);
    expect_csv_error("66 values on line 2", b.s, b.n, 2, 66, 0, NULL);
    b.n = 0;
    sb_line_with(&b, 0, "", 1);
    expect_csv_error("a single value", b.s, b.n, 1, 2, 1, NULL);

    /* bad fields: line 3, various columns */
    {
        static const struct {
            const char *name, *field;
            int col;
            const char *found;
        } bad[] = {
            {"value 17", "17", 5, "17"},
            {"value 100", "100", 64, "100"},
            {"negative", "-1", 7, "-1"},
            {"text", "abc", 12, "abc"},
            {"decimal", "1.5", 30, "1.5"},
            {"empty field", "", 9, NULL},
            {"label 10", "10", 65, "10"},
            {"label -1", "-1", 65, "-1"},
            {"label text", "x", 65, "x"},
            {"plus sign", "+3", 2, "+3"},
            {"hex", "0x1", 40, "0x1"},
            {"quoted", "\"3\"", 1, "3"},
            {"huge number", "99999999999999999999", 3, NULL},
        };
        size_t i;
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            b.n = 0;
            sb_line(&b, 1, "\n");
            sb_line(&b, 2, "\n");
            sb_line_with(&b, bad[i].col, bad[i].field, 65);
            sb_line(&b, 3, "\n");
            expect_csv_error(bad[i].name, b.s, b.n, 3, bad[i].col, 0, bad[i].found);
        }
    }
    /* ",," in the middle of a line: column 2 is empty */
    b.n = 0;
    sb_str(&b, "0,,");
    for (k = 3; k <= 64; k++) sb_str(&b, "1,");
    sb_str(&b, "5\n");
    expect_csv_error("\",,\"", b.s, b.n, 1, 2, 0, NULL);

    /* a blank line in the middle (line 3) */
    b.n = 0;
    sb_line(&b, 1, "\n");
    sb_line(&b, 2, "\n");
    sb_str(&b, "\n");
    sb_line(&b, 3, "\n");
    expect_csv_error("blank line 3", b.s, b.n, 3, 0, 0, NULL);
    b.n = 0;
    sb_line(&b, 1, "\r\n");
    sb_str(&b, "\r\n");
    sb_line(&b, 3, "\r\n");
    expect_csv_error("blank CRLF line 2", b.s, b.n, 2, 0, 0, NULL);

    /* a NUL byte inside line 2, column 4 */
    b.n = 0;
    sb_line(&b, 1, "\n");
    sb_line_with(&b, 4, "1", 65);
    k = strchr(strchr(strchr(strchr(b.s + 0, '\n') + 1, ',') + 1, ',') + 1, ',') + 1 - b.s;
    b.s[k] = '\0'; /* the "1" of column 4 */
    expect_csv_error("NUL byte", b.s, b.n, 2, 4, 0, NULL);

    /* valid variants */
    b.n = 0;
    sb_line(&b, 1, "\n");
    sb_line(&b, 2, "\n");
    sb_line(&b, 3, "");
    expect_csv_rows("3 lines, no final newline", b.s, b.n, 3);
    b.n = 0;
    sb_line(&b, 1, "\r\n");
    sb_line(&b, 2, "\r\n");
    expect_csv_rows("CRLF", b.s, b.n, 2);
    b.n = 0;
    sb_line(&b, 4, "");
    expect_csv_rows("one line, no newline", b.s, b.n, 1);
    b.n = 0;
    sb_line(&b, 1, "\n");
    sb_str(&b, "\n\n");
    expect_csv_rows("trailing blank lines", b.s, b.n, 1);

    /* the buffer is not NUL-terminated: exactly len bytes on the heap, the
     * last being the label digit (ASan reports any read past it) */
    b.n = 0;
    sb_line(&b, 10, "\n");
    sb_line(&b, 13, ""); /* label 3 */
    d = parse_exact(b.s, b.n, NN_SCALE_UNIT, &err);
    CHECK(d && nn_data_count(d) == 2 && nn_data_labels(d)[1] == 3 && nn_data_labels(d)[0] == 0,
          "exact-length buffer: %s", d ? "wrong rows/labels" : err.message);
    if (d) nn_data_free(d);
    /* ... and a sentinel digit right after len must not be read: "..,3" + "7" */
    exact = malloc(b.n + 1);
    memcpy(exact, b.s, b.n);
    exact[b.n] = '7';
    memset(&err, 0, sizeof err);
    d = nn_data_parse_csv(exact, b.n, NN_SCALE_UNIT, &err);
    CHECK(d && nn_data_count(d) == 2 && nn_data_labels(d)[1] == 3,
          "sentinel after len was read: %s label %d", d ? "" : err.message,
          d ? nn_data_labels(d)[1] : -1);
    if (d) nn_data_free(d);
    /* len stopping before the sentinel line: only the lines inside len count */
    free(exact);
    b.n = 0;
    sb_line(&b, 10, "\n");
    k = b.n;
    sb_str(&b, "garbage,not,csv\n");
    exact = malloc(k);
    memcpy(exact, b.s, k);
    memset(&err, 0, sizeof err);
    d = nn_data_parse_csv(exact, k, NN_SCALE_UNIT, &err);
    CHECK(d && nn_data_count(d) == 1, "a buffer of one line + newline: %s",
          d ? "wrong row count" : err.message);
    if (d) nn_data_free(d);
    free(exact);

    /* a bad scale is refused */
    b.n = 0;
    sb_line(&b, 1, "\n");
    memset(&err, 0, sizeof err);
    d = nn_data_parse_csv(b.s, b.n, 2, &err);
    CHECK(d == NULL && err.code == NN_EINVAL && err.message[0],
          "scale 2: %s, code %d", d ? "accepted" : "refused", err.code);
    if (d) nn_data_free(d);

    /* NN_MAX_ROWS rows parse; one more is refused */
    b.n = 0;
    {
        sbuf line = {0};
        sb_line_with(&line, 0, "", 65);
        for (k = 0; k < NN_MAX_ROWS; k++) sb_add(&b, line.s, line.n);
        free(line.s);
    }
    expect_csv_rows("NN_MAX_ROWS rows", b.s, b.n, NN_MAX_ROWS);
    sb_line(&b, 5, "\n");
    expect_csv_error("NN_MAX_ROWS + 1 rows", b.s, b.n, 0, 0, 0, NULL);
    free(b.s);
}

/* ---- nn_data_from_bytes ------------------------------------------------------ */

static void test_from_bytes(void)
{
    uint8_t px[3 * 64], lb[3] = {1, 2, 9};
    nn_error err;
    nn_data *d;
    int i;
    for (i = 0; i < 3 * 64; i++) px[i] = (uint8_t)(i % 17);
    memset(&err, 0, sizeof err);
    d = nn_data_from_bytes(px, lb, 3, NN_SCALE_RAW, &err);
    CHECK(d != NULL, "from_bytes valid: %d %s", err.code, err.message);
    if (d) {
        CHECK(nn_data_count(d) == 3 && memcmp(nn_data_pixels(d), px, sizeof px) == 0 &&
                  memcmp(nn_data_labels(d), lb, 3) == 0 && nn_data_x(d)[16] == 16.0f &&
                  nn_data_x(d)[17] == 0.0f && nn_data_x(d)[5] == 5.0f,
              "from_bytes: wrong contents (count %d)", nn_data_count(d));
        nn_data_free(d);
    }
    /* the data set keeps its own copy */
    d = nn_data_from_bytes(px, lb, 3, NN_SCALE_UNIT, &err);
    if (d) {
        px[0] = 9;
        lb[0] = 7;
        CHECK(nn_data_pixels(d)[0] == 0 && nn_data_labels(d)[0] == 1 && nn_data_x(d)[1] == 1 / 16.0f,
              "from_bytes does not copy the input (pixel %d label %d)", nn_data_pixels(d)[0],
              nn_data_labels(d)[0]);
        px[0] = 0;
        lb[0] = 1;
        nn_data_free(d);
    }

    px[2 * 64 + 7] = 17;
    memset(&err, 0, sizeof err);
    d = nn_data_from_bytes(px, lb, 3, NN_SCALE_UNIT, &err);
    CHECK(d == NULL && err.code == NN_EDATA && err.message[0],
          "from_bytes pixel 17: %s, code %d \"%s\"", d ? "accepted" : "refused", err.code,
          err.message);
    CHECK(strstr(err.message, "17") != NULL, "from_bytes pixel 17: message \"%s\" lacks the value",
          err.message);
    if (d) nn_data_free(d);
    px[2 * 64 + 7] = 255;
    d = nn_data_from_bytes(px, lb, 3, NN_SCALE_UNIT, &err);
    CHECK(d == NULL && err.code == NN_EDATA, "from_bytes pixel 255: code %d", err.code);
    if (d) nn_data_free(d);
    px[2 * 64 + 7] = 16;

    lb[1] = 10;
    memset(&err, 0, sizeof err);
    d = nn_data_from_bytes(px, lb, 3, NN_SCALE_UNIT, &err);
    CHECK(d == NULL && err.code == NN_EDATA && tu_contains_ci(err.message, "label"),
          "from_bytes label 10: %s, code %d \"%s\"", d ? "accepted" : "refused", err.code,
          err.message);
    if (d) nn_data_free(d);
    lb[1] = 2;

    memset(&err, 0, sizeof err);
    d = nn_data_from_bytes(px, lb, 0, NN_SCALE_UNIT, &err);
    CHECK(d == NULL && err.code == NN_EINVAL && err.message[0],
          "from_bytes n 0: %s, code %d \"%s\"", d ? "accepted" : "refused", err.code, err.message);
    if (d) nn_data_free(d);
    d = nn_data_from_bytes(px, lb, -5, NN_SCALE_UNIT, &err);
    CHECK(d == NULL && err.code == NN_EINVAL, "from_bytes n -5: code %d", err.code);
    if (d) nn_data_free(d);
    d = nn_data_from_bytes(px, lb, 3, 7, &err);
    CHECK(d == NULL && err.code == NN_EINVAL, "from_bytes scale 7: code %d", err.code);
    if (d) nn_data_free(d);
}

/* ---- split and limit ----------------------------------------------------------- */

static int ascending(const int *v, int n)
{
    int i;
    for (i = 1; i < n; i++)
        if (v[i] <= v[i - 1]) return 0;
    return 1;
}

/* train and test are disjoint, ascending, and cover 0..n-1; per-label test
 * counts are round(count × f) (f as the float the core receives). */
static void check_split(nn_data *d, float f, const char *what)
{
    int n = nn_data_count(d), nt = nn_data_set_count(d, NN_SET_TRAIN),
        ns = nn_data_set_count(d, NN_SET_TEST), i, want_total = 0;
    const int *tr = nn_data_set_indices(d, NN_SET_TRAIN), *te = nn_data_set_indices(d, NN_SET_TEST);
    int *seen = calloc((size_t)n, sizeof(int));
    int per[10] = {0}, bad = -1;
    CHECK(nt + ns == n, "%s: train %d + test %d != %d", what, nt, ns, n);
    CHECK(ascending(tr, nt) && ascending(te, ns), "%s: index lists not ascending", what);
    for (i = 0; i < nt; i++) {
        if (tr[i] < 0 || tr[i] >= n) { bad = tr[i]; break; }
        seen[tr[i]]++;
    }
    for (i = 0; i < ns && bad < 0; i++) {
        if (te[i] < 0 || te[i] >= n) { bad = te[i]; break; }
        seen[te[i]] += 2;
        per[nn_data_labels(d)[te[i]]]++;
    }
    CHECK(bad < 0, "%s: index %d out of range", what, bad);
    for (i = 0; i < n; i++)
        if (seen[i] != 1 && seen[i] != 2) break;
    CHECK(i == n, "%s: row %d is in %s", what, i,
          i < n ? (seen[i] == 0 ? "neither set" : "both sets") : "");
    for (i = 0; i < 10; i++) {
        int want = (int)floor(LABEL_COUNTS[i] * (double)f + 0.5);
        want_total += want;
        CHECK(per[i] == want, "%s: label %d has %d test rows, want round(%d*%g) = %d", what, i,
              per[i], LABEL_COUNTS[i], (double)f, want);
    }
    CHECK(ns == want_total, "%s: %d test rows, want %d", what, ns, want_total);
    free(seen);
}

static void test_split(nn_data *d)
{
    nn_error err;
    int rc, i, *first = NULL, nfirst;
    int counts[10] = {0};
    static const float bad[] = {-0.1f, 0.95f, 1.0f, -0.0001f, 0.9001f};

    rc = nn_data_split(d, 0.2f, 1, &err);
    CHECK(rc == NN_OK, "split 0.2: %d %s", rc, err.message);
    check_split(d, 0.2f, "split 0.2 seed 1");
    CHECK(nn_data_set_count(d, NN_SET_TEST) == 359, "split 0.2: %d test rows, want 359",
          nn_data_set_count(d, NN_SET_TEST));
    nfirst = nn_data_set_count(d, NN_SET_TEST);
    first = malloc(sizeof(int) * (size_t)nfirst);
    memcpy(first, nn_data_set_indices(d, NN_SET_TEST), sizeof(int) * (size_t)nfirst);
    /* same seed, same split (also after another split in between) */
    nn_data_split(d, 0.3f, 99, &err);
    rc = nn_data_split(d, 0.2f, 1, &err);
    CHECK(rc == NN_OK && nn_data_set_count(d, NN_SET_TEST) == nfirst &&
              memcmp(first, nn_data_set_indices(d, NN_SET_TEST), sizeof(int) * (size_t)nfirst) == 0,
          "split 0.2 seed 1 twice: different test sets");
    /* another seed: another test set (same size) */
    rc = nn_data_split(d, 0.2f, 2, &err);
    CHECK(rc == NN_OK && nn_data_set_count(d, NN_SET_TEST) == nfirst &&
              memcmp(first, nn_data_set_indices(d, NN_SET_TEST), sizeof(int) * (size_t)nfirst) != 0,
          "split 0.2 seed 2 gives the same test set as seed 1");
    check_split(d, 0.2f, "split 0.2 seed 2");
    /* ties: 0.5 of an odd count rounds half away from zero */
    rc = nn_data_split(d, 0.5f, 3, &err);
    CHECK(rc == NN_OK, "split 0.5: %d %s", rc, err.message);
    check_split(d, 0.5f, "split 0.5");
    rc = nn_data_split(d, 0.9f, 4, &err);
    CHECK(rc == NN_OK, "split 0.9: %d %s", rc, err.message);
    check_split(d, 0.9f, "split 0.9");
    rc = nn_data_split(d, 0.1f, 4, &err);
    check_split(d, 0.1f, "split 0.1");
    /* 0: every row is training data */
    rc = nn_data_split(d, 0.0f, 5, &err);
    CHECK(rc == NN_OK && nn_data_set_count(d, NN_SET_TEST) == 0 &&
              nn_data_set_count(d, NN_SET_TRAIN) == 1797,
          "split 0: rc %d, train %d, test %d", rc, nn_data_set_count(d, NN_SET_TRAIN),
          nn_data_set_count(d, NN_SET_TEST));
    check_split(d, 0.0f, "split 0");

    /* invalid fractions: refused with a message, split unchanged */
    nn_data_split(d, 0.2f, 1, &err);
    for (i = 0; i < (int)(sizeof bad / sizeof bad[0]) + 2; i++) {
        float f = i < (int)(sizeof bad / sizeof bad[0]) ? bad[i] : (i == 5 ? NAN : INFINITY);
        memset(&err, 0, sizeof err);
        rc = nn_data_split(d, f, 1, &err);
        CHECK(rc == NN_EINVAL && err.code == NN_EINVAL && err.message[0] &&
                  tu_contains_ci(err.message, "fraction"),
              "split %g: rc %d code %d message \"%s\" (want NN_EINVAL, mentioning the fraction)",
              (double)f, rc, err.code, err.message);
    }
    CHECK(nn_data_set_count(d, NN_SET_TEST) == nfirst &&
              memcmp(first, nn_data_set_indices(d, NN_SET_TEST), sizeof(int) * (size_t)nfirst) == 0,
          "a refused split changed the test set");

    /* limit_train */
    {
        int full = nn_data_set_count(d, NN_SET_TRAIN), *train_before;
        train_before = malloc(sizeof(int) * (size_t)full);
        memcpy(train_before, nn_data_set_indices(d, NN_SET_TRAIN), sizeof(int) * (size_t)full);
        rc = nn_data_limit_train(d, 100, &err);
        CHECK(rc == NN_OK && nn_data_set_count(d, NN_SET_TRAIN) == 100,
              "limit 100: rc %d, %d training rows", rc, nn_data_set_count(d, NN_SET_TRAIN));
        if (rc == NN_OK) {
            const int *tr = nn_data_set_indices(d, NN_SET_TRAIN);
            int distinct10 = 0, in_before = 1, dup = 0;
            int *mark = calloc(1797, sizeof(int));
            memset(counts, 0, sizeof counts);
            for (i = 0; i < 100; i++) {
                int j, found = 0;
                counts[nn_data_labels(d)[tr[i]]]++;
                for (j = 0; j < full; j++)
                    if (train_before[j] == tr[i]) found = 1;
                in_before &= found;
                dup |= mark[tr[i]]++;
            }
            CHECK(in_before && !dup, "limit 100: rows not a subset of the training list (or repeated)");
            for (i = 0; i < 10; i++)
                CHECK(counts[i] >= 9 && counts[i] <= 11, "limit 100: label %d has %d rows, want ~10",
                      i, counts[i]);
            /* interleaved by label: the first 10 rows have 10 different labels */
            memset(counts, 0, sizeof counts);
            for (i = 0; i < 10; i++) counts[nn_data_labels(d)[tr[i]]]++;
            for (i = 0; i < 10; i++) distinct10 += counts[i] > 0;
            CHECK(distinct10 == 10, "limit: the first 10 training rows have only %d labels",
                  distinct10);
            free(mark);
        }
        CHECK(nn_data_set_count(d, NN_SET_TEST) == nfirst &&
                  memcmp(first, nn_data_set_indices(d, NN_SET_TEST), sizeof(int) * (size_t)nfirst) == 0,
              "limit changed the test set");
        rc = nn_data_limit_train(d, 1, &err);
        CHECK(rc == NN_OK && nn_data_set_count(d, NN_SET_TRAIN) == 1, "limit 1: rc %d, %d rows",
              rc, nn_data_set_count(d, NN_SET_TRAIN));
        memset(&err, 0, sizeof err);
        rc = nn_data_limit_train(d, 0, &err);
        CHECK(rc == NN_EINVAL && err.code == NN_EINVAL && err.message[0],
              "limit 0: rc %d code %d \"%s\"", rc, err.code, err.message);
        rc = nn_data_limit_train(d, -3, &err);
        CHECK(rc == NN_EINVAL, "limit -3: rc %d", rc);
        /* a new split brings back the full training list */
        nn_data_split(d, 0.2f, 1, &err);
        rc = nn_data_limit_train(d, 100000, &err);
        CHECK(rc == NN_OK && nn_data_set_count(d, NN_SET_TRAIN) == full,
              "limit larger than the list: rc %d, %d rows, want %d", rc,
              nn_data_set_count(d, NN_SET_TRAIN), full);
        nn_data_split(d, 0.2f, 1, &err);
        CHECK(nn_data_set_count(d, NN_SET_TRAIN) == full &&
                  memcmp(train_before, nn_data_set_indices(d, NN_SET_TRAIN), sizeof(int) * (size_t)full) == 0,
              "split after limit: %d training rows, want the full %d", nn_data_set_count(d, NN_SET_TRAIN),
              full);
        free(train_before);
    }
    free(first);
}

/* ---- configuration checks ------------------------------------------------------ */

static void test_config(void)
{
    nn_config c;
    nn_error err;
    nn_net *net;
    int rc;
    size_t i;

    /* layout, defaults */
    CHECK(nn_config_sizeof() == 64 && sizeof(nn_config) == 64, "nn_config is %d / %d bytes, want 64",
          nn_config_sizeof(), (int)sizeof(nn_config));
    CHECK(offsetof(nn_config, sizes) == 4 && offsetof(nn_config, hidden_act) == 28 &&
              offsetof(nn_config, output_act) == 32 && offsetof(nn_config, cost) == 36 &&
              offsetof(nn_config, optimizer) == 40 && offsetof(nn_config, lr) == 44 &&
              offsetof(nn_config, momentum) == 48 && offsetof(nn_config, weight_decay) == 52 &&
              offsetof(nn_config, batch_size) == 56 && offsetof(nn_config, seed) == 60,
          "nn_config field offsets differ from the header");
    CHECK(sizeof(nn_error) == 256 && offsetof(nn_error, message) == 4, "nn_error layout");
    memset(&c, 0x7f, sizeof c);
    nn_config_default(&c);
    CHECK(c.n_layers == 3 && c.sizes[0] == 64 && c.sizes[1] == 8 && c.sizes[2] == 10 &&
              c.hidden_act == NN_SIGMOID && c.output_act == NN_SIGMOID && c.cost == NN_MSE &&
              c.optimizer == NN_SGD && c.lr == 0.1f && c.momentum == 0.9f &&
              c.weight_decay == 0.0f && c.batch_size == 32 && c.seed == 1,
          "nn_config_default: %d layers %d,%d,%d act %d/%d cost %d opt %d lr %g mom %g wd %g "
          "batch %d seed %u", c.n_layers, c.sizes[0], c.sizes[1], c.sizes[2], c.hidden_act,
          c.output_act, c.cost, c.optimizer, c.lr, c.momentum, c.weight_decay, c.batch_size,
          c.seed);
    memset(&err, 0x55, sizeof err);
    rc = nn_config_check(&c, &err);
    CHECK(rc == NN_OK && err.code == NN_OK, "default config refused: %d %s", rc, err.message);

    /* valid edge cases */
    {
        static const struct {
            const char *name;
            int field;
            double v;
        } ok[] = {
            {"lr 100", 0, 100}, {"lr 1e-6", 0, 1e-6}, {"width 512", 1, 512}, {"width 1", 1, 1},
            {"batch 0", 2, 0},  {"batch 100000", 2, 100000}, {"momentum 0", 3, 0},
            {"momentum 0.999", 3, 0.999}, {"decay 0.5", 4, 0.5}, {"decay 1", 4, 1}, {"seed 0", 5, 0},
        };
        for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
            nn_config_default(&c);
            switch (ok[i].field) {
            case 0: c.lr = (float)ok[i].v; break;
            case 1: c.sizes[1] = (int)ok[i].v; break;
            case 2: c.batch_size = (int)ok[i].v; break;
            case 3: c.momentum = (float)ok[i].v; break;
            case 4: c.weight_decay = (float)ok[i].v; break;
            case 5: c.seed = (uint32_t)ok[i].v; break;
            }
            rc = nn_config_check(&c, &err);
            CHECK(rc == NN_OK, "config %s refused: %s", ok[i].name, err.message);
        }
        nn_config_default(&c);
        c.n_layers = 2;
        c.sizes[1] = 10;
        c.cost = NN_XENT;
        c.output_act = NN_SOFTMAX;
        rc = nn_config_check(&c, &err);
        CHECK(rc == NN_OK, "config 64,10 xent+softmax refused: %s", err.message);
        c.n_layers = 6;
        c.sizes[1] = c.sizes[2] = c.sizes[3] = c.sizes[4] = 7;
        c.sizes[5] = 10;
        c.hidden_act = NN_RELU;
        c.output_act = NN_IDENTITY;
        c.cost = NN_MSE;
        c.optimizer = NN_ADAM;
        rc = nn_config_check(&c, &err);
        CHECK(rc == NN_OK, "config 64,7,7,7,7,10 relu identity adam refused: %s", err.message);
    }

    /* invalid ones: NN_EINVAL + a message naming the problem */
    {
        static const struct {
            const char *name, *word, *word2;
        } bad[] = {
            {"lr 0", "learning rate", NULL},
            {"lr -1", "learning rate", NULL},
            {"lr NaN", "learning rate", NULL},
            {"lr inf", "learning rate", NULL},
            {"lr 1000", "learning rate", NULL},
            {"1 layer size", "layer", NULL},
            {"7 layer sizes", "layer", NULL},
            {"-1 layer sizes", "layer", NULL},
            {"sizes[0] = 32", "64", NULL},
            {"last size 9", "10", NULL},
            {"hidden width 0", "hidden", "width"},
            {"hidden width 513", "512", NULL},
            {"hidden width -4", "hidden", "width"},
            {"xent with sigmoid output", "softmax", NULL},
            {"xent with identity output", "softmax", NULL},
            {"hidden activation 7", "activation", NULL},
            {"hidden activation softmax", "activation", NULL},
            {"hidden activation -1", "activation", NULL},
            {"output activation 9", "output", NULL},
            {"output activation relu", "output", NULL},
            {"cost 5", "cost", NULL},
            {"optimizer 3", "optimi", NULL},
            {"momentum 1.0", "momentum", NULL},
            {"momentum -0.1", "momentum", NULL},
            {"momentum NaN", "momentum", NULL},
            {"batch -1", "batch", NULL},
            {"batch 100001", "batch", NULL},
            {"weight decay -1", "decay", NULL},
            {"weight decay NaN", "decay", NULL},
            {"weight decay inf", "decay", NULL},
            {"weight decay 5", "decay", NULL},
        };
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            nn_config_default(&c);
            switch (i) {
            case 0: c.lr = 0; break;
            case 1: c.lr = -1; break;
            case 2: c.lr = NAN; break;
            case 3: c.lr = INFINITY; break;
            case 4: c.lr = 1000; break;
            case 5: c.n_layers = 1; break;
            case 6: c.n_layers = 7; break;
            case 7: c.n_layers = -1; break;
            case 8: c.sizes[0] = 32; break;
            case 9: c.sizes[2] = 9; break;
            case 10: c.sizes[1] = 0; break;
            case 11: c.sizes[1] = 513; break;
            case 12: c.sizes[1] = -4; break;
            case 13: c.cost = NN_XENT; c.output_act = NN_SIGMOID; break;
            case 14: c.cost = NN_XENT; c.output_act = NN_IDENTITY; break;
            case 15: c.hidden_act = 7; break;
            case 16: c.hidden_act = NN_SOFTMAX; break;
            case 17: c.hidden_act = -1; break;
            case 18: c.output_act = 9; break;
            case 19: c.output_act = NN_RELU; break;
            case 20: c.cost = 5; break;
            case 21: c.optimizer = 3; break;
            case 22: c.momentum = 1.0f; break;
            case 23: c.momentum = -0.1f; break;
            case 24: c.momentum = NAN; break;
            case 25: c.batch_size = -1; break;
            case 26: c.batch_size = 100001; break;
            case 27: c.weight_decay = -1; break;
            case 28: c.weight_decay = NAN; break;
            case 29: c.weight_decay = INFINITY; break;
            case 30: c.weight_decay = 5; break;
            }
            memset(&err, 0, sizeof err);
            rc = nn_config_check(&c, &err);
            CHECK(rc == NN_EINVAL && err.code == NN_EINVAL,
                  "config %s: rc %d code %d, want NN_EINVAL", bad[i].name, rc, err.code);
            CHECK(err.message[0] && (tu_contains_ci(err.message, bad[i].word) ||
                                     (bad[i].word2 && tu_contains_ci(err.message, bad[i].word2))),
                  "config %s: message \"%s\" does not mention \"%s\"", bad[i].name, err.message,
                  bad[i].word);
            /* nn_create refuses it the same way */
            memset(&err, 0, sizeof err);
            net = nn_create(&c, &err);
            CHECK(net == NULL && err.code == NN_EINVAL && err.message[0],
                  "nn_create(%s): %s, code %d", bad[i].name, net ? "created" : "refused", err.code);
            if (net) nn_free(net);
        }
    }
}

int main(int argc, char **argv)
{
    const char *src = argc > 1 ? argv[1] : ".";
    nn_data *d;
    test_real_file(src);
    test_csv_errors();
    test_from_bytes();
    d = tu_load_digits(src, NN_SCALE_UNIT);
    if (d) {
        test_split(d);
        nn_data_free(d);
    }
    test_config();
    return tu_finish();
}
