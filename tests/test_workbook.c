/* The writers of src/output/: the output set, the workbook and summary.json, on a report built
 * by hand (four made-up persons), checked by tests/check_workbook.py with openpyxl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kith/output.h"

#include "../src/output/xlsx_rows.h"

#define AS_OF 1793491199      /* 2026-10-31T23:59:59Z */
#define PREV_AS_OF 1790812799 /* 2026-09-30T23:59:59Z */
#define HYPERLINK "=HYPERLINK(\"http://x\",\"y\")"

/* A 2x40 red PNG. */
static const unsigned char png_bytes[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00"
    "\x00\x28\x08\x02\x00\x00\x00\x5b\xe3\xbc\x23\x00\x00\x00\x12\x49\x44\x41\x54\x78\x9c\x63"
    "\xf8\xcf\xc0\x00\x44\x0c\xa3\x14\x2a\x05\x00\xe7\x8d\x4f\xb1\x3e\x80\xc2\xf9\x00\x00\x00"
    "\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

typedef struct {
    kith_model m;
    kith_report r;
    kith_person persons[4];
    kith_person_measures pm[4], pm_prev[4];
    kith_input_stat input;
    kith_cluster cluster;
    int32_t neglected[2], you_owe[1];
    kith_birthday birthday;
    kith_ledger_row ledger[3];
    kith_change dormant[1], moves[2];
    char tmp[64];
} fixture;

static kith_person_measures blank_measures(void)
{
    kith_person_measures pm;
    memset(&pm, 0, sizeof pm);
    pm.balance = pm.silent_days = pm.usual_gap = pm.betweenness = NAN;
    pm.priority = pm.engagement = pm.mutuality = pm.novelty = NAN;
    pm.first_event = pm.last_contact = KITH_NO_TIME;
    pm.cluster = -1;
    pm.status = KITH_ST_LATENT;
    return pm;
}

static void build(fixture *f)
{
    memset(f, 0, sizeof *f);
    kith_person *p = f->persons;
    p[0] = (kith_person){.name = "Ada Quill",
                         .name_key = "ada quill",
                         .url = "linkedin.com/in/adaquill",
                         .email = "ada@example.org",
                         .emails = "ada@example.org; ada.quill@example.com",
                         .company = "Globex",
                         .company_key = "globex",
                         .position = "CTO",
                         .labels = "Work",
                         .sources = "google-contacts; linkedin/connections",
                         .connected_on = 1710460800,
                         .bday_year = 1990,
                         .bday_month = 11,
                         .bday_day = 5,
                         .connection = true};
    p[1] = (kith_person){.name = HYPERLINK,
                         .name_key = "hyperlinkhttpxy",
                         .sources = "linkedin/connections",
                         .connected_on = 1780315200,
                         .connection = true};
    p[2] = (kith_person){.name = "Bo Brook",
                         .name_key = "bo brook",
                         .email = "bo@example.org",
                         .company = "Globex",
                         .company_key = "globex",
                         .sources = "linkedin/messages",
                         .connected_on = KITH_NO_TIME};
    p[3] = (kith_person){.name = "Cy Dale",
                         .name_key = "cy dale",
                         .email = "cy@example.net",
                         .company = "Init\xff"
                                    "ech",
                         .position = "-VP",
                         .labels = "@work; +friends",
                         .sources = "vcard",
                         .connected_on = KITH_NO_TIME,
                         .bday_month = 12,
                         .bday_day = 24};
    for (int i = 0; i < 4; i++)
        f->pm[i] = f->pm_prev[i] = blank_measures();

    kith_person_measures *a = &f->pm[0];
    a->given = 12.5;
    a->received = 4;
    a->given_12m = 10;
    a->received_12m = 3;
    a->balance = 8.5 / 16.5;
    a->label = KITH_LABEL_THEY_OWE;
    a->status = KITH_ST_ACTIVE;
    a->last_contact = 1792454400; /* 2026-10-20T00:00:00Z */
    a->silent_days = 11.99999;
    a->usual_gap = 14;
    a->strength = 5.25;
    a->peak_strength = 9;
    a->rule = KITH_RULE_RHYTHM_GAP;
    a->layer = 1;
    a->cluster = 0;
    a->betweenness = 0.5;

    kith_person_measures *b = &f->pm[2];
    b->given = 2;
    b->received = 8;
    b->balance = -0.6;
    b->label = KITH_LABEL_YOU_OWE;
    b->status = KITH_ST_DORMANT;
    b->last_contact = 1755648000;
    b->silent_days = 437.99;
    b->usual_gap = 20;
    b->strength = 1.1;
    b->peak_strength = 6;
    b->layer = 2;
    b->cluster = 0;
    b->betweenness = 123456.789;
    b->priority = 0.8;
    b->engagement = 1;
    b->mutuality = 0.4;
    b->novelty = 1;
    b->rule = KITH_RULE_DORMANT_GAP;

    kith_person_measures *c = &f->pm[3];
    c->given = 3;
    c->received = 3;
    c->balance = 0;
    c->label = KITH_LABEL_BALANCED;
    c->status = KITH_ST_FADING;
    c->last_contact = 1780315200;
    c->silent_days = 152.5;
    c->strength = 0.9;
    c->peak_strength = 3;
    c->layer = 2;
    c->cluster = 0;
    c->priority = 0.5;
    c->engagement = 0.5;
    c->mutuality = 1;
    c->novelty = 0;
    c->rule = KITH_RULE_RHYTHM_NO_GAP;
    f->pm[1].rule = KITH_RULE_LATENT;

    f->input = (kith_input_stat){.path = "export.zip:Connections.csv",
                                 .kind = "linkedin/connections",
                                 .rows = 4,
                                 .skipped = 1};
    f->m = (kith_model){.persons = f->persons,
                        .n_persons = 4,
                        .owner_name = "Lee Park",
                        .first_time = 1710460800,
                        .export_time = AS_OF + 86400 * 3,
                        .inputs = &f->input,
                        .n_inputs = 1};

    kith_report *r = &f->r;
    r->model = &f->m;
    kith_config_defaults(&r->config, "monthly"); /* the rules' thresholds */
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        r->config.sheets[s] = true;
    r->config.summary_json = true;
    memcpy(r->month, "2026-10", 8);
    memcpy(r->prev_month, "2026-09", 8);
    r->as_of = AS_OF;
    r->prev_as_of = PREV_AS_OF;
    r->pm = f->pm;
    r->pm_prev = f->pm_prev;
    for (int k = 0; k < KITH_KPI__COUNT; k++) {
        r->kpi[k] = kith_kpi_defs[k].is_count ? k : k + 0.25;
        r->kpi_prev[k] = kith_kpi_defs[k].is_count ? k : k - 0.125;
    }
    r->kpi[KITH_KPI_PERSONS] = 4;
    r->kpi_prev[KITH_KPI_PERSONS] = 3;
    r->kpi[KITH_KPI_MODULARITY] = NAN;
    r->kpi[KITH_KPI_RECIPROCITY] = 0.5;
    r->kpi[KITH_KPI_GIVEN] = 7.5;
    r->kpi_prev[KITH_KPI_BURSTINESS] = INFINITY;

    f->cluster = (kith_cluster){.id = 1,
                                .name = "Globex \xc2\xb7 3",
                                .size = 3,
                                .active = 2,
                                .top_employers = "Globex (3)",
                                .top_members = "Ada Quill; Bo Brook; Cy Dale"};
    r->clusters = &f->cluster;
    r->n_clusters = 1;
    for (int mo = 0; mo < 12; mo++) {
        kith_month *km = &r->months[mo];
        snprintf(km->label, sizeof km->label, "%04d-%02d", mo < 2 ? 2025 : 2026,
                 mo < 2 ? 11 + mo : mo - 1);
        km->given[KITH_K_MESSAGE] = mo;
        km->received[KITH_K_MESSAGE] = mo / 2;
        km->out_events = mo;
        km->status[KITH_ST_ACTIVE] = 1;
        km->activity[KITH_ACT_SHARE] = mo % 3;
    }
    r->months[11].given[KITH_K_MESSAGE] = 5.5;
    r->months[11].given[KITH_K_ENDORSEMENT] = 2;
    r->months[11].endorsements_given = 1;

    f->neglected[0] = 2;
    f->neglected[1] = 3;
    r->neglected = f->neglected;
    r->n_neglected = 2;
    f->you_owe[0] = 2;
    r->you_owe = f->you_owe;
    r->n_you_owe = 1;
    f->birthday = (kith_birthday){.person = 0, .next = 1793836800};
    r->birthdays = &f->birthday;
    r->n_birthdays = 1;
    f->ledger[0] = (kith_ledger_row){0, KITH_K_MESSAGE, 6, 4, 6, 4};
    f->ledger[1] = (kith_ledger_row){0, KITH_K_ENDORSEMENT, 4, 0, 2, 0};
    f->ledger[2] = (kith_ledger_row){2, KITH_K_RECOMMENDATION, 0, 8, 0, 1};
    r->ledger = f->ledger;
    r->n_ledger = 3;
    r->profile = (kith_profile_check){.headline = true, .summary = true};
    f->dormant[0] = (kith_change){2, KITH_ST_FADING, KITH_ST_DORMANT};
    r->became_dormant = f->dormant;
    r->n_became_dormant = 1;
    f->moves[0] = (kith_change){0, 2, 1};
    f->moves[1] = (kith_change){3, 0, 2};
    r->layer_moves = f->moves;
    r->n_layer_moves = 2;
    r->layer_counts[1] = 1;
    r->layer_counts[2] = 2;
    r->layer_counts[0] = 1;
    r->layer_counts_prev[2] = 2;
    r->layer_counts_prev[0] = 1;

    snprintf(f->tmp, sizeof f->tmp, "/tmp/kith-test-workbook-XXXXXX");
    assert_non_null(mkdtemp(f->tmp));
}

static void remove_tree(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Files in dir whose name starts with a dot (temporary files of an output set). */
static int count_dot_files(const char *dir)
{
    int n = 0;
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    while ((e = readdir(dp)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dp);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (int)(st.st_mode & 0777);
}

static void run_check(const char *xlsx, const char *json, const char *flags)
{
    char here[1024], cmd[4096];
    snprintf(here, sizeof here, "%s", __FILE__);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/check_workbook.py' '%s' '%s' %s", dirname(here),
             xlsx, json, flags);
    assert_int_equal(system(cmd), 0);
}

/* charts_ready hooks: kith report hands the PNGs over only when the charts thread is done. */
static const char *const *hook_pngs;
static int hook_calls;

static kith_err hook_ok(void *ctx, const char *const **pngs, kith_diag *d)
{
    (void)ctx;
    (void)d;
    hook_calls++;
    *pngs = hook_pngs;
    return KITH_OK;
}

static kith_err hook_fail(void *ctx, const char *const **pngs, kith_diag *d)
{
    (void)ctx;
    *pngs = NULL;
    return kith_diag_set(d, KITH_ERR_OUTPUT, "cluster-map.png", 0, "cannot draw");
}

/* Writes the workbook (with opts) and summary.json through one output set, then checks them. */
static void write_and_check(const kith_workbook_opts *opts, bool with_png, const char *flags)
{
    fixture f;
    build(&f);
    char dir[128], png[160], xlsx[192], json[192];
    snprintf(dir, sizeof dir, "%s/out/2026", f.tmp);
    kith_diag d;
    kith_diag_clear(&d);
    kith_outset *set = NULL;
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    const char *tmp_png = NULL, *tmp_xlsx = NULL, *tmp_json = NULL;
    const char *pngs[2] = {NULL, NULL};
    if (with_png) {
        assert_int_equal(kith_outset_temp(set, "activity.png", &tmp_png, &d), KITH_OK);
        FILE *fp = fopen(tmp_png, "wb");
        assert_non_null(fp);
        fwrite(png_bytes, 1, sizeof png_bytes - 1, fp);
        fclose(fp);
        pngs[0] = tmp_png;
    }
    char name[64];
    kith_workbook_name(&f.r, name, sizeof name);
    assert_string_equal(name, "network-health-2026-10.xlsx");
    assert_int_equal(kith_outset_temp(set, name, &tmp_xlsx, &d), KITH_OK);
    hook_pngs = pngs;
    hook_calls = 0;
    bool hooked = opts && opts->charts_ready;
    kith_err we = kith_workbook_write_opt(&f.r, tmp_xlsx, hooked ? NULL : pngs, opts, &d);
    if (we)
        fprintf(stderr, "%s: %s\n", d.file, d.reason);
    assert_int_equal(we, KITH_OK);
    assert_int_equal(hook_calls, hooked ? 1 : 0);
    assert_int_equal(kith_outset_temp(set, "summary.json", &tmp_json, &d), KITH_OK);
    assert_int_equal(kith_summary_json_write(&f.r, tmp_json, &d), KITH_OK);
    assert_int_equal(kith_outset_commit(set, &d), KITH_OK);
    kith_outset_free(set);

    snprintf(png, sizeof png, "%s/activity.png", dir);
    snprintf(xlsx, sizeof xlsx, "%s/%s", dir, name);
    snprintf(json, sizeof json, "%s/summary.json", dir);
    assert_int_equal(mode_of(xlsx), 0600);
    assert_int_equal(mode_of(json), 0600);
    assert_int_equal(mode_of(dir), 0700);
    assert_int_equal(count_dot_files(dir), 0);
    run_check(xlsx, json, flags);
    remove_tree(f.tmp);
}

static void test_workbook_default(void **state)
{
    (void)state;
    write_and_check(NULL, false, "");
}

static void test_workbook_constant_memory_split(void **state)
{
    (void)state;
    kith_workbook_opts o = {.constant_memory = 1, .max_rows = 2};
    write_and_check(&o, true, "--split --charts");
}

static void test_workbook_with_chart_png(void **state)
{
    (void)state;
    kith_workbook_opts o = {.constant_memory = -1};
    write_and_check(&o, true, "--charts");
}

/* The PNGs come from the charts_ready hook (chart_pngs is NULL): same Charts sheet. */
static void test_workbook_charts_from_hook(void **state)
{
    (void)state;
    kith_workbook_opts o = {.constant_memory = -1, .charts_ready = hook_ok};
    write_and_check(&o, true, "--charts");
}

/* A failing hook (the charts thread failed) fails the workbook with the hook's diagnostic. */
static void test_workbook_charts_hook_error(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char path[256];
    snprintf(path, sizeof path, "%s/book.xlsx", f.tmp);
    kith_diag d;
    kith_diag_clear(&d);
    kith_workbook_opts o = {.charts_ready = hook_fail};
    assert_int_equal(kith_workbook_write_opt(&f.r, path, NULL, &o, &d), KITH_ERR_OUTPUT);
    assert_string_equal(d.file, "cluster-map.png");
    assert_string_equal(d.reason, "cannot draw");
    remove_tree(f.tmp);
}

/* report_ready: kith report finishes the month before while the data sheets are written; the
 * Summary (the first sheet) is filled only after the hook. Here the hook supplies last
 * month's persons KPI, which check_workbook.py expects in the Summary's C2. */
static kith_report *ready_report;
static int ready_calls;
static struct kith_report_pending *not_finished = (struct kith_report_pending *)&ready_calls;

static kith_err ready_ok(void *ctx, kith_diag *d)
{
    (void)ctx;
    (void)d;
    ready_calls++;
    ready_report->kpi_prev[KITH_KPI_PERSONS] = 3;
    ready_report->pending = NULL;
    return KITH_OK;
}

static kith_err ready_fail(void *ctx, kith_diag *d)
{
    (void)ctx;
    ready_calls++;
    return kith_diag_set(d, KITH_ERR_GRAPH, NULL, 0, "the month before failed");
}

static void test_workbook_report_ready_hook(void **state)
{
    (void)state;
    for (int cm = -1; cm <= 1; cm += 2) {
        fixture f;
        build(&f);
        char path[256], json[256];
        snprintf(path, sizeof path, "%s/book.xlsx", f.tmp);
        snprintf(json, sizeof json, "%s/summary.json", f.tmp);
        kith_diag d;
        kith_diag_clear(&d);
        f.r.kpi_prev[KITH_KPI_PERSONS] = NAN;
        f.r.pending = not_finished;
        ready_report = &f.r;
        ready_calls = 0;
        /* an unfinished report without the hook is refused */
        assert_int_equal(kith_workbook_write_opt(&f.r, path, NULL,
                                                 &(kith_workbook_opts){.constant_memory = cm}, &d),
                         KITH_ERR_OUTPUT);
        assert_non_null(strstr(d.reason, "not finished"));
        /* a failing hook stops the workbook with its error */
        kith_workbook_opts o = {.constant_memory = cm, .max_rows = 2, .report_ready = ready_fail};
        assert_int_equal(kith_workbook_write_opt(&f.r, path, NULL, &o, &d), KITH_ERR_GRAPH);
        assert_int_equal(ready_calls, 1);
        o.report_ready = ready_ok;
        assert_int_equal(kith_workbook_write_opt(&f.r, path, NULL, &o, &d), KITH_OK);
        assert_int_equal(ready_calls, 2);
        assert_null(f.r.pending);
        assert_int_equal(kith_summary_json_write(&f.r, json, &d), KITH_OK);
        run_check(path, json, "--split");
        remove_tree(f.tmp);
    }
}

static void test_summary_json_stable(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    char *a = kith_summary_json(&f.r), *b = kith_summary_json(&f.r);
    assert_non_null(a);
    assert_string_equal(a, b);
    /* Hand-checked fragments: integer counts, 12 significant digits, null for NaN and Inf. */
    assert_non_null(strstr(a, "\"persons\":\t4,"));
    assert_non_null(strstr(a, "\"modularity\":\tnull"));
    assert_non_null(strstr(a, "\"burstiness\":\tnull"));
    assert_non_null(strstr(a, "\"given\":\t7.5,"));
    assert_non_null(strstr(a, "\"as_of\":\t\"2026-10-31T23:59:59Z\""));
    f.r.kpi[KITH_KPI_CONSTRAINT] = 0.1 + 0.2; /* 0.30000000000000004 */
    free(b);
    b = kith_summary_json(&f.r);
    assert_non_null(strstr(b, "\"constraint\":\t0.3,"));
    free(a);
    free(b);
    remove_tree(f.tmp);
}

/* A failure before commit leaves last month's file untouched and no temporary file. */
static void test_outset_failure_keeps_old_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/kith-test-outset-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/network-health-2026-09.xlsx", dir);
    write_file(path, "last month");

    fixture f;
    build(&f);
    kith_diag d;
    kith_diag_clear(&d);
    kith_outset *set = NULL;
    const char *tmp = NULL, *tmp2 = NULL;
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    assert_int_equal(kith_outset_temp(set, "network-health-2026-09.xlsx", &tmp, &d), KITH_OK);
    assert_non_null(strstr(tmp, "/.network-health-2026-09.xlsx."));
    assert_int_equal(mode_of(tmp), 0600);
    assert_int_equal(kith_outset_temp(set, "network-health-2026-09.xlsx", &tmp2, &d),
                     KITH_ERR_OUTPUT);
    assert_int_equal(kith_outset_temp(set, "../escape", &tmp2, &d), KITH_ERR_OUTPUT);
    /* The workbook fails: a "chart" that is not a PNG. */
    const char *pngs[] = {path, NULL};
    assert_int_equal(kith_workbook_write(&f.r, tmp, pngs, &d), KITH_ERR_OUTPUT);
    assert_non_null(strstr(d.reason, "not a PNG"));
    assert_int_equal(count_dot_files(dir), 1);
    kith_outset_free(set); /* no commit */

    assert_int_equal(count_dot_files(dir), 0);
    char *text = slurp(path);
    assert_string_equal(text, "last month");
    free(text);

    /* The same run, committed, replaces the file. */
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    assert_int_equal(kith_outset_temp(set, "network-health-2026-09.xlsx", &tmp, &d), KITH_OK);
    write_file(tmp, "this month");
    assert_int_equal(kith_outset_count(set), 1);
    assert_string_equal(kith_outset_name(set, 0), "network-health-2026-09.xlsx");
    assert_int_equal(kith_outset_commit(set, &d), KITH_OK);
    kith_outset_free(set);
    text = slurp(path);
    assert_string_equal(text, "this month");
    free(text);
    assert_int_equal(mode_of(path), 0600);
    assert_int_equal(count_dot_files(dir), 0);

    /* An output folder that cannot be made names the folder. */
    snprintf(path, sizeof path, "%s/network-health-2026-09.xlsx/sub", dir);
    assert_int_equal(kith_outset_new(path, &set, &d), KITH_ERR_IO);
    assert_null(set);
    assert_non_null(strstr(d.file, "network-health-2026-09.xlsx"));
    remove_tree(dir);
    remove_tree(f.tmp);
}

/* Killed mid-run (Ctrl-C, SIGTERM), a run removes its temporary files and dies of the
 * signal; the previous files stay. */
static void test_outset_signal_removes_temps(void **state)
{
    (void)state;
    char dir[] = "/tmp/kith-test-signal-XXXXXX", path[128];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/summary.json", dir);
    write_file(path, "last month");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        kith_outset *set = NULL;
        const char *tmp;
        if (kith_outset_new(dir, &set, NULL) || kith_outset_temp(set, "summary.json", &tmp, NULL) ||
            kith_outset_temp(set, "a.xlsx", &tmp, NULL))
            _exit(3);
        FILE *f = fopen(tmp, "wb");
        fputs("half", f);
        fclose(f);
        if (count_dot_files(dir) != 2)
            _exit(4);
        raise(SIGTERM);
        _exit(5);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_int_equal(count_dot_files(dir), 0);
    char *text = slurp(path);
    assert_string_equal(text, "last month");
    free(text);
    remove_tree(dir);
}

/* The whole file, malloc'd; *n its size. */
static char *slurp_all(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *b = malloc((size_t)len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, fp), (size_t)len);
    fclose(fp);
    *n = (size_t)len;
    return b;
}

