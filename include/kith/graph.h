/* The graph measures of spec §3.2–3.3, on igraph. Only src/analysis/graph.c includes
 * <igraph.h>; it installs an error handler so an igraph failure becomes KITH_ERR_GRAPH with a
 * message, never an abort. */
#ifndef KITH_GRAPH_H
#define KITH_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "kith/error.h"
#include "kith/report.h"

/* One undirected weighted person–person edge (a < b), accumulated as of T from
 * co-participation (1/(n-1) per pair per occurrence, 2 <= n <= 20), introductions (+3) and
 * shared current employer (spec §3.2: 0.5/(k-1) per pair, see below for large employers). */
/* Employers at scale: an employer of k <= KITH_EMPLOYER_CLIQUE_MAX persons gets the exact
 * clique of spec §3.2 (0.5/(k-1) per pair). A larger one would cost k(k-1)/2 edges (a
 * synthetic 30 k-person export has employers of 1,000-3,000: 20 M edges, ~1.9 GB), so it
 * gets a sparse stand-in for the clique: d / 2 random cycles through all its members (each a
 * fresh seeded shuffle of them, seeded by the company key), every cycle edge of weight
 * 0.5 / d (a pair on two cycles gets both), d = KITH_EMPLOYER_DENSE_DEGREE up to
 * KITH_EMPLOYER_DENSE_MAX persons and KITH_EMPLOYER_DEGREE above. Each person's employer ties
 * still add up to exactly 0.5, for at most k * d / 2 edges.
 * Random cycles make an expander: like the clique, no cut splits the employer cheaply, so
 * Leiden keeps it whole where the evidence of who talks with whom does not split it. The
 * clique spreads its 0.5 thinly, so where the evidence does split it, a denser stand-in
 * follows better: on the sample export (employers up to ~105) degree 32 gives the exact
 * clique's clusters and degree 8 merges one employer of 105 that the clique splits, while
 * for employers of thousands degree 8 is as close to the clique as the clique is to itself
 * under another Leiden seed and degree 16 doubles Leiden's time at 1 M persons. (A ring
 * lattice, linking each member to its next neighbours in one shuffled order, had been used
 * before: Leiden cut its long rings into arbitrary arcs -- 393 clusters on a 1 M-person
 * export of 28 employers, against 28 now; bench/RESULTS.md.)
 * Warm reach, which asks who shares any pp edge with an active tie, counts such an employer
 * as its clique would: all of it once one of its persons is active. */
#define KITH_EMPLOYER_CLIQUE_MAX 64
#define KITH_EMPLOYER_DENSE_MAX 256
#define KITH_EMPLOYER_DENSE_DEGREE 32
#define KITH_EMPLOYER_DEGREE 8

typedef struct {
    int32_t a, b;
    double w;
} kith_pp_edge;

/* The person–person edges as of `as_of`, sorted by (a, b). *out is malloc'd (caller frees).
 * Groups with t <= as_of and 2..20 distinct persons (a person listed twice counts once);
 * introductions with t <= as_of; employers by company_key, whatever the time (the model
 * only knows the current employer). Out-of-range person indices are ignored.
 * Complexity: O(sum of n^2 over groups + sum of min(k^2 / 2, 16 k) over employers) pair
 * occurrences, radix-sorted and merged in chunks (linear). */
kith_err kith_pp_edges(const kith_model *m, int64_t as_of, kith_pp_edge **out, size_t *n_out,
                       kith_diag *d);

/* As kith_pp_edges, except that each person with exact[i] set (n_persons entries) who works
 * at an employer above KITH_EMPLOYER_CLIQUE_MAX is tied to every colleague with the clique's
 * weight 0.5/(k-1), in place of the cycle ties touching them. For kith intro, which asks who
 * shares an edge with a few target persons: the cycles reach only a few dozen of a target's
 * colleagues, the clique all of them. An employer whose flagged persons would need
 * more than 4 M such ties (flagged x k) keeps its cycles. Same ownership as kith_pp_edges. */
