/* kith_report_build: every measure of spec §3 for one month and the month before, as plain
 * structs the writers only format. Per-person measures: measures.c; graph: graph.c.
 *
 * Choices where the spec leaves room (see also kith/measures.h):
 *  - KPIs count only the persons known at that month's end (no later connection or contact
 *    leaks into last month's numbers);
 *  - "this month" counts (messages, given/received, endorsements, invitations, posts) are
 *    events with start <= t <= T of the calendar month; messages count distinct items;
 *  - profile completeness is NAN (null) when no profile was read;
 *  - birthdays: the next occurrence strictly after T, up to T + 30 days; Feb 29 is kept on
 *    Feb 28 in common years;
 *  - revived: dormant or fading last month, active or new now; layer moves include entering
 *    or leaving the layers (layer 0); the change lists are sorted by name;
 *  - neglected by priority, you_owe by received weight, both descending, ties by name. */
#include "kith/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/graph.h"
#include "kith/date.h"
#include "kith/measures.h"
#include "kith/text.h"
#include "kith/trace.h"

#define DAY 86400

static void month_label(int64_t mi, char buf[8])
{
    int64_t y = mi / 12;
    int mo = (int)(mi - y * 12) + 1, yy = (int)(y % 10000);
    buf[0] = (char)('0' + yy / 1000);
    buf[1] = (char)('0' + yy / 100 % 10);
    buf[2] = (char)('0' + yy / 10 % 10);
    buf[3] = (char)('0' + yy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + mo / 10);
    buf[6] = (char)('0' + mo % 10);
    buf[7] = '\0';
}

void kith_report_default_month(const kith_model *m, char buf[8])
{
    buf[0] = '\0';
    if (!m || m->export_time == KITH_NO_TIME)
        return;
    int64_t mi = kith_utc_month_index(m->export_time) - 1;
    if (mi < 12 || mi >= 10000 * 12)
        return;
    month_label(mi, buf);
}

/* "YYYY-MM" -> month index; false when malformed. */
static bool parse_month(const char *s, int64_t *mi)
{
    if (strlen(s) != 7 || s[4] != '-')
        return false;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    if (m < 1 || m > 12 || y < 1)
        return false;
    *mi = (int64_t)y * 12 + (m - 1);
    return true;
}

