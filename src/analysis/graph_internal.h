/* Internal to the graph module and its tests; not part of the public contract. */
#ifndef KITH_GRAPH_INTERNAL_H
#define KITH_GRAPH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include "kith/error.h"

/* splitmix64: a tiny, well-mixed generator for kith's own seeded choices (the employer
 * cycles, Leiden), which must not depend on igraph's global RNG. */
static inline uint64_t kith_splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* true = the owner's Burt constraint through igraph_constraint on a copy of the ego graph
 * (owner edges + pp edges among the owner's contacts) instead of kith's direct sum; false by
 * default. Tests set it to check the two agree. */
extern bool kith_graph_constraint_by_igraph;

/* Employers with more persons than this get the random cycles of graph.h instead of the
 * clique; KITH_EMPLOYER_CLIQUE_MAX by default. Tests raise it to keep exact cliques. */
extern size_t kith_graph_employer_clique_max;

/* pp graphs with at least this many vertices get breadth-first vertex ids (graph.c says
 * why); KITH_RELABEL_MIN by default. */
extern size_t kith_graph_relabel_min;

/* Makes a deliberately invalid igraph call under kith's error handler: returns
 * KITH_ERR_GRAPH with igraph's reason in d, proving a graph error never aborts. */
kith_err kith_graph_check_error_handler(kith_diag *d);

/* An undirected graph as a CSR adjacency: the edges of vertex v are off[v] .. off[v+1]) in
 * adj[] (the other end) and len[] (the length, > 0); each edge appears once from each end,
 * so off[nv] is twice the edge count. */
typedef struct {
    size_t nv;
    const size_t *off;
    const int32_t *adj;
    const double *len;
} kith_csr;

/* Betweenness of every vertex of g over the shortest paths (by total length) from the given
 * sources (NULL: every vertex; n_sources is then ignored) to every vertex, each pair found
 * from both ends counted with weight 1/2: the values of igraph_betweenness (sources NULL) and
 * igraph_betweenness_subset (targets all) with weights = len, up to rounding. out has g->nv
 * entries. Runs on two threads (betweenness.c says why this is not igraph's); the result
 * does not depend on scheduling. Errors: KITH_ERR_NOMEM.
 * Complexity: O(n_sources (E + V) log V) time, O(V + E) memory per thread. */
kith_err kith_betweenness(const kith_csr *g, const int32_t *sources, size_t n_sources,
                          double *out, kith_diag *d);

/* The same in two steps: _start launches the two threads and returns at once (the caller
 * may go on with other work, igraph included: the threads never call igraph), _finish waits
 * for them, writes out (g->nv entries) and frees the run. g and sources must stay valid
 * until _finish. _finish with out NULL only waits and frees (for error paths; d unused).
 * Both accept NULL run from a failed start. Errors: KITH_ERR_NOMEM. */
typedef struct kith_bc_run kith_bc_run;
kith_err kith_betweenness_start(const kith_csr *g, const int32_t *sources, size_t n_sources,
                                kith_bc_run **run, kith_diag *d);
kith_err kith_betweenness_finish(kith_bc_run *run, double *out, kith_diag *d);

/* The same through igraph_betweenness / igraph_betweenness_subset (graph.c): the reference
 * the tests hold kith_betweenness to. Single-threaded; KITH_ERR_GRAPH on an igraph error. */
kith_err kith_betweenness_igraph(const kith_csr *g, const int32_t *sources, size_t n_sources,
                                 double *out, kith_diag *d);

/* Leiden clustering for modularity (leiden.c says why it is not igraph's): CPM with node
 * weights = weighted degree and resolution 1/2m, one iteration of igraph 0.10's algorithm
 * (n_iterations 1), refinement randomness beta (the spec's runs use 0.01), random numbers
 * from seed. w[] holds the edge weights (> 0) beside g->adj; g->len is not read; g must have
 * no self-loops. start: memb[] holds the starting partition (ids < g->nv); else singletons.
 * Out: memb[] the partition, ids 0 .. *n_comm - 1 in order of first appearance.
 * Deterministic for a seed. Errors: KITH_ERR_NOMEM (memb then unspecified), KITH_ERR_GRAPH
 * for a start id out of range.
 * Complexity: O(E) a pass, a few passes; memory O(V + E) beside g. */
kith_err kith_leiden(const kith_csr *g, const double *w, uint64_t seed, double beta, bool start,
                     int32_t *memb, size_t *n_comm, kith_diag *d);

/* Newman's modularity (resolution 1) of the partition memb[] (ids < n_comm) of g weighted by
 * w[]: igraph_modularity's value up to rounding. NAN for a graph without edges or when out
 * of memory. */
double kith_modularity(const kith_csr *g, const double *w, const int32_t *memb, size_t n_comm);

#endif
