/* Per-person measures of spec §3.1 as of a moment T, and the small calendar and statistics
 * helpers the report builder shares with them. Plain C, no third-party library.
 *
 * Definitions chosen where the spec leaves room (the workbook's rule column shows them):
 *  - "12 months up to T" are the 12 calendar months ending with T's month: events with
 *    t >= the first second of the month 11 months before T's month, and t <= T. For a report
 *    (T = a month's last second) that is exactly the 12 months of kith_report.months[], so the
 *    Monthly sheet adds up to the 12-month KPIs.
 *  - balance, label, the ledger use all-time given/received (up to T).
 *  - silent days = (T - last contact) / 86400, fractional; last contact is the latest event of
 *    any kind and weight.
 *  - usual gap: the median gap in days between the distinct UTC calendar days with any event,
 *    when there are 3 or more such days (2 or more gaps); an even count takes the mean of the
 *    two middle gaps.
 *  - "within the last N days" (status new) means T - t < N days, t <= T.
 *  - a person is *known* at T when an event of theirs is at or before T, or they were
 *    connected at or before T, or nothing dates them at all (a contacts entry with no event
 *    and no date). A person known only later (connected after T, first event after T) is
 *    not counted in any KPI of T: last month's numbers are what last month's export gave.
 *    Such a person gets status latent with the rule "latent: not in the data yet".
 *  - mutuality of a tie with no weight either way is 1 (cannot happen for dormant and
 *    fading ties: they have an event of weight > 0).
 *  - novelty: the share of the person's cluster (pm[].cluster, members known at T) that is
 *    not an active tie (active or new); 1 for a person in no cluster. */
#ifndef KITH_MEASURES_H
#define KITH_MEASURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/config.h"
#include "kith/error.h"
#include "kith/model.h"
#include "kith/report.h"

/* Computes pm[0 .. m->n_persons) as of T: given/received (all time, 12 months), balance and
 * label, first event, last contact, silent days, usual gap, strength and peak strength with
 * half-life cfg->half_life_days, status and the rule that fired, and the Dunbar layer.
 * cluster is set to -1, betweenness and the priority parts to NAN (filled later).
 * known (may be NULL) receives 1 for persons known at T, else 0.
 * Events after T are ignored. Complexity: O(E + P) (the usual gap is a linear-time
 * selection over each person's distinct contact days), plus O(P log P) for the layers. */
kith_err kith_measures_at(const kith_model *m, const kith_config *cfg, int64_t T,
                          kith_person_measures *pm, uint8_t *known, kith_diag *d);

/* The same at several moments Ts[0..nT) in ascending order, in one sweep per person (each
 * event is read once however many moments there are). For each j, pms[j] (pms or pms[j] may
 * be NULL) receives the full measures at Ts[j] as kith_measures_at would; known[j] (may be
 * NULL) the known flags; counts[j] (counts may be NULL) the status counts among the known
 * persons. Used for the report month, the month before and the tie-status series.
 * Complexity: O(E + nT * (P + D)) for D distinct contact days in all. From
 * kith_measures_thread_min persons on, half the persons are measured in a second thread
 * (the same results: each person's measures depend on that person's events alone). */
extern size_t kith_measures_thread_min; /* 20,000; tests lower it */
kith_err kith_measures_series(const kith_model *m, const kith_config *cfg, const int64_t *Ts,
                              size_t nT, kith_person_measures *const *pms,
                              uint8_t *const *known, int (*counts)[KITH_ST__COUNT],
                              kith_diag *d);

/* The status rule that fired for p (measured as of T under cfg; person its entry), in words
 * with its numbers, into buf (size n): "dormant: silent 200 d > max(8 x 14 d gap, 90)";
 * "" for a p never measured. Returns buf. Measures store only which rule fired (a byte, not
 * 96 bytes of text per person and month: 1 M persons, two months) and the text is made
 * only for the rows that show it. */
const char *kith_measures_rule(const kith_person_measures *p, const kith_person *person,
                               const kith_config *cfg, int64_t T, char *buf, size_t n);

/* Reconnect priority (spec §3.1) for the dormant and fading persons of pm[0..n) among the
 * known ones (known may be NULL = all): engagement, mutuality, novelty and their mean.
 * Needs pm[].cluster (-1 = none). Others get NAN. O(P). */
kith_err kith_measures_priorities(kith_person_measures *pm, const uint8_t *known, size_t n);

/* Burstiness B = (sigma - mu) / (sigma + mu) of x[0..n) with the population standard
 * deviation (Goh & Barabasi 2008); NAN when mu = sigma = 0 or n = 0. */
double kith_burstiness(const double *x, size_t n);

/* UTC calendar helpers (proleptic Gregorian). A month index is year * 12 + (month - 1). */
int64_t kith_utc_month_index(int64_t t);                      /* the month index of t */
int64_t kith_utc_month_start(int64_t month_index);            /* its first second */
int64_t kith_utc_month_end(int64_t month_index);              /* its last second */
/* The first second of the 12-month window that ends with T's month. */
int64_t kith_utc_twelve_month_start(int64_t T);

#endif
