/*
 * main.c — nnmath, the command-line trainer.
 *
 *   nnmath train [options]     train on the digits and report every epoch
 *   nnmath --help | --version
 *
 * Exit codes: 0 done, 1 internal error (out of memory, cannot write the
 * output), 2 bad usage or configuration, 3 bad data or parameter file,
 * 4 training diverged.  Every failure prints one line on stderr, prefixed
 * "nnmath: ".
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif

#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nnmath.h"
#include "params_json.h"

#ifndef NNMATH_DEFAULT_DATA
#define NNMATH_DEFAULT_DATA "data/digits.csv"
#endif
#ifndef NNMATH_VERSION
#define NNMATH_VERSION "0.1.0"
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CLI_PRINTF(fmt_index, first_arg) \
    __attribute__((format(printf, fmt_index, first_arg)))
#else
#define CLI_PRINTF(fmt_index, first_arg)
#endif

enum {
    CLI_OK = 0,
    CLI_INTERNAL = 1,
    CLI_USAGE = 2,
    CLI_BAD_FILE = 3,
    CLI_DIVERGED = 4,
    CLI_HELP_SHOWN = -1 /* parsing stopped after --help: exit 0 */
};

#define DATA_MAX_BYTES ((size_t)64 << 20)
#define EPOCHS_MAX 1000000L
#define TEST_FRACTION_MAX 0.9

static const char USAGE[] =
    "usage: nnmath train [options]\n"
    "       nnmath --help | --version\n"
    "\n"
    "Train a multilayer perceptron on the UCI 8x8 digits and report every epoch.\n"
    "\n"
    "options (defaults in brackets):\n"
    "  --data FILE              digits CSV: 64 pixels 0..16 then a label per line\n"
    "                           [" NNMATH_DEFAULT_DATA "]\n"
    "  --layers 64,8,10         layer sizes: 64, 0 to 4 hidden widths (1..512), 10 [64,8,10]\n"
    "  --activation NAME        hidden activation: sigmoid, tanh or relu [sigmoid]\n"
    "  --output NAME            output activation: softmax, sigmoid or identity\n"
    "                           [softmax with xent, sigmoid with mse]\n"
    "  --cost NAME              mse or xent (cross-entropy, needs softmax) [mse]\n"
    "  --optimizer NAME         sgd, momentum or adam [sgd]\n"
    "  --lr X                   learning rate, > 0 [0.1]\n"
    "  --momentum X             momentum, or Adam's beta1, in [0, 1) [0.9]\n"
    "  --weight-decay X         L2 weight decay, >= 0 [0]\n"
    "  --batch N                mini-batch size, 0 = the whole training set [32]\n"
    "  --epochs N               epochs to train, 0 = evaluate only [30]\n"
    "  --seed N                 seed of the initial weights, the shuffling and the split [1]\n"
    "  --test-fraction X        share of every digit held out for testing, 0..0.9 [0.2]\n"
    "  --scale unit|raw         inputs as pixel/16 or raw 0..16 [unit]\n"
    "  --no-shuffle             keep the training rows in order\n"
    "  --dump-init FILE         write the initial parameters as JSON\n"
    "  --init FILE              start from the parameters in FILE (as written by --save)\n"
    "  --save FILE              write the trained parameters as JSON\n"
    "  --json                   one JSON object per line instead of text\n"
    "  -h, --help               show this help\n"
    "\n"
    "exit codes: 0 done, 2 bad usage, 3 bad data or parameter file, 4 training diverged\n";

/* ---- messages ------------------------------------------------------------ */

static int fail(int code, const char *fmt, ...) CLI_PRINTF(2, 3);

