/* Charts and the PDF: every chart renders for normal, empty and odd reports (PNG and SVG),
 * PNGs are 2x, output is byte-identical run to run, the PDF has 1 + charts pages, and the
 * formatting helpers give hand-computed strings. The reports are hand-built here: charts only
 * format a kith_report, so no loader or analysis is needed. Files land in charts-out/ under
 * the test's working folder so they can be looked at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../src/output/chart_draw.h"
#include "kith/charts.h"
#include "kith/graph.h"
#include "kith/output.h"

/* ---------------------------------------------------------------------------------------- */
/* A small report builder                                                                   */

typedef struct {
    kith_model m;
    kith_report r;
    char **names;
} fixture;

static uint32_t rng_state;
static double rnd(void) /* deterministic, in [0, 1) */
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (rng_state >> 8) / (double)(1u << 24);
}

static const char *const made_up[] = {
    "Avery Quill",    "Bram Osterfeld", "Cleo Marchetti", "Dario Fennimore", "Edda Lindqvist",
    "Farid Nasser",   "Gwen Talbot",    "Hiro Tanabe",    "Iris Okonkwo",    "Jonas Weller",
    "Kira Vasquez",   "Lev Abramov",    "Mina Castellano", "Nils Bergstrom", "Odette Renaud",
    "Pavel Dvorak",   "Quinn Harlow",   "Rosa Delgado",   "Soren Ahlberg",   "Tamsin Greer",
    "Umar Haddad",    "Vera Kowalczyk", "Wes Thornbury",  "Xenia Pappas",    "Yusuf Demir",
    "Zara Whitfield", "Anouk Verhoeven", "Basil Frost",   "Carys Pemberton", "Dmitri Volkov"};

static int64_t month_start(int y, int m)
{
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = 1;
    return (int64_t)timegm(&tm);
}

/* n persons in n_clusters clusters (every 7th person in none), 12 months of activity when
 * `events`, a layout of every person. names overrides the made-up names when not NULL. */
