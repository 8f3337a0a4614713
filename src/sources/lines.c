#include "lines.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool kith_buf_put(kith_buf *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s)
            return false;
        b->s = s;
        b->cap = cap;
    }
    if (n)
        memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
    return true;
}

bool kith_buf_putc(kith_buf *b, char c)
{
    return kith_buf_put(b, &c, 1);
}

void kith_buf_reset(kith_buf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

void kith_buf_free(kith_buf *b)
{
    if (!b)
        return;
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
}

void kith_lines_init(kith_lines *r, kith_stream *s)
{
    memset(r, 0, sizeof *r);
    r->s = s;
}

static int fill(kith_lines *r, kith_diag *d)
{
    if (r->eof)
        return 0;
    long got = kith_stream_read(r->s, r->chunk, sizeof r->chunk, d);
    if (got < 0)
        return -1;
    if (got == 0) {
        r->eof = true;
        return 0;
    }
    r->pos = 0;
    r->len = (size_t)got;
    return 1;
}

int kith_lines_next(kith_lines *r, kith_buf *out, kith_diag *d)
{
    kith_buf_reset(out);
    if (!kith_buf_put(out, "", 0))
        return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(r->s), r->line + 1,
                             "out of memory"),
               -1;
    bool any = false;
    for (;;) {
        if (r->pos >= r->len) {
            int f = fill(r, d);
            if (f < 0)
                return -1;
            if (f == 0)
                break;
        }
        char *start = r->chunk + r->pos;
        size_t avail = r->len - r->pos;
        size_t i = 0;
        while (i < avail && start[i] != '\n' && start[i] != '\r')
            i++;
        /* a line past KITH_LINE_MAX (an inline photo, garbage) is cut, never grown on */
        size_t take = out->n >= KITH_LINE_MAX      ? 0
                      : i < KITH_LINE_MAX - out->n ? i
                                                   : KITH_LINE_MAX - out->n;
        if (take && !kith_buf_put(out, start, take)) {
            kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(r->s), r->line + 1, "out of memory");
            return -1;
        }
        any = true;
        r->pos += i;
        if (i == avail)
            continue;
        char end = start[i];
        r->pos++;
        if (end == '\r') {
            /* CRLF may straddle two chunks */
            if (r->pos >= r->len) {
                int f = fill(r, d);
                if (f < 0)
                    return -1;
            }
            if (r->pos < r->len && r->chunk[r->pos] == '\n')
                r->pos++;
        }
        goto line;
    }
    if (!any)
        return 0;
line:
    r->line++;
    if (!r->bom_checked) {
        r->bom_checked = true;
        if (out->n >= 3 && memcmp(out->s, "\xEF\xBB\xBF", 3) == 0) {
            memmove(out->s, out->s + 3, out->n - 2);
            out->n -= 3;
        }
    }
    return 1;
}

kith_err kith_stream_slurp(kith_stream *s, size_t max, kith_buf *out, kith_diag *d)
{
    char chunk[65536];
    kith_buf_reset(out);
    if (!kith_buf_put(out, "", 0))
        return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
    for (;;) {
        long got = kith_stream_read(s, chunk, sizeof chunk, d);
        if (got < 0)
            return KITH_ERR_IO;
        if (got == 0)
            return KITH_OK;
        if (out->n + (size_t)got > max)
            return kith_diag_set(d, KITH_ERR_FORMAT, kith_stream_name(s), 0,
                                 "file larger than %zu MiB", max >> 20);
        if (!kith_buf_put(out, chunk, (size_t)got))
            return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
    }
}

bool kith_head_begins(const char *head, size_t n, const char *marker)
{
    size_t i = 0, m = strlen(marker);
    if (n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && isspace((unsigned char)head[i]))
        i++;
    return n - i >= m && strncasecmp(head + i, marker, m) == 0;
}