/* Print "nnmath: <message>" on stderr and return the exit code. */
static int fail(int code, const char *fmt, ...)
{
    va_list ap;
    fputs("nnmath: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

static int exit_code_for(int nn_code)
{
    switch (nn_code) {
    case NN_OK: return CLI_OK;
    case NN_EINVAL: return CLI_USAGE;
    case NN_EDATA: return CLI_BAD_FILE;
    case NN_EDIVERGED: return CLI_DIVERGED;
    default: return CLI_INTERNAL;
    }
}

static int fail_nn(const nn_error *err)
{
    return fail(exit_code_for(err->code), "%s", err->message);
}

/* ---- options ---------------------------------------------------------------- */

typedef struct options {
    const char *data_path;
    nn_config cfg;
    int output_given;
    long epochs;
    double test_fraction;
    int scale;
    int shuffle;
    int json;
    const char *dump_init_path;
    const char *init_path;
    const char *save_path;
} options;

typedef enum option_id {
    OPT_DATA, OPT_LAYERS, OPT_ACTIVATION, OPT_OUTPUT, OPT_COST, OPT_OPTIMIZER,
    OPT_LR, OPT_MOMENTUM, OPT_WEIGHT_DECAY, OPT_BATCH, OPT_EPOCHS, OPT_SEED,
    OPT_TEST_FRACTION, OPT_SCALE, OPT_NO_SHUFFLE, OPT_DUMP_INIT, OPT_INIT,
    OPT_SAVE, OPT_JSON, OPT_HELP
} option_id;

typedef struct option_spec {
    const char *name;
    option_id id;
    int takes_value;
} option_spec;

static const option_spec OPTIONS[] = {
    {"--data", OPT_DATA, 1},
    {"--layers", OPT_LAYERS, 1},
    {"--activation", OPT_ACTIVATION, 1},
    {"--output", OPT_OUTPUT, 1},
    {"--cost", OPT_COST, 1},
    {"--optimizer", OPT_OPTIMIZER, 1},
    {"--lr", OPT_LR, 1},
    {"--momentum", OPT_MOMENTUM, 1},
    {"--weight-decay", OPT_WEIGHT_DECAY, 1},
    {"--batch", OPT_BATCH, 1},
    {"--epochs", OPT_EPOCHS, 1},
    {"--seed", OPT_SEED, 1},
    {"--test-fraction", OPT_TEST_FRACTION, 1},
    {"--scale", OPT_SCALE, 1},
    {"--no-shuffle", OPT_NO_SHUFFLE, 0},
    {"--dump-init", OPT_DUMP_INIT, 1},
    {"--init", OPT_INIT, 1},
    {"--save", OPT_SAVE, 1},
    {"--json", OPT_JSON, 0},
    {"--help", OPT_HELP, 0},
    {"-h", OPT_HELP, 0},
};

static void options_default(options *o)
{
    memset(o, 0, sizeof *o);
    o->data_path = NNMATH_DEFAULT_DATA;
    nn_config_default(&o->cfg);
    o->epochs = 30;
    o->test_fraction = 0.2;
    o->scale = NN_SCALE_UNIT;
    o->shuffle = 1;
}

/* A finite decimal number, the whole string. */
static int parse_double(const char *s, double *out)
{
    char *end;
    int c = (unsigned char)s[0];

    if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9')))
        return 0;
    errno = 0;
    *out = strtod(s, &end);
    return *end == '\0' && isfinite(*out) && errno != ERANGE;
}

/* A whole number, the whole string, within [lo, hi]. */
static int parse_integer(const char *s, long long lo, long long hi, long long *out)
{
    char *end;
    int c = (unsigned char)s[0];

    if (!(c == '-' || c == '+' || (c >= '0' && c <= '9')))
        return 0;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return *end == '\0' && errno != ERANGE && *out >= lo && *out <= hi;
}

/* Out-of-range doubles become ±infinity, which nn_config_check refuses. */
static float to_float(double v)
{
    if (v > FLT_MAX)
        return INFINITY;
    if (v < -FLT_MAX)
        return -INFINITY;
    return (float)v;
}

static int set_float(const char *name, const char *value, float *out)
{
    double v;
    if (!parse_double(value, &v))
        return fail(CLI_USAGE, "%s needs a number, got \"%s\"", name, value);
    *out = to_float(v);
    return CLI_OK;
}

/* The network keeps its settings as 32-bit floats (about 7 digits): a
 * learning rate that rounds to 0, or a momentum that rounds up to 1, is
 * refused here in the reader's own number rather than by the core as "got 0"
 * or "got 1". */
static int set_lr(const char *name, const char *value, float *out)
{
    const int rc = set_float(name, value, out);
    if (rc == CLI_OK && *out == 0.0f && strtod(value, NULL) > 0.0)
        return fail(CLI_USAGE, "%s %s is too small: the network keeps it as a 32-bit float, "
                    "and that is 0", name, value);
    return rc;
}

static int set_momentum(const char *name, const char *value, float *out)
{
    const int rc = set_float(name, value, out);
    if (rc == CLI_OK && *out == 1.0f && strtod(value, NULL) < 1.0)
        return fail(CLI_USAGE, "%s %s must be below 1, but the network keeps it as a 32-bit "
                    "float (about 7 digits), and that is 1", name, value);
    return rc;
}

static int set_int32(const char *name, const char *value, int32_t *out)
{
    long long v;
    if (!parse_integer(value, INT32_MIN, INT32_MAX, &v))
        return fail(CLI_USAGE, "%s needs a whole number, got \"%s\"", name, value);
    *out = (int32_t)v;
    return CLI_OK;
}

typedef struct choice {
    const char *name;
    int value;
} choice;

/* Look value up in choices; the message lists them ("a, b or c"). */
static int set_choice(const char *name, const char *value, const choice *choices, int n,
                      int32_t *out)
{
    char list[128] = "";
    size_t used = 0;

    for (int i = 0; i < n; i++) {
        if (strcmp(value, choices[i].name) == 0) {
            *out = choices[i].value;
            return CLI_OK;
        }
    }
    for (int i = 0; i < n && used < sizeof list; i++) {
        const char *sep = i == 0 ? "" : i + 1 < n ? ", " : " or ";
        int k = snprintf(list + used, sizeof list - used, "%s%s", sep, choices[i].name);
        used += k > 0 ? (size_t)k : 0;
    }
    return fail(CLI_USAGE, "%s must be %s, got \"%s\"", name, list, value);
}

#define SET_CHOICE(name, value, choices, out) \
    set_choice(name, value, choices, (int)(sizeof choices / sizeof choices[0]), out)

static const choice ACTIVATIONS[] = {{"sigmoid", NN_SIGMOID}, {"tanh", NN_TANH}, {"relu", NN_RELU}};
static const choice OUTPUTS[] = {
    {"softmax", NN_SOFTMAX}, {"sigmoid", NN_SIGMOID}, {"identity", NN_IDENTITY}};
static const choice COSTS[] = {{"mse", NN_MSE}, {"xent", NN_XENT}};
static const choice OPTIMIZERS[] = {{"sgd", NN_SGD}, {"momentum", NN_MOMENTUM}, {"adam", NN_ADAM}};
static const choice SCALES[] = {{"unit", NN_SCALE_UNIT}, {"raw", NN_SCALE_RAW}};

/* "64,8,10" -> cfg->n_layers and cfg->sizes (ranges are nn_config_check's job). */
static int set_layers(const char *value, nn_config *cfg)
{
    int32_t sizes[NN_MAX_LAYERS];
    int n = 0;
    const char *p = value;

    for (;;) {
        char part[24];
        size_t len = strcspn(p, ",");
        long long v;

        if (len == 0 || len >= sizeof part)
            return fail(CLI_USAGE, "--layers needs sizes separated by commas, like 64,8,10, "
                        "got \"%s\"", value);
        memcpy(part, p, len);
        part[len] = '\0';
        if (!parse_integer(part, INT32_MIN, INT32_MAX, &v))
            return fail(CLI_USAGE, "--layers needs whole numbers separated by commas, "
                        "like 64,8,10, got \"%s\"", value);
        if (n == NN_MAX_LAYERS)
            return fail(CLI_USAGE, "--layers takes 2 to %d sizes (64, up to %d hidden "
                        "widths, 10), got more in \"%s\"", NN_MAX_LAYERS, NN_MAX_LAYERS - 2,
                        value);
        sizes[n++] = (int32_t)v;
        p += len;
        if (*p == '\0')
            break;
        p++; /* the comma */
    }
    if (n < 2)
        return fail(CLI_USAGE, "--layers takes 2 to %d sizes, like 64,8,10, got \"%s\"",
                    NN_MAX_LAYERS, value);
    cfg->n_layers = n;
    memset(cfg->sizes, 0, sizeof cfg->sizes);
    memcpy(cfg->sizes, sizes, (size_t)n * sizeof sizes[0]);
    return CLI_OK;
}

static int set_epochs(const char *value, long *out)
{
    long long v;
    if (!parse_integer(value, 0, EPOCHS_MAX, &v))
        return fail(CLI_USAGE, "--epochs needs a whole number from 0 to %ld, got \"%s\"",
                    EPOCHS_MAX, value);
    *out = (long)v;
    return CLI_OK;
}

static int set_seed(const char *value, uint32_t *out)
{
    long long v;
    if (!parse_integer(value, 0, UINT32_MAX, &v) || value[0] == '-')
        return fail(CLI_USAGE, "--seed needs a whole number from 0 to %lu, got \"%s\"",
                    (unsigned long)UINT32_MAX, value);
    *out = (uint32_t)v;
    return CLI_OK;
}

static int set_test_fraction(const char *value, double *out)
{
    if (!parse_double(value, out))
        return fail(CLI_USAGE, "--test-fraction needs a number, got \"%s\"", value);
    if (!(*out >= 0 && *out <= TEST_FRACTION_MAX))
        return fail(CLI_USAGE, "--test-fraction must be from 0 to %g, got %s",
                    TEST_FRACTION_MAX, value);
    return CLI_OK;
}

static int set_path(const char *name, const char *value, const char **out)
{
    if (value[0] == '\0')
        return fail(CLI_USAGE, "%s needs a file name", name);
    *out = value;
    return CLI_OK;
}

static int apply_option(options *o, const option_spec *spec, const char *value)
{
    nn_config *cfg = &o->cfg;
    const char *name = spec->name;

    switch (spec->id) {
    case OPT_DATA: return set_path(name, value, &o->data_path);
    case OPT_LAYERS: return set_layers(value, cfg);
    case OPT_ACTIVATION: return SET_CHOICE(name, value, ACTIVATIONS, &cfg->hidden_act);
    case OPT_OUTPUT:
        o->output_given = 1;
        return SET_CHOICE(name, value, OUTPUTS, &cfg->output_act);
    case OPT_COST: return SET_CHOICE(name, value, COSTS, &cfg->cost);
    case OPT_OPTIMIZER: return SET_CHOICE(name, value, OPTIMIZERS, &cfg->optimizer);
    case OPT_LR: return set_lr(name, value, &cfg->lr);
    case OPT_MOMENTUM: return set_momentum(name, value, &cfg->momentum);
    case OPT_WEIGHT_DECAY: return set_float(name, value, &cfg->weight_decay);
    case OPT_BATCH: return set_int32(name, value, &cfg->batch_size);
    case OPT_EPOCHS: return set_epochs(value, &o->epochs);
    case OPT_SEED: return set_seed(value, &cfg->seed);
    case OPT_TEST_FRACTION: return set_test_fraction(value, &o->test_fraction);
    case OPT_SCALE: {
        int32_t scale = o->scale;
        int rc = SET_CHOICE(name, value, SCALES, &scale);
        o->scale = scale;
        return rc;
    }
    case OPT_NO_SHUFFLE: o->shuffle = 0; return CLI_OK;
    case OPT_DUMP_INIT: return set_path(name, value, &o->dump_init_path);
    case OPT_INIT: return set_path(name, value, &o->init_path);
    case OPT_SAVE: return set_path(name, value, &o->save_path);
    case OPT_JSON: o->json = 1; return CLI_OK;
    case OPT_HELP: fputs(USAGE, stdout); return CLI_HELP_SHOWN;
    }
    return fail(CLI_INTERNAL, "unhandled option %s", name);
}

/* The spec for arg ("--lr" or "--lr=0.1"); *inline_value points after '='. */
static const option_spec *find_option(const char *arg, const char **inline_value)
{
    const char *eq = strchr(arg, '=');
    size_t len = eq && arg[0] == '-' && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);

    *inline_value = len < strlen(arg) ? arg + len + 1 : NULL;
    for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++)
        if (strlen(OPTIONS[i].name) == len && strncmp(OPTIONS[i].name, arg, len) == 0)
            return &OPTIONS[i];
    return NULL;
}

