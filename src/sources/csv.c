/* CSV records over libcsv, streamed.
 *
 * Bytes flow: stream -> BOM / UTF-16 decoding -> (Comments.csv) \" rewritten to "" ->
 * records -> fields cleaned to valid UTF-8 into an arena -> a small queue of complete
 * records. Only one input chunk's worth of records is held at a time.
 *
 * Records reach libcsv one line at a time, so we know on which line each record starts.
 * libcsv walks a state machine byte by byte (about 250 MB/s), which made it the largest
 * single cost of loading a big export (messages.csv is gigabytes). So a record that is
 * plainly regular -- every field either quoted ("" for a quote, followed at once by a comma
 * or the line end) or unquoted without quotes, CR or blanks at its edges -- is split here
 * with memchr (GB/s), with exactly the fields libcsv gives such a record. Anything else
 * (blanks around fields, a stray quote, a lone CR, a record over 1 MiB, the end of the
 * file) goes to libcsv from the record's first byte, and back here after its line end. */
#include <csv.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/text.h"
#include "kith/trace.h"
#include "reader.h"

#define CHUNK 65536
#define KITH_CSV_MAX_FIELD (16u * 1024 * 1024)
#define KITH_CSV_MAX_RECORD (64u * 1024 * 1024)
#define KITH_CSV_MAX_FIELDS 65536
#define HEADER_SCAN_LIMIT 100 /* records looked at for the header before giving up */
/* Decoded bytes of one chunk, at most: UTF-16 to UTF-8, then \" doubled. */
#define DECODED_MAX (2 * (CHUNK / 2 * 4 + 8) + 2)
/* A record still incomplete after this many bytes goes to libcsv, which takes it in
 * pieces: the fast path would rescan it at every chunk. */
#define FAST_CARRY_MAX (1u << 20)

/* libcsv's parser states (csv.c): between records, and in a field (a quoted field still
 * open at the end of the input). */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2

typedef enum { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE } encoding;

typedef struct {
    size_t first; /* index into fofs */
    size_t n;
    long line;
} record;

/* Parsed records in transit from the thread that parses to the reader (see produce()). */
typedef struct {
    char *arena;
    size_t arena_len, arena_cap;
    size_t *fofs;
    size_t nf_cap;
    record *recs;
    size_t nrecs, recs_cap;
    kith_err err; /* the parse failed after these records (diag says why) */
    kith_diag diag;
    long line;    /* the line of the record being parsed when it failed */
    bool end;     /* the last batch */
} batch;

struct kith_csv {
    kith_stream *s;
    unsigned flags;
    struct csv_parser p;
    bool p_init;
    encoding enc;
    bool eof;

    /* UTF-16 decoding state */
    unsigned char odd;
    bool has_odd;
    unsigned hi; /* pending high surrogate, 0 = none */

    /* \" rewriting state */
    bool in_quotes, pending_bs;

    /* parsing: work holds the bytes not parsed yet (an incomplete record, carry bytes)
     * followed by the chunk being parsed */
    unsigned char *work;
    size_t carry;
    bool slow;            /* libcsv is inside a record: it gets the lines until it ends */
    unsigned char *unesc; /* a quoted field with "" turned into " */
    size_t unesc_cap;

    /* line tracking */
    long line;         /* line of the bytes being fed */
    bool at_rec_start; /* the next non-blank byte starts a record */
    long rec_line;     /* line on which the record being built started */
    kith_err cb_err;   /* an error raised inside a libcsv callback */

    /* queued records: fields are NUL-terminated strings at arena + fofs[i] */
    char *arena;
    size_t arena_len, arena_cap;
    size_t *fofs;
    size_t nf, nf_cap;
    size_t building; /* fofs index of the first field of the record being built */
    record *recs;
    size_t nrecs, recs_cap, rec_pos;

    /* the current record */
    const char **cur;
    size_t cur_n, cur_cap;
    long cur_line;
    long records; /* records returned so far */

    /* the header */
    char **hdr;
    size_t hdr_n;