static size_t lower_bound_t(const kith_model *m, int64_t t)
{
    size_t lo = 0, hi = m->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->events[mid].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The event totals of one calendar month. */
static void month_stats(const kith_model *m, const kith_config *c, int64_t mi, kith_month *mo)
{
    memset(mo, 0, sizeof *mo);
    month_label(mi, mo->label);
    mo->start = kith_utc_month_start(mi);
    mo->end = kith_utc_month_end(mi);
    for (size_t e = lower_bound_t(m, mo->start); e < m->n_events && m->events[e].t <= mo->end;
         e++) {
        const kith_event *ev = &m->events[e];
        if (ev->kind >= KITH_K__COUNT)
            continue;
        bool out = ev->dir == KITH_DIR_OUT;
        if (out) {
            mo->given[ev->kind] += c->weights[ev->kind];
            mo->out_events++;
        } else {
            mo->received[ev->kind] += c->weights[ev->kind];
            mo->in_events++;
        }
        switch (ev->kind) {
        case KITH_K_ENDORSEMENT:
            *(out ? &mo->endorsements_given : &mo->endorsements_received) += 1;
            break;
        case KITH_K_RECOMMENDATION:
            *(out ? &mo->recommendations_given : &mo->recommendations_received) += 1;
            break;
        case KITH_K_INVITATION:
            *(out ? &mo->invitations_sent : &mo->invitations_received) += 1;
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < m->n_activity; i++)
        if (m->activity[i].t >= mo->start && m->activity[i].t <= mo->end &&
            m->activity[i].what < KITH_ACT__COUNT)
            mo->activity[m->activity[i].what]++;
    for (size_t i = 0; i < m->n_persons; i++) {
        int64_t t = m->persons[i].connected_on;
        if (t != KITH_NO_TIME && t >= mo->start && t <= mo->end)
            mo->new_connections++;
    }
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Messages and mail of the month by direction, one per source item: a message to a group
 * thread is one message however many persons it reaches. */
static kith_err count_messages(const kith_model *m, int64_t start, int64_t end, double *sent,
                               double *received)
{
    size_t first = lower_bound_t(m, start), last = first;
    while (last < m->n_events && m->events[last].t <= end)
        last++;
    int32_t *items = malloc((last - first + 1) * sizeof *items);
    if (!items)
        return KITH_ERR_NOMEM;
    for (int dir = 0; dir < 2; dir++) {
        size_t k = 0, singles = 0;
        for (size_t e = first; e < last; e++) {
            const kith_event *ev = &m->events[e];
            if (ev->dir != dir || (ev->kind != KITH_K_MESSAGE && ev->kind != KITH_K_EMAIL))
                continue;
            if (ev->item < 0)
                singles++;
            else
                items[k++] = ev->item;
        }
        qsort(items, k, sizeof *items, cmp_i32);
        size_t distinct = 0;
        for (size_t i = 0; i < k; i++)
            distinct += i == 0 || items[i] != items[i - 1];
        *(dir == KITH_DIR_OUT ? sent : received) = (double)(distinct + singles);
    }
    free(items);
    return KITH_OK;
}

/* Distinct non-empty company keys among the known persons (*all) and among their active
 * ties (*active), in one pass through a hash set of the keys (a sort of a million string
 * pointers cost ~0.25 s a call at 1 M persons; this is a hash and a probe a person). */
static kith_err count_orgs(const kith_model *m, const kith_person_measures *pm,
                           const uint8_t *known, double *all, double *active)
{
    size_t cap = 16;
    while (cap < 2 * m->n_persons)
        cap *= 2;
    const char **set = calloc(cap, sizeof *set);
    uint8_t *seen_active = calloc(cap, 1);
    if (!set || !seen_active) {
        free(set);
        free(seen_active);
        return KITH_ERR_NOMEM;
    }
    size_t n_all = 0, n_active = 0;
    for (size_t i = 0; i < m->n_persons; i++) {
        const char *key = m->persons[i].company_key;
        if (!known[i] || !key || !key[0])
            continue;
        uint64_t h = kith_fnv1a(key);
        size_t at = (size_t)(h ^ h >> 29) & (cap - 1);
        while (set[at] && set[at] != key && strcmp(set[at], key) != 0)
            at = (at + 1) & (cap - 1);
        if (!set[at]) {
            set[at] = key;
            n_all++;
        }
        if (!seen_active[at] && (pm[i].status == KITH_ST_ACTIVE || pm[i].status == KITH_ST_NEW)) {
            seen_active[at] = 1;
            n_active++;
        }
    }
    free(set);
    free(seen_active);
    *all = (double)n_all;
    *active = (double)n_active;
    return KITH_OK;
}

/* The next birthday of a person strictly after T, midnight UTC; Feb 29 falls on Feb 28 in
 * common years. KITH_NO_TIME when unknown. */
static int64_t next_birthday(const kith_person *p, int64_t T)
{
    if (p->bday_month < 1 || p->bday_month > 12 || p->bday_day < 1 || p->bday_day > 31)
        return KITH_NO_TIME;
    int y, mo, d;
    int64_t tday = T >= 0 ? T / DAY : -((-T + DAY - 1) / DAY);
    kith_civil_from_days(tday, &y, &mo, &d);
    for (int k = 0; k < 2; k++) {
        int yy = y + k, bd = p->bday_day;
        bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
        static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        int maxd = mdays[p->bday_month - 1] + (p->bday_month == 2 && leap);
        if (bd > maxd)
            bd = maxd;
        int64_t t = kith_days_from_civil(yy, p->bday_month, bd) * DAY;
        if (t > T)
            return t;
    }
    return KITH_NO_TIME;
}

typedef struct {
    double key; /* larger first */
    const char *name;
    int32_t idx;
} sort_entry;

static int cmp_entry(const void *a, const void *b)
{
    const sort_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static const char *pname(const kith_model *m, size_t i)
{
    return m->persons[i].name ? m->persons[i].name : "";
}

static size_t birthdays(const kith_model *m, const uint8_t *known, int64_t T,
                        sort_entry *scratch)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n_persons; i++) {
        if (!known[i])
            continue;
        int64_t t = next_birthday(&m->persons[i], T);
        if (t != KITH_NO_TIME && t <= T + 30 * (int64_t)DAY) {
            if (scratch)
                scratch[k] = (sort_entry){-(double)t, pname(m, i), (int32_t)i};
            k++;
        }
    }
    return k;
}

/* The KPIs that do not need the graph, for one side. series[0..12) are the out-event
 * counts of the 12 months ending with the side's month, mo that month's totals. */
static kith_err side_kpis(const kith_report *r, const kith_person_measures *pm,
                          const uint8_t *known, int64_t T, const kith_month *mo,
                          const double series[12], double *kpi)
{
    const kith_model *m = r->model;
    kith_err err;
    for (int k = 0; k < KITH_KPI__COUNT; k++)
        kpi[k] = NAN;
    double persons = 0, connections = 0, st[KITH_ST__COUNT] = {0};
    double g12 = 0, r12 = 0, you = 0, they = 0;
    for (size_t i = 0; i < m->n_persons; i++) {
        if (!known[i])
            continue;
        persons++;
        const kith_person *p = &m->persons[i];
        if (p->connection && (p->connected_on == KITH_NO_TIME || p->connected_on <= T))
            connections++;
        st[pm[i].status]++;
        g12 += pm[i].given_12m;
        r12 += pm[i].received_12m;
        you += pm[i].label == KITH_LABEL_YOU_OWE;
        they += pm[i].label == KITH_LABEL_THEY_OWE;
    }
    kpi[KITH_KPI_PERSONS] = persons;
    kpi[KITH_KPI_CONNECTIONS] = connections;
    kpi[KITH_KPI_NEW_CONNECTIONS] = mo->new_connections;
    kpi[KITH_KPI_NEW_TIES] = st[KITH_ST_NEW];
    kpi[KITH_KPI_ACTIVE_TIES] = st[KITH_ST_NEW] + st[KITH_ST_ACTIVE];
    kpi[KITH_KPI_FADING] = st[KITH_ST_FADING];
    kpi[KITH_KPI_DORMANT] = st[KITH_ST_DORMANT];
    kpi[KITH_KPI_COLD] = st[KITH_ST_COLD];
    kpi[KITH_KPI_LATENT] = st[KITH_ST_LATENT];
    if ((err = count_orgs(m, pm, known, &kpi[KITH_KPI_ORGANIZATIONS],
                          &kpi[KITH_KPI_ORGANIZATIONS_ACTIVE])) ||
        (err = count_messages(m, mo->start, mo->end, &kpi[KITH_KPI_MESSAGES_SENT],
                              &kpi[KITH_KPI_MESSAGES_RECEIVED])))
        return err;
    double given = 0, received = 0;
    for (int k = 0; k < KITH_K__COUNT; k++) {
        given += mo->given[k];
        received += mo->received[k];
    }
    kpi[KITH_KPI_GIVEN] = given;
    kpi[KITH_KPI_RECEIVED] = received;
    kpi[KITH_KPI_GIVEN_12M] = g12;
    kpi[KITH_KPI_RECEIVED_12M] = r12;
    kpi[KITH_KPI_YOU_OWE] = you;
    kpi[KITH_KPI_THEY_OWE] = they;
    kpi[KITH_KPI_ENDORSEMENTS_GIVEN] = mo->endorsements_given;
    kpi[KITH_KPI_ENDORSEMENTS_RECEIVED] = mo->endorsements_received;
    kpi[KITH_KPI_RECOMMENDATIONS_GIVEN] = mo->recommendations_given;
    kpi[KITH_KPI_RECOMMENDATIONS_RECEIVED] = mo->recommendations_received;
    kpi[KITH_KPI_INVITATIONS_SENT] = mo->invitations_sent;
    kpi[KITH_KPI_INVITATIONS_RECEIVED] = mo->invitations_received;
    kpi[KITH_KPI_POSTS] = mo->activity[KITH_ACT_SHARE];
    kpi[KITH_KPI_COMMENTS] = mo->activity[KITH_ACT_COMMENT];
    int active_months = 0;
    for (int i = 0; i < 12; i++)
        active_months += series[i] > 0;
    kpi[KITH_KPI_ACTIVE_MONTHS] = active_months;
    kpi[KITH_KPI_BURSTINESS] = kith_burstiness(series, 12);
    const kith_profile_check *pc = &r->profile;
    kpi[KITH_KPI_PROFILE_COMPLETENESS] =
        m->profile.present ? (pc->headline + pc->summary + pc->industry + pc->location +
                              pc->current_position + pc->skills5) / 6.0
                           : NAN;
    kpi[KITH_KPI_BIRTHDAYS_NEXT_30D] = (double)birthdays(m, known, T, NULL);
    return KITH_OK;
}

static bool filled(const char *s) { return s && s[0]; }

/* The ledger: one row per person and kind with any event up to T, by person then kind.
 * O(E + P) with a kind mask per person. */
static kith_err build_ledger(kith_report *r, size_t ne)
{
    const kith_model *m = r->model;
    size_t n = m->n_persons;
    uint16_t *mask = calloc(n ? n : 1, sizeof *mask);
    size_t *off = calloc(n + 1, sizeof *off);
    kith_err err = KITH_OK;
    if (!mask || !off) {
        err = KITH_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t e = 0; e < ne; e++) {
        const kith_event *ev = &m->events[e];
        if (ev->person >= 0 && (size_t)ev->person < n && ev->kind < KITH_K__COUNT)
            mask[ev->person] |= (uint16_t)(1u << ev->kind);
    }
    for (size_t i = 0; i < n; i++)
        off[i + 1] = off[i] + (size_t)__builtin_popcount(mask[i]);
    r->n_ledger = off[n];
    r->ledger = calloc(r->n_ledger ? r->n_ledger : 1, sizeof *r->ledger);
    if (!r->ledger) {
        err = KITH_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = off[i];
        for (int kind = 0; kind < KITH_K__COUNT; kind++)
            if (mask[i] & (1u << kind))
                r->ledger[k++] = (kith_ledger_row){(int32_t)i, (uint8_t)kind, 0, 0, 0, 0};
    }
    for (size_t e = 0; e < ne; e++) {
        const kith_event *ev = &m->events[e];
        if (ev->person < 0 || (size_t)ev->person >= n || ev->kind >= KITH_K__COUNT)
            continue;
        unsigned below = mask[ev->person] & ((1u << ev->kind) - 1);
        kith_ledger_row *row = &r->ledger[off[ev->person] + (size_t)__builtin_popcount(below)];
        double w = r->config.weights[ev->kind];
        if (ev->dir == KITH_DIR_OUT) {
            row->given += w;
            row->n_given++;
        } else {
            row->received += w;
            row->n_received++;
        }
    }
cleanup:
    free(mask);
    free(off);
    return err;
}

/* Sorts the selected persons with `key` (larger first, then by name) into a new array. */
static kith_err sorted_persons(sort_entry *scratch, size_t k, int32_t **out, size_t *n_out)
{
    qsort(scratch, k, sizeof *scratch, cmp_entry);
    *out = malloc((k ? k : 1) * sizeof **out);
    if (!*out)
        return KITH_ERR_NOMEM;
    for (size_t i = 0; i < k; i++)
        (*out)[i] = scratch[i].idx;
    *n_out = k;
    return KITH_OK;
}

static kith_err build_changes(kith_report *r, const uint8_t *known, sort_entry *scratch)
{
    const kith_model *m = r->model;
    size_t n = m->n_persons;
    kith_change **lists[3] = {&r->became_dormant, &r->revived, &r->layer_moves};
    size_t *counts[3] = {&r->n_became_dormant, &r->n_revived, &r->n_layer_moves};
    for (int l = 0; l < 3; l++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const kith_person_measures *a = &r->pm_prev[i], *b = &r->pm[i];
            bool hit = false;
            if (!known[i])
                continue;
            if (l == 0)
                hit = b->status == KITH_ST_DORMANT && a->status != KITH_ST_DORMANT;
            else if (l == 1)
                hit = (a->status == KITH_ST_DORMANT || a->status == KITH_ST_FADING) &&
                      (b->status == KITH_ST_ACTIVE || b->status == KITH_ST_NEW);
            else
                hit = a->layer != b->layer;
            if (hit)
                scratch[k++] = (sort_entry){0, pname(m, i), (int32_t)i};
        }
        qsort(scratch, k, sizeof *scratch, cmp_entry);
        *lists[l] = malloc((k ? k : 1) * sizeof **lists[l]);
        if (!*lists[l])
            return KITH_ERR_NOMEM;
        for (size_t j = 0; j < k; j++) {
            int32_t i = scratch[j].idx;
            bool layer = l == 2;
            (*lists[l])[j] = (kith_change){
                i, (uint8_t)(layer ? r->pm_prev[i].layer : r->pm_prev[i].status),
                (uint8_t)(layer ? r->pm[i].layer : r->pm[i].status)};
        }
        *counts[l] = k;
    }
    return KITH_OK;
}

/* What kith_report_build_begin leaves for kith_report_build_finish. */
struct kith_report_pending {
    uint8_t *known, *known_prev; /* known at as_of / prev_as_of */
    sort_entry *scratch;         /* n_persons entries */
    bool graph_done;             /* kith_report_build_graph ran */
};

static void pending_free(struct kith_report_pending *p)
{
    if (!p)
        return;
    free(p->known);
    free(p->known_prev);
    free(p->scratch);
    free(p);
}

kith_err kith_report_build_start(const kith_model *m, const kith_config *cfg, const char *month,
                                 kith_report **out, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_report *r = NULL;
    uint8_t *known = NULL, *known_prev = NULL;
    sort_entry *scratch = NULL;
    char def[8];
    int64_t mi;

    *out = NULL;
    if (!month || !month[0]) {
        kith_report_default_month(m, def);
        if (!def[0])
            return kith_diag_set(d, KITH_ERR_NO_DATA, NULL, 0,
                                 "no dated event in the inputs: give --month YYYY-MM");
        month = def;
    }
    if (!parse_month(month, &mi))
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "bad month '%s' (expected YYYY-MM)",
                             month);

    if (cfg && !(cfg->half_life_days > 0))
        return kith_diag_set(d, KITH_ERR_CONFIG, NULL, 0, "half_life_days must be > 0");

    size_t n = m->n_persons;
    r = calloc(1, sizeof *r);
    if (!r || !(r->pending = calloc(1, sizeof *r->pending))) {
        free(r);
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
    }
    r->model = m;
    if (cfg)
        r->config = *cfg;
    else
        kith_config_defaults(&r->config, "monthly");
    month_label(mi, r->month);
    month_label(mi - 1, r->prev_month);
    r->as_of = kith_utc_month_end(mi);
    r->prev_as_of = kith_utc_month_end(mi - 1);

    size_t nn = n ? n : 1;
    r->pm = calloc(nn, sizeof *r->pm);
    r->pm_prev = calloc(nn, sizeof *r->pm_prev);
    known = r->pending->known = calloc(nn, 1);
    known_prev = r->pending->known_prev = calloc(nn, 1);
    scratch = r->pending->scratch = calloc(nn, sizeof *scratch);
    if (!r->pm || !r->pm_prev || !known || !known_prev || !scratch) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    /* One sweep for the 12 month ends: full measures for this month and the month before,
     * tie-status counts for all twelve. */
    int64_t ends[12];
    kith_person_measures *pms[12] = {NULL};
    uint8_t *knowns[12] = {NULL};
    int counts[12][KITH_ST__COUNT];
    for (int j = 0; j < 12; j++)
        ends[j] = kith_utc_month_end(mi - 11 + j);
    pms[10] = r->pm_prev;
    pms[11] = r->pm;
    knowns[10] = known_prev;
    knowns[11] = known;
    kith_span ts = kith_trace_start();
    if ((err = kith_measures_series(m, &r->config, ends, 12, pms, knowns, counts, d)))
        goto cleanup;
    kith_trace_stop(ts, "per-person measures");

    /* Profile checklist (spec §3.4); it has no date, so both months share it. */
    r->profile = (kith_profile_check){
        filled(m->profile.headline), filled(m->profile.summary), filled(m->profile.industry),
        filled(m->profile.location), m->profile.current_positions > 0, m->profile.skills >= 5};

    /* 13 months: the 12 of the report plus the one before, for last month's rhythm. */
    kith_month series[13];
    double out_events[13];
    for (int j = 0; j < 13; j++) {
        month_stats(m, &r->config, mi - 12 + j, &series[j]);
        out_events[j] = series[j].out_events;
    }
    for (int j = 0; j < 12; j++) {
        r->months[j] = series[j + 1];
        memcpy(r->months[j].status, counts[j], sizeof counts[j]);
    }

    if ((err = side_kpis(r, r->pm, known, r->as_of, &series[12], out_events + 1, r->kpi)) ||
        (err = side_kpis(r, r->pm_prev, known_prev, r->prev_as_of, &series[11], out_events,
                         r->kpi_prev))) {
        err = kith_diag_set(d, err, NULL, 0, "out of memory");
        goto cleanup;
    }

    /* Lists for the Summary and Neglected sheets: the neglected in person order here, by
     * priority once the graph is measured (kith_report_build_graph). */
    if (!(r->neglected = malloc(n ? n * sizeof *r->neglected : 1)))
        goto nomem;
    for (size_t i = 0; i < n; i++)
        if (known[i] && (r->pm[i].status == KITH_ST_DORMANT || r->pm[i].status == KITH_ST_FADING))
            r->neglected[r->n_neglected++] = (int32_t)i;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (known[i] && r->pm[i].label == KITH_LABEL_YOU_OWE)
            scratch[k++] = (sort_entry){r->pm[i].received, pname(m, i), (int32_t)i};
    if ((err = sorted_persons(scratch, k, &r->you_owe, &r->n_you_owe)))
        goto nomem;
    k = birthdays(m, known, r->as_of, scratch);
    qsort(scratch, k, sizeof *scratch, cmp_entry);
    r->birthdays = malloc((k ? k : 1) * sizeof *r->birthdays);
    if (!r->birthdays)
        goto nomem;
    for (size_t i = 0; i < k; i++)
        r->birthdays[i] = (kith_birthday){scratch[i].idx, (int64_t)-scratch[i].key};
    r->n_birthdays = k;

    size_t ne = 0;
    while (ne < m->n_events && m->events[ne].t <= r->as_of)
        ne++;
    if ((err = build_ledger(r, ne)))
        goto nomem;
    /* Month over month, from statuses and layers (no graph): final now, so the charts and
     * sheets that show them need not wait for the month before's graph. */
    if ((err = build_changes(r, known, scratch)))
        goto nomem;
    for (size_t i = 0; i < n; i++) {
        if (known[i])
            r->layer_counts[r->pm[i].layer]++;
        if (known_prev[i])
            r->layer_counts_prev[r->pm_prev[i].layer]++;
    }
    goto cleanup;

nomem:
    err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
cleanup:
    if (err) {
        kith_report_free(r);
        return err;
    }
    *out = r;
    return KITH_OK;
}