/* Parse argv[first..argc-1] into o.  Returns CLI_OK, an exit code after
 * printing the problem, or CLI_HELP_SHOWN. */
static int parse_options(int argc, char **argv, int first, options *o)
{
    for (int i = first; i < argc; i++) {
        const char *arg = argv[i], *value;
        const option_spec *spec = find_option(arg, &value);
        int rc;

        if (!spec && arg[0] == '-')
            return fail(CLI_USAGE, "unknown option \"%s\" (see nnmath train --help)", arg);
        if (!spec)
            return fail(CLI_USAGE, "unexpected argument \"%s\" (see nnmath train --help)", arg);
        if (!spec->takes_value && value)
            return fail(CLI_USAGE, "%s does not take a value", spec->name);
        if (spec->takes_value && !value) {
            if (i + 1 >= argc)
                return fail(CLI_USAGE, "%s needs a value", spec->name);
            value = argv[++i];
        }
        if ((rc = apply_option(o, spec, value ? value : "")) != CLI_OK)
            return rc;
    }
    if (!o->output_given)
        o->cfg.output_act = o->cfg.cost == NN_XENT ? NN_SOFTMAX : NN_SIGMOID;
    return CLI_OK;
}

/* ---- the training run ------------------------------------------------------ */

typedef struct run {
    const options *opt;
    nn_data *data;
    nn_net *net;
    int train_count, test_count;
    long epochs_done;
    double seconds; /* training only */
    nn_eval train, test;
} run;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int load_data(run *r)
{
    nn_error err;
    size_t len;
    char *text = nnp_read_text(r->opt->data_path, DATA_MAX_BYTES, "data file", &len, &err);

    if (!text)
        return fail_nn(&err);
    r->data = nn_data_parse_csv(text, len, r->opt->scale, &err);
    free(text);
    if (!r->data)
        return fail(exit_code_for(err.code), "%s: %s", r->opt->data_path, err.message);
    if (nn_data_split(r->data, (float)r->opt->test_fraction, r->opt->cfg.seed, &err) != NN_OK)
        return fail_nn(&err);
    r->train_count = nn_data_set_count(r->data, NN_SET_TRAIN);
    r->test_count = nn_data_set_count(r->data, NN_SET_TEST);
    if (r->train_count == 0)
        return fail(CLI_BAD_FILE, "%s: no rows left for training after setting aside the "
                    "test set (%d rows, --test-fraction %g)", r->opt->data_path,
                    nn_data_count(r->data), r->opt->test_fraction);
    return CLI_OK;
}

