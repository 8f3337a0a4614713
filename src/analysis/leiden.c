/* Leiden clustering for modularity (Traag, Waltman & van Eck 2019) on a CSR adjacency.
 *
 * Why this is not igraph_community_leiden: at a million persons igraph 0.10's Leiden was the
 * largest single cost of the report (12.6 s for the report month, 5.2 s for the month
 * before, of 47.7 s), and it cannot be made faster from outside. Its inner loop reaches each
 * neighbour through an incidence list of 64-bit edge ids and then three more arrays indexed
 * by edge (from, to, weight), each a likely cache miss when vertices are visited in random
 * order; here a neighbour's id and weight sit side by side in the CSR. It also needs its own
 * copy of the graph (igraph_create: 1.2 s and 0.3 GB at 1 M). The algorithm is the one
 * igraph 0.10 implements, step for step (fast local moving with a queue, refinement with
 * randomness beta inside each cluster, aggregation on the refined partition, until every
 * cluster is one node), with the same objective: CPM with node weights = weighted degree
 * and resolution 1/2m, which is modularity. Only the random numbers differ, so the partition
 * is another of Leiden's near-optimal ones, not igraph's; test_leiden holds the two to the
 * same modularity and networkx checks the value.
 *
 * Determinism: one splitmix64 stream from the seed, consumed in a fixed order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"

typedef struct {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    return kith_splitmix64(&r->s);
}

/* uniform in [0, n), n < 2^32 (Lemire's multiply-shift, without the rejection step) */
static size_t rng_below(rng *r, size_t n)
{
    return (size_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static void shuffle(rng *r, int32_t *a, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rng_below(r, i);
        int32_t t = a[i - 1];
        a[i - 1] = a[j];
        a[j] = t;
    }
}

/* One level's graph: CSR without self-loops, node weights. Level 0 borrows the caller's. */
typedef struct {
    size_t nv;
    const size_t *off;
    const int32_t *adj;
    const double *w;
    double *nw;
    bool owned; /* off, adj, w allocated here */
} level;

static void level_free(level *L)
{
    if (L->owned) {
        free((void *)L->off);
        free((void *)L->adj);
        free((void *)L->w);
    }
    free(L->nw);
    memset(L, 0, sizeof *L);
}

/* What a move looks up about a cluster, in one cache line (a vertex's neighbours' clusters
 * are random accesses: one miss each instead of four). */
typedef struct {
    double w;      /* node weight in the cluster */
    double e;      /* edge weight to it from the node being moved */
    int32_t n;     /* nodes in it */
    uint8_t added; /* in the node's list of neighbouring clusters */
} clu;

/* Scratch arrays, sized for level 0 (the largest) and reused at every level. */
typedef struct {
    clu *cl;         /* cluster (or refined cluster, or aggregate node) -> its state */
    int32_t *empty;  /* stack of empty cluster ids */
    int32_t *queue;  /* circular */
    uint8_t *stable; /* node not in the queue */
    int32_t *nbc;    /* the node's neighbouring clusters */
    double *cum;     /* refinement: cumulative move probabilities over nbc */
    int32_t *rm;     /* refined cluster of a node */
    double *rext;    /* refined cluster -> edge weight to the rest of its cluster */
    uint8_t *nonsingle;
    int32_t *cstart; /* cluster -> first of its nodes in cnodes (k + 1 entries) */
    int32_t *cnodes; /* nodes grouped by cluster */
    int32_t *map;    /* renumbering */
} scratch;

static void scratch_free(scratch *s)
{
    free(s->cl);
    free(s->empty);
    free(s->queue);
    free(s->stable);
    free(s->nbc);
    free(s->cum);
    free(s->rm);
    free(s->rext);
    free(s->nonsingle);
    free(s->cstart);
    free(s->cnodes);
    free(s->map);
}

static bool scratch_init(scratch *s, size_t n)
{
    memset(s, 0, sizeof *s);
    n = n ? n : 1;
    s->cl = calloc(n, sizeof *s->cl);
    s->empty = malloc(n * sizeof *s->empty);
    s->queue = malloc(n * sizeof *s->queue);
    s->stable = malloc(n);
    s->nbc = malloc(n * sizeof *s->nbc);
    s->cum = malloc(n * sizeof *s->cum);
    s->rm = malloc(n * sizeof *s->rm);
    s->rext = malloc(n * sizeof *s->rext);
    s->nonsingle = malloc(n);
    s->cstart = malloc((n + 1) * sizeof *s->cstart);
    s->cnodes = malloc(n * sizeof *s->cnodes);
    s->map = malloc(n * sizeof *s->map);
    return s->cl && s->empty && s->queue && s->stable && s->nbc && s->cum && s->rm && s->rext &&
           s->nonsingle && s->cstart && s->cnodes && s->map;
}

/* Renumbers x[0..n) to 0..k-1 in order of first appearance; returns k. */
static size_t renumber(int32_t *x, size_t n, int32_t *map)
{
    for (size_t i = 0; i < n; i++)
        map[i] = -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (map[x[i]] < 0)
            map[x[i]] = (int32_t)k++;
        x[i] = map[x[i]];
    }
    return k;
}

