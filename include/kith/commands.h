/* One entry point per kith command. cli.c parses the command line into kith_cli_opts and
 * calls one of these; they write their normal output to `out`, warnings and progress to `err`,
 * and return an error code with
 * details in d. Only cli.c prints errors. */
#ifndef KITH_COMMANDS_H
#define KITH_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>

#include "kith/error.h"

typedef struct {
    const char *const *inputs;
    size_t n_inputs;
    const char *const *me;
    size_t n_me;
    bool strict, quiet, json;
    const char *out_dir;     /* --out (report: default "out"; synth: required) */
    const char *month;       /* --month YYYY-MM or NULL */
    const char *config;      /* --config FILE or NULL */
    const char *report;      /* monthly | neglected | clusters */
    long dormant_days;       /* --dormant-days N, 0 = rhythm rule */
    const char *target;      /* kith intro TARGET */
    long persons, events;    /* synth */
    unsigned long seed;      /* synth */
    bool synth_zip, synth_mail;
    const char *export_date; /* synth */
} kith_cli_opts;

kith_err kith_cmd_inspect(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d);
kith_err kith_cmd_report(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d);
kith_err kith_cmd_synth(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d);
kith_err kith_cmd_intro(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d);

#endif