static int create_net(run *r)
{
    const options *o = r->opt;
    nn_error err;

    r->net = nn_create(&o->cfg, &err);
    if (!r->net)
        return fail_nn(&err);
    if (o->dump_init_path && nnp_write_file(o->dump_init_path, r->net, &err) != NN_OK)
        return fail(err.code == NN_ENOMEM ? CLI_INTERNAL : CLI_BAD_FILE, "%s", err.message);
    if (o->init_path && nnp_read_file(o->init_path, r->net, &err) != NN_OK)
        return fail(err.code == NN_ENOMEM ? CLI_INTERNAL : CLI_BAD_FILE, "%s", err.message);
    if (nn_attach(r->net, r->data) != NN_OK)
        return fail_nn(nn_last_error(r->net));
    nn_set_shuffle(r->net, o->shuffle);
    return CLI_OK;
}

static int evaluate(run *r)
{
    if (nn_evaluate(r->net, NN_SET_TRAIN, &r->train) != NN_OK ||
        nn_evaluate(r->net, NN_SET_TEST, &r->test) != NN_OK)
        return fail_nn(nn_last_error(r->net));
    return CLI_OK;
}

/* ---- output ---- */

/* %.9g: enough digits to compare costs to 1e-5 and to read floats back. */
static void print_json_number(double v)
{
    if (isfinite(v))
        printf("%.9g", v);
    else
        fputs("null", stdout);
}

