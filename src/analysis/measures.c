/* Per-person measures as of T (spec §3.1): one pass over the time-sorted events for all
 * persons, then a per-person finish. Definitions the spec leaves open: kith/measures.h. */
#include "kith/measures.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400.0

/* ------------------------------------------------------------------------------------------
 * Calendar (H. Hinnant's days_from_civil / civil_from_days)
 * ------------------------------------------------------------------------------------------ */

int64_t kith_utc_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void kith_utc_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t kith_utc_month_index(int64_t t)
{
    int y, m, d;
    kith_utc_civil_from_days(floor_div(t, 86400), &y, &m, &d);
    return (int64_t)y * 12 + (m - 1);
}

int64_t kith_utc_month_start(int64_t mi)
{
    int64_t y = floor_div(mi, 12);
    int m = (int)(mi - y * 12) + 1;
    return kith_utc_days_from_civil(y, m, 1) * 86400;
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
    if (fabs(x - round(x)) < 1e-9)
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%.1f", x);
    return buf;
}

static int cmp_int32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Median of the gaps between the sorted distinct days[0..k), k >= 3. Reuses days[] as
 * scratch for the gaps. */
static double median_gap(int32_t *days, uint32_t k)
{
    uint32_t g = k - 1;
    for (uint32_t i = 0; i < g; i++)
        days[i] = days[i + 1] - days[i];
    qsort(days, g, sizeof *days, cmp_int32);
    if (g % 2)
        return days[g / 2];
    return (days[g / 2 - 1] + days[g / 2]) / 2.0;
}

static void set_rule(kith_person_measures *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void set_rule(kith_person_measures *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->rule, sizeof p->rule, fmt, ap);
    va_end(ap);
}