static fixture *fx_new(size_t n, int n_clusters, bool events, const char *const *names,
                       size_t n_names)
{
    fixture *f = calloc(1, sizeof *f);
    rng_state = 12345;
    kith_model *m = &f->m;
    kith_report *r = &f->r;
    m->owner_name = strdup("Alex Morgan");
    m->n_persons = n;
    m->persons = calloc(n + 1, sizeof *m->persons);
    f->names = calloc(n + 1, sizeof *f->names);
    for (size_t i = 0; i < n; i++) {
        char buf[128];
        if (names && i < n_names)
            snprintf(buf, sizeof buf, "%s", names[i]);
        else if (i < 30)
            snprintf(buf, sizeof buf, "%s", made_up[i]);
        else
            snprintf(buf, sizeof buf, "%s %zu", made_up[i % 30], i / 30);
        f->names[i] = strdup(buf);
        m->persons[i].name = f->names[i];
    }

    r->model = m;
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        r->config.charts[c] = true;
    r->config.pdf = true;
    r->config.owe_ratio = 1.0 / 3;
    r->config.owe_min = 4;
    snprintf(r->month, sizeof r->month, "2026-10");
    snprintf(r->prev_month, sizeof r->prev_month, "2026-09");
    r->as_of = month_start(2026, 11) - 1;
    r->prev_as_of = month_start(2026, 10) - 1;

    r->pm = calloc(n + 1, sizeof *r->pm);
    r->pm_prev = calloc(n + 1, sizeof *r->pm_prev);
    for (size_t i = 0; i < n; i++) {
        kith_person_measures *p = &r->pm[i];
        double scale = events ? 30 * pow(rnd(), 2.5) : 0;
        p->given = round(scale * rnd() * 4) / 4;
        p->received = round(scale * rnd() * 4) / 4;
        if (i % 9 == 3 && events) /* a few who gave much more than they got */
            p->received += 12, p->given = round(p->given / 4);
        double t = p->given + p->received;
        p->balance = t > 0 ? (p->given - p->received) / t : NAN;
        p->label = t <= 0 ? KITH_LABEL_NONE
                   : p->balance <= -1.0 / 3 && p->received >= 4 ? KITH_LABEL_YOU_OWE
                   : p->balance >= 1.0 / 3 && p->given >= 4    ? KITH_LABEL_THEY_OWE
                                                               : KITH_LABEL_BALANCED;
        p->strength = events ? t * (0.2 + 0.8 * rnd()) : 0;
        p->peak_strength = p->strength * 1.5;
        p->silent_days = events ? floor(400 * rnd()) : NAN;
        p->status = (uint8_t)(i % KITH_ST__COUNT);
        p->cluster = n_clusters > 0 && i % 7 != 6 ? (int)(i % (size_t)n_clusters) : -1;
        p->betweenness = NAN;
        p->priority = NAN;
        r->pm_prev[i] = *p;
    }

    /* layers by strength rank */
    size_t *rank = calloc(n + 1, sizeof *rank);
    for (size_t i = 0; i < n; i++)
        rank[i] = i;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (r->pm[rank[j]].strength > r->pm[rank[i]].strength) {
                size_t t = rank[i];
                rank[i] = rank[j];
                rank[j] = t;
            }
    for (size_t k = 0; k < n; k++) {
        kith_person_measures *p = &r->pm[rank[k]];
        p->layer = p->strength <= 0 ? 0 : k < 5 ? 1 : k < 15 ? 2 : k < 50 ? 3 : k < 150 ? 4 : 5;
        r->layer_counts[p->layer]++;
        int prev_layer = p->layer == 0 ? 0 : (k + 2) < 5 ? 1 : (k + 2) < 15 ? 2 : (k + 2) < 50 ? 3
                                                     : (k + 2) < 150 ? 4 : 5;
        if (k + 2 < n || p->layer == 0)
            r->layer_counts_prev[prev_layer]++;
    }

    /* clusters */
    static const char *const employers[] = {"Globex", "Initech", "Umbrella Labs", "Hooli",
                                            "Vandelay", "Soylent", "Acme", "Stark", "Wayne",
                                            "Tyrell", "Cyberdyne", "Oscorp"};
    r->n_clusters = (size_t)n_clusters;
    r->clusters = calloc((size_t)n_clusters + 1, sizeof *r->clusters);
    for (int c = 0; c < n_clusters; c++) {
        int size = 0;
        for (size_t i = 0; i < n; i++)
            size += r->pm[i].cluster == c;
        char buf[64];
        snprintf(buf, sizeof buf, "%s \u00b7 %d", employers[c % 12], size);
        r->clusters[c].id = c + 1;
        r->clusters[c].name = strdup(buf);
        r->clusters[c].size = size;
        r->clusters[c].active = c == 2 ? 0 : size / 2; /* the third cluster has gone quiet */
    }

    /* months */
    for (int k = 0; k < 12; k++) {
        kith_month *mo = &r->months[k];
        int y = 2025, mm = 11 + k;
        if (mm > 12)
            mm -= 12, y++;
        snprintf(mo->label, sizeof mo->label, "%04d-%02d", y, mm);
        mo->start = month_start(y, mm);
        for (int kind = 0; kind < KITH_K__COUNT && events; kind++) {
            double base = kind <= KITH_K_EMAIL ? 14 : kind <= KITH_K_CALL ? 4 : 1.5;
            mo->given[kind] = round(base * rnd() * (k % 4 == 1 ? 0.2 : 1));
            mo->received[kind] = round(base * rnd());
        }
        for (int s = 0; s < KITH_ST__COUNT && n > 0; s++)
            mo->status[s] = (int)(n / 6 + (s == KITH_ST_ACTIVE ? 12 - k : 0) +
                                  (s == KITH_ST_DORMANT ? k / 2 : 0));
    }

    /* lists */
    r->neglected = calloc(n + 1, sizeof *r->neglected);
    r->you_owe = calloc(n + 1, sizeof *r->you_owe);
    r->brokers = calloc(n + 1, sizeof *r->brokers);
    for (size_t i = 0; i < n; i++) {
        if (r->pm[i].status == KITH_ST_DORMANT || r->pm[i].status == KITH_ST_FADING)
            r->neglected[r->n_neglected++] = (int32_t)i;
        if (r->pm[i].label == KITH_LABEL_YOU_OWE)
            r->you_owe[r->n_you_owe++] = (int32_t)i;
        if (i % 11 == 5 && r->n_brokers < 20)
            r->brokers[r->n_brokers++] = (int32_t)i;
    }
    r->birthdays = calloc(3, sizeof *r->birthdays);
    for (size_t i = 0; i < n && i < 2; i++)
        r->birthdays[r->n_birthdays++] = (kith_birthday){(int32_t)(i * 3), r->as_of + 86400 * (4 + 9 * (int64_t)i)};

    for (int k = 0; k < KITH_KPI__COUNT; k++) {
        r->kpi[k] = kith_kpi_defs[k].is_count ? floor(100 * rnd()) : rnd();
        r->kpi_prev[k] = kith_kpi_defs[k].is_count ? floor(100 * rnd()) : rnd();
    }
    r->kpi[KITH_KPI_PERSONS] = (double)n;
    r->kpi[KITH_KPI_GIVEN_12M] = 312.5;
    r->kpi[KITH_KPI_RECEIVED_12M] = 287.25;
    r->kpi[KITH_KPI_ACTIVE_MONTHS] = 11;
    r->kpi[KITH_KPI_MODULARITY] = NAN;
    r->kpi_prev[KITH_KPI_CONSTRAINT] = NAN;

    /* layout: the owner in the middle, clusters on a ring, the unclustered on the rim */
    kith_layout *l = &r->layout;
    l->n_nodes = n + 1;
    l->person = calloc(n + 1, sizeof *l->person);
    l->x = calloc(n + 1, sizeof *l->x);
    l->y = calloc(n + 1, sizeof *l->y);
    l->person[0] = -1;
    l->x[0] = l->y[0] = 0.5;
    for (size_t i = 0; i < n; i++) {
        int c = r->pm[i].cluster;
        double a = c >= 0 ? 2 * M_PI * c / (n_clusters > 0 ? n_clusters : 1) : 2 * M_PI * rnd();
        double rad = c >= 0 ? (n_clusters > 1 ? 0.28 : 0.0) : 0.45;
        double spread = c >= 0 ? (n_clusters > 1 ? 0.12 : 0.4) : 0.03;
        l->person[i + 1] = (int32_t)i;
        l->x[i + 1] = 0.5 + rad * cos(a) + spread * (rnd() - 0.5) * 2;
        l->y[i + 1] = 0.5 + rad * sin(a) + spread * (rnd() - 0.5) * 2;
    }
    size_t cap = n * 4 + 1;
    l->edge_from = calloc(cap, sizeof *l->edge_from);
    l->edge_to = calloc(cap, sizeof *l->edge_to);
    l->edge_weight = calloc(cap, sizeof *l->edge_weight);
    for (size_t i = 0; i < n; i++) {
        l->edge_from[l->n_edges] = 0;
        l->edge_to[l->n_edges] = (int32_t)(i + 1);
        l->edge_weight[l->n_edges++] = r->pm[i].strength;
        for (size_t j = i + 1, k = 0; j < n && k < 2; j++) {
            if (r->pm[j].cluster != r->pm[i].cluster || r->pm[i].cluster < 0)
                continue;
            l->edge_from[l->n_edges] = (int32_t)(i + 1);
            l->edge_to[l->n_edges] = (int32_t)(j + 1);
            l->edge_weight[l->n_edges++] = 0.2 + rnd();
            k++;
        }
    }
    free(rank);
    return f;
}

