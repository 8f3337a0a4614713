/* kith synth: who the persons are, which plant or cohort each belongs to, and every person's
 * LinkedIn events as a pure function of (seed, index).
 *
 * Index layout: [0, n_plants) planted persons (so their names are unique), then the cohorts
 * in sy_cohort_kind order, then the background. Connections.csv is written in connection
 * order, so the layout is not visible in the files. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"

#define YEAR (365 * SY_DAY)
#define MONTH (30 * SY_DAY)

static size_t name_space(void)
{
    return sy_n_first * sy_n_last;
}

/* A bijection on [0, F*L): names look random, yet the first F*L persons never share one. */
static size_t name_combo(const sy_ctx *c, size_t i)
{
    size_t fl = name_space(), a = 2477;
    while (fl % a == 0)
        a += 2;
    return (size_t)(((uint64_t)(i % fl) * a + sy_hash(c->seed, 77) % fl) % fl);
}

void sy_extra_name(const sy_ctx *c, size_t k, const sy_name **first, const sy_name **last)
{
    size_t combo = name_combo(c, c->n + k);
    *first = &sy_first_names[combo % sy_n_first];
    *last = &sy_last_names[combo / sy_n_first];
}

static void fill_name(const sy_ctx *c, size_t i, sy_person *p)
{
    size_t k = name_combo(c, i);
    p->first = (uint16_t)(k % sy_n_first);
    p->last = (uint16_t)(k / sy_n_first);
    p->middle = (uint8_t)(i >= name_space() ? 1 + (i / name_space() - 1) % 26 : 0);
}

void sy_first(const sy_ctx *c, size_t i, char *buf, size_t n)
{
    const sy_person *p = &c->p[i];
    if (p->special >= 0)
        snprintf(buf, n, "%s", sy_specials[p->special].first);
    else if (p->middle)
        snprintf(buf, n, "%s %c.", sy_first_names[p->first].text, 'A' + p->middle - 1);
    else
        snprintf(buf, n, "%s", sy_first_names[p->first].text);
}

void sy_last(const sy_ctx *c, size_t i, char *buf, size_t n)
{
    const sy_person *p = &c->p[i];
    snprintf(buf, n, "%s",
             p->special >= 0 ? sy_specials[p->special].last : sy_last_names[p->last].text);
}

void sy_fullname(const sy_ctx *c, size_t i, char *buf, size_t n)
{
    char f[128], l[128];
    sy_first(c, i, f, sizeof f);
    sy_last(c, i, l, sizeof l);
    snprintf(buf, n, "%s %s", f, l);
}

static void ascii_parts(const sy_ctx *c, size_t i, const char **af, const char **al)
{
    const sy_person *p = &c->p[i];
    *af = p->special >= 0 ? sy_specials[p->special].ascii_first : sy_first_names[p->first].ascii;
    *al = p->special >= 0 ? sy_specials[p->special].ascii_last : sy_last_names[p->last].ascii;
}

static void slug(const sy_ctx *c, size_t i, bool raw_unicode, char *buf, size_t n)
{
    const sy_person *p = &c->p[i];
    if (raw_unicode) {
        /* Some members chose a vanity URL with their name as written. */
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s-%s-%08x", sy_first_names[p->first].text,
                 sy_last_names[p->last].text, (unsigned)p->slug);
        for (char *s = tmp; *s; s++) {
            if (*s == ' ' || *s == '\'')
                *s = '-';
            else if (*s >= 'A' && *s <= 'Z')
                *s = (char)(*s - 'A' + 'a');
        }
        /* the capitals that begin names in the lists, lower-cased as LinkedIn does */
        static const char *const caps[][2] = {{"Ł", "ł"}, {"Ø", "ø"}, {"Ç", "ç"}, {"Đ", "đ"}};
        for (size_t k = 0; k < sizeof caps / sizeof *caps; k++)
            for (char *at = strstr(tmp, caps[k][0]); at; at = strstr(at, caps[k][0]))
                memcpy(at, caps[k][1], 2); /* same length in UTF-8 */
        snprintf(buf, n, "%s", tmp);
        return;
    }
    const char *af, *al;
    ascii_parts(c, i, &af, &al);
    snprintf(buf, n, "%s-%s-%08x", af, al, (unsigned)p->slug);
}

void sy_url(const sy_ctx *c, size_t i, bool with_scheme, char *buf, size_t n)
{
    char s[256];
    bool uni = c->p[i].flags & SY_PF_UNICODE_URL;
    slug(c, i, uni, s, sizeof s);
    if (!with_scheme) {
        snprintf(buf, n, "www.linkedin.com/in/%s", s);
        return;
    }
    char enc[768];
    size_t k = 0;
    for (const unsigned char *u = (const unsigned char *)s; *u && k + 4 < sizeof enc; u++) {
        if (*u >= 0x80)
            k += (size_t)snprintf(enc + k, sizeof enc - k, "%%%02X", *u);
        else
            enc[k++] = (char)*u;
    }
    enc[k] = 0;
    snprintf(buf, n, "https://www.linkedin.com/in/%s", enc);
}

void sy_owner_url(const sy_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "https://www.linkedin.com/in/mara-quintero-%08x", (unsigned)c->owner_slug);
}

