/* kith synth: a realistic synthetic export, deterministic for a seed, streamed to disk. */
#ifndef KITH_SYNTH_H
#define KITH_SYNTH_H

#include <stdbool.h>
#include <stdint.h>

#include "kith/error.h"

typedef struct {
    long persons;          /* connections to generate (default 600) */
    long events;           /* approximate interaction events (default 8,000) */
    uint64_t seed;         /* default 1 */
    const char *out;       /* output folder, created if missing */
    const char *export_date; /* "YYYY-MM-DD", the day the export was made (default 2026-11-15) */
    bool zip;              /* also write the LinkedIn zip as downloaded */
    bool mail;             /* also write an mbox and an .ics */
} kith_synth_opts;

/* Writes into opts->out: linkedin/ (the unpacked export, every file of export-formats §1),
 * google-contacts.csv, plants.json, and with opts->zip Basic_LinkedInDataExport_MM-DD-YYYY.zip.
 * With opts->mail also mail.mbox and calendar.ics for a subset of the same people; their
 * mails and meetings come on top of opts->events, which counts the LinkedIn interaction rows
 * (messages, endorsements, recommendations, invitations). Memory grows with persons, not
 * events. plants.json is the answer key: planted persons with the status and label the spec's
 * rules give them at T, and the members of each cohort. Fails with KITH_ERR_USAGE on a bad
 * export date or no output folder, KITH_ERR_IO (d names the file) when writing fails. */
kith_err kith_synth(const kith_synth_opts *opts, kith_diag *d);

#endif
