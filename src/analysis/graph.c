/* Placeholder until the igraph measures land: leaves every graph measure undefined. */
#include "kith/graph.h"

#include <stdlib.h>

kith_err kith_pp_edges(const kith_model *m, int64_t as_of, kith_pp_edge **out, size_t *n_out,
                       kith_diag *d)
{
    (void)m; (void)as_of; (void)d;
    *out = NULL;
    *n_out = 0;
    return KITH_OK;
}

kith_err kith_graph_measures(kith_report *r, int prev, int with_layout, kith_diag *d)
{
    (void)r; (void)prev; (void)with_layout; (void)d;
    return KITH_OK;
}