static void fx_free(fixture *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->m.n_persons; i++)
        free(f->names[i]);
    free(f->names);
    free(f->m.persons);
    free(f->m.owner_name);
    kith_report *r = &f->r;
    free(r->pm);
    free(r->pm_prev);
    for (size_t c = 0; c < r->n_clusters; c++)
        free(r->clusters[c].name);
    free(r->clusters);
    free(r->neglected);
    free(r->you_owe);
    free(r->brokers);
    free(r->birthdays);
    kith_layout_free(&r->layout);
    free(f);
}

/* ---------------------------------------------------------------------------------------- */
/* File checks                                                                              */

static void out_dir(const char *name, char *buf, size_t n)
{
    mkdir("charts-out", 0755);
    snprintf(buf, n, "charts-out/%s", name);
    mkdir(buf, 0755);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, fp);
    fclose(fp);
    return b;
}

static void png_size(const char *path, uint32_t *w, uint32_t *h)
{
    size_t n = 0;
    unsigned char *b = slurp(path, &n);
    assert_non_null(b);
    assert_true(n > 24);
    assert_memory_equal(b, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(b + 12, "IHDR", 4);
    *w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    *h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
    free(b);
}

static bool same_bytes(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    unsigned char *x = slurp(a, &na), *y = slurp(b, &nb);
    bool same = x && y && na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

static bool file_contains(const char *path, const char *needle)
{
    size_t n = 0;
    unsigned char *b = slurp(path, &n);
    if (!b)
        return false;
    b[n] = 0;
    bool found = strstr((char *)b, needle) != NULL;
    free(b);
    return found;
}

static int pdf_pages(const char *path)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    char line[512];
    int pages = -1;
    while (fgets(line, sizeof line, p))
        if (strncmp(line, "Pages:", 6) == 0)
            pages = atoi(line + 6);
    pclose(p);
    return pages;
}

/* The text of one PDF page, read back with poppler's pdftotext (an independent reader). */
static char *pdf_text(const char *path, int page)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s' - 2>/dev/null", page, page, path);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = 0;
    pclose(p);
    return buf;
}

