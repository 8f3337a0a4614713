/* `kith synth`: options from the command line to kith_synth, and a one-line summary. */
#include "kith/commands.h"
#include "kith/synth.h"

kith_err kith_cmd_synth(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d)
{
    (void)err;
    if (!o->out_dir)
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "'synth' needs --out DIR");
    kith_synth_opts so = {
        .persons = o->persons > 0 ? o->persons : 600,
        .events = o->events > 0 ? o->events : 8000,
        .seed = o->seed,
        .out = o->out_dir,
        .export_date = o->export_date ? o->export_date : "2026-11-15",
        .zip = o->synth_zip,
        .mail = o->synth_mail,
    };
    kith_err e = kith_synth(&so, d);
    if (e == KITH_OK && !o->quiet)
        fprintf(out, "kith synth: %ld persons, about %ld events, seed %lu, written to %s/\n",
                so.persons, so.events, (unsigned long)so.seed, so.out);
    return e;
}
