/* Report definitions (one .ini file per report in reports/, read with inih): which sheets
 * and charts a report writes, the event weights, the half-life and the thresholds of spec §3.1.
 *
 * File format:
 *   [report]      name = monthly | neglected | clusters
 *                 sheets = Summary, Habits, Contacts, Neglected, Reciprocity, Clusters, Monthly, Charts
 *                 charts = cluster-map, activity, tie-status, reciprocity, layers
 *                 pdf = true | false
 *   [weights]     message = 1, email = 1, ... (every kind of kith_kind_name)
 *   [measures]    half_life_days, new_days, dormant_multiplier, dormant_min_days,
 *                 dormant_default_days, fading_multiplier, fading_min_days,
 *                 fading_default_days, peak_min, owe_ratio, owe_min, dormant_days (0 = rhythm)
 * An unknown section or key, or a bad value, is KITH_ERR_CONFIG naming the file and line. */
#ifndef KITH_CONFIG_H
#define KITH_CONFIG_H

#include <stdbool.h>

#include "kith/error.h"
#include "kith/model.h"

typedef enum {
    KITH_SHEET_SUMMARY,
    KITH_SHEET_HABITS,
    KITH_SHEET_CONTACTS,
    KITH_SHEET_NEGLECTED,
    KITH_SHEET_RECIPROCITY,
    KITH_SHEET_CLUSTERS,
    KITH_SHEET_MONTHLY,
    KITH_SHEET_CHARTS,
    KITH_SHEET__COUNT
} kith_sheet;

typedef enum {
    KITH_CHART_CLUSTER_MAP,
    KITH_CHART_ACTIVITY,
    KITH_CHART_TIE_STATUS,
    KITH_CHART_RECIPROCITY,
    KITH_CHART_LAYERS,
    KITH_CHART__COUNT
} kith_chart;

const char *kith_sheet_name(kith_sheet s);  /* "Summary", ... */
const char *kith_chart_name(kith_chart c);  /* "cluster-map", ... */

typedef struct {
    char name[32];                  /* "monthly" */
    bool sheets[KITH_SHEET__COUNT];
    bool charts[KITH_CHART__COUNT];
    bool pdf;                       /* network-health-YYYY-MM.pdf */
    bool summary_json;
    double weights[KITH_K__COUNT];
    double half_life_days;          /* 180 */
    double new_days;                /* 30 */
    double dormant_multiplier;      /* 8 */
    double dormant_min_days;        /* 90 */
    double dormant_default_days;    /* 365 */
    double fading_multiplier;       /* 3 */
    double fading_min_days;         /* 45 */
    double fading_default_days;     /* 180 */
    double cold_days;               /* 365 */
    double peak_min;                /* 2 */
    double owe_ratio;               /* 1/3 */
    double owe_min;                 /* 4 */
    double dormant_days;            /* 0 = the rhythm rule; else --dormant-days N */
    unsigned long seed;             /* Leiden and layout seed: 42 */
} kith_config;

/* The built-in defaults of spec §2/§3 for report `name` (monthly, neglected, clusters). */
void kith_config_defaults(kith_config *c, const char *name);

/* Loads a report definition over the defaults of the name it declares. */
kith_err kith_config_load(kith_config *c, const char *path, kith_diag *d);

#endif
