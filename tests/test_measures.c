/* Per-person measures, statuses, layers, priorities, rhythm and kith_report_build on
 * hand-built models. Every expected value is computed by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kith/date.h"
#include "kith/measures.h"
#include "kith/report.h"

#define D 86400LL
#define EPS 1e-9

/* cmocka 1.1.5 has no assert_double_equal */
#define assert_near(a, b, eps)                                                               \
    do {                                                                                     \
        double a_ = (a), b_ = (b);                                                           \
        if (!(fabs(a_ - b_) <= (eps)))                                                       \
            fail_msg("%s = %.12g, expected %.12g", #a, a_, b_);                              \
    } while (0)

/* ------------------------------------------------------------------------------------------
 * A small model built by hand
 * ------------------------------------------------------------------------------------------ */

#define MAXP 40
#define MAXE 200

typedef struct {
    kith_model m;
    kith_person p[MAXP];
    kith_event e[MAXE];
} fixture;

static fixture fx;

static void fx_reset(void)
{
    memset(&fx, 0, sizeof fx);
    fx.m.persons = fx.p;
    fx.m.events = fx.e;
    fx.m.owner_name = "Owner";
    fx.m.first_time = KITH_NO_TIME;
    fx.m.export_time = KITH_NO_TIME;
}

static int32_t person(const char *name)
{
    int32_t i = (int32_t)fx.m.n_persons++;
    fx.p[i].name = (char *)name;
    fx.p[i].connected_on = KITH_NO_TIME;
    return i;
}

static void event(int64_t t, kith_kind kind, kith_dir dir, int32_t who)
{
    size_t i = fx.m.n_events++;
    fx.e[i] = (kith_event){t, who, -1, (int32_t)i, (uint8_t)kind, (uint8_t)dir};
}

static int cmp_event(const void *a, const void *b)
{
    const kith_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->person > y->person) - (x->person < y->person);
}

/* Sorts the events as the model promises and sets export_time to the latest. */
static void fx_freeze(void)
{
    qsort(fx.e, fx.m.n_events, sizeof *fx.e, cmp_event);
    for (size_t i = 0; i < fx.m.n_events; i++)
        if (fx.m.export_time == KITH_NO_TIME || fx.e[i].t > fx.m.export_time)
            fx.m.export_time = fx.e[i].t;
}

static int64_t utc(int y, int m, int d, int hh, int mm, int ss)
{
    return kith_days_from_civil(y, m, d) * D + hh * 3600 + mm * 60 + ss;
}

/* T = 2026-10-31T23:59:59Z, the end of the report month of most tests. */
static int64_t T_oct(void) { return utc(2026, 10, 31, 23, 59, 59); }

static kith_person_measures pm[MAXP];
static uint8_t known[MAXP];

static void measure(const kith_config *c, int64_t T)
{
    kith_diag d;
    assert_int_equal(kith_measures_at(&fx.m, c, T, pm, known, &d), KITH_OK);
}

static void defaults(kith_config *c) { kith_config_defaults(c, "monthly"); }

/* ------------------------------------------------------------------------------------------ */

static void calendar_helpers(void **state)
{
    (void)state;
    assert_int_equal(kith_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(kith_days_from_civil(2000, 3, 1), 11017);
    int y, m, d;
    kith_civil_from_days(11016, &y, &m, &d); /* the day before 2000-03-01 */
    assert_int_equal(y, 2000);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
    int64_t mi = kith_utc_month_index(T_oct());
    assert_int_equal(mi, 2026 * 12 + 9);
    assert_int_equal(kith_utc_month_end(mi), T_oct());
    assert_int_equal(kith_utc_month_start(mi), utc(2026, 10, 1, 0, 0, 0));
    assert_int_equal(kith_utc_twelve_month_start(T_oct()), utc(2025, 11, 1, 0, 0, 0));
    assert_int_equal(kith_utc_month_end(2024 * 12 + 1), utc(2024, 2, 29, 23, 59, 59));
}

/* H = 180 d. A message out at T-360 d (w 1): S = 1. A meeting in at T-180 d (w 3):
 * S = 1 * 2^-1 + 3 = 3.5 = the peak. At T: 3.5 * 2^-1 = 1.75. */
static void strength_and_peak(void **state)
{
    (void)state;
    fx_reset();
    int32_t a = person("Ana Field");
    int64_t T = T_oct();
    event(T - 360 * D, KITH_K_MESSAGE, KITH_DIR_OUT, a);
    event(T - 180 * D, KITH_K_MEETING, KITH_DIR_IN, a);
    event(T + 10 * D, KITH_K_GIFT, KITH_DIR_IN, a); /* after T: ignored */
    fx_freeze();
    kith_config c;
    defaults(&c);
    measure(&c, T);
    assert_near(pm[a].strength, 1.75, EPS);
    assert_near(pm[a].peak_strength, 3.5, EPS);
    assert_near(pm[a].given, 1, EPS);
    assert_near(pm[a].received, 3, EPS); /* the gift after T is not counted */
    assert_near(pm[a].balance, -0.5, EPS);
    assert_int_equal(pm[a].label, KITH_LABEL_BALANCED); /* received 3 < 4 */
    assert_int_equal(pm[a].first_event, T - 360 * D);
    assert_int_equal(pm[a].last_contact, T - 180 * D);
    assert_near(pm[a].silent_days, 180, EPS);
    assert_true(isnan(pm[a].usual_gap)); /* 2 contact days */
    assert_int_equal(known[a], 1);

    /* a later, weaker peak does not replace the earlier one: a reaction (0.25) at T - 1 d
     * after 179 d of decay: 3.5 * 2^(-179/180) + 0.25 < 3.5 */
    event(T - 1 * D, KITH_K_REACTION, KITH_DIR_IN, a);
    fx_freeze();
    measure(&c, T);
    assert_near(pm[a].peak_strength, 3.5, EPS);
    assert_near(pm[a].strength, 3.5 * exp2(-1.0) + 0.25 * exp2(-1.0 / 180), EPS);
    assert_near(pm[a].silent_days, 1, EPS);
}

static void balance_labels_and_12_months(void **state)
{
    (void)state;
    fx_reset();
    int64_t T = T_oct(), t = T - 20 * D;
    int32_t p1 = person("Owes You Not"), p2 = person("They Owe"), p3 = person("Balanced"),
            p4 = person("All In"), p5 = person("Near Third"), p6 = person("Silent"),
            p7 = person("Giver Three");
    /* p1: given 2+2 = 4, received 8: balance -4/12 = -1/3 exactly, received 8 >= 4 */
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p1);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p1);
    event(t, KITH_K_RECOMMENDATION, KITH_DIR_IN, p1);
    /* p2: given 8, received 4: +1/3, given 8 >= 4 */
    event(t, KITH_K_RECOMMENDATION, KITH_DIR_OUT, p2);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p2);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p2);
    /* p3: given 1 (2025-10-31, before the 12 months) + 1 (2025-11-01 00:00, inside),
     * received 3: balance (2-3)/5 = -0.2 */
    event(utc(2025, 10, 31, 23, 59, 59), KITH_K_MESSAGE, KITH_DIR_OUT, p3);
    event(utc(2025, 11, 1, 0, 0, 0), KITH_K_MESSAGE, KITH_DIR_OUT, p3);
    event(t, KITH_K_MEETING, KITH_DIR_IN, p3);
    /* p4: received 4 exactly, nothing given: -1 and received >= 4 */
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p4);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p4);
    /* p5: given 2+2+0.5 = 4.5, received 8: -3.5/12.5 = -0.28 > -1/3 */
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p5);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p5);
    event(t, KITH_K_INVITATION, KITH_DIR_OUT, p5);
    event(t, KITH_K_GIFT, KITH_DIR_IN, p5);
    /* p7: given 3, received 0: +1 but given 3 < 4 */
    event(t, KITH_K_CALL, KITH_DIR_OUT, p7);
    /* both boundaries at once: p8 given 2, received 4: -2/6 = -1/3 and received = 4;
     * p9 given 4, received 2: +1/3 and given = 4 */
    int32_t p8 = person("Edge You Owe"), p9 = person("Edge They Owe");
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p8);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p8);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p8);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p9);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_OUT, p9);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, p9);
    fx_freeze();
    kith_config c;
    defaults(&c);
    measure(&c, T);

    assert_near(pm[p1].balance, -1.0 / 3, EPS);
    assert_int_equal(pm[p1].label, KITH_LABEL_YOU_OWE);
    assert_near(pm[p2].balance, 1.0 / 3, EPS);
    assert_int_equal(pm[p2].label, KITH_LABEL_THEY_OWE);
    assert_near(pm[p3].given, 2, EPS);
    assert_near(pm[p3].given_12m, 1, EPS);
    assert_near(pm[p3].received_12m, 3, EPS);
    assert_near(pm[p3].balance, -0.2, EPS);
    assert_int_equal(pm[p3].label, KITH_LABEL_BALANCED);
    assert_near(pm[p4].balance, -1, EPS);
    assert_int_equal(pm[p4].label, KITH_LABEL_YOU_OWE);
    assert_near(pm[p5].balance, -0.28, EPS);
    assert_int_equal(pm[p5].label, KITH_LABEL_BALANCED);
    assert_true(isnan(pm[p6].balance));
    assert_int_equal(pm[p6].label, KITH_LABEL_NONE);
    assert_near(pm[p7].balance, 1, EPS);
    assert_int_equal(pm[p7].label, KITH_LABEL_BALANCED);
    assert_near(pm[p8].balance, -1.0 / 3, EPS);
    assert_int_equal(pm[p8].label, KITH_LABEL_YOU_OWE);
    assert_near(pm[p9].balance, 1.0 / 3, EPS);
    assert_int_equal(pm[p9].label, KITH_LABEL_THEY_OWE);

    /* endorsements weigh 1.75: p4 received 3.5 < 4 no longer owes; p8 (-1/3, received 3.5)
     * neither */
    c.weights[KITH_K_ENDORSEMENT] = 1.75;
    measure(&c, T);
    assert_int_equal(pm[p4].label, KITH_LABEL_BALANCED);
    assert_int_equal(pm[p8].label, KITH_LABEL_BALANCED);
    /* owe_ratio loaded as 0.5: p1 at -1/3 is balanced */
    c.weights[KITH_K_ENDORSEMENT] = 2;
    c.owe_ratio = 0.5;
    measure(&c, T);
    assert_int_equal(pm[p1].label, KITH_LABEL_BALANCED);
    assert_int_equal(pm[p4].label, KITH_LABEL_YOU_OWE);
}

