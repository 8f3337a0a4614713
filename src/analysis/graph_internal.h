/* Internal to the graph module and its tests; not part of the public contract. */
#ifndef KITH_GRAPH_INTERNAL_H
#define KITH_GRAPH_INTERNAL_H

#include "kith/error.h"

/* Makes a deliberately invalid igraph call under kith's error handler: returns
 * KITH_ERR_GRAPH with igraph's reason in d, proving a graph error never aborts. */
kith_err kith_graph_check_error_handler(kith_diag *d);

#endif