kith_err kith_report_build_graph(kith_report *r, kith_diag *d)
{
    kith_err err = KITH_OK;
    if (!r || !r->pending || r->pending->graph_done)
        return KITH_OK;
    const kith_model *m = r->model;
    const uint8_t *known = r->pending->known;
    sort_entry *scratch = r->pending->scratch;
    kith_span t = kith_trace_start();
    if ((err = kith_graph_measures(r, 0, 1, d)))
        return err;
    kith_trace_stop(t, "graph, this month");
    if ((err = kith_measures_priorities(r->pm, known, m->n_persons)))
        return kith_diag_set(d, err, NULL, 0, "out of memory");
    for (size_t i = 0; i < r->n_neglected; i++) {
        int32_t p = r->neglected[i];
        scratch[i] = (sort_entry){r->pm[p].priority, pname(m, (size_t)p), p};
    }
    qsort(scratch, r->n_neglected, sizeof *scratch, cmp_entry);
    for (size_t i = 0; i < r->n_neglected; i++)
        r->neglected[i] = scratch[i].idx;
    r->pending->graph_done = true;
    return KITH_OK;
}

kith_err kith_report_build_begin(const kith_model *m, const kith_config *cfg, const char *month,
                                 kith_report **out, kith_diag *d)
{
    kith_err err = kith_report_build_start(m, cfg, month, out, d);
    if (!err && (err = kith_report_build_graph(*out, d))) {
        kith_report_free(*out);
        *out = NULL;
    }
    return err;
}

