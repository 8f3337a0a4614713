/* The writers of spec §4: the workbook (libxlsxwriter), summary.json (cJSON), and the output
 * set that makes a run's files appear all together or not at all (spec §5).
 *
 * Writers only FORMAT a kith_report: they never recompute a measure, so the workbook, the
 * charts and summary.json cannot disagree. Only src/output/workbook.c includes <xlsxwriter.h>;
 * only src/output/summary_json.c includes <cJSON.h> in src/output/. */
#ifndef KITH_OUTPUT_H
#define KITH_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "kith/error.h"
#include "kith/report.h"

/* ------------------------------------------------------------------------------------------
 * The output set: every file of one run, written to a temporary name inside the output
 * folder and renamed into place only when all of them succeeded.
 *
 *     kith_outset *set = NULL;
 *     const char *tmp;
 *     if ((e = kith_outset_new(dir, &set, d))) goto cleanup;
 *     if ((e = kith_outset_temp(set, "summary.json", &tmp, d))) goto cleanup;
 *     ... write the file at tmp (fopen(tmp, "wb") truncates it and keeps mode 0600) ...
 *     e = kith_outset_commit(set, d);
 *   cleanup:
 *     kith_outset_free(set);   // removes every temporary file not committed
 *
 * A failed run therefore leaves no half-written file and never touches the files already in
 * the folder (last month's report): they are only replaced by the final rename. While a set
 * is alive, SIGINT, SIGTERM and SIGHUP (when still at their default action) remove its
 * temporary files before the process dies of the signal.
 * ------------------------------------------------------------------------------------------ */

typedef struct kith_outset kith_outset;

/* Creates the folder `dir` with its parents when missing (new folders get mode 0700: the
 * outputs hold contact data) and an empty output set for it. *out is owned by the caller:
 * kith_outset_free. Fails with KITH_ERR_IO naming the folder. */
kith_err kith_outset_new(const char *dir, kith_outset **out, kith_diag *d);

/* Reserves the output `final_name` (a plain file name, no '/'; each name at most once per set)
 * and creates its temporary file "DIR/.final_name.XXXXXX", empty, mode 0600. *tmp_path is the
 * temporary file's path, owned by the set and valid until kith_outset_free; write the file
 * there (it may be reopened and truncated any number of times). */
kith_err kith_outset_temp(kith_outset *set, const char *final_name, const char **tmp_path,
                          kith_diag *d);

/* Flushes every temporary file to disk and renames each onto its final name, in the order they
 * were reserved. Call only when every output was written. On a failed rename the files already
 * renamed stay (they are complete); the rest are removed by kith_outset_free. */
kith_err kith_outset_commit(kith_outset *set, kith_diag *d);

/* Removes every temporary file that was not committed, then frees the set. Accepts NULL. */
void kith_outset_free(kith_outset *set);

/* When d names one of the set's temporary files (a writer failed on it), names the output
 * the user asked for instead ("out/network-health-2026-10.xlsx", not its hidden temporary
 * "out/.network-health-2026-10.xlsx.Ab12Cd"). Accepts NULL for either. */
void kith_outset_name_diag(const kith_outset *set, kith_diag *d);

/* The folder, and the final names reserved so far (in order), for messages. */
const char *kith_outset_dir(const kith_outset *set);
size_t kith_outset_count(const kith_outset *set);
const char *kith_outset_name(const kith_outset *set, size_t i);

/* ------------------------------------------------------------------------------------------
 * The workbook (spec §4)
 * ------------------------------------------------------------------------------------------ */

/* Writes the sheets enabled in r->config.sheets, in kith_sheet order, to `path` (normally a
 * temporary path of an output set). chart_pngs is NULL or a NULL-terminated list of PNG files
 * (rendered at 2x) to place on the Charts sheet; without any, the Charts sheet is omitted.
 * Written in libxlsxwriter's constant-memory mode: each row goes to a temporary file as it
 * is written, so the work overlaps the charts instead of waiting for the close. Text is
 * always written as text, never as a formula; NaN and Inf are written as blank cells. The
 * xlsx's XML parts are deflated at igzip's fastest level and its PNGs stored uncompressed
 * (speed over size: see xlsx_zip.c). Fails with KITH_ERR_OUTPUT naming the path. */
kith_err kith_workbook_write(const kith_report *r, const char *path, const char *const *chart_pngs,
                             kith_diag *d);

/* Knobs for tests and benchmarks; kith_workbook_write uses the defaults (all zero). */
typedef struct {
    int constant_memory;    /* 0 or 1 = constant-memory mode; -1 = in memory (shared strings) */
    unsigned long max_rows; /* data rows per sheet before "Name (2)"; 0 = Excel's 1,048,575 */
    /* 1 = write the table sheets' cells through libxlsxwriter's worksheet_write_* calls too
     * in constant-memory mode (slower), not through kith's row writer: the same bytes, which
     * is what the tests check */
    int cell_calls;
    /* Optional (NULL = use chart_pngs): called once, after the data sheets and before the
     * Charts sheet, to get the chart PNGs only then (kith report draws them in a second
     * thread meanwhile). Sets *pngs (NULL-terminated, or NULL for none); a non-OK return
     * stops the workbook with that error. chart_pngs is ignored when this is set. */
    kith_err (*charts_ready)(void *ctx, const char *const **pngs, kith_diag *d);
    void *charts_ctx;
    /* Optional (NULL = the report is complete): called once, after every sheet that reads only
     * the report month's fields (see kith_report_build_begin) and before the Summary sheet
     * (which reads the month before too) is filled; kith report finishes the report
     * meanwhile. A non-OK return stops the workbook with that error. Without it the report
     * must be complete (r->pending NULL). */
    kith_err (*report_ready)(void *ctx, kith_diag *d);
    void *report_ctx;
    /* Optional (NULL = the report month is measured): called before the first sheet that
     * reads a field kith_report_build_graph writes (every sheet but Reciprocity, which reads
     * only the ledger and is written first), possibly from two threads at once; kith report
     * measures the report month's graph meanwhile. Uses report_ctx. A non-OK return stops
     * the workbook with that error. */
    kith_err (*month_ready)(void *ctx, kith_diag *d);
} kith_workbook_opts;