kith_err kith_pp_edges_exact_for(const kith_model *m, int64_t as_of, const bool *exact,
                                 kith_pp_edge **out, size_t *n_out, kith_diag *d);

/* Fills, in r (whose pm[] strengths, statuses, first_event and given_12m/received_12m are
 * already computed for the given side):
 *  - pm[i].cluster and r->clusters (Leiden, modularity, resolution 1, seed r->config.seed;
 *    kith's implementation of igraph 0.10's algorithm, src/analysis/leiden.c);
 *    reported clusters have >= 3 persons, sorted by size descending then smallest member;
 *    r->clusters and its strings are malloc'd (kith_report_free frees name, top_employers,
 *    top_members and the array); earlier clusters in r are freed first;
 *  - pm[i].betweenness (0 for persons without pp edges) and r->brokers (distance =
 *    1/weight; malloc'd). Above nv x (ne + 5 nv) = 1e7 it is estimated from seeded random
 *    pivots, 1e7 / (ne + 5 nv) of them, at least 8 (r->betweenness_sampled = true). Computed by kith's own Brandes on two threads of its
 *    own (src/analysis/betweenness.c; igraph is only ever called from the calling thread);
 *    the values are igraph_betweenness's up to rounding and do not depend on scheduling;
 *  - kpi[] CLUSTERS, CLUSTER_COVERAGE, MODULARITY, WARM_REACH, RECIPROCITY, CONSTRAINT,
 *    EFFECTIVE_SIZE, EFFICIENCY;
 *  - r->layout (only when `with_layout`; freed and refilled). n_hidden counts persons with
 *    strength > 0 or a pp edge beyond the 2,000 drawn; the owner is node 0 at (0.5, 0.5).
 * pp graphs of 50,000 vertices or more number their vertices breadth-first (cache locality
 * for Leiden and betweenness); which of several near-equal partitions Leiden finds, and which
 * persons the pivots are, depend on that numbering (deterministic either way).
 * Owner–person edge: weight strength(T), or 0.1 for a person with strength 0 and a
 * connection made by T or an event by T (first_event). Persons not in the data yet at T
 * (no event by T, connected_on after T, or undated with all their events after T; the
 * measures' rule) get no owner edge and their pp edges are dropped.
 * `prev` selects the previous month's side (r->pm_prev, r->kpi_prev, as of r->prev_as_of):
 * Leiden is rerun on that month's graph for its CLUSTERS, MODULARITY and CLUSTER_COVERAGE
 * KPIs, starting from the report month's clusters when r->clusters holds them (so run the
 * report month first), but r->clusters, pm_prev[i].cluster, r->brokers and the layout are
 * not touched, and pm_prev[i].betweenness is set to NAN (not computed).
 * Errors: KITH_ERR_GRAPH with igraph's reason in d (never an abort), KITH_ERR_NOMEM.
 * Complexity: O(E log E) for edges and clusters, plus betweenness: exact O(V E log V) up to
 * the budget, else about max(1e7, 8 (E + 5 V)) edge relaxations' worth; layout
 * O(iterations x (n + edges)).
 * Measured (CPU seconds of the calling thread, 2 shared cores, kith synth exports with ~10
 * events per person, bench/RESULTS.md; this month + the month before): 3,000 persons (38 k
 * pp edges, betweenness from 188 pivots on its own threads): 0.04 + 0.01 s; 300,000
 * persons: 1.9 + 0.8 s (Leiden 1.3 + 0.35 s), peak RSS of the whole report 498 MiB;
 * 1,000,000 persons: 7.7 + 3.8 s (Leiden 5.1 + 1.8 s; 10.8 + 4.8 s in a slow quarter hour
 * of the shared machine), peak 1,579 MiB. With exact employer cliques 30,000 persons made
 * 20 M pp edges: ~47 s and 1.9 GB. */
kith_err kith_graph_measures(kith_report *r, int prev, int with_layout, kith_diag *d);

/* Frees the arrays of a layout filled by kith_graph_measures and zeroes it (the struct itself
 * is not freed: it lives inside kith_report). Accepts NULL and an all-zero layout. */
void kith_layout_free(kith_layout *l);

#endif