static double accuracy_of(const nn_eval *e)
{
    return e->count > 0 ? (double)e->correct / e->count : NAN;
}

static double cost_of(const nn_eval *e)
{
    return e->count > 0 ? (double)e->cost : NAN;
}

/* "train_cost":…,"test_cost":…,"train_acc":…,"test_acc":… */
static void print_json_metrics(const run *r)
{
    fputs("\"train_cost\":", stdout);
    print_json_number(cost_of(&r->train));
    fputs(",\"test_cost\":", stdout);
    print_json_number(cost_of(&r->test));
    fputs(",\"train_acc\":", stdout);
    print_json_number(accuracy_of(&r->train));
    fputs(",\"test_acc\":", stdout);
    print_json_number(accuracy_of(&r->test));
}

static void print_human_percent(double fraction)
{
    if (isfinite(fraction))
        printf("%6.2f%%", 100.0 * fraction);
    else
        fputs("      -", stdout);
}

/* The cost with 6 decimals, or "-" (no test set), right-aligned in `width`. */
static void print_human_cost(double cost, int width)
{
    if (isfinite(cost))
        printf("%*.6f", width, cost);
    else
        printf("%*s", width, "-");
}

static void print_epoch(const run *r)
{
    if (r->opt->json) {
        printf("{\"epoch\":%ld,", r->epochs_done);
        print_json_metrics(r);
        fputs("}\n", stdout);
    } else {
        printf("epoch %4ld  train cost ", r->epochs_done);
        print_human_cost(cost_of(&r->train), 8);
        fputs("  test cost ", stdout);
        print_human_cost(cost_of(&r->test), 8);
        fputs("  train acc ", stdout);
        print_human_percent(accuracy_of(&r->train));
        fputs("  test acc ", stdout);
        print_human_percent(accuracy_of(&r->test));
        fputc('\n', stdout);
    }
    fflush(stdout);
}

