/* Rows of a constant-memory worksheet written straight into its row stream: see xlsx_rows.h.
 *
 * The XML is what libxlsxwriter 1.1.4 writes in constant-memory mode for the same cells
 * (worksheet.c: _write_row without spans, _write_number_cell, _write_inline_string_cell after
 * lxw_escape_control_characters and lxw_escape_data), so a sheet written here and one written
 * through worksheet_write_* are the same bytes; test_workbook checks that on whole workbooks.
 * What this file relies on from libxlsxwriter's worksheet struct (public in its header):
 * optimize, optimize_tmpfile (the stream of <row> elements workbook_close copies into
 * <sheetData>), optimize_row (the row it still holds) and the dim_* extent (written as
 * <dimension>, and what tells it the sheet has data at all). */
#include "xlsx_rows.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_CAP (256u << 10) /* bytes gathered before a write to the temporary file */
#define STR_MAX 32767        /* characters in a cell: Excel's limit, libxlsxwriter's LXW_STR_MAX */
#define CELL_ROOM 128        /* a cell's XML besides its text: reference, style, tags */

struct kith_xrows {
    lxw_worksheet *ws;
    char *buf;
    size_t len, cap;
    lxw_error err;
    int write_errno; /* of the first failed write, 0 when none failed */
    bool any_row, in_row, any_cell;
    lxw_row_t row, min_row;    /* the current row; the first this writer may start */
    lxw_col_t col_next;        /* the first column the next cell of the row may take */
    lxw_row_t cell_row_min, cell_row_max;
    lxw_col_t cell_col_min, cell_col_max;
    char rownum[12];           /* the current row's 1-based number as text */
    size_t rownum_len;
};

static void fail(kith_xrows *x, lxw_error e)
{
    if (x->err == LXW_NO_ERROR)
        x->err = e;
}

static void flush(kith_xrows *x)
{
    errno = 0;
    if (x->len && fwrite(x->buf, 1, x->len, x->ws->optimize_tmpfile) != x->len) {
        if (x->err == LXW_NO_ERROR)
            x->write_errno = errno ? errno : EIO;
        fail(x, LXW_ERROR_CREATING_TMPFILE);
    }
    x->len = 0;
}

