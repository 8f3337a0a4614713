/* kith error codes and diagnostics.
 *
 * Every function that can fail returns a kith_err and hands results back through pointers.
 * Details (file, line, reason) go into a kith_diag the caller owns. Only the command-line
 * module (cli.c) prints them. */
#ifndef KITH_ERROR_H
#define KITH_ERROR_H

#include <stdarg.h>

typedef enum {
    KITH_OK = 0,
    KITH_ERR_NOMEM,        /* out of memory */
    KITH_ERR_IO,           /* a file or folder cannot be read or written */
    KITH_ERR_NOT_ZIP,      /* a .zip that is not a zip archive */
    KITH_ERR_UNKNOWN,      /* an input with no file kith knows */
    KITH_ERR_FORMAT,       /* a recognized file whose content cannot be used */
    KITH_ERR_STRICT,       /* --strict and a row was skipped */
    KITH_ERR_CONFIG,       /* a bad report definition */
    KITH_ERR_USAGE,        /* bad command line */
    KITH_ERR_NO_DATA,      /* nothing to report on */
    KITH_ERR_GRAPH,        /* igraph failed */
    KITH_ERR_OUTPUT,       /* writing the workbook, a chart or summary.json failed */
    KITH_ERR__COUNT
} kith_err;

/* Exit codes of the kith program. */
enum { KITH_EXIT_OK = 0, KITH_EXIT_DATA = 1, KITH_EXIT_USAGE = 2 };

/* A short, static description of an error code ("cannot read file"). */
const char *kith_strerror(kith_err err);

/* The exit code for an error: KITH_ERR_USAGE -> 2, KITH_OK -> 0, the rest -> 1. */
int kith_exit_code(kith_err err);

/* Where and why something failed. file is empty and line 0 when not applicable. */
typedef struct {
    char file[1024];
    long line;
    char reason[512];
} kith_diag;

/* Clears d (d may be NULL: then every kith_diag_* call is a no-op). */
void kith_diag_clear(kith_diag *d);

/* Fills d with file (may be NULL), line (0 = none) and a printf-style reason; returns err,
 * so callers can write `return kith_diag_set(d, KITH_ERR_FORMAT, path, line, "...")`. */
kith_err kith_diag_set(kith_diag *d, kith_err err, const char *file, long line,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
kith_err kith_diag_vset(kith_diag *d, kith_err err, const char *file, long line,
                        const char *fmt, va_list ap);

#endif