static const nn_eval *confusion_source(const run *r)
{
    return r->test.count > 0 ? &r->test : &r->train;
}

static double samples_per_second(const run *r)
{
    double samples = (double)r->epochs_done * r->train_count;
    return r->seconds > 0 ? samples / r->seconds : 0.0;
}

static void print_done_json(const run *r)
{
    const nn_eval *c = confusion_source(r);

    printf("{\"done\":true,\"epochs\":%ld,", r->epochs_done);
    print_json_metrics(r);
    fputs(",\"confusion\":[", stdout);
    for (int t = 0; t < NN_CLASSES; t++) {
        fputs(t ? ",[" : "[", stdout);
        for (int p = 0; p < NN_CLASSES; p++)
            printf(p ? ",%d" : "%d", (int)c->confusion[t * NN_CLASSES + p]);
        fputs("]", stdout);
    }
    printf("],\"seconds\":%.6f,\"samples_per_second\":%.1f}\n", r->seconds,
           samples_per_second(r));
}

static void print_confusion_human(const run *r)
{
    const nn_eval *c = confusion_source(r);

    printf("confusion matrix on the %s set (rows: true digit, columns: predicted):\n",
           c == &r->test ? "test" : "training");
    fputs("      ", stdout);
    for (int p = 0; p < NN_CLASSES; p++)
        printf("%5d", p);
    fputc('\n', stdout);
    for (int t = 0; t < NN_CLASSES; t++) {
        printf("%5d ", t);
        for (int p = 0; p < NN_CLASSES; p++)
            printf("%5d", (int)c->confusion[t * NN_CLASSES + p]);
        fputc('\n', stdout);
    }
}

static void print_done_human(const run *r)
{
    printf("done: %ld epoch%s, train cost ", r->epochs_done, r->epochs_done == 1 ? "" : "s");
    print_human_cost(cost_of(&r->train), 0);
    fputs(", test cost ", stdout);
    print_human_cost(cost_of(&r->test), 0);
    printf(", train acc %d/%d", (int)r->train.correct, (int)r->train.count);
    if (r->test.count > 0)
        printf(", test acc %d/%d", (int)r->test.correct, (int)r->test.count);
    fputc('\n', stdout);
    print_confusion_human(r);
    printf("training took %.3f s (%.0f samples/s)\n", r->seconds, samples_per_second(r));
}

