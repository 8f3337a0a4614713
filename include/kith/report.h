/* The report model: every measure of spec §3 for one month, as plain numbers and strings.
 *
 * kith_report_build() (src/analysis/) computes it from a frozen kith_model; the writers in
 * src/output/ (workbook, charts, PDF, summary.json) only format it and never recompute a
 * measure, so they cannot disagree. Undefined numbers are NAN (written as blank / null). */
#ifndef KITH_REPORT_H
#define KITH_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "kith/config.h"
#include "kith/error.h"
#include "kith/model.h"

/* Tie status at T (spec §3.1), in rule order. */
typedef enum {
    KITH_ST_NEW,
    KITH_ST_LATENT,
    KITH_ST_DORMANT,
    KITH_ST_COLD,
    KITH_ST_FADING,
    KITH_ST_ACTIVE,
    KITH_ST__COUNT
} kith_status;
const char *kith_status_name(kith_status s); /* "new", "latent", ... */

typedef enum { KITH_LABEL_NONE, KITH_LABEL_BALANCED, KITH_LABEL_YOU_OWE, KITH_LABEL_THEY_OWE } kith_label;
const char *kith_label_name(kith_label l); /* "", "balanced", "you owe", "they owe" */

/* Which status rule fired (spec §3.1); kith_measures_rule words it with its numbers. */
typedef enum {
    KITH_RULE_NONE, /* not measured */
    KITH_RULE_NEW_CONNECTED,
    KITH_RULE_NEW_FIRST,
    KITH_RULE_LATENT,
    KITH_RULE_DORMANT_FIXED, /* --dormant-days */
    KITH_RULE_DORMANT_GAP,
    KITH_RULE_DORMANT_NO_GAP,
    KITH_RULE_COLD,
    KITH_RULE_RHYTHM_GAP, /* fading or active, against the usual gap */
    KITH_RULE_RHYTHM_NO_GAP,
    KITH_RULE_NOT_YET /* latent: not in the data yet at T */
} kith_rule;

/* Per-person measures at T (spec §3.1); one per kith_model.persons entry, same index. */
typedef struct {
    double given, received;         /* all time up to T */
    double given_12m, received_12m; /* the 12 months up to T */
    double balance;                 /* NAN when given + received == 0 */
    uint8_t label;                  /* kith_label; NONE when balance is NAN */
    uint8_t status;                 /* kith_status */
    uint8_t rule;                   /* kith_rule: the status rule that fired */
    int64_t first_event;            /* KITH_NO_TIME when none */
    int64_t last_contact;           /* KITH_NO_TIME when none */
    double silent_days;             /* NAN when no contact */
    double usual_gap;               /* NAN when fewer than 3 distinct contact days */
    double strength, peak_strength;
    int layer;                      /* 1..5, 0 = none */
    int cluster;                    /* index into kith_report.clusters, -1 = none */
    double betweenness;             /* on the person–person graph; NAN when not computed */
    double priority;                /* reconnect priority; NAN unless dormant or fading */
    double engagement, mutuality, novelty;
} kith_person_measures;