static void usual_gap_is_the_median_of_distinct_days(void **state)
{
    (void)state;
    fx_reset();
    int64_t T = T_oct(), b = T - 100 * D;
    int32_t odd = person("Odd Gaps"), even = person("Even Gaps"), two = person("Two Days");
    /* days 0, 10, 10 (same day, an hour earlier), 24, 30: gaps 10, 14, 6 -> median 10 */
    event(b, KITH_K_MESSAGE, KITH_DIR_OUT, odd);
    event(b + 10 * D, KITH_K_MESSAGE, KITH_DIR_OUT, odd);
    event(b + 10 * D - 3600, KITH_K_MESSAGE, KITH_DIR_IN, odd); /* b is 23:59:59 */
    event(b + 24 * D, KITH_K_MESSAGE, KITH_DIR_OUT, odd);
    event(b + 30 * D, KITH_K_MESSAGE, KITH_DIR_OUT, odd);
    /* days 0, 2, 6, 12, 20: gaps 2, 4, 6, 8 -> (4 + 6) / 2 = 5 */
    event(b, KITH_K_MESSAGE, KITH_DIR_OUT, even);
    event(b + 2 * D, KITH_K_MESSAGE, KITH_DIR_OUT, even);
    event(b + 6 * D, KITH_K_MESSAGE, KITH_DIR_OUT, even);
    event(b + 12 * D, KITH_K_MESSAGE, KITH_DIR_OUT, even);
    event(b + 20 * D, KITH_K_MESSAGE, KITH_DIR_OUT, even);
    /* two distinct days, three events: no usual gap */
    event(b, KITH_K_MESSAGE, KITH_DIR_OUT, two);
    event(b - 60, KITH_K_MESSAGE, KITH_DIR_OUT, two);
    event(b + 5 * D, KITH_K_MESSAGE, KITH_DIR_OUT, two);
    fx_freeze();
    kith_config c;
    defaults(&c);
    measure(&c, T);
    assert_near(pm[odd].usual_gap, 10, EPS);
    assert_near(pm[even].usual_gap, 5, EPS);
    assert_true(isnan(pm[two].usual_gap));
}

/* Three meetings `gap` days apart ending `silent` days before T: usual gap = gap,
 * peak >= 3 >= 2. */
static int32_t rhythm_person(const char *name, int64_t T, int gap, int silent)
{
    int32_t p = person(name);
    int64_t last = T - (int64_t)silent * D;
    event(last - 2LL * gap * D, KITH_K_MEETING, KITH_DIR_OUT, p);
    event(last - (int64_t)gap * D, KITH_K_MEETING, KITH_DIR_IN, p);
    event(last, KITH_K_MEETING, KITH_DIR_OUT, p);
    return p;
}

/* Two meetings 10 days apart (no usual gap, peak >= 3) ending `silent` days before T. */
static int32_t two_meetings(const char *name, int64_t T, int silent)
{
    int32_t p = person(name);
    event(T - (int64_t)(silent + 10) * D, KITH_K_MEETING, KITH_DIR_OUT, p);
    event(T - (int64_t)silent * D, KITH_K_MEETING, KITH_DIR_IN, p);
    return p;
}

/* The rule text of person i's measures p at T under c (four rotating buffers). */
static const char *rule_of(const kith_person_measures *p, int32_t i, const kith_config *c,
                           int64_t T)
{
    static char buf[4][128];
    static int k;
    k = (k + 1) % 4;
    return kith_measures_rule(p, &fx.p[i], c, T, buf[k], sizeof buf[k]);
}

/* The rule's numbers are printf's "%.0f" (whole) or "%.1f" (else) of the value, however they
 * are made (measures.c formats the common ones itself): checked on a million values. */