static const char *choice_name(const choice *choices, int n, int value)
{
    for (int i = 0; i < n; i++)
        if (choices[i].value == value)
            return choices[i].name;
    return "?";
}

#define CHOICE_NAME(choices, value) \
    choice_name(choices, (int)(sizeof choices / sizeof choices[0]), value)

static void print_header_human(const run *r)
{
    const nn_config *cfg = &r->opt->cfg;

    fputs("training layers ", stdout);
    for (int i = 0; i < cfg->n_layers; i++)
        printf(i ? ",%d" : "%d", (int)cfg->sizes[i]);
    printf(", %s hidden, %s output, %s cost, %s lr %g", CHOICE_NAME(ACTIVATIONS, cfg->hidden_act),
           CHOICE_NAME(OUTPUTS, cfg->output_act), CHOICE_NAME(COSTS, cfg->cost),
           CHOICE_NAME(OPTIMIZERS, cfg->optimizer), (double)cfg->lr);
    if (cfg->batch_size == 0)
        fputs(", full batch", stdout);
    else
        printf(", batch %d", (int)cfg->batch_size);
    printf(", seed %lu; %d training rows, %d test rows\n", (unsigned long)cfg->seed,
           r->train_count, r->test_count);
}

/* ---- the loop ---- */

static int train_one_epoch(run *r)
{
    double start = now_seconds();
    int rc = nn_train_epoch(r->net);

    r->seconds += now_seconds() - start;
    if (rc != NN_OK)
        return fail_nn(nn_last_error(r->net));
    r->epochs_done++;
    return CLI_OK;
}

static int train_all(run *r)
{
    int rc;

    if (r->opt->epochs == 0)
        return evaluate(r);
    while (r->epochs_done < r->opt->epochs) {
        if ((rc = train_one_epoch(r)) != CLI_OK)
            return rc;
        if ((rc = evaluate(r)) != CLI_OK)
            return rc;
        print_epoch(r);
    }
    return CLI_OK;
}

static int save_result(const run *r)
{
    nn_error err;

    if (!r->opt->save_path)
        return CLI_OK;
    if (nnp_write_file(r->opt->save_path, r->net, &err) != NN_OK)
        return fail(err.code == NN_ENOMEM ? CLI_INTERNAL : CLI_BAD_FILE, "%s", err.message);
    if (!r->opt->json)
        printf("saved the parameters to %s\n", r->opt->save_path);
    return CLI_OK;
}

static int finish_output(void)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        return fail(CLI_INTERNAL, "cannot write to the standard output: %s", strerror(errno));
    return CLI_OK;
}

static int run_training(const options *o)
{
    run r;
    nn_error err;
    int rc;

    memset(&r, 0, sizeof r);
    r.opt = o;
    if (nn_config_check(&o->cfg, &err) != NN_OK)
        return fail(CLI_USAGE, "%s", err.message);
    if ((rc = load_data(&r)) == CLI_OK && (rc = create_net(&r)) == CLI_OK) {
        if (!o->json)
            print_header_human(&r);
        if ((rc = train_all(&r)) == CLI_OK && (rc = save_result(&r)) == CLI_OK) {
            if (o->json)
                print_done_json(&r);
            else
                print_done_human(&r);
        }
    }
    nn_free(r.net);
    nn_data_free(r.data);
    if (rc == CLI_OK)
        rc = finish_output();
    else
        fflush(stdout);
    return rc;
}

int main(int argc, char **argv)
{
    options o;
    int rc;

    if (argc < 2)
        return fail(CLI_USAGE, "missing command: try \"nnmath train\" or \"nnmath --help\"");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(USAGE, stdout);
        return finish_output();
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("nnmath %s\n", NNMATH_VERSION);
        return finish_output();
    }
    if (strcmp(argv[1], "train") != 0)
        return fail(CLI_USAGE, "unknown command \"%s\": try \"nnmath train\" or "
                    "\"nnmath --help\"", argv[1]);
    options_default(&o);
    rc = parse_options(argc, argv, 2, &o);
    if (rc == CLI_HELP_SHOWN)
        return finish_output();
    if (rc != CLI_OK)
        return rc;
    return run_training(&o);
}