void sy_email(const sy_ctx *c, size_t i, bool work, char *buf, size_t n)
{
    const char *af, *al;
    ascii_parts(c, i, &af, &al);
    char uniq[24] = "";
    /* Persons who share a name must not share an address, or they would merge. */
    if (i >= name_space() || i == c->dup_b || i == c->dup_a)
        snprintf(uniq, sizeof uniq, "%zu", i);
    if (work)
        snprintf(buf, n, "%s.%s%s@%s", af, al, uniq, sy_companies[c->p[i].company].domain);
    else
        snprintf(buf, n, "%s%s%02u%s@mail.example", af, al, (unsigned)(c->p[i].slug % 97), uniq);
}

const char *sy_company_name(const sy_ctx *c, size_t i)
{
    const sy_person *p = &c->p[i];
    return sy_companies[p->company].variants[p->variant];
}

const char *sy_position_name(const sy_ctx *c, size_t i)
{
    return sy_positions[c->p[i].position];
}

const char *sy_plant_name(sy_plant p)
{
    static const char *const names[SY_P__COUNT] = {
        "none",   "steady", "fading",  "dormant",  "cold",
        "latent", "new",    "you owe", "they owe", "job-search outreach"};
    return (unsigned)p < SY_P__COUNT ? names[p] : "none";
}

double sy_weight(int kind)
{
    switch (kind) {
    case SY_K_MSG: return 1.0;
    case SY_K_ENDORSE: return 2.0;
    case SY_K_REC: return 8.0;
    case SY_K_INVITE: return 0.5;
    default: return 0.0;
    }
}

/* ------------------------------------------------------------------------------------------
 * Event buffers
 * ------------------------------------------------------------------------------------------ */

static bool push(sy_evbuf *b, int64_t t, int kind, int dir, unsigned flags)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        sy_event *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return false;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = (sy_event){t, (uint8_t)kind, (uint8_t)dir, (uint8_t)flags};
    return true;
}

void sy_evbuf_free(sy_evbuf *b)
{
    if (!b)
        return;
    free(b->v);
    b->v = NULL;
    b->n = b->cap = 0;
}

static int ev_cmp(const void *a, const void *b)
{
    const sy_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    return x->dir - y->dir;
}

/* A time of day in working hours, so messages look sent by people. */
static int64_t daytime(sy_rng *r, int64_t day_start)
{
    return day_start + sy_range(r, 7 * 3600, 21 * 3600) + sy_range(r, 0, 59);
}

static int64_t midnight(int64_t t)
{
    return t - ((t % SY_DAY) + SY_DAY) % SY_DAY;
}

/* A short exchange starting at t: n messages alternating from first_dir, minutes to hours
 * apart. Returns false on out-of-memory. */
static bool session(sy_evbuf *b, sy_rng *r, int64_t t, int n, int first_dir, int64_t limit)
{
    int dir = first_dir;
    for (int k = 0; k < n; k++) {
        if (t >= limit)
            break;
        if (!push(b, t, SY_K_MSG, dir, k == 0 ? SY_EF_NEWSESSION : 0))
            return false;
        t += 60 + (int64_t)sy_exp(r, 2.5 * 3600);
        dir ^= 1;
    }
    return true;
}

/* ------------------------------------------------------------------------------------------
 * Plants: fixed patterns around T, checked with the spec's rules (sy_judge)
 * ------------------------------------------------------------------------------------------ */

