/* CSV records over libcsv, streamed.
 *
 * Bytes flow: stream -> BOM / UTF-16 decoding -> (Comments.csv) \" rewritten to "" ->
 * one line at a time into libcsv, so we know on which line each record starts -> fields
 * cleaned to valid UTF-8 into an arena -> a small queue of complete records. Only one input
 * chunk's worth of records is held at a time. */
#include <csv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/text.h"
#include "reader.h"

#define CHUNK 65536
#define BLK_MIN 4096u         /* libcsv's first field buffer */
#define BLK_MAX (1u << 20)    /* its growth step for big fields */
#define KITH_CSV_MAX_FIELD (16u * 1024 * 1024)
#define KITH_CSV_MAX_RECORD (64u * 1024 * 1024)
#define KITH_CSV_MAX_FIELDS 65536
#define HEADER_SCAN_LIMIT 100 /* records looked at for the header before giving up */

/* libcsv's parser states (csv.c): a quoted field still open at the end of the input. */
#define LIBCSV_FIELD_BEGUN 2

typedef enum { ENC_UTF8, ENC_UTF16LE, ENC_UTF16BE } encoding;

typedef struct {
    size_t first; /* index into fofs */
    size_t n;
    long line;
} record;

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

    unsigned char *raw; /* CHUNK bytes read; apart so opening does not zero 64 KiB */
    unsigned char *dec; /* decoded chunk (UTF-8) */
    unsigned char *xf;  /* after \" rewriting */
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

/* libcsv field callback. */
static void on_field(void *s, size_t len, void *data)
{
    kith_csv *c = data;
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
    const unsigned char *b = s;
    size_t i = 0;
    while (i < len && b[i] >= 0x01 && b[i] < 0x80)
        i++;
    char *clean = NULL;
    const char *src = s;
    size_t n = len;
    if (i < len) { /* non-ASCII or NUL: let the text module validate and repair it */
        clean = kith_utf8_clean(s, len);
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

/* Feeds decoded, rewritten bytes to libcsv one line at a time. */
static kith_err feed_lines(kith_csv *c, const unsigned char *b, size_t n)
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
        size_t cap = csv_get_buffer_size(&c->p); /* double the growth step, up to BLK_MAX */
        if (cap > c->p.blk_size && cap <= BLK_MAX)
            csv_set_blk_size(&c->p, cap);
        if (csv_parse(&c->p, b + pos, end - pos, on_field, on_record, c) != end - pos &&
            c->cb_err == KITH_OK)
            fail(c, KITH_ERR_NOMEM, c->line, "%s", csv_strerror(csv_error(&c->p)));
        if (c->cb_err == KITH_OK && c->p.entry_pos > KITH_CSV_MAX_FIELD)
            fail(c, KITH_ERR_FORMAT, c->rec_line, "%s",
                 "a field longer than 16 MiB (an unclosed quote?)");
        if (nl)
            c->line++;
        pos = end;
    }
    return c->cb_err;
}

/* Rewrites \" inside quotes to "" (LinkedIn Comments.csv), then feeds. */
static kith_err feed_rewrite(kith_csv *c, const unsigned char *b, size_t n, bool last)
{
    if (!(c->flags & KITH_CSV_BACKSLASH_QUOTES))
        return feed_lines(c, b, n);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = b[i];
        if (c->pending_bs) {
            c->pending_bs = false;
            if (ch == '"' || ch == '\\') {
                c->xf[o++] = ch == '"' ? '"' : '\\';
                c->xf[o++] = ch;
                continue;
            }
            c->xf[o++] = '\\';
        }
        if (c->in_quotes && ch == '\\') {
            c->pending_bs = true;
            continue;
        }
        if (ch == '"')
            c->in_quotes = !c->in_quotes;
        c->xf[o++] = ch;
    }
    if (last && c->pending_bs) {
        c->pending_bs = false;
        c->xf[o++] = '\\';
    }
    return feed_lines(c, c->xf, o);
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
    long got = kith_stream_read(c->s, c->raw, CHUNK, c->d);
    if (got < 0)
        return c->cb_err = KITH_ERR_IO;
    bool last = got == 0;
    kith_err e;
    if (c->enc == ENC_UTF8) {
        e = feed_rewrite(c, c->raw, (size_t)got, last);
    } else {
        size_t n = utf16_decode(c, c->raw, (size_t)got, last);
        e = feed_rewrite(c, c->dec, n, last);
    }
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
    if (!c || !(c->raw = malloc(CHUNK))) {
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
    /* libcsv grows a field's buffer by blk_size at a time: the 128-byte default makes a
     * multi-megabyte field cost quadratic copying. feed_lines doubles it up to BLK_MAX, so a
     * file of short fields does not pay for a 1 MiB buffer either. */
    csv_set_blk_size(&c->p, BLK_MIN);

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
    /* Worst cases: a UTF-16 chunk decodes to 2x its bytes; the \" rewrite doubles them. Only
     * the inputs that need them get these buffers. */
    if ((c->enc != ENC_UTF8 && !(c->dec = malloc(CHUNK / 2 * 4 + 8))) ||
        ((flags & KITH_CSV_BACKSLASH_QUOTES) && !(c->xf = malloc(2 * (CHUNK / 2 * 4 + 8) + 2)))) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
        goto cleanup;
    }
    *out = c;
    c = NULL;
cleanup:
    kith_csv_close(c);
    return e;
}

void kith_csv_close(kith_csv *c)
{
    if (!c)
        return;
    if (c->p_init)
        csv_free(&c->p);
    for (size_t i = 0; i < c->hdr_n; i++)
        free(c->hdr[i]);
    free(c->hdr);
    free(c->arena);
    free(c->fofs);
    free(c->recs);
    free(c->cur);
    free(c->raw);
    free(c->dec);
    free(c->xf);
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

int kith_csv_next(kith_csv *c, kith_diag *d)
{
    if (!c)
        return -1;
    c->d = d;
    if (c->cb_err != KITH_OK) {
        kith_diag_set(d, c->cb_err, kith_stream_name(c->s), c->rec_line, "cannot read CSV");
        return -1;
    }
    if (c->rec_pos >= c->nrecs) {
        compact(c);
        while (c->nrecs == 0 && !c->eof)
            if (pump(c) != KITH_OK)
                return -1;
        if (c->nrecs == 0) {
            c->cur_n = 0;
            return 0;
        }
    }
    record *r = &c->recs[c->rec_pos++];
    if (!grow((void **)&c->cur, &c->cur_cap, r->n + 1, sizeof *c->cur)) {
        kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(c->s), 0, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < r->n; i++)
        c->cur[i] = c->arena + c->fofs[r->first + i];
    c->cur_n = r->n;
    c->cur_line = r->line;
    c->records++;
    return 1;
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
