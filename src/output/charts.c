/* Shared chart helpers (palette, pangocairo text, frames, ticks, legends) and the PNG / SVG
 * writers. The renderers themselves live in chart_*.c. */
#include "chart_draw.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <png.h>
#include <zlib.h>

#include "kith/output.h"
#include "kith/trace.h"

#define KC_FONT "DejaVu Sans"

static kc_rgb hex(unsigned v)
{
    return (kc_rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}
#define HEX(v) {((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0}

/* Paul Tol, "muted": rose, indigo, sand, green, cyan, wine, teal, olive, purple. Reordered so
 * the first clusters (the largest) get the most distinct hues. */
const kc_rgb kc_cluster_colours[KC_N_CLUSTER_COLOURS] = {
    HEX(0x332288), HEX(0xCC6677), HEX(0x117733), HEX(0xDDCC77), HEX(0x88CCEE),
    HEX(0x882255), HEX(0x44AA99), HEX(0x999933), HEX(0xAA4499)};

const kc_rgb KC_BLACK = HEX(0x000000), KC_INK = HEX(0x222222), KC_GREY = HEX(0x666666),
             KC_LIGHT = HEX(0xBBBBBB), KC_FAINT = HEX(0xE6E6E6), KC_WHITE = HEX(0xFFFFFF);
const kc_rgb KC_OI_ORANGE = HEX(0xE69F00), KC_OI_SKY = HEX(0x56B4E9), KC_OI_GREEN = HEX(0x009E73),
             KC_OI_YELLOW = HEX(0xF0E442), KC_OI_BLUE = HEX(0x0072B2),
             KC_OI_VERMILLION = HEX(0xD55E00), KC_OI_PURPLE = HEX(0xCC79A7);

bool kc_canvas_init(kc_canvas *cv, cairo_t *cr, const kith_report *r, double w, double h)
{
    memset(cv, 0, sizeof *cv);
    cv->cr = cr;
    cv->r = r;
    cv->w = w;
    cv->h = h;
    cv->pc = pango_cairo_create_context(cr);
    if (!cv->pc)
        return false;
    /* Unhinted, unrounded metrics: the same text has the same width on every surface, so the
     * PNG, the SVG and the PDF place labels identically. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(cv->pc, fo);
    cairo_font_options_destroy(fo);
    pango_cairo_context_set_resolution(cv->pc, 72.0);
    pango_context_set_round_glyph_positions(cv->pc, FALSE);
    return true;
}

void kc_canvas_destroy(kc_canvas *cv)
{
    if (cv && cv->pc)
        g_object_unref(cv->pc);
    if (cv)
        cv->pc = NULL;
}

void kc_set(cairo_t *cr, kc_rgb c, double alpha)
{
    if (alpha >= 1.0)
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
    else
        cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

const char *kc_person_name(const kith_report *r, int32_t i)
{
    if (!r || !r->model || i < 0 || (size_t)i >= r->model->n_persons)
        return "";
    const char *s = r->model->persons[i].name;
    return s && *s ? s : "(no name)";
}

/* ---------------------------------------------------------------------------------------- */
/* Text                                                                                     */

static PangoLayout *make_layout(kc_canvas *cv, const char *s, const kc_style *st)
{
    pango_cairo_update_context(cv->cr, cv->pc);
    PangoLayout *l = pango_layout_new(cv->pc);
    PangoFontDescription *fd = pango_font_description_from_string(KC_FONT);
    pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
    pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    if (st->max_w > 0) {
        pango_layout_set_width(l, (int)(st->max_w * PANGO_SCALE));
        if (st->wrap)
            pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        else
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    }
    pango_layout_set_single_paragraph_mode(l, TRUE);
    pango_layout_set_text(l, s ? s : "", -1);
    return l;
}

static void layout_extent(PangoLayout *l, double *x, double *w, double *h)
{
    PangoRectangle ink, logical;
    pango_layout_get_extents(l, &ink, &logical);
    /* With a width set (ellipsizing), short text may sit anywhere in it (right for RTL):
     * measure what is drawn, not the box. */
    *x = logical.x / (double)PANGO_SCALE;
    *w = logical.width / (double)PANGO_SCALE;
    *h = logical.height / (double)PANGO_SCALE;
    (void)ink;
}

void kc_text_size(kc_canvas *cv, const char *s, const kc_style *st, double *w, double *h)
{
    PangoLayout *l = make_layout(cv, s, st);
    double x;
    layout_extent(l, &x, w, h);
    g_object_unref(l);
}

int kc_text_unknown_glyphs(kc_canvas *cv, const char *s, const kc_style *st)
{
    PangoLayout *l = make_layout(cv, s, st);
    int n = pango_layout_get_unknown_glyphs_count(l);
    g_object_unref(l);
    return n;
}

kc_box kc_text(kc_canvas *cv, const char *s, const kc_style *st, double x, double y, double ax,
               double ay)
{
    cairo_t *cr = cv->cr;
    PangoLayout *l = make_layout(cv, s, st);
    double lx, w, h;
    layout_extent(l, &lx, &w, &h);
    double left = x - ax * w, top = y - ay * h;
    cairo_save(cr);
    cairo_move_to(cr, left - lx, top);
    if (st->halo) {
        pango_cairo_layout_path(cr, l);
        kc_set(cr, KC_WHITE, 0.9);
        cairo_set_line_width(cr, 3.0);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
        cairo_move_to(cr, left - lx, top);
    }
    kc_set(cr, st->colour, 1.0);
    pango_cairo_show_layout(cr, l);
    cairo_new_path(cr); /* no current point may leak into the next shape */
    cairo_restore(cr);
    g_object_unref(l);
    return (kc_box){left, top, left + w, top + h};
}

void kc_text_vertical(kc_canvas *cv, const char *s, const kc_style *st, double x, double y)
{
    cairo_save(cv->cr);
    cairo_translate(cv->cr, x, y);
    cairo_rotate(cv->cr, -M_PI / 2);
    kc_text(cv, s, st, 0, 0, 0.5, 0.5);
    cairo_restore(cv->cr);
}

bool kc_box_overlap(const kc_box *a, const kc_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* ---------------------------------------------------------------------------------------- */
/* Frame, axes, legends                                                                     */

#define MARGIN 28.0

kc_box kc_frame(kc_canvas *cv, const char *title, const char *subtitle, const char *caption)
{
    cairo_t *cr = cv->cr;
    kc_set(cr, KC_WHITE, 1.0);
    cairo_rectangle(cr, 0, 0, cv->w, cv->h);
    cairo_fill(cr);

    kc_style ts = {.size = 18, .bold = true, .colour = KC_INK, .max_w = cv->w - 2 * MARGIN};
    kc_box tb = kc_text(cv, title, &ts, MARGIN, 18, 0, 0);
    double top = tb.y1 + 2;
    if (subtitle && *subtitle) {
        kc_style ss = {.size = 11, .colour = KC_GREY, .max_w = cv->w - 2 * MARGIN};
        kc_box sb = kc_text(cv, subtitle, &ss, MARGIN, top, 0, 0);
        top = sb.y1;
    }
    double bottom = cv->h - 12;
    if (caption && *caption) {
        kc_style cs = {.size = 10.5, .italic = true, .colour = KC_GREY,
                       .max_w = cv->w - 2 * MARGIN, .wrap = true};
        kc_box cb = kc_text(cv, caption, &cs, MARGIN, cv->h - 14, 0, 1);
        bottom = cb.y0 - 6;
    }
    return (kc_box){MARGIN, top + 14, cv->w - MARGIN, bottom};
}

void kc_no_data(kc_canvas *cv, kc_box box, const char *msg)
{
    cairo_t *cr = cv->cr;
    kc_set(cr, hex(0xF4F4F4), 1.0);
    cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    cairo_fill(cr);
    kc_style st = {.size = 16, .colour = KC_GREY, .max_w = box.x1 - box.x0 - 20};
    kc_text(cv, msg, &st, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2, 0.5, 0.5);
}

void kc_nice_ticks(double hi, int target, bool integer, kc_ticks *t)
{
    if (!(hi > 0) || !isfinite(hi))
        hi = integer ? 1 : 1;
    if (target < 1)
        target = 1;
    double raw = hi / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag, step;
    if (f <= 1)
        step = 1 * mag;
    else if (f <= 2)
        step = 2 * mag;
    else if (f <= 5)
        step = 5 * mag;
    else
        step = 10 * mag;
    if (integer && step < 1)
        step = 1;
    t->step = step;
    t->n = (int)ceil(hi / step - 1e-9) + 1;
    if (t->n < 2)
        t->n = 2;
    t->hi = step * (t->n - 1);
}

static void group_thousands(long long v, char *buf, size_t n)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", v < 0 ? -v : v);
    size_t len = strlen(tmp), o = 0;
    char out[48];
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = tmp[i];
    }
    out[o] = 0;
    snprintf(buf, n, "%s", out);
}

void kc_fmt_num(double v, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "\u2013");
        return;
    }
    double a = fabs(v);
    if (a >= 1e6)
        snprintf(buf, n, "%.1fM", v / 1e6);
    else if (a >= 100 || fabs(v - round(v)) < 1e-9)
        group_thousands((long long)llround(v), buf, n);
    else if (a >= 10)
        snprintf(buf, n, "%.1f", v);
    else
        snprintf(buf, n, "%.2f", v);
    /* "-0" and "-0.00" read as a change that is not there */
    if (strcmp(buf, "-0") == 0 || strcmp(buf, "-0.00") == 0 || strcmp(buf, "-0.0") == 0)
        memmove(buf, buf + 1, strlen(buf));
}