/* Fast local moving (igraph's fastmovenodes): every node once in random order, then the
 * neighbours of moved nodes again, each to the neighbouring (or an empty) cluster of the
 * largest strict gain. memb in: cluster ids < nv; out: renumbered 0..k-1. Returns k. */
static size_t move_nodes(const level *L, double gamma, int32_t *memb, rng *r, scratch *s)
{
    size_t n = L->nv;
    for (size_t c = 0; c < n; c++) {
        s->cl[c].w = 0;
        s->cl[c].n = 0;
    }
    for (size_t v = 0; v < n; v++) {
        s->cl[memb[v]].w += L->nw[v];
        s->cl[memb[v]].n++;
    }
    size_t n_empty = 0;
    for (size_t c = n; c-- > 0;)
        if (!s->cl[c].n)
            s->empty[n_empty++] = (int32_t)c;
    for (size_t v = 0; v < n; v++) {
        s->queue[v] = (int32_t)v;
        s->stable[v] = 0;
    }
    shuffle(r, s->queue, n);
    size_t head = 0, len = n;
    while (len) {
        int32_t v = s->queue[head];
        head = head + 1 == n ? 0 : head + 1;
        len--;
        int32_t cur = memb[v];
        double nwv = L->nw[v];
        s->cl[cur].w -= nwv;
        if (--s->cl[cur].n == 0)
            s->empty[n_empty++] = cur;
        int32_t top = s->empty[n_empty - 1];
        s->nbc[0] = top;
        s->cl[top].added = 1;
        size_t nn = 1;
        for (size_t k = L->off[v]; k < L->off[v + 1]; k++) {
            int32_t c = memb[L->adj[k]];
            if (!s->cl[c].added) {
                s->cl[c].added = 1;
                s->nbc[nn++] = c;
            }
            s->cl[c].e += L->w[k];
        }
        int32_t best = cur;
        double maxd = s->cl[cur].e - nwv * s->cl[cur].w * gamma;
        for (size_t i = 0; i < nn; i++) {
            int32_t c = s->nbc[i];
            double d = s->cl[c].e - nwv * s->cl[c].w * gamma;
            if (d > maxd) { /* strict: ties keep the node where it is */
                maxd = d;
                best = c;
            }
            s->cl[c].e = 0;
            s->cl[c].added = 0;
        }
        s->cl[best].w += nwv;
        s->cl[best].n++;
        if (best == s->empty[n_empty - 1])
            n_empty--;
        s->stable[v] = 1;
        if (best != cur) {
            memb[v] = best;
            for (size_t k = L->off[v]; k < L->off[v + 1]; k++) {
                int32_t u = L->adj[k];
                if (s->stable[u] && memb[u] != best) {
                    size_t at = head + len;
                    s->queue[at >= n ? at - n : at] = u;
                    len++;
                    s->stable[u] = 0;
                }
            }
        }
    }
    return renumber(memb, n, s->map);
}

/* The nodes 0..n-1 grouped by part[] (ids < k), counting sort: part p's nodes, in node order,
 * are s->cnodes[s->cstart[p] .. s->cstart[p + 1]). */
static void group(const int32_t *part, size_t n, size_t k, scratch *s)
{
    for (size_t p = 0; p <= k; p++)
        s->cstart[p] = 0;
    for (size_t v = 0; v < n; v++)
        s->cstart[part[v] + 1]++;
    for (size_t p = 0; p < k; p++)
        s->cstart[p + 1] += s->cstart[p];
    for (size_t v = 0; v < n; v++)
        s->cnodes[s->cstart[part[v]]++] = (int32_t)v;
    for (size_t p = k; p > 0; p--)
        s->cstart[p] = s->cstart[p - 1];
    s->cstart[0] = 0;
}

/* Refinement (igraph's mergenodes) of every cluster: inside cluster c, starting from
 * singletons, each well-connected singleton node (random order) joins a well-connected
 * refined cluster of its own cluster, chosen at random with probability ~ exp(gain / beta)
 * among those of gain >= 0. Writes s->rm renumbered 0..R-1 (grouped by cluster, for
 * locality) and returns R. */