/* Room for n more bytes in the buffer; false (the error noted) when there is none. */
static bool room(kith_xrows *x, size_t n)
{
    if (x->len + n <= x->cap)
        return true;
    flush(x);
    if (n <= x->cap)
        return true;
    char *b = realloc(x->buf, n);
    if (!b) {
        fail(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return false;
    }
    x->buf = b;
    x->cap = n;
    return true;
}

static void put(kith_xrows *x, const char *s, size_t n)
{
    memcpy(x->buf + x->len, s, n);
    x->len += n;
}
#define PUT_LIT(x, lit) put(x, lit, sizeof lit - 1)

/* The decimal digits of v into out (no NUL); returns their count. */
static size_t utoa(uint64_t v, char *out)
{
    char t[24];
    size_t n = 0;
    do
        t[n++] = (char)('0' + v % 10);
    while (v /= 10);
    for (size_t i = 0; i < n; i++)
        out[i] = t[n - 1 - i];
    return n;
}

kith_xrows *kith_xrows_open(lxw_worksheet *ws)
{
    if (!ws || !ws->optimize || !ws->optimize_tmpfile || !ws->optimize_row)
        return NULL;
    kith_xrows *x = calloc(1, sizeof *x);
    if (!x || !(x->buf = malloc(BUF_CAP))) {
        free(x);
        return NULL;
    }
    x->ws = ws;
    x->cap = BUF_CAP;
    lxw_row *held = ws->optimize_row;
    x->min_row = held->row_num;
    if (held->row_changed || held->data_changed) {
        lxw_worksheet_write_single_row(ws);
        x->min_row = held->row_num + 1;
    }
    return x;
}

static void end_row(kith_xrows *x)
{
    if (x->in_row && room(x, 8))
        PUT_LIT(x, "</row>");
    x->in_row = false;
}

void kith_xrows_row(kith_xrows *x, lxw_row_t row)
{
    if (!x)
        return;
    if (row >= LXW_ROW_MAX || row < x->min_row || (x->any_row && row <= x->row)) {
        fail(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        return;
    }
    end_row(x);
    x->any_row = true;
    x->row = row;
    x->col_next = 0;
    x->rownum_len = utoa((uint64_t)row + 1, x->rownum);
    /* the <row> element is opened with its first cell: libxlsxwriter writes no row
     * without cells (nor one with only a height, which tables never set) */
}

/* Opens cell col of the current row up to its attributes ("<c r="B7" s="3""), with room
 * for more bytes after them; false when the cell cannot be written. */
static bool open_cell(kith_xrows *x, lxw_col_t col, lxw_format *f, size_t more)
{
    if (!x->any_row || col >= LXW_COL_MAX || col < x->col_next) {
        fail(x, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE);
        return false;
    }
    if (!room(x, CELL_ROOM + more))
        return false;
    if (!x->in_row) {
        PUT_LIT(x, "<row r=\"");
        put(x, x->rownum, x->rownum_len);
        PUT_LIT(x, "\">");
        x->in_row = true;
    }
    x->col_next = (lxw_col_t)(col + 1);
    if (!x->any_cell) {
        x->cell_row_min = x->row;
        x->cell_col_min = x->cell_col_max = col;
        x->any_cell = true;
    }
    x->cell_row_max = x->row;
    if (col < x->cell_col_min)
        x->cell_col_min = col;
    if (col > x->cell_col_max)
        x->cell_col_max = col;

    char t[4]; /* the column's letters, last first: A..Z, AA.., up to XFD */
    size_t k = 0;
    for (unsigned c = (unsigned)col + 1; c; c = (c - 1) / 26)
        t[k++] = (char)('A' + (c - 1) % 26);
    PUT_LIT(x, "<c r=\"");
    while (k)
        x->buf[x->len++] = t[--k];
    put(x, x->rownum, x->rownum_len);
    int32_t s = f ? lxw_format_get_xf_index(f) : 0;
    if (s > 0) {
        PUT_LIT(x, "\" s=\"");
        x->len += utoa((uint64_t)s, x->buf + x->len);
    }
    put(x, "\"", 1);
    return true;
}

/* What lxw_escape_control_characters then lxw_escape_data make of one byte: NULL when the
 * byte stays as it is. */
static const char *escape_of(unsigned char b, char ctl[8])
{
    switch (b) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '\t':
    case '\n': return NULL;
    default:
        if (b >= 0x01 && b <= 0x1F) {
            static const char hex[] = "0123456789ABCDEF";
            memcpy(ctl, "_x00", 4);
            ctl[4] = hex[b >> 4];
            ctl[5] = hex[b & 15];
            ctl[6] = '_';
            ctl[7] = '\0';
            return ctl;
        }
        return NULL;
    }
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void kith_xrows_text(kith_xrows *x, lxw_col_t col, const char *text, lxw_format *f)
{
    if (!x || !text || !*text)
        return;
    size_t n = strlen(text);
    if (n > STR_MAX && utf8_chars(text) > STR_MAX) {
        fail(x, LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED);
        return;
    }
    if (!open_cell(x, col, f, 7 * n))
        return;
    /* The escaped text's first and last bytes decide xml:space, as in libxlsxwriter: only a
     * blank, tab or newline can be white space after escaping (\r becomes _x000D_). */
    unsigned char first = (unsigned char)text[0], last = (unsigned char)text[n - 1];
    char ctl[8];
    bool keep = (isspace(first) && !escape_of(first, ctl)) || (isspace(last) && !escape_of(last, ctl));
    if (keep)
        PUT_LIT(x, " t=\"inlineStr\"><is><t xml:space=\"preserve\">");
    else
        PUT_LIT(x, " t=\"inlineStr\"><is><t>");
    const unsigned char *p = (const unsigned char *)text;
    size_t run = 0; /* bytes copied as they are, pending */
    for (size_t i = 0; i < n; i++) {
        const char *e = p[i] >= 0x3F ? NULL : escape_of(p[i], ctl);
        if (!e) {
            run++;
            continue;
        }
        put(x, (const char *)p + i - run, run);
        run = 0;
        put(x, e, strlen(e));
    }
    put(x, (const char *)p + n - run, run);
    PUT_LIT(x, "</t></is></c>");
}

void kith_xrows_num(kith_xrows *x, lxw_col_t col, double v, lxw_format *f)
{
    if (!x || !isfinite(v) || !open_cell(x, col, f, 0))
        return;
    PUT_LIT(x, "><v>");
    x->len += kith_xrows_g16(v, x->buf + x->len);
    PUT_LIT(x, "</v></c>");
}

lxw_error kith_xrows_close(kith_xrows *x, char *why, size_t n)
{
    if (!x)
        return LXW_NO_ERROR;
    end_row(x);
    flush(x);
    lxw_worksheet *ws = x->ws;
    if (x->any_cell) {
        if (x->cell_row_min < ws->dim_rowmin)
            ws->dim_rowmin = x->cell_row_min;
        if (x->cell_row_max > ws->dim_rowmax)
            ws->dim_rowmax = x->cell_row_max;
        if (x->cell_col_min < ws->dim_colmin)
            ws->dim_colmin = x->cell_col_min;
        if (x->cell_col_max > ws->dim_colmax)
            ws->dim_colmax = x->cell_col_max;
    }
    /* As if libxlsxwriter had written these rows itself: it holds the last one (empty), so
     * it refuses cells above it and still takes ranges that end on it (an autofilter) */
    if (x->any_row)
        ws->optimize_row->row_num = x->row;
    lxw_error e = x->err;
    if (x->write_errno && why && n)
        snprintf(why, n, "sheet '%s': cannot write its rows to a temporary file: %s",
                 ws->name ? ws->name : "?", strerror(x->write_errno));
    free(x->buf);
    free(x);
    return e;
}

/* ---------------------------------------------------------------------------------------- */
/* "%.16G" without printf                                                                     */

/* 10^k for k = 0..19, exact in long double (64-bit significand on x86; 10^19 < 2^64). */
static const long double P10[20] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,
                                    1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
                                    1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L};

/* printf's %.16G prints 16 significant digits, as fixed-point when the decimal exponent X
 * (after rounding) is -4..15, trailing zeros and a bare point removed. Here: zeros and
 * integers below 10^15 exactly, and other values from 1e-4 to 1e15 by scaling to a 16-digit integer in long
 * double. That product is off the exact one by at most 2^-64 of it (under 6e-4 of a unit);
 * only when the exact one could lie within that of a half does the rounding become
 * uncertain, and such values (and everything else) go to snprintf. test_workbook compares
 * this with snprintf on millions of values. */
size_t kith_xrows_g16(double v, char *out)
{
    double a = fabs(v);
    char *o = out;
    if (signbit(v))
        *o++ = '-'; /* printf writes -0 as "-0" too */
    if (a == 0 || (a < 1e15 && a == floor(a))) { /* zeros are a quarter of a sheet's numbers */
        o += utoa((uint64_t)a, o);
        *o = '\0';
        return (size_t)(o - out);
    }
    if (!(a >= 1e-4 && a < 1e15) || LDBL_MANT_DIG < 64)
        goto slow;
    int e = (int)floor(log10(a)); /* the decimal exponent, maybe one off */
    e = e < -4 ? -4 : e > 14 ? 14 : e;
    long double m = 0;
    for (int tries = 0;; tries++) {
        m = (long double)a * P10[15 - e];
        if (m >= 1e16L && e < 14 && tries < 2)
            e++;
        else if (m < 1e15L && e > -4 && tries < 2)
            e--;
        else
            break;
    }
    if (m < 1e15L || m >= 1e16L)
        goto slow;
    long double whole = floorl(m), frac = m - whole;
    if (fabsl(frac - 0.5L) < 1e-3L)
        goto slow;
    uint64_t r = (uint64_t)whole + (frac > 0.5L);
    if (r == 10000000000000000ull) { /* rounded up to the next power of ten */
        r = 1000000000000000ull;
        e++;
    }
    char d[16];
    utoa(r, d);
    int nd = 16;
    while (nd > 0 && d[nd - 1] == '0')
        nd--;
    if (e >= 0) {
        int ip = e + 1;
        memcpy(o, d, (size_t)ip);
        o += ip;
        if (nd > ip) {
            *o++ = '.';
            memcpy(o, d + ip, (size_t)(nd - ip));
            o += nd - ip;
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int z = -e - 1; z > 0; z--)
            *o++ = '0';
        memcpy(o, d, (size_t)nd);
        o += nd;
    }
    *o = '\0';
    return (size_t)(o - out);
slow:
    return (size_t)snprintf(out, 32, "%.16G", v);
}
