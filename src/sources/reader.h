/* Internal contract between the loader (load.c), the byte streams and the format readers.
 * Not installed: only src/sources/ includes it. */
#ifndef KITH_SOURCES_READER_H
#define KITH_SOURCES_READER_H

#include <stddef.h>
#include <stdio.h>

#include "kith/error.h"
#include "kith/model.h"

/* A byte stream: a plain file or a member of a zip archive (libzip, streamed). */
typedef struct kith_stream kith_stream;

/* Reads up to n bytes; returns the count, 0 at the end, -1 on a read error (d filled). */
long kith_stream_read(kith_stream *s, void *buf, size_t n, kith_diag *d);
/* Shows progress (bytes read of the total, rate) on tty while the stream is read, only when
 * tty is a terminal; kith_stream_end_progress finishes the line. */
void kith_stream_set_progress(kith_stream *s, FILE *tty);
void kith_stream_end_progress(kith_stream *s);
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
enum {
    KITH_CSV_BACKSLASH_QUOTES = 1u << 0, /* LinkedIn Comments.csv: \" inside quotes */
    /* every record through libcsv, none through the fast path for plain records: the
     * reference the fast path is tested against (test_csv) */
    KITH_CSV_LIBCSV_ONLY = 1u << 1,
    /* parse in the reader's thread only, never in a producer thread (tests compare) */
    KITH_CSV_ONE_THREAD = 1u << 2,
};

kith_err kith_csv_open(kith_csv **out, kith_stream *s, unsigned flags, kith_diag *d);
void kith_csv_close(kith_csv *c); /* accepts NULL */
/* Advances to the next record: 1 = a record, 0 = the end, -1 = error (d filled). Fields stay
 * valid until the next call. */
int kith_csv_next(kith_csv *c, kith_diag *d);
/* kith_csv_next, passing over blank lines (a record of one empty field). */
int kith_csv_next_nonblank(kith_csv *c, kith_diag *d);
/* The line on which the current record starts (1-based). */
long kith_csv_line(const kith_csv *c);
size_t kith_csv_nfields(const kith_csv *c);
const char *kith_csv_field(const kith_csv *c, size_t i); /* "" past the end */
/* Scans records until one holds every name in required[] (case-insensitive, trimmed) and
 * makes it the header. Returns KITH_ERR_FORMAT naming the file when none does
 * (KITH_ERR_NO_DATA, d filled too, when the file holds no record at all: an empty file). */
kith_err kith_csv_find_header(kith_csv *c, const char *const *required, size_t n, kith_diag *d);
/* The column of a header name (case-insensitive), or -1. */
int kith_csv_col(const kith_csv *c, const char *name);
/* The current record's field in column col; "" when col < 0 or the record is short. */
const char *kith_csv_get(const kith_csv *c, int col);

/* ------------------------------------------------------------------------------------------
 * Opening streams (stream.c; only that file includes <zip.h>). Added by the loader.
 * ------------------------------------------------------------------------------------------ */

/* A plain file, read with stdio. Fails with KITH_ERR_IO naming the file. */
kith_err kith_stream_open_file(kith_stream **out, const char *path, kith_diag *d);
/* n bytes of memory (copied), shown as name: for tests and converted input. */
kith_err kith_stream_open_mem(kith_stream **out, const char *name, const void *data, size_t n,
                              kith_diag *d);
void kith_stream_close(kith_stream *s); /* accepts NULL */
/* Reads up to n bytes ahead without consuming them: *head points at them (valid until the
 * next call on s); returns how many (fewer at the end of the stream), -1 on error. The next
 * kith_stream_read() starts with these bytes again. */
long kith_stream_peek(kith_stream *s, size_t n, const char **head, kith_diag *d);

/* A zip archive read with libzip. Members are streamed, never extracted to disk; a member
 * over 2 GiB uncompressed or expanding more than 1000 times is refused (zip bombs). */
typedef struct kith_zip kith_zip;
/* KITH_ERR_NOT_ZIP when path is not a zip archive, KITH_ERR_IO when it cannot be read. */
kith_err kith_zip_open(kith_zip **out, const char *path, kith_diag *d);
void kith_zip_close(kith_zip *z); /* accepts NULL; close member streams first */
size_t kith_zip_count(const kith_zip *z);
/* The member's name inside the archive ("Connections.csv", "Jobs/Job Applications.csv"). */
const char *kith_zip_member(const kith_zip *z, size_t i);
/* Opens member i as a stream named "archive.zip:member". One member at a time. */
kith_err kith_zip_open_member(kith_zip *z, size_t i, kith_stream **out, kith_diag *d);

/* The number of fields of the header that kith_csv_find_header() chose (0 before). */
size_t kith_csv_header_nfields(const kith_csv *c);

/* ------------------------------------------------------------------------------------------
 * The registry: each reader file exports its formats as one array ending with a NULL kind;
 * load.c tries the arrays in the order of its `registry` table, first match wins.
 * ------------------------------------------------------------------------------------------ */
extern const kith_format kith_linkedin_formats[]; /* linkedin.c */
/* The other sources (sources branch): */
extern const kith_format kith_contacts_formats[]; /* contacts.c: Google (both), Outlook */
extern const kith_format kith_vcard_formats[];    /* vcard.c */
extern const kith_format kith_mbox_formats[];     /* mbox.c */
extern const kith_format kith_ical_formats[];     /* ical.c */
extern const kith_format kith_generic_formats[];  /* generic.c: the generic interactions CSV */

#endif