kith_err kith_workbook_write_opt(const kith_report *r, const char *path,
                                 const char *const *chart_pngs, const kith_workbook_opts *opts,
                                 kith_diag *d);

/* True when the report's configuration asks for at least one sheet that would be written
 * (the Charts sheet counts only when has_charts). */
bool kith_workbook_wanted(const kith_report *r, bool has_charts);

/* The workbook's file name for a report: "network-health-2026-10.xlsx" for monthly,
 * "neglected-2026-10.xlsx", "clusters-2026-10.xlsx"; other names give "NAME-2026-10.xlsx". */
void kith_workbook_name(const kith_report *r, char *buf, size_t size);

/* ------------------------------------------------------------------------------------------
 * summary.json (spec §4)
 * ------------------------------------------------------------------------------------------ */

/* The JSON text of summary.json: the stable shape of spec §4 (report, month, as_of, owner,
 * inputs [{path, kind, rows, skipped, dropped}], kpis {every kith_kpi_defs key}, previous
 * {same keys}), plus previous_month, changes {became_dormant, revived, layer_moves} and
 * layers / layers_previous {"1".."5", "none"}. Keys come in a fixed order; counts are
 * integers, other numbers are rounded to 12 significant digits so float noise never changes
 * the text; NaN/Inf are null. The text ends in a newline. Returns a malloc'd string (caller frees),
 * NULL when out of memory. */
char *kith_summary_json(const kith_report *r);

/* Writes kith_summary_json(r) to `path`. */
kith_err kith_summary_json_write(const kith_report *r, const char *path, kith_diag *d);

/* ------------------------------------------------------------------------------------------
 * Charts and the PDF (provided by src/output/ chart code on cairo)
 * ------------------------------------------------------------------------------------------ */

/* Writes every chart enabled in r->config.charts (PNG at 2x and SVG) and, when r->config.pdf,
 * the PDF report, each through kith_outset_temp(set, ...). On success *png_paths_out is NULL
 * (no PNG) or a malloc'd NULL-terminated array of the PNGs' temporary paths, in kith_chart
 * order, for the workbook's Charts sheet: the caller frees the array (free()), the strings
 * belong to the set.
 * Implemented in src/output/charts.c (include/kith/charts.h has the single-chart API). */
kith_err kith_charts_write_all(const kith_report *r, kith_outset *set, char ***png_paths_out,
                               kith_diag *d);

/* The same, calling pngs_ready(ctx, pngs) once, from a drawing thread, as soon as every PNG is
 * written and before the SVGs and the PDF are done, so the workbook can embed them meanwhile
 * (the PNGs are drawn first). pngs is the array *png_paths_out will hold (NULL-terminated;
 * it stays valid until the caller frees that array). Not called when there is no PNG or one
 * failed. pngs_ready may be NULL. Unlike kith_charts_write_all, *png_paths_out is set after a
 * failure too (a later SVG or the PDF may fail after pngs_ready): the caller frees it once
 * whoever pngs_ready told is done with it. */
kith_err kith_charts_write_all_opt(const kith_report *r, kith_outset *set,
                                   void (*pngs_ready)(void *ctx, const char *const *pngs),
                                   void *ctx, char ***png_paths_out, kith_diag *d);

/* kith_charts_write_all_opt in calls, to draw while the report is finished. _start may
 * follow kith_report_build_start: it reserves every file's name in the set and has a second
 * thread draw the charts that read only what that made final (activity, tie status,
 * reciprocity, layers); the set and the report's other fields are not read until _finish. _month
 * (optional) says kith_report_build_graph is done: the cluster map, which reads only the
 * report month's fields that makes final, may be drawn too. _finish, once the report is
 * complete, draws the rest on two threads and returns as kith_charts_write_all_opt; it
 * frees the run. _cancel stops and frees a run instead (after an error elsewhere; accepts
 * NULL). Exactly one of them must follow a successful _start. */
typedef struct kith_charts_run kith_charts_run;
kith_err kith_charts_start(const kith_report *r, kith_outset *set,
                           void (*pngs_ready)(void *ctx, const char *const *pngs), void *ctx,
                           kith_charts_run **out, kith_diag *d);
void kith_charts_month(kith_charts_run *run);
kith_err kith_charts_finish(kith_charts_run *run, char ***png_paths_out, kith_diag *d);
void kith_charts_cancel(kith_charts_run *run);

#endif
