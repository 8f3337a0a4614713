/* Internal to the chart module: the drawing helpers every chart shares (palette, text with
 * pangocairo, frames, axes, ticks, legends) and the per-chart renderers. Only the chart files
 * and pdf.c include this header, and with it cairo and pango. */
#ifndef KITH_CHART_DRAW_H
#define KITH_CHART_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "kith/charts.h"

typedef struct {
    double r, g, b;
} kc_rgb;

/* Colour-blind-safe palettes. Clusters use Paul Tol's "muted" scheme (9 categorical colours);
 * everything else Okabe-Ito. */
#define KC_N_CLUSTER_COLOURS 9
extern const kc_rgb kc_cluster_colours[KC_N_CLUSTER_COLOURS];
extern const kc_rgb KC_BLACK, KC_INK, KC_GREY, KC_LIGHT, KC_FAINT, KC_WHITE;
extern const kc_rgb KC_OI_ORANGE, KC_OI_SKY, KC_OI_GREEN, KC_OI_YELLOW, KC_OI_BLUE,
    KC_OI_VERMILLION, KC_OI_PURPLE;

/* The reciprocity chart's dots and labels, worked out in one pass over every person
 * (chart_reciprocity.c). kith_charts_write_all makes it once and shares it, read-only, among
 * the PNG, the SVG and the PDF page, which may be drawn in two threads at once: at a million
 * persons the pass is the chart's cost. kc_recip_new returns NULL when out of memory. */
typedef struct kc_recip kc_recip;
kc_recip *kc_recip_new(const kith_report *r);
void kc_recip_free(kc_recip *p); /* accepts NULL */

/* A drawing target: the cairo context, a pango context set up for it (72 dpi so font sizes
 * are in user units; unhinted metrics so PNG, SVG and PDF lay text out identically). */
typedef struct {
    cairo_t *cr;
    PangoContext *pc;
    const kith_report *r;
    double w, h;
    const kc_recip *recip; /* shared reciprocity dots, or NULL: the chart makes its own */
} kc_canvas;

/* kith_chart_write_png / _svg and kith_pdf_write with a shared kc_recip (or NULL). */
kith_err kc_write_png(const kith_report *r, kith_chart c, const kc_recip *recip,
                      const char *path, kith_diag *d);
kith_err kc_write_svg(const kith_report *r, kith_chart c, const kc_recip *recip,
                      const char *path, kith_diag *d);
kith_err kc_write_pdf(const kith_report *r, const kc_recip *recip, const char *path,
                      kith_diag *d);

bool kc_canvas_init(kc_canvas *cv, cairo_t *cr, const kith_report *r, double w, double h);
void kc_canvas_destroy(kc_canvas *cv);

void kc_set(cairo_t *cr, kc_rgb c, double alpha);

/* Text. max_w > 0 ellipsizes at that width. ax, ay anchor the text box: 0 = left/top,
 * 0.5 = centre, 1 = right/bottom. halo draws a white outline behind the glyphs. */
typedef struct {
    double size;
    bool bold, italic;
    kc_rgb colour;
    double max_w;
    bool halo;
    bool wrap; /* with max_w: wrap onto more lines instead of ellipsizing */
} kc_style;

void kc_text_size(kc_canvas *cv, const char *s, const kc_style *st, double *w, double *h);
/* How many characters of s no installed font can draw (each would show as a box): 0 when
 * the fonts cover it. Emoji in names need an emoji font (scripts/install-deps). */
int kc_text_unknown_glyphs(kc_canvas *cv, const char *s, const kc_style *st);
typedef struct {
    double x0, y0, x1, y1;
} kc_box;

/* Draws s anchored at (x, y) and returns the box it covers. */
kc_box kc_text(kc_canvas *cv, const char *s, const kc_style *st, double x, double y, double ax,
               double ay);
/* Text rotated 90 degrees counter-clockwise, centred on (x, y). */
void kc_text_vertical(kc_canvas *cv, const char *s, const kc_style *st, double x, double y);

bool kc_box_overlap(const kc_box *a, const kc_box *b);

/* White background, title and subtitle at the top, caption at the bottom; returns the area
 * left for the chart. */