static void rule_numbers_as_printf(void **state)
{
    (void)state;
    kith_config c;
    defaults(&c);
    kith_person person;
    memset(&person, 0, sizeof person);
    kith_person_measures p;
    memset(&p, 0, sizeof p);
    p.rule = KITH_RULE_DORMANT_NO_GAP;
    p.status = KITH_ST_DORMANT;
    unsigned short seed[3] = {3, 5, 7};
    char got[128], want[128], n[64];
    for (long i = 0; i < 1000000; i++) {
        double x;
        switch (i % 6) {
        case 0: x = floor(erand48(seed) * 5000); break;                        /* whole days */
        case 1: x = erand48(seed) * 5000; break;                               /* any */
        case 2: x = (floor(erand48(seed) * 50000) + 0.5) / 10; break;          /* x.x5: halves */
        case 3: x = floor(erand48(seed) * 5000) + 1e-10 * (erand48(seed) - 0.5); break;
        case 4: x = pow(10, erand48(seed) * 12 - 3); break;                    /* 0.001 .. 1e9 */
        default: x = (erand48(seed) - 0.5) * 0.2; break;                       /* near zero, signed */
        }
        p.silent_days = x;
        kith_measures_rule(&p, &person, &c, 0, got, sizeof got);
        snprintf(n, sizeof n, fabs(x - round(x)) < 1e-9 ? "%.0f" : "%.1f", x);
        snprintf(want, sizeof want, "dormant: silent %s d > 365 (no usual gap)", n);
        if (strcmp(got, want) != 0)
            fail_msg("%.17g: got '%s', printf gives '%s'", x, got, want);
    }
}

static void status_rules_and_boundaries(void **state)
{
    (void)state;
    fx_reset();
    int64_t T = T_oct();
    /* gap 14: dormant when silent > max(8 x 14, 90) = 112; fading when > max(42, 45) = 45 */
    int32_t g112 = rhythm_person("Gap Fourteen At 112", T, 14, 112);
    int32_t g113 = rhythm_person("Gap Fourteen At 113", T, 14, 113);
    int32_t g45 = rhythm_person("Gap Fourteen At 45", T, 14, 45);
    int32_t g46 = rhythm_person("Gap Fourteen At 46", T, 14, 46);
    /* gap 5: max(40, 90) = 90 */
    int32_t g90 = rhythm_person("Gap Five At 90", T, 5, 90);
    int32_t g91 = rhythm_person("Gap Five At 91", T, 5, 91);
    /* no usual gap: dormant > 365, fading > 180 */
    int32_t n365 = two_meetings("No Gap At 365", T, 365);
    int32_t n366 = two_meetings("No Gap At 366", T, 366);
    int32_t n180 = two_meetings("No Gap At 180", T, 180);
    int32_t n181 = two_meetings("No Gap At 181", T, 181);
    /* cold: one message, peak 1 < 2, silent > 365 */
    int32_t c366 = person("Cold Contact");
    event(T - 366 * D, KITH_K_MESSAGE, KITH_DIR_IN, c366);
    int32_t c365 = person("Almost Cold");
    event(T - 365 * D, KITH_K_MESSAGE, KITH_DIR_IN, c365);
    /* new: first event T - 30 d + 1 s is within 30 days; T - 30 d is not */
    int32_t new1 = person("New By Event");
    event(T - 30 * D + 1, KITH_K_MESSAGE, KITH_DIR_IN, new1);
    int32_t old30 = person("Thirty Days");
    event(T - 30 * D, KITH_K_MESSAGE, KITH_DIR_IN, old30);
    /* new by connection, despite an old event */
    int32_t newc = person("New By Connection");
    fx.p[newc].connection = true;
    fx.p[newc].connected_on = T - 10 * D;
    event(T - 400 * D, KITH_K_MEETING, KITH_DIR_IN, newc);
    /* latent: a connection with no event; a person whose only event weighs 0 */
    int32_t lat = person("Latent Link");
    fx.p[lat].connection = true;
    fx.p[lat].connected_on = T - 400 * D;
    int32_t zero = person("Zero Weight");
    event(T - 100 * D, KITH_K_REACTION, KITH_DIR_IN, zero);
    fx_freeze();

    kith_config c;
    defaults(&c);
    c.weights[KITH_K_REACTION] = 0;
    measure(&c, T);

    assert_int_equal(pm[g112].status, KITH_ST_FADING);
    assert_string_equal(rule_of(&pm[g112], g112, &c, T), "fading: silent 112 d > max(3 x 14 d gap, 45)");
    assert_int_equal(pm[g113].status, KITH_ST_DORMANT);
    assert_string_equal(rule_of(&pm[g113], g113, &c, T), "dormant: silent 113 d > max(8 x 14 d gap, 90)");
    assert_int_equal(pm[g45].status, KITH_ST_ACTIVE);
    assert_string_equal(rule_of(&pm[g45], g45, &c, T), "active: silent 45 d <= max(3 x 14 d gap, 45)");
    assert_int_equal(pm[g46].status, KITH_ST_FADING);
    assert_int_equal(pm[g90].status, KITH_ST_FADING);
    assert_int_equal(pm[g91].status, KITH_ST_DORMANT);
    assert_int_equal(pm[n365].status, KITH_ST_FADING);
    assert_string_equal(rule_of(&pm[n365], n365, &c, T), "fading: silent 365 d > 180 (no usual gap)");
    assert_int_equal(pm[n366].status, KITH_ST_DORMANT);
    assert_string_equal(rule_of(&pm[n366], n366, &c, T), "dormant: silent 366 d > 365 (no usual gap)");
    assert_int_equal(pm[n180].status, KITH_ST_ACTIVE);
    assert_int_equal(pm[n181].status, KITH_ST_FADING);
    assert_int_equal(pm[c366].status, KITH_ST_COLD);
    assert_string_equal(rule_of(&pm[c366], c366, &c, T), "cold: silent 366 d > 365, peak 1.00 < 2");
    assert_int_equal(pm[c365].status, KITH_ST_FADING);
    assert_int_equal(pm[new1].status, KITH_ST_NEW);
    assert_string_equal(rule_of(&pm[new1], new1, &c, T), "new: first event 29 d ago < 30");
    assert_int_equal(pm[old30].status, KITH_ST_ACTIVE);
    assert_int_equal(pm[newc].status, KITH_ST_NEW);
    assert_string_equal(rule_of(&pm[newc], newc, &c, T), "new: connected 10 d ago < 30");
    assert_int_equal(pm[lat].status, KITH_ST_LATENT);
    assert_string_equal(rule_of(&pm[lat], lat, &c, T), "latent: no event with weight > 0");
    assert_int_equal(pm[zero].status, KITH_ST_LATENT);
    assert_near(pm[zero].silent_days, 100, EPS); /* still a contact */

    /* --dormant-days 100 replaces the rhythm rule: 113 > 100 still dormant, 112 now too,
     * gap 5 at 91 no longer; no-gap at 181 becomes dormant (181 > 100, peak >= 2) */
    c.dormant_days = 100;
    measure(&c, T);
    assert_int_equal(pm[g112].status, KITH_ST_DORMANT);
    assert_string_equal(rule_of(&pm[g112], g112, &c, T), "dormant: silent 112 d > --dormant-days 100");
    assert_int_equal(pm[g91].status, KITH_ST_FADING);
    assert_int_equal(pm[n181].status, KITH_ST_DORMANT);
    assert_int_equal(pm[c366].status, KITH_ST_COLD); /* peak 1 < 2 is never dormant */
}

