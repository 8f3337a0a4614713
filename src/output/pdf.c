/* The printable report network-health-YYYY-MM.pdf: A4 landscape, page one the KPIs and "what
 * to do this month", then one chart per page, drawn by the same renderers as the PNG/SVG. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include "chart_draw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>
#include <dlfcn.h>
#include <pthread.h>
#include <zlib.h>

#define PAGE_W 842.0 /* A4 landscape, points */
#define PAGE_H 595.0
#define M 36.0
#define TODO_N 5

void kith_pdf_file_name(const kith_report *r, char *buf, size_t size)
{
    /* the same base as the workbook: network-health for the monthly report, else its name */
    char base[sizeof r->config.name];
    size_t i = 0;
    for (; r->config.name[i] && i + 1 < sizeof base; i++) {
        char ch = r->config.name[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
        base[i] = ok ? ch : '_';
    }
    base[i] = '\0';
    snprintf(buf, size, "%s-%s.pdf",
             strcmp(base, "monthly") == 0 || !base[0] ? "network-health" : base,
             r->month[0] ? r->month : "unknown");
}

int kith_pdf_page_count(const kith_report *r)
{
    int n = 1;
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        n += r->config.charts[c] ? 1 : 0;
    return n;
}

/* Dates in English whatever the locale, so the PDF reads (and hashes) the same everywhere. */
typedef enum { D_LONG, D_DAY, D_ISO } date_style;
static void fmt_date(int64_t t, date_style style, char *buf, size_t n)
{
    static const char *const mon[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const wd[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    if (t == KITH_NO_TIME) {
        snprintf(buf, n, "\u2013");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(buf, n, "\u2013");
        return;
    }
    switch (style) {
    case D_LONG: /* 31 Oct 2026 23:59 UTC */
        snprintf(buf, n, "%d %s %d %02d:%02d UTC", tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
                 tm.tm_hour, tm.tm_min);
        break;
    case D_DAY: /* Tue 3 Nov */
        snprintf(buf, n, "%s %d %s", wd[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon]);
        break;
    default: /* 2026-10-31T23:59:59Z */
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    }
}

/* What the report is called on its pages: the monthly report is the network health check. */
static const char *report_title(const kith_report *r)
{
    const char *n = r->config.name;
    if (!*n || strcmp(n, "monthly") == 0)
        return "Network health";
    if (strcmp(n, "clusters") == 0)
        return "Network clusters";
    if (strcmp(n, "neglected") == 0)
        return "Neglected ties";
    return n;
}

static bool valid_person(const kith_report *r, int32_t p)
{
    return r->model && p >= 0 && (size_t)p < r->model->n_persons;
}

static void footer(kc_canvas *cv, int page, int pages)
{
    char buf[160];
    snprintf(buf, sizeof buf, "kith \u00b7 %s %s \u00b7 page %d of %d", report_title(cv->r), cv->r->month,
             page, pages);
    kc_style fs = {.size = 9, .colour = KC_GREY};
    kc_text(cv, buf, &fs, PAGE_W - M, PAGE_H - 18, 1, 1);
}

/* Shares shown as percentages, as on the Summary sheet. */
static bool is_pct_kpi(int k)
{
    return k == KITH_KPI_CLUSTER_COVERAGE || k == KITH_KPI_RECIPROCITY ||
           k == KITH_KPI_PROFILE_COMPLETENESS;
}

/* A number with a typographic minus, so the columns read like the change column. */
/* One row's numbers share one precision, taken from the larger of its two values, so the
 * change never shows more digits than the values it is the difference of. */
static int kpi_decimals(const kith_report *r, int k)
{
    if (kith_kpi_defs[k].is_count || is_pct_kpi(k))
        return 0;
    double m = 0;
    if (isfinite(r->kpi[k]))
        m = fmax(m, fabs(r->kpi[k]));
    if (isfinite(r->kpi_prev[k]))
        m = fmax(m, fabs(r->kpi_prev[k]));
    return m >= 100 ? 0 : m >= 10 ? 1 : 2;
}

static void fmt_signed(double v, bool pct, int decimals, bool plus, char *buf, size_t n)
{
    char num[40];
    double a = pct ? fabs(v) * 100 : fabs(v);
    if (decimals == 0)
        kc_fmt_num(round(a), num, sizeof num); /* thousands grouped */
    else
        snprintf(num, sizeof num, "%.*f", decimals, a);
    if (pct)
        strncat(num, "%", sizeof num - strlen(num) - 1);
    /* zero after rounding: no sign, and a change of nothing reads "0" */
    bool zero = strspn(num, "0.%") == strlen(num);
    if (zero && plus)
        snprintf(buf, n, "%s", pct ? "0%" : "0");
    else
        snprintf(buf, n, "%s%s", zero ? "" : v < 0 ? "\u2212" : plus ? "+" : "", num);
}

static void kpi_change(const kith_report *r, int k, char *buf, size_t n)
{
    double a = r->kpi[k], b = r->kpi_prev[k];
    if (!isfinite(a) || !isfinite(b))
        snprintf(buf, n, "\u2013");
    else
        fmt_signed(a - b, is_pct_kpi(k), kpi_decimals(r, k), true, buf, n);
}

static void kpi_value(const kith_report *r, const double *v, int k, char *buf, size_t n)
{
    if (!isfinite(v[k]))
        snprintf(buf, n, "\u2013");
    else
        fmt_signed(v[k], is_pct_kpi(k), kpi_decimals(r, k), false, buf, n);
}

static void kpi_table(kc_canvas *cv, int k0, int k1, double x, double y, double w)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    const double row = 12.6, c_label = w - 3 * 62;
    kc_style hs = {.size = 9, .bold = true, .colour = KC_GREY};
    char m_now[16], m_prev[16];
    kc_month_short(r->month, m_now, sizeof m_now);
    kc_month_short(r->prev_month, m_prev, sizeof m_prev);
    kc_text(cv, "KPI", &hs, x + 4, y, 0, 0);
    kc_text(cv, m_now, &hs, x + c_label + 62, y, 1, 0);
    kc_text(cv, m_prev, &hs, x + c_label + 124, y, 1, 0);
    kc_text(cv, "change", &hs, x + c_label + 186, y, 1, 0);
    y += 14;
    kc_set(cr, KC_INK, 1.0);
    cairo_set_line_width(cr, 0.8);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + w, y);
    cairo_stroke(cr);
    y += 1;
    kc_style ls = {.size = 9.5, .colour = KC_INK, .max_w = c_label - 8};
    kc_style vs = {.size = 9.5, .colour = KC_INK};
    for (int k = k0; k < k1; k++) {
        if ((k - k0) % 2 == 1) {
            kc_set(cr, (kc_rgb){0.96, 0.96, 0.97}, 1.0);
            cairo_rectangle(cr, x, y, w, row);
            cairo_fill(cr);
        }
        char a[48], b[48], c[48];
        kpi_value(r, r->kpi, k, a, sizeof a);
        kpi_value(r, r->kpi_prev, k, b, sizeof b);
        kpi_change(r, k, c, sizeof c);
        double cy = y + row / 2;
        kc_text(cv, kith_kpi_defs[k].label, &ls, x + 4, cy, 0, 0.5);
        vs.bold = true;
        vs.colour = KC_INK;
        kc_text(cv, a, &vs, x + c_label + 62, cy, 1, 0.5);
        vs.bold = false;
        vs.colour = KC_GREY;
        kc_text(cv, b, &vs, x + c_label + 124, cy, 1, 0.5);
        vs.colour = strcmp(c, "0") == 0 || strcmp(c, "0%") == 0 || strcmp(c, "\u2013") == 0 ? KC_GREY : KC_INK;
        kc_text(cv, c, &vs, x + c_label + 186, cy, 1, 0.5);
        y += row;
    }
}

/* One column of the to-do list: a heading, then up to TODO_N entries of a name and a detail. */
typedef struct {
    char name[256];
    char detail[128];
} todo;

static void todo_column(kc_canvas *cv, const char *heading, kc_rgb accent, const todo *items,
                        size_t n, const char *empty, double x, double y, double w)
{
    cairo_t *cr = cv->cr;
    kc_set(cr, accent, 1.0);
    cairo_rectangle(cr, x, y, 4, 16);
    cairo_fill(cr);
    kc_style hs = {.size = 12, .bold = true, .colour = KC_INK, .max_w = w - 12};
    kc_text(cv, heading, &hs, x + 10, y + 8, 0, 0.5);
    y += 24;
    if (n == 0) {
        kc_style es = {.size = 10, .italic = true, .colour = KC_GREY, .max_w = w - 10};
        kc_text(cv, empty, &es, x + 10, y, 0, 0);
        return;
    }
    kc_style ns = {.size = 10.5, .bold = true, .colour = KC_INK, .max_w = w - 28};
    kc_style ds = {.size = 9, .colour = KC_GREY, .max_w = w - 28};
    kc_style is = {.size = 10.5, .colour = KC_GREY};
    for (size_t i = 0; i < n; i++) {
        char idx[24];
        snprintf(idx, sizeof idx, "%zu", i + 1);
        kc_text(cv, idx, &is, x + 10, y, 0, 0);
        kc_box b = kc_text(cv, items[i].name, &ns, x + 26, y, 0, 0);
        kc_text(cv, items[i].detail, &ds, x + 26, b.y1, 0, 0);
        y += 28;
    }
}

static void page_one(kc_canvas *cv, int pages)
{
    const kith_report *r = cv->r;
    cairo_t *cr = cv->cr;
    kc_set(cr, KC_WHITE, 1.0);
    cairo_rectangle(cr, 0, 0, PAGE_W, PAGE_H);
    cairo_fill(cr);

    char mon[32], prev[32], title[96], sub[512], asof[64];
    kc_month_long(r->month, mon, sizeof mon);
    kc_month_long(r->prev_month, prev, sizeof prev);
    fmt_date(r->as_of, D_LONG, asof, sizeof asof);
    snprintf(title, sizeof title, "%s \u00b7 %s", report_title(r), mon);
    const char *owner = r->model && r->model->owner_name ? r->model->owner_name : "";
    snprintf(sub, sizeof sub, "%s%smeasured as of %s, compared with %s", owner,
             *owner ? " \u00b7 " : "", asof, prev);
    kc_style ts = {.size = 22, .bold = true, .colour = KC_INK, .max_w = PAGE_W - 2 * M};
    kc_box tb = kc_text(cv, title, &ts, M, M - 6, 0, 0);
    kc_style ss = {.size = 11, .colour = KC_GREY, .max_w = PAGE_W - 2 * M};
    tb = kc_text(cv, sub, &ss, M, tb.y1 + 2, 0, 0);

    double y = tb.y1 + 14, colw = (PAGE_W - 2 * M - 24) / 2;
    int half = (KITH_KPI__COUNT + 1) / 2;
    kpi_table(cv, 0, half, M, y, colw);
    kpi_table(cv, half, KITH_KPI__COUNT, M + colw + 24, y, colw);
    y += 15 + half * 12.6 + 18;

    kc_style hs = {.size = 14, .bold = true, .colour = KC_INK};
    kc_text(cv, "What to do this month", &hs, M, y, 0, 0);
    y += 24;

    todo items[TODO_N];
    size_t n;
    double w3 = (PAGE_W - 2 * M - 2 * 18) / 3;
    /* reconnect: the top neglected ties by priority */
    n = 0;
    for (size_t i = 0; i < r->n_neglected && n < TODO_N; i++) {
        int32_t p = r->neglected[i];
        if (!valid_person(r, p))
            continue;
        const kith_person_measures *pm = &r->pm[p];
        snprintf(items[n].name, sizeof items[n].name, "%s", kc_person_name(r, p));
        if (isfinite(pm->silent_days)) {
            char days[32];
            kc_fmt_num(round(pm->silent_days), days, sizeof days);
            snprintf(items[n].detail, sizeof items[n].detail, "%s, silent %s days",
                     kith_status_name((kith_status)pm->status), days);
        }
        else
            snprintf(items[n].detail, sizeof items[n].detail, "%s",
                     kith_status_name((kith_status)pm->status));
        n++;
    }
    todo_column(cv, "Reconnect", KC_OI_ORANGE, items, n, "No fading or dormant ties.", M, y, w3);
    /* who you owe */
    n = 0;
    for (size_t i = 0; i < r->n_you_owe && n < TODO_N; i++) {
        int32_t p = r->you_owe[i];
        if (!valid_person(r, p))
            continue;
        char g[32], rc[32];
        kc_fmt_num(r->pm[p].received, rc, sizeof rc);
        kc_fmt_num(r->pm[p].given, g, sizeof g);
        snprintf(items[n].name, sizeof items[n].name, "%s", kc_person_name(r, p));
        snprintf(items[n].detail, sizeof items[n].detail, "gave you %s, you gave %s", rc, g);
        n++;
    }
    todo_column(cv, "Return a favour", KC_OI_VERMILLION, items, n, "You owe no one right now.",
                M + w3 + 18, y, w3);
    /* birthdays */
    n = 0;
    for (size_t i = 0; i < r->n_birthdays && n < TODO_N; i++) {
        int32_t p = r->birthdays[i].person;
        if (!valid_person(r, p))
            continue;
        char day[64];
        fmt_date(r->birthdays[i].next, D_DAY, day, sizeof day);
        snprintf(items[n].name, sizeof items[n].name, "%s", kc_person_name(r, p));
        snprintf(items[n].detail, sizeof items[n].detail, "birthday %s", day);
        n++;
    }
    todo_column(cv, "Birthdays, next 30 days", KC_OI_BLUE, items, n, "No known birthdays soon.",
                M + 2 * (w3 + 18), y, w3);
    footer(cv, 1, pages);
}

kith_err kith_pdf_write(const kith_report *r, const char *path, kith_diag *d)
{
    return kc_write_pdf(r, NULL, path, d);
}

kith_err kc_write_pdf(const kith_report *r, const kc_recip *recip, const char *path,
                      kith_diag *d)
{
    kith_err e = KITH_OK;
    cairo_t *cr = NULL;
    kc_canvas cv = {0};
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    cairo_status_t st = cairo_surface_status(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write PDF: %s",
                          cairo_status_to_string(st));
        goto cleanup;
    }
    /* a fixed creation date (the report's as_of) keeps the file byte-identical run to run */
    char date[64], mon[32], title[96];
    fmt_date(r->as_of == KITH_NO_TIME ? 0 : r->as_of, D_ISO, date, sizeof date);
    kc_month_long(r->month, mon, sizeof mon);
    snprintf(title, sizeof title, "%s, %s", report_title(r), mon);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "kith");

    cr = cairo_create(s);
    if (!kc_canvas_init(&cv, cr, r, PAGE_W, PAGE_H)) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot set up fonts for the PDF");
        goto cleanup;
    }
    cv.recip = recip;
    int pages = kith_pdf_page_count(r), page = 1;
    page_one(&cv, pages);
    cairo_show_page(cr);
    for (int c = 0; c < KITH_CHART__COUNT; c++) {
        if (!r->config.charts[c])
            continue;
        page++;
        kc_set(cr, KC_WHITE, 1.0);
        cairo_paint(cr);
        /* the chart at its logical size, centred on the page */
        cairo_save(cr);
        cairo_translate(cr, (PAGE_W - KITH_CHART_W) / 2, (PAGE_H - KITH_CHART_H) / 2 - 8);
        cv.w = KITH_CHART_W;
        cv.h = KITH_CHART_H;
        kc_draw_chart(&cv, (kith_chart)c);
        cairo_restore(cr);
        cv.w = PAGE_W;
        cv.h = PAGE_H;
        footer(&cv, page, pages);
        cairo_show_page(cr);
    }
    st = cairo_status(cr);
    if (st != CAIRO_STATUS_SUCCESS) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write PDF: %s",
                          cairo_status_to_string(st));
        goto cleanup;
    }