    /* Parsing in a second thread: after the first chunk, a producer thread reads and
     * parses, handing over each chunk's records in a batch through a one-slot mailbox,
     * while the reader's thread ingests the previous one. The reader sees the very records,
     * lines and errors of a parse in its own thread, in the same order. */
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool box_full; /* box holds a batch not yet taken; else spare buffers */
    bool stop;     /* the reader closes: the producer ends */
    batch box, in; /* the mailbox; the batch the reader reads */
    size_t in_pos;
    kith_diag pdiag; /* the producer's diagnostics */
    kith_err failed; /* the reader's view of an error: every later call fails too */
    long failed_line;
    int pumps;
    bool full_chunk; /* the last read filled a whole chunk: more is likely to come */

    unsigned char raw[CHUNK];
    unsigned char *dec; /* decoded chunk (UTF-8) */
    kith_diag *d;       /* diagnostics of the call in progress */
};

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * size);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

static void fail(kith_csv *c, kith_err e, long line, const char *fmt, const char *arg)
{
    if (c->cb_err == KITH_OK) {
        c->cb_err = e;
        kith_diag_set(c->d, e, kith_stream_name(c->s), line, fmt, arg);
    }
}

/* Whether b[0..n) is ASCII without NUL bytes: the common case, which needs no repair. */
static bool plain_ascii(const unsigned char *b, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, b + i, 8);
        /* a high bit set, or a zero byte (the classic has-zero-byte test) */
        if ((w & 0x8080808080808080ull) ||
            ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
            return false;
    }
    for (; i < n; i++)
        if (b[i] == 0 || b[i] >= 0x80)
            return false;
    return true;
}

/* Appends one field of the record being built. */
static void add_field(kith_csv *c, const unsigned char *b, size_t len)
{
    if (c->cb_err != KITH_OK)
        return;
    if (len > KITH_CSV_MAX_FIELD) {
        fail(c, KITH_ERR_FORMAT, c->rec_line, "%s",
             "a field longer than 16 MiB (an unclosed quote?)");
        return;
    }
    if (c->nf - c->building >= KITH_CSV_MAX_FIELDS) {
        fail(c, KITH_ERR_FORMAT, c->rec_line, "%s", "a record with more than 65536 fields");
        return;
    }
    char *clean = NULL;
    const char *src = (const char *)b;
    size_t n = len;
    if (!plain_ascii(b, len)) { /* non-ASCII or NUL: the text module validates and repairs */
        clean = kith_utf8_clean(src, len);
        src = clean ? clean : "";
        n = strlen(src);
    }
    size_t rec_bytes = c->arena_len - (c->building < c->nf ? c->fofs[c->building] : c->arena_len);
    if (rec_bytes + n > KITH_CSV_MAX_RECORD) {
        free(clean);
        fail(c, KITH_ERR_FORMAT, c->rec_line, "%s", "a record longer than 64 MiB");
        return;
    }
    if (!grow((void **)&c->arena, &c->arena_cap, c->arena_len + n + 1, 1) ||
        !grow((void **)&c->fofs, &c->nf_cap, c->nf + 1, sizeof *c->fofs)) {
        free(clean);
        fail(c, KITH_ERR_NOMEM, 0, "%s", "out of memory");
        return;
    }
    if (n)
        memcpy(c->arena + c->arena_len, src, n);
    c->arena[c->arena_len + n] = 0;
    c->fofs[c->nf++] = c->arena_len;
    c->arena_len += n + 1;
    free(clean);
}

/* libcsv field callback. */
static void on_field(void *s, size_t len, void *data)
{
    add_field(data, s, len);
}

/* libcsv record callback. */
static void on_record(int term, void *data)
{
    (void)term;
    kith_csv *c = data;
    c->at_rec_start = true;
    if (c->cb_err != KITH_OK)
        return;
    if (!grow((void **)&c->recs, &c->recs_cap, c->nrecs + 1, sizeof *c->recs)) {
        fail(c, KITH_ERR_NOMEM, 0, "%s", "out of memory");
        return;
    }
    c->recs[c->nrecs++] = (record){c->building, c->nf - c->building, c->rec_line};
    c->building = c->nf;
}

/* Feeds bytes to libcsv one line at a time; returns the bytes taken: up to the end of
 * the record libcsv is in (when it ends at a line end), else all n. */