static size_t refine(const level *L, double gamma, double beta, const int32_t *memb, size_t k,
                     rng *r, scratch *s)
{
    size_t n = L->nv;
    group(memb, n, k, s);

    for (size_t v = 0; v < n; v++) {
        s->rm[v] = (int32_t)v;
        s->cl[v].w = L->nw[v]; /* refined cluster weights */
        s->nonsingle[v] = 0;
        double ext = 0;
        for (size_t e = L->off[v]; e < L->off[v + 1]; e++)
            if (memb[L->adj[e]] == memb[v])
                ext += L->w[e];
        s->rext[v] = ext;
    }
    for (size_t c = 0; c < k; c++) {
        int32_t *nodes = s->cnodes + s->cstart[c];
        size_t nc = (size_t)(s->cstart[c + 1] - s->cstart[c]);
        double total = 0;
        for (size_t i = 0; i < nc; i++)
            total += L->nw[nodes[i]];
        shuffle(r, nodes, nc);
        for (size_t i = 0; i < nc; i++) {
            int32_t v = nodes[i];
            int32_t cur = s->rm[v];
            if (s->nonsingle[cur] || s->rext[cur] < s->cl[cur].w * (total - s->cl[cur].w) * gamma)
                continue;
            double nwv = L->nw[v];
            s->cl[cur].w = 0;
            s->rext[cur] = 0;
            s->nbc[0] = cur;
            s->cl[cur].added = 1;
            size_t nn = 1;
            for (size_t e = L->off[v]; e < L->off[v + 1]; e++) {
                int32_t u = L->adj[e];
                if (memb[u] != (int32_t)c)
                    continue;
                int32_t rc = s->rm[u];
                if (!s->cl[rc].added) {
                    s->cl[rc].added = 1;
                    s->nbc[nn++] = rc;
                }
                s->cl[rc].e += L->w[e];
            }
            int32_t chosen = cur;
            double maxd = 0, tot = 0;
            for (size_t j = 0; j < nn; j++) {
                int32_t rc = s->nbc[j];
                if (s->rext[rc] >= s->cl[rc].w * (total - s->cl[rc].w) * gamma) {
                    double d = s->cl[rc].e - nwv * s->cl[rc].w * gamma;
                    if (d > maxd) {
                        maxd = d;
                        chosen = rc;
                    }
                    if (d >= 0)
                        tot += exp(d / beta);
                }
                s->cum[j] = tot;
            }
            /* the randomised choice; an overflowing exp leaves the best gain (igraph's rule) */
            if (tot < INFINITY) {
                double x = (double)(rng_next(r) >> 11) * 0x1.0p-53 * tot;
                size_t j = 0;
                while (j + 1 < nn && s->cum[j] <= x)
                    j++;
                chosen = s->nbc[j];
            }
            s->cl[chosen].w += nwv;
            for (size_t e = L->off[v]; e < L->off[v + 1]; e++) {
                int32_t u = L->adj[e];
                if (memb[u] != (int32_t)c)
                    continue;
                s->rext[chosen] += s->rm[u] == chosen ? -L->w[e] : L->w[e];
            }
            if (chosen != cur) {
                s->rm[v] = chosen;
                s->nonsingle[chosen] = 1;
            }
            for (size_t j = 0; j < nn; j++) {
                s->cl[s->nbc[j]].e = 0;
                s->cl[s->nbc[j]].added = 0;
            }
        }
    }
    /* renumber in cluster order, so one cluster's aggregate nodes are neighbours in memory */
    for (size_t v = 0; v < n; v++)
        s->map[v] = -1;
    size_t R = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t rc = s->rm[s->cnodes[i]];
        if (s->map[rc] < 0)
            s->map[rc] = (int32_t)R++;
    }
    for (size_t v = 0; v < n; v++)
        s->rm[v] = s->map[s->rm[v]];
    return R;
}

/* The graph of the partition part[] (R parts): one node per part, edge weights summed,
 * edges inside a part dropped (they never change a move's gain). */
