/* The workbook of spec §4 on libxlsxwriter: formats a kith_report, never recomputes a measure.
 *
 * Rules that hold for every cell: text is written as a string cell, never a formula (through
 * worksheet_write_string, or the table sheets' row writer, which writes the same XML: so a
 * contact named "=HYPERLINK(...)" stays text), after a UTF-8/XML guard; NaN and Inf become
 * blank cells; dates are Excel serial numbers with a yyyy-mm-dd format. Every sheet is written
 * strictly top to bottom, which constant-memory mode requires. */
#define _GNU_SOURCE /* qsort_r */
#include "kith/date.h"
#include "kith/measures.h"
#include "kith/output.h"
#include "kith/trace.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "xlsx_rows.h"
#include "xlsx_zip.h"

#define EXCEL_DATA_ROWS (LXW_ROW_MAX - 1) /* the header takes the first row */
#define TEXT_MAX 32767                    /* Excel's cell text limit */
#define WIDTH_MAX 60.0
#define MAX_COLS 40
#define ZIP64_ROWS 100000 /* persons or ledger rows above which the xlsx is written as ZIP64 */

typedef enum { F_NONE, F_TEXT, F_NUM2, F_NUM1, F_INT, F_PCT, F_DATE, F__COUNT } ftype;

/* A sheet and its continuations ("Contacts", "Contacts (2)", ...), added up front. */
typedef struct {
    lxw_worksheet **ws;
    int n;
} sheet_parts;

/* One writer's state. The sheets, formats and report are shared; buf, err and nomem are
 * the writer's own, so two threads can fill different sheets (kith_workbook_write_opt). */
typedef struct {
    lxw_workbook *wb;
    const kith_report *r;
    const kith_model *m;
    unsigned long max_rows;
    bool cm;
    lxw_error err;
    lxw_format *fmt[F__COUNT];
    lxw_format *hdr, *bold, *title, *chg_int, *chg_num, *chg_pct;
    lxw_format *cf_dormant, *cf_fading, *cf_active;
    sheet_parts *parts; /* [KITH_SHEET__COUNT] */
    const kith_workbook_opts *opts;
    bool second;      /* the second writer (side_sheets) */
    kith_err month_e; /* from opts->month_ready, with month_d */
    kith_diag month_d;
    char *buf;
    size_t cap;
    bool nomem;
    char why[200]; /* what c->err means, when a row writer could say it ("" otherwise) */
} wb_ctx;

static void note(wb_ctx *c, lxw_error e)
{
    if (e != LXW_NO_ERROR && c->err == LXW_NO_ERROR)
        c->err = e;
}

/* note, keeping why (the row writer's words for e, or "") as what the error means */
static void note_why(wb_ctx *c, lxw_error e, const char *why)
{
    if (e != LXW_NO_ERROR && c->err == LXW_NO_ERROR)
        snprintf(c->why, sizeof c->why, "%s", why);
    note(c, e);
}

/* ---------------------------------------------------------------------------------------- */
/* Text guard                                                                                 */

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid; *cp gets the code point. */
static int utf8_seq(const unsigned char *s, unsigned *cp)
{
    unsigned c = s[0];
    int n;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0) {
        n = 2;
        min = 0x80;
        c &= 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        n = 3;
        min = 0x800;
        c &= 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        n = 4;
        min = 0x10000;
        c &= 0x07;
    } else
        return 0;
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

/* XML 1.0 forbids most C0 controls and U+FFFE/U+FFFF. */
static bool xml_ok(unsigned cp)
{
    return (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r') && cp != 0xFFFE && cp != 0xFFFF;
}

/* Returns s itself when it is valid UTF-8, XML-safe and short enough, else a repaired copy
 * (bad bytes -> U+FFFD, forbidden controls dropped, cut at Excel's limit on a character
 * boundary) that lives until the next call. The model already cleans its strings; this is a
 * second guard so nothing malformed can ever reach the file. */
static const char *clean_text(wb_ctx *c, const char *s, size_t *chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, len = 0;
    unsigned cp;
    int k;
    while (p[len] >= 0x20 && p[len] < 0x80) /* printable ASCII: the common case */
        len++;
    n = len;
    for (; p[len]; len += (size_t)k, n++) {
        k = utf8_seq(p + len, &cp);
        if (k == 0 || !xml_ok(cp))
            break;
    }
    if (!p[len] && len <= TEXT_MAX) {
        *chars = n;
        return s;
    }
    size_t full = len + strlen(s + len);
    if (c->cap < full * 3 + 4) {
        char *b = realloc(c->buf, full * 3 + 4);
        if (!b) {
            c->nomem = true;
            *chars = 0;
            return "";
        }
        c->buf = b;
        c->cap = full * 3 + 4;
    }
    size_t o = 0;
    n = 0;
    for (size_t i = 0; p[i];) {
        k = utf8_seq(p + i, &cp);
        const char *add = (const char *)p + i;
        size_t alen = (size_t)k;
        if (k == 0) {
            add = "\xEF\xBF\xBD";
            alen = 3;
            k = 1;
        } else if (!xml_ok(cp)) {
            alen = 0;
        }
        if (o + alen > TEXT_MAX)
            break;
        memcpy(c->buf + o, add, alen);
        o += alen;
        n += alen ? 1 : 0;
        i += (size_t)k;
    }
    c->buf[o] = '\0';
    *chars = n;
    return c->buf;
}

/* Writes text at (row, col) as a string cell; NULL or empty writes nothing. Returns the
 * width in characters, for fitting the column. */
static size_t put_text(wb_ctx *c, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                       lxw_format *f)
{
    if (!s || !*s)
        return 0;
    size_t chars;
    const char *t = clean_text(c, s, &chars);
    if (*t)
        note(c, worksheet_write_string(ws, row, col, t, f));
    return chars;
}

static void put_num(wb_ctx *c, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                    lxw_format *f)
{
    if (isfinite(v))
        note(c, worksheet_write_number(ws, row, col, v, f));
}

/* ---------------------------------------------------------------------------------------- */
/* Dates                                                                                      */

/* Excel's serial day number (1900 system) of a UTC time; NAN before 1900-03-01, where
 * Excel's calendar is off by its 1900 leap-day bug. */
static double excel_serial(int64_t t)
{
    if (t == KITH_NO_TIME)
        return NAN;
    double serial = (double)t / 86400.0 + 25569.0;
    return serial >= 61.0 ? serial : NAN;
}


/* ---------------------------------------------------------------------------------------- */
/* Tables: a header row, data rows, continuation sheets past Excel's row limit               */

typedef struct {
    const char *name;
    ftype type;
} coldef;

typedef struct {
    wb_ctx *c;
    const sheet_parts *parts;
    const coldef *cols;
    int ncols;
    int status_col, balance_col; /* -1: none */
    lxw_worksheet *ws;
    kith_xrows *x;       /* the sheet's row writer (constant-memory mode), or NULL */
    int part;
    lxw_row_t row;       /* the current data row (1-based; 0 = only the header) */
    unsigned long limit; /* data rows per sheet */
    double width[MAX_COLS];
} table;

/* Text at (t->row, col) of the table's sheet, through its row writer when it has one;
 * returns the width in characters, as put_text. */
static size_t table_text(table *t, int col, const char *s, lxw_format *f)
{
    if (!t->x)
        return put_text(t->c, t->ws, t->row, (lxw_col_t)col, s, f);
    if (!s || !*s)
        return 0;
    size_t chars;
    kith_xrows_text(t->x, (lxw_col_t)col, clean_text(t->c, s, &chars), f);
    return chars;
}

static void table_num(table *t, int col, double v, lxw_format *f)
{
    if (t->x)
        kith_xrows_num(t->x, (lxw_col_t)col, v, f);
    else
        put_num(t->c, t->ws, t->row, (lxw_col_t)col, v, f);
}

static void table_start_sheet(table *t)
{
    wb_ctx *c = t->c;
    t->ws = t->part <= t->parts->n ? t->parts->ws[t->part - 1] : NULL;
    t->row = 0;
    if (!t->ws) {
        note(c, t->parts->n ? LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE
                            : LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    /* Long sheets are most of the workbook's time: their rows go through kith's row writer
     * (xlsx_rows.h), the same XML at a fraction of the cost of a cell call each. */
    t->x = c->cm && !c->opts->cell_calls ? kith_xrows_open(t->ws) : NULL;
    kith_xrows_row(t->x, 0);
    for (int i = 0; i < t->ncols; i++) {
        size_t w = table_text(t, i, t->cols[i].name, c->hdr);
        t->width[i] = (double)w + 3; /* room for the autofilter button */
        switch (t->cols[i].type) {
        case F_DATE: t->width[i] = fmax(t->width[i], 11); break;
        case F_NUM2:
        case F_NUM1:
        case F_PCT:
        case F_INT: t->width[i] = fmax(t->width[i], 8); break;
        default: break;
        }
    }
}

static void table_finish_sheet(table *t)
{
    wb_ctx *c = t->c;
    lxw_worksheet *ws = t->ws;
    if (!ws)
        return;
    char why[sizeof c->why] = "";
    lxw_error xe = kith_xrows_close(t->x, why, sizeof why);
    note_why(c, xe, why);
    t->x = NULL;
    lxw_col_t last = (lxw_col_t)(t->ncols - 1);
    worksheet_freeze_panes(ws, 1, 0);
    note(c, worksheet_autofilter(ws, 0, 0, t->row, last));
    for (int i = 0; i < t->ncols; i++)
        note(c, worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, fmin(t->width[i], WIDTH_MAX),
                                     NULL));
    if (t->row == 0)
        return;
    if (t->status_col >= 0) {
        static const char *const words[] = {"dormant", "fading", "active"};
        lxw_format *fmts[] = {c->cf_dormant, c->cf_fading, c->cf_active};
        for (int i = 0; i < 3; i++) {
            lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_TEXT,
                                         .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_BEGINS_WITH,
                                         .value_string = (char *)words[i],
                                         .format = fmts[i]};
            note(c, worksheet_conditional_format_range(ws, 1, (lxw_col_t)t->status_col, t->row,
                                                       (lxw_col_t)t->status_col, &cf));
        }
    }
    if (t->balance_col >= 0) {
        /* -1 (you owe) warm red, 0 white, +1 (you give more) blue. */
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_3_COLOR_SCALE,
                                     .min_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
                                     .min_value = -1,
                                     .min_color = 0xF8696B,
                                     .mid_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
                                     .mid_value = 0,
                                     .mid_color = 0xFFFFFF,
                                     .max_rule_type = LXW_CONDITIONAL_RULE_TYPE_NUMBER,
                                     .max_value = 1,
                                     .max_color = 0x5A8AC6};
        note(c, worksheet_conditional_format_range(ws, 1, (lxw_col_t)t->balance_col, t->row,
                                                   (lxw_col_t)t->balance_col, &cf));
    }
}