static size_t feed_lines(kith_csv *c, const unsigned char *b, size_t n)
{
    size_t pos = 0;
    while (pos < n && c->cb_err == KITH_OK) {
        const unsigned char *nl = memchr(b + pos, '\n', n - pos);
        size_t end = nl ? (size_t)(nl - b) + 1 : n;
        if (c->at_rec_start) {
            for (size_t i = pos; i < end; i++)
                if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                    c->at_rec_start = false;
                    c->rec_line = c->line;
                    break;
                }
        }
        if (csv_parse(&c->p, b + pos, end - pos, on_field, on_record, c) != end - pos &&
            c->cb_err == KITH_OK)
            fail(c, KITH_ERR_NOMEM, c->line, "%s", csv_strerror(csv_error(&c->p)));
        if (c->cb_err == KITH_OK && c->p.entry_pos > KITH_CSV_MAX_FIELD)
            fail(c, KITH_ERR_FORMAT, c->rec_line, "%s",
                 "a field longer than 16 MiB (an unclosed quote?)");
        if (nl)
            c->line++;
        pos = end;
        if (nl && c->p.pstate == LIBCSV_ROW_NOT_BEGUN && !(c->flags & KITH_CSV_LIBCSV_ONLY)) {
            c->slow = false; /* between records at a line end: the fast path goes on */
            break;
        }
    }
    return pos;
}

typedef enum { FAST_DONE, FAST_SLOW, FAST_MORE } fast_result;

/* Bytes that end an unquoted field, or make it irregular. */
static const bool unquoted_stop[256] = {['\n'] = true, ['\r'] = true, [','] = true, ['"'] = true};

/* Splits the record at b[0..n) (b[0] is no blank, CR nor LF) when libcsv would read it as
 * the plain CSV it looks like; *used = its bytes, the line end included. FAST_SLOW: a
 * record libcsv must read; FAST_MORE: it does not end within n bytes. Fields added before
 * either are taken back. */
static fast_result fast_record(kith_csv *c, const unsigned char *b, size_t n, size_t *used)
{
    size_t i = 0, f0 = c->nf, a0 = c->arena_len;
    long lines = 0;
    c->rec_line = c->line;
    for (;;) {
        if (b[i] == '"') {
            size_t from = i + 1, at = from;
            bool doubled = false;
            const unsigned char *q;
            for (;;) {
                if (!(q = memchr(b + at, '"', n - at)) || (size_t)(q - b) + 1 >= n)
                    goto more;
                if (q[1] != '"')
                    break;
                doubled = true;
                at = (size_t)(q - b) + 2;
            }
            size_t to = (size_t)(q - b);
            for (const unsigned char *p = b + from; (p = memchr(p, '\n', to - (size_t)(p - b)));
                 p++)
                lines++;
            if (!doubled) {
                add_field(c, b + from, to - from);
            } else {
                if (!grow((void **)&c->unesc, &c->unesc_cap, to - from + 1, 1)) {
                    fail(c, KITH_ERR_NOMEM, 0, "%s", "out of memory");
                    return FAST_DONE;
                }
                size_t o = 0;
                for (size_t k = from; k < to; k++) {
                    c->unesc[o++] = b[k];
                    k += b[k] == '"'; /* "" is one quote */
                }
                add_field(c, c->unesc, o);
            }
            i = to + 1;
        } else {
            size_t from = i;
            while (i < n && !unquoted_stop[b[i]])
                i++;
            if (i >= n)
                goto more;
            /* libcsv keeps a quote inside an unquoted field and trims trailing blanks */
            if (b[i] == '"' || (i > from && (b[i - 1] == ' ' || b[i - 1] == '\t')))
                goto slow;
            add_field(c, b + from, i - from);
        }
        if (c->cb_err != KITH_OK)
            return FAST_DONE;
        /* the byte after a field */
        if (i >= n)
            goto more;
        if (b[i] == ',') {
            if (++i >= n)
                goto more;
            if (b[i] == ' ' || b[i] == '\t') /* libcsv skips blanks before a field */
                goto slow;
            continue;
        }
        if (b[i] == '\r') {
            if (i + 1 >= n)
                goto more;
            if (b[i + 1] != '\n') /* a lone CR ends a record inside the line */
                goto slow;
            i++;
        }
        if (b[i] != '\n')
            goto slow; /* something after a closing quote */
        *used = i + 1;
        c->line += lines + 1;
        on_record(0, c);
        return FAST_DONE;
    }
more:
    c->nf = f0;
    c->arena_len = a0;
    return FAST_MORE;
slow:
    c->nf = f0;
    c->arena_len = a0;
    return FAST_SLOW;
}

