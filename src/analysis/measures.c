/* Per-person measures as of T (spec §3.1): one pass over the time-sorted events for all
 * persons, then a per-person finish. Definitions the spec leaves open: kith/measures.h. */
#include "kith/measures.h"

#include "kith/date.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400.0
/* From this many persons the per-person sweep runs on two threads (half the persons each);
 * below it a thread costs more than it saves. */
size_t kith_measures_thread_min = 20000;

/* ------------------------------------------------------------------------------------------
 * Calendar months (the day arithmetic is date.h's)
 * ------------------------------------------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t kith_utc_month_index(int64_t t)
{
    int y, m, d;
    kith_civil_from_days(floor_div(t, 86400), &y, &m, &d);
    return (int64_t)y * 12 + (m - 1);
}

int64_t kith_utc_month_start(int64_t mi)
{
    int64_t y = floor_div(mi, 12);
    int m = (int)(mi - y * 12) + 1;
    return kith_days_from_civil(y, m, 1) * 86400;
}

int64_t kith_utc_month_end(int64_t mi) { return kith_utc_month_start(mi + 1) - 1; }

int64_t kith_utc_twelve_month_start(int64_t T)
{
    return kith_utc_month_start(kith_utc_month_index(T) - 11);
}

/* ------------------------------------------------------------------------------------------ */

double kith_burstiness(const double *x, size_t n)
{
    if (n == 0)
        return NAN;
    double mu = 0, var = 0;
    for (size_t i = 0; i < n; i++)
        mu += x[i];
    mu /= (double)n;
    for (size_t i = 0; i < n; i++)
        var += (x[i] - mu) * (x[i] - mu);
    double sigma = sqrt(var / (double)n);
    if (sigma + mu == 0)
        return NAN;
    return (sigma - mu) / (sigma + mu);
}

/* "14" for whole numbers, "14.5" otherwise: the rule text reads like the thresholds. */
static const char *num(char *buf, size_t size, double x)
{
    bool whole = fabs(x - round(x)) < 1e-9;
    /* The common case without printf (every Contacts row's rule has two to four of these):
     * below a million, and for one decimal only when x*10 is not within 1e-6 of a half, so
     * this rounding and printf's (of the exact binary value) cannot disagree. */
    double t = fabs(x) * (whole ? 1 : 10);
    if (fabs(x) < 1e6 && size >= 16 && (whole || fabs(t - floor(t) - 0.5) > 1e-6)) {
        long long v = llround(t);
        char d[16];
        int n = 0;
        do
            d[n++] = (char)('0' + v % 10);
        while ((v /= 10) || (!whole && n < 2));
        size_t o = 0;
        if (signbit(x)) /* as printf: "-0" for a negative that rounds to zero */
            buf[o++] = '-';
        while (n > (whole ? 0 : 1))
            buf[o++] = d[--n];
        if (!whole) {
            buf[o++] = '.';
            buf[o++] = d[0];
        }
        buf[o] = '\0';
        return buf;
    }
    snprintf(buf, size, whole ? "%.0f" : "%.1f", x);
    return buf;
}

