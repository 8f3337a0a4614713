/* kith_leiden and kith_modularity (src/analysis/leiden.c): hand-computed partitions, and
 * igraph's own Leiden as the reference for quality on random clustered graphs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csr_fixture.h"

typedef struct {
    size_t nv, ne;
    int32_t *eu, *ev; /* edge list */
    double *ew;
    test_csr c; /* its CSR, c.val the weights */
} graph;

static graph *g_new(size_t nv, size_t cap)
{
    graph *g = calloc(1, sizeof *g);
    g->nv = nv;
    g->eu = calloc(cap, sizeof *g->eu);
    g->ev = calloc(cap, sizeof *g->ev);
    g->ew = calloc(cap, sizeof *g->ew);
    return g;
}

static void g_edge(graph *g, int32_t u, int32_t v, double w)
{
    g->eu[g->ne] = u;
    g->ev[g->ne] = v;
    g->ew[g->ne++] = w;
}

static void g_csr(graph *g)
{
    csr_from_edges(&g->c, g->nv, g->ne, g->eu, g->ev, g->ew);
}

static void g_free(graph *g)
{
    free(g->eu);
    free(g->ev);
    free(g->ew);
    test_csr_free(&g->c);
    free(g);
}

/* k cliques of s vertices, clique i joined to clique i + 1 (a ring) by one edge */
static graph *ring_of_cliques(size_t k, size_t s)
{
    graph *g = g_new(k * s, k * s * s);
    for (size_t c = 0; c < k; c++) {
        for (size_t i = 0; i < s; i++)
            for (size_t j = i + 1; j < s; j++)
                g_edge(g, (int32_t)(c * s + i), (int32_t)(c * s + j), 1.0);
        if (k > 1 && (k > 2 || c == 0))
            g_edge(g, (int32_t)(c * s), (int32_t)(((c + 1) % k) * s + 1), 1.0);
    }
    g_csr(g);
    return g;
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* planted partition: nv vertices in groups of `size` (vertex v in group v / size), each
 * vertex with ~din random edges inside its group and ~dout outside, weights in (0.1, 1] */
static graph *planted(size_t nv, size_t size, size_t din, size_t dout, uint64_t seed)
{
    graph *g = g_new(nv, nv * (din + dout));
    /* the pairs so far, open addressing, to keep the graph simple as kith's pp graph is */
    size_t cap = 4 * nv * (din + dout), *set = calloc(cap, sizeof *set);
    for (size_t v = 0; v < nv; v++) {
        size_t base = v / size * size, gs = nv - base < size ? nv - base : size;
        for (size_t k = 0; k < din / 2 + dout / 2; k++) {
            size_t u = k < din / 2 ? base + lcg(&seed) % gs : lcg(&seed) % nv;
            if (u == v)
                continue;
            size_t key = (u < v ? u * nv + v : v * nv + u) + 1, h = key * 2654435761u % cap;
            while (set[h] && set[h] != key)
                h = (h + 1) % cap;
            if (set[h])
                continue;
            set[h] = key;
            g_edge(g, (int32_t)v, (int32_t)u, 0.1 + 0.9 * (double)(lcg(&seed) % 1000) / 999);
        }
    }
    free(set);
    g_csr(g);
    return g;
}

static size_t leiden(graph *g, uint64_t seed, int32_t *memb, bool start)
{
    size_t k = 0;
    kith_diag d;
    assert_int_equal(kith_leiden(&g->c.g, g->c.val, seed, 0.01, start, memb, &k, &d), KITH_OK);
    for (size_t v = 0; v < g->nv; v++)
        assert_true(memb[v] >= 0 && (size_t)memb[v] < k);
    return k;
}

/* igraph's Leiden with the parameters kith uses (graph.c before kith_leiden), and its
 * modularity of `memb` (a partition of ours) in *q_of_ours */
static double igraph_reference(graph *g, uint64_t seed, const int32_t *memb, double *q_of_ours)
{
    igraph_vector_int_t edges, im;
    igraph_vector_t w, nodew;
    igraph_t ig;
    igraph_vector_int_init(&edges, (igraph_integer_t)(2 * g->ne));
    igraph_vector_init(&w, (igraph_integer_t)g->ne);
    igraph_vector_init(&nodew, (igraph_integer_t)g->nv);
    double m2 = 0;
    for (size_t k = 0; k < g->ne; k++) {
        VECTOR(edges)[2 * k] = g->eu[k];
        VECTOR(edges)[2 * k + 1] = g->ev[k];
        VECTOR(w)[k] = g->ew[k];
        VECTOR(nodew)[g->eu[k]] += g->ew[k];
        VECTOR(nodew)[g->ev[k]] += g->ew[k];
        m2 += 2 * g->ew[k];
    }
    igraph_create(&ig, &edges, (igraph_integer_t)g->nv, IGRAPH_UNDIRECTED);
    igraph_vector_int_init(&im, (igraph_integer_t)g->nv);
    igraph_rng_seed(igraph_rng_default(), seed);
    igraph_integer_t nc = 0;
    assert_int_equal(
        igraph_community_leiden(&ig, &w, &nodew, 1.0 / m2, 0.01, false, 1, &im, &nc, NULL),
        IGRAPH_SUCCESS);
    igraph_real_t q = 0;
    igraph_modularity(&ig, &im, &w, 1.0, false, &q);
    for (size_t v = 0; v < g->nv; v++)
        VECTOR(im)[v] = memb[v];
    igraph_real_t q2 = 0;
    igraph_modularity(&ig, &im, &w, 1.0, false, &q2);
    *q_of_ours = q2;
    igraph_vector_int_destroy(&im);
    igraph_destroy(&ig);
    igraph_vector_int_destroy(&edges);
    igraph_vector_destroy(&w);
    igraph_vector_destroy(&nodew);
    return q;
}

/* Two 5-cliques joined by one edge: each clique a community. 21 edges, each side's degrees
 * sum to 21 with 10 edges inside: Q = 2 (20/42 - (21/42)^2) = 19/42. */
static void two_cliques(void **state)
{
    (void)state;
    graph *g = ring_of_cliques(2, 5);
    assert_int_equal(g->ne, 21);
    int32_t memb[10];
    assert_int_equal(leiden(g, 42, memb, false), 2);
    for (int v = 0; v < 10; v++)
        assert_int_equal(memb[v], memb[v / 5 * 5]);
    assert_int_not_equal(memb[0], memb[5]);
    assert_true(fabs(kith_modularity(&g->c.g, g->c.val, memb, 2) - 19.0 / 42) < 1e-15);
    /* everyone in one community: Q = 0; each on their own: Q = -sum (k_i / 2m)^2 */
    int32_t one[10] = {0}, each[10];
    assert_true(fabs(kith_modularity(&g->c.g, g->c.val, one, 1)) < 1e-15);
    double sq = 0;
    for (int v = 0; v < 10; v++) {
        each[v] = v;
        double k = (double)(g->c.off[v + 1] - g->c.off[v]);
        sq += k * k / (42.0 * 42.0);
    }
    assert_true(fabs(kith_modularity(&g->c.g, g->c.val, each, 10) + sq) < 1e-15);
    g_free(g);
}

/* Twelve 6-cliques in a ring (few enough for modularity's resolution limit to keep them
 * apart): the twelve cliques, from any seed and from a bad start. */
static void ring_of_twelve_cliques(void **state)
{
    (void)state;
    graph *g = ring_of_cliques(12, 6);
    int32_t memb[72];
    for (uint64_t seed = 1; seed <= 5; seed++) {
        assert_int_equal(leiden(g, seed, memb, false), 12);
        for (int v = 0; v < 72; v++)
            assert_int_equal(memb[v], memb[v / 6 * 6]);
    }
    /* start: vertices paired across neighbouring cliques (v with v + 6), ids < nv */
    for (int v = 0; v < 72; v++)
        memb[v] = (v % 6 * 12 + v / 6 / 2 * 2) % 72;
    assert_int_equal(leiden(g, 7, memb, true), 12);
    for (int v = 0; v < 72; v++)
        assert_int_equal(memb[v], memb[v / 6 * 6]);
    g_free(g);
}

/* Each community is connected (Leiden's guarantee, which Louvain lacks). */
static void assert_connected(const graph *g, const int32_t *memb, size_t k)
{
    int32_t *seen = calloc(g->nv, sizeof *seen), *queue = malloc(g->nv * sizeof *queue);
    bool *done = calloc(k, sizeof *done);
    for (size_t r = 0; r < g->nv; r++) {
        if (seen[r])
            continue;
        /* a new component inside community memb[r]: it must be the community's first */
        assert_false(done[memb[r]]);
        done[memb[r]] = true;
        size_t head = 0, tail = 0;
        queue[tail++] = (int32_t)r;
        seen[r] = 1;
        while (head < tail) {
            int32_t u = queue[head++];
            for (size_t e = g->c.off[u]; e < g->c.off[u + 1]; e++) {
                int32_t x = g->c.adj[e];
                if (!seen[x] && memb[x] == memb[u]) {
                    seen[x] = 1;
                    queue[tail++] = x;
                }
            }
        }
    }
    free(seen);
    free(queue);
    free(done);
}

/* Random clustered graphs, as noisy as a network's (as many edges between groups as
 * inside): kith's Leiden finds partitions as good as igraph's Leiden (same objective,
 * parameters and one iteration; other random numbers, so compared on average over 120 runs;
 * one run may differ by 0.03 either way; over 900 runs the means were 0.4555 and 0.4557), its
 * communities are connected, the same seed gives the same partition, and kith_modularity is
 * igraph_modularity's value. */
static void as_good_as_igraph(void **state)
{
    (void)state;
    double ours = 0, theirs = 0;
    int runs = 0;
    for (uint64_t gs = 1; gs <= 6; gs++) {
        graph *g = planted(3000, 60 + 20 * gs, 8, 8, gs);
        int32_t *memb = malloc(g->nv * sizeof *memb), *again = malloc(g->nv * sizeof *again);
        for (uint64_t seed = gs * 100; seed < gs * 100 + 20; seed++) {
            size_t k = leiden(g, seed, memb, false);
            assert_connected(g, memb, k);
            double q = kith_modularity(&g->c.g, g->c.val, memb, k), q_ig_ours = 0;
            theirs += igraph_reference(g, seed, memb, &q_ig_ours);
            assert_true(fabs(q - q_ig_ours) < 1e-12);
            ours += q;
            runs++;
        }
        assert_int_equal(leiden(g, gs * 100, again, false), leiden(g, gs * 100, memb, false));
        assert_memory_equal(memb, again, g->nv * sizeof *memb);
        free(memb);
        free(again);
        g_free(g);
    }
    assert_true(ours / runs > theirs / runs - 0.005);
}

/* The degenerate graphs (no vertex, one edge) and a bad start. */
static void tiny(void **state)
{
    (void)state;
    graph *g = g_new(0, 1);
    g_csr(g);
    int32_t memb[2];
    size_t k = 7;
    kith_diag d;
    assert_int_equal(kith_leiden(&g->c.g, g->c.val, 1, 0.01, false, memb, &k, &d), KITH_OK);
    assert_int_equal(k, 0);
    g_free(g);
    g = g_new(2, 1);
    g_edge(g, 0, 1, 0.5);
    g_csr(g);
    assert_int_equal(leiden(g, 1, memb, false), 1);
    assert_true(fabs(kith_modularity(&g->c.g, g->c.val, memb, 1)) < 1e-15);
    /* a start id out of range is refused, not read past the arrays */
    memb[0] = 0;
    memb[1] = 2;
    assert_int_equal(kith_leiden(&g->c.g, g->c.val, 1, 0.01, true, memb, &k, &d), KITH_ERR_GRAPH);
    assert_non_null(strstr(d.reason, "not below 2"));
    g_free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_cliques),
        cmocka_unit_test(ring_of_twelve_cliques),
        cmocka_unit_test(as_good_as_igraph),
        cmocka_unit_test(tiny),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
