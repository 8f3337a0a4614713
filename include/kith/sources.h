/* Loading inputs: every path named on the command line is recognized by content (header
 * line, magic bytes) and handed to its format reader in src/sources/, which streams it into
 * a kith_ingest. A folder is scanned for the files it knows; a LinkedIn .zip is read member
 * by member with libzip, nothing extracted to disk. */
#ifndef KITH_SOURCES_H
#define KITH_SOURCES_H

#include <stddef.h>
#include <stdio.h>

#include "kith/error.h"
#include "kith/model.h"

typedef struct {
    bool strict;
    bool quiet;              /* no progress on standard error */
    const char *const *me;   /* --me values */
    size_t n_me;
    FILE *progress;          /* progress on this stream (bytes read of the total, rate) while
                                each file is read, only when it is a terminal and not quiet */
} kith_load_opts;

/* Reads every input and builds the model (*out, caller frees with kith_model_free).
 * Fails with a one-line reason in d naming the file (and line) when an input cannot be read,
 * is a .zip that is not a zip, or holds no known file. */
kith_err kith_load(const char *const *paths, size_t n_paths, const kith_load_opts *opts,
                   kith_model **out, kith_diag *d);

#endif