/* Every chart as PNG and SVG, twice; checks size, determinism and the PDF. */
static void render_everything(fixture *f, const char *name)
{
    char dir[256], a[512], b[512];
    out_dir(name, dir, sizeof dir);
    kith_diag d;
    kith_diag_clear(&d);
    char **pngs = NULL;
    assert_int_equal(kith_charts_write_dir(&f->r, dir, &pngs, &d), KITH_OK);
    assert_non_null(pngs);
    for (int c = 0; c < KITH_CHART__COUNT; c++) {
        const char *cn = kith_chart_name((kith_chart)c);
        snprintf(a, sizeof a, "%s/%s.png", dir, cn);
        assert_non_null(pngs[c]);
        assert_string_equal(pngs[c], a);
        uint32_t w = 0, h = 0;
        png_size(a, &w, &h);
        assert_true(w >= 1600);
        assert_int_equal(w, 1600);
        assert_int_equal(h, 1000);
        /* the same report again: byte-identical PNG and SVG */
        snprintf(b, sizeof b, "%s/%s.again.png", dir, cn);
        assert_int_equal(kith_chart_write_png(&f->r, (kith_chart)c, b, &d), KITH_OK);
        assert_true(same_bytes(a, b));
        remove(b);
        snprintf(a, sizeof a, "%s/%s.svg", dir, cn);
        snprintf(b, sizeof b, "%s/%s.again.svg", dir, cn);
        assert_true(file_contains(a, "<svg"));
        assert_false(file_contains(a, "nan"));
        assert_int_equal(kith_chart_write_svg(&f->r, (kith_chart)c, b, &d), KITH_OK);
        assert_true(same_bytes(a, b));
        remove(b);
    }
    assert_null(pngs[KITH_CHART__COUNT]);
    kith_charts_free_paths(pngs);

    char pdf_name[64];
    kith_pdf_file_name(&f->r, pdf_name, sizeof pdf_name);
    assert_string_equal(pdf_name, "network-health-2026-10.pdf");
    snprintf(a, sizeof a, "%s/%s", dir, pdf_name);
    assert_int_equal(pdf_pages(a), 1 + KITH_CHART__COUNT);
    snprintf(b, sizeof b, "%s/again.pdf", dir);
    assert_int_equal(kith_pdf_write(&f->r, b, &d), KITH_OK);
    assert_true(same_bytes(a, b));
    remove(b);
}

/* ---------------------------------------------------------------------------------------- */
/* Tests                                                                                    */

static void normal_report(void **state)
{
    (void)state;
    fixture *f = fx_new(30, 3, true, NULL, 0);
    render_everything(f, "normal");
    /* page one says what the report says: KPIs with both months, and the to-do list */
    const char *pdf = "charts-out/normal/network-health-2026-10.pdf";
    char *t = pdf_text(pdf, 1);
    assert_non_null(t);
    assert_non_null(strstr(t, "Network health"));
    assert_non_null(strstr(t, "October 2026"));
    assert_non_null(strstr(t, "Alex Morgan"));
    assert_non_null(strstr(t, "Oct 26"));
    assert_non_null(strstr(t, "Sep 26"));
    assert_non_null(strstr(t, "Birthdays in the next 30 days")); /* the last KPI */
    assert_non_null(strstr(t, "What to do this month"));
    assert_true(f->r.n_you_owe > 0 && f->r.n_neglected > 0);
    assert_non_null(strstr(t, f->m.persons[f->r.you_owe[0]].name));
    assert_non_null(strstr(t, f->m.persons[f->r.neglected[0]].name));
    assert_non_null(strstr(t, "Wed 4 Nov")); /* the first birthday: as_of + 4 days */
    free(t);
    static const char *const titles[KITH_CHART__COUNT] = {
        "Your network by cluster", "Activity", "Tie status", "Reciprocity", "Layers"};
    for (int c = 0; c < KITH_CHART__COUNT; c++) {
        t = pdf_text(pdf, 2 + c);
        assert_non_null(t);
        assert_non_null(strstr(t, titles[c]));
        assert_non_null(strstr(t, "page"));
        free(t);
    }
    fx_free(f);
}

static void no_persons(void **state)
{
    (void)state;
    fixture *f = fx_new(0, 0, false, NULL, 0);
    render_everything(f, "empty");
    fx_free(f);
}

static void one_person(void **state)
{
    (void)state;
    fixture *f = fx_new(1, 0, true, NULL, 0);
    render_everything(f, "one");
    fx_free(f);
}

static void no_events_this_year(void **state)
{
    (void)state;
    fixture *f = fx_new(25, 2, false, NULL, 0);
    render_everything(f, "quiet");
    fx_free(f);
}

static void one_giant_cluster(void **state)
{
    (void)state;
    fixture *f = fx_new(400, 1, true, NULL, 0);
    f->r.layout.n_hidden = 1234; /* "showing the strongest 400 of 1,634" */
    render_everything(f, "giant");
    assert_true(file_contains("charts-out/giant/cluster-map.svg", "<svg"));
    char *t = pdf_text("charts-out/giant/network-health-2026-10.pdf", 2);
    assert_non_null(t);
    assert_non_null(strstr(t, "Clusters, most shown first"));
    assert_non_null(strstr(t, "of 1,634 persons"));
    free(t);
    fx_free(f);
}

