/* nn_format.h — private to the core (not part of the API in nnmath.h).
 *
 * nn__vformat: the core's own small vsnprintf for its messages (nnmath.c).
 * Understands %d (int), %s (string), %zu (size_t) and %%; anything else is
 * written as "%?".  The output is cut to cap - 1 characters and always ends
 * with '\0'.  Returns NN_OK, or NN_EINVAL for no buffer. */
#ifndef NN_FORMAT_H
#define NN_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int nn__vformat(char *buf, size_t cap, const char *fmt, va_list ap);

#endif
