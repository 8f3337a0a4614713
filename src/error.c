#include "kith/error.h"

#include <stdio.h>
#include <string.h>

static const char *const messages[KITH_ERR__COUNT] = {
    [KITH_OK] = "no error",
    [KITH_ERR_NOMEM] = "out of memory",
    [KITH_ERR_IO] = "cannot read or write file",
    [KITH_ERR_NOT_ZIP] = "not a zip archive",
    [KITH_ERR_UNKNOWN] = "no known export file",
    [KITH_ERR_FORMAT] = "unusable content",
    [KITH_ERR_STRICT] = "row skipped under --strict",
    [KITH_ERR_CONFIG] = "bad report definition",
    [KITH_ERR_USAGE] = "usage error",
    [KITH_ERR_NO_DATA] = "nothing to report",
    [KITH_ERR_GRAPH] = "graph computation failed",
    [KITH_ERR_OUTPUT] = "cannot write output",
};

const char *kith_strerror(kith_err err)
{
    if ((unsigned)err >= KITH_ERR__COUNT || !messages[err])
        return "unknown error";
    return messages[err];
}

int kith_exit_code(kith_err err)
{
    if (err == KITH_OK)
        return KITH_EXIT_OK;
    return err == KITH_ERR_USAGE ? KITH_EXIT_USAGE : KITH_EXIT_DATA;
}

void kith_diag_clear(kith_diag *d)
{
    if (d)
        memset(d, 0, sizeof *d);
}

kith_err kith_diag_vset(kith_diag *d, kith_err err, const char *file, long line,
                        const char *fmt, va_list ap)
{
    if (!d)
        return err;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    return err;
}

kith_err kith_diag_set(kith_diag *d, kith_err err, const char *file, long line,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kith_diag_vset(d, err, file, line, fmt, ap);
    va_end(ap);
    return err;
}