/* The one-sweep series gives what separate kith_measures_at calls give, moment by moment. */
static void series_equals_single_moments(void **state)
{
    (void)state;
    fx_reset();
    int64_t T = T_oct();
    rhythm_person("Rhythm A", T, 14, 113);
    rhythm_person("Rhythm B", T, 3, 20);
    two_meetings("Two M", T, 200);
    int32_t late = person("Late Comer");
    event(T - 40 * D, KITH_K_MESSAGE, KITH_DIR_OUT, late);
    event(T - 5 * D, KITH_K_ENDORSEMENT, KITH_DIR_IN, late);
    int32_t conn = person("Connected Later");
    fx.p[conn].connection = true;
    fx.p[conn].connected_on = T - 50 * D;
    person("Undated Contact");
    fx_freeze();
    kith_config c;
    defaults(&c);
    int64_t Ts[4] = {T - 300 * D, T - 100 * D, T - 45 * D, T};
    static kith_person_measures series[4][MAXP];
    static uint8_t kn[4][MAXP];
    kith_person_measures *pms[4] = {series[0], series[1], series[2], series[3]};
    uint8_t *kns[4] = {kn[0], kn[1], kn[2], kn[3]};
    int counts[4][KITH_ST__COUNT];
    kith_diag d;
    assert_int_equal(kith_measures_series(&fx.m, &c, Ts, 4, pms, kns, counts, &d), KITH_OK);
    for (int j = 0; j < 4; j++) {
        measure(&c, Ts[j]);
        int want[KITH_ST__COUNT] = {0};
        for (size_t i = 0; i < fx.m.n_persons; i++) {
            assert_int_equal(series[j][i].status, pm[i].status);
            assert_int_equal(series[j][i].rule, pm[i].rule);
            assert_int_equal(series[j][i].layer, pm[i].layer);
            assert_int_equal(kn[j][i], known[i]);
            assert_near(series[j][i].strength, pm[i].strength, EPS);
            assert_near(series[j][i].given_12m, pm[i].given_12m, EPS);
            if (known[i])
                want[pm[i].status]++;
        }
        assert_memory_equal(counts[j], want, sizeof want);
    }
    /* known: the later connection only from its date, the undated contact always */
    assert_int_equal(kn[0][conn], 0);
    assert_int_equal(kn[3][conn], 1);
    assert_int_equal(kn[2][late], 0); /* first event T - 40 d, after T - 45 d */
    assert_int_equal(kn[3][late], 1);
    assert_int_equal(kn[0][fx.m.n_persons - 1], 1);
    assert_string_equal(rule_of(&series[0][conn], conn, &c, Ts[0]), "latent: not in the data yet");

    /* two threads (half the persons each) give the same bits as one */
    static kith_person_measures two[4][MAXP];
    static uint8_t kn2[4][MAXP];
    kith_person_measures *pms2[4] = {two[0], two[1], two[2], two[3]};
    uint8_t *kns2[4] = {kn2[0], kn2[1], kn2[2], kn2[3]};
    int counts2[4][KITH_ST__COUNT];
    size_t saved = kith_measures_thread_min;
    kith_measures_thread_min = 1;
    assert_int_equal(kith_measures_series(&fx.m, &c, Ts, 4, pms2, kns2, counts2, &d), KITH_OK);
    kith_measures_thread_min = saved;
    for (int j = 0; j < 4; j++) {
        assert_memory_equal(two[j], series[j], fx.m.n_persons * sizeof two[j][0]);
        assert_memory_equal(kn2[j], kn[j], fx.m.n_persons);
        assert_memory_equal(counts2[j], counts[j], sizeof counts[j]);
    }
}

static void layers_by_rank_with_name_ties(void **state)
{
    (void)state;
    fx_reset();
    int64_t T = T_oct();
    static const char *names[16] = {"P16", "P15", "P14", "P13", "P12", "P11", "P10", "P09",
                                    "P08", "P07", "P06", "P05", "P04", "P03", "P02", "P01"};
    int32_t idx[17];
    /* equal strengths, inserted in reverse name order: ranks follow the names */
    for (int i = 0; i < 16; i++) {
        idx[16 - i] = person(names[i]); /* idx[k] = "P%02d" k */
        event(T - 10 * D, KITH_K_MESSAGE, KITH_DIR_OUT, idx[16 - i]);
    }
    int32_t zed = person("Zed"); /* a meeting: strongest, rank 1 */
    event(T - 10 * D, KITH_K_MEETING, KITH_DIR_OUT, zed);
    int32_t none = person("Nobody");
    fx_freeze();
    kith_config c;
    defaults(&c);
    measure(&c, T);
    /* ranks: Zed 1, P01..P04 2..5 -> layer 1; P05..P14 6..15 -> layer 2; P15, P16 -> 3 */
    assert_int_equal(pm[zed].layer, 1);
    for (int k = 1; k <= 4; k++)
        assert_int_equal(pm[idx[k]].layer, 1);
    for (int k = 5; k <= 14; k++)
        assert_int_equal(pm[idx[k]].layer, 2);
    assert_int_equal(pm[idx[15]].layer, 3);
    assert_int_equal(pm[idx[16]].layer, 3);
    assert_int_equal(pm[none].layer, 0);
}

static void reconnect_priority_parts(void **state)
{
    (void)state;
    kith_person_measures p[6];
    memset(p, 0, sizeof p);
    for (int i = 0; i < 6; i++)
        p[i].cluster = -1;
    /* cluster 0 = p0..p3: 2 active (active, new) of 4 -> novelty 0.5 */
    p[0] = (kith_person_measures){.status = KITH_ST_DORMANT, .peak_strength = 4,
                                  .balance = -0.5, .cluster = 0};
    p[1] = (kith_person_measures){.status = KITH_ST_FADING, .peak_strength = 2, .balance = 0,
                                  .cluster = 0};
    p[2] = (kith_person_measures){.status = KITH_ST_ACTIVE, .peak_strength = 9, .cluster = 0};
    p[3] = (kith_person_measures){.status = KITH_ST_NEW, .peak_strength = 1, .cluster = 0};
    p[4] = (kith_person_measures){.status = KITH_ST_DORMANT, .peak_strength = 1,
                                  .balance = NAN, .cluster = -1};
    p[5] = (kith_person_measures){.status = KITH_ST_LATENT, .cluster = 1};
    assert_int_equal(kith_measures_priorities(p, NULL, 6), KITH_OK);
    /* p0: engagement 4/4 = 1, mutuality 1 - 0.5, novelty 0.5 -> 2/3 */
    assert_near(p[0].engagement, 1, EPS);
    assert_near(p[0].mutuality, 0.5, EPS);
    assert_near(p[0].novelty, 0.5, EPS);
    assert_near(p[0].priority, 2.0 / 3, EPS);
    /* p1: 2/4, 1, 0.5 -> 2/3 */
    assert_near(p[1].engagement, 0.5, EPS);
    assert_near(p[1].mutuality, 1, EPS);
    assert_near(p[1].priority, 2.0 / 3, EPS);
    /* p4: 1/4, 1 (no balance), 1 (no cluster) -> 0.75 */
    assert_near(p[4].engagement, 0.25, EPS);
    assert_near(p[4].novelty, 1, EPS);
    assert_near(p[4].priority, 0.75, EPS);
    assert_true(isnan(p[2].priority) && isnan(p[5].priority) && isnan(p[3].novelty));

    /* a cluster with no active tie: novelty 1 */
    p[2].status = KITH_ST_COLD;
    p[3].status = KITH_ST_LATENT;
    assert_int_equal(kith_measures_priorities(p, NULL, 6), KITH_OK);
    assert_near(p[0].novelty, 1, EPS);
}

