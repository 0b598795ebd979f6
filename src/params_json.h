/*
 * params_json.h — the parameter file of the nnmath command-line trainer.
 *
 * Format (the same as the JS wrapper's net.toJSON()):
 *
 *     {"layers":[{"weight":[[...in numbers...], ...out rows...],
 *                 "bias":[...out numbers...]}, ...]}
 *
 * one object per weight layer, in order; weight rows are the layer's outputs
 * (out×in, like PyTorch's nn.Linear.weight).  Floats are written with %.9g,
 * which round-trips every float exactly.
 *
 * The reader accepts exactly this format: any JSON whitespace (and a UTF-8
 * byte-order mark), members in any order, unknown members ignored, no
 * trailing text, nesting at most NNP_MAX_DEPTH deep, numbers strictly in JSON
 * syntax (so NaN and Infinity are refused), every value finite as a float,
 * every shape matching the network.  It checks the syntax of the whole text
 * first, so a syntax error is reported before any shape error.  Errors are
 * returned as a code plus a plain-language message naming the line and
 * column (1-based, columns in bytes) or the layer (1-based), e.g.
 *     "line 3, column 17: expected a number, found \"abc\""
 *     "layer 1 weight should be 8 rows of 64 numbers, found 7 rows"
 * The *_file functions prefix the message with the path.
 *
 * Like the nn core, nothing here prints or exits.
 */
#ifndef NNMATH_PARAMS_JSON_H
#define NNMATH_PARAMS_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "nnmath.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NNP_MAX_FILE_BYTES ((size_t)64 << 20) /* parameter files: 64 MiB */
#define NNP_MAX_DEPTH 32                      /* nesting of skipped values */

/* Parse a parameter file's text (need not be NUL-terminated).  Only if the
 * whole text is valid are the net's parameters replaced, followed by
 * nn_params_changed(net) (which clears the optimizer state).  On error the
 * net is untouched.  Returns NN_OK, NN_EDATA (bad text) or NN_ENOMEM. */
int nnp_parse(const char *text, size_t len, nn_net *net, nn_error *err);

/* Read `path` (at most NNP_MAX_FILE_BYTES) and nnp_parse it.  Messages are
 * prefixed "<path>: ".  An unreadable file is NN_EDATA too. */
int nnp_read_file(const char *path, nn_net *net, nn_error *err);

/* The net's parameters as text in the format above (NUL-terminated, ends
 * with a newline).  The caller frees it.  NULL (NN_ENOMEM) on failure. */
char *nnp_format(nn_net *net, size_t *len_out, nn_error *err);

/* Write nnp_format's text to a stream.  NN_EDATA if the write fails. */
int nnp_write_stream(FILE *f, nn_net *net, nn_error *err);

/* Write the parameters to `path` through a temporary file in the same
 * directory that is renamed over `path` at the end, so that a failure never
 * leaves half a file (see nnp_write_text_atomic).  NN_EDATA with
 * "cannot write \"path\": reason" on failure. */
int nnp_write_file(const char *path, nn_net *net, nn_error *err);

/* Helpers shared with the CLI. */

/* Read a whole file into a NUL-terminated malloc'd buffer of at most `cap`
 * bytes.  `what` names the file in messages ("data file", "parameter file"):
 *     cannot read data file "x.csv": No such file or directory
 *     data file "x.csv" is larger than 64 MiB
 * Returns NULL on error (NN_EDATA, or NN_ENOMEM). */
char *nnp_read_text(const char *path, size_t cap, const char *what,
                    size_t *len_out, nn_error *err);

/* Write `len` bytes to `path` via a temporary file + rename.  An existing
 * file keeps its permissions; a symbolic link keeps pointing to its (new)
 * target; a path that is not a regular file (/dev/null, /dev/stdout, a FIFO)
 * is written in place, never renamed over. */
int nnp_write_text_atomic(const char *path, const char *text, size_t len,
                          nn_error *err);

#ifdef __cplusplus
}
#endif
#endif /* NNMATH_PARAMS_JSON_H */
