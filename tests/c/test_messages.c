/*
 * test_messages.c — the core's own message formatter (src/nn_format.h) and
 * its numbers, against the C library's printf as the oracle:
 *  - nn__vformat with %d, %s, %zu, %% and cutting to the buffer = snprintf;
 *  - the numbers in messages ("(got …)") = snprintf's "%g" of the same value,
 *    for every kind of float: a million random bit patterns, the values next
 *    to every power of ten, ties at the sixth digit, zero, the extremes.
 */
#include <float.h>
#include <limits.h>
#include <stdint.h>

#include "nn_format.h"
#include "testutil.h"

static void vformat(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nn__vformat(buf, cap, fmt, ap);
    va_end(ap);
}

/* the C library's, through a function (so that the compiler does not warn of the cut on purpose) */
static void libc_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

static void test_vformat(void)
{
    char got[64], want[64];
    const int ints[] = {0, 7, -1, 42, -305, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        vformat(got, sizeof got, "value %d of %s (%zu bytes), 100%%", ints[i], "x", (size_t)SIZE_MAX);
        snprintf(want, sizeof want, "value %d of %s (%zu bytes), 100%%", ints[i], "x", (size_t)SIZE_MAX);
        CHECK(strcmp(got, want) == 0, "got \"%s\", want \"%s\"", got, want);
    }
    /* cut to the buffer, always ended */
    for (size_t cap = 1; cap <= 30; cap++) {
        memset(got, 'Z', sizeof got);
        memset(want, 'Z', sizeof want);
        vformat(got, cap, "line %d, column %d: %s", 1234, -5, "a value out of range");
        libc_format(want, cap, "line %d, column %d: %s", 1234, -5, "a value out of range");
        CHECK(memcmp(got, want, sizeof got) == 0, "cap %zu: got \"%s\", want \"%s\"", cap, got, want);
    }
    /* what it does not understand is shown, not guessed */
    vformat(got, sizeof got, "a %x b %", 5);
    CHECK(strcmp(got, "a %? b %?") == 0, "unsupported: got \"%s\"", got);
    vformat(got, sizeof got, "%s", (const char *)NULL);
    CHECK(strcmp(got, "(null)") == 0, "NULL string: got \"%s\"", got);
}

/* The number the core writes for a learning rate v that it refuses. */
static int core_number(float v, char *out, size_t cap)
{
    nn_config cfg;
    nn_error err;
    nn_config_default(&cfg);
    cfg.lr = v;
    if (nn_config_check(&cfg, &err) == NN_OK) return 0;
    const char *a = strstr(err.message, "(got ");
    const char *b = a ? strstr(a, ").") : NULL;
    if (!a || !b) return 0;
    a += 5;
    snprintf(out, cap, "%.*s", (int)(b - a), a);
    return 1;
}

static int mismatches, compared;
static char first_bad[160];

static void compare(float v)
{
    char got[64], want[64];
    if (!isfinite(v) || (v > 0.0f && v <= 100.0f)) return; /* accepted, no message */
    if (!core_number(v, got, sizeof got)) {
        mismatches++;
        if (!first_bad[0]) snprintf(first_bad, sizeof first_bad, "%a: no number in the message", (double)v);
        return;
    }
    snprintf(want, sizeof want, "%g", (double)v);
    compared++;
    if (strcmp(got, want) != 0) {
        mismatches++;
        if (!first_bad[0])
            snprintf(first_bad, sizeof first_bad, "%a: got \"%s\", printf \"%s\"", (double)v, got, want);
    }
}

static float from_bits(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static void test_numbers(void)
{
    /* every power of ten a float reaches, and the floats on either side */
    for (int e = -45; e <= 38; e++) {
        float p = (float)pow(10.0, e);
        float lo = p, hi = p;
        for (int k = 0; k < 4; k++) {
            compare(-lo);
            compare(-hi);
            lo = nextafterf(lo, 0.0f);
            hi = nextafterf(hi, INFINITY);
        }
        /* 999999.5·10^k-like neighbours: the sixth digit rounds up into the next power */
        compare(-(float)(0.9999995 * pow(10.0, e)));
        compare(-(float)(0.99999949 * pow(10.0, e)));
    }
    /* exact ties at the sixth significant digit (printf rounds them to even) */
    const float ties[] = {1234565.0f, 1234575.0f, 0.5078125f, 0.1015625f, 999999.5f, 9999995.0f,
                          0.00012207031f, 3.0517578e-05f, 1.52587890625e-05f};
    for (size_t i = 0; i < sizeof ties / sizeof ties[0]; i++) {
        compare(-ties[i]);
        compare(ties[i] * 1000.0f);
    }
    const float special[] = {0.0f, -0.0f, -FLT_MIN, -FLT_TRUE_MIN, -FLT_MAX, FLT_MAX, 100.00001f, 1e6f,
                             123456.0f, 1e-4f, 9.99999e-5f, 0.0001f, -0.1f, -1.0f, -16.0f, -0.001f};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) compare(special[i]);
    /* a million random finite floats, both signs (the positive ones above 100) */
    uint32_t x = 0x9E3779B9u;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        compare(from_bits(x));
    }
    CHECK(compared > 500000, "compared only %d numbers", compared);
    CHECK(mismatches == 0, "%d of %d numbers differ from printf's %%g; first: %s", mismatches, compared,
          first_bad);

    /* and a message as a whole */
    char got[64];
    CHECK(core_number(-1e-5f, got, sizeof got) && strcmp(got, "-1e-05") == 0, "got \"%s\"", got);
    CHECK(core_number(1234567.0f, got, sizeof got) && strcmp(got, "1.23457e+06") == 0, "got \"%s\"", got);
    CHECK(core_number(NAN, got, sizeof got) && strcmp(got, "NaN") == 0, "got \"%s\"", got);
    CHECK(core_number(-INFINITY, got, sizeof got) && strcmp(got, "minus infinity") == 0, "got \"%s\"", got);
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    test_vformat();
    test_numbers();
    return tu_finish();
}