static void burstiness_of_known_series(void **state)
{
    (void)state;
    /* 11 zeros and a 12: mu = 1, sigma = sqrt(11) -> (sqrt 11 - 1)/(sqrt 11 + 1) */
    double burst[12] = {0};
    burst[11] = 12;
    assert_near(kith_burstiness(burst, 12), (sqrt(11) - 1) / (sqrt(11) + 1), EPS);
    /* alternating 2, 0: mu = 1, sigma = 1 -> 0 */
    double alt[12];
    for (int i = 0; i < 12; i++)
        alt[i] = i % 2 ? 0 : 2;
    assert_near(kith_burstiness(alt, 12), 0, EPS);
    /* steady: sigma = 0 -> -1 */
    double steady[12];
    for (int i = 0; i < 12; i++)
        steady[i] = 5;
    assert_near(kith_burstiness(steady, 12), -1, EPS);
    double zeros[12] = {0};
    assert_true(isnan(kith_burstiness(zeros, 12)));
}

static void default_month(void **state)
{
    (void)state;
    fx_reset();
    char buf[8];
    kith_report_default_month(&fx.m, buf);
    assert_string_equal(buf, "");
    fx.m.export_time = utc(2026, 11, 15, 10, 0, 0);
    kith_report_default_month(&fx.m, buf);
    assert_string_equal(buf, "2026-10");
    fx.m.export_time = utc(2027, 1, 1, 0, 0, 0);
    kith_report_default_month(&fx.m, buf);
    assert_string_equal(buf, "2026-12");
    fx.m.export_time = utc(2026, 10, 31, 23, 59, 59); /* October not complete yet */
    kith_report_default_month(&fx.m, buf);
    assert_string_equal(buf, "2026-09");
}

/* ------------------------------------------------------------------------------------------
 * kith_report_build on one model, October 2026 against September 2026
 * ------------------------------------------------------------------------------------------ */

static int32_t A, B, C, Dp, Hc;

static void build_month_model(void)
{
    fx_reset();
    /* A: meetings 2025-09-15 (out) and 2025-10-15 12:00 (in): no usual gap, peak >= 3.
     * Silent 350.5 d at 2026-09-30 (fading: > 180, <= 365); 381.5 d at 2026-10-31
     * (dormant: > 365). A message after T changes nothing. */
    A = person("Ada Arch");
    event(utc(2025, 9, 15, 12, 0, 0), KITH_K_MEETING, KITH_DIR_OUT, A);
    event(utc(2025, 10, 15, 12, 0, 0), KITH_K_MEETING, KITH_DIR_IN, A);
    event(utc(2026, 11, 3, 9, 0, 0), KITH_K_MESSAGE, KITH_DIR_IN, A);
    /* B: meetings out 2025-12-01 and 2026-01-01; at 2026-09-30 silent 272.5 d -> fading;
     * a message out on 2026-10-10 -> active (revived) */
    B = person("Ben Bay");
    event(utc(2025, 12, 1, 12, 0, 0), KITH_K_MEETING, KITH_DIR_OUT, B);
    event(utc(2026, 1, 1, 12, 0, 0), KITH_K_MEETING, KITH_DIR_OUT, B);
    event(utc(2026, 10, 10, 12, 0, 0), KITH_K_MESSAGE, KITH_DIR_OUT, B);
    /* C: first seen in October: a message in on 10-20 -> new; unknown in September */
    C = person("Cai Cove");
    event(utc(2026, 10, 20, 12, 0, 0), KITH_K_MESSAGE, KITH_DIR_IN, C);
    /* Dp: only an event after T: not yet in the data */
    Dp = person("Dee Dune");
    event(utc(2026, 11, 5, 12, 0, 0), KITH_K_CALL, KITH_DIR_IN, Dp);
    /* Hc: connected 2026-10-05, no event -> new; unknown in September */
    Hc = person("Hal Hill");
    fx.p[Hc].connection = true;
    fx.p[Hc].connected_on = utc(2026, 10, 5, 8, 0, 0);
    fx.p[Hc].company_key = "globex";
    fx.p[B].company_key = "globex";
    fx.p[A].company_key = "initech";
    fx_freeze();
    /* one group message from the owner to B and C on 10-12: one item, two events */
    size_t n = fx.m.n_events;
    fx.e[n] = (kith_event){utc(2026, 10, 12, 12, 0, 0), B, -1, 900, KITH_K_MESSAGE, KITH_DIR_OUT};
    fx.e[n + 1] =
        (kith_event){utc(2026, 10, 12, 12, 0, 0), C, -1, 900, KITH_K_MESSAGE, KITH_DIR_OUT};
    fx.m.n_events += 2;
    fx_freeze();
}