/* The k-th smallest of a[0..n) (Hoare's quickselect, median-of-three pivot); reorders a. */
static int32_t select_kth(int32_t *a, uint32_t n, uint32_t k)
{
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int32_t x = a[lo], y = a[mid], z = a[hi];
        int32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        uint32_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot)
                i++;
            while (a[j] > pivot)
                j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i] = a[j];
                a[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

/* Median of the gaps between the sorted distinct days[0..k), k >= 3, in O(k). Reuses
 * days[] as scratch for the gaps. */
static double median_gap(int32_t *days, uint32_t k)
{
    uint32_t g = k - 1;
    for (uint32_t i = 0; i < g; i++)
        days[i] = days[i + 1] - days[i];
    int32_t hi = select_kth(days, g, g / 2);
    if (g % 2)
        return hi;
    /* after selecting g/2, everything below it is in days[0 .. g/2) */
    int32_t lo = days[0];
    for (uint32_t i = 1; i < g / 2; i++)
        if (days[i] > lo)
            lo = days[i];
    return (lo + hi) / 2.0;
}


static kith_rule set_status(kith_person_measures *p, const kith_person *person,
                            const kith_config *c, int64_t T)
{
    double new_s = c->new_days * DAY;
    bool gap = !isnan(p->usual_gap);
    if (person->connected_on != KITH_NO_TIME && person->connected_on <= T &&
        (double)(T - person->connected_on) < new_s)
        return p->status = KITH_ST_NEW, KITH_RULE_NEW_CONNECTED;
    if (p->first_event != KITH_NO_TIME && (double)(T - p->first_event) < new_s)
        return p->status = KITH_ST_NEW, KITH_RULE_NEW_FIRST;
    if (!(p->peak_strength > 0))
        return p->status = KITH_ST_LATENT, KITH_RULE_LATENT;
    bool peak_ok = p->peak_strength >= c->peak_min;
    if (c->dormant_days > 0) {
        if (p->silent_days > c->dormant_days && peak_ok)
            return p->status = KITH_ST_DORMANT, KITH_RULE_DORMANT_FIXED;
    } else if (gap) {
        if (p->silent_days > fmax(c->dormant_multiplier * p->usual_gap, c->dormant_min_days) &&
            peak_ok)
            return p->status = KITH_ST_DORMANT, KITH_RULE_DORMANT_GAP;
    } else if (p->silent_days > c->dormant_default_days && peak_ok) {
        return p->status = KITH_ST_DORMANT, KITH_RULE_DORMANT_NO_GAP;
    }
    if (p->silent_days > c->cold_days && !peak_ok)
        return p->status = KITH_ST_COLD, KITH_RULE_COLD;
    double fth = gap ? fmax(c->fading_multiplier * p->usual_gap, c->fading_min_days)
                     : c->fading_default_days;
    p->status = p->silent_days > fth ? KITH_ST_FADING : KITH_ST_ACTIVE;
    return gap ? KITH_RULE_RHYTHM_GAP : KITH_RULE_RHYTHM_NO_GAP;
}

const char *kith_measures_rule(const kith_person_measures *p, const kith_person *person,
                               const kith_config *c, int64_t T, char *buf, size_t n)
{
    char a[24], b[24], e[24], f[24];
    const char *sil = isnan(p->silent_days) ? "" : num(a, sizeof a, p->silent_days);
    const char *word = p->status == KITH_ST_FADING ? "fading" : "active";
    const char *op = p->status == KITH_ST_FADING ? ">" : "<=";
    if (!n)
        return buf;
    buf[0] = '\0';
    switch ((kith_rule)p->rule) {
    case KITH_RULE_NONE: break;
    case KITH_RULE_NOT_YET: snprintf(buf, n, "latent: not in the data yet"); break;
    case KITH_RULE_NEW_CONNECTED:
        snprintf(buf, n, "new: connected %s d ago < %s",
                 num(b, sizeof b, floor((double)(T - person->connected_on) / DAY)),
                 num(e, sizeof e, c->new_days));
        break;
    case KITH_RULE_NEW_FIRST:
        snprintf(buf, n, "new: first event %s d ago < %s",
                 num(b, sizeof b, floor((double)(T - p->first_event) / DAY)),
                 num(e, sizeof e, c->new_days));
        break;
    case KITH_RULE_LATENT: snprintf(buf, n, "latent: no event with weight > 0"); break;
    case KITH_RULE_DORMANT_FIXED:
        snprintf(buf, n, "dormant: silent %s d > --dormant-days %s", sil,
                 num(b, sizeof b, c->dormant_days));
        break;
    case KITH_RULE_DORMANT_GAP:
        snprintf(buf, n, "dormant: silent %s d > max(%s x %s d gap, %s)", sil,
                 num(b, sizeof b, c->dormant_multiplier), num(e, sizeof e, p->usual_gap),
                 num(f, sizeof f, c->dormant_min_days));
        break;
    case KITH_RULE_DORMANT_NO_GAP:
        snprintf(buf, n, "dormant: silent %s d > %s (no usual gap)", sil,
                 num(b, sizeof b, c->dormant_default_days));
        break;
    case KITH_RULE_COLD:
        snprintf(buf, n, "cold: silent %s d > %s, peak %.2f < %s", sil,
                 num(b, sizeof b, c->cold_days), p->peak_strength, num(e, sizeof e, c->peak_min));
        break;
    case KITH_RULE_RHYTHM_GAP:
        snprintf(buf, n, "%s: silent %s d %s max(%s x %s d gap, %s)", word, sil, op,
                 num(b, sizeof b, c->fading_multiplier), num(e, sizeof e, p->usual_gap),
                 num(f, sizeof f, c->fading_min_days));
        break;
    case KITH_RULE_RHYTHM_NO_GAP:
        snprintf(buf, n, "%s: silent %s d %s %s (no usual gap)", word, sil, op,
                 num(b, sizeof b, c->fading_default_days));
        break;
    }
    return buf;
}

typedef struct {
    double strength;
    const char *name;
    size_t idx;
} rank_entry;

static int cmp_rank(const void *a, const void *b)
{
    const rank_entry *x = a, *y = b;
    if (x->strength != y->strength)
        return x->strength > y->strength ? -1 : 1;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static kith_err set_layers(const kith_model *m, kith_person_measures *pm, kith_diag *d)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_persons; i++)
        n += pm[i].strength > 0;
    if (!n)
        return KITH_OK;
    rank_entry *r = malloc(n * sizeof *r);
    if (!r)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory ranking layers");
    n = 0;
    for (size_t i = 0; i < m->n_persons; i++)
        if (pm[i].strength > 0)
            r[n++] = (rank_entry){pm[i].strength, m->persons[i].name ? m->persons[i].name : "", i};
    qsort(r, n, sizeof *r, cmp_rank);
    for (size_t k = 0; k < n; k++) {
        size_t rank = k + 1;
        pm[r[k].idx].layer = rank <= 5 ? 1 : rank <= 15 ? 2 : rank <= 50 ? 3 : rank <= 150 ? 4 : 5;
    }
    free(r);
    return KITH_OK;
}