static const char *const month_abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const month_full[12] = {"January", "February", "March",     "April",
                                           "May",     "June",     "July",      "August",
                                           "September", "October", "November", "December"};

static bool parse_ym(const char *ym, int *y, int *m)
{
    if (!ym || strlen(ym) != 7 || ym[4] != '-')
        return false;
    if (sscanf(ym, "%4d-%2d", y, m) != 2 || *m < 1 || *m > 12)
        return false;
    return true;
}

void kc_month_short(const char *ym, char *buf, size_t n)
{
    int y, m;
    if (parse_ym(ym, &y, &m))
        snprintf(buf, n, "%s %02d", month_abbr[m - 1], y % 100);
    else
        snprintf(buf, n, "%s", ym ? ym : "");
}

void kc_month_long(const char *ym, char *buf, size_t n)
{
    int y, m;
    if (parse_ym(ym, &y, &m))
        snprintf(buf, n, "%s %d", month_full[m - 1], y);
    else
        snprintf(buf, n, "%s", ym ? ym : "");
}

void kc_y_axis(kc_canvas *cv, const kc_ticks *t, double x0, double x1, double y_base,
               double len, int sign)
{
    cairo_t *cr = cv->cr;
    kc_style ls = {.size = 10, .colour = KC_GREY};
    for (int i = 0; i < t->n; i++) {
        double v = i * t->step;
        double y = y_base - sign * len * (v / t->hi);
        if (i > 0) {
            kc_set(cr, KC_FAINT, 1.0);
            cairo_set_line_width(cr, 0.8);
            cairo_move_to(cr, x0, y);
            cairo_line_to(cr, x1, y);
            cairo_stroke(cr);
        }
        char buf[32];
        kc_fmt_num(v, buf, sizeof buf);
        kc_text(cv, buf, &ls, x0 - 6, y, 1, 0.5);
    }
}