/* Every KPI of the Summary sheet and summary.json, in display order. */
#define KITH_KPI_LIST(X)                                                                     \
    X(PERSONS, "persons", "Persons", 1)                                                      \
    X(CONNECTIONS, "connections", "Connections", 1)                                          \
    X(NEW_CONNECTIONS, "new_connections", "New connections this month", 1)                   \
    X(NEW_TIES, "new_ties", "New ties", 1)                                                   \
    X(ACTIVE_TIES, "active_ties", "Active ties (active or new)", 1)                          \
    X(FADING, "fading", "Fading ties", 1)                                                    \
    X(DORMANT, "dormant", "Dormant ties", 1)                                                 \
    X(COLD, "cold", "Cold ties", 1)                                                          \
    X(LATENT, "latent", "Latent ties", 1)                                                    \
    X(ORGANIZATIONS, "organizations", "Organizations", 1)                                    \
    X(ORGANIZATIONS_ACTIVE, "organizations_active", "Organizations with an active tie", 1)   \
    X(WARM_REACH, "warm_reach", "Warm reach", 1)                                             \
    X(CLUSTERS, "clusters", "Clusters", 1)                                                   \
    X(CLUSTER_COVERAGE, "cluster_coverage", "Cluster coverage", 0)                           \
    X(MODULARITY, "modularity", "Modularity", 0)                                             \
    X(MESSAGES_SENT, "messages_sent", "Messages sent", 1)                                    \
    X(MESSAGES_RECEIVED, "messages_received", "Messages received", 1)                        \
    X(GIVEN, "given", "Given (weight, month)", 0)                                            \
    X(RECEIVED, "received", "Received (weight, month)", 0)                                   \
    X(GIVEN_12M, "given_12m", "Given (weight, 12 months)", 0)                                \
    X(RECEIVED_12M, "received_12m", "Received (weight, 12 months)", 0)                       \
    X(RECIPROCITY, "reciprocity", "Reciprocity", 0)                                          \
    X(YOU_OWE, "you_owe", "You owe", 1)                                                      \
    X(THEY_OWE, "they_owe", "They owe", 1)                                                   \
    X(ENDORSEMENTS_GIVEN, "endorsements_given", "Endorsements given", 1)                     \
    X(ENDORSEMENTS_RECEIVED, "endorsements_received", "Endorsements received", 1)            \
    X(RECOMMENDATIONS_GIVEN, "recommendations_given", "Recommendations given", 1)            \
    X(RECOMMENDATIONS_RECEIVED, "recommendations_received", "Recommendations received", 1)   \
    X(INVITATIONS_SENT, "invitations_sent", "Invitations sent", 1)                           \
    X(INVITATIONS_RECEIVED, "invitations_received", "Invitations received", 1)               \
    X(POSTS, "posts", "Posts", 1)                                                            \
    X(COMMENTS, "comments", "Comments", 1)                                                   \
    X(CONSTRAINT, "constraint", "Constraint (Burt)", 0)                                      \
    X(EFFECTIVE_SIZE, "effective_size", "Effective size", 0)                                 \
    X(EFFICIENCY, "efficiency", "Efficiency", 0)                                             \
    X(ACTIVE_MONTHS, "active_months", "Active months (of 12)", 1)                            \
    X(BURSTINESS, "burstiness", "Burstiness", 0)                                             \
    X(PROFILE_COMPLETENESS, "profile_completeness", "Profile completeness", 0)               \
    X(BIRTHDAYS_NEXT_30D, "birthdays_next_30d", "Birthdays in the next 30 days", 1)

#define KITH_KPI_ENUM(id, key, label, is_count) KITH_KPI_##id,
typedef enum { KITH_KPI_LIST(KITH_KPI_ENUM) KITH_KPI__COUNT } kith_kpi;
#undef KITH_KPI_ENUM

typedef struct {
    const char *key;   /* summary.json key */
    const char *label; /* Summary sheet label */
    int is_count;      /* integer in JSON */
} kith_kpi_def;
extern const kith_kpi_def kith_kpi_defs[KITH_KPI__COUNT];

typedef struct {
    int id;                 /* 1-based, by size descending */
    char *name;             /* "Globex · 42" */
    int size;
    int active;             /* active or new ties in it */
    char *top_employers;    /* "Globex (12); Acme (5); Initech (2)" */
    char *top_members;      /* the strongest five names, "; "-joined */
} kith_cluster;

/* One calendar month of the 12 up to T (index 11 = the report month). */
typedef struct {
    char label[8];                        /* "2026-10" */
    int64_t start, end;                   /* first and last second */
    double given[KITH_K__COUNT];          /* weights out, by kind */
    double received[KITH_K__COUNT];       /* weights in, by kind */
    int out_events, in_events;
    int status[KITH_ST__COUNT];           /* tie-status counts at the month's end */
    int activity[KITH_ACT__COUNT];        /* posts, comments, reactions */
    int new_connections;
    int endorsements_given, endorsements_received;
    int recommendations_given, recommendations_received;
    int invitations_sent, invitations_received;
} kith_month;

/* A row of the reciprocity ledger: one person and one kind. */
typedef struct {
    int32_t person;
    uint8_t kind;
    double given, received;
    int n_given, n_received;
} kith_ledger_row;

/* A change since last month. */
typedef struct {
    int32_t person;
    uint8_t from, to; /* statuses, or layers for layer moves */
} kith_change;

typedef struct {
    int32_t person;
    int64_t next; /* the next birthday's date (midnight UTC) */
} kith_birthday;

/* The profile checklist of spec §3.4. */
typedef struct {
    bool headline, summary, industry, location, current_position, skills5;
} kith_profile_check;

/* What the cluster map draws: the owner (index n_nodes-1 is not used: the owner is node 0)
 * and up to 2,000 persons, positions in [0,1]^2 from an igraph layout with a fixed seed. */
typedef struct {
    size_t n_nodes;          /* node 0 is the owner */
    int32_t *person;         /* node -> person index (-1 for the owner) */
    double *x, *y;
    size_t n_edges;
    int32_t *edge_from, *edge_to; /* node indices */
    double *edge_weight;
    size_t n_hidden;         /* persons not drawn (beyond the 2,000 strongest) */
} kith_layout;