static bool aggregate(const level *L, const int32_t *part, size_t R, level *out, scratch *s)
{
    size_t n = L->nv;
    memset(out, 0, sizeof *out);
    size_t *off = calloc(R + 1, sizeof *off);
    int32_t *adj = malloc((L->off[n] ? L->off[n] : 1) * sizeof *adj);
    double *w = malloc((L->off[n] ? L->off[n] : 1) * sizeof *w);
    double *nw = calloc(R ? R : 1, sizeof *nw);
    if (!off || !adj || !w || !nw) {
        free(off);
        free(adj);
        free(w);
        free(nw);
        return false;
    }
    group(part, n, R, s);
    for (size_t v = 0; v < n; v++)
        nw[part[v]] += L->nw[v];
    size_t m = 0;
    for (size_t a = 0; a < R; a++) {
        size_t nn = 0;
        for (int32_t i = s->cstart[a]; i < s->cstart[a + 1]; i++) {
            int32_t v = s->cnodes[i];
            for (size_t e = L->off[v]; e < L->off[v + 1]; e++) {
                int32_t b = part[L->adj[e]];
                if (b == (int32_t)a)
                    continue;
                if (!s->cl[b].added) {
                    s->cl[b].added = 1;
                    s->nbc[nn++] = b;
                }
                s->cl[b].e += L->w[e];
            }
        }
        for (size_t j = 0; j < nn; j++) {
            int32_t b = s->nbc[j];
            adj[m] = b;
            w[m++] = s->cl[b].e;
            s->cl[b].e = 0;
            s->cl[b].added = 0;
        }
        off[a + 1] = m;
    }
    int32_t *adj2 = realloc(adj, (m ? m : 1) * sizeof *adj);
    double *w2 = realloc(w, (m ? m : 1) * sizeof *w);
    *out = (level){R, off, adj2 ? adj2 : adj, w2 ? w2 : w, nw, true};
    return true;
}

kith_err kith_leiden(const kith_csr *g, const double *w, uint64_t seed, double beta, bool start,
                     int32_t *memb, size_t *n_comm, kith_diag *d)
{
    kith_err err = KITH_OK;
    size_t n0 = g->nv;
    scratch s;
    level L = {0}, next = {0};
    int32_t *lm = NULL, *node_of = NULL; /* this level's membership; vertex -> its node */
    rng r = {seed};
    *n_comm = 0;
    if (!n0)
        return KITH_OK;
    bool ok = scratch_init(&s, n0);
    double *nw = calloc(n0, sizeof *nw);
    L = (level){n0, g->off, g->adj, w, nw, false}; /* level_free frees nw */
    lm = malloc(n0 * sizeof *lm);
    node_of = malloc(n0 * sizeof *node_of);
    if (!ok || !nw || !lm || !node_of) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t v = 0; start && v < n0; v++)
        if (memb[v] < 0 || (size_t)memb[v] >= n0) {
            err = kith_diag_set(d, KITH_ERR_GRAPH, NULL, 0,
                                "Leiden's start: community %ld of vertex %zu is not below %zu",
                                (long)memb[v], v, n0);
            goto cleanup;
        }
    double m2 = 0;
    for (size_t v = 0; v < n0; v++) {
        for (size_t e = g->off[v]; e < g->off[v + 1]; e++)
            nw[v] += w[e];
        m2 += nw[v];
        node_of[v] = (int32_t)v;
        lm[v] = start ? memb[v] : (int32_t)v;
    }
    double gamma = m2 > 0 ? 1.0 / m2 : 0;
    for (;;) {
        size_t k = move_nodes(&L, gamma, lm, &r, &s);
        if (k >= L.nv)
            break; /* every cluster is one node: done */
        size_t R = refine(&L, gamma, beta, lm, k, &r, &s);
        const int32_t *part = s.rm;
        if (R >= L.nv) { /* refinement merged nothing: aggregate the clusters themselves */
            part = lm;
            R = k;
        }
        if (!aggregate(&L, part, R, &next, &s)) {
            err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        for (size_t v = 0; v < n0; v++)
            node_of[v] = part[node_of[v]];
        /* each new node starts in the cluster of its members (one cluster: refined parts
         * lie inside clusters) */
        for (size_t v = 0; v < L.nv; v++)
            s.map[part[v]] = lm[v];
        memcpy(lm, s.map, R * sizeof *lm);
        level_free(&L);
        L = next;
        memset(&next, 0, sizeof next);
    }
    for (size_t v = 0; v < n0; v++)
        memb[v] = lm[node_of[v]];
    *n_comm = renumber(memb, n0, s.map);
cleanup:
    level_free(&L);
    level_free(&next);
    scratch_free(&s);
    free(lm);
    free(node_of);
    return err;
}

double kith_modularity(const kith_csr *g, const double *w, const int32_t *memb, size_t n_comm)
{
    double *k = calloc(n_comm ? n_comm : 1, sizeof *k);
    if (!k)
        return NAN;
    double m2 = 0, in = 0;
    for (size_t v = 0; v < g->nv; v++)
        for (size_t e = g->off[v]; e < g->off[v + 1]; e++) {
            m2 += w[e];
            k[memb[v]] += w[e];
            if (memb[g->adj[e]] == memb[v])
                in += w[e];
        }
    double sq = 0;
    for (size_t c = 0; c < n_comm; c++)
        sq += k[c] * k[c];
    free(k);
    return m2 > 0 ? (in - sq / m2) / m2 : NAN;
}