static void draw_swatch(cairo_t *cr, const kc_legend_item *it, double x, double cy)
{
    cairo_new_path(cr);
    kc_set(cr, it->colour, 1.0);
    switch (it->swatch) {
    case KC_SWATCH_CIRCLE:
        cairo_arc(cr, x + 6, cy, 4.5, 0, 2 * M_PI);
        cairo_fill(cr);
        break;
    case KC_SWATCH_RING:
        cairo_arc(cr, x + 6, cy, 4.5, 0, 2 * M_PI);
        cairo_set_line_width(cr, 1.6);
        cairo_stroke(cr);
        break;
    case KC_SWATCH_LINE:
    case KC_SWATCH_DASH:
        cairo_set_line_width(cr, 1.6);
        if (it->swatch == KC_SWATCH_DASH) {
            double dash[] = {4, 3};
            cairo_set_dash(cr, dash, 2, 0);
        }
        cairo_move_to(cr, x, cy);
        cairo_line_to(cr, x + 14, cy);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        break;
    default:
        cairo_rectangle(cr, x + 1, cy - 5, 10, 10);
        cairo_fill(cr);
    }
}

double kc_legend(kc_canvas *cv, const kc_legend_item *items, size_t n, double x, double y,
                 double max_w, bool horizontal)
{
    kc_style ls = {.size = 10.5, .colour = KC_INK};
    double cx = x, line_h = 17;
    for (size_t i = 0; i < n; i++) {
        double tw, th;
        ls.max_w = horizontal ? 0 : max_w - 20;
        kc_text_size(cv, items[i].label, &ls, &tw, &th);
        if (ls.max_w > 0 && tw > ls.max_w)
            tw = ls.max_w;
        double item_w = 20 + tw + 16;
        if (horizontal && cx > x && cx + item_w - 16 > x + max_w) {
            cx = x;
            y += line_h;
        }
        draw_swatch(cv->cr, &items[i], cx, y + line_h / 2);
        kc_text(cv, items[i].label, &ls, cx + 19, y + line_h / 2, 0, 0.5);
        if (horizontal)
            cx += item_w;
        else
            y += line_h;
    }
    return horizontal ? y + line_h : y;
}

/* ---------------------------------------------------------------------------------------- */
/* Drawing by hand into a PNG                                                               */

bool kc_image_begin(cairo_t *cr, kc_image *im)
{
    cairo_surface_t *t = cairo_get_target(cr);
    memset(im, 0, sizeof *im);
    if (cairo_surface_get_type(t) != CAIRO_SURFACE_TYPE_IMAGE ||
        cairo_image_surface_get_format(t) != CAIRO_FORMAT_RGB24)
        return false;
    cairo_surface_flush(t);
    im->px = cairo_image_surface_get_data(t);
    im->w = cairo_image_surface_get_width(t);
    im->h = cairo_image_surface_get_height(t);
    im->stride = cairo_image_surface_get_stride(t);
    im->x1 = im->w - 1;
    im->y1 = im->h - 1;
    return im->px != NULL;
}

void kc_image_end(cairo_t *cr)
{
    cairo_surface_mark_dirty(cairo_get_target(cr));
}

static void blend_px(uint32_t *q, unsigned r, unsigned g, unsigned b, double a)
{
    uint32_t v = *q;
    unsigned ia = (unsigned)(a * 255 + 0.5), na = 255 - ia;
    unsigned dr = (v >> 16) & 0xff, dg = (v >> 8) & 0xff, db = v & 0xff;
    dr = (dr * na + r * ia + 127) / 255;
    dg = (dg * na + g * ia + 127) / 255;
    db = (db * na + b * ia + 127) / 255;
    *q = 0xff000000u | dr << 16 | dg << 8 | db; /* RGB24: one native uint32, 0xXXRRGGBB */
}