typedef struct {
    const kith_model *model;  /* borrowed: must outlive the report */
    kith_config config;
    char month[8];            /* "2026-10" */
    int64_t as_of;            /* the month's last second */
    char prev_month[8];
    int64_t prev_as_of;

    kith_person_measures *pm;      /* n = model->n_persons, at as_of */
    kith_person_measures *pm_prev; /* the same at prev_as_of */

    double kpi[KITH_KPI__COUNT];      /* this month; NAN = undefined */
    double kpi_prev[KITH_KPI__COUNT]; /* the month before */

    kith_cluster *clusters;   /* reported clusters (size >= 3), by size descending */
    size_t n_clusters;

    kith_month months[12];    /* oldest first; months[11] is the report month */

    int32_t *neglected;       /* dormant and fading persons, by priority descending */
    size_t n_neglected;
    int32_t *brokers;         /* top 20 by betweenness, descending */
    size_t n_brokers;
    int32_t *you_owe;         /* persons labelled "you owe", most received first */
    size_t n_you_owe;
    kith_birthday *birthdays; /* known birthdays in the next 30 days, soonest first */
    size_t n_birthdays;

    kith_ledger_row *ledger;  /* by person, then kind; rows with anything given or received */
    size_t n_ledger;

    kith_change *became_dormant, *revived, *layer_moves;
    size_t n_became_dormant, n_revived, n_layer_moves;
    int layer_counts[6], layer_counts_prev[6]; /* index 1..5; 0 = none */

    kith_profile_check profile;
    bool betweenness_sampled; /* betweenness estimated (cutoff), said in the workbook */
    kith_layout layout;

    /* Non-NULL between kith_report_build_begin and kith_report_build_finish: the month
     * before is not measured yet. Private to report.c. */
    struct kith_report_pending *pending;
} kith_report;

/* Computes every measure for `month` ("YYYY-MM"; NULL or "" = the last complete month before
 * the export date) and the month before. *out is owned by the caller: kith_report_free.
 * Complexity: O(E log E + P) for the per-person measures plus the graph measures (see graph.h). */
kith_err kith_report_build(const kith_model *m, const kith_config *cfg, const char *month,
                           kith_report **out, kith_diag *d);
void kith_report_free(kith_report *r); /* accepts NULL */

/* kith_report_build in phases, so a caller can overlap work with the later ones (kith report
 * writes the workbook's sheets in another thread meanwhile).
 *
 * _start measures the report month but its graph. When it returns, these fields are final
 * and are never written again: model, config, month, as_of, prev_month, prev_as_of, months,
 * you_owe, birthdays, ledger, profile, n_neglected, the change lists (became_dormant,
 * revived, layer_moves: from statuses and layers, no graph), layer_counts and
 * layer_counts_prev; neglected holds its final members, in person order; in pm every member
 * but cluster, betweenness, priority, engagement, mutuality and novelty; in kpi every entry
 * but the graph's (warm reach, clusters, cluster coverage, modularity, reciprocity,
 * constraint, effective size, efficiency). On error *out is NULL.
 *
 * _graph measures the report month's graph (igraph: clusters, brokers, betweenness, layout),
 * the priorities, and sorts neglected by priority. Then these are final too: pm, kpi,
 * clusters, neglected, brokers, betweenness_sampled, layout. It writes nothing listed as
 * final after _start, so another thread may read that while it runs. A no-op once done.
 *
 * _begin is _start + _graph (on error *out is NULL). The month before is then partial
 * (pm_prev without its graph measures and priorities, kpi_prev without its graph KPIs) and
 * r->pending is set.
 *
 * _finish runs _graph if needed, then measures the month before's graph (its graph
 * measures and priorities); it writes only pm_prev, kpi_prev and pending, so another thread
 * may read the final fields above while it runs. A no-op on a finished
 * report. On error the report stays partial (free it); the same holds for _graph.
 * kith_report_build = _begin + _finish. */
kith_err kith_report_build_start(const kith_model *m, const kith_config *cfg, const char *month,
                                 kith_report **out, kith_diag *d);
kith_err kith_report_build_graph(kith_report *r, kith_diag *d);
kith_err kith_report_build_begin(const kith_model *m, const kith_config *cfg, const char *month,
                                 kith_report **out, kith_diag *d);
kith_err kith_report_build_finish(kith_report *r, kith_diag *d);

/* The default report month for a model: "YYYY-MM" of the last complete month before
 * m->export_time. buf holds at least 8 bytes. */
void kith_report_default_month(const kith_model *m, char buf[8]);

#endif