static void table_begin(table *t, wb_ctx *c, kith_sheet sheet, const coldef *cols, int ncols)
{
    memset(t, 0, sizeof *t);
    t->c = c;
    t->parts = &c->parts[sheet];
    t->cols = cols;
    t->ncols = ncols < MAX_COLS ? ncols : MAX_COLS;
    t->status_col = t->balance_col = -1;
    t->part = 1;
    t->limit = c->max_rows;
    for (int i = 0; i < t->ncols; i++) {
        if (strcmp(cols[i].name, "Status") == 0)
            t->status_col = i;
        else if (strcmp(cols[i].name, "Balance") == 0)
            t->balance_col = i;
    }
    table_start_sheet(t);
}

/* Starts the next data row, on a new "Base (k)" sheet when this one is full. */
static void table_row(table *t)
{
    if (t->row >= t->limit) {
        table_finish_sheet(t);
        t->part++;
        table_start_sheet(t);
    }
    t->row++;
    kith_xrows_row(t->x, t->row);
}

static void table_end(table *t)
{
    table_finish_sheet(t);
}

static void tb_text(table *t, int col, const char *s)
{
    if (!t->ws)
        return;
    double w = (double)table_text(t, col, s, NULL) + 1;
    if (w > t->width[col])
        t->width[col] = w;
}

/* The characters a number takes in its column's format, so a wide number never shows as
 * "####" (from its magnitude: no formatting per cell). */
static double num_width(ftype type, double v)
{
    if (type == F_PCT)
        v *= 100;
    double a = fabs(v), digits = 1;
    for (double p = 10; a >= p && digits < 309; p *= 10) /* no log10 per cell */
        digits++;
    double extra = type == F_NUM2 ? 3 : type == F_NUM1 ? 2 : type == F_PCT ? 1 : 0;
    return digits + extra + (v < 0) + 2;
}

static void tb_num(table *t, int col, double v)
{
    if (!t->ws || !isfinite(v))
        return;
    ftype type = t->cols[col].type;
    table_num(t, col, v, t->c->fmt[type]);
    if (type != F_DATE) {
        double w = num_width(type, v);
        if (w > t->width[col])
            t->width[col] = w;
    }
}

static void tb_date(table *t, int col, int64_t time)
{
    if (t->ws)
        table_num(t, col, excel_serial(time), t->c->fmt[F_DATE]);
}

/* ---------------------------------------------------------------------------------------- */
/* Helpers on the report                                                                      */

static const char *cluster_name(const kith_report *r, int cluster)
{
    if (cluster < 0 || (size_t)cluster >= r->n_clusters || !r->clusters)
        return NULL;
    return r->clusters[cluster].name;
}

static const char *person_name(const kith_report *r, int32_t p)
{
    if (!r->model || p < 0 || (size_t)p >= r->model->n_persons)
        return "";
    return r->model->persons[p].name ? r->model->persons[p].name : "";
}

static bool is_pct_kpi(int k)
{
    return k == KITH_KPI_CLUSTER_COVERAGE || k == KITH_KPI_RECIPROCITY ||
           k == KITH_KPI_PROFILE_COMPLETENESS;
}

/* ---------------------------------------------------------------------------------------- */
/* Summary                                                                                    */

/* "Ada Quill; Bo Brook (2 -> 1); ... and 12 more": the first ten names of a change list, in a
 * buffer valid until the next call. */
static const char *change_list(wb_ctx *c, const kith_change *list, size_t n, bool layers)
{
    static char buf[1024];
    char item[300];
    size_t o = 0, i = 0;
    buf[0] = '\0';
    for (; i < n && i < 10; i++) {
        const char *name = person_name(c->r, list[i].person);
        if (layers)
            snprintf(item, sizeof item, "%s%s (%d -> %d)", i ? "; " : "", name, list[i].from,
                     list[i].to);
        else
            snprintf(item, sizeof item, "%s%s", i ? "; " : "", name);
        size_t len = strlen(item);
        if (o + len + 32 > sizeof buf) /* keep room for " and N more" */
            break;
        memcpy(buf + o, item, len + 1);
        o += len;
    }
    if (n > i)
        snprintf(buf + o, sizeof buf - o, "%s%zu more", i ? " and " : "", n - i);
    return buf;
}