static void set_status(kith_person_measures *p, const kith_person *person, const kith_config *c,
                       int64_t T)
{
    char a[24], b[24], e[24], f[24];
    double new_s = c->new_days * DAY;
    bool gap = !isnan(p->usual_gap);
    const char *sil = num(a, sizeof a, p->silent_days);

    if (person->connected_on != KITH_NO_TIME && person->connected_on <= T &&
        (double)(T - person->connected_on) < new_s) {
        p->status = KITH_ST_NEW;
        set_rule(p, "new: connected %s d ago < %s",
                 num(b, sizeof b, floor((double)(T - person->connected_on) / DAY)),
                 num(e, sizeof e, c->new_days));
        return;
    }
    if (p->first_event != KITH_NO_TIME && (double)(T - p->first_event) < new_s) {
        p->status = KITH_ST_NEW;
        set_rule(p, "new: first event %s d ago < %s",
                 num(b, sizeof b, floor((double)(T - p->first_event) / DAY)),
                 num(e, sizeof e, c->new_days));
        return;
    }
    if (!(p->peak_strength > 0)) {
        p->status = KITH_ST_LATENT;
        set_rule(p, "latent: no event with weight > 0");
        return;
    }
    bool peak_ok = p->peak_strength >= c->peak_min;
    if (c->dormant_days > 0) {
        if (p->silent_days > c->dormant_days && peak_ok) {
            p->status = KITH_ST_DORMANT;
            set_rule(p, "dormant: silent %s d > --dormant-days %s", sil,
                     num(b, sizeof b, c->dormant_days));
            return;
        }
    } else if (gap) {
        double th = fmax(c->dormant_multiplier * p->usual_gap, c->dormant_min_days);
        if (p->silent_days > th && peak_ok) {
            p->status = KITH_ST_DORMANT;
            set_rule(p, "dormant: silent %s d > max(%s x %s d gap, %s)",
                     sil, num(b, sizeof b, c->dormant_multiplier),
                     num(e, sizeof e, p->usual_gap), num(f, sizeof f, c->dormant_min_days));
            return;
        }
    } else if (p->silent_days > c->dormant_default_days && peak_ok) {
        p->status = KITH_ST_DORMANT;
        set_rule(p, "dormant: silent %s d > %s (no usual gap)", sil,
                 num(b, sizeof b, c->dormant_default_days));
        return;
    }
    if (p->silent_days > c->cold_days && !peak_ok) {
        p->status = KITH_ST_COLD;
        set_rule(p, "cold: silent %s d > %s, peak %.2f < %s", sil,
                 num(b, sizeof b, c->cold_days), p->peak_strength,
                 num(e, sizeof e, c->peak_min));
        return;
    }
    double fth = gap ? fmax(c->fading_multiplier * p->usual_gap, c->fading_min_days)
                     : c->fading_default_days;
    p->status = p->silent_days > fth ? KITH_ST_FADING : KITH_ST_ACTIVE;
    const char *word = p->status == KITH_ST_FADING ? "fading" : "active";
    const char *op = p->status == KITH_ST_FADING ? ">" : "<=";
    if (gap)
        set_rule(p, "%s: silent %s d %s max(%s x %s d gap, %s)", word, sil,
                 op, num(b, sizeof b, c->fading_multiplier), num(e, sizeof e, p->usual_gap),
                 num(f, sizeof f, c->fading_min_days));
    else
        set_rule(p, "%s: silent %s d %s %s (no usual gap)", word, sil, op,
                 num(b, sizeof b, c->fading_default_days));
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

kith_err kith_measures_at(const kith_model *m, const kith_config *cfg, int64_t T, bool layers,
                          kith_person_measures *pm, uint8_t *known, kith_diag *d)
{
    kith_err err = KITH_OK;
    size_t n = m->n_persons;
    uint32_t *off = NULL, *fill = NULL;
    int32_t *days = NULL;
    const double H = cfg->half_life_days * DAY;
    const int64_t start12 = kith_utc_twelve_month_start(T);
    const size_t ne = events_upto(m, T);

    for (size_t i = 0; i < n; i++) {
        kith_person_measures *p = &pm[i];
        memset(p, 0, sizeof *p);
        p->balance = p->silent_days = p->usual_gap = NAN;
        p->first_event = p->last_contact = KITH_NO_TIME;
        p->cluster = -1;
        p->betweenness = p->priority = p->engagement = p->mutuality = p->novelty = NAN;
    }
    if (ne > UINT32_MAX)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "too many events");

    /* Distinct contact days per person, in a CSR layout sized by event counts. */
    off = calloc(n + 1, sizeof *off);
    fill = calloc(n ? n : 1, sizeof *fill);
    days = malloc((ne ? ne : 1) * sizeof *days);
    if (!off || !fill || !days) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory for measures");
        goto cleanup;
    }
    for (size_t e = 0; e < ne; e++)
        if ((size_t)m->events[e].person < n && m->events[e].person >= 0)
            off[m->events[e].person + 1]++;
    for (size_t i = 0; i < n; i++)
        off[i + 1] += off[i];

    /* The running-sum trick: pm.strength holds the decayed sum as of pm.last_contact, so
     * every event costs O(1) and the peak is read just after each event. */
    for (size_t e = 0; e < ne; e++) {
        const kith_event *ev = &m->events[e];
        if (ev->person < 0 || (size_t)ev->person >= n || ev->kind >= KITH_K__COUNT)
            continue;
        kith_person_measures *p = &pm[ev->person];
        double w = cfg->weights[ev->kind];
        if (p->last_contact == KITH_NO_TIME) {
            p->first_event = ev->t;
            p->strength = w;
        } else {
            p->strength = p->strength * exp2(-(double)(ev->t - p->last_contact) / H) + w;
        }
        p->last_contact = ev->t;
        if (p->strength > p->peak_strength)
            p->peak_strength = p->strength;
        if (ev->dir == KITH_DIR_OUT) {
            p->given += w;
            if (ev->t >= start12)
                p->given_12m += w;
        } else {
            p->received += w;
            if (ev->t >= start12)
                p->received_12m += w;
        }
        int32_t day = (int32_t)floor_div(ev->t, 86400);
        uint32_t base = off[ev->person], k = fill[ev->person];
        if (k == 0 || days[base + k - 1] != day)
            days[base + fill[ev->person]++] = day;
    }

    for (size_t i = 0; i < n; i++) {
        kith_person_measures *p = &pm[i];
        if (p->last_contact != KITH_NO_TIME) {
            p->strength *= exp2(-(double)(T - p->last_contact) / H);
            p->silent_days = (double)(T - p->last_contact) / DAY;
        }
        if (fill[i] >= 3)
            p->usual_gap = median_gap(days + off[i], fill[i]);
        double tot = p->given + p->received;
        if (tot > 0) {
            p->balance = (p->given - p->received) / tot;
            /* the tolerance keeps exact thirds (4 vs 8) on the boundary despite rounding */
            if (p->balance <= -cfg->owe_ratio + 1e-12 && p->received >= cfg->owe_min)
                p->label = KITH_LABEL_YOU_OWE;
            else if (p->balance >= cfg->owe_ratio - 1e-12 && p->given >= cfg->owe_min)
                p->label = KITH_LABEL_THEY_OWE;
            else
                p->label = KITH_LABEL_BALANCED;
        }
        set_status(p, &m->persons[i], cfg, T);
    }

    if (known) {
        /* a later event dates a person: known only from then on */
        memset(known, 1, n);
        for (size_t e = ne; e < m->n_events; e++)
            if (m->events[e].person >= 0 && (size_t)m->events[e].person < n)
                known[m->events[e].person] = 2;
        for (size_t i = 0; i < n; i++) {
            const kith_person *ps = &m->persons[i];
            bool k = pm[i].first_event != KITH_NO_TIME ||
                     (ps->connected_on != KITH_NO_TIME && ps->connected_on <= T) ||
                     (ps->connected_on == KITH_NO_TIME && known[i] != 2);
            known[i] = k;
            if (!k) {
                pm[i].status = KITH_ST_LATENT;
                set_rule(&pm[i], "latent: not in the data yet");
            }
        }
    }
    if (layers)
        err = set_layers(m, pm, d);

cleanup:
    free(off);
    free(fill);
    free(days);
    return err;
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