void kc_image_round(kc_image *im, double cx, double cy, double r0, double r1, kc_rgb c,
                    double alpha)
{
    if (!im->px || !(r1 > 0) || !isfinite(cx) || !isfinite(cy) || !isfinite(r1))
        return;
    double fx0 = floor(cx - r1 - 1), fx1 = ceil(cx + r1 + 1);
    double fy0 = floor(cy - r1 - 1), fy1 = ceil(cy + r1 + 1);
    int x0 = fx0 < im->x0 ? im->x0 : (int)fx0, x1 = fx1 > im->x1 ? im->x1 : (int)fx1;
    int y0 = fy0 < im->y0 ? im->y0 : (int)fy0, y1 = fy1 > im->y1 ? im->y1 : (int)fy1;
    unsigned r = (unsigned)(c.r * 255 + 0.5), g = (unsigned)(c.g * 255 + 0.5),
             b = (unsigned)(c.b * 255 + 0.5);
    for (int y = y0; y <= y1; y++) {
        uint32_t *row = (uint32_t *)(void *)(im->px + (size_t)y * (size_t)im->stride);
        double ey = y + 0.5 - cy;
        for (int x = x0; x <= x1; x++) {
            double ex = x + 0.5 - cx, d = sqrt(ex * ex + ey * ey);
            double top = d + 0.5 < r1 ? d + 0.5 : r1;
            double bot = d - 0.5 > r0 ? d - 0.5 : r0;
            if (r0 <= 0 && d - 0.5 < 0) /* a disc: the pixel's part across the centre counts */
                bot = d - 0.5;
            double cov = top - bot;
            if (cov > 1)
                cov = 1;
            if (cov * alpha > 0.002)
                blend_px(&row[x], r, g, b, cov * alpha);
        }
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Writers                                                                                  */

void kc_draw_chart(kc_canvas *cv, kith_chart c)
{
    switch (c) {
    case KITH_CHART_CLUSTER_MAP: kc_draw_cluster_map(cv); break;
    case KITH_CHART_ACTIVITY: kc_draw_activity(cv); break;
    case KITH_CHART_TIE_STATUS: kc_draw_tie_status(cv); break;
    case KITH_CHART_RECIPROCITY: kc_draw_reciprocity(cv); break;
    case KITH_CHART_LAYERS: kc_draw_layers(cv); break;
    default: break;
    }
}

static kith_err cairo_fail(kith_diag *d, const char *path, cairo_status_t st)
{
    return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart: %s",
                         cairo_status_to_string(st));
}

static kith_err render(cairo_surface_t *s, const kith_report *r, kith_chart c, double scale,
                       const kc_recip *recip, const char *path, kith_diag *d)
{
    cairo_status_t st = cairo_surface_status(s);
    if (st != CAIRO_STATUS_SUCCESS)
        return cairo_fail(d, path, st);
    cairo_t *cr = cairo_create(s);
    cairo_scale(cr, scale, scale);
    kc_canvas cv;
    if (!kc_canvas_init(&cv, cr, r, KITH_CHART_W, KITH_CHART_H)) {
        cairo_destroy(cr);
        return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot set up fonts for the chart");
    }
    cv.recip = recip;
    kc_draw_chart(&cv, c);
    kc_canvas_destroy(&cv);
    st = cairo_status(cr);
    cairo_destroy(cr);
    if (st != CAIRO_STATUS_SUCCESS)
        return cairo_fail(d, path, st);
    return KITH_OK;
}

/* libpng's errors arrive by longjmp: the message is kept for the diagnostic. */
typedef struct {
    jmp_buf jb;
    char msg[160];
} png_err_ctx;

static void png_on_error(png_structp p, png_const_charp msg)
{
    png_err_ctx *ctx = png_get_error_ptr(p);
    snprintf(ctx->msg, sizeof ctx->msg, "%s", msg ? msg : "libpng error");
    longjmp(ctx->jb, 1);
}

static void png_on_warning(png_structp p, png_const_charp msg)
{
    (void)p;
    (void)msg;
}

/* The image data of an RGB PNG: rows of a filter byte (0, none) and w RGB pixels, as one
 * zlib stream deflated at zlib's level 1. Returns its length, 0 on failure; *out is
 * malloc'd. Not ISA-L's igzip, though three times faster: in kith's process two igzip runs
 * on the same image now and then gave different (valid) streams, so a chart drawn twice was
 * not the same file (test_charts and t_bigbook caught it about once in ten loaded runs; no
 * standalone program reproduced it). A report's files must depend on its inputs only. */
__attribute__((noinline)) /* its locals stay out of write_rgb_png's setjmp frame */
static size_t png_idat(const unsigned char *data, int w, int h, int stride, unsigned char **out)
{
    size_t row = 1 + (size_t)w * 3, n = row * (size_t)h, len = 0;
    unsigned char *raw = malloc(n), *z = NULL;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    *out = NULL;
    if (!raw || n > UINT32_MAX / 2 || deflateInit2(&zs, 1, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        goto done;
    for (int y = 0; y < h; y++) {
        /* RGB24: one native-endian uint32 per pixel, 0xXXRRGGBB */
        const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        unsigned char *o = raw + (size_t)y * row;
        *o++ = 0;
        for (int x = 0; x < w; x++, o += 3) {
            uint32_t v = px[x];
            o[0] = (unsigned char)(v >> 16);
            o[1] = (unsigned char)(v >> 8);
            o[2] = (unsigned char)v;
        }
    }
    size_t cap = deflateBound(&zs, (uLong)n);
    if ((z = malloc(cap))) {
        zs.next_in = raw;
        zs.avail_in = (uInt)n;
        zs.next_out = z;
        zs.avail_out = (uInt)cap;
        if (deflate(&zs, Z_FINISH) == Z_STREAM_END) {
            len = zs.total_out;
            *out = z;
            z = NULL;
        }
    }
    deflateEnd(&zs);
done:
    free(raw);
    free(z);
    return len;
}

/* Writes the opaque RGB24 surface s as an 8-bit RGB PNG: libpng writes the file (signature,
 * chunks, CRCs), zlib deflates the image at its fastest level (png_idat).
 * cairo_surface_write_to_png compresses at zlib's default level with every row filter
 * tried, and that was most of a chart's time: charts are large flat areas with antialiased
 * edges, which deflate's fastest level with no row filter packs about as small (often
 * smaller), several times faster. */
static bool write_rgb_png(cairo_surface_t *s, FILE *fp, char *why, size_t why_n)
{
    const unsigned char *data = cairo_image_surface_get_data(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    png_err_ctx ctx = {.msg = ""};
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, png_on_error,
                                            png_on_warning);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    unsigned char *idat = NULL;
    size_t n_idat = data ? png_idat(data, w, h, stride, &idat) : 0;
    volatile bool ok = false;
    if (!p || !info || !n_idat) {
        snprintf(why, why_n, "out of memory");
        goto cleanup;
    }
    if (setjmp(ctx.jb)) {
        snprintf(why, why_n, "%s", ctx.msg);
        goto cleanup;
    }
    png_init_io(p, fp);
    png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(p, info);
    /* the image as one IDAT chunk, then the end (png_write_end wants rows from png_write_row) */
    png_write_chunk(p, (png_const_bytep) "IDAT", idat, n_idat);
    png_write_chunk(p, (png_const_bytep) "IEND", NULL, 0);
    ok = true;
cleanup:
    png_destroy_write_struct(p ? &p : NULL, info ? &info : NULL);
    free(idat);
    return ok;
}

kith_err kith_chart_write_png(const kith_report *r, kith_chart c, const char *path, kith_diag *d)
{
    return kc_write_png(r, c, NULL, path, d);
}

kith_err kc_write_png(const kith_report *r, kith_chart c, const kc_recip *recip,
                      const char *path, kith_diag *d)
{
    if ((unsigned)c >= KITH_CHART__COUNT)
        return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "unknown chart %d", (int)c);
    int pw = (int)(KITH_CHART_W * KITH_CHART_PNG_SCALE), ph = (int)(KITH_CHART_H * KITH_CHART_PNG_SCALE);
    FILE *fp = NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    kith_err e = render(s, r, c, KITH_CHART_PNG_SCALE, recip, path, d);
    if (e != KITH_OK)
        goto cleanup;
    cairo_surface_flush(s);
    if (!(fp = fopen(path, "wb"))) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart: %s", strerror(errno));
        goto cleanup;
    }
    char why[160] = "";
    if (!write_rgb_png(s, fp, why, sizeof why)) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart: %s", why);
        goto cleanup;
    }
cleanup:
    if (fp && fclose(fp) != 0 && e == KITH_OK)
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart: %s", strerror(errno));
    cairo_surface_destroy(s);
    return e;
}