/* kith's row writer (xlsx_rows.c) and libxlsxwriter's own cell calls give the same workbook,
 * byte for byte, on text that needs every kind of escaping and on continuation sheets. */
static void test_workbook_row_writer_same_bytes(void **state)
{
    (void)state;
    fixture f;
    build(&f);
    f.persons[2].name = " Bo & <Brook> ";      /* blanks at both ends: xml:space */
    f.persons[2].company = "line\r\nbreak";     /* \r escaped as _x000D_ */
    f.persons[2].position = "\ttab first";      /* a tab at the start */
    f.persons[3].position = "ends with tab\t";
    f.persons[3].labels = "_x0041_ Zo\xc3\xab \xe6\x9d\x8e >>";
    f.pm[0].betweenness = 1.0 / 3.0;
    f.pm[2].betweenness = 0.00012345678901234567;
    f.pm[3].betweenness = 98765432109876.54;
    f.pm[3].given = -2.5e-7;                     /* printf's exponent form */
    f.pm[3].received = 1e300;
    char a[192], b[192];
    snprintf(a, sizeof a, "%s/rows.xlsx", f.tmp);
    snprintf(b, sizeof b, "%s/cells.xlsx", f.tmp);
    kith_diag d;
    kith_diag_clear(&d);
    kith_workbook_opts oa = {.constant_memory = 1, .max_rows = 2};
    kith_workbook_opts ob = {.constant_memory = 1, .max_rows = 2, .cell_calls = 1};
    assert_int_equal(kith_workbook_write_opt(&f.r, a, NULL, &oa, &d), KITH_OK);
    assert_int_equal(kith_workbook_write_opt(&f.r, b, NULL, &ob, &d), KITH_OK);
    size_t na, nb;
    char *ba = slurp_all(a, &na), *bb = slurp_all(b, &nb);
    assert_true(na > 1000);
    assert_int_equal(na, nb);
    assert_memory_equal(ba, bb, na);
    free(ba);
    free(bb);
    remove_tree(f.tmp);
}