static void many_clusters_and_scripts(void **state)
{
    (void)state;
    static const char *const names[] = {"\u674e\u5c0f\u9f99", /* 李小龙 */
                                        "\u0644\u064a\u0644\u0649 \u062d\u062f\u0627\u062f",
                                        "Sunny \U0001F600 Day", "Zo\u00eb \u00c5kesson-M\u00fcller",
                                        "\u7530\u4e2d \u82b1\u5b50",
                                        "A very long name that goes on and on, PhD, MBA, CFA"};
    fixture *f = fx_new(60, 12, true, names, 6);
    /* put the non-Latin names first among the strongest, so they are labelled */
    for (int i = 0; i < 6; i++)
        f->r.pm[i].strength = 100 - i;
    render_everything(f, "scripts");
    /* the names come back out of the PDF's cluster map page intact, and the CJK one was drawn
     * with a CJK font found through fontconfig's fallback, not as empty boxes */
    const char *pdf = "charts-out/scripts/network-health-2026-10.pdf";
    char *t = pdf_text(pdf, 2);
    assert_non_null(t);
    assert_non_null(strstr(t, "\u674e\u5c0f\u9f99"));
    assert_non_null(strstr(t, "\u0644\u064a\u0644\u0649 \u062d\u062f\u0627\u062f"));
    assert_non_null(strstr(t, "Sunny \U0001F600 Day"));
    assert_non_null(strstr(t, "Zo\u00eb \u00c5kesson-M\u00fcller"));
    free(t);
    char cmd[600], line[512];
    snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>/dev/null", pdf);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    bool cjk = false;
    while (fgets(line, sizeof line, p))
        cjk |= strstr(line, "CJK") != NULL;
    pclose(p);
    assert_true(cjk);
    fx_free(f);
}

static void charts_can_be_turned_off(void **state)
{
    (void)state;
    fixture *f = fx_new(10, 2, true, NULL, 0);
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        f->r.config.charts[c] = c == KITH_CHART_LAYERS;
    f->r.config.pdf = true;
    assert_int_equal(kith_pdf_page_count(&f->r), 2);
    char dir[256], a[512];
    out_dir("one-chart", dir, sizeof dir);
    char **pngs = NULL;
    kith_diag d;
    assert_int_equal(kith_charts_write_dir(&f->r, dir, &pngs, &d), KITH_OK);
    snprintf(a, sizeof a, "%s/layers.png", dir);
    assert_string_equal(pngs[0], a);
    assert_null(pngs[1]);
    kith_charts_free_paths(pngs);
    snprintf(a, sizeof a, "%s/network-health-2026-10.pdf", dir);
    assert_int_equal(pdf_pages(a), 2);
    fx_free(f);
}

/* Values the analysis should never produce, but a writer must survive: NaN and Inf weights,
 * out-of-range person indexes, a malformed month label, a layout without edge arrays. */
static void odd_values_never_crash(void **state)
{
    (void)state;
    fixture *f = fx_new(12, 2, true, NULL, 0);
    kith_report *r = &f->r;
    r->pm[0].given = NAN;
    r->pm[1].received = INFINITY;
    r->pm[2].strength = NAN;
    r->pm[3].silent_days = INFINITY;
    r->months[3].given[KITH_K_MESSAGE] = NAN;
    r->months[4].received[KITH_K_EMAIL] = -INFINITY;
    r->months[5].status[KITH_ST_ACTIVE] = -7;
    snprintf(r->months[6].label, sizeof r->months[6].label, "2026-99");
    r->you_owe[0] = -1;
    r->neglected[0] = 99999;
    r->n_brokers = 1;
    r->brokers[0] = 12345;
    r->birthdays[0].person = -5;
    r->layout.x[3] = NAN;
    r->layout.edge_from[0] = 777; /* out of range node */
    r->kpi[KITH_KPI_GIVEN_12M] = INFINITY;
    render_everything(f, "odd");
    /* a layout with edges counted but no arrays: drawn without edges */
    free(r->layout.edge_from);
    free(r->layout.edge_to);
    free(r->layout.edge_weight);
    r->layout.edge_from = r->layout.edge_to = NULL;
    r->layout.edge_weight = NULL;
    kith_diag d;
    assert_int_equal(kith_chart_write_png(r, KITH_CHART_CLUSTER_MAP, "charts-out/odd/no-edges.png",
                                          &d), KITH_OK);
    fx_free(f);
}

static bool exists(const char *dir, const char *name)
{
    char p[600];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return stat(p, &st) == 0 && st.st_size > 0;
}

/* The entry point of `kith report`: every file through the output set, none in place before
 * the commit, all of them after; the PNG paths handed back are the set's temporary files. */
