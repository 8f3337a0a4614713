/* mbox reader (src/sources/mbox.c, on gmime). Internal to src/sources/ and its tests. */
#ifndef KITH_SOURCES_MBOX_H
#define KITH_SOURCES_MBOX_H

#include <stdint.h>

#include "reader.h"

int kith_mbox_sniff(const char *base_name, const char *head, size_t n);
kith_err kith_mbox_read(kith_stream *s, kith_ingest *ing, kith_diag *d);

/* The Gmail labels kith acts on. */
enum {
    KITH_MBOX_SENT = 1u << 0,
    KITH_MBOX_SPAM = 1u << 1,
    KITH_MBOX_TRASH = 1u << 2,
    KITH_MBOX_CHAT = 1u << 3,
    KITH_MBOX_DRAFT = 1u << 4,
};

/* Parses an X-Gmail-Labels value (comma list; a label with a comma is quoted; the header may
 * still hold fold line breaks) into KITH_MBOX_* flags. NULL gives 0. */
unsigned kith_mbox_labels(const char *value);

/* The UTC time of an mbox separator line "From x@y Thu Jun 11 00:38:38 +0000 2020"
 * (the zone is optional); KITH_NO_TIME when it has none. */
int64_t kith_mbox_separator_time(const char *line);

#endif
