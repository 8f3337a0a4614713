/* Shared by test_graph.c and test_leiden.c: a kith_csr built from an edge list, as graph.c's
 * pp_csr builds it from the tie list. Included by one test file each. */
#ifndef KITH_TESTS_CSR_FIXTURE_H
#define KITH_TESTS_CSR_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/analysis/graph_internal.h"

typedef struct {
    kith_csr g; /* g.len = val: lengths for the betweenness */
    size_t *off;
    int32_t *adj;
    double *val; /* beside adj: the edge's value (a length, or Leiden's weight) */
} test_csr;

/* Edge k joins a[k] and b[k] with value val[k]; each appears from both ends, in list order
 * (parallel edges stay parallel). */
static inline void csr_from_edges(test_csr *x, size_t nv, size_t ne, const int32_t *a,
                                  const int32_t *b, const double *val)
{
    x->off = calloc(nv + 1, sizeof *x->off);
    x->adj = malloc((2 * ne + 1) * sizeof *x->adj);
    x->val = malloc((2 * ne + 1) * sizeof *x->val);
    size_t *fill = malloc((nv + 1) * sizeof *fill);
    assert_true(x->off && x->adj && x->val && fill);
    for (size_t k = 0; k < ne; k++) {
        x->off[a[k] + 1]++;
        x->off[b[k] + 1]++;
    }
    for (size_t v = 0; v < nv; v++)
        x->off[v + 1] += x->off[v];
    memcpy(fill, x->off, (nv + 1) * sizeof *fill);
    for (size_t k = 0; k < ne; k++) {
        size_t fa = fill[a[k]]++, fb = fill[b[k]]++;
        x->adj[fa] = b[k];
        x->adj[fb] = a[k];
        x->val[fa] = x->val[fb] = val[k];
    }
    free(fill);
    x->g = (kith_csr){nv, x->off, x->adj, x->val};
}

static inline void test_csr_free(test_csr *x)
{
    free(x->off);
    free(x->adj);
    free(x->val);
    memset(x, 0, sizeof *x);
}

#endif
