/* `kith report NAME`: load the inputs, build the report for one month, write every output of
 * the report definition through one output set (all files appear together or none). */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kith/charts.h"
#include "kith/commands.h"
#include "kith/config.h"
#include "kith/output.h"
#include "kith/report.h"
#include "kith/sources.h"
#include "kith/trace.h"

static bool known_report(const char *name)
{
    return strcmp(name, "monthly") == 0 || strcmp(name, "neglected") == 0 ||
           strcmp(name, "clusters") == 0;
}

/* Spec §5: inputs are only ever read. Refuses an output that would replace one of them
 * (e.g. `--out .` with an input named summary.json in it). */
static kith_err check_not_input(const kith_cli_opts *o, const kith_outset *set, kith_diag *d)
{
    char dir[PATH_MAX], in[PATH_MAX], outp[PATH_MAX + 64];
    if (!realpath(kith_outset_dir(set), dir))
        return KITH_OK;
    for (size_t i = 0; i < o->n_inputs; i++) {
        if (!realpath(o->inputs[i], in))
            continue;
        for (size_t k = 0; k < kith_outset_count(set); k++) {
            snprintf(outp, sizeof outp, "%s/%s", dir, kith_outset_name(set, k));
            if (strcmp(outp, in) == 0)
                return kith_diag_set(d, KITH_ERR_USAGE, o->inputs[i], 0,
                                     "is an input and would be overwritten by the report; "
                                     "choose another --out folder");
        }
    }
    return KITH_OK;
}

static void day_text(int64_t t, char buf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t == KITH_NO_TIME || !gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%d", &tm))
        snprintf(buf, 32, "unknown");
}

/* A month chosen with --month outside the data gives a valid but misleading report: say so. */
static void warn_about_month(const kith_report *r, FILE *err)
{
    const kith_model *m = r->model;
    char day[32];
    if (m->n_persons > 0 && r->kpi[KITH_KPI_PERSONS] == 0) {
        day_text(m->first_time, day);
        fprintf(err, "kith: warning: nobody is known as of %s: the data starts %s\n", r->month,
                day);
    } else if (m->export_time != KITH_NO_TIME && r->as_of > m->export_time + 31 * 86400LL) {
        day_text(m->export_time, day);
        fprintf(err,
                "kith: warning: %s ends long after the export (%s): ties look quieter than "
                "they are\n",
                r->month, day);
    }
}

static void print_summary(const kith_report *r, const kith_outset *set, FILE *out)
{
    char as_of[32] = "";
    time_t t = (time_t)r->as_of;
    struct tm tm;
    if (gmtime_r(&t, &tm))
        strftime(as_of, sizeof as_of, "%Y-%m-%d %H:%M:%S UTC", &tm);
    const kith_model *m = r->model;
    fprintf(out, "kith report %s for %s (as of %s)%s%s\n", r->config.name, r->month, as_of,
            m->owner_name[0] ? ", owner " : "", m->owner_name);
    fprintf(out, "  %.0f persons, %.0f active ties, %.0f fading, %.0f dormant, %zu clusters\n",
            isfinite(r->kpi[KITH_KPI_PERSONS]) ? r->kpi[KITH_KPI_PERSONS] : 0.0,
            isfinite(r->kpi[KITH_KPI_ACTIVE_TIES]) ? r->kpi[KITH_KPI_ACTIVE_TIES] : 0.0,
            isfinite(r->kpi[KITH_KPI_FADING]) ? r->kpi[KITH_KPI_FADING] : 0.0,
            isfinite(r->kpi[KITH_KPI_DORMANT]) ? r->kpi[KITH_KPI_DORMANT] : 0.0, r->n_clusters);
    if (kith_outset_count(set) == 0) {
        fputs("  nothing to write: the report definition enables no output\n", out);
        return;
    }
    const char *dir = kith_outset_dir(set);
    size_t n = strlen(dir);
    fprintf(out, "wrote to %s%s:\n", dir, n && dir[n - 1] == '/' ? "" : "/");
    for (size_t i = 0; i < kith_outset_count(set); i++)
        fprintf(out, "  %s\n", kith_outset_name(set, i));
}