static bool gen_plant(const sy_ctx *c, size_t i, unsigned attempt, sy_evbuf *b, int64_t *connected)
{
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_EVENTS, (uint64_t)i * 64 + attempt);
    int64_t T = c->as_of, day0 = midnight(T);
    bool ok = true;
    b->n = 0;
    switch ((sy_plant)c->p[i].plant) {
    case SY_P_STEADY: {
        *connected = day0 - sy_range(&r, 400, 1500) * SY_DAY;
        int64_t t = day0 - sy_range(&r, 300, 700) * SY_DAY;
        if (t < *connected)
            t = *connected + SY_DAY;
        int64_t stop = day0 - sy_range(&r, 0, 8) * SY_DAY;
        while (ok && t <= stop) {
            ok = session(b, &r, daytime(&r, midnight(t)), (int)sy_range(&r, 1, 3),
                         (int)sy_range(&r, 0, 1), T);
            t += sy_range(&r, 14, 28) * SY_DAY;
        }
        /* life goes on after T: a few more up to the export */
        for (t = stop + sy_range(&r, 14, 28) * SY_DAY; ok && t < c->end_t - SY_DAY;
             t += sy_range(&r, 14, 28) * SY_DAY)
            ok = session(b, &r, daytime(&r, midnight(t)), 1, (int)sy_range(&r, 0, 1), c->end_t);
        if (ok && sy_chance(&r, 0.4)) {
            int64_t te = daytime(&r, day0 - sy_range(&r, 60, 250) * SY_DAY);
            ok = push(b, te, SY_K_ENDORSE, SY_IN, 0) && push(b, te + 300, SY_K_ENDORSE, SY_OUT, 0);
        }
        break;
    }
    case SY_P_FADING: {
        *connected = day0 - sy_range(&r, 500, 1500) * SY_DAY;
        int64_t stop = day0 - sy_range(&r, 62, 88) * SY_DAY;
        int64_t t = stop - sy_range(&r, 250, 400) * SY_DAY;
        while (ok && t <= stop) {
            ok = session(b, &r, daytime(&r, midnight(t)), (int)sy_range(&r, 1, 3),
                         (int)sy_range(&r, 0, 1), T);
            t += sy_range(&r, 12, 17) * SY_DAY;
        }
        break;
    }
    case SY_P_DORMANT: {
        *connected = day0 - sy_range(&r, 1500, 2500) * SY_DAY;
        int64_t t = day0 - sy_range(&r, 1100, 1400) * SY_DAY;
        int64_t stop = day0 - sy_range(&r, 400, 700) * SY_DAY;
        while (ok && t <= stop) {
            ok = session(b, &r, daytime(&r, midnight(t)), (int)sy_range(&r, 1, 3),
                         (int)sy_range(&r, 0, 1), T);
            t += sy_range(&r, 15, 35) * SY_DAY;
        }
        if (ok && sy_chance(&r, 0.5))
            ok = push(b, daytime(&r, midnight(stop) - 40 * SY_DAY), SY_K_ENDORSE, SY_OUT, 0);
        break;
    }
    case SY_P_COLD: {
        *connected = day0 - sy_range(&r, 700, 2000) * SY_DAY;
        int64_t t = day0 - sy_range(&r, 450, 650) * SY_DAY;
        ok = push(b, daytime(&r, midnight(t)), SY_K_MSG, (int)sy_range(&r, 0, 1), 0);
        if (ok && sy_chance(&r, 0.5))
            ok = push(b, daytime(&r, midnight(t) + sy_range(&r, 2, 20) * SY_DAY), SY_K_MSG,
                      (int)sy_range(&r, 0, 1), 0);
        break;
    }
    case SY_P_LATENT: *connected = day0 - sy_range(&r, 60, 3000) * SY_DAY; break;
    case SY_P_NEW: {
        *connected = day0 - sy_range(&r, 3, 25) * SY_DAY;
        int dir = (int)sy_range(&r, 0, 1);
        ok = push(b, daytime(&r, *connected - sy_range(&r, 0, 3) * SY_DAY), SY_K_INVITE, dir, 0);
        if (ok && sy_chance(&r, 0.6))
            ok = session(b, &r, daytime(&r, *connected + SY_DAY), (int)sy_range(&r, 1, 2), dir, T);
        break;
    }
    case SY_P_YOU_OWE:
    case SY_P_THEY_OWE: {
        /* All within the last 12 months, so the all-time and 12-month labels agree. */
        int give = c->p[i].plant == SY_P_THEY_OWE ? SY_OUT : SY_IN;
        *connected = day0 - sy_range(&r, 400, 2000) * SY_DAY;
        int64_t te = daytime(&r, day0 - sy_range(&r, 120, 320) * SY_DAY);
        int rows = (int)sy_range(&r, 2, 4);
        for (int k = 0; ok && k < rows; k++)
            ok = push(b, te + k * 7, SY_K_ENDORSE, give, 0);
        if (ok && sy_chance(&r, 0.6))
            ok = push(b, daytime(&r, day0 - sy_range(&r, 60, 200) * SY_DAY), SY_K_REC, give, 0);
        int nmsg = (int)sy_range(&r, 2, 4);
        for (int k = 0; ok && k < nmsg; k++)
            ok = push(b, daytime(&r, day0 - sy_range(&r, 5, 330) * SY_DAY), SY_K_MSG, give, 0);
        if (ok && sy_chance(&r, 0.5))
            ok = push(b, daytime(&r, day0 - sy_range(&r, 5, 330) * SY_DAY), SY_K_MSG, give ^ 1, 0);
        break;
    }
    case SY_P_BURST: {
        /* The job search: 14-16 months before T the owner wrote to people once. */
        *connected = day0 - sy_range(&r, 428, 485) * SY_DAY;
        int64_t t = daytime(&r, *connected + sy_range(&r, 0, 2) * SY_DAY);
        ok = push(b, t, SY_K_MSG, SY_OUT, 0);
        if (ok && sy_chance(&r, 0.35))
            ok = push(b, t + sy_range(&r, 1, 6) * SY_DAY, SY_K_MSG, SY_IN, 0);
        break;
    }
    default: break;
    }
    if (ok && b->n)
        qsort(b->v, b->n, sizeof *b->v, ev_cmp);
    return ok;
}

static const char *plant_wants(sy_plant p, bool *is_label)
{
    *is_label = false;
    switch (p) {
    case SY_P_STEADY: return "active";
    case SY_P_FADING: return "fading";
    case SY_P_DORMANT: return "dormant";
    case SY_P_COLD:
    case SY_P_BURST: return "cold";
    case SY_P_LATENT: return "latent";
    case SY_P_NEW: return "new";
    case SY_P_YOU_OWE: *is_label = true; return "you owe";
    case SY_P_THEY_OWE: *is_label = true; return "they owe";
    default: return NULL;
    }
}

/* ------------------------------------------------------------------------------------------
 * Background persons: a plan (counts and window) and events drawn within it
 * ------------------------------------------------------------------------------------------ */

