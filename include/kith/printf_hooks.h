/* Replacements of glibc printf internals for the whole process (src/printf_hooks.c). */
#ifndef KITH_PRINTF_HOOKS_H
#define KITH_PRINTF_HOOKS_H

#include <stddef.h>

/* Writes d as glibc's snprintf(s, maxlen, "%.<prec>f", d) would, for prec 3 or 6 when
 * |d| < 1e6 and glibc's rounding can be decided from d x 10^prec in doubles, and for prec 18
 * when d is zero. Returns the length written (without the NUL), or -1 when it does not (any other
 * case, or the text does not fit in maxlen): the caller then asks glibc. */
int kith_format_f(char *s, size_t maxlen, double d, int prec);

#endif