static void report_month_over_month(void **state)
{
    (void)state;
    build_month_model();
    kith_report *r = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    /* export_time = the latest event, 2026-11-05: default month October */
    assert_int_equal(kith_report_build(&fx.m, NULL, NULL, &r, &d), KITH_OK);
    assert_string_equal(r->month, "2026-10");
    assert_string_equal(r->prev_month, "2026-09");
    assert_int_equal(r->as_of, T_oct());
    assert_int_equal(r->prev_as_of, utc(2026, 9, 30, 23, 59, 59));

    assert_int_equal(r->pm[A].status, KITH_ST_DORMANT);
    assert_int_equal(r->pm_prev[A].status, KITH_ST_FADING);
    assert_near(r->pm[A].silent_days, 381.5 - 1.0 / 86400, EPS); /* T is 23:59:59 */
    assert_int_equal(r->pm[B].status, KITH_ST_ACTIVE);
    assert_int_equal(r->pm_prev[B].status, KITH_ST_FADING);
    assert_int_equal(r->pm[C].status, KITH_ST_NEW);
    assert_int_equal(r->pm[Hc].status, KITH_ST_NEW);
    assert_string_equal(rule_of(&r->pm[Dp], Dp, &r->config, r->as_of), "latent: not in the data yet");

    /* persons known: A B C Hc now (Dp only after T); A B in September */
    assert_near(r->kpi[KITH_KPI_PERSONS], 4, EPS);
    assert_near(r->kpi_prev[KITH_KPI_PERSONS], 2, EPS);
    assert_near(r->kpi[KITH_KPI_CONNECTIONS], 1, EPS);
    assert_near(r->kpi_prev[KITH_KPI_CONNECTIONS], 0, EPS);
    assert_near(r->kpi[KITH_KPI_NEW_CONNECTIONS], 1, EPS);
    assert_near(r->kpi[KITH_KPI_NEW_TIES], 2, EPS);
    assert_near(r->kpi[KITH_KPI_ACTIVE_TIES], 3, EPS);
    assert_near(r->kpi[KITH_KPI_DORMANT], 1, EPS);
    assert_near(r->kpi[KITH_KPI_FADING], 0, EPS);
    assert_near(r->kpi_prev[KITH_KPI_FADING], 2, EPS);
    assert_near(r->kpi_prev[KITH_KPI_ACTIVE_TIES], 0, EPS);
    assert_near(r->kpi[KITH_KPI_LATENT], 0, EPS);
    /* globex (B, Hc), initech (A); active: globex only */
    assert_near(r->kpi[KITH_KPI_ORGANIZATIONS], 2, EPS);
    assert_near(r->kpi[KITH_KPI_ORGANIZATIONS_ACTIVE], 1, EPS);
    assert_near(r->kpi_prev[KITH_KPI_ORGANIZATIONS], 2, EPS);
    assert_near(r->kpi_prev[KITH_KPI_ORGANIZATIONS_ACTIVE], 0, EPS);
    /* October: sent B's message and the group message (one item), received C's */
    assert_near(r->kpi[KITH_KPI_MESSAGES_SENT], 2, EPS);
    assert_near(r->kpi[KITH_KPI_MESSAGES_RECEIVED], 1, EPS);
    assert_near(r->kpi[KITH_KPI_GIVEN], 3, EPS);
    assert_near(r->kpi[KITH_KPI_RECEIVED], 1, EPS);
    /* 12 months from 2025-11-01: B 3+3+1+1, C 1 given; C 1 received */
    assert_near(r->kpi[KITH_KPI_GIVEN_12M], 9, EPS);
    assert_near(r->kpi[KITH_KPI_RECEIVED_12M], 1, EPS);
    /* the Monthly sheet adds up to the 12-month KPIs */
    double g = 0, rc = 0;
    for (int j = 0; j < 12; j++)
        for (int k = 0; k < KITH_K__COUNT; k++) {
            g += r->months[j].given[k];
            rc += r->months[j].received[k];
        }
    assert_near(g, r->kpi[KITH_KPI_GIVEN_12M], EPS);
    assert_near(rc, r->kpi[KITH_KPI_RECEIVED_12M], EPS);
    /* out events by month Nov..Oct: 0 1 1 0 0 0 0 0 0 0 0 3 (the group message is two
     * events) -> 3 active months; mu = 5/12, sigma^2 = 11/12 - 25/144 = 107/144:
     * B = (sqrt 107 - 5)/(sqrt 107 + 5) */
    assert_near(r->kpi[KITH_KPI_ACTIVE_MONTHS], 3, EPS);
    assert_near(r->kpi[KITH_KPI_BURSTINESS], (sqrt(107) - 5) / (sqrt(107) + 5), EPS);
    /* September's 12 months Oct 2025..Sep 2026: Dec and Jan -> 2 active months,
     * mu = 1/6, sigma = sqrt(2/12 - 1/36) = sqrt(5)/6: B = (sqrt5 - 1)/(sqrt5 + 1) */
    assert_near(r->kpi_prev[KITH_KPI_ACTIVE_MONTHS], 2, EPS);
    assert_near(r->kpi_prev[KITH_KPI_BURSTINESS], (sqrt(5) - 1) / (sqrt(5) + 1), EPS);
    assert_true(isnan(r->kpi[KITH_KPI_PROFILE_COMPLETENESS])); /* no profile read */

    /* months: oldest first, October last */
    assert_string_equal(r->months[0].label, "2025-11");
    assert_string_equal(r->months[11].label, "2026-10");
    assert_int_equal(r->months[1].out_events, 1);
    assert_near(r->months[1].given[KITH_K_MEETING], 3, EPS);
    assert_int_equal(r->months[11].out_events, 3);
    assert_int_equal(r->months[11].in_events, 1);
    assert_near(r->months[11].given[KITH_K_MESSAGE], 3, EPS);
    assert_int_equal(r->months[11].new_connections, 1);
    assert_int_equal(r->months[11].status[KITH_ST_DORMANT], 1);
    assert_int_equal(r->months[11].status[KITH_ST_ACTIVE], 1);
    assert_int_equal(r->months[11].status[KITH_ST_NEW], 2);
    assert_int_equal(r->months[10].status[KITH_ST_FADING], 2);
    /* 2025-11-30: A silent 46.5 d (no gap, <= 180) -> active; B not known yet */
    assert_int_equal(r->months[0].status[KITH_ST_ACTIVE], 1);
    assert_int_equal(r->months[0].status[KITH_ST_NEW], 0);
    /* 2025-12-31: B's first event 30.5 d ago -> not new, active */
    assert_int_equal(r->months[1].status[KITH_ST_ACTIVE], 2);

    /* changes */
    assert_int_equal(r->n_became_dormant, 1);
    assert_int_equal(r->became_dormant[0].person, A);
    assert_int_equal(r->became_dormant[0].from, KITH_ST_FADING);
    assert_int_equal(r->became_dormant[0].to, KITH_ST_DORMANT);
    assert_int_equal(r->n_revived, 1);
    assert_int_equal(r->revived[0].person, B);
    /* layers: A, B, C have strength (layer 1); C was nowhere in September */
    assert_int_equal(r->n_layer_moves, 1);
    assert_int_equal(r->layer_moves[0].person, C);
    assert_int_equal(r->layer_moves[0].from, 0);
    assert_int_equal(r->layer_moves[0].to, 1);
    assert_int_equal(r->layer_counts[1], 3);
    assert_int_equal(r->layer_counts[0], 1); /* Hc */
    assert_int_equal(r->layer_counts_prev[1], 2);

    /* neglected: A alone, engagement 1, mutuality 1 (3 vs 3), novelty 1 (no cluster) */
    assert_int_equal(r->n_neglected, 1);
    assert_int_equal(r->neglected[0], A);
    assert_near(r->pm[A].priority, 1, EPS);
    assert_true(isnan(r->pm[B].priority));

    /* ledger up to T: A meeting 3/3; B message 2 given (2 rows), meeting 6; C message 1/1 */
    assert_int_equal(r->n_ledger, 4);
    assert_int_equal(r->ledger[0].person, A);
    assert_int_equal(r->ledger[0].kind, KITH_K_MEETING);
    assert_near(r->ledger[0].given, 3, EPS);
    assert_near(r->ledger[0].received, 3, EPS);
    assert_int_equal(r->ledger[1].person, B);
    assert_int_equal(r->ledger[1].kind, KITH_K_MESSAGE);
    assert_int_equal(r->ledger[1].n_given, 2);
    assert_int_equal(r->ledger[2].kind, KITH_K_MEETING);
    assert_near(r->ledger[2].given, 6, EPS);
    assert_int_equal(r->ledger[3].person, C);
    assert_int_equal(r->ledger[3].n_received, 1);
    assert_int_equal(r->ledger[3].n_given, 1);
    kith_report_free(r);

    /* an explicit month; a bad one */
    assert_int_equal(kith_report_build(&fx.m, NULL, "2026-09", &r, &d), KITH_OK);
    assert_int_equal(r->pm[B].status, KITH_ST_FADING);
    assert_string_equal(r->prev_month, "2026-08");
    kith_report_free(r);
    assert_int_equal(kith_report_build(&fx.m, NULL, "2026-13", &r, &d), KITH_ERR_USAGE);
    assert_null(r);
    kith_report_free(NULL);
}

