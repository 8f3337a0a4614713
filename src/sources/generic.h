/* The generic interactions CSV reader (src/sources/generic.c, spec §1). Internal to
 * src/sources/ and its tests. */
#ifndef KITH_SOURCES_GENERIC_H
#define KITH_SOURCES_GENERIC_H

#include <stdint.h>

#include "reader.h"

extern const kith_format kith_format_generic;

int kith_generic_sniff(const char *base_name, const char *head, size_t n);
kith_err kith_generic_read(kith_stream *s, kith_ingest *ing, kith_diag *d);

/* ISO 8601 as the generic CSV writes it: "2026-10-03", "2026-10-03T14:00[:00][.fff]" with
 * "Z", "+hh:mm", "+hhmm" or no zone (UTC); a space may stand for the T. KITH_NO_TIME when
 * it is anything else. */
int64_t kith_generic_parse_date(const char *s);

#endif