/* The row writer's number text is printf's "%.16G" on every kind of value a sheet holds. */
static void test_row_writer_numbers(void **state)
{
    (void)state;
    static const double fixed[] = {0, -0.0, 1, -1, 0.5, 0.1, 1.0 / 3, 2.0 / 3, 1e-4, 9.99999e-5,
                                   0.0001, 0.00012345, 123456.789, 45567.75, 999999999999999.0,
                                   999999999999999.9, 1e15, 1e16, 1e300, 5e-324, 0.30000000000000004,
                                   9.9999999999999995, 99999.999999999996, 0.12345678901234565,
                                   -46000.000011574074, 1234567890123.4567};
    char mine[64], want[64];
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        size_t n = kith_xrows_g16(fixed[i], mine);
        snprintf(want, sizeof want, "%.16G", fixed[i]);
        assert_string_equal(mine, want);
        assert_int_equal(n, strlen(want));
    }
    /* random values: uniform, spread over 22 decades, Excel dates with times of day,
     * integers, and 16-digit values that end in 5 (halfway cases) */
    unsigned short seed[3] = {7, 11, 13};
    long fast = 0;
    for (long i = 0; i < 1000000; i++) {
        double v;
        switch (i % 5) {
        case 0: v = erand48(seed); break;
        case 1: v = pow(10, erand48(seed) * 22 - 6); break;
        case 2: v = 25569 + floor(erand48(seed) * 30000) + floor(erand48(seed) * 86400) / 86400; break;
        case 3: v = floor(erand48(seed) * 1e12); break;
        default: v = (floor(erand48(seed) * 1e15) * 10 + 5) / pow(10, floor(erand48(seed) * 18)); break;
        }
        if (i % 7 == 0)
            v = -v;
        kith_xrows_g16(v, mine);
        snprintf(want, sizeof want, "%.16G", v);
        if (strcmp(mine, want) != 0)
            fail_msg("%.17g: row writer %s, printf %s", v, mine, want);
        fast += strchr(want, 'E') == NULL;
    }
    assert_true(fast > 700000); /* most went the fast way, not to snprintf */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workbook_default),
        cmocka_unit_test(test_workbook_constant_memory_split),
        cmocka_unit_test(test_workbook_row_writer_same_bytes),
        cmocka_unit_test(test_row_writer_numbers),
        cmocka_unit_test(test_workbook_report_ready_hook),
        cmocka_unit_test(test_workbook_with_chart_png),
        cmocka_unit_test(test_workbook_charts_from_hook),
        cmocka_unit_test(test_workbook_charts_hook_error),
        cmocka_unit_test(test_summary_json_stable),
        cmocka_unit_test(test_outset_failure_keeps_old_files),
        cmocka_unit_test(test_outset_signal_removes_temps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