/* The number of events with t <= T (events are sorted by t). */
static size_t events_upto(const kith_model *m, int64_t T)
{
    size_t lo = 0, hi = m->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->events[mid].t <= T)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void init_measures(kith_person_measures *p)
{
    memset(p, 0, sizeof *p);
    p->balance = p->silent_days = p->usual_gap = NAN;
    p->first_event = p->last_contact = KITH_NO_TIME;
    p->cluster = -1;
    p->betweenness = p->priority = p->engagement = p->mutuality = p->novelty = NAN;
}

/* One person's running state over their time-ordered events. */
typedef struct {
    int64_t first, last;
    double S, peak; /* S: the decayed sum as of `last` (the running-sum trick) */
    double given, received;
    uint32_t n_days;
    uint32_t gap_days; /* n_days when `gap` was last computed */
    double gap;
} run_state;

/* An event as one person's sweep reads it: copied out of the model in person order, so the
 * sweep reads memory sequentially (reading m->events through an index was a cache miss per
 * event, about 40% of the sweep at 300k persons). */
typedef struct {
    int64_t t;
    uint8_t kind, dir;
} sweep_event;

/* What the per-person sweep reads: the same for every person (read-only while it runs). */
typedef struct {
    const kith_model *m;
    const kith_config *cfg;
    const int64_t *Ts, *start12;
    size_t nT;
    double H;
    const uint32_t *off; /* person i's events: idx[off[i] .. off[i+1]) */
    const sweep_event *idx;
    const uint8_t *later;
    kith_person_measures *const *pms;
    uint8_t *const *known;
} sweep_ctx;

/* Persons lo..hi-1 at every moment: their measures, known flags and status counts (added to
 * counts, which may be NULL). days and gaps: scratch for the most events of one person. */