/* Parses c->work[0..n): records by the fast path or libcsv. Unless last, an incomplete
 * record the fast path started is kept at the front of c->work (c->carry bytes). */
static kith_err feed(kith_csv *c, size_t n, bool last)
{
    const unsigned char *b = c->work;
    size_t pos = 0;
    c->carry = 0;
    while (pos < n && c->cb_err == KITH_OK) {
        if (c->slow || (c->flags & KITH_CSV_LIBCSV_ONLY)) {
            pos += feed_lines(c, b + pos, n - pos);
            continue;
        }
        if (b[pos] == '\n') { /* a blank line: libcsv reports no record */
            c->line++;
            pos++;
            continue;
        }
        if (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r') {
            c->slow = true;
            continue;
        }
        size_t used = 0;
        fast_result r = fast_record(c, b + pos, n - pos, &used);
        if (r == FAST_DONE) {
            pos += used;
        } else if (r == FAST_SLOW || last || n - pos > FAST_CARRY_MAX) {
            c->slow = true;
        } else {
            c->carry = n - pos;
            memmove(c->work, b + pos, c->carry);
            break;
        }
    }
    return c->cb_err;
}

/* Rewrites \" inside quotes to "" (LinkedIn Comments.csv) from b into out; returns the
 * bytes written (at most 2 n + 1). */
static size_t rewrite(kith_csv *c, const unsigned char *b, size_t n, bool last,
                      unsigned char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = b[i];
        if (c->pending_bs) {
            c->pending_bs = false;
            if (ch == '"' || ch == '\\') {
                out[o++] = ch == '"' ? '"' : '\\';
                out[o++] = ch;
                continue;
            }
            out[o++] = '\\';
        }
        if (c->in_quotes && ch == '\\') {
            c->pending_bs = true;
            continue;
        }
        if (ch == '"')
            c->in_quotes = !c->in_quotes;
        out[o++] = ch;
    }
    if (last && c->pending_bs) {
        c->pending_bs = false;
        out[o++] = '\\';
    }
    return o;
}

static size_t put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | cp >> 18);
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* UTF-16 code units to UTF-8; unpaired surrogates and a dangling byte become U+FFFD. */
static size_t utf16_decode(kith_csv *c, const unsigned char *b, size_t n, bool last)
{
    size_t o = 0, i = 0;
    while (i < n) {
        unsigned char b0, b1;
        if (c->has_odd) {
            b0 = c->odd;
            b1 = b[i++];
            c->has_odd = false;
        } else if (i + 1 < n) {
            b0 = b[i];
            b1 = b[i + 1];
            i += 2;
        } else {
            c->odd = b[i++];
            c->has_odd = true;
            break;
        }
        unsigned u = c->enc == ENC_UTF16LE ? (unsigned)(b0 | b1 << 8) : (unsigned)(b0 << 8 | b1);
        if (c->hi) {
            if (u >= 0xDC00 && u <= 0xDFFF) {
                o += put_utf8(c->dec + o, 0x10000 + ((c->hi - 0xD800) << 10) + (u - 0xDC00));
                c->hi = 0;
                continue;
            }
            o += put_utf8(c->dec + o, 0xFFFD);
            c->hi = 0;
        }
        if (u >= 0xD800 && u <= 0xDBFF)
            c->hi = u;
        else if (u >= 0xDC00 && u <= 0xDFFF)
            o += put_utf8(c->dec + o, 0xFFFD);
        else
            o += put_utf8(c->dec + o, u);
    }
    if (last) {
        if (c->hi)
            o += put_utf8(c->dec + o, 0xFFFD);
        if (c->has_odd)
            o += put_utf8(c->dec + o, 0xFFFD);
        c->hi = 0;
        c->has_odd = false;
    }
    return o;
}

