/* Charts and the printable PDF (spec §4), drawn with cairo and pangocairo.
 *
 * Charts only format a kith_report: they never recompute a measure, so they cannot disagree
 * with the workbook or summary.json. One renderer per chart draws onto any cairo surface at a
 * logical size of KITH_CHART_W x KITH_CHART_H points, so the same code makes the PNG (at 2x),
 * the SVG and the pages of the PDF. Only src/output/chart*.c and pdf.c include cairo/pango;
 * charts.c alone includes libpng, which writes the PNGs (8-bit RGB, deflate's fastest level,
 * no row filter: cairo's own writer compressed far harder and was most of a chart's time).
 *
 * Output is deterministic: the same report gives byte-identical PNG, SVG and PDF files (the
 * PDF's creation date is the report's as_of).
 *
 * Empty data (no persons, no events in the year) draws a clean "no data this year" chart.
 *
 * The charts (src/output/chart_*.c), each with a title, units on its axes and a one-line
 * caption saying what to take from it:
 *  - cluster-map (chart_cluster_map.c): r->layout; nodes coloured by cluster (Paul Tol's
 *    muted palette, the 9 largest clusters; the rest grey), sized by strength, the owner dark
 *    and named, brokers ringed; the strongest ties and the brokers labelled where a label
 *    fits without covering another; the 4,000 strongest links drawn; legend of cluster names
 *    (flagging clusters with no active tie) and "showing the strongest 2,000 of N".
 *  - activity (chart_series.c): r->months given (up) and received (down) by kind family.
 *  - tie-status (chart_series.c): r->months[].status as a stacked area.
 *  - reciprocity (chart_reciprocity.c): pm[].given vs pm[].received on log(1+x) axes, the
 *    balance diagonal and the +-owe_ratio lines, "you owe" in vermillion, ten labels.
 *  - layers (chart_series.c): layer_counts vs layer_counts_prev, with each layer's room. */
#ifndef KITH_CHARTS_H
#define KITH_CHARTS_H

#include "kith/config.h"
#include "kith/error.h"
#include "kith/report.h"

#define KITH_CHART_W 800.0 /* logical chart size, points */
#define KITH_CHART_H 500.0
#define KITH_CHART_PNG_SCALE 2.0 /* PNG pixels per point: 1600 x 1000 */

/* Writes chart c of report r as a PNG (KITH_CHART_PNG_SCALE x the logical size) or an SVG at
 * path (created or truncated). KITH_ERR_OUTPUT with the path and cairo's reason on failure. */
kith_err kith_chart_write_png(const kith_report *r, kith_chart c, const char *path, kith_diag *d);
kith_err kith_chart_write_svg(const kith_report *r, kith_chart c, const char *path, kith_diag *d);

/* Writes the printable report at path: A4 landscape, page one the KPIs (this month, last
 * month, change) and "what to do this month", then one page per chart enabled in
 * r->config.charts, in kith_chart order. */
kith_err kith_pdf_write(const kith_report *r, const char *path, kith_diag *d);

/* Number of pages kith_pdf_write makes for r: 1 + the enabled charts. */
int kith_pdf_page_count(const kith_report *r);

/* The PDF's file name, on the workbook's pattern: "network-health-2026-10.pdf" for the monthly
 * report (or an unnamed one), "clusters-2026-10.pdf" for a report named "clusters". buf holds
 * at least 64 bytes. */
void kith_pdf_file_name(const kith_report *r, char *buf, size_t size);

/* The entry point `kith report` uses is kith_charts_write_all (include/kith/output.h): the same
 * files through the output set's temporary files, drawn by the calling thread and one more
 * taking files from one list (cairo and pango objects are never shared between them; every
 * file depends only on the const report, so the bytes do not depend on who drew it). */

/* Writes `<chart>.png` and `<chart>.svg` for every chart enabled in r->config.charts, and
 * the PDF (kith_pdf_file_name) when r->config.pdf, straight into the existing folder dir.
 * When png_paths_out is not NULL it receives a malloc'd, NULL-terminated array of the PNG
 * paths written, in kith_chart order (free with kith_charts_free_paths). */
kith_err kith_charts_write_dir(const kith_report *r, const char *dir, char ***png_paths_out,
                               kith_diag *d);

void kith_charts_free_paths(char **paths); /* accepts NULL */

/* Starts loading the font configuration (fontconfig reads its configuration and caches in
 * a thread pango starts for it) so that it overlaps other work instead of delaying the first
 * chart. Optional; call early, from any thread. */
void kith_charts_warm_up(void);

/* Releases the font caches pango and cairo keep for the life of the process, so leak checkers
 * see a clean exit. Call only at exit, after the last chart: drawing afterwards reloads them. */
void kith_charts_release_fonts(void);

#endif
