/*
 * testutil.h — the tiny shared check helpers of the C unit tests.
 *
 * Every test file is its own executable: argv[1] is the project source dir.
 * A failed check prints one line (file:line and the numbers involved); the
 * run ends with "N passed, N failed" and a non-zero exit status on failure.
 */
#ifndef NNMATH_TESTUTIL_H
#define NNMATH_TESTUTIL_H

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nnmath.h"

static int tu_passed, tu_failed;

static inline void tu_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    tu_failed++;
    printf("FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

/* CHECK(condition, printf-format, args...): the message should carry the
 * numbers that were compared. */
#define CHECK(cond, ...)                                                      \
    do {                                                                      \
        if (cond) tu_passed++;                                                \
        else tu_fail(__FILE__, __LINE__, __VA_ARGS__);                        \
    } while (0)

/* |got - want| <= tol (absolute); NaN never passes. */
#define CHECK_NEAR(got, want, tol, what)                                      \
    do {                                                                      \
        double tu_g_ = (double)(got), tu_w_ = (double)(want);                 \
        CHECK(fabs(tu_g_ - tu_w_) <= (tol), "%s: got %.9g, want %.9g "        \
              "(|diff| %.3g > tol %.3g)", (what), tu_g_, tu_w_,               \
              fabs(tu_g_ - tu_w_), (double)(tol));                            \
    } while (0)

/* relative: |got - want| <= tol * max(1, |want|) */
#define CHECK_REL(got, want, tol, what)                                       \
    do {                                                                      \
        double tu_g_ = (double)(got), tu_w_ = (double)(want);                 \
        double tu_s_ = fabs(tu_w_) > 1.0 ? fabs(tu_w_) : 1.0;                 \
        CHECK(fabs(tu_g_ - tu_w_) <= (tol) * tu_s_, "%s: got %.9g, want "     \
              "%.9g (|diff| %.3g > %.3g)", (what), tu_g_, tu_w_,              \
              fabs(tu_g_ - tu_w_), (double)(tol) * tu_s_);                    \
    } while (0)

static inline int tu_finish(void)
{
    printf("%d passed, %d failed\n", tu_passed, tu_failed);
    return tu_failed ? 1 : 0;
}

/* Case-insensitive substring search. */
static inline int tu_contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!hay) return 0;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] &&
               tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n) return 1;
    }
    return 0;
}

/* Does `msg` contain `word` (case-insensitive) immediately followed by the
 * number `num` and then a non-digit?  ("line 3" matches "line 3," but not
 * "line 30"). */
static inline int tu_has_word_num(const char *msg, const char *word, long num)
{
    char want[64];
    size_t n;
    const char *p;
    snprintf(want, sizeof want, "%s %ld", word, num);
    n = strlen(want);
    for (p = msg; p && *p; p++) {
        size_t i = 0;
        while (i < n && p[i] &&
               tolower((unsigned char)p[i]) == tolower((unsigned char)want[i]))
            i++;
        if (i == n && !isdigit((unsigned char)p[n])) return 1;
    }
    return 0;
}

/* Reads a whole file into a malloc'd buffer (NUL-terminated, but *len is the
 * file size).  Returns NULL on failure. */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* A small deterministic generator for the tests themselves (independent of
 * the core's generators). */
static unsigned long long tu_rng_state = 0x9E3779B97F4A7C15ULL;
static inline void tu_srand(unsigned long long s) { tu_rng_state = s * 0x9E3779B97F4A7C15ULL + 1; }
static inline unsigned tu_rand32(void)
{
    /* xorshift64* */
    tu_rng_state ^= tu_rng_state >> 12;
    tu_rng_state ^= tu_rng_state << 25;
    tu_rng_state ^= tu_rng_state >> 27;
    return (unsigned)((tu_rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}
/* uniform in [0, 1) */
static inline double tu_uniform(void) { return tu_rand32() / 4294967296.0; }

/* Parses <srcdir>/data/digits.csv (NULL and a printed line on failure). */
static inline nn_data *tu_load_digits(const char *srcdir, int scale)
{
    char path[4096];
    size_t len = 0;
    char *text;
    nn_data *d;
    nn_error err;
    snprintf(path, sizeof path, "%s/data/digits.csv", srcdir);
    text = tu_read_file(path, &len);
    if (!text) {
        tu_fail(__FILE__, __LINE__, "cannot read %s", path);
        return NULL;
    }
    memset(&err, 0, sizeof err);
    d = nn_data_parse_csv(text, len, scale, &err);
    if (!d) tu_fail(__FILE__, __LINE__, "parsing %s failed: %d %s", path, err.code, err.message);
    free(text);
    return d;
}

#endif