/* cairo names SVG groups after a process-wide surface counter ("surface198"), so the same
 * chart drawn twice in one run would differ. The SVG is made in memory and those ids are
 * renumbered in order of first appearance before it is written. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool failed;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
    if (m->len + length + 1 > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->len + length + 1)
            cap *= 2;
        char *nb = realloc(m->buf, cap);
        if (!nb) {
            m->failed = true;
            return CAIRO_STATUS_WRITE_ERROR;
        }
        m->buf = nb;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, length);
    m->len += length;
    m->buf[m->len] = 0;
    return CAIRO_STATUS_SUCCESS;
}

#define MAX_IDS 4096
static bool write_renumbered(const membuf *m, FILE *fp)
{
    static const char tok[] = "surface";
    unsigned long seen[MAX_IDS];
    size_t n_seen = 0;
    const char *p = m->buf, *end = m->buf + m->len;
    while (p < end) {
        const char *hit = strstr(p, tok);
        if (!hit || hit >= end) {
            fwrite(p, 1, (size_t)(end - p), fp);
            break;
        }
        const char *q = hit + sizeof tok - 1;
        fwrite(p, 1, (size_t)(q - p), fp);
        if (q < end && *q >= '0' && *q <= '9') {
            unsigned long id = strtoul(q, (char **)&q, 10);
            size_t k = 0;
            while (k < n_seen && seen[k] != id)
                k++;
            if (k == n_seen) {
                if (n_seen == MAX_IDS)
                    return false;
                seen[n_seen++] = id;
            }
            fprintf(fp, "%zu", k + 1);
        }
        p = q;
    }
    return !ferror(fp);
}

kith_err kith_chart_write_svg(const kith_report *r, kith_chart c, const char *path, kith_diag *d)
{
    return kc_write_svg(r, c, NULL, path, d);
}

kith_err kc_write_svg(const kith_report *r, kith_chart c, const kc_recip *recip,
                      const char *path, kith_diag *d)
{
    if ((unsigned)c >= KITH_CHART__COUNT)
        return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "unknown chart %d", (int)c);
    membuf m = {0};
    FILE *fp = NULL;
    cairo_surface_t *s =
        cairo_svg_surface_create_for_stream(mem_write, &m, KITH_CHART_W, KITH_CHART_H);
    cairo_svg_surface_restrict_to_version(s, CAIRO_SVG_VERSION_1_1);
    kith_err e = render(s, r, c, 1.0, recip, path, d);
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (e != KITH_OK)
        goto cleanup;
    if (st != CAIRO_STATUS_SUCCESS || m.failed || !m.buf) {
        e = m.failed ? kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory")
                     : cairo_fail(d, path, st);
        goto cleanup;
    }
    if (!(fp = fopen(path, "wb"))) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart: %s", strerror(errno));
        goto cleanup;
    }
    if (!write_renumbered(&m, fp)) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart");
        goto cleanup;
    }
cleanup:
    if (fp && fclose(fp) != 0 && e == KITH_OK)
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write chart: %s", strerror(errno));
    free(m.buf);
    return e;
}

/* ---------------------------------------------------------------------------------------- */
/* A folder of charts                                                                       */

