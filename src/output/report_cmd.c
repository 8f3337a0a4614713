#include "kith/commands.h"

kith_err kith_cmd_report(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d)
{
    (void)o; (void)out; (void)err;
    return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "'report' is not built yet");
}
