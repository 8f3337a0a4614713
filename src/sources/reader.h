/* Internal contract between the loader (load.c), the byte streams and the format readers.
 * Not installed: only src/sources/ includes it. */
#ifndef KITH_SOURCES_READER_H
#define KITH_SOURCES_READER_H

#include <stddef.h>

#include "kith/error.h"
#include "kith/model.h"

/* A byte stream: a plain file or a member of a zip archive (libzip, streamed). */
typedef struct kith_stream kith_stream;

/* Reads up to n bytes; returns the count, 0 at the end, -1 on a read error (d filled). */
long kith_stream_read(kith_stream *s, void *buf, size_t n, kith_diag *d);
/* What messages show: "path" or "archive.zip:member.csv". */
const char *kith_stream_name(const kith_stream *s);
/* The file's path on disk, or NULL for a zip member (readers that need a file descriptor,
 * such as the mbox reader on gmime, use it). */
const char *kith_stream_path(const kith_stream *s);

/* A format reader. sniff() looks at the base name and the first bytes (up to 4 KiB, BOM
 * included) and says whether the file is of this format; read() streams it into ing,
 * calling kith_ingest_begin_file/row/skip/drop/end_file. */
typedef struct {
    const char *kind; /* "linkedin/connections", "google-contacts", "vcard", "mbox", ... */
    int (*sniff)(const char *base_name, const char *head, size_t n);
    kith_err (*read)(kith_stream *s, kith_ingest *ing, kith_diag *d);
} kith_format;

/* CSV over libcsv: BOM stripped, CRLF and LF, multi-line quoted fields, UTF-16 with a BOM
 * converted, invalid UTF-8 replaced, line numbers kept. */
typedef struct kith_csv kith_csv;
enum { KITH_CSV_BACKSLASH_QUOTES = 1u << 0 }; /* LinkedIn Comments.csv: \" inside quotes */

kith_err kith_csv_open(kith_csv **out, kith_stream *s, unsigned flags, kith_diag *d);
void kith_csv_close(kith_csv *c); /* accepts NULL */
/* Advances to the next record: 1 = a record, 0 = the end, -1 = error (d filled). Fields stay
 * valid until the next call. */
int kith_csv_next(kith_csv *c, kith_diag *d);
/* The line on which the current record starts (1-based). */
long kith_csv_line(const kith_csv *c);
size_t kith_csv_nfields(const kith_csv *c);
const char *kith_csv_field(const kith_csv *c, size_t i); /* "" past the end */
/* Scans records until one holds every name in required[] (case-insensitive, trimmed) and
 * makes it the header. Returns KITH_ERR_FORMAT naming the file when none does. */
kith_err kith_csv_find_header(kith_csv *c, const char *const *required, size_t n, kith_diag *d);
/* The column of a header name (case-insensitive), or -1. */
int kith_csv_col(const kith_csv *c, const char *name);
/* The current record's field in column col; "" when col < 0 or the record is short. */
const char *kith_csv_get(const kith_csv *c, int col);

#endif