typedef struct {
    long msgs;
    int end_in, end_out, rec_in, rec_out, invite;
    bool draft;
    int64_t start, end;
} plan;

static void make_plan(const sy_ctx *c, size_t i, double scale, plan *pl)
{
    const sy_person *p = &c->p[i];
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_PLAN, i);
    memset(pl, 0, sizeof *pl);
    double u = sy_unif(&r);
    bool cohort = p->cohort != SY_NO_COHORT;
    pl->start = p->connected + sy_range(&r, 0, 60) * SY_DAY;
    pl->end = c->end_t;
    double lapse = sy_unif(&r);
    if (p->flags & SY_PF_LAPSED)
        pl->end = pl->start + (int64_t)(lapse * (double)(c->end_t - pl->start));
    if (pl->end <= pl->start + SY_DAY)
        pl->end = pl->start + SY_DAY;
    if (pl->end > c->end_t)
        pl->end = c->end_t;
    if (p->pattern == SY_PAT_ONEOFF)
        pl->msgs = 1 + (u < 0.4);
    else if (p->pattern != SY_PAT_LATENT)
        pl->msgs = (long)floor(p->weight * scale + u);
    bool unique_name = i < name_space() && i != c->dup_a && i != c->dup_b && p->special < 0;
    bool engaged = p->pattern != SY_PAT_LATENT;
    if (engaged && sy_chance(&r, cohort ? 0.18 : 0.10))
        pl->end_in = (int)sy_range(&r, 1, 4);
    if (engaged && sy_chance(&r, cohort ? 0.12 : 0.07))
        pl->end_out = (int)sy_range(&r, 1, 3);
    if (engaged && unique_name && sy_chance(&r, cohort ? 0.03 : 0.012))
        pl->rec_in = 1;
    if (engaged && unique_name && sy_chance(&r, cohort ? 0.02 : 0.008))
        pl->rec_out = 1;
    if (p->connected >= c->end_t - 120 * SY_DAY)
        pl->invite = 1;
    pl->draft = pl->msgs > 0 && sy_chance(&r, 0.01);
    /* Few events for many persons: thin out the fixed rows too, so the total stays near
     * --events (the default is ~13 events per person). */
    double density = c->n ? (double)c->o.events / (double)c->n / 13.0 : 1.0;
    if (density < 1.0 && !sy_chance(&r, density)) {
        if (p->pattern == SY_PAT_ONEOFF)
            pl->msgs = 0;
        pl->end_in = pl->end_out = pl->rec_in = pl->rec_out = 0;
        pl->draft = false;
    }
    if (i == c->rejected_person)
        pl->end_in++;
    if (i == c->hidden_person)
        pl->rec_in++;
}

static long plan_rows(const plan *pl)
{
    return pl->msgs + pl->end_in + pl->end_out + pl->rec_in + pl->rec_out + pl->invite + pl->draft;
}

static bool gen_background(const sy_ctx *c, size_t i, sy_evbuf *b)
{
    plan pl;
    make_plan(c, i, c->scale, &pl);
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_EVENTS, (uint64_t)i * 64);
    b->n = 0;
    bool ok = true;
    int64_t span = pl.end - pl.start;
    long left = pl.msgs;
    while (ok && left > 0) {
        int n = 1;
        while (n < 4 && n < left && sy_chance(&r, 0.55))
            n++;
        int64_t t = pl.start + (int64_t)(sy_unif(&r) * (double)span);
        size_t before = b->n;
        ok = session(b, &r, daytime(&r, midnight(t)), n, (int)sy_range(&r, 0, 1), c->end_t);
        left -= b->n > before ? (long)(b->n - before) : 1;
    }
    if (ok && pl.draft && b->n) {
        int64_t last = b->v[0].t;
        for (size_t k = 1; k < b->n; k++)
            if (b->v[k].t > last)
                last = b->v[k].t;
        if (last + 600 < c->end_t)
            ok = push(b, last + 600, SY_K_MSG, SY_OUT, SY_EF_DRAFT);
    }
    int64_t te = daytime(&r, midnight(pl.start + (int64_t)(sy_unif(&r) * (double)span)));
    for (int k = 0; ok && k < pl.end_in; k++)
        ok = push(b, te + k * 5, SY_K_ENDORSE, SY_IN,
                  i == c->rejected_person && k == pl.end_in - 1 ? SY_EF_REJECTED : 0);
    te = daytime(&r, midnight(pl.start + (int64_t)(sy_unif(&r) * (double)span)));
    for (int k = 0; ok && k < pl.end_out; k++)
        ok = push(b, te + k * 5, SY_K_ENDORSE, SY_OUT, 0);
    for (int k = 0; ok && k < pl.rec_in; k++)
        ok = push(b, daytime(&r, midnight(pl.start + (int64_t)(sy_unif(&r) * (double)span))),
                  SY_K_REC, SY_IN, i == c->hidden_person && k == pl.rec_in - 1 ? SY_EF_HIDDEN : 0);
    if (ok && pl.rec_out)
        ok = push(b, daytime(&r, midnight(pl.start + (int64_t)(sy_unif(&r) * (double)span))),
                  SY_K_REC, SY_OUT, 0);
    if (ok && pl.invite)
        ok = push(b, daytime(&r, c->p[i].connected - sy_range(&r, 1, 4) * SY_DAY), SY_K_INVITE,
                  (int)sy_range(&r, 0, 1), 0);
    /* Nothing at or after the export. */
    size_t k = 0;
    for (size_t j = 0; j < b->n; j++)
        if (b->v[j].t < c->end_t)
            b->v[k++] = b->v[j];
    b->n = k;
    if (ok && b->n)
        qsort(b->v, b->n, sizeof *b->v, ev_cmp);
    return ok;
}

