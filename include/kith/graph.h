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
 * shared current employer (0.5/(k-1) per pair). */
typedef struct {
    int32_t a, b;
    double w;
} kith_pp_edge;

/* The person–person edges as of `as_of`, sorted by (a, b). *out is malloc'd (caller frees).
 * Complexity: O(sum of n^2 over groups + sum of k^2 over employers, log-sorted). */
kith_err kith_pp_edges(const kith_model *m, int64_t as_of, kith_pp_edge **out, size_t *n_out,
                       kith_diag *d);

/* Fills, in r (whose pm[] strengths, statuses and balances are already computed for the
 * given side):
 *  - pm[i].cluster and r->clusters (Leiden, modularity, resolution 1, seed r->config.seed);
 *  - pm[i].betweenness and r->brokers (distance = 1/weight);
 *  - kpi[] CLUSTERS, CLUSTER_COVERAGE, MODULARITY, WARM_REACH, RECIPROCITY, CONSTRAINT,
 *    EFFECTIVE_SIZE, EFFICIENCY;
 *  - r->layout (only when `with_layout`).
 * `prev` selects the previous month's side (r->pm_prev, r->kpi_prev, as of r->prev_as_of):
 * clusters, brokers and layout are then not touched. */
kith_err kith_graph_measures(kith_report *r, int prev, int with_layout, kith_diag *d);

/* Frees the arrays of a layout filled by kith_graph_measures and zeroes it (the struct itself
 * is not freed: it lives inside kith_report). Accepts NULL and an all-zero layout. */
void kith_layout_free(kith_layout *l);

#endif
