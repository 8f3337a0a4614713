/* Weighted betweenness (Brandes 2001) on a CSR adjacency, on two threads.
 *
 * Why this one measure is not igraph's: Debian's igraph 0.10 is built without thread
 * safety, so it can never use the second core, and its weighted search pays for generic
 * containers (an incidence list of 64-bit edge ids, a parent vector per vertex that grows
 * by push_back, an O(V) heap allocation per source, a call to igraph_cmp_epsilon per edge).
 * Betweenness is by far the costliest graph measure (0.34 s of CPU at 3 k persons, 31 s at
 * 1 M), and Brandes' algorithm is short. This file reproduces igraph_betweenness /
 * igraph_betweenness_subset exactly: distances kept as 1 + length and compared with the
 * same relative epsilon (IGRAPH_SHORTEST_PATH_EPSILON, 1e-10), so paths igraph counts as
 * tied are tied here too, and the same 0.5 factor for undirected pairs. The tests compare it
 * with networkx on fixtures and with igraph on a synthetic export.
 *
 * Determinism: sources are split between the two parts by parity (source i goes to part
 * i % 2); each part sums into its own array and the two arrays are added in part order. The
 * split does not depend on thread scheduling, and a part whose thread cannot be started runs
 * on the calling thread in kith_betweenness_finish, which gives the same bits. */
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"

#define PARTS 2
#define EPS 1e-10 /* igraph's IGRAPH_SHORTEST_PATH_EPSILON */

/* igraph_cmp_epsilon(a, b, EPS) for the finite positive distances used here (both >= 1, as
 * every distance is stored plus one): equal when the difference relative to |a| + |b| is
 * below EPS. */
static inline int cmp_eps(double a, double b)
{
    if (a == b)
        return 0;
    double diff = a - b;
    double sum = fabs(a) + fabs(b);
    if (fabs(diff) / sum < EPS)
        return 0;
    return diff < 0 ? -1 : 1;
}

typedef struct {
    const kith_csr *g;
    const int32_t *sources; /* NULL: every vertex */
    size_t n_sources;
    int part;
    double *bc; /* nv, this part's sum */
    bool ok;
} part_job;

/* A binary min-heap of vertices keyed by dist[], with positions for decrease-key. */
typedef struct {
    int32_t *h;
    int32_t *pos; /* vertex -> heap slot */
    size_t n;
    const double *key;
} vheap;

/* 4-ary: half the levels of a binary heap, and a vertex's children share a cache line */
static inline void heap_up(vheap *q, size_t i)
{
    int32_t v = q->h[i];
    double k = q->key[v];
    while (i > 0) {
        size_t p = (i - 1) / 4;
        int32_t u = q->h[p];
        if (q->key[u] <= k)
            break;
        q->h[i] = u;
        q->pos[u] = (int32_t)i;
        i = p;
    }
    q->h[i] = v;
    q->pos[v] = (int32_t)i;
}

static inline int32_t heap_pop(vheap *q)
{
    int32_t top = q->h[0];
    int32_t v = q->h[--q->n];
    if (q->n) {
        size_t i = 0;
        double k = q->key[v];
        for (;;) {
            size_t c = 4 * i + 1;
            if (c >= q->n)
                break;
            size_t end = c + 4 < q->n ? c + 4 : q->n;
            size_t m = c;
            double km = q->key[q->h[c]];
            for (size_t j = c + 1; j < end; j++) {
                double kj = q->key[q->h[j]];
                if (kj < km) {
                    km = kj;
                    m = j;
                }
            }
            if (km >= k)
                break;
            q->h[i] = q->h[m];
            q->pos[q->h[i]] = (int32_t)i;
            i = m;
        }
        q->h[i] = v;
        q->pos[v] = (int32_t)i;
    }
    return top;
}

/* A tie in igraph's sense: b is a known distance (>= 1), a a candidate within the epsilon. The
 * cheap bound first: |a - b| / (a + b) < EPS implies |a - b| < 4 EPS b for such values, and
 * most edges fail it, so the division is rarely reached. */
static inline bool tied(double a, double b)
{
    return fabs(a - b) < 4 * EPS * b && cmp_eps(a, b) == 0;
}