cleanup:
    kc_canvas_destroy(&cv);
    if (cr)
        cairo_destroy(cr);
    cairo_surface_finish(s);
    st = cairo_surface_status(s);
    if (e == KITH_OK && st != CAIRO_STATUS_SUCCESS)
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write PDF: %s",
                          cairo_status_to_string(st));
    cairo_surface_destroy(s);
    return e;
}

/* cairo (1.16) deflates every PDF stream at zlib's default level (6) and has no option for
 * it. kith defines deflateInit_, the zlib entry behind the deflateInit() macro (ELF
 * interposition, as xlsx_zip.c does for minizip; tests/t_interpose.sh checks that cairo
 * binds to it), and asks for level 1 wherever the default is asked for. Within kith only
 * cairo's PDF streams call deflateInit() with the default level. The 3,000-person report's
 * PDF: 0.126 -> 0.099 s of CPU, the file 18% larger. */
static int (*real_deflate_init)(z_streamp, int, const char *, int);
static pthread_once_t deflate_once = PTHREAD_ONCE_INIT;

static void find_deflate_init(void)
{
    *(void **)&real_deflate_init = dlsym(RTLD_NEXT, "deflateInit_");
}

int deflateInit_(z_streamp strm, int level, const char *version, int stream_size)
{
    pthread_once(&deflate_once, find_deflate_init);
    if (!real_deflate_init)
        return Z_VERSION_ERROR;
    return real_deflate_init(strm, level == Z_DEFAULT_COMPRESSION ? 1 : level, version,
                             stream_size);
}
