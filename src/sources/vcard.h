/* vCard reader (src/sources/vcard.c). Internal to src/sources/ and its tests. */
#ifndef KITH_SOURCES_VCARD_H
#define KITH_SOURCES_VCARD_H

#include <stdbool.h>

#include "reader.h"

int kith_vcard_sniff(const char *base_name, const char *head, size_t n);
kith_err kith_vcard_read(kith_stream *s, kith_ingest *ing, kith_diag *d);

/* Parses a BDAY value: "1988-04-15", "19880415", "--0415", "--04-15" or a date-time
 * ("1988-04-15T00:00:00Z"). A birthday without a year gives *y = 0. False when it is none of
 * these or not a real day of the year. */
bool kith_vcard_parse_bday(const char *v, int *y, int *m, int *d);

#endif