void kith_charts_warm_up(void)
{
    (void)pango_cairo_font_map_get_default(); /* pango starts fontconfig's setup in a thread */
}

void kith_charts_release_fonts(void)
{
    pango_cairo_font_map_set_default(NULL);
    cairo_debug_reset_static_data();
}

void kith_charts_free_paths(char **paths)
{
    if (!paths)
        return;
    for (char **p = paths; *p; p++)
        free(*p);
    free(paths);
}

static char *join(const char *dir, const char *name, const char *ext)
{
    size_t n = strlen(dir) + strlen(name) + strlen(ext) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s%s", dir, name, ext);
    return s;
}

kith_err kith_charts_write_dir(const kith_report *r, const char *dir, char ***png_paths_out,
                               kith_diag *d)
{
    kith_err e = KITH_OK;
    char **pngs = calloc(KITH_CHART__COUNT + 1, sizeof *pngs);
    char *svg = NULL, *pdf = NULL;
    size_t n_png = 0;
    if (!pngs)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
    for (int c = 0; c < KITH_CHART__COUNT; c++) {
        if (!r->config.charts[c])
            continue;
        const char *name = kith_chart_name((kith_chart)c);
        char *png = join(dir, name, ".png");
        svg = join(dir, name, ".svg");
        if (!png || !svg) {
            free(png);
            e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        pngs[n_png++] = png;
        if ((e = kith_chart_write_png(r, (kith_chart)c, png, d)) != KITH_OK)
            goto cleanup;
        if ((e = kith_chart_write_svg(r, (kith_chart)c, svg, d)) != KITH_OK)
            goto cleanup;
        free(svg);
        svg = NULL;
    }
    if (r->config.pdf) {
        char name[64];
        kith_pdf_file_name(r, name, sizeof name);
        if (!(pdf = join(dir, name, ""))) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        if ((e = kith_pdf_write(r, pdf, d)) != KITH_OK)
            goto cleanup;
    }
cleanup:
    free(svg);
    free(pdf);
    if (e == KITH_OK && png_paths_out) {
        *png_paths_out = pngs;
        pngs = NULL;
    }
    kith_charts_free_paths(pngs);
    return e;
}

/* ---------------------------------------------------------------------------------------- */
/* Labels                                                                                   */

bool kc_place_label(kc_canvas *cv, const char *s, const kc_style *st, double x, double y,
                    double rad, kc_box bounds, kc_box *placed, size_t *n)
{
    double w, h;
    kc_text_size(cv, s, st, &w, &h);
    if (st->max_w > 0 && w > st->max_w)
        w = st->max_w;
    const double gap = rad + 2.5, dg = (rad + 1.5) * 0.72;
    /* anchor point and anchor fractions for each candidate */
    const double cand[8][4] = {
        {x + gap, y, 0, 0.5},   {x - gap, y, 1, 0.5},   {x, y - gap, 0.5, 1},
        {x, y + gap, 0.5, 0},   {x + dg, y - dg, 0, 1}, {x - dg, y - dg, 1, 1},
        {x + dg, y + dg, 0, 0}, {x - dg, y + dg, 1, 0}};
    for (int c = 0; c < 8; c++) {
        kc_box b = {cand[c][0] - cand[c][2] * w, cand[c][1] - cand[c][3] * h, 0, 0};
        b.x1 = b.x0 + w;
        b.y1 = b.y0 + h;
        if (b.x0 < bounds.x0 || b.x1 > bounds.x1 || b.y0 < bounds.y0 || b.y1 > bounds.y1)
            continue;
        kc_box padded = {b.x0 - 1.5, b.y0 - 0.5, b.x1 + 1.5, b.y1 + 0.5};
        bool clash = false;
        for (size_t i = 0; i < *n && !clash; i++)
            clash = kc_box_overlap(&padded, &placed[i]);
        if (clash)
            continue;
        kc_text(cv, s, st, cand[c][0], cand[c][1], cand[c][2], cand[c][3]);
        placed[(*n)++] = padded;
        return true;
    }
    return false;
}

/* kith_charts_write_all's files as jobs that two threads take in turn: each file depends only
 * on the const report, so the bytes are the same whichever thread draws it and in whatever
 * order. Each job has the report phase it needs: the charts that read only what
 * kith_report_build_start made final (activity, tie status, reciprocity, layers) are drawn
 * by a thread from kith_charts_start on, the cluster map once the report month's graph is
 * measured (kith_charts_month), the PDF once the report is complete (kith_charts_finish).
 * Then the PDF (the biggest) goes first on one thread while the other draws the PNGs, which
 * the workbook waits for; the SVGs come last. */
enum { JOB_PNG, JOB_SVG, JOB_PDF };
enum { PHASE_START, PHASE_MONTH, PHASE_COMPLETE }; /* what the report has */
typedef struct {
    int kind;
    kith_chart c;
    int phase; /* the report phase the job needs */
    bool taken;
    const char *path; /* the set's temporary file */
    kith_err e;
    kith_diag d;
} chart_job;

struct kith_charts_run {
    const kith_report *r;
    kc_recip *recip; /* shared by the reciprocity PNG, SVG and PDF page, or NULL */
    chart_job jobs[2 * KITH_CHART__COUNT + 1];
    size_t n;
    size_t pngs_left; /* PNG jobs not yet written */
    char **pngs;      /* the PNGs' paths in chart order, NULL-terminated (strings: the set's) */
    bool failed;
    int phase;        /* the report's phase: jobs needing no more may be taken */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool threaded;
    void (*pngs_ready)(void *ctx, const char *const *pngs);
    void *ctx;
};

static int chart_phase(kith_chart c)
{
    return c == KITH_CHART_CLUSTER_MAP ? PHASE_MONTH : PHASE_START;
}

/* The first job in order this thread may draw, waiting while only jobs for a finished
 * report are left; NULL when none is left (or one failed). */
static chart_job *take_job(kith_charts_run *q)
{
    chart_job *j = NULL;
    pthread_mutex_lock(&q->mu);
    while (!q->failed) {
        bool left = false;
        for (size_t k = 0; k < q->n && !j; k++) {
            left |= !q->jobs[k].taken;
            if (!q->jobs[k].taken && q->jobs[k].phase <= q->phase)
                j = &q->jobs[k];
        }
        if (j || !left)
            break;
        pthread_cond_wait(&q->cv, &q->mu);
    }
    if (j)
        j->taken = true;
    pthread_mutex_unlock(&q->mu);
    return j;
}

static void *run_jobs(void *p)
{
    kith_charts_run *q = p;
    chart_job *j;
    while ((j = take_job(q))) {
        char name[96];
        kith_diag_clear(&j->d);
        kith_span t = kith_trace_start();
        if (j->kind == JOB_PDF) {
            snprintf(name, sizeof name, "pdf");
            j->e = kc_write_pdf(q->r, q->recip, j->path, &j->d);
        } else {
            snprintf(name, sizeof name, "%s.%s", kith_chart_name(j->c),
                     j->kind == JOB_PNG ? "png" : "svg");
            j->e = j->kind == JOB_PNG ? kc_write_png(q->r, j->c, q->recip, j->path, &j->d)
                                      : kc_write_svg(q->r, j->c, q->recip, j->path, &j->d);
        }
        if (j->e == KITH_OK)
            kith_trace_stop(t, name);
        pthread_mutex_lock(&q->mu);
        if (j->e != KITH_OK)
            q->failed = true;
        bool last_png = j->e == KITH_OK && j->kind == JOB_PNG && --q->pngs_left == 0;
        bool tell = last_png && !q->failed && q->pngs_ready;
        pthread_cond_broadcast(&q->cv); /* a failure ends the other thread's wait */
        pthread_mutex_unlock(&q->mu);
        if (tell) /* only one job is the last PNG */
            q->pngs_ready(q->ctx, (const char *const *)q->pngs);
    }
    return NULL;
}

/* The job order: the early PNGs, the PDF, the other PNGs, then the SVGs; within each, the
 * cluster map and the reciprocity chart (the costliest) first. A job not yet drawable is
 * passed over for the next one that is (take_job). */
static int job_rank(const chart_job *j)
{
    int cost = j->c == KITH_CHART_CLUSTER_MAP ? 0 : j->c == KITH_CHART_RECIPROCITY ? 1 : 2;
    if (j->kind == JOB_PDF)
        return 3;
    return (j->kind == JOB_SVG ? 7 : j->phase == PHASE_START ? 0 : 4) + cost;
}

static void run_free(kith_charts_run *q)
{
    kc_recip_free(q->recip);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    free(q->pngs);
    free(q);
}

kith_err kith_charts_start(const kith_report *r, kith_outset *set,
                           void (*pngs_ready)(void *ctx, const char *const *pngs), void *ctx,
                           kith_charts_run **out, kith_diag *d)
{
    kith_err e = KITH_OK;
    size_t n_png = 0;
    kith_charts_run *q = calloc(1, sizeof *q);
    *out = NULL;
    if (!q || !(q->pngs = calloc(KITH_CHART__COUNT + 1, sizeof *q->pngs))) {
        free(q);
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
    }
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->r = r;
    q->pngs_ready = pngs_ready;
    q->ctx = ctx;
    /* every name first, in one thread and in the order of the files: the set is not shared */
    for (int c = 0; c < KITH_CHART__COUNT; c++) {
        if (!r->config.charts[c])
            continue;
        for (int kind = JOB_PNG; kind <= JOB_SVG; kind++) {
            char name[64];
            chart_job *j = &q->jobs[q->n++];
            j->kind = kind;
            j->c = (kith_chart)c;
            j->phase = chart_phase(j->c);
            snprintf(name, sizeof name, "%s.%s", kith_chart_name(j->c),
                     kind == JOB_PNG ? "png" : "svg");
            if ((e = kith_outset_temp(set, name, &j->path, d)) != KITH_OK)
                goto fail;
        }
    }
    if (r->config.pdf) {
        char name[96];
        chart_job *j = &q->jobs[q->n++];
        j->kind = JOB_PDF;
        j->phase = PHASE_COMPLETE;
        kith_pdf_file_name(r, name, sizeof name);
        if ((e = kith_outset_temp(set, name, &j->path, d)) != KITH_OK)
            goto fail;
    }
    for (int c = 0; c < KITH_CHART__COUNT; c++) /* the PNGs for the workbook, in chart order */
        for (size_t k = 0; k < q->n; k++)
            if (q->jobs[k].kind == JOB_PNG && q->jobs[k].c == (kith_chart)c)
                q->pngs[n_png++] = (char *)q->jobs[k].path;
    q->pngs_left = n_png;
    /* biggest first (a stable insertion sort: a handful of jobs) */
    for (size_t k = 1; k < q->n; k++) {
        chart_job t = q->jobs[k];
        size_t m = k;
        for (; m > 0 && job_rank(&q->jobs[m - 1]) > job_rank(&t); m--)
            q->jobs[m] = q->jobs[m - 1];
        q->jobs[m] = t;
    }
    if (r->config.charts[KITH_CHART_RECIPROCITY]) {
        kith_span t = kith_trace_start();
        if ((q->recip = kc_recip_new(r)))
            kith_trace_stop(t, "reciprocity dots");
    }
    q->threaded = q->n > 1 && pthread_create(&q->th, NULL, run_jobs, q) == 0;
    *out = q;
    return KITH_OK;
fail:
    run_free(q);
    return e;
}

static void set_phase(kith_charts_run *q, int phase)
{
    pthread_mutex_lock(&q->mu);
    q->phase = phase;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

void kith_charts_month(kith_charts_run *q)
{
    if (q)
        set_phase(q, PHASE_MONTH);
}

kith_err kith_charts_finish(kith_charts_run *q, char ***png_paths_out, kith_diag *d)
{
    kith_err e = KITH_OK;
    *png_paths_out = NULL;
    set_phase(q, PHASE_COMPLETE);
    run_jobs(q); /* this thread takes jobs too (all of them when there is no second thread) */
    if (q->threaded)
        pthread_join(q->th, NULL);
    for (size_t k = 0; k < q->n && e == KITH_OK; k++) /* the first failure in job order */
        if (q->jobs[k].e != KITH_OK) {
            e = q->jobs[k].e;
            if (d)
                *d = q->jobs[k].d;
        }
    /* handed over even after a failure: pngs_ready may have given the array to a thread
     * that is still reading it; the caller frees it when that thread is done */
    if (q->pngs[0]) {
        *png_paths_out = q->pngs;
        q->pngs = NULL;
    }
    run_free(q);
    return e;
}

void kith_charts_cancel(kith_charts_run *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->failed = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    if (q->threaded)
        pthread_join(q->th, NULL);
    run_free(q);
}

kith_err kith_charts_write_all_opt(const kith_report *r, kith_outset *set,
                                   void (*pngs_ready)(void *ctx, const char *const *pngs),
                                   void *ctx, char ***png_paths_out, kith_diag *d)
{
    kith_charts_run *q;
    *png_paths_out = NULL;
    kith_err e = kith_charts_start(r, set, pngs_ready, ctx, &q, d);
    return e ? e : kith_charts_finish(q, png_paths_out, d);
}

kith_err kith_charts_write_all(const kith_report *r, kith_outset *set, char ***png_paths_out,
                               kith_diag *d)
{
    kith_err e = kith_charts_write_all_opt(r, set, NULL, NULL, png_paths_out, d);
    if (e) { /* nobody was told of the PNGs */
        free(*png_paths_out);
        *png_paths_out = NULL;
    }
    return e;
}
