/* A weak default for the chart writer, so `kith report` links before the cairo chart code
 * exists: it writes no chart. Delete this file when the real kith_charts_write_all lands (in a
 * static library the first archive member defining a symbol wins, weak or not). */
#include "kith/output.h"

#include <stddef.h>

__attribute__((weak)) kith_err kith_charts_write_all(const kith_report *r, kith_outset *set,
                                                     char ***png_paths_out, kith_diag *d)
{
    (void)r; (void)set; (void)d;
    *png_paths_out = NULL;
    return KITH_OK;
}