static void write_all_through_output_set(void **state)
{
    (void)state;
    fixture *f = fx_new(20, 2, true, NULL, 0);
    snprintf(f->r.config.name, sizeof f->r.config.name, "clusters");
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        f->r.config.charts[c] = c == KITH_CHART_CLUSTER_MAP || c == KITH_CHART_RECIPROCITY;
    char dir[256];
    out_dir("outset", dir, sizeof dir);
    remove("charts-out/outset/cluster-map.png");
    remove("charts-out/outset/clusters-2026-10.pdf");
    kith_diag d;
    kith_diag_clear(&d);
    kith_outset *set = NULL;
    char **pngs = NULL;
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    assert_int_equal(kith_charts_write_all(&f->r, set, &pngs, &d), KITH_OK);
    assert_non_null(pngs);
    assert_non_null(pngs[0]);
    assert_non_null(pngs[1]);
    assert_null(pngs[2]);
    uint32_t w = 0, h = 0;
    png_size(pngs[0], &w, &h);
    assert_int_equal(w, 1600);
    assert_true(strstr(pngs[0], "/.cluster-map.png.") != NULL);
    assert_false(exists(dir, "cluster-map.png"));
    assert_int_equal(kith_outset_count(set), 5); /* 2 PNG + 2 SVG + the PDF */
    assert_string_equal(kith_outset_name(set, 4), "clusters-2026-10.pdf");
    assert_int_equal(kith_outset_commit(set, &d), KITH_OK);
    free(pngs);
    kith_outset_free(set);
    assert_true(exists(dir, "cluster-map.png"));
    assert_true(exists(dir, "cluster-map.svg"));
    assert_true(exists(dir, "reciprocity.png"));
    assert_true(exists(dir, "reciprocity.svg"));
    assert_false(exists(dir, "activity.png"));
    assert_true(exists(dir, "clusters-2026-10.pdf"));
    assert_int_equal(pdf_pages("charts-out/outset/clusters-2026-10.pdf"), 3);

    /* nothing enabled: no PNG list at all */
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        f->r.config.charts[c] = false;
    f->r.config.pdf = false;
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    pngs = (char **)1;
    assert_int_equal(kith_charts_write_all(&f->r, set, &pngs, &d), KITH_OK);
    assert_null(pngs);
    assert_int_equal(kith_outset_count(set), 0);
    kith_outset_free(set);
    fx_free(f);
}

/* kith_charts_start reserves every name in file order and may draw the early charts
 * (activity, tie status, reciprocity, layers), _month the cluster map too, before _finish, which
 * completes every file; _cancel stops a run and leaves nothing behind once the set is freed. */
static void charts_in_two_calls(void **state)
{
    (void)state;
    fixture *f = fx_new(20, 2, true, NULL, 0);
    f->r.config.pdf = true;
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        f->r.config.charts[c] = true;
    char dir[256];
    out_dir("two-calls", dir, sizeof dir);
    kith_diag d;
    kith_diag_clear(&d);
    kith_outset *set = NULL;
    kith_charts_run *run = NULL;
    char **pngs = NULL;
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    assert_int_equal(kith_charts_start(&f->r, set, NULL, NULL, &run, &d), KITH_OK);
    assert_int_equal(kith_outset_count(set), 2 * KITH_CHART__COUNT + 1); /* names first */
    assert_string_equal(kith_outset_name(set, 2 * KITH_CHART_ACTIVITY), "activity.png");
    kith_charts_month(run);
    assert_int_equal(kith_charts_finish(run, &pngs, &d), KITH_OK);
    assert_non_null(pngs);
    for (int c = 0; c < KITH_CHART__COUNT; c++) {
        assert_non_null(pngs[c]);
        uint32_t w = 0, h = 0;
        png_size(pngs[c], &w, &h);
        assert_int_equal(w, 1600);
    }
    assert_null(pngs[KITH_CHART__COUNT]);
    assert_int_equal(kith_outset_commit(set, &d), KITH_OK);
    free(pngs);
    kith_outset_free(set);
    assert_true(exists(dir, "cluster-map.svg"));
    assert_true(exists(dir, "tie-status.svg"));

    /* cancelled: the early charts may be drawn, nothing is committed */
    out_dir("two-calls-cancel", dir, sizeof dir);
    assert_int_equal(kith_outset_new(dir, &set, &d), KITH_OK);
    assert_int_equal(kith_charts_start(&f->r, set, NULL, NULL, &run, &d), KITH_OK);
    kith_charts_month(run);
    kith_charts_cancel(run);
    kith_charts_cancel(NULL);
    kith_charts_month(NULL);
    kith_outset_free(set);
    assert_false(exists(dir, "activity.png"));
    assert_false(exists(dir, "cluster-map.png"));
    fx_free(f);
}

static void unwritable_path_is_an_error(void **state)
{
    (void)state;
    fixture *f = fx_new(5, 1, true, NULL, 0);
    kith_diag d;
    kith_diag_clear(&d);
    const char *bad = "charts-out/no-such-folder/x/activity.png";
    assert_int_equal(kith_chart_write_png(&f->r, KITH_CHART_ACTIVITY, bad, &d), KITH_ERR_OUTPUT);
    assert_string_equal(d.file, bad);
    kith_diag_clear(&d);
    assert_int_equal(kith_chart_write_svg(&f->r, KITH_CHART_ACTIVITY, bad, &d), KITH_ERR_OUTPUT);
    assert_string_equal(d.file, bad);
    kith_diag_clear(&d);
    assert_int_equal(kith_pdf_write(&f->r, "charts-out/no-such-folder/x/r.pdf", &d),
                     KITH_ERR_OUTPUT);
    assert_true(strstr(d.reason, "PDF") != NULL);
    char **pngs = (char **)1;
    assert_int_equal(kith_charts_write_dir(&f->r, "charts-out/no-such-folder/x", &pngs, &d),
                     KITH_ERR_OUTPUT);
    assert_ptr_equal(pngs, (char **)1); /* untouched on failure */
    fx_free(f);
}