kith_err kith_report_build_finish(kith_report *r, kith_diag *d)
{
    kith_err err = KITH_OK;
    if (!r || !r->pending)
        return KITH_OK;
    if ((err = kith_report_build_graph(r, d)))
        return err;
    kith_span t = kith_trace_start();
    if ((err = kith_graph_measures(r, 1, 0, d)))
        return err;
    kith_trace_stop(t, "graph, previous month");
    if ((err = kith_measures_priorities(r->pm_prev, r->pending->known_prev, r->model->n_persons)))
        return kith_diag_set(d, err, NULL, 0, "out of memory");
    pending_free(r->pending);
    r->pending = NULL;
    return KITH_OK;
}

kith_err kith_report_build(const kith_model *m, const kith_config *cfg, const char *month,
                           kith_report **out, kith_diag *d)
{
    kith_err err = kith_report_build_begin(m, cfg, month, out, d);
    if (!err && (err = kith_report_build_finish(*out, d))) {
        kith_report_free(*out);
        *out = NULL;
    }
    return err;
}

void kith_report_free(kith_report *r)
{
    if (!r)
        return;
    pending_free(r->pending);
    free(r->pm);
    free(r->pm_prev);
    for (size_t i = 0; r->clusters && i < r->n_clusters; i++) {
        free(r->clusters[i].name);
        free(r->clusters[i].top_employers);
        free(r->clusters[i].top_members);
    }
    free(r->clusters);
    free(r->neglected);
    free(r->brokers);
    free(r->you_owe);
    free(r->birthdays);
    free(r->ledger);
    free(r->became_dormant);
    free(r->revived);
    free(r->layer_moves);
    kith_layout_free(&r->layout);
    free(r);
}