static bool same_num(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* kith_report_build_begin then _finish gives the same report as kith_report_build; after
 * _begin the report month is complete and the month before is left for _finish. */
static void report_build_in_two_phases(void **state)
{
    (void)state;
    build_month_model();
    kith_report *full = NULL, *r = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_report_build(&fx.m, NULL, "2026-10", &full, &d), KITH_OK);
    assert_null(full->pending);
    assert_int_equal(kith_report_build_begin(&fx.m, NULL, "2026-10", &r, &d), KITH_OK);
    assert_non_null(r->pending);
    size_t n = fx.m.n_persons;
    for (size_t i = 0; i < n; i++) {
        const kith_person_measures *a = &r->pm[i], *b = &full->pm[i];
        assert_int_equal(a->status, b->status);
        assert_int_equal(a->cluster, b->cluster);
        assert_true(same_num(a->priority, b->priority));
        assert_true(same_num(a->betweenness, b->betweenness));
        assert_true(same_num(a->strength, b->strength));
    }
    for (int k = 0; k < KITH_KPI__COUNT; k++)
        assert_true(same_num(r->kpi[k], full->kpi[k]));
    assert_int_equal(r->n_neglected, full->n_neglected);
    assert_int_equal(r->neglected[0], A);
    assert_int_equal(r->n_ledger, full->n_ledger);
    assert_int_equal(r->n_clusters, full->n_clusters);
    /* month over month needs no graph: final already; the month before's graph is left to
     * _finish */
    assert_int_equal(r->n_became_dormant, 1);
    assert_int_equal(r->n_revived, 1);
    assert_memory_equal(r->layer_counts, full->layer_counts, sizeof r->layer_counts);
    assert_int_equal(kith_report_build_finish(r, &d), KITH_OK);
    assert_null(r->pending);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(r->pm_prev[i].status, full->pm_prev[i].status);
        assert_true(same_num(r->pm_prev[i].priority, full->pm_prev[i].priority));
    }
    for (int k = 0; k < KITH_KPI__COUNT; k++)
        assert_true(same_num(r->kpi_prev[k], full->kpi_prev[k]));
    assert_int_equal(r->n_became_dormant, 1);
    assert_int_equal(r->became_dormant[0].person, A);
    assert_int_equal(r->n_revived, 1);
    assert_int_equal(r->n_layer_moves, full->n_layer_moves);
    assert_memory_equal(r->layer_counts, full->layer_counts, sizeof r->layer_counts);
    assert_memory_equal(r->layer_counts_prev, full->layer_counts_prev,
                        sizeof r->layer_counts_prev);
    assert_int_equal(kith_report_build_finish(r, &d), KITH_OK); /* a no-op now */
    assert_int_equal(r->n_became_dormant, 1);
    assert_int_equal(r->layer_counts[1], full->layer_counts[1]);
    kith_report_free(r);
    kith_report_free(full);
    /* a report freed between the phases leaks nothing (checked under ASan) */
    assert_int_equal(kith_report_build_begin(&fx.m, NULL, "2026-10", &r, &d), KITH_OK);
    kith_report_free(r);
    assert_int_equal(kith_report_build_begin(&fx.m, NULL, "2026-13", &r, &d), KITH_ERR_USAGE);
    assert_null(r);
}

/* _start leaves only the report month's graph to _graph: the ledger, you-owe list and the
 * neglected persons are final (the neglected in person order), the graph fields are not;
 * _graph sorts the neglected by priority; _finish runs a missing _graph itself. */
static void report_build_start_then_graph(void **state)
{
    (void)state;
    build_month_model();
    kith_report *full = NULL, *r = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_report_build(&fx.m, NULL, "2026-10", &full, &d), KITH_OK);
    assert_int_equal(kith_report_build_start(&fx.m, NULL, "2026-10", &r, &d), KITH_OK);
    assert_int_equal(r->n_ledger, full->n_ledger);
    assert_memory_equal(r->ledger, full->ledger, r->n_ledger * sizeof *r->ledger);
    assert_int_equal(r->n_you_owe, full->n_you_owe);
    assert_int_equal(r->n_neglected, full->n_neglected);
    assert_true(r->n_neglected >= 1); /* the order by priority: check_workbook.py */
    for (size_t i = 0; i < r->n_neglected; i++) {
        if (i)
            assert_true(r->neglected[i - 1] < r->neglected[i]);
        bool found = false;
        for (size_t j = 0; j < full->n_neglected; j++)
            found |= full->neglected[j] == r->neglected[i];
        assert_true(found);
    }
    assert_int_equal(r->n_clusters, 0); /* the graph is not measured yet */
    /* month over month needs no graph: final already */
    assert_int_equal(r->n_became_dormant, full->n_became_dormant);
    assert_int_equal(r->n_revived, full->n_revived);
    assert_int_equal(r->n_layer_moves, full->n_layer_moves);
    assert_memory_equal(r->layer_moves, full->layer_moves,
                        r->n_layer_moves * sizeof *r->layer_moves);
    assert_memory_equal(r->layer_counts, full->layer_counts, sizeof r->layer_counts);
    assert_memory_equal(r->layer_counts_prev, full->layer_counts_prev,
                        sizeof r->layer_counts_prev);
    assert_int_equal(kith_report_build_graph(r, &d), KITH_OK);
    assert_memory_equal(r->neglected, full->neglected, r->n_neglected * sizeof *r->neglected);
    assert_int_equal(r->n_clusters, full->n_clusters);
    for (size_t i = 0; i < fx.m.n_persons; i++)
        assert_true(same_num(r->pm[i].priority, full->pm[i].priority));
    assert_int_equal(kith_report_build_graph(r, &d), KITH_OK); /* a no-op now */
    assert_int_equal(kith_report_build_finish(r, &d), KITH_OK);
    for (int k = 0; k < KITH_KPI__COUNT; k++)
        assert_true(same_num(r->kpi[k], full->kpi[k]) && same_num(r->kpi_prev[k], full->kpi_prev[k]));
    kith_report_free(r);
    /* _finish straight after _start measures the graph first */
    assert_int_equal(kith_report_build_start(&fx.m, NULL, "2026-10", &r, &d), KITH_OK);
    assert_int_equal(kith_report_build_finish(r, &d), KITH_OK);
    assert_null(r->pending);
    assert_memory_equal(r->neglected, full->neglected, r->n_neglected * sizeof *r->neglected);
    assert_int_equal(r->n_became_dormant, full->n_became_dormant);
    kith_report_free(r);
    kith_report_free(full);
    /* freed after _start: nothing leaks (checked under ASan) */
    assert_int_equal(kith_report_build_start(&fx.m, NULL, "2026-10", &r, &d), KITH_OK);
    kith_report_free(r);
}

static void report_birthdays_and_owe_list(void **state)
{
    (void)state;
    fx_reset();
    /* January 2027: T = 2027-01-31 23:59:59, window to 2027-03-02 23:59:59 */
    int32_t leap = person("Leap Lee"), mar2 = person("March Two"),
            mar3 = person("March Three"), today = person("Today Tam"),
            feb1 = person("Feb First");
    fx.p[leap].bday_month = 2;
    fx.p[leap].bday_day = 29; /* -> 2027-02-28 */
    fx.p[mar2].bday_month = 3;
    fx.p[mar2].bday_day = 2;
    fx.p[mar3].bday_month = 3;
    fx.p[mar3].bday_day = 3;
    fx.p[today].bday_month = 1;
    fx.p[today].bday_day = 31;
    fx.p[feb1].bday_year = 1990;
    fx.p[feb1].bday_month = 2;
    fx.p[feb1].bday_day = 1;
    /* two persons who gave more than they got: more received first */
    int32_t o1 = person("Owed Little"), o2 = person("Owed Much");
    int64_t t = utc(2027, 1, 10, 12, 0, 0);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, o1);
    event(t, KITH_K_ENDORSEMENT, KITH_DIR_IN, o1);
    event(t, KITH_K_RECOMMENDATION, KITH_DIR_IN, o2);
    fx_freeze();
    kith_report *r = NULL;
    kith_diag d;
    assert_int_equal(kith_report_build(&fx.m, NULL, "2027-01", &r, &d), KITH_OK);
    assert_int_equal(r->n_birthdays, 3);
    assert_int_equal(r->birthdays[0].person, feb1);
    assert_int_equal(r->birthdays[0].next, utc(2027, 2, 1, 0, 0, 0));
    assert_int_equal(r->birthdays[1].person, leap);
    assert_int_equal(r->birthdays[1].next, utc(2027, 2, 28, 0, 0, 0));
    assert_int_equal(r->birthdays[2].person, mar2);
    assert_near(r->kpi[KITH_KPI_BIRTHDAYS_NEXT_30D], 3, EPS);
    /* December 2026: T + 30 d = 2027-01-30 23:59:59 -> nobody in the window ... but
     * Today Tam's Jan 31 is one day late */
    assert_near(r->kpi_prev[KITH_KPI_BIRTHDAYS_NEXT_30D], 0, EPS);
    assert_int_equal(r->n_you_owe, 2);
    assert_int_equal(r->you_owe[0], o2);
    assert_int_equal(r->you_owe[1], o1);
    assert_near(r->kpi[KITH_KPI_YOU_OWE], 2, EPS);
    assert_near(r->kpi[KITH_KPI_ENDORSEMENTS_RECEIVED], 2, EPS);
    assert_near(r->kpi[KITH_KPI_RECOMMENDATIONS_RECEIVED], 1, EPS);
    kith_report_free(r);
}