/* Fills the Summary sheet ws (added first, filled last: it needs the month before). */
static void write_summary(wb_ctx *c, lxw_worksheet *ws)
{
    const kith_report *r = c->r;
    const kith_model *m = c->m;
    if (!ws)
        return;
    static const char *const head[] = {"KPI", "This Month", "Last Month", "Change", "Key"};
    for (int i = 0; i < 5; i++)
        put_text(c, ws, 0, (lxw_col_t)i, head[i], c->hdr);
    lxw_row_t row = 1;
    for (int k = 0; k < KITH_KPI__COUNT; k++, row++) {
        const kith_kpi_def *def = &kith_kpi_defs[k];
        lxw_format *f = def->is_count   ? c->fmt[F_INT]
                        : is_pct_kpi(k) ? c->fmt[F_PCT]
                                        : c->fmt[F_NUM2];
        lxw_format *fc = def->is_count ? c->chg_int : is_pct_kpi(k) ? c->chg_pct : c->chg_num;
        put_text(c, ws, row, 0, def->label, NULL);
        put_num(c, ws, row, 1, r->kpi[k], f);
        put_num(c, ws, row, 2, r->kpi_prev[k], f);
        put_num(c, ws, row, 3, r->kpi[k] - r->kpi_prev[k], fc);
        put_text(c, ws, row, 4, def->key, NULL);
    }

    /* What to do this month: a short list a person can act on today. */
    char line[512], date[32];
    row++;
    put_text(c, ws, row++, 0, "What to do this month", c->title);
    size_t n = r->n_neglected < 5 ? r->n_neglected : 5;
    for (size_t i = 0; i < n; i++, row++) {
        int32_t p = r->neglected[i];
        const kith_person_measures *pm = &r->pm[p];
        const char *company = m->persons[p].company;
        if (isfinite(pm->silent_days))
            snprintf(line, sizeof line, "%s%s%s (%s, silent %.0f days)", person_name(r, p),
                     company ? " — " : "", company ? company : "",
                     kith_status_name((kith_status)pm->status), pm->silent_days);
        else
            snprintf(line, sizeof line, "%s%s%s (%s)", person_name(r, p), company ? " — " : "",
                     company ? company : "", kith_status_name((kith_status)pm->status));
        put_text(c, ws, row, 0, i == 0 ? "Reconnect with" : "", c->bold);
        put_text(c, ws, row, 1, line, NULL);
    }
    if (n == 0)
        put_text(c, ws, row++, 0, "No dormant or fading ties to reconnect", NULL);
    n = r->n_you_owe < 5 ? r->n_you_owe : 5;
    for (size_t i = 0; i < n; i++, row++) {
        int32_t p = r->you_owe[i];
        snprintf(line, sizeof line, "%s (received %.1f, given %.1f)", person_name(r, p),
                 r->pm[p].received, r->pm[p].given);
        put_text(c, ws, row, 0, i == 0 ? "Give back to (you owe)" : "", c->bold);
        put_text(c, ws, row, 1, line, NULL);
    }
    if (r->n_you_owe > n) {
        snprintf(line, sizeof line, "and %zu more (Contacts sheet, Label = you owe)",
                 r->n_you_owe - n);
        put_text(c, ws, row++, 1, line, NULL);
    }
    n = r->n_birthdays < 10 ? r->n_birthdays : 10;
    for (size_t i = 0; i < n; i++, row++) {
        kith_time_format(r->birthdays[i].next, 1, date);
        snprintf(line, sizeof line, "%s on %s", person_name(r, r->birthdays[i].person), date);
        put_text(c, ws, row, 0, i == 0 ? "Birthdays (next 30 days)" : "", c->bold);
        put_text(c, ws, row, 1, line, NULL);
    }
    if (r->n_birthdays > n) {
        snprintf(line, sizeof line, "and %zu more", r->n_birthdays - n);
        put_text(c, ws, row++, 1, line, NULL);
    }

    /* Month over month (spec §3.5): who moved, then the layer counts. */
    row++;
    put_text(c, ws, row++, 0, "Changes since last month", c->title);
    struct {
        const char *label;
        const kith_change *list;
        size_t n;
        bool layers;
    } ch[] = {{"Became dormant", r->became_dormant, r->n_became_dormant, false},
              {"Revived", r->revived, r->n_revived, false},
              {"Layer moves", r->layer_moves, r->n_layer_moves, true}};
    for (size_t k = 0; k < sizeof ch / sizeof *ch; k++, row++) {
        put_text(c, ws, row, 0, ch[k].label, c->bold);
        put_num(c, ws, row, 1, (double)ch[k].n, c->fmt[F_INT]);
        put_text(c, ws, row, 2, change_list(c, ch[k].list, ch[k].n, ch[k].layers), NULL);
    }
    static const char *const lh[] = {"Layer", "This Month", "Last Month", "Change"};
    for (int i = 0; i < 4; i++)
        put_text(c, ws, row, (lxw_col_t)i, lh[i], c->hdr);
    row++;
    static const char *const layer_names[6] = {"No layer (strength 0)", "Layer 1 (top 5)",
                                               "Layer 2 (6-15)",        "Layer 3 (16-50)",
                                               "Layer 4 (51-150)",      "Layer 5 (the rest)"};
    for (int l = 1; l <= 6; l++, row++) {
        int li = l % 6; /* layers 1..5, then "none" */
        put_text(c, ws, row, 0, layer_names[li], NULL);
        put_num(c, ws, row, 1, r->layer_counts[li], c->fmt[F_INT]);
        put_num(c, ws, row, 2, r->layer_counts_prev[li], c->fmt[F_INT]);
        put_num(c, ws, row, 3, r->layer_counts[li] - r->layer_counts_prev[li], c->chg_int);
    }

    /* Where the numbers come from. */
    row++;
    put_text(c, ws, row++, 0, "Report", c->title);
    put_text(c, ws, row, 0, "Report", c->bold);
    put_text(c, ws, row++, 1, r->config.name, NULL);
    put_text(c, ws, row, 0, "Month", c->bold);
    put_text(c, ws, row++, 1, r->month, NULL);
    put_text(c, ws, row, 0, "As of (UTC)", c->bold);
    put_num(c, ws, row++, 1, excel_serial(r->as_of), c->fmt[F_DATE]);
    put_text(c, ws, row, 0, "Compared with", c->bold);
    put_text(c, ws, row++, 1, r->prev_month, NULL);
    put_text(c, ws, row, 0, "Owner", c->bold);
    put_text(c, ws, row++, 1, m->owner_name, NULL);
    if (r->betweenness_sampled) {
        put_text(c, ws, row, 0, "Note", c->bold);
        put_text(c, ws, row++, 1, "Betweenness was estimated from sampled source persons for speed", NULL);
    }
    if (m->n_inputs) {
        row++;
        static const char *const ih[] = {"Input", "Kind", "Rows", "Skipped", "Dropped"};
        for (int i = 0; i < 5; i++)
            put_text(c, ws, row, (lxw_col_t)i, ih[i], c->hdr);
        row++;
        for (size_t i = 0; i < m->n_inputs; i++, row++) {
            const kith_input_stat *in = &m->inputs[i];
            put_text(c, ws, row, 0, in->path, NULL);
            put_text(c, ws, row, 1, in->kind, NULL);
            put_num(c, ws, row, 2, (double)in->rows, c->fmt[F_INT]);
            put_num(c, ws, row, 3, (double)in->skipped, c->fmt[F_INT]);
            put_num(c, ws, row, 4, (double)in->dropped, c->fmt[F_INT]);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    note(c, worksheet_set_column(ws, 0, 0, 34, NULL));
    note(c, worksheet_set_column(ws, 1, 3, 13, NULL));
    note(c, worksheet_set_column(ws, 4, 4, 26, NULL));
}

/* ---------------------------------------------------------------------------------------- */
/* Habits                                                                                     */

static void write_habits(wb_ctx *c)
{
    const kith_report *r = c->r;
    lxw_worksheet *ws = c->parts[KITH_SHEET_HABITS].n ? c->parts[KITH_SHEET_HABITS].ws[0] : NULL;
    if (!ws)
        return;
    static const char *const head[] = {"Month",
                                       "Posts",
                                       "Comments",
                                       "Reactions",
                                       "New Connections",
                                       "Invitations Sent",
                                       "Invitations Received",
                                       "Endorsements Given",
                                       "Endorsements Received",
                                       "Recommendations Given",
                                       "Recommendations Received",
                                       "Out Events"};
    enum { NH = sizeof head / sizeof *head };
    for (int i = 0; i < NH; i++)
        put_text(c, ws, 0, (lxw_col_t)i, head[i], c->hdr);
    double total[NH] = {0};
    for (int mo = 0; mo < 12; mo++) {
        const kith_month *km = &r->months[mo];
        double v[NH] = {0,
                        km->activity[KITH_ACT_SHARE],
                        km->activity[KITH_ACT_COMMENT],
                        km->activity[KITH_ACT_REACTION],
                        km->new_connections,
                        km->invitations_sent,
                        km->invitations_received,
                        km->endorsements_given,
                        km->endorsements_received,
                        km->recommendations_given,
                        km->recommendations_received,
                        km->out_events};
        put_text(c, ws, (lxw_row_t)(1 + mo), 0, km->label, NULL);
        for (int i = 1; i < NH; i++) {
            put_num(c, ws, (lxw_row_t)(1 + mo), (lxw_col_t)i, v[i], c->fmt[F_INT]);
            total[i] += v[i];
        }
    }
    put_text(c, ws, 13, 0, "12 months", c->bold);
    for (int i = 1; i < NH; i++)
        put_num(c, ws, 13, (lxw_col_t)i, total[i], c->fmt[F_INT]);
    put_text(c, ws, 14, 0, "Per month", c->bold);
    for (int i = 1; i < NH; i++)
        put_num(c, ws, 14, (lxw_col_t)i, total[i] / 12.0, c->fmt[F_NUM1]);

    /* Give and take: this month, 12 months, all time (the ledger holds all time up to T). */
    static const char *const gh[] = {"Given vs Received", "This Month", "12 Months", "All Time"};
    for (int i = 0; i < 4; i++)
        put_text(c, ws, 16, (lxw_col_t)i, gh[i], c->hdr);
    struct {
        const char *label;
        int col; /* in head[] */
        kith_kind kind;
        bool given;
    } gv[] = {
        {"Endorsements given", 7, KITH_K_ENDORSEMENT, true},
        {"Endorsements received", 8, KITH_K_ENDORSEMENT, false},
        {"Recommendations given", 9, KITH_K_RECOMMENDATION, true},
        {"Recommendations received", 10, KITH_K_RECOMMENDATION, false},
        {"Invitations sent", 5, KITH_K_INVITATION, true},
        {"Invitations received", 6, KITH_K_INVITATION, false},
    };
    lxw_row_t row = 17;
    for (size_t g = 0; g < sizeof gv / sizeof *gv; g++, row++) {
        const kith_month *km = &r->months[11];
        double month[] = {[5] = km->invitations_sent,      [6] = km->invitations_received,
                          [7] = km->endorsements_given,    [8] = km->endorsements_received,
                          [9] = km->recommendations_given, [10] = km->recommendations_received};
        double all = 0;
        for (size_t i = 0; i < r->n_ledger; i++)
            if (r->ledger[i].kind == gv[g].kind)
                all += gv[g].given ? r->ledger[i].n_given : r->ledger[i].n_received;
        put_text(c, ws, row, 0, gv[g].label, NULL);
        put_num(c, ws, row, 1, month[gv[g].col], c->fmt[F_INT]);
        put_num(c, ws, row, 2, total[gv[g].col], c->fmt[F_INT]);
        put_num(c, ws, row, 3, all, c->fmt[F_INT]);
    }

    row++;
    put_text(c, ws, row, 0, "Profile Checklist", c->hdr);
    put_text(c, ws, row++, 1, "Done", c->hdr);
    const kith_profile_check *pc = &r->profile;
    struct {
        const char *label;
        bool done;
    } items[] = {{"Headline", pc->headline},
                 {"Summary", pc->summary},
                 {"Industry", pc->industry},
                 {"Location", pc->location},
                 {"A current position", pc->current_position},
                 {"5 or more skills", pc->skills5}};
    for (size_t i = 0; i < sizeof items / sizeof *items; i++, row++) {
        put_text(c, ws, row, 0, items[i].label, NULL);
        put_text(c, ws, row, 1, items[i].done ? "yes" : "no", NULL);
    }
    put_text(c, ws, row, 0, "Profile completeness", c->bold);
    put_num(c, ws, row++, 1, r->kpi[KITH_KPI_PROFILE_COMPLETENESS], c->fmt[F_PCT]);
    put_text(c, ws, row, 0, "Birthdays in the next 30 days", c->bold);
    put_num(c, ws, row++, 1, r->kpi[KITH_KPI_BIRTHDAYS_NEXT_30D], c->fmt[F_INT]);

    worksheet_freeze_panes(ws, 1, 0);
    note(c, worksheet_set_column(ws, 0, 0, 28, NULL));
    note(c, worksheet_set_column(ws, 1, NH - 1, 13, NULL));

    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_COLUMN);
    if (!ch) {
        note(c, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    const char *sheet = kith_sheet_name(KITH_SHEET_HABITS);
    for (int i = 1; i <= 3; i++) {
        lxw_chart_series *s = chart_add_series(ch, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sheet, 1, 0, 12, 0);
        chart_series_set_values(s, sheet, 1, (lxw_col_t)i, 12, (lxw_col_t)i);
        chart_series_set_name(s, head[i]);
    }
    chart_title_set_name(ch, "Your activity per month");
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options co = {.x_scale = 1.3, .y_scale = 1.1};
    note(c, worksheet_insert_chart_opt(ws, 0, NH + 1, ch, &co));
}

/* ---------------------------------------------------------------------------------------- */
/* Contacts                                                                                   */

static int by_name(const void *a, const void *b, void *model)
{
    const kith_model *m = model;
    const kith_person *pa = &m->persons[*(const int32_t *)a];
    const kith_person *pb = &m->persons[*(const int32_t *)b];
    int k = strcmp(pa->name_key ? pa->name_key : "", pb->name_key ? pb->name_key : "");
    if (!k)
        k = strcmp(pa->name ? pa->name : "", pb->name ? pb->name : "");
    if (!k)
        k = (*(const int32_t *)a > *(const int32_t *)b) -
            (*(const int32_t *)a < *(const int32_t *)b);
    return k;
}

enum {
    C_NAME,
    C_URL,
    C_EMAIL,
    C_COMPANY,
    C_POSITION,
    C_SOURCES,
    C_CONNECTED,
    C_GIVEN,
    C_RECEIVED,
    C_BALANCE,
    C_LABEL,
    C_LAST,
    C_SILENT,
    C_GAP,
    C_STRENGTH,
    C_PEAK,
    C_STATUS,
    C_RULE,
    C_LAYER,
    C_CLUSTER,
    C_BETWEENNESS,
    C_GIVEN12,
    C_RECEIVED12,
    C_BIRTHDAY,
    C_LABELS,
    C__COUNT
};

static const coldef contacts_cols[C__COUNT] = {
    {"Name", F_TEXT},          {"Profile URL", F_TEXT},  {"Email", F_TEXT},
    {"Company", F_TEXT},       {"Position", F_TEXT},     {"Sources", F_TEXT},
    {"Connected On", F_DATE},  {"Given", F_NUM2},        {"Received", F_NUM2},
    {"Balance", F_NUM2},       {"Label", F_TEXT},        {"Last Contact", F_DATE},
    {"Silent Days", F_INT},    {"Usual Gap", F_NUM1},    {"Strength", F_NUM2},
    {"Peak Strength", F_NUM2}, {"Status", F_TEXT},       {"Rule", F_TEXT},
    {"Layer", F_INT},          {"Cluster", F_TEXT},      {"Betweenness", F_NUM2},
    {"Given 12m", F_NUM2},     {"Received 12m", F_NUM2}, {"Birthday", F_DATE},
    {"Labels", F_TEXT},
};

/* The Contacts rows' order, by name (the model's only): sorted while the month's graph is
 * still being measured. NULL when out of memory or nobody is known. */
static int32_t *contacts_order(const kith_model *m)
{
    int32_t *order = m->n_persons ? malloc(m->n_persons * sizeof *order) : NULL;
    if (!order)
        return NULL;
    for (size_t i = 0; i < m->n_persons; i++)
        order[i] = (int32_t)i;
    qsort_r(order, m->n_persons, sizeof *order, by_name, (void *)m);
    return order;
}

static void write_contacts(wb_ctx *c, const int32_t *order)
{
    const kith_report *r = c->r;
    const kith_model *m = c->m;
    if (m->n_persons && !order) {
        c->nomem = true;
        return;
    }
    table t;
    char rule[128];
    table_begin(&t, c, KITH_SHEET_CONTACTS, contacts_cols, C__COUNT);
    for (size_t i = 0; i < m->n_persons; i++) {
        int32_t p = order[i];
        const kith_person *ps = &m->persons[p];
        const kith_person_measures *pm = &r->pm[p];
        table_row(&t);
        tb_text(&t, C_NAME, ps->name);
        tb_text(&t, C_URL, ps->url);
        tb_text(&t, C_EMAIL, ps->emails ? ps->emails : ps->email);
        tb_text(&t, C_COMPANY, ps->company);
        tb_text(&t, C_POSITION, ps->position);
        tb_text(&t, C_SOURCES, ps->sources);
        tb_date(&t, C_CONNECTED, ps->connected_on);
        tb_num(&t, C_GIVEN, pm->given);
        tb_num(&t, C_RECEIVED, pm->received);
        tb_num(&t, C_BALANCE, pm->balance);
        tb_text(&t, C_LABEL, kith_label_name((kith_label)pm->label));
        tb_date(&t, C_LAST, pm->last_contact);
        tb_num(&t, C_SILENT, pm->silent_days);
        tb_num(&t, C_GAP, pm->usual_gap);
        tb_num(&t, C_STRENGTH, pm->strength);
        tb_num(&t, C_PEAK, pm->peak_strength);
        tb_text(&t, C_STATUS, kith_status_name((kith_status)pm->status));
        tb_text(&t, C_RULE, kith_measures_rule(pm, ps, &r->config, r->as_of, rule, sizeof rule));
        if (pm->layer > 0)
            tb_num(&t, C_LAYER, pm->layer);
        tb_text(&t, C_CLUSTER, cluster_name(r, pm->cluster));
        tb_num(&t, C_BETWEENNESS, pm->betweenness);
        tb_num(&t, C_GIVEN12, pm->given_12m);
        tb_num(&t, C_RECEIVED12, pm->received_12m);
        if (ps->bday_month >= 1 && ps->bday_month <= 12 && ps->bday_day >= 1 &&
            ps->bday_day <= 31) {
            if (ps->bday_year > 0) {
                tb_num(&t, C_BIRTHDAY,
                       (double)kith_days_from_civil(ps->bday_year, ps->bday_month,
                                               (unsigned)ps->bday_day) +
                           25569.0);
            } else {
                /* No year: ISO 8601's "--MM-DD", as text. */
                char md[16];
                snprintf(md, sizeof md, "--%02d-%02d", ps->bday_month, ps->bday_day);
                tb_text(&t, C_BIRTHDAY, md);
            }
        }
        tb_text(&t, C_LABELS, ps->labels);
    }
    table_end(&t);
}

/* ---------------------------------------------------------------------------------------- */
/* Neglected, Reciprocity, Clusters                                                          */

static void write_neglected(wb_ctx *c)
{
    const kith_report *r = c->r;
    const kith_model *m = c->m;
    enum {
        N_NAME,
        N_PRIO,
        N_ENG,
        N_MUT,
        N_NOV,
        N_STATUS,
        N_RULE,
        N_SILENT,
        N_LAST,
        N_COMPANY,
        N_CLUSTER,
        N_BALANCE,
        N_EMAIL,
        N_URL,
        N__COUNT
    };
    static const coldef cols[N__COUNT] = {
        {"Name", F_TEXT},      {"Priority", F_NUM2},    {"Engagement", F_NUM2},
        {"Mutuality", F_NUM2}, {"Novelty", F_NUM2},     {"Status", F_TEXT},
        {"Rule", F_TEXT},      {"Silent Days", F_INT},  {"Last Contact", F_DATE},
        {"Company", F_TEXT},   {"Cluster", F_TEXT},     {"Balance", F_NUM2},
        {"Email", F_TEXT},     {"Profile URL", F_TEXT},
    };
    table t;
    char rule[128];
    table_begin(&t, c, KITH_SHEET_NEGLECTED, cols, N__COUNT);
    for (size_t i = 0; i < r->n_neglected; i++) {
        int32_t p = r->neglected[i];
        const kith_person *ps = &m->persons[p];
        const kith_person_measures *pm = &r->pm[p];
        table_row(&t);
        tb_text(&t, N_NAME, ps->name);
        tb_num(&t, N_PRIO, pm->priority);
        tb_num(&t, N_ENG, pm->engagement);
        tb_num(&t, N_MUT, pm->mutuality);
        tb_num(&t, N_NOV, pm->novelty);
        tb_text(&t, N_STATUS, kith_status_name((kith_status)pm->status));
        tb_text(&t, N_RULE, kith_measures_rule(pm, ps, &r->config, r->as_of, rule, sizeof rule));
        tb_num(&t, N_SILENT, pm->silent_days);
        tb_date(&t, N_LAST, pm->last_contact);
        tb_text(&t, N_COMPANY, ps->company);
        tb_text(&t, N_CLUSTER, cluster_name(r, pm->cluster));
        tb_num(&t, N_BALANCE, pm->balance);
        tb_text(&t, N_EMAIL, ps->email);
        tb_text(&t, N_URL, ps->url);
    }
    table_end(&t);
}

static void write_reciprocity(wb_ctx *c)
{
    const kith_report *r = c->r;
    static const coldef cols[] = {
        {"Name", F_TEXT},     {"Kind", F_TEXT},       {"Given", F_NUM2},
        {"Received", F_NUM2}, {"Count Given", F_INT}, {"Count Received", F_INT},
    };
    table t;
    table_begin(&t, c, KITH_SHEET_RECIPROCITY, cols, 6);
    for (size_t i = 0; i < r->n_ledger; i++) {
        const kith_ledger_row *l = &r->ledger[i];
        table_row(&t);
        tb_text(&t, 0, person_name(r, l->person));
        tb_text(&t, 1, kith_kind_name((kith_kind)l->kind));
        tb_num(&t, 2, l->given);
        tb_num(&t, 3, l->received);
        tb_num(&t, 4, l->n_given);
        tb_num(&t, 5, l->n_received);
    }
    table_end(&t);
}

static void write_clusters(wb_ctx *c)
{
    const kith_report *r = c->r;
    static const coldef cols[] = {
        {"Id", F_INT},          {"Name", F_TEXT},          {"Size", F_INT},
        {"Active Ties", F_INT}, {"Top Employers", F_TEXT}, {"Top Members", F_TEXT},
    };
    table t;
    table_begin(&t, c, KITH_SHEET_CLUSTERS, cols, 6);
    for (size_t i = 0; i < r->n_clusters; i++) {
        const kith_cluster *k = &r->clusters[i];
        table_row(&t);
        tb_num(&t, 0, k->id);
        tb_text(&t, 1, k->name);
        tb_num(&t, 2, k->size);
        tb_num(&t, 3, k->active);
        tb_text(&t, 4, k->top_employers);
        tb_text(&t, 5, k->top_members);
    }
    table_end(&t);
}

/* ---------------------------------------------------------------------------------------- */
/* Monthly                                                                                    */

static void write_monthly(wb_ctx *c)
{
    const kith_report *r = c->r;
    /* Month, totals, events, the six statuses, then given and received by kind. */
    enum {
        M_FIXED = 5,
        M_STATUS = M_FIXED,
        M_KINDS = M_STATUS + KITH_ST__COUNT,
        M__COUNT = M_KINDS + 2 * KITH_K__COUNT
    };
    coldef cols[M__COUNT];
    char names[M__COUNT][40];
    static const char *const fixed[M_FIXED] = {"Month", "Given", "Received", "Out Events",
                                               "In Events"};
    /* Status order as a reader expects it on a timeline, not rule order. */
    static const kith_status st_order[KITH_ST__COUNT] = {
        KITH_ST_NEW, KITH_ST_ACTIVE, KITH_ST_FADING, KITH_ST_DORMANT, KITH_ST_COLD, KITH_ST_LATENT};
    for (int i = 0; i < M__COUNT; i++) {
        if (i < M_FIXED) {
            snprintf(names[i], sizeof names[i], "%s", fixed[i]);
            cols[i].type = i == 0 ? F_TEXT : (i <= 2 ? F_NUM2 : F_INT);
        } else if (i < M_KINDS) {
            const char *s = kith_status_name(st_order[i - M_STATUS]);
            snprintf(names[i], sizeof names[i], "%c%s", s[0] - 'a' + 'A', s + 1);
            cols[i].type = F_INT;
        } else {
            int k = (i - M_KINDS) % KITH_K__COUNT;
            snprintf(names[i], sizeof names[i], "%s %s",
                     i - M_KINDS < KITH_K__COUNT ? "Given" : "Received",
                     kith_kind_name((kith_kind)k));
            cols[i].type = F_NUM2;
        }
        cols[i].name = names[i];
    }
    table t;
    table_begin(&t, c, KITH_SHEET_MONTHLY, cols, M__COUNT);
    t.limit = EXCEL_DATA_ROWS; /* always 12 rows; the charts point at them */
    for (int mo = 0; mo < 12; mo++) {
        const kith_month *km = &r->months[mo];
        double given = 0, received = 0;
        for (int k = 0; k < KITH_K__COUNT; k++) {
            given += km->given[k];
            received += km->received[k];
        }
        table_row(&t);
        tb_text(&t, 0, km->label);
        tb_num(&t, 1, given);
        tb_num(&t, 2, received);
        tb_num(&t, 3, km->out_events);
        tb_num(&t, 4, km->in_events);
        for (int s = 0; s < KITH_ST__COUNT; s++)
            tb_num(&t, M_STATUS + s, km->status[st_order[s]]);
        for (int k = 0; k < KITH_K__COUNT; k++) /* cells left to right: the row writer's order */
            tb_num(&t, M_KINDS + k, km->given[k]);
        for (int k = 0; k < KITH_K__COUNT; k++)
            tb_num(&t, M_KINDS + KITH_K__COUNT + k, km->received[k]);
    }
    table_end(&t);
    if (!t.ws)
        return;

    const char *sheet = kith_sheet_name(KITH_SHEET_MONTHLY);
    lxw_chart *gr = workbook_add_chart(c->wb, LXW_CHART_COLUMN_STACKED);
    lxw_chart *st = workbook_add_chart(c->wb, LXW_CHART_LINE);
    if (!gr || !st) {
        note(c, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (int i = 1; i <= 2; i++) {
        lxw_chart_series *s = chart_add_series(gr, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sheet, 1, 0, 12, 0);
        chart_series_set_values(s, sheet, 1, (lxw_col_t)i, 12, (lxw_col_t)i);
        chart_series_set_name(s, fixed[i]);
    }
    chart_title_set_name(gr, "Given vs received (weight)");
    chart_legend_set_position(gr, LXW_CHART_LEGEND_BOTTOM);
    for (int i = M_STATUS; i < M_KINDS; i++) {
        lxw_chart_series *s = chart_add_series(st, NULL, NULL);
        if (!s)
            continue;
        chart_series_set_categories(s, sheet, 1, 0, 12, 0);
        chart_series_set_values(s, sheet, 1, (lxw_col_t)i, 12, (lxw_col_t)i);
        chart_series_set_name(s, names[i]);
    }
    chart_title_set_name(st, "Tie status");
    chart_legend_set_position(st, LXW_CHART_LEGEND_BOTTOM);
    lxw_chart_options co = {.x_scale = 1.2, .y_scale = 1.1};
    note(c, worksheet_insert_chart_opt(t.ws, 15, 0, gr, &co));
    note(c, worksheet_insert_chart_opt(t.ws, 15, 7, st, &co));
}

/* ---------------------------------------------------------------------------------------- */
/* Charts                                                                                     */

/* The pixel height of a PNG (from its IHDR), or 0 when the file is not a PNG. */
static unsigned png_height(const char *path)
{
    unsigned char h[24];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n != sizeof h || memcmp(h, "\x89PNG\r\n\x1a\n", 8) != 0)
        return 0;
    return (unsigned)h[20] << 24 | (unsigned)h[21] << 16 | (unsigned)h[22] << 8 | h[23];
}

/* "out/.activity.png.Ab12Cd" -> "Activity: given vs received": a title from the chart's
 * (temporary) path. */
static void chart_title(const char *path, char *buf, size_t size)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    if (*b == '.')
        b++;
    snprintf(buf, size, "%s", b);
    char *png = strstr(buf, ".png");
    if (png)
        *png = '\0';
    static const char *const titles[][2] = {
        {"cluster-map", "Cluster map"},
        {"activity", "Activity: given vs received"},
        {"tie-status", "Tie status"},
        {"reciprocity", "Reciprocity: given vs received per person"},
        {"layers", "Layers: persons per layer"},
    };
    for (size_t i = 0; i < sizeof titles / sizeof *titles; i++)
        if (strcmp(buf, titles[i][0]) == 0) {
            snprintf(buf, size, "%s", titles[i][1]);
            break;
        }
}

static kith_err write_charts(wb_ctx *c, const char *const *pngs, kith_diag *d)
{
    lxw_worksheet *ws = workbook_add_worksheet(c->wb, kith_sheet_name(KITH_SHEET_CHARTS));
    if (!ws) {
        note(c, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return KITH_OK;
    }
    lxw_row_t row = 0;
    for (size_t i = 0; pngs[i]; i++) {
        unsigned h = png_height(pngs[i]);
        if (!h)
            return kith_diag_set(d, KITH_ERR_OUTPUT, pngs[i], 0, "not a PNG image");
        char title[128];
        chart_title(pngs[i], title, sizeof title);
        put_text(c, ws, row, 0, title, c->title);
        /* Charts are drawn at 2x for sharp screens: show them at half size. */
        lxw_image_options io = {.x_scale = 0.5, .y_scale = 0.5, .description = title};
        note(c, worksheet_insert_image_opt(ws, row + 1, 0, pngs[i], &io));
        row += 1 + (lxw_row_t)((h / 2 + 19) / 20) + 2; /* default rows are 20 px high */
    }
    return KITH_OK;
}

/* ---------------------------------------------------------------------------------------- */

static lxw_format *new_format(wb_ctx *c, const char *num_format)
{
    lxw_format *f = workbook_add_format(c->wb);
    if (!f) {
        c->nomem = true;
        return NULL;
    }
    if (num_format)
        format_set_num_format(f, num_format);
    return f;
}

static void make_formats(wb_ctx *c)
{
    c->fmt[F_NUM2] = new_format(c, "0.00");
    c->fmt[F_NUM1] = new_format(c, "0.0");
    c->fmt[F_INT] = new_format(c, "0");
    c->fmt[F_PCT] = new_format(c, "0%");
    c->fmt[F_DATE] = new_format(c, "yyyy-mm-dd");
    c->chg_int = new_format(c, "+0;-0;0");
    c->chg_num = new_format(c, "+0.00;-0.00;0.00");
    c->chg_pct = new_format(c, "+0%;-0%;0%");
    if ((c->hdr = new_format(c, NULL))) {
        format_set_bold(c->hdr);
        format_set_bg_color(c->hdr, 0xDCE6F1);
        format_set_bottom(c->hdr, LXW_BORDER_THIN);
    }
    if ((c->bold = new_format(c, NULL)))
        format_set_bold(c->bold);
    if ((c->title = new_format(c, NULL))) {
        format_set_bold(c->title);
        format_set_font_size(c->title, 13);
    }
    if ((c->cf_dormant = new_format(c, NULL))) {
        format_set_bg_color(c->cf_dormant, 0xFFC7CE);
        format_set_font_color(c->cf_dormant, 0x9C0006);
    }
    if ((c->cf_fading = new_format(c, NULL))) {
        format_set_bg_color(c->cf_fading, 0xFFEB9C);
        format_set_font_color(c->cf_fading, 0x9C5700);
    }
    if ((c->cf_active = new_format(c, NULL))) {
        format_set_bg_color(c->cf_active, 0xC6EFCE);
        format_set_font_color(c->cf_active, 0x006100);
    }
}

/* Gives every format its index in the workbook now, in a fixed order: libxlsxwriter assigns
 * an index on a format's first use, in a table shared by the whole workbook, so after this
 * the sheets' writers only read the formats and two threads may write cells at once. */
static void resolve_formats(wb_ctx *c)
{
    lxw_format *xf[] = {c->fmt[F_NUM2], c->fmt[F_NUM1], c->fmt[F_INT], c->fmt[F_PCT],
                        c->fmt[F_DATE], c->chg_int, c->chg_num, c->chg_pct, c->hdr, c->bold,
                        c->title};
    lxw_format *dxf[] = {c->cf_dormant, c->cf_fading, c->cf_active};
    for (size_t i = 0; i < sizeof xf / sizeof *xf; i++)
        if (xf[i])
            lxw_format_get_xf_index(xf[i]);
    for (size_t i = 0; i < sizeof dxf / sizeof *dxf; i++)
        if (dxf[i])
            lxw_format_get_dxf_index(dxf[i]);
}

/* Data rows of a table sheet, which decide its continuation sheets (0: a single sheet). */
static size_t table_rows(const wb_ctx *c, kith_sheet s)
{
    switch (s) {
    case KITH_SHEET_CONTACTS: return c->m->n_persons;
    case KITH_SHEET_NEGLECTED: return c->r->n_neglected;
    case KITH_SHEET_RECIPROCITY: return c->r->n_ledger;
    case KITH_SHEET_CLUSTERS: return c->r->n_clusters;
    default: return 0; /* Summary, Habits; Monthly's 12 rows always fit one sheet */
    }
}

/* Adds the enabled sheets from..to-1 with their continuations, in reading order. Sheets
 * appear in the order they are added, and constant-memory mode lets each be filled at any
 * time (each streams to its own temporary file): the Summary last, two at once. */
static void add_sheets(wb_ctx *c, kith_sheet from, kith_sheet to)
{
    for (int s = from; s < (int)to; s++) {
        sheet_parts *sp = &c->parts[s];
        if (!c->r->config.sheets[s])
            continue;
        size_t rows = table_rows(c, (kith_sheet)s);
        size_t n = rows ? (rows + c->max_rows - 1) / c->max_rows : 1;
        if (!(sp->ws = calloc(n, sizeof *sp->ws))) {
            c->nomem = true;
            return;
        }
        for (size_t k = 0; k < n; k++) {
            char name[32];
            if (k == 0)
                snprintf(name, sizeof name, "%s", kith_sheet_name((kith_sheet)s));
            else
                snprintf(name, sizeof name, "%s (%zu)", kith_sheet_name((kith_sheet)s), k + 1);
            if (!(sp->ws[k] = workbook_add_worksheet(c->wb, name))) {
                note(c, LXW_ERROR_MEMORY_MALLOC_FAILED);
                return;
            }
            sp->n++;
        }
    }
}

/* Waits until the report month's graph is measured (opts->month_ready); false to stop. */
static bool month_measured(wb_ctx *c)
{
    if (c->opts->month_ready && !c->month_e) {
        kith_span t = kith_trace_start();
        c->month_e = c->opts->month_ready(c->opts->report_ctx, &c->month_d);
        kith_trace_stop(t, c->second ? "workbook: second writer waits"
                                     : "workbook: wait for the report month");
    }
    return !c->month_e;
}

/* The second writer: Reciprocity (the ledger is final before the graph is measured), then
 * Neglected while the first writer does Contacts. */
static void *side_sheets(void *p)
{
    wb_ctx *c = p;
    kith_span t = kith_trace_start();
    if (c->r->config.sheets[KITH_SHEET_RECIPROCITY])
        write_reciprocity(c);
    kith_trace_stop(t, "workbook: reciprocity");
    if (!month_measured(c))
        return NULL;
    t = kith_trace_start();
    if (c->r->config.sheets[KITH_SHEET_NEGLECTED])
        write_neglected(c);
    kith_trace_stop(t, "workbook: neglected");
    return NULL;
}

bool kith_workbook_wanted(const kith_report *r, bool has_charts)
{
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        if (r->config.sheets[s] && (s != KITH_SHEET_CHARTS || has_charts))
            return true;
    return false;
}

void kith_workbook_name(const kith_report *r, char *buf, size_t size)
{
    char base[sizeof r->config.name];
    size_t i = 0;
    for (; r->config.name[i] && i + 1 < sizeof base; i++) {
        char ch = r->config.name[i];
        /* The name becomes part of a file name: keep it to a safe alphabet. */
        base[i] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                          (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'
                      ? ch
                      : '_';
    }
    base[i] = '\0';
    snprintf(buf, size, "%s-%s.xlsx",
             strcmp(base, "monthly") == 0 || !base[0] ? "network-health" : base, r->month);
}

kith_err kith_workbook_write_opt(const kith_report *r, const char *path,
                                 const char *const *chart_pngs, const kith_workbook_opts *opts,
                                 kith_diag *d)
{
    static const kith_workbook_opts defaults = {0};
    if (!opts)
        opts = &defaults;
    if (!r || !r->model)
        return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "no report to write");
    sheet_parts parts[KITH_SHEET__COUNT] = {{0}};
    wb_ctx c = {.r = r, .m = r->model, .parts = parts, .opts = opts};
    kith_err e = KITH_OK;
    bool has_charts = chart_pngs && chart_pngs[0];
    /* Constant memory at every size: libxlsxwriter's in-memory mode keeps each cell in a tree
     * and writes all the XML in workbook_close, after the charts; streaming rows is also less
     * CPU (no shared-string table). 30 k persons: 3.0 -> 2.5 s; 3 k: 0.70 -> 0.61 s. */
    c.cm = opts->constant_memory >= 0;
    /* ZIP64 only for large reports (a part could near 4 GB); small files stay plain zip. */
    size_t big = r->model->n_persons > r->n_ledger ? r->model->n_persons : r->n_ledger;
    bool zip64 = c.cm && big > ZIP64_ROWS;
    c.max_rows =
        opts->max_rows && opts->max_rows < EXCEL_DATA_ROWS ? opts->max_rows : EXCEL_DATA_ROWS;
    /* Constant-memory mode keeps one row per sheet in memory and spills the rest to
     * temporary files; they go beside the output so contact data stays in that folder. */
    char *tmpdir = NULL;
    const char *slash = strrchr(path, '/');
    if (slash && (tmpdir = strdup(path)))
        tmpdir[slash - path] = '\0';
    lxw_workbook_options wo = {.constant_memory = c.cm, .tmpdir = tmpdir, .use_zip64 = zip64};
    c.wb = workbook_new_opt(path, &wo);
    if (!c.wb) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot start the workbook");
        goto cleanup;
    }
    /* The file's creation stamp is the report's moment, not the clock, so the same inputs
     * give the same bytes (docProps/core.xml would otherwise differ on every run). */
    lxw_doc_properties props = {.created = (time_t)r->as_of};
    workbook_set_properties(c.wb, &props);
    make_formats(&c);
    resolve_formats(&c);
    /* Up to Reciprocity the row counts are known before the month's graph is measured;
     * Clusters and Monthly are added once it is. */
    add_sheets(&c, KITH_SHEET_SUMMARY, KITH_SHEET_CLUSTERS);
    if (c.nomem || c.err)
        goto close;
    /* In constant-memory mode a second thread writes Reciprocity while kith report measures
     * the month's graph, then Neglected beside Contacts (1 M persons: 6 of the workbook's
     * 38 s). The in-memory mode shares one string table among the sheets: one writer. */
    wb_ctx side = c;
    side.buf = NULL;
    side.cap = 0;
    side.second = true;
    pthread_t side_th;
    bool two = c.cm && pthread_create(&side_th, NULL, side_sheets, &side) == 0;
    kith_span t = kith_trace_start();
    int32_t *order = r->config.sheets[KITH_SHEET_CONTACTS] ? contacts_order(c.m) : NULL;
    kith_trace_stop(t, "workbook: contacts order");
    if (month_measured(&c)) {
        add_sheets(&c, KITH_SHEET_CLUSTERS, KITH_SHEET_CHARTS);
        t = kith_trace_start();
        if (r->config.sheets[KITH_SHEET_HABITS])
            write_habits(&c);
        kith_trace_stop(t, "workbook: habits");
        t = kith_trace_start();
        if (r->config.sheets[KITH_SHEET_CONTACTS])
            write_contacts(&c, order);
        kith_trace_stop(t, "workbook: contacts");
        if (!two)
            side_sheets(&c);
        t = kith_trace_start();
        if (r->config.sheets[KITH_SHEET_CLUSTERS])
            write_clusters(&c);
        if (r->config.sheets[KITH_SHEET_MONTHLY])
            write_monthly(&c);
        kith_trace_stop(t, "workbook: clusters, monthly");
    }
    free(order);
    if (two) {
        t = kith_trace_start();
        pthread_join(side_th, NULL);
        note_why(&c, side.err, side.why);
        c.nomem |= side.nomem;
        free(side.buf);
        kith_trace_stop(t, "workbook: wait for the second writer");
    }
    if (c.month_e) {
        e = c.month_e;
        if (d)
            *d = c.month_d;
        goto close;
    }
    if (opts->report_ready) {
        t = kith_trace_start();
        if ((e = opts->report_ready(opts->report_ctx, d)))
            goto close;
        kith_trace_stop(t, "workbook: wait for the month before");
    }
    if (r->pending) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "the report is not finished");
        goto close;
    }
    write_summary(&c, c.parts[KITH_SHEET_SUMMARY].n ? c.parts[KITH_SHEET_SUMMARY].ws[0] : NULL);
    if (opts->charts_ready) {
        t = kith_trace_start();
        chart_pngs = NULL;
        if ((e = opts->charts_ready(opts->charts_ctx, &chart_pngs, d)))
            goto close;
        has_charts = chart_pngs && chart_pngs[0];
        kith_trace_stop(t, "workbook: wait for charts");
    }
    if (r->config.sheets[KITH_SHEET_CHARTS] && has_charts)
        e = write_charts(&c, chart_pngs, d);
    if (!kith_workbook_wanted(r, has_charts)) {
        /* A workbook needs a sheet; say why it is empty rather than leave "Sheet1". */
        lxw_worksheet *ws = workbook_add_worksheet(c.wb, "Report");
        if (ws)
            put_text(&c, ws, 0, 0, "This report definition enables no sheet", NULL);
    }

close:;
    t = kith_trace_start();
    lxw_error le = workbook_close(c.wb); /* frees the workbook, even after an error */
    const char *cut = kith_xlsx_zip_take_problem();
    kith_trace_stop(t, "workbook: close (zip)");
    if (e)
        goto cleanup;
    if (c.nomem)
        e = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory writing the workbook");
    else if (c.err != LXW_NO_ERROR)
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write the workbook: %s",
                          c.why[0] ? c.why : lxw_strerror(c.err));
    else if (le != LXW_NO_ERROR)
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write the workbook: %s",
                          cut ? cut : lxw_strerror(le));

cleanup:
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        free(parts[s].ws);
    free(c.buf);
    free(tmpdir);
    return e;
}

kith_err kith_workbook_write(const kith_report *r, const char *path, const char *const *chart_pngs,
                             kith_diag *d)
{
    return kith_workbook_write_opt(r, path, chart_pngs, NULL, d);
}