/* A 30,000-person network: counts in captions have thousands separators, and "the rest"
 * (layer 5) no longer flattens layers 1-4: its bars are cut and say so. A small network's
 * layers chart is not cut. */
static void big_network_numbers(void **state)
{
    (void)state;
    fixture *f = fx_new(30, 3, true, NULL, 0);
    char dir[256], pdf[400];
    out_dir("big", dir, sizeof dir);
    snprintf(pdf, sizeof pdf, "%s/small.pdf", dir);
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_pdf_write(&f->r, pdf, &d), KITH_OK);
    char *t = pdf_text(pdf, 6);
    assert_non_null(t);
    assert_non_null(strstr(t, "Layers"));
    assert_null(strstr(t, "bars cut"));
    free(t);

    static const int now[6] = {9353, 5, 10, 35, 100, 21009}, prev[6] = {9462, 5, 10, 35, 100, 20622};
    for (int l = 0; l < 6; l++) {
        f->r.layer_counts[l] = now[l];
        f->r.layer_counts_prev[l] = prev[l];
    }
    f->r.n_layer_moves = 1504;
    assert_true(f->r.n_neglected > 0);
    f->r.pm[f->r.neglected[0]].silent_days = 2784;
    free(f->r.clusters[0].name);
    f->r.clusters[0].name = strdup("Globex \u00b7 3181"); /* as the analysis names it */
    f->r.clusters[0].size = 3181;
    f->r.months[11].status[KITH_ST_ACTIVE] = 9587;
    f->r.months[11].status[KITH_ST_DORMANT] = 5531;
    f->r.months[10].status[KITH_ST_DORMANT] = 4390;
    snprintf(pdf, sizeof pdf, "%s/big.pdf", dir);
    assert_int_equal(kith_pdf_write(&f->r, pdf, &d), KITH_OK);
    t = pdf_text(pdf, 6); /* layers */
    assert_non_null(t);
    assert_non_null(strstr(t, "21,009"));
    assert_non_null(strstr(t, "20,622"));
    assert_non_null(strstr(t, "the rest \u00b7 bars cut"));
    assert_non_null(strstr(t, "1,504 persons changed layer"));
    assert_non_null(strstr(t, "since last month; 9,353")); /* "with no strength": next line */
    free(t);
    t = pdf_text(pdf, 1); /* "what to do this month" */
    assert_non_null(t);
    assert_non_null(strstr(t, "silent 2,784 days"));
    free(t);
    t = pdf_text(pdf, 2); /* cluster map legend */
    assert_non_null(t);
    assert_non_null(strstr(t, "Globex \u00b7 3,181"));
    assert_null(strstr(t, "most shown first")); /* every person is on this small map */
    assert_non_null(strstr(t, "\u00b7 none active")); /* the third cluster, still flagged */
    free(t);
    t = pdf_text(pdf, 4); /* tie status */
    assert_non_null(t);
    assert_non_null(strstr(t, "9,587 active"));
    assert_non_null(strstr(t, "5,531 dormant (+1,141 since last month)"));
    assert_non_null(strstr(t, "10,000")); /* its own axis, not cut to fit any layer */
    free(t);
    fx_free(f);
}

/* More reciprocity spots than the chart draws (3,000): "you owe" spots are kept first, then
 * the fullest ones, and the subtitle counts the persons on the kept spots. 4,000 persons: 100
 * share one balanced spot, 10 "you owe" and 3,890 balanced ones each have a spot of their
 * own, so 10 + 100 + 2,989 persons are shown. Drawn twice: the same bytes. */
static void reciprocity_keeps_the_fullest_spots(void **state)
{
    (void)state;
    fixture *f = fx_new(4000, 3, true, NULL, 0);
    for (int c = 0; c < KITH_CHART__COUNT; c++)
        f->r.config.charts[c] = c == KITH_CHART_RECIPROCITY;
    f->r.n_you_owe = 0;
    for (size_t i = 0; i < 4000; i++) {
        kith_person_measures *p = &f->r.pm[i];
        bool crowd = i < 100, owe = i >= 100 && i < 110;
        p->given = crowd ? 2 : owe ? i : i + 0.5;
        p->received = crowd ? 2 : owe ? 10.0 * i : i + 0.25;
        p->label = owe ? KITH_LABEL_YOU_OWE : KITH_LABEL_BALANCED;
        if (owe)
            f->r.you_owe[f->r.n_you_owe++] = (int32_t)i;
    }
    char dir[256], a[400], b[400];
    out_dir("spots", dir, sizeof dir);
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_pdf_write(&f->r, a, &d), KITH_OK);
    assert_int_equal(kith_pdf_write(&f->r, b, &d), KITH_OK);
    assert_true(same_bytes(a, b));
    char *t = pdf_text(a, 2);
    assert_non_null(t);
    assert_non_null(strstr(t, "3,099 of 4,000 persons shown"));
    assert_non_null(strstr(t, "you owe (10)"));
    assert_non_null(strstr(t, "up to 100 on the biggest"));
    free(t);
    fx_free(f);
}