/* Reads and parses one chunk; at the end of the input flushes libcsv. */
static kith_err pump(kith_csv *c)
{
    unsigned char *to = c->work + c->carry;
    bool plain = c->enc == ENC_UTF8 && !(c->flags & KITH_CSV_BACKSLASH_QUOTES);
    long got = kith_stream_read(c->s, plain ? to : c->raw, CHUNK, c->d);
    if (got < 0)
        return c->cb_err = KITH_ERR_IO;
    bool last = got == 0;
    c->full_chunk = got == CHUNK;
    size_t n = (size_t)got;
    if (!plain) {
        const unsigned char *b = c->raw;
        if (c->enc != ENC_UTF8) {
            n = utf16_decode(c, c->raw, n, last);
            b = c->dec;
        }
        if (c->flags & KITH_CSV_BACKSLASH_QUOTES)
            n = rewrite(c, b, n, last, to);
        else
            memcpy(to, b, n);
    }
    kith_err e = feed(c, c->carry + n, last);
    if (e != KITH_OK)
        return e;
    if (last) {
        c->eof = true;
        if (c->p.quoted && c->p.pstate == LIBCSV_FIELD_BEGUN) {
            fail(c, KITH_ERR_FORMAT, c->rec_line, "%s",
                 "a quoted field is never closed (it runs to the end of the file)");
            return c->cb_err;
        }
        csv_fini(&c->p, on_field, on_record, c);
    }
    return c->cb_err;
}

kith_err kith_csv_open(kith_csv **out, kith_stream *s, unsigned flags, kith_diag *d)
{
    kith_err e = KITH_OK;
    kith_csv *c = calloc(1, sizeof *c);
    if (!c || !(c->dec = malloc(CHUNK / 2 * 4 + 8)) ||
        !(c->work = malloc(FAST_CARRY_MAX + DECODED_MAX))) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
        goto cleanup;
    }
    c->s = s;
    c->flags = flags;
    c->line = 1;
    c->at_rec_start = true;
    c->d = d;
    if (csv_init(&c->p, CSV_APPEND_NULL) != 0) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
        goto cleanup;
    }
    c->p_init = true;
    /* libcsv grows a field's buffer by this much at a time: the 128-byte default makes a
     * multi-megabyte field cost quadratic copying. */
    csv_set_blk_size(&c->p, 1u << 20);

    const char *head;
    long n = kith_stream_peek(s, 4, &head, d);
    if (n < 0) {
        e = KITH_ERR_IO;
        goto cleanup;
    }
    const unsigned char *h = (const unsigned char *)head;
    size_t bom = 0;
    if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
        bom = 3;
    } else if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
        c->enc = ENC_UTF16LE;
        bom = 2;
    } else if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
        c->enc = ENC_UTF16BE;
        bom = 2;
    }
    if (bom && kith_stream_read(s, c->raw, bom, d) != (long)bom) {
        e = KITH_ERR_IO;
        goto cleanup;
    }
    *out = c;
    c = NULL;
cleanup:
    kith_csv_close(c);
    return e;
}

static void batch_free(batch *b)
{
    free(b->arena);
    free(b->fofs);
    free(b->recs);
}

void kith_csv_close(kith_csv *c)
{
    if (!c)
        return;
    if (c->threaded) {
        pthread_mutex_lock(&c->mu);
        c->stop = true;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
        pthread_join(c->thread, NULL);
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
    }
    batch_free(&c->box);
    batch_free(&c->in);
    if (c->p_init)
        csv_free(&c->p);
    for (size_t i = 0; i < c->hdr_n; i++)
        free(c->hdr[i]);
    free(c->hdr);
    free(c->arena);
    free(c->fofs);
    free(c->recs);
    free(c->cur);
    free(c->dec);
    free(c->work);
    free(c->unesc);
    free(c);
}

/* Drops the consumed records, keeping the fields of the record still being built. */
static void compact(kith_csv *c)
{
    size_t keep_a = c->building < c->nf ? c->fofs[c->building] : c->arena_len;
    size_t kept_f = c->nf - c->building;
    if (c->arena && keep_a)
        memmove(c->arena, c->arena + keep_a, c->arena_len - keep_a);
    c->arena_len -= keep_a;
    for (size_t i = 0; i < kept_f; i++)
        c->fofs[i] = c->fofs[c->building + i] - keep_a;
    c->nf = kept_f;
    c->building = 0;
    c->nrecs = c->rec_pos = 0;
}

/* Producer: hands the records parsed so far over in the mailbox, keeping the fields of a
 * record not finished yet; false when the reader closes. */
