/* iCalendar reader (src/sources/ical.c, on libical). Internal to src/sources/ and its tests. */
#ifndef KITH_SOURCES_ICAL_H
#define KITH_SOURCES_ICAL_H

#include <stdint.h>

#include "reader.h"

int kith_ical_sniff(const char *base_name, const char *head, size_t n);
/* Reads with recurrences expanded up to now (time(NULL)) or the calendar's latest DTSTAMP /
 * LAST-MODIFIED / CREATED, whichever is earlier (the export moment); at most the latest 500
 * per event. Events after that bound are dropped as "future". Rows are the VEVENTs plus
 * each dropped attendance (a room, a decline), so drops never outnumber rows. */
kith_err kith_ical_read(kith_stream *s, kith_ingest *ing, kith_diag *d);
/* The same with "now" given, so tests do not depend on the clock. */
kith_err kith_ical_read_bounded(kith_stream *s, kith_ingest *ing, int64_t now, kith_diag *d);

/* The IANA zone of a common Windows zone name ("W. Europe Standard Time" ->
 * "Europe/Berlin"), or NULL. */
const char *kith_ical_windows_zone(const char *name);

#endif