kith_err sy_person_events(const sy_ctx *c, size_t i, sy_evbuf *b)
{
    int64_t connected;
    bool ok = c->p[i].plant != SY_P_NONE ? gen_plant(c, i, c->p[i].attempt, b, &connected)
                                         : gen_background(c, i, b);
    return ok ? KITH_OK : KITH_ERR_NOMEM;
}

/* ------------------------------------------------------------------------------------------
 * The spec's measures, for the truth in plants.json
 * ------------------------------------------------------------------------------------------ */

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

void sy_judge(const sy_event *ev, size_t n, int64_t connected, int64_t as_of, sy_verdict *v)
{
    const double H = 180.0;
    memset(v, 0, sizeof *v);
    int64_t first = INT64_MAX, last = INT64_MIN;
    double strength = 0, peak = 0;
    int64_t prev_t = 0;
    double days[4096];
    size_t nd = 0;
    long ndays_total = 0;
    int64_t prev_day = INT64_MIN;
    for (size_t k = 0; k < n; k++) {
        if (ev[k].t > as_of || (ev[k].flags & (SY_EF_DRAFT | SY_EF_REJECTED | SY_EF_HIDDEN)))
            continue;
        double w = sy_weight(ev[k].kind);
        if (ev[k].dir == SY_OUT)
            v->given += w;
        else
            v->received += w;
        v->events++;
        if (ev[k].t < first)
            first = ev[k].t;
        if (ev[k].t > last)
            last = ev[k].t;
        if (v->events > 1)
            strength *= pow(2.0, -(double)(ev[k].t - prev_t) / SY_DAY / H);
        strength += w;
        prev_t = ev[k].t;
        if (strength > peak)
            peak = strength;
        int64_t day = midnight(ev[k].t) / SY_DAY;
        if (day != prev_day) {
            if (prev_day != INT64_MIN && nd < sizeof days / sizeof *days)
                days[nd++] = (double)(day - prev_day);
            prev_day = day;
            ndays_total++;
        }
    }
    v->peak = peak;
    v->strength = v->events ? strength * pow(2.0, -(double)(as_of - prev_t) / SY_DAY / H) : 0;
    double sum = v->given + v->received;
    v->balance = sum > 0 ? (v->given - v->received) / sum : 0;
    if (sum > 0) {
        if (v->balance <= -1.0 / 3 && v->received >= 4)
            v->label = "you owe";
        else if (v->balance >= 1.0 / 3 && v->given >= 4)
            v->label = "they owe";
        else
            v->label = "balanced";
    }
    if (ndays_total >= 3) {
        qsort(days, nd, sizeof *days, dbl_cmp);
        v->usual_gap = nd % 2 ? days[nd / 2] : (days[nd / 2 - 1] + days[nd / 2]) / 2;
        v->gap_known = true;
    }
    v->silent_days = v->events ? (double)(as_of - last) / SY_DAY : -1;
    bool recent_conn =
        connected != INT64_MIN && connected <= as_of && as_of - connected <= 30 * SY_DAY;
    bool recent_first = v->events && as_of - first <= 30 * SY_DAY;
    double g = v->usual_gap;
    if (recent_conn || recent_first)
        v->status = "new";
    else if (sum <= 0)
        v->status = "latent";
    else if ((v->gap_known ? v->silent_days > fmax(8 * g, 90) : v->silent_days > 365) && peak >= 2)
        v->status = "dormant";
    else if (v->silent_days > 365 && peak < 2)
        v->status = "cold";
    else if (v->gap_known ? v->silent_days > fmax(3 * g, 45) : v->silent_days > 180)
        v->status = "fading";
    else
        v->status = "active";
}

/* ------------------------------------------------------------------------------------------
 * Building the context
 * ------------------------------------------------------------------------------------------ */

static void pick_company(sy_rng *r, sy_person *p, int fixed)
{
    p->company = (uint8_t)(fixed >= 0 ? fixed : sy_range(r, 2, (long)sy_n_companies - 1));
    int nv = 0;
    while (nv < 3 && sy_companies[p->company].variants[nv])
        nv++;
    p->variant = (uint8_t)sy_range(r, 0, nv - 1);
}

static kith_err place_plants(sy_ctx *c, kith_diag *d)
{
    sy_evbuf b = {0};
    kith_err e = KITH_OK;
    for (size_t i = 0; i < c->n_plants; i++) {
        sy_person *p = &c->p[i];
        bool is_label;
        const char *want = plant_wants((sy_plant)p->plant, &is_label);
        int64_t conn = 0, first_conn = 0;
        unsigned a, chosen = 0;
        for (a = 0; a < 40; a++) {
            if (!gen_plant(c, i, a, &b, &conn)) {
                e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
                goto cleanup;
            }
            if (a == 0)
                first_conn = conn;
            sy_verdict v;
            sy_judge(b.v, b.n, conn, c->as_of, &v);
            const char *got = is_label ? v.label : v.status;
            if (got && !strcmp(got, want))
                break;
        }
        /* A pattern that never passed keeps its first draw: plants.json still tells the
         * truth, it just shows another status. */
        chosen = a < 40 ? a : 0;
        p->attempt = (uint8_t)chosen;
        p->connected = a < 40 ? conn : first_conn;
    }
cleanup:
    sy_evbuf_free(&b);
    return e;
}

