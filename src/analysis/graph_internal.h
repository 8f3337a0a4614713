/* Internal to the graph module and its tests; not part of the public contract. */
#ifndef KITH_GRAPH_INTERNAL_H
#define KITH_GRAPH_INTERNAL_H

#include <stddef.h>

#include "kith/error.h"

/* Ego graphs (owner edges + pp edges among the owner's contacts) with more edges than this
 * get Burt's constraint summed directly rather than through igraph_constraint, which needs a
 * second igraph copy of the graph. Tests set it to 0 to check both paths agree. */
extern size_t kith_graph_constraint_igraph_max_edges;

/* Employers with more persons than this get the ring lattice of graph.h instead of the
 * clique; KITH_EMPLOYER_CLIQUE_MAX by default. Tests raise it to keep exact cliques. */
extern size_t kith_graph_employer_clique_max;

/* Makes a deliberately invalid igraph call under kith's error handler: returns
 * KITH_ERR_GRAPH with igraph's reason in d, proving a graph error never aborts. */
kith_err kith_graph_check_error_handler(kith_diag *d);

#endif