/* The workbook (libxlsxwriter) is written in a second thread, started as soon as the report
 * month is measured but its graph (kith_report_build_start): the Reciprocity sheet needs
 * nothing else, and is written while the main thread measures the graph (igraph, mostly one
 * core). The other data sheets wait for that (month_ready); at a million persons they take
 * about as long as the main thread's remaining work: the month before
 * (kith_report_build_finish, igraph), then the charts (PNG, SVG, PDF: cairo and pango; the
 * four that need no graph are started with the workbook, kith_charts_start, the cluster
 * map once the month's graph is measured, kith_charts_month). The workbook
 * thread waits for the month before to fill the Summary, and for the chart PNGs (drawn
 * first, told by pngs_ready) to add the Charts sheet. The threads share the report
 * (the main thread writes only the fields each phase documents, which the sheets waiting for
 * it do not read before) and the output set (the workbook's and summary.json's names are
 * reserved before the thread starts; the workbook thread touches only its own temporary
 * file). */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    /* set once, under mu (charts_done maybe by pngs_ready) */
    bool month_done, report_done, charts_done;
    kith_err month_e, report_e, charts_e;
    char **pngs;                   /* the charts' PNGs (owned here, by the main thread) */
    const char *const *ready_pngs; /* the same array once the PNGs are written, under mu */
    /* the workbook thread */
    const kith_report *r;
    const char *path;
    kith_err e;
    kith_diag d;
    pthread_t th;
    bool running;
} book_job;

static kith_err wait_for(book_job *j, const bool *done, const kith_err *e)
{
    pthread_mutex_lock(&j->mu);
    while (!*done)
        pthread_cond_wait(&j->cv, &j->mu);
    kith_err r = *e;
    pthread_mutex_unlock(&j->mu);
    return r;
}

/* The main thread's errors are reported by the main thread: the workbook only stops. */
static kith_err month_ready(void *ctx, kith_diag *d)
{
    book_job *j = ctx;
    kith_err e = wait_for(j, &j->month_done, &j->month_e);
    return e ? kith_diag_set(d, e, NULL, 0, "the report failed") : KITH_OK;
}

static kith_err report_ready(void *ctx, kith_diag *d)
{
    book_job *j = ctx;
    kith_err e = wait_for(j, &j->report_done, &j->report_e);
    return e ? kith_diag_set(d, e, NULL, 0, "the report failed") : KITH_OK;
}

static kith_err charts_ready(void *ctx, const char *const **pngs, kith_diag *d)
{
    book_job *j = ctx;
    kith_err e = wait_for(j, &j->charts_done, &j->charts_e);
    pthread_mutex_lock(&j->mu);
    *pngs = j->ready_pngs;
    pthread_mutex_unlock(&j->mu);
    return e ? kith_diag_set(d, e, NULL, 0, "the charts failed") : KITH_OK;
}