kith_err sy_ctx_init(sy_ctx *c, const kith_synth_opts *o, kith_diag *d)
{
    memset(c, 0, sizeof *c);
    c->o = *o;
    c->seed = o->seed;
    c->n = o->persons > 0 ? (size_t)o->persons : 0;
    const char *date = o->export_date ? o->export_date : "2026-11-15";
    if (!sy_parse_date(date, &c->export_t))
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "--export-date wants YYYY-MM-DD, not '%s'",
                             date);
    c->end_t = c->export_t;
    int y, m, dd;
    kith_civil_from_days(c->export_t / SY_DAY, &y, &m, &dd);
    c->as_of = kith_days_from_civil(y, m, 1) * SY_DAY - 1;
    c->owner_slug = (uint32_t)sy_hash(c->seed, 4242);
    c->p = calloc(c->n ? c->n : 1, sizeof *c->p);
    if (!c->p)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory for %zu persons", c->n);
    int64_t T = c->as_of, day0 = midnight(T);

    /* Plants: k of each kind, plus the job-search burst; at most half the persons. */
    size_t k = c->n / 100;
    k = k < 1 ? 1 : k > 25 ? 25 : k;
    size_t burst = c->n / 30;
    burst = burst < 3 ? 3 : burst > 60 ? 60 : burst;
    size_t budget = c->n / 2, np = 0;
    for (size_t r = 0; r < k; r++)
        for (int pk = SY_P_STEADY; pk <= SY_P_THEY_OWE && np < budget; pk++)
            c->p[np++].plant = (uint8_t)pk;
    for (size_t r = 0; r < burst && np < budget; r++)
        c->p[np++].plant = SY_P_BURST;
    c->n_plants = np;

    /* Cohorts. */
    static const struct {
        const char *name, *label;
        double share;
        int years_from, months_to; /* thread window: T - years .. T - months (neg: past T) */
    } ck[SY_C__COUNT] = {
        [SY_C_FORMER] = {"Globex (former employer)", "Globex", 0.10, 6, 14},
        [SY_C_CURRENT] = {"Initech (current employer)", "Initech", 0.07, 1, -1},
        [SY_C_ALUMNI] = {"Northbridge University alumni", "Northbridge alumni", 0.06, 8, -1},
        [SY_C_ASSOC] = {"Product Leaders Association", "PLA chapter", 0.05, 4, -1},
        [SY_C_HOBBY] = {"Riverside Running Club", "Riverside RC", 0.04, 3, -1},
        [SY_C_CHARITY] = {"Harbor Food Bank board", "Food Bank board", 0.0, 2, -1},
    };
    for (size_t i = 0; i < c->n; i++)
        c->p[i].cohort = SY_NO_COHORT;
    size_t next = np;
    uint32_t threads = 0;
    for (int q = 0; q < SY_C__COUNT; q++) {
        size_t sz = (size_t)(ck[q].share * (double)c->n);
        if (q == SY_C_CHARITY) {
            sz = c->n / 60;
            sz = sz < 4 ? 4 : sz > 12 ? 12 : sz;
        }
        if (next + sz > c->n || sz < 3)
            sz = 0;
        sy_cohort *co = &c->cohorts[q];
        co->name = ck[q].name;
        co->label = ck[q].label;
        co->first = (uint32_t)next;
        co->n = (uint32_t)sz;
        co->from = day0 - (int64_t)ck[q].years_from * YEAR;
        co->to = ck[q].months_to < 0 ? c->end_t - SY_DAY : day0 - ck[q].months_to * MONTH;
        if (q == SY_C_CURRENT)
            co->from = day0 - 13 * MONTH;
        size_t nt = sz / 3;
        co->n_threads = sz >= 3 ? (uint32_t)(nt < 1 ? 1 : nt > 200 ? 200 : nt) : 0;
        co->thread_first = threads;
        threads += co->n_threads;
        for (size_t i = next; i < next + sz; i++)
            c->p[i].cohort = (uint8_t)q;
        next += sz;
    }
    c->n_threads = threads;
    size_t bg0 = next;

    /* Specials and the deliberate same-name pair live where readers will meet them. */
    c->rejected_person = c->hidden_person = c->dup_a = c->dup_b = SIZE_MAX;
    for (size_t i = 0; i < c->n; i++)
        c->p[i].special = -1;
    size_t nbg = c->n - bg0;
    if (c->cohorts[SY_C_CHARITY].n)
        c->p[c->cohorts[SY_C_CHARITY].first].special = 3; /* ", PhD" on the board */
    if (c->cohorts[SY_C_HOBBY].n)
        c->p[c->cohorts[SY_C_HOBBY].first].special = 2; /* the emoji runs */
    if (nbg >= 3) {
        c->p[bg0].special = 0;
        c->p[bg0 + 1].special = 1;
        c->p[bg0 + 2].special = 4;
    }
    if (nbg >= 9) {
        c->rejected_person = bg0 + 3;
        c->hidden_person = bg0 + 4;
        c->dup_a = c->n - 2;
        c->dup_b = c->n - 1;
    }

    for (size_t i = 0; i < c->n; i++) {
        sy_person *p = &c->p[i];
        sy_rng r;
        sy_rng_init(&r, c->seed, SY_S_PERSON, i);
        fill_name(c, i, p);
        p->slug = (uint32_t)i * 0x9E3779B1u ^ (uint32_t)sy_hash(c->seed, 99);
        p->position = (uint8_t)sy_range(&r, 0, (long)sy_n_positions - 1);
        int q = p->cohort;
        double u = sy_unif(&r);
        if (q == SY_C_FORMER)
            pick_company(&r, p, u < 0.7 ? 0 : -1);
        else if (q == SY_C_CURRENT)
            pick_company(&r, p, 1);
        else if (p->plant != SY_P_NONE)
            pick_company(&r, p, u < 0.2 ? 0 : u < 0.3 ? 1 : -1);
        else
            pick_company(&r, p, u < 0.04 ? 0 : u < 0.07 ? 1 : -1);
        /* Connection dates by role (plants get theirs in place_plants). */
        int64_t lo = day0 - 10 * YEAR, hi = day0 - 35 * SY_DAY;
        switch (q) {
        case SY_C_FORMER:
            lo = day0 - 7 * YEAR;
            hi = day0 - 14 * MONTH;
            break;
        case SY_C_CURRENT:
            lo = day0 - 13 * MONTH;
            hi = day0 - 40 * SY_DAY;
            break;
        case SY_C_ALUMNI:
            lo = day0 - 9 * YEAR;
            hi = day0 - YEAR;
            break;
        case SY_C_ASSOC:
            lo = day0 - 5 * YEAR;
            hi = day0 - 2 * MONTH;
            break;
        case SY_C_HOBBY:
            lo = day0 - 3 * YEAR;
            hi = day0 - 2 * MONTH;
            break;
        case SY_C_CHARITY:
            lo = day0 - 3 * YEAR;
            hi = day0 - YEAR;
            break;
        default:
            if (sy_chance(&r, 0.02)) {
                lo = day0 - 35 * SY_DAY;
                hi = c->end_t - SY_DAY;
            }
        }
        p->connected = midnight(lo + (int64_t)(sy_unif(&r) * (double)(hi - lo)));
        /* Background activity. */
        double pu = sy_unif(&r);
        bool co = q != SY_NO_COHORT;
        const double *cut = co ? (const double[]){0.15, 0.30, 0.70, 0.95}
                               : (const double[]){0.35, 0.55, 0.83, 0.96};
        p->pattern = pu < cut[0]   ? SY_PAT_LATENT
                     : pu < cut[1] ? SY_PAT_ONEOFF
                     : pu < cut[2] ? SY_PAT_OCCASIONAL
                     : pu < cut[3] ? SY_PAT_REGULAR
                                   : SY_PAT_HEAVY;
        static const float wt[] = {0, 0, 3, 12, 40};
        p->weight = wt[p->pattern] * (float)(0.5 + sy_unif(&r));
        if (p->pattern != SY_PAT_LATENT && sy_chance(&r, 0.35))
            p->flags |= SY_PF_LAPSED;
        if (sy_chance(&r, 0.2))
            p->flags |= SY_PF_ARCHIVED;
        bool accented = false;
        for (const char *s = sy_first_names[p->first].text; *s; s++)
            accented |= (unsigned char)*s >= 0x80;
        for (const char *s = sy_last_names[p->last].text; *s; s++)
            accented |= (unsigned char)*s >= 0x80;
        if (accented && p->special < 0 && sy_chance(&r, 0.25))
            p->flags |= SY_PF_UNICODE_URL;
        /* Google contacts: a subset, some merging by name and some by e-mail only. */
        bool latent_plant = p->plant == SY_P_LATENT;
        if (sy_chance(&r, p->plant != SY_P_NONE ? (latent_plant ? 0.1 : 0.3) : co ? 0.3 : 0.12))
            p->flags |= SY_PF_GOOGLE;
        if ((p->flags & SY_PF_GOOGLE) && p->special < 0 && sy_chance(&r, 0.15))
            p->flags |= SY_PF_NICKNAME | SY_PF_LI_EMAIL;
        else if (sy_chance(&r, 0.04))
            p->flags |= SY_PF_LI_EMAIL;
        if ((p->flags & SY_PF_GOOGLE) && p->plant == SY_P_NONE && p->special != 4 &&
            sy_chance(&r, co ? 0.6 : 0.35))
            p->flags |= SY_PF_MAIL;
    }
    /* The reader-testing names talk and sit in the address book, so they reach every sheet. */
    for (size_t i = 0; i < c->n; i++) {
        sy_person *p = &c->p[i];
        if (p->special < 0)
            continue;
        if (p->pattern < SY_PAT_OCCASIONAL) {
            p->pattern = SY_PAT_OCCASIONAL;
            p->weight = 3.0f;
        }
        p->flags = (uint8_t)((p->flags | SY_PF_GOOGLE) & ~SY_PF_NICKNAME);
    }
    if (c->dup_a != SIZE_MAX) {
        /* Two different people with one name: they must never merge. */
        sy_person *a = &c->p[c->dup_a], *b = &c->p[c->dup_b];
        b->first = a->first;
        b->last = a->last;
        b->middle = a->middle;
        b->flags &= (uint8_t)~SY_PF_UNICODE_URL;
        a->flags &= (uint8_t)~SY_PF_UNICODE_URL;
        if (b->company == a->company)
            b->company = (uint8_t)((size_t)a->company + 1 < sy_n_companies ? a->company + 1 : 2);
        b->variant = 0;
    }
    for (size_t i = 0; i < np; i++)
        c->p[i].flags &= (uint8_t)~SY_PF_UNICODE_URL;

    kith_err e = place_plants(c, d);
    if (e)
        return e;

    /* The events budget: plants are fixed, group threads take ~12%, a few spam messages and
     * strangers' invitations; background messages get the rest, spread by weight. */
    long want = c->o.events > 0 ? c->o.events : 0;
    c->n_spam = (long)(c->n / 150) + 1;
    c->n_strangers = (long)(c->n / 100) + 1;
    long fixed = c->n_spam + c->n_strangers;
    sy_evbuf b = {0};
    for (size_t i = 0; i < np; i++) {
        if (!gen_plant(c, i, c->p[i].attempt, &b, &(int64_t){0})) {
            sy_evbuf_free(&b);
            return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        }
        for (size_t j = 0; j < b.n; j++)
            fixed += b.v[j].t < c->end_t;
    }
    sy_evbuf_free(&b);
    double wsum = 0;
    for (size_t i = np; i < c->n; i++) {
        plan pl;
        make_plan(c, i, 0.0, &pl);
        fixed += plan_rows(&pl);
        if (c->p[i].pattern >= SY_PAT_OCCASIONAL)
            wsum += c->p[i].weight;
    }
    long rest = want - fixed;
    if (rest < 0)
        rest = 0;
    c->thread_msgs = c->n_threads ? (long)(0.12 * (double)want) : 0;
    if (c->thread_msgs > rest)
        c->thread_msgs = rest / 2;
    rest -= c->thread_msgs;
    c->scale = wsum > 0 ? (double)rest / wsum : 0;
    c->thread_weight_sum = 0;
    for (uint32_t t = 0; t < c->n_threads; t++) {
        sy_rng r;
        sy_rng_init(&r, c->seed, SY_S_THREAD, t);
        c->thread_weight_sum += 0.3 + 1.7 * sy_unif(&r);
    }
    return KITH_OK;
}