static void *run_part(void *arg)
{
    part_job *job = arg;
    const kith_csr *g = job->g;
    const size_t nv = g->nv;
    const size_t *off = g->off;
    const int32_t *adj = g->adj;
    const double *len = g->len;
    double *dist = malloc(nv * sizeof *dist);   /* 1 + distance from the source, inf = unseen */
    double *sigma = calloc(nv, sizeof *sigma); /* shortest paths from the source */
    double *coef = calloc(nv, sizeof *coef);   /* (1 + dependency) / sigma, once final */
    int32_t *order = malloc(nv * sizeof *order); /* vertices in the order they settle */
    vheap q = {malloc(nv * sizeof(int32_t)), malloc(nv * sizeof(int32_t)), 0, dist};

    job->ok = dist && sigma && coef && order && q.h && q.pos;
    if (!job->ok)
        goto cleanup;
    for (size_t v = 0; v < nv; v++) {
        dist[v] = INFINITY;
        q.pos[v] = -1; /* -1 never queued, -2 settled */
    }

    for (size_t i = (size_t)job->part; i < job->n_sources; i += PARTS) {
        int32_t s = job->sources ? job->sources[i] : (int32_t)i;
        size_t n = 0;
        dist[s] = 1.0;
        sigma[s] = 1.0;
        q.h[0] = s;
        q.pos[s] = 0;
        q.n = 1;
        /* Dijkstra counting shortest paths as igraph does: a shorter path (beyond the
         * epsilon) replaces the count, a tied one adds to it; the distance is the first of
         * the tied values found. Most edges lead nowhere shorter, so the first test is the
         * one almost always false. */
        while (q.n) {
            int32_t w = heap_pop(&q);
            double dw = dist[w], sw = sigma[w];
            q.pos[w] = -2;
            order[n++] = w;
            for (size_t k = off[w]; k < off[w + 1]; k++) {
                int32_t v = adj[k];
                double alt = dw + len[k], dv = dist[v];
                if (alt < dv) {
                    if (dv == INFINITY) {
                        dist[v] = alt;
                        sigma[v] = sw;
                        q.h[q.n] = v;
                        heap_up(&q, q.n++);
                    } else if (cmp_eps(alt, dv) < 0) {
                        dist[v] = alt;
                        sigma[v] = sw;
                        heap_up(&q, (size_t)q.pos[v]);
                    } else {
                        sigma[v] += sw;
                    }
                } else if (alt - dv < 4 * EPS * dv && q.pos[v] >= 0 && cmp_eps(alt, dv) == 0) {
                    sigma[v] += sw;
                }
            }
        }
        /* Dependencies in reverse settling order, pulled from each vertex's children (the
         * neighbours whose distance ties with its own plus the edge): every vertex is a
         * target, so delta(w) = sigma(w) * sum over children c of (1 + delta(c)) / sigma(c).
         * A child settled after its parent (dist(c) > dist(w)), so its coef is final. */
        for (size_t j = n; j-- > 0;) {
            int32_t w = order[j];
            double dw = dist[w], acc = 0;
            for (size_t k = off[w]; k < off[w + 1]; k++) {
                int32_t c = adj[k];
                double dc = dist[c];
                if (tied(dw + len[k], dc) && dc > dw)
                    acc += coef[c];
            }
            double delta = sigma[w] * acc;
            if (w != s)
                job->bc[w] += delta;
            coef[w] = (1.0 + delta) / sigma[w];
        }
        for (size_t j = 0; j < n; j++) {
            int32_t w = order[j];
            dist[w] = INFINITY;
            sigma[w] = coef[w] = 0;
            q.pos[w] = -1;
        }
    }

cleanup:
    free(dist);
    free(sigma);
    free(coef);
    free(order);
    free(q.h);
    free(q.pos);
    return NULL;
}

struct kith_bc_run {
    part_job job[PARTS];
    pthread_t th[PARTS];
    bool threaded[PARTS];
    size_t nv;
};

kith_err kith_betweenness_start(const kith_csr *g, const int32_t *sources, size_t n_sources,
                                kith_bc_run **run, kith_diag *d)
{
    kith_bc_run *x = calloc(1, sizeof *x);
    *run = NULL;
    if (!x)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory (betweenness)");
    x->nv = g->nv;
    if (!sources)
        n_sources = g->nv;
    for (int p = 0; p < PARTS; p++) {
        double *sum = calloc(g->nv ? g->nv : 1, sizeof *sum);
        x->job[p] = (part_job){g, sources, n_sources, p, sum, false};
        if (!sum) {
            kith_betweenness_finish(x, NULL, NULL);
            return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory (betweenness)");
        }
    }
    /* a part whose thread cannot start runs in kith_betweenness_finish instead */
    for (int p = 0; p < PARTS; p++)
        x->threaded[p] = g->nv && pthread_create(&x->th[p], NULL, run_part, &x->job[p]) == 0;
    *run = x;
    return KITH_OK;
}

kith_err kith_betweenness_finish(kith_bc_run *run, double *out, kith_diag *d)
{
    kith_err err = KITH_OK;
    if (!run)
        return KITH_OK;
    for (int p = 0; p < PARTS; p++) {
        if (run->threaded[p])
            pthread_join(run->th[p], NULL);
        else if (out && run->nv && run->job[p].bc)
            run_part(&run->job[p]);
        run->threaded[p] = false;
    }
    if (out) {
        for (int p = 0; p < PARTS; p++)
            if (run->nv && !run->job[p].ok)
                err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory (betweenness)");
        /* igraph's convention for undirected graphs: each pair is found from both ends */
        for (size_t v = 0; !err && v < run->nv; v++)
            out[v] = 0.5 * (run->job[0].bc[v] + run->job[1].bc[v]);
    }
    for (int p = 0; p < PARTS; p++)
        free(run->job[p].bc);
    free(run);
    return err;
}

kith_err kith_betweenness(const kith_csr *g, const int32_t *sources, size_t n_sources,
                          double *out, kith_diag *d)
{
    kith_bc_run *run;
    kith_err err = kith_betweenness_start(g, sources, n_sources, &run, d);
    return err ? err : kith_betweenness_finish(run, out, d);
}