static void signal_done(book_job *j, bool *done, kith_err *slot, kith_err e)
{
    pthread_mutex_lock(&j->mu);
    if (!*done) {
        *done = true;
        *slot = e;
    }
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

/* From a drawing thread: the PNGs exist, the workbook may embed them while the SVGs and the
 * PDF are still being drawn. */
static void pngs_ready(void *ctx, const char *const *pngs)
{
    book_job *j = ctx;
    pthread_mutex_lock(&j->mu);
    j->ready_pngs = pngs;
    pthread_mutex_unlock(&j->mu);
    signal_done(j, &j->charts_done, &j->charts_e, KITH_OK);
}

static void *book_thread(void *p)
{
    book_job *j = p;
    kith_workbook_opts wo = {.month_ready = month_ready,
                             .report_ready = report_ready,
                             .report_ctx = j,
                             .charts_ready = charts_ready,
                             .charts_ctx = j};
    /* KITH_CELL_CALLS=1: every cell through libxlsxwriter's own calls (tests compare) */
    const char *cc = getenv("KITH_CELL_CALLS");
    wo.cell_calls = cc && *cc == '1';
    kith_span t = kith_trace_start();
    j->e = kith_workbook_write_opt(j->r, j->path, NULL, &wo, &j->d);
    kith_trace_stop(t, "workbook (thread, with waits)");
    return NULL;
}

/* Waits for the workbook thread (telling it to stop if the main thread failed). Returns its
 * error, with its diagnostic in *d (when d is given). */
static kith_err book_join(book_job *j, kith_err main_e, kith_diag *d)
{
    if (!j->running)
        return KITH_OK;
    signal_done(j, &j->month_done, &j->month_e, main_e ? main_e : KITH_ERR_OUTPUT);
    signal_done(j, &j->report_done, &j->report_e, main_e ? main_e : KITH_ERR_OUTPUT);
    signal_done(j, &j->charts_done, &j->charts_e, main_e ? main_e : KITH_ERR_OUTPUT);
    pthread_join(j->th, NULL);
    j->running = false;
    if (j->e && d)
        *d = j->d;
    return j->e;
}

kith_err kith_cmd_report(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d)
{
    kith_err e = KITH_OK;
    kith_model *m = NULL;
    kith_report *r = NULL;
    kith_outset *set = NULL;
    book_job job = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    kith_charts_run *charts = NULL;
    const char *name = o->report ? o->report : "";
    kith_config cfg;

    if (!known_report(name))
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0,
                             "unknown report '%s' (monthly, neglected or clusters)", name);
    kith_config_defaults(&cfg, name);
    if (o->config && (e = kith_config_load(&cfg, o->config, d)))
        goto cleanup;
    if (o->dormant_days > 0)
        cfg.dormant_days = (double)o->dormant_days;

    kith_load_opts lo = {.strict = o->strict, .quiet = o->quiet, .me = o->me, .n_me = o->n_me,
                         .progress = err};
    kith_span t = kith_trace_start(), all = t;
    bool draws = cfg.pdf;
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        draws |= cfg.charts[c];
    if (draws)
        kith_charts_warm_up(); /* fonts load while the inputs do */
    if ((e = kith_load(o->inputs, o->n_inputs, &lo, &m, d)))
        goto cleanup;
    kith_trace_stop(t, "load");
    t = kith_trace_start();
    for (size_t i = 0; i < m->n_warnings; i++)
        fprintf(err, "kith: warning: %s\n", m->warnings[i]);
    if ((e = kith_report_build_start(m, &cfg, o->month, &r, d)))
        goto cleanup;

    if ((e = kith_outset_new(o->out_dir && *o->out_dir ? o->out_dir : "out", &set, d)))
        goto cleanup;
    /* The Charts sheet counts only when there are charts: without any other sheet, whether
     * there is a workbook is known only after drawing them. */
    bool book = kith_workbook_wanted(r, false);
    bool charts_only = !book && kith_workbook_wanted(r, true);
    const char *json_tmp = NULL;
    char book_name[96];
    kith_workbook_name(r, book_name, sizeof book_name);
    if ((book && (e = kith_outset_temp(set, book_name, &job.path, d))) ||
        (r->config.summary_json && (e = kith_outset_temp(set, "summary.json", &json_tmp, d))))
        goto cleanup;
    job.r = r;
    if (book)
        job.running = pthread_create(&job.th, NULL, book_thread, &job) == 0;
    if ((e = kith_charts_start(r, set, pngs_ready, &job, &charts, d)))
        goto cleanup;

    e = kith_report_build_graph(r, d);
    signal_done(&job, &job.month_done, &job.month_e, e);
    if (e)
        goto cleanup;
    kith_charts_month(charts); /* the cluster map, while the month before is measured */
    kith_trace_stop(t, "report build: the report month");
    warn_about_month(r, err);
    t = kith_trace_start();
    e = kith_report_build_finish(r, d);
    signal_done(&job, &job.report_done, &job.report_e, e);
    if (e)
        goto cleanup;
    kith_trace_stop(t, "report build: the month before");
    t = kith_trace_start();
    e = kith_charts_finish(charts, &job.pngs, d);
    charts = NULL;
    signal_done(&job, &job.charts_done, &job.charts_e, e); /* no PNG, or a failure */
    if (e)
        goto cleanup;
    kith_trace_stop(t, "charts");
    if (charts_only && job.pngs && job.pngs[0]) {
        book = true;
        if ((e = kith_outset_temp(set, book_name, &job.path, d)))
            goto cleanup;
    }
    if (book && !job.running) /* no second thread, or the workbook exists for charts only */
        book_thread(&job);
    if (json_tmp && (e = kith_summary_json_write(r, json_tmp, d)))
        goto cleanup;
    t = kith_trace_start();
    book_join(&job, KITH_OK, NULL);
    if ((e = job.e)) {
        *d = job.d;
        goto cleanup;
    }
    kith_trace_stop(t, "wait for the workbook");
    if ((e = check_not_input(o, set, d)) || (e = kith_outset_commit(set, d)))
        goto cleanup;
    kith_trace_stop(all, "kith report, total");
    print_summary(r, set, out);

cleanup:
    if (e)
        kith_outset_name_diag(set, d);
    kith_charts_cancel(charts); /* both before the set and report they read go away */
    book_join(&job, e, NULL);
    free(job.pngs);
    kith_outset_free(set); /* removes the temporary files of a failed run */
    kith_report_free(r);
    kith_model_free(m);
    return e;
}