void sy_ctx_destroy(sy_ctx *c)
{
    if (!c)
        return;
    free(c->p);
    c->p = NULL;
}

void sy_thread_get(const sy_ctx *c, uint32_t k, sy_thread *t)
{
    memset(t, 0, sizeof *t);
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_THREAD, k);
    double w = 0.3 + 1.7 * sy_unif(&r); /* first draw: the weight, as in sy_ctx_init */
    int q = 0;
    for (; q + 1 < SY_C__COUNT; q++)
        if (k >= c->cohorts[q].thread_first &&
            k < c->cohorts[q].thread_first + c->cohorts[q].n_threads)
            break;
    const sy_cohort *co = &c->cohorts[q];
    t->cohort = (uint32_t)q;
    t->n_msgs = c->thread_weight_sum > 0
                    ? (long)floor((double)c->thread_msgs * w / c->thread_weight_sum + sy_unif(&r))
                    : 0;
    uint32_t m = (uint32_t)sy_range(&r, 3, 8);
    if (m > co->n)
        m = co->n;
    /* Members: distinct persons of the cohort. */
    while (t->n_members < m) {
        uint32_t cand = co->first + (uint32_t)sy_range(&r, 0, co->n - 1);
        bool dup = false;
        for (uint32_t j = 0; j < t->n_members; j++)
            dup |= t->members[j] == cand;
        if (!dup)
            t->members[t->n_members++] = cand;
    }
    /* A window inside the cohort's time, at least a few months long. */
    int64_t span = co->to - co->from;
    int64_t len = (int64_t)((0.25 + 0.75 * sy_unif(&r)) * (double)span);
    t->from = co->from + (int64_t)(sy_unif(&r) * (double)(span - len));
    t->to = t->from + len;
    /* Threads start after everyone in them is connected. */
    for (uint32_t j = 0; j < t->n_members; j++)
        if (c->p[t->members[j]].connected > t->from)
            t->from = c->p[t->members[j]].connected + SY_DAY;
    if (t->to <= t->from)
        t->to = t->from + 30 * SY_DAY;
    if (t->to > c->end_t - SY_DAY)
        t->to = c->end_t - SY_DAY;
    static const char *const topics[] = {"team",      "lunch crew", "planning", "weekend plans",
                                         "book club", "offsite",    "reunion",  "ideas"};
    snprintf(t->title, sizeof t->title, "%s %s", co->label,
             topics[sy_range(&r, 0, (long)(sizeof topics / sizeof *topics) - 1)]);
}
