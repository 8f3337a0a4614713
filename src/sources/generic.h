/* The generic interactions CSV reader (src/sources/generic.c, spec §1). Internal to
 * src/sources/ and its tests. */
#ifndef KITH_SOURCES_GENERIC_H
#define KITH_SOURCES_GENERIC_H

#include "reader.h"

int kith_generic_sniff(const char *base_name, const char *head, size_t n);
kith_err kith_generic_read(kith_stream *s, kith_ingest *ing, kith_diag *d);

#endif