static void sweep_persons(const sweep_ctx *sc, size_t lo, size_t hi, int32_t *days, int32_t *gaps,
                          int (*counts)[KITH_ST__COUNT])
{
    for (size_t i = lo; i < hi; i++) {
        const kith_person *person = &sc->m->persons[i];
        const sweep_event *ev = sc->idx + sc->off[i];
        const uint32_t cnt = sc->off[i + 1] - sc->off[i];
        run_state st = {KITH_NO_TIME, KITH_NO_TIME, 0, 0, 0, 0, 0, 0, NAN};
        uint32_t k = 0;
        for (size_t j = 0; j < sc->nT; j++) {
            const int64_t T = sc->Ts[j];
            for (; k < cnt && ev[k].t <= T; k++) {
                const sweep_event *x = &ev[k];
                double w = sc->cfg->weights[x->kind];
                st.S = st.last == KITH_NO_TIME ? w
                                               : st.S * exp2(-(double)(x->t - st.last) / sc->H) + w;
                if (st.first == KITH_NO_TIME)
                    st.first = x->t;
                st.last = x->t;
                if (st.S > st.peak)
                    st.peak = st.S;
                *(x->dir == KITH_DIR_OUT ? &st.given : &st.received) += w;
                int32_t day = (int32_t)floor_div(x->t, 86400);
                if (st.n_days == 0 || days[st.n_days - 1] != day)
                    days[st.n_days++] = day;
            }
            const bool full = sc->pms && sc->pms[j];
            kith_person_measures local, *p = full ? &sc->pms[j][i] : &local;
            init_measures(p);
            p->first_event = st.first;
            p->last_contact = st.last;
            p->peak_strength = st.peak;
            p->given = st.given;
            p->received = st.received;
            if (st.last != KITH_NO_TIME) {
                p->strength = st.S * exp2(-(double)(T - st.last) / sc->H);
                p->silent_days = (double)(T - st.last) / DAY;
            }
            if (st.n_days >= 3) {
                if (st.gap_days != st.n_days) { /* new contact days since the last moment */
                    memcpy(gaps, days, st.n_days * sizeof *gaps);
                    st.gap = median_gap(gaps, st.n_days);
                    st.gap_days = st.n_days;
                }
                p->usual_gap = st.gap;
            }
            if (full) {
                for (uint32_t q = k; q-- > 0 && ev[q].t >= sc->start12[j];) {
                    const sweep_event *x = &ev[q];
                    *(x->dir == KITH_DIR_OUT ? &p->given_12m : &p->received_12m) +=
                        sc->cfg->weights[x->kind];
                }
                double tot = p->given + p->received;
                if (tot > 0) {
                    p->balance = (p->given - p->received) / tot;
                    /* the tolerance keeps exact thirds (4 vs 8) on the boundary */
                    if (p->balance <= -sc->cfg->owe_ratio + 1e-12 && p->received >= sc->cfg->owe_min)
                        p->label = KITH_LABEL_YOU_OWE;
                    else if (p->balance >= sc->cfg->owe_ratio - 1e-12 && p->given >= sc->cfg->owe_min)
                        p->label = KITH_LABEL_THEY_OWE;
                    else
                        p->label = KITH_LABEL_BALANCED;
                }
            }
            kith_rule rk = set_status(p, person, sc->cfg, T);
            /* known: dated at or before T, or not dated at all (a contacts entry alone) */
            bool is_known = st.first != KITH_NO_TIME ||
                            (person->connected_on != KITH_NO_TIME && person->connected_on <= T) ||
                            (person->connected_on == KITH_NO_TIME && !sc->later[i] && k == cnt);
            if (!is_known)
                p->status = KITH_ST_LATENT;
            p->rule = (uint8_t)(is_known ? rk : KITH_RULE_NOT_YET);
            if (sc->known && sc->known[j])
                sc->known[j][i] = is_known;
            if (counts && is_known)
                counts[j][p->status]++;
        }
    }
}

typedef struct {
    const sweep_ctx *x;
    size_t lo, hi;
    int32_t *days, *gaps;
    int (*counts)[KITH_ST__COUNT];
} sweep_job;

static void *sweep_thread(void *arg)
{
    sweep_job *j = arg;
    sweep_persons(j->x, j->lo, j->hi, j->days, j->gaps, j->counts);
    return NULL;
}

