/* Small text helpers shared by the line-oriented readers of src/sources/ (vCard, iCalendar,
 * mbox fallback): a physical-line reader over a kith_stream and a whole-stream slurp.
 * Internal: only src/sources/ includes it. */
#ifndef KITH_SOURCES_LINES_H
#define KITH_SOURCES_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "reader.h"

/* A growable NUL-terminated byte buffer. */
typedef struct {
    char *s;
    size_t n, cap;
} kith_buf;

bool kith_buf_put(kith_buf *b, const void *p, size_t n); /* false when out of memory */
bool kith_buf_putc(kith_buf *b, char c);
void kith_buf_reset(kith_buf *b);
void kith_buf_free(kith_buf *b); /* accepts a zeroed buffer */

/* Lines longer than this are cut (the rest of the line is read and dropped). */
#define KITH_LINE_MAX ((size_t)16 << 20)

/* Reads physical lines (LF, CRLF or lone CR ends) from a stream in chunks: constant memory
 * apart from the longest line (at most KITH_LINE_MAX). */
typedef struct {
    kith_stream *s;
    char chunk[65536];
    size_t pos, len;
    bool eof;
    long line; /* 1-based number of the line last returned */
    bool bom_checked;
} kith_lines;

void kith_lines_init(kith_lines *r, kith_stream *s);
/* Replaces *out with the next line, without its end. Returns 1 = a line, 0 = the end,
 * -1 = a read error (d filled). A UTF-8 BOM on the first line is dropped. */
int kith_lines_next(kith_lines *r, kith_buf *out, kith_diag *d);

/* Reads a whole stream into *out (NUL-terminated; the caller frees out->s). Fails with
 * KITH_ERR_FORMAT beyond max bytes. */
kith_err kith_stream_slurp(kith_stream *s, size_t max, kith_buf *out, kith_diag *d);

/* Whether head[0..n) opens with marker (case-insensitive) after an optional UTF-8 BOM and
 * blank space: how the BEGIN:VCARD / BEGIN:VCALENDAR formats are sniffed. */
bool kith_head_begins(const char *head, size_t n, const char *marker);

#endif
