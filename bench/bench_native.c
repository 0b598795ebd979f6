/* bench_native.c — our C core, native: the same task as every contender, timed per epoch.
 *
 *   cc -O3 -DNDEBUG -std=c11 -D_POSIX_C_SOURCE=200809L -I src bench/bench_native.c src/nnmath.c -lm
 *   bench_native DIGITS_CSV SPLIT_ROWS_OUT HIDDEN EPOCHS RUNS
 *
 * Prints one JSON object: {"hidden":H,"runs":[{"epochMs":[...],"testAcc":..,"trainAcc":..}]}.
 * Writes the train rows then the test rows (one per line, a blank line between) to
 * SPLIT_ROWS_OUT so the caller can check they equal bench/out/split.json.
 * Only nn_train_epoch is timed (CLOCK_MONOTONIC).
 */
#include "nnmath.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; *len = (size_t)n; }
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s DIGITS_CSV SPLIT_ROWS_OUT HIDDEN EPOCHS RUNS\n", argv[0]);
        return 2;
    }
    const int hidden = atoi(argv[3]), epochs = atoi(argv[4]), runs = atoi(argv[5]);
    size_t len = 0;
    char *text = read_file(argv[1], &len);
    if (!text) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
    nn_error err;
    nn_data *d = nn_data_parse_csv(text, len, NN_SCALE_UNIT, &err);
    free(text);
    if (!d || nn_data_split(d, 0.2f, 1, &err)) { fprintf(stderr, "%s\n", err.message); return 1; }

    FILE *rf = fopen(argv[2], "w");
    if (!rf) { fprintf(stderr, "cannot write %s\n", argv[2]); return 1; }
    for (int set = NN_SET_TRAIN; set <= NN_SET_TEST; set++) {
        const int *idx = nn_data_set_indices(d, set);
        for (int i = 0; i < nn_data_set_count(d, set); i++) fprintf(rf, "%d\n", idx[i]);
        if (set == NN_SET_TRAIN) fputs("\n", rf);
    }
    fclose(rf);

    nn_config cfg;
    nn_config_default(&cfg);
    cfg.n_layers = 3;
    cfg.sizes[0] = 64; cfg.sizes[1] = hidden; cfg.sizes[2] = 10;
    cfg.hidden_act = NN_RELU; cfg.output_act = NN_SOFTMAX; cfg.cost = NN_XENT;
    cfg.optimizer = NN_SGD; cfg.lr = 0.1f; cfg.batch_size = 32; cfg.seed = 1;

    printf("{\"hidden\":%d,\"trainCount\":%d,\"runs\":[", hidden, nn_data_set_count(d, NN_SET_TRAIN));
    for (int r = 0; r < runs; r++) {
        nn_net *net = nn_create(&cfg, &err);
        if (!net || nn_attach(net, d)) { fprintf(stderr, "%s\n", net ? nn_last_error(net)->message : err.message); return 1; }
        printf("%s{\"epochMs\":[", r ? "," : "");
        for (int e = 0; e < epochs; e++) {
            const double t0 = now_ms();
            const int rc = nn_train_epoch(net);
            const double dt = now_ms() - t0;
            if (rc) { fprintf(stderr, "%s\n", nn_last_error(net)->message); return 1; }
            printf("%s%.6f", e ? "," : "", dt);
        }
        nn_eval te, tr;
        nn_evaluate(net, NN_SET_TEST, &te);
        nn_evaluate(net, NN_SET_TRAIN, &tr);
        printf("],\"testAcc\":%.6f,\"trainAcc\":%.6f}", (double)te.accuracy, (double)tr.accuracy);
        nn_free(net);
    }
    printf("]}\n");
    nn_data_free(d);
    return 0;
}