static bool publish(kith_csv *c, kith_err err, bool end)
{
    pthread_mutex_lock(&c->mu);
    while (c->box_full && !c->stop)
        pthread_cond_wait(&c->cv, &c->mu);
    if (c->stop) {
        pthread_mutex_unlock(&c->mu);
        return false;
    }
    batch *b = &c->box; /* spare buffers: they become the producer's */
    size_t keep_a = c->building < c->nf ? c->fofs[c->building] : c->arena_len;
    size_t kept_f = c->nf - c->building;
    bool ok = err != KITH_OK ||
              (grow((void **)&b->arena, &b->arena_cap, c->arena_len - keep_a + 1, 1) &&
               grow((void **)&b->fofs, &b->nf_cap, kept_f + 1, sizeof *b->fofs));
    if (!ok) {
        err = KITH_ERR_NOMEM;
        kith_diag_set(&c->pdiag, err, kith_stream_name(c->s), 0, "out of memory");
        end = true;
    }
    batch full = {c->arena, c->arena_len, c->arena_cap, c->fofs, c->nf_cap, c->recs,
                  c->nrecs, c->recs_cap, err, c->pdiag, c->rec_line, end};
    if (err != KITH_OK) {
        full.nrecs = 0; /* as in one thread: a failed chunk's records are never read */
    } else {
        if (c->arena_len > keep_a)
            memcpy(b->arena, c->arena + keep_a, c->arena_len - keep_a);
        for (size_t i = 0; i < kept_f; i++)
            b->fofs[i] = c->fofs[c->building + i] - keep_a;
    }
    c->arena = b->arena;
    c->arena_cap = b->arena_cap;
    c->arena_len = err != KITH_OK ? 0 : c->arena_len - keep_a;
    c->fofs = b->fofs;
    c->nf_cap = b->nf_cap;
    c->nf = err != KITH_OK ? 0 : kept_f;
    c->building = 0;
    c->recs = b->recs;
    c->recs_cap = b->recs_cap;
    c->nrecs = c->rec_pos = 0;
    *b = full;
    c->box_full = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return true;
}

/* The producer thread: a chunk at a time, parsed and handed over, to the end or an error. */
static void *produce(void *arg)
{
    kith_csv *c = arg;
    kith_span span = kith_trace_start();
    for (;;) {
        kith_err e = pump(c);
        bool end = e != KITH_OK || c->eof;
        if (!publish(c, e, end) || end)
            break;
    }
    kith_trace_stop(span, "load: CSV parse (thread)");
    return NULL;
}

/* Reader: the next batch from the producer (waits for it). */
static void take(kith_csv *c)
{
    pthread_mutex_lock(&c->mu);
    while (!c->box_full)
        pthread_cond_wait(&c->cv, &c->mu);
    batch t = c->in;
    c->in = c->box;
    t.nrecs = 0;
    c->box = t; /* the buffers just read go back as spares */
    c->box_full = false;
    c->in_pos = 0;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

/* Starts the producer after the first chunk (small files never need one); false when no
 * thread can be had: parsing then goes on in the reader's thread. */
static bool start_producer(kith_csv *c)
{
    if (pthread_mutex_init(&c->mu, NULL) != 0)
        return false;
    if (pthread_cond_init(&c->cv, NULL) != 0) {
        pthread_mutex_destroy(&c->mu);
        return false;
    }
    compact(c);
    kith_diag_clear(&c->pdiag);
    c->d = &c->pdiag;
    if (pthread_create(&c->thread, NULL, produce, c) != 0) {
        pthread_cond_destroy(&c->cv);
        pthread_mutex_destroy(&c->mu);
        return false;
    }
    c->threaded = true;
    return true;
}

/* Makes the record r of batch (arena, fofs) current. */
static int set_current(kith_csv *c, const record *r, const char *arena, const size_t *fofs,
                       kith_diag *d)
{
    if (!grow((void **)&c->cur, &c->cur_cap, r->n + 1, sizeof *c->cur)) {
        kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(c->s), 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < r->n; i++)
        c->cur[i] = arena + fofs[r->first + i];
    c->cur_n = r->n;
    c->cur_line = r->line;
    c->records++;
    return 1;
}

static int fail_next(kith_csv *c, kith_err e, long line, const kith_diag *why, kith_diag *d)
{
    c->failed = e;
    c->failed_line = line;
    if (why && d)
        *d = *why;
    return -1;
}

int kith_csv_next(kith_csv *c, kith_diag *d)
{
    if (!c)
        return -1;
    if (c->failed != KITH_OK) {
        kith_diag_set(d, c->failed, kith_stream_name(c->s), c->failed_line, "cannot read CSV");
        return -1;
    }
    if (c->threaded) {
        while (c->in_pos >= c->in.nrecs) {
            if (c->in.end) {
                c->cur_n = 0;
                return 0;
            }
            take(c);
            if (c->in.err != KITH_OK)
                return fail_next(c, c->in.err, c->in.line, &c->in.diag, d);
        }
        return set_current(c, &c->in.recs[c->in_pos++], c->in.arena, c->in.fofs, d);
    }
    c->d = d;
    if (c->rec_pos >= c->nrecs) {
        /* a file larger than one chunk gets a producer thread for the rest */
        if (c->pumps > 0 && !c->eof && c->full_chunk && !(c->flags & KITH_CSV_ONE_THREAD) &&
            start_producer(c))
            return kith_csv_next(c, d);
        compact(c);
        while (c->nrecs == 0 && !c->eof) {
            c->pumps++;
            if (pump(c) != KITH_OK)
                return fail_next(c, c->cb_err, c->rec_line, NULL, d);
        }
        if (c->nrecs == 0) {
            c->cur_n = 0;
            return 0;
        }
    }
    return set_current(c, &c->recs[c->rec_pos++], c->arena, c->fofs, d);
}

int kith_csv_next_nonblank(kith_csv *c, kith_diag *d)
{
    int r;
    while ((r = kith_csv_next(c, d)) == 1 && kith_csv_nfields(c) == 1 && !*kith_csv_field(c, 0))
        ;
    return r;
}

long kith_csv_line(const kith_csv *c)
{
    return c ? c->cur_line : 0;
}
size_t kith_csv_nfields(const kith_csv *c)
{
    return c ? c->cur_n : 0;
}
size_t kith_csv_header_nfields(const kith_csv *c)
{
    return c ? c->hdr_n : 0;
}

const char *kith_csv_field(const kith_csv *c, size_t i)
{
    return c && i < c->cur_n ? c->cur[i] : "";
}

/* s without surrounding blanks: *len bytes from the returned pointer. */
static const char *trimmed(const char *s, size_t *len)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    *len = n;
    return s;
}