kc_box kc_frame(kc_canvas *cv, const char *title, const char *subtitle, const char *caption);

/* A clean message in the middle of box, for charts with nothing to show. */
void kc_no_data(kc_canvas *cv, kc_box box, const char *msg);

/* Nice ticks covering [0, hi]: step 1, 2 or 5 x 10^k, about `target` intervals;
 * integer steps only when `integer`. hi <= 0 gives [0, 1]. */
typedef struct {
    double hi, step;
    int n; /* ticks 0, step, ..., hi (n = hi/step + 1) */
} kc_ticks;
void kc_nice_ticks(double hi, int target, bool integer, kc_ticks *t);

/* "1,234", "12.5", "0.25", "1.2M"; NAN gives "–". */
void kc_fmt_num(double v, char *buf, size_t n);
/* "2025-11" -> "Nov 25"; anything else is copied. buf holds at least 16 bytes. */
void kc_month_short(const char *ym, char *buf, size_t n);
/* "2026-10" -> "October 2026". */
void kc_month_long(const char *ym, char *buf, size_t n);

/* Horizontal gridlines and left tick labels for a linear y axis from y_base (value 0) upward
 * (sign = +1) or downward (sign = -1) to y_base -/+ len at value t->hi. */
void kc_y_axis(kc_canvas *cv, const kc_ticks *t, double x0, double x1, double y_base,
               double len, int sign);

typedef enum { KC_SWATCH_SQUARE, KC_SWATCH_CIRCLE, KC_SWATCH_LINE, KC_SWATCH_DASH, KC_SWATCH_RING } kc_swatch;
typedef struct {
    const char *label;
    kc_rgb colour;
    kc_swatch swatch;
} kc_legend_item;

/* A legend: vertical (one item per line, returns the y below it) or horizontal (items in a
 * row wrapping at x + max_w, returns the y below it). */
double kc_legend(kc_canvas *cv, const kc_legend_item *items, size_t n, double x, double y,
                 double max_w, bool horizontal);

/* Greedy label placement: tries positions around a node at (x, y) with radius rad (right,
 * left, above, below, then the diagonals); draws the label at the first whose box stays inside
 * bounds and intersects none of placed[0..*n), appends that box and returns true. A label
 * that fits nowhere is skipped (returns false): overlapping text helps nobody. */
bool kc_place_label(kc_canvas *cv, const char *s, const kc_style *st, double x, double y,
                    double rad, kc_box bounds, kc_box *placed, size_t *n);

/* Drawing by hand into a PNG's pixels, for the many small marks (nodes, dots) that cost cairo
 * far more than the pixels they cover. kc_image_begin succeeds only on an RGB24 image surface
 * (flushing cairo's pending drawing); kc_image_end hands the pixels back. In between, draw no
 * cairo on that surface. Coverage is the pixel's extent [d - 0.5, d + 0.5] from the centre
 * against the shape: close to cairo's antialiasing, a third of a grey level off at most. */
typedef struct {
    unsigned char *px;
    int w, h, stride;
    int x0, y0, x1, y1; /* the clip, device pixels (inclusive); the whole image by default */
} kc_image;
bool kc_image_begin(cairo_t *cr, kc_image *im);
void kc_image_end(cairo_t *cr);
/* A disc (r0 == 0, filled out to r1) or a ring between radii r0 and r1, centred on (cx, cy),
 * all in device pixels, in colour c at opacity alpha. */
void kc_image_round(kc_image *im, double cx, double cy, double r0, double r1, kc_rgb c,
                    double alpha);

/* The renderers, one per chart: draw onto cv at its logical size. */
void kc_draw_cluster_map(kc_canvas *cv);
void kc_draw_activity(kc_canvas *cv);
void kc_draw_tie_status(kc_canvas *cv);
void kc_draw_reciprocity(kc_canvas *cv);
void kc_draw_layers(kc_canvas *cv);
void kc_draw_chart(kc_canvas *cv, kith_chart c);

/* The display name of person i ("" -> "(no name)"). */
const char *kc_person_name(const kith_report *r, int32_t i);

#endif