kith_err kith_measures_series(const kith_model *m, const kith_config *cfg, const int64_t *Ts,
                              size_t nT, kith_person_measures *const *pms,
                              uint8_t *const *known, int (*counts)[KITH_ST__COUNT],
                              kith_diag *d)
{
    kith_err err = KITH_OK;
    size_t n = m->n_persons;
    uint32_t *off = NULL;
    sweep_event *idx = NULL;
    int32_t *days = NULL, *gaps = NULL;
    uint8_t *later = NULL;
    int64_t *start12 = NULL;
    const double H = cfg->half_life_days * DAY;

    for (size_t j = 0; j < nT; j++) {
        if (j && Ts[j] < Ts[j - 1])
            return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "moments not in order");
        if (counts)
            memset(counts[j], 0, sizeof counts[j]);
    }
    if (!nT)
        return KITH_OK;
    const size_t ne = events_upto(m, Ts[nT - 1]);
    if (ne > UINT32_MAX - 1)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "too many events");

    /* Each person's events, in time order, copied once (one random write per event),
     * however many moments are measured. */
    off = calloc(n + 2, sizeof *off);
    idx = malloc((ne ? ne : 1) * sizeof *idx);
    later = calloc(n ? n : 1, 1);
    start12 = malloc(nT * sizeof *start12);
    if (!off || !idx || !later || !start12)
        goto nomem;
    for (size_t e = 0; e < ne; e++) {
        int32_t p = m->events[e].person;
        if (p >= 0 && (size_t)p < n && m->events[e].kind < KITH_K__COUNT)
            off[p + 2]++;
    }
    uint32_t max_cnt = 0;
    for (size_t i = 0; i < n; i++) {
        if (off[i + 2] > max_cnt)
            max_cnt = off[i + 2];
        off[i + 2] += off[i + 1];
    }
    for (size_t e = 0; e < ne; e++) {
        int32_t p = m->events[e].person;
        if (p >= 0 && (size_t)p < n && m->events[e].kind < KITH_K__COUNT)
            idx[off[p + 1]++] =
                (sweep_event){m->events[e].t, m->events[e].kind, m->events[e].dir};
    }
    /* now off[i] .. off[i+1] spans person i */
    for (size_t e = ne; e < m->n_events; e++)
        if (m->events[e].person >= 0 && (size_t)m->events[e].person < n)
            later[m->events[e].person] = 1;
    days = malloc((max_cnt ? max_cnt : 1) * sizeof *days);
    gaps = malloc((max_cnt ? max_cnt : 1) * sizeof *gaps);
    if (!days || !gaps)
        goto nomem;
    for (size_t j = 0; j < nT; j++)
        start12[j] = kith_utc_twelve_month_start(Ts[j]);

    sweep_ctx x = {m, cfg, Ts, start12, nT, H, off, idx, later, pms, known};
    /* The second half of the persons in a thread, with its own scratch and counts: each
     * person's measures depend on that person's events alone, and counts are integers, so
     * the result is the same however the halves are scheduled. */
    pthread_t th;
    bool threaded = false;
    sweep_job job = {&x, n / 2, n, NULL, NULL, NULL};
    if (n >= kith_measures_thread_min) {
        job.days = malloc((max_cnt ? max_cnt : 1) * sizeof *job.days);
        job.gaps = malloc((max_cnt ? max_cnt : 1) * sizeof *job.gaps);
        job.counts = counts ? calloc(nT, sizeof *job.counts) : NULL;
        threaded = job.days && job.gaps && (job.counts || !counts) &&
                   pthread_create(&th, NULL, sweep_thread, &job) == 0;
    }
    sweep_persons(&x, 0, threaded ? n / 2 : n, days, gaps, counts);
    if (threaded) {
        pthread_join(th, NULL);
        for (size_t j = 0; counts && j < nT; j++)
            for (int st = 0; st < KITH_ST__COUNT; st++)
                counts[j][st] += job.counts[j][st];
    }
    free(job.days);
    free(job.gaps);
    free(job.counts);
    for (size_t j = 0; pms && j < nT; j++)
        if (pms[j] && (err = set_layers(m, pms[j], d)))
            goto cleanup;
    goto cleanup;

nomem:
    err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory for measures");
cleanup:
    free(off);
    free(idx);
    free(days);
    free(gaps);
    free(later);
    free(start12);
    return err;
}

kith_err kith_measures_at(const kith_model *m, const kith_config *cfg, int64_t T,
                          kith_person_measures *pm, uint8_t *known, kith_diag *d)
{
    return kith_measures_series(m, cfg, &T, 1, &pm, &known, NULL, d);
}

kith_err kith_measures_priorities(kith_person_measures *pm, const uint8_t *known, size_t n)
{
    int max_cluster = -1;
    double max_peak = 0;
    for (size_t i = 0; i < n; i++) {
        pm[i].priority = pm[i].engagement = pm[i].mutuality = pm[i].novelty = NAN;
        if (known && !known[i])
            continue;
        if (pm[i].cluster > max_cluster)
            max_cluster = pm[i].cluster;
        if ((pm[i].status == KITH_ST_DORMANT || pm[i].status == KITH_ST_FADING) &&
            pm[i].peak_strength > max_peak)
            max_peak = pm[i].peak_strength;
    }
    int *size = NULL, *active = NULL;
    if (max_cluster >= 0) {
        size = calloc((size_t)max_cluster + 1, sizeof *size);
        active = calloc((size_t)max_cluster + 1, sizeof *active);
        if (!size || !active) {
            free(size);
            free(active);
            return KITH_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            if ((known && !known[i]) || pm[i].cluster < 0)
                continue;
            size[pm[i].cluster]++;
            active[pm[i].cluster] +=
                pm[i].status == KITH_ST_ACTIVE || pm[i].status == KITH_ST_NEW;
        }
    }
    for (size_t i = 0; i < n; i++) {
        kith_person_measures *p = &pm[i];
        if ((known && !known[i]) || (p->status != KITH_ST_DORMANT && p->status != KITH_ST_FADING))
            continue;
        p->engagement = max_peak > 0 ? p->peak_strength / max_peak : 0;
        p->mutuality = isnan(p->balance) ? 1 : 1 - fabs(p->balance);
        if (p->cluster < 0 || !size || size[p->cluster] == 0)
            p->novelty = 1;
        else
            p->novelty = (double)(size[p->cluster] - active[p->cluster]) / size[p->cluster];
        p->priority = (p->engagement + p->mutuality + p->novelty) / 3;
    }
    free(size);
    free(active);
    return KITH_OK;
}