/* Names carry accents, other scripts and emoji: every one must have a glyph (a box in the
 * cluster map helps nobody). Needs the fonts scripts/install-deps installs. The control
 * proves the count can fail: a private-use code point no font has. */
static void fonts_cover_names(void **state)
{
    (void)state;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(s);
    kc_canvas cv;
    assert_true(kc_canvas_init(&cv, cr, NULL, 10, 10));
    kc_style st = {.size = 10, .colour = KC_INK};
    const char *names[] = {"Priya \U0001F680 Raman", "S\u00f8ren \u0141ukasz \u00c7elik",
                           "\u5c71\u7530 \u82b1\u5b50", "\uae40\ubbfc\uc900",
                           "Ana \u2764\ufe0f Costa \U0001F44B\U0001F3FD"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        int n = kc_text_unknown_glyphs(&cv, names[i], &st);
        if (n != 0)
            fprintf(stderr, "no font draws %d character(s) of \"%s\"\n", n, names[i]);
        assert_int_equal(n, 0);
    }
    st.bold = true; /* labels of brokers are bold */
    assert_int_equal(kc_text_unknown_glyphs(&cv, names[0], &st), 0);
    assert_int_equal(kc_text_unknown_glyphs(&cv, "x\U000F0001y", &st), 1);
    kc_canvas_destroy(&cv);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void formatting_helpers(void **state)
{
    (void)state;
    char buf[32];
    kc_month_short("2025-11", buf, sizeof buf);
    assert_string_equal(buf, "Nov 25");
    kc_month_short("2026-01", buf, sizeof buf);
    assert_string_equal(buf, "Jan 26");
    kc_month_short("bad", buf, sizeof buf);
    assert_string_equal(buf, "bad");
    kc_month_long("2026-10", buf, sizeof buf);
    assert_string_equal(buf, "October 2026");
    kc_fmt_num(1234567.0, buf, sizeof buf);
    assert_string_equal(buf, "1.2M");
    kc_fmt_num(12345.0, buf, sizeof buf);
    assert_string_equal(buf, "12,345");
    kc_fmt_num(-1234.4, buf, sizeof buf);
    assert_string_equal(buf, "-1,234");
    kc_fmt_num(7.0, buf, sizeof buf);
    assert_string_equal(buf, "7");
    kc_fmt_num(12.25, buf, sizeof buf);
    assert_string_equal(buf, "12.2");
    kc_fmt_num(0.375, buf, sizeof buf);
    assert_string_equal(buf, "0.38");
    kc_fmt_num(-0.001, buf, sizeof buf);
    assert_string_equal(buf, "0.00");
    kc_fmt_num(NAN, buf, sizeof buf);
    assert_string_equal(buf, "\u2013");

    kc_ticks t;
    kc_nice_ticks(87, 5, true, &t); /* 87/5 = 17.4 -> step 20, ticks 0..100 */
    assert_true(t.step == 20 && t.hi == 100 && t.n == 6);
    kc_nice_ticks(3, 5, true, &t); /* integer counts never get a 0.5 step */
    assert_true(t.step == 1 && t.hi == 3 && t.n == 4);
    kc_nice_ticks(0.7, 5, false, &t); /* 0.14 -> 0.2, 0..0.8 */
    assert_true(fabs(t.step - 0.2) < 1e-12 && fabs(t.hi - 0.8) < 1e-12 && t.n == 5);
    kc_nice_ticks(0, 5, true, &t); /* nothing: a clean 0..1 axis, never NaN */
    assert_true(t.step == 1 && t.hi == 1 && t.n == 2);
    kc_nice_ticks(NAN, 5, false, &t);
    assert_true(isfinite(t.hi) && t.hi > 0);
}

/* Under the leak checker (make check-sanitize): cairo 1.16 keeps a few buffers when it subsets
 * the CJK font into a PDF, and fontconfig its parsed configuration, for the life of the
 * process. Those are theirs, not ours; every other allocation must still be freed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libcairo.so\nleak:libfontconfig.so\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formatting_helpers),
        cmocka_unit_test(fonts_cover_names),
        cmocka_unit_test(big_network_numbers),
        cmocka_unit_test(reciprocity_keeps_the_fullest_spots),
        cmocka_unit_test(normal_report),
        cmocka_unit_test(no_persons),
        cmocka_unit_test(one_person),
        cmocka_unit_test(no_events_this_year),
        cmocka_unit_test(one_giant_cluster),
        cmocka_unit_test(many_clusters_and_scripts),
        cmocka_unit_test(charts_can_be_turned_off),
        cmocka_unit_test(odd_values_never_crash),
        cmocka_unit_test(write_all_through_output_set),
        cmocka_unit_test(charts_in_two_calls),
        cmocka_unit_test(unwritable_path_is_an_error),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    kith_charts_release_fonts(); /* a clean exit under the leak checker */
    return failed;
}