static void report_profile_completeness(void **state)
{
    (void)state;
    fx_reset();
    fx.m.profile.present = true;
    fx.m.profile.headline = "Builder";
    fx.m.profile.summary = "";
    fx.m.profile.location = "Nowhere";
    fx.m.profile.current_positions = 1;
    fx.m.profile.skills = 4;
    kith_report *r = NULL;
    kith_diag d;
    assert_int_equal(kith_report_build(&fx.m, NULL, "2026-10", &r, &d), KITH_OK);
    /* headline, location, current position: 3 of 6 */
    assert_near(r->kpi[KITH_KPI_PROFILE_COMPLETENESS], 0.5, EPS);
    assert_true(r->profile.headline && !r->profile.summary && !r->profile.skills5);
    assert_near(r->kpi[KITH_KPI_PERSONS], 0, EPS);
    assert_true(isnan(r->kpi[KITH_KPI_BURSTINESS]));
    kith_report_free(r);
    /* no month and no date in the data: nothing to report */
    assert_int_equal(kith_report_build(&fx.m, NULL, NULL, &r, &d), KITH_ERR_NO_DATA);
}

/* End to end through the ingest API and kith_model_build: a mail to two persons is one
 * message sent; employers are counted by their normalized keys. */
static void report_from_an_ingested_model(void **state)
{
    (void)state;
    const char *me[] = {"olive@owner.test"};
    kith_ingest_opts o = {.me = me, .n_me = 1};
    kith_ingest *ing = NULL;
    assert_int_equal(kith_ingest_new(&ing, &o), KITH_OK);
    kith_ingest_begin_file(ing, "contacts.csv", "google-contacts");
    kith_who wl = {.name = "Lee Park", .email = "lee@globex.test"};
    kith_who ws = {.name = "Sam Stone", .email = "sam@acme.test"};
    int32_t lee = kith_ingest_who(ing, &wl), sam = kith_ingest_who(ing, &ws);
    kith_contact cl = {.company = "Globex Inc", .connected_on = utc(2026, 10, 3, 0, 0, 0),
                       .connection = true};
    kith_contact cs = {.company = "Acme, LLC", .connected_on = utc(2024, 1, 1, 0, 0, 0),
                       .connection = true};
    kith_ingest_row(ing);
    kith_ingest_contact(ing, lee, &cl);
    kith_ingest_row(ing);
    kith_ingest_contact(ing, sam, &cs);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    kith_who wo = {.name = "Olive Owner", .email = "olive@owner.test"};
    int32_t owner = kith_ingest_who(ing, &wo);
    lee = kith_ingest_who(ing, &wl);
    sam = kith_ingest_who(ing, &ws);
    int32_t both[2] = {lee, sam}, to_owner[1] = {owner};
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, utc(2026, 10, 12, 9, 0, 0), KITH_K_EMAIL, owner, both, 2,
                         kith_ingest_group(ing, "<m1@owner.test>"), 0);
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, utc(2026, 10, 15, 9, 0, 0), KITH_K_EMAIL, lee, to_owner, 1,
                         kith_ingest_group(ing, "<m2@globex.test>"), 0);
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, utc(2025, 6, 1, 9, 0, 0), KITH_K_EMAIL, owner, &sam, 1,
                         kith_ingest_group(ing, "<m0@owner.test>"), 0);
    kith_ingest_end_file(ing);
    kith_model *m = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_model_build(ing, &m, &d), KITH_OK);
    kith_ingest_free(ing);
    assert_int_equal(m->n_persons, 2);

    kith_report *r = NULL;
    assert_int_equal(kith_report_build(m, NULL, "2026-10", &r, &d), KITH_OK);
    assert_near(r->kpi[KITH_KPI_PERSONS], 2, EPS);
    assert_near(r->kpi[KITH_KPI_CONNECTIONS], 2, EPS);
    assert_near(r->kpi[KITH_KPI_NEW_CONNECTIONS], 1, EPS);
    assert_near(r->kpi[KITH_KPI_MESSAGES_SENT], 1, EPS); /* one mail, two recipients */
    assert_near(r->kpi[KITH_KPI_MESSAGES_RECEIVED], 1, EPS);
    assert_near(r->kpi[KITH_KPI_GIVEN], 2, EPS);
    assert_near(r->kpi[KITH_KPI_RECEIVED], 1, EPS);
    assert_near(r->kpi[KITH_KPI_ORGANIZATIONS], 2, EPS);
    assert_near(r->kpi[KITH_KPI_NEW_TIES], 1, EPS);    /* Lee: connected 10-03 */
    assert_near(r->kpi[KITH_KPI_ACTIVE_TIES], 2, EPS); /* Sam: active */
    /* September: Lee unknown; Sam silent 486 d since 2025-06-01, peak 1 < 2 -> cold, and
     * a cold tie that speaks again is not "revived" (only dormant or fading ones are) */
    assert_near(r->kpi_prev[KITH_KPI_PERSONS], 1, EPS);
    assert_near(r->kpi_prev[KITH_KPI_ACTIVE_TIES], 0, EPS);
    assert_near(r->kpi_prev[KITH_KPI_COLD], 1, EPS);
    assert_int_equal(r->n_revived, 0);
    kith_report_free(r);
    kith_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar_helpers),
        cmocka_unit_test(strength_and_peak),
        cmocka_unit_test(balance_labels_and_12_months),
        cmocka_unit_test(usual_gap_is_the_median_of_distinct_days),
        cmocka_unit_test(status_rules_and_boundaries),
        cmocka_unit_test(rule_numbers_as_printf),
        cmocka_unit_test(series_equals_single_moments),
        cmocka_unit_test(layers_by_rank_with_name_ties),
        cmocka_unit_test(reconnect_priority_parts),
        cmocka_unit_test(burstiness_of_known_series),
        cmocka_unit_test(default_month),
        cmocka_unit_test(report_month_over_month),
        cmocka_unit_test(report_build_in_two_phases),
        cmocka_unit_test(report_build_start_then_graph),
        cmocka_unit_test(report_birthdays_and_owe_list),
        cmocka_unit_test(report_profile_completeness),
        cmocka_unit_test(report_from_an_ingested_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