/* Compares a field with a name, ignoring case and surrounding blanks of both. */
static bool name_eq(const char *field, const char *name)
{
    size_t fn, nn;
    field = trimmed(field, &fn);
    name = trimmed(name, &nn);
    return fn == nn && strncasecmp(field, name, fn) == 0;
}

kith_err kith_csv_find_header(kith_csv *c, const char *const *required, size_t n, kith_diag *d)
{
    int r = 0;
    long seen = 0;
    while (seen < HEADER_SCAN_LIMIT && (r = kith_csv_next(c, d)) == 1) {
        seen++;
        size_t found = 0;
        for (size_t k = 0; k < n; k++)
            for (size_t i = 0; i < c->cur_n; i++)
                if (name_eq(c->cur[i], required[k])) {
                    found++;
                    break;
                }
        if (found < n)
            continue;
        if (!(c->hdr = calloc(c->cur_n ? c->cur_n : 1, sizeof *c->hdr)))
            return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(c->s), 0, "out of memory");
        for (size_t i = 0; i < c->cur_n; i++) {
            size_t len;
            const char *f = trimmed(c->cur[i], &len);
            if (!(c->hdr[i] = strndup(f, len)))
                return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(c->s), 0, "out of memory");
            c->hdr_n = i + 1;
        }
        return KITH_OK;
    }
    if (seen == 0 && r == 0)
        return kith_diag_set(d, KITH_ERR_NO_DATA, kith_stream_name(c->s), 0, "empty file");
    if (r < 0)
        return c->cb_err != KITH_OK ? c->cb_err : KITH_ERR_IO;
    char names[256] = "";
    for (size_t k = 0; k < n; k++) {
        size_t l = strlen(names);
        snprintf(names + l, sizeof names - l, "%s'%s'", k ? ", " : "", required[k]);
    }
    return kith_diag_set(d, KITH_ERR_FORMAT, kith_stream_name(c->s), 0, "no header line with %s",
                         names);
}

int kith_csv_col(const kith_csv *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->hdr_n; i++)
        if (name_eq(c->hdr[i], name))
            return (int)i;
    return -1;
}

const char *kith_csv_get(const kith_csv *c, int col)
{
    return c && col >= 0 && (size_t)col < c->cur_n ? c->cur[col] : "";
}
