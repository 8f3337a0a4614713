/* The graph measures of spec §3.2–3.3 on igraph: person–person edges, the give graph
 * (reciprocity), the owner's ego graph (Burt's constraint, effective size, efficiency),
 * Leiden clusters (kith's own, leiden.c), betweenness and brokers (betweenness.c), warm reach
 * and the cluster-map layout.
 *
 * The only file that includes <igraph.h>. igraph's default error handler aborts; while one
 * of our entry points runs we install a handler that records the reason, frees igraph's
 * temporaries (IGRAPH_FINALLY_FREE) and returns, so every igraph call's return code is
 * checked and a failure becomes KITH_ERR_GRAPH with the reason. Warnings are silenced. */
#include "kith/graph.h"
#include "kith/text.h"
#include "kith/trace.h"

#include <igraph.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph_internal.h"

/* Exact Brandes betweenness is one shortest-path search per vertex, each costing about
 * E + KITH_BETWEENNESS_VERTEX_COST x V edge relaxations' worth of work (a vertex's heap
 * operations and dependency pass cost about five relaxations: callgrind on the 3 k export,
 * 67 instructions an edge and 324 a vertex per search). Above this budget of relaxations it
 * is estimated from sampled pivots (r->betweenness_sampled), as many as the budget pays for.
 * Counting edges alone had bought sparse graphs too many searches. */
#define KITH_BETWEENNESS_BUDGET 1e7
#define KITH_BETWEENNESS_VERTEX_COST 5
#define KITH_BETWEENNESS_MIN_PIVOTS 8
/* kith_pp_edges_exact_for: at most this many clique ties for the flagged persons of one
 * employer (16 bytes each while edges are gathered) */
#define KITH_EXACT_TIES_MAX 4e6
#define KITH_GROUP_MAX 20
#define KITH_LAYOUT_MAX 2000
#define KITH_LAYOUT_ITERATIONS 50
#define KITH_LAYOUT_START_TEMP 0.3 /* x sqrt(nodes), igraph's default being 1 x */
#define KITH_LAYOUT_OWNER_PULL 0.02
#define KITH_BROKERS_MAX 20
#define KITH_LATENT_FLOOR 0.1
#define KITH_RELABEL_MIN 50000
/* Leiden's refinement randomness (igraph's beta; spec §3.3's runs have always used it) */
#define KITH_LEIDEN_BETA 0.01

/* The owner's Burt constraint is summed directly from the tie list. igraph_constraint on an
 * igraph copy of the ego graph gives the same doubles on every export measured (test_graph
 * holds the two to 1e-12, graph_check.py to networkx) at several times the cost: at 30 k
 * persons 0.11 s a month through igraph, 0.015 s summed. Tests set this to run igraph's. */
bool kith_graph_constraint_by_igraph = false;
size_t kith_graph_employer_clique_max = KITH_EMPLOYER_CLIQUE_MAX;
size_t kith_graph_relabel_min = KITH_RELABEL_MIN;

/* ------------------------------------------------------------------------------------------
 * igraph error plumbing
 * ------------------------------------------------------------------------------------------ */

static char ig_reason[256];

static void ig_error_handler(const char *reason, const char *file, int line,
                             igraph_error_t igraph_errno)
{
    (void)file;
    (void)line;
    /* igraph calls the handler once per stack level while it unwinds; the innermost call
     * carries the real reason, the outer ones an empty string. Copy before freeing: the
     * reason may live in memory IGRAPH_FINALLY_FREE releases. */
    if (!ig_reason[0]) {
        const char *why = reason && *reason ? reason : igraph_strerror(igraph_errno);
        snprintf(ig_reason, sizeof ig_reason, "%s", why);
    }
    IGRAPH_FINALLY_FREE();
}

static void ig_warning_handler(const char *reason, const char *file, int line)
{
    (void)reason;
    (void)file;
    (void)line;
}

typedef struct {
    igraph_error_handler_t *error;
    igraph_warning_handler_t *warning;
} ig_handlers;

static ig_handlers ig_enter(void)
{
    ig_handlers old;
    old.error = igraph_set_error_handler(ig_error_handler);
    old.warning = igraph_set_warning_handler(ig_warning_handler);
    return old;
}

static void ig_leave(ig_handlers old)
{
    igraph_set_error_handler(old.error);
    igraph_set_warning_handler(old.warning);
}

static kith_err ig_fail(kith_diag *d, igraph_error_t e, const char *call)
{
    size_t fn = strcspn(call, "(");
    return kith_diag_set(d, KITH_ERR_GRAPH, NULL, 0, "igraph: %s (%.*s)",
                         ig_reason[0] ? ig_reason : igraph_strerror(e), (int)fn, call);
}

/* Runs one igraph call; on failure sets err from the recorded reason and jumps to cleanup. */
#define IG(call)                                                                             \
    do {                                                                                     \
        ig_reason[0] = '\0';                                                                 \
        igraph_error_t ig_e_ = (call);                                                       \
        if (ig_e_ != IGRAPH_SUCCESS) {                                                       \
            err = ig_fail(d, ig_e_, #call);                                                  \
            goto cleanup;                                                                    \
        }                                                                                    \
    } while (0)

#define NOMEM(p)                                                                             \
    do {                                                                                     \
        if (!(p)) {                                                                          \
            err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory (graph)");        \
            goto cleanup;                                                                    \
        }                                                                                    \
    } while (0)

/* Destroying an igraph vector that was never initialized is undefined; ours start zeroed
 * and are destroyed only when they own storage, and left zeroed, so freeing twice is safe. */
static void vec_free(igraph_vector_t *v)
{
    if (v->stor_begin)
        igraph_vector_destroy(v);
    v->stor_begin = NULL;
}

static void ivec_free(igraph_vector_int_t *v)
{
    if (v->stor_begin)
        igraph_vector_int_destroy(v);
}

static void mat_free(igraph_matrix_t *m)
{
    if (m->data.stor_begin)
        igraph_matrix_destroy(m);
}

kith_err kith_graph_check_error_handler(kith_diag *d)
{
    kith_err err = KITH_OK;
    ig_handlers old = ig_enter();
    igraph_t g;
    bool g_ok = false;
    igraph_vector_int_t edges = {0};
    IG(igraph_vector_int_init(&edges, 3)); /* an odd-length edge list: igraph rejects it */
    IG(igraph_create(&g, &edges, 2, IGRAPH_UNDIRECTED));
    g_ok = true;
cleanup:
    if (g_ok)
        igraph_destroy(&g);
    ivec_free(&edges);
    ig_leave(old);
    return err;
}

/* ------------------------------------------------------------------------------------------
 * Person–person edges
 * ------------------------------------------------------------------------------------------ */

/* Pair occurrences are appended to a buffer as (key = a << 32 | b, weight); when it fills
 * up it is radix-sorted and equal keys merged, so memory follows the distinct pairs while
 * the work stays sequential (a hash map spent most of its time in cache misses). */
typedef struct {
    uint64_t key;
    double w;
} pair_rec;

typedef struct {
    pair_rec *buf;
    size_t n, cap;
    size_t sorted; /* buf[0 .. sorted) is sorted by key, one record per key */
} pairbuf;

_Static_assert(sizeof(pair_rec) == sizeof(kith_pp_edge), "records are converted in place");

/* Stable LSD radix sort by key, 16 bits per pass into tmp (n records); passes where every
 * key has the same digit (the high bits of small person indices) are skipped. */
static bool radix_sort(pair_rec *a, pair_rec *tmp, size_t n)
{
    size_t (*count)[65536] = calloc(4, sizeof *count);
    if (!count)
        return false;
    for (size_t i = 0; i < n; i++)
        for (int b = 0; b < 4; b++)
            count[b][(a[i].key >> (16 * b)) & 0xffff]++;
    pair_rec *src = a, *dst = tmp;
    for (int b = 0; b < 4; b++) {
        if (count[b][(a[0].key >> (16 * b)) & 0xffff] == n)
            continue;
        size_t pos = 0;
        for (size_t v = 0; v < 65536; v++) {
            size_t c = count[b][v];
            count[b][v] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[b][(src[i].key >> (16 * b)) & 0xffff]++] = src[i];
        pair_rec *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(count);
    return true;
}

/* Sorts the records appended since the last call and merges them into the sorted,
 * duplicate-free prefix buf[0 .. sorted), adding the weights of equal keys. */
static bool pairbuf_compact(pairbuf *pb)
{
    size_t tail = pb->n - pb->sorted;
    if (!tail)
        return true;
    pair_rec *tmp = malloc(pb->n * sizeof *tmp);
    if (!tmp)
        return false;
    pair_rec *t = pb->buf + pb->sorted;
    if (!radix_sort(t, tmp, tail)) {
        free(tmp);
        return false;
    }
    size_t i = 0, j = 0, u = 0;
    while (i < pb->sorted || j < tail) {
        pair_rec r;
        if (j == tail || (i < pb->sorted && pb->buf[i].key <= t[j].key))
            r = pb->buf[i++];
        else
            r = t[j++];
        if (u && tmp[u - 1].key == r.key)
            tmp[u - 1].w += r.w;
        else
            tmp[u++] = r;
    }
    memcpy(pb->buf, tmp, u * sizeof *tmp);
    free(tmp);
    pb->n = pb->sorted = u;
    return true;
}

static bool pairbuf_add(pairbuf *pb, int32_t a, int32_t b, double w)
{
    if (a > b) {
        int32_t t = a;
        a = b;
        b = t;
    }
    if (pb->n == pb->cap) {
        if (!pairbuf_compact(pb))
            return false;
        /* grow when merging freed less than half: the distinct pairs fill the buffer */
        if (pb->n * 2 > pb->cap || !pb->cap) {
            size_t cap = pb->cap ? pb->cap * 2 : 1u << 16;
            pair_rec *p = realloc(pb->buf, cap * sizeof *p);
            if (!p)
                return false;
            pb->buf = p;
            pb->cap = cap;
        }
    }
    pb->buf[pb->n].key = (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
    pb->buf[pb->n++].w = w;
    return true;
}

static int cmp_i32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

/* A person with an employer, keyed by the hash of the company key: sorting these compares
 * 64-bit numbers, where comparing the keys chased two pointers per comparison (a second
 * of the 1 M-person export's edge building). */
typedef struct {
    uint64_t h;
    const char *key;
    int32_t person;
} co_key;

static int cmp_co_key(const void *x, const void *y)
{
    const co_key *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    int c = strcmp(a->key, b->key); /* two keys with one hash stay apart */
    return c ? c : (a->person > b->person) - (a->person < b->person);
}

/* kith_pp_edges; with `exact`, kith_pp_edges_exact_for; with `emp` (n_persons entries), also
 * each person's employer among those tied by random cycles (0, 1, ... in sort order; -1 =
 * none such) and their count in *n_emp: warm reach asks who shares such an employer, which
 * the sparse cycles do not answer. */
static kith_err pp_edges(const kith_model *m, int64_t as_of, const bool *exact,
                         kith_pp_edge **out, size_t *n_out, int32_t *emp, size_t *n_emp,
                         kith_diag *d)
{
    kith_err err = KITH_OK;
    pairbuf pb = {0};
    int32_t *byco = NULL;
    co_key *cokeys = NULL;
    int32_t mem[KITH_GROUP_MAX];
    const int32_t np = (int32_t)m->n_persons;

    *out = NULL;
    *n_out = 0;

    for (size_t g = 0; g < m->n_groups; g++) {
        const kith_group *gr = &m->groups[g];
        if (gr->t > as_of || gr->n < 2 || gr->n > KITH_GROUP_MAX ||
            (size_t)gr->first + gr->n > m->n_group_members)
            continue;
        size_t n = 0;
        for (uint32_t k = 0; k < gr->n; k++) {
            int32_t p = m->group_members[gr->first + k];
            if (p >= 0 && p < np)
                mem[n++] = p;
        }
        /* a person listed twice in one group is one participant */
        qsort(mem, n, sizeof *mem, cmp_i32);
        size_t u = 0;
        for (size_t k = 0; k < n; k++)
            if (!u || mem[u - 1] != mem[k])
                mem[u++] = mem[k];
        if (u < 2)
            continue;
        double w = 1.0 / (double)(u - 1);
        for (size_t i = 0; i < u; i++)
            for (size_t j = i + 1; j < u; j++)
                NOMEM(pairbuf_add(&pb, mem[i], mem[j], w));
    }

    for (size_t i = 0; i < m->n_intros; i++) {
        const kith_intro *in = &m->intros[i];
        if (in->t > as_of || in->a == in->b || in->a < 0 || in->b < 0 || in->a >= np ||
            in->b >= np)
            continue;
        NOMEM(pairbuf_add(&pb, in->a, in->b, 3.0));
    }

    /* Same current employer: group persons by company key (in hash order; each person has
     * one employer, so the order of the groups changes no pair's sum) and connect each. */
    size_t nco = 0;
    byco = malloc((m->n_persons ? m->n_persons : 1) * sizeof *byco);
    cokeys = malloc((m->n_persons ? m->n_persons : 1) * sizeof *cokeys);
    NOMEM(byco && cokeys ? cokeys : NULL);
    for (int32_t i = 0; i < np; i++) {
        const char *key = m->persons[i].company_key;
        if (key && key[0])
            cokeys[nco++] = (co_key){kith_fnv1a(key), key, i};
    }
    qsort(cokeys, nco, sizeof *cokeys, cmp_co_key);
    for (size_t k = 0; k < nco; k++)
        byco[k] = cokeys[k].person;
    if (emp) {
        for (int32_t i = 0; i < np; i++)
            emp[i] = -1;
        *n_emp = 0;
    }
    for (size_t s = 0; s < nco;) {
        size_t e = s + 1;
        while (e < nco && cokeys[e].h == cokeys[s].h && !strcmp(cokeys[s].key, cokeys[e].key))
            e++;
        size_t k = e - s;
        if (k >= 2 && k <= kith_graph_employer_clique_max) {
            double w = 0.5 / (double)(k - 1);
            for (size_t i = s; i < e; i++)
                for (size_t j = i + 1; j < e; j++)
                    NOMEM(pairbuf_add(&pb, byco[i], byco[j], w));
        } else if (k >= 2) {
            /* A clique of k costs k(k-1)/2 edges (20 M at 30 k persons): random cycles
             * instead (graph.h). byco[s..e) is in person order here, so the shuffles depend
             * only on the model. */
            int32_t *run = byco + s;
            if (emp) {
                for (size_t i = 0; i < k; i++)
                    emp[run[i]] = (int32_t)*n_emp;
                ++*n_emp;
            }
            size_t nx = 0;
            for (size_t i = 0; exact && i < k; i++)
                nx += exact[run[i]];
            bool star = nx && (double)nx * (double)k <= KITH_EXACT_TIES_MAX;
            for (size_t i = 0; star && i < k; i++) {
                if (!exact[run[i]])
                    continue;
                for (size_t j = 0; j < k; j++) /* a pair of flagged persons once */
                    if (j != i && (!exact[run[j]] || run[j] > run[i]))
                        NOMEM(pairbuf_add(&pb, run[i], run[j], 0.5 / (double)(k - 1)));
            }
            uint64_t st = kith_fnv1a(m->persons[run[0]].company_key);
            int deg = k <= KITH_EMPLOYER_DENSE_MAX ? KITH_EMPLOYER_DENSE_DEGREE
                                                   : KITH_EMPLOYER_DEGREE;
            double w = 0.5 / (double)deg;
            for (int c = 0; c < deg / 2; c++) {
                for (size_t i = k - 1; i > 0; i--) {
                    size_t j = (size_t)(kith_splitmix64(&st) % (uint64_t)(i + 1));
                    int32_t t = run[i];
                    run[i] = run[j];
                    run[j] = t;
                }
                for (size_t i = 0; i < k; i++) {
                    int32_t a = run[i], b = run[(i + 1) % k];
                    if (!star || (!exact[a] && !exact[b]))
                        NOMEM(pairbuf_add(&pb, a, b, w));
                }
            }
        }
        s = e;
    }

    NOMEM(pairbuf_compact(&pb));
    if (pb.n) {
        for (size_t i = 0; i < pb.n; i++) {
            pair_rec r = pb.buf[i];
            kith_pp_edge e = {(int32_t)(r.key >> 32), (int32_t)(r.key & 0xffffffffu), r.w};
            memcpy(&pb.buf[i], &e, sizeof e);
        }
        kith_pp_edge *edges = realloc(pb.buf, pb.n * sizeof *edges);
        if (!edges)
            edges = (kith_pp_edge *)(void *)pb.buf;
        *out = edges;
        *n_out = pb.n;
        pb.buf = NULL;
    }

cleanup:
    free(pb.buf);
    free(byco);
    free(cokeys);
    return err;
}

kith_err kith_pp_edges(const kith_model *m, int64_t as_of, kith_pp_edge **out, size_t *n_out,
                       kith_diag *d)
{
    return pp_edges(m, as_of, NULL, out, n_out, NULL, NULL, d);
}

kith_err kith_pp_edges_exact_for(const kith_model *m, int64_t as_of, const bool *exact,
                                 kith_pp_edge **out, size_t *n_out, kith_diag *d)
{
    return pp_edges(m, as_of, exact, out, n_out, NULL, NULL, d);
}

/* ------------------------------------------------------------------------------------------
 * Graph measures
 * ------------------------------------------------------------------------------------------ */

/* The pp graph as a CSR adjacency: weights for Leiden, lengths 1/weight for
 * kith_betweenness (the report month only). */
typedef struct {
    kith_csr g;
    size_t *off;
    int32_t *adj;
    double *w;
    double *len;
} pp_csr_t;

typedef struct {
    kith_report *r;
    const kith_model *m;
    kith_person_measures *pm;
    double *kpi;
    int64_t T;
    bool prev;
    size_t np;
    kith_pp_edge *e; /* person–person edges as of T */
    size_t ne;
    double *ow;      /* owner–person edge weight; 0 = no edge */
    int32_t *emp;    /* person -> employer tied by random cycles, -1 = none (or not at T) */
    size_t n_emp;
    /* the person–person graph: persons with at least one pp edge */
    int32_t *loc;    /* person -> vertex, -1 = none */
    int32_t *glob;   /* vertex -> person */
    size_t nv;
    int32_t *rank;   /* vertex -> reported cluster (0-based), -1 = none */
    int32_t *comm;   /* vertex -> Leiden community (the full partition) */
    size_t ncomm;
    pp_csr_t csr; /* the pp graph (build_pp_graph .. side_free) */
    /* betweenness under way (betweenness_start .. betweenness_finish) */
    int32_t *pivots;
    size_t n_pivots;
    kith_bc_run *bc;
} gctx;

static bool is_active(const kith_person_measures *p)
{
    return p->status == KITH_ST_ACTIVE || p->status == KITH_ST_NEW;
}

void kith_layout_free(kith_layout *l)
{
    if (!l)
        return;
    free(l->person);
    free(l->x);
    free(l->y);
    free(l->edge_from);
    free(l->edge_to);
    free(l->edge_weight);
    memset(l, 0, sizeof *l);
}

static void clusters_free(kith_cluster *c, size_t n)
{
    if (!c)
        return;
    for (size_t i = 0; i < n; i++) {
        free(c[i].name);
        free(c[i].top_employers);
        free(c[i].top_members);
    }
    free(c);
}

/* Reciprocity of the directed give graph (owner -> person when given in 12 months, person ->
 * owner when received): pairs linked both ways / pairs linked at all, igraph_reciprocity's
 * ratio. Every arc touches the owner, so the pairs are the persons: counted directly
 * rather than through an igraph copy of a star (1 M persons: two million arcs). */
static void give_reciprocity(gctx *c)
{
    size_t both = 0, any = 0;
    for (size_t i = 0; i < c->np; i++) {
        bool out = c->pm[i].given_12m > 0, in = c->pm[i].received_12m > 0;
        any += out || in;
        both += out && in;
    }
    c->kpi[KITH_KPI_RECIPROCITY] = any ? (double)both / (double)any : NAN;
}

/* The owner's ego graph: owner–person edges plus the pp edges among those persons.
 * Constraint by Burt's formula summed directly (igraph_constraint's value; tests compare);
 * effective size by Burt's weighted formula as networkx computes it:
 * sum over neighbours u of 1 - sum_w p(o,w) m(u,w), with p normalized by the owner's total
 * and m by u's largest edge (its owner edge included). */
static kith_err ego_measures(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;
    int32_t *ev = NULL;      /* person -> ego vertex, 0 = not in the ego graph */
    double *maxw = NULL;     /* ego vertex -> its largest edge weight */
    double *strength = NULL; /* ego vertex -> its weighted degree */
    double *acc = NULL;
    igraph_t g;
    bool g_ok = false;
    igraph_vector_int_t edges = {0};
    igraph_vector_t w = {0}, res = {0};
    double *kpi = c->kpi;

    kpi[KITH_KPI_CONSTRAINT] = kpi[KITH_KPI_EFFECTIVE_SIZE] = kpi[KITH_KPI_EFFICIENCY] = NAN;
    ev = calloc(c->np ? c->np : 1, sizeof *ev);
    NOMEM(ev);
    int32_t deg = 0;
    double total = 0;
    for (size_t i = 0; i < c->np; i++)
        if (c->ow[i] > 0) {
            ev[i] = ++deg;
            total += c->ow[i];
        }
    if (!deg)
        goto cleanup;
    maxw = calloc((size_t)deg + 1, sizeof *maxw);
    strength = calloc((size_t)deg + 1, sizeof *strength);
    NOMEM(maxw && strength ? strength : NULL);
    size_t n_ego = (size_t)deg;
    for (size_t i = 0; i < c->np; i++)
        if (ev[i])
            maxw[ev[i]] = strength[ev[i]] = c->ow[i];
    for (size_t k = 0; k < c->ne; k++) {
        int32_t u = ev[c->e[k].a], v = ev[c->e[k].b];
        if (!u || !v)
            continue;
        n_ego++;
        strength[u] += c->e[k].w;
        strength[v] += c->e[k].w;
        if (c->e[k].w > maxw[u])
            maxw[u] = c->e[k].w;
        if (c->e[k].w > maxw[v])
            maxw[v] = c->e[k].w;
    }

    if (kith_graph_constraint_by_igraph) {
        IG(igraph_vector_int_init(&edges, 2 * (igraph_integer_t)n_ego));
        IG(igraph_vector_init(&w, (igraph_integer_t)n_ego));
        size_t k2 = 0;
        for (size_t i = 0; i < c->np; i++)
            if (ev[i]) {
                VECTOR(edges)[2 * k2] = 0;
                VECTOR(edges)[2 * k2 + 1] = ev[i];
                VECTOR(w)[k2++] = c->ow[i];
            }
        for (size_t k = 0; k < c->ne; k++) {
            int32_t u = ev[c->e[k].a], v = ev[c->e[k].b];
            if (!u || !v)
                continue;
            VECTOR(edges)[2 * k2] = u;
            VECTOR(edges)[2 * k2 + 1] = v;
            VECTOR(w)[k2++] = c->e[k].w;
        }
        IG(igraph_create(&g, &edges, (igraph_integer_t)deg + 1, IGRAPH_UNDIRECTED));
        g_ok = true;
        IG(igraph_vector_init(&res, 0));
        IG(igraph_constraint(&g, &res, igraph_vss_1(0), &w));
        kpi[KITH_KPI_CONSTRAINT] = VECTOR(res)[0];
    } else {
        /* Without a second copy of the graph (tens of millions of employer pairs at 1 M):
         * sum over neighbours j of (p(o,j) + sum_q p(o,q) p(q,j))^2, p(q,j) = w(q,j) /
         * strength(q); each pp edge adds one indirect term to each end. */
        acc = malloc(((size_t)deg + 1) * sizeof *acc);
        NOMEM(acc);
        for (size_t i = 0; i < c->np; i++)
            if (ev[i])
                acc[ev[i]] = c->ow[i] / total;
        for (size_t k = 0; k < c->ne; k++) {
            int32_t a = c->e[k].a, b = c->e[k].b, u = ev[a], v = ev[b];
            if (!u || !v)
                continue;
            acc[v] += c->ow[a] / total * c->e[k].w / strength[u];
            acc[u] += c->ow[b] / total * c->e[k].w / strength[v];
        }
        double sum = 0;
        for (int32_t u = 1; u <= deg; u++)
            sum += acc[u] * acc[u];
        kpi[KITH_KPI_CONSTRAINT] = sum;
    }

    double redundancy = 0;
    for (size_t k = 0; k < c->ne; k++) {
        int32_t a = c->e[k].a, b = c->e[k].b;
        int32_t u = ev[a], v = ev[b];
        if (!u || !v)
            continue;
        double wuv = c->e[k].w;
        redundancy += c->ow[b] / total * wuv / maxw[u] + c->ow[a] / total * wuv / maxw[v];
    }
    kpi[KITH_KPI_EFFECTIVE_SIZE] = deg - redundancy;
    kpi[KITH_KPI_EFFICIENCY] = (deg - redundancy) / deg;

cleanup:
    if (g_ok)
        igraph_destroy(&g);
    ivec_free(&edges);
    vec_free(&w);
    vec_free(&res);
    free(ev);
    free(maxw);
    free(strength);
    free(acc);
    return err;
}


static void csr_free(pp_csr_t *x)
{
    free(x->off);
    free(x->adj);
    free(x->w);
    free(x->len);
    memset(x, 0, sizeof *x);
}

/* The CSR of c->e in the vertex ids of c->loc, each edge from both ends in tie-list order;
 * with `weights` also w[], with `lengths` also len[] (for betweenness), else NULL. */
static kith_err pp_csr(const gctx *c, pp_csr_t *x, bool weights, bool lengths, kith_diag *d)
{
    kith_err err = KITH_OK;
    size_t *fill = NULL;
    x->off = calloc(c->nv + 1, sizeof *x->off);
    x->adj = malloc((2 * c->ne + 1) * sizeof *x->adj);
    x->w = weights ? malloc((2 * c->ne + 1) * sizeof *x->w) : NULL;
    x->len = lengths ? malloc((2 * c->ne + 1) * sizeof *x->len) : NULL;
    fill = malloc((c->nv + 1) * sizeof *fill);
    NOMEM(x->off && x->adj && (x->w || !weights) && (x->len || !lengths) && fill ? fill : NULL);
    for (size_t k = 0; k < c->ne; k++) {
        x->off[c->loc[c->e[k].a] + 1]++;
        x->off[c->loc[c->e[k].b] + 1]++;
    }
    for (size_t v = 0; v < c->nv; v++)
        x->off[v + 1] += x->off[v];
    memcpy(fill, x->off, (c->nv + 1) * sizeof *fill);
    for (size_t k = 0; k < c->ne; k++) {
        int32_t u = c->loc[c->e[k].a], v = c->loc[c->e[k].b];
        size_t fu = fill[u]++, fv = fill[v]++;
        x->adj[fu] = v;
        x->adj[fv] = u;
        if (weights)
            x->w[fu] = x->w[fv] = c->e[k].w;
        if (lengths)
            x->len[fu] = x->len[fv] = 1.0 / c->e[k].w;
    }
    x->g = (kith_csr){c->nv, x->off, x->adj, x->len};
cleanup:
    free(fill);
    if (err)
        csr_free(x);
    return err;
}

/* Vertex ids in breadth-first order (roots in person order): neighbours get nearby ids, so
 * Leiden's and the shortest-path searches' random accesses mostly hit cache (on the 300 k
 * export it cut igraph's Leiden by a third). Leiden visits vertices in a
 * seeded random order of ids, so the ids decide which of several near-equal partitions it
 * finds: graphs below KITH_RELABEL_MIN vertices keep the person order and give the same
 * clusters as before. */
static kith_err bfs_relabel(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;
    pp_csr_t g = {0}; /* the adjacency in the current ids */
    int32_t *queue = malloc((c->nv + 1) * sizeof *queue);
    int32_t *nid = malloc((c->nv + 1) * sizeof *nid);
    NOMEM(queue && nid ? nid : NULL);
    if ((err = pp_csr(c, &g, false, false, d)))
        goto cleanup;
    for (size_t v = 0; v < c->nv; v++)
        nid[v] = -1;
    size_t head = 0, tail = 0;
    int32_t next = 0;
    for (size_t r = 0; r < c->nv; r++) {
        if (nid[r] >= 0)
            continue;
        nid[r] = next++;
        queue[tail++] = (int32_t)r;
        while (head < tail) {
            int32_t u = queue[head++];
            for (size_t k = g.off[u]; k < g.off[u + 1]; k++)
                if (nid[g.adj[k]] < 0) {
                    nid[g.adj[k]] = next++;
                    queue[tail++] = g.adj[k];
                }
        }
    }
    /* queue[] lists the old ids in new-id order */
    for (size_t v = 0; v < c->nv; v++) {
        int32_t person = c->glob[queue[v]];
        queue[v] = person;
        c->loc[person] = (int32_t)v;
    }
    memcpy(c->glob, queue, c->nv * sizeof *c->glob);
cleanup:
    csr_free(&g);
    free(queue);
    free(nid);
    return err;
}

/* The pp graph's vertices (loc, glob) and its CSR (c->csr). */
static kith_err build_pp_graph(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;

    c->loc = malloc((c->np ? c->np : 1) * sizeof *c->loc);
    NOMEM(c->loc);
    for (size_t i = 0; i < c->np; i++)
        c->loc[i] = -1;
    for (size_t k = 0; k < c->ne; k++)
        c->loc[c->e[k].a] = c->loc[c->e[k].b] = 0;
    c->nv = 0;
    for (size_t i = 0; i < c->np; i++)
        if (c->loc[i] == 0)
            c->nv++;
    c->glob = malloc((c->nv ? c->nv : 1) * sizeof *c->glob);
    NOMEM(c->glob);
    c->nv = 0;
    for (size_t i = 0; i < c->np; i++)
        if (c->loc[i] == 0) {
            c->glob[c->nv] = (int32_t)i;
            c->loc[i] = (int32_t)c->nv++;
        }
    if (c->nv >= kith_graph_relabel_min && (err = bfs_relabel(c, d)))
        goto cleanup;
    if ((err = pp_csr(c, &c->csr, true, !c->prev, d)))
        goto cleanup;
    if (c->prev) {
        /* The month before needs its tie list no more (no betweenness, no layout; its warm
         * reach is counted): 16 bytes a tie, freed before Leiden allocates. */
        free(c->e);
        c->e = NULL;
    }
cleanup:
    return err;
}

typedef struct {
    int32_t id;    /* Leiden community */
    int32_t size;
    int32_t first; /* smallest member person */
} comm_info;

static int cmp_comm(const void *x, const void *y)
{
    const comm_info *a = x, *b = y;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return (a->first > b->first) - (a->first < b->first);
}

typedef struct {
    const char *key;
    int32_t person; /* first member with this key */
} co_ref;

static int cmp_co_ref(const void *x, const void *y)
{
    const co_ref *a = x, *b = y;
    int k = strcmp(a->key, b->key);
    return k ? k : (a->person > b->person) - (a->person < b->person);
}

typedef struct {
    const char *key;
    int32_t person;
    int32_t count;
} co_count;

static int cmp_co_count(const void *x, const void *y)
{
    const co_count *a = x, *b = y;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->key, b->key);
}

static const kith_person_measures *sort_pm; /* qsort has no context argument */

static int cmp_by_strength(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    double sa = sort_pm[a].strength, sb = sort_pm[b].strength;
    if (sa != sb)
        return sa > sb ? -1 : 1;
    return (a > b) - (a < b);
}

/* Appends to a malloc'd string; returns false when out of memory. */
static bool str_append(char **s, size_t *len, size_t *cap, const char *add)
{
    size_t n = strlen(add);
    if (*len + n + 1 > *cap) {
        size_t nc = (*cap ? *cap * 2 : 64);
        while (nc < *len + n + 1)
            nc *= 2;
        char *p = realloc(*s, nc);
        if (!p)
            return false;
        *s = p;
        *cap = nc;
    }
    memcpy(*s + *len, add, n + 1);
    *len += n;
    return true;
}

/* Name, top employers and top members of one reported cluster from its member persons
 * (ascending). */
static kith_err describe_cluster(gctx *c, kith_cluster *out, int32_t *members, size_t n,
                                 kith_diag *d)
{
    kith_err err = KITH_OK;
    co_ref *refs = NULL;
    co_count *counts = NULL;
    char *emp = NULL, *top = NULL;
    size_t elen = 0, ecap = 0, tlen = 0, tcap = 0;
    char buf[64];
    const kith_person *persons = c->m->persons;

    refs = malloc(n * sizeof *refs);
    counts = malloc(n * sizeof *counts);
    NOMEM(refs && counts ? refs : NULL);
    size_t nr = 0;
    for (size_t k = 0; k < n; k++) {
        const kith_person *p = &persons[members[k]];
        if (p->company_key && p->company_key[0])
            refs[nr++] = (co_ref){p->company_key, members[k]};
    }
    qsort(refs, nr, sizeof *refs, cmp_co_ref);
    size_t nc = 0;
    for (size_t k = 0; k < nr; k++) {
        if (nc && !strcmp(counts[nc - 1].key, refs[k].key))
            counts[nc - 1].count++;
        else
            counts[nc++] = (co_count){refs[k].key, refs[k].person, 1};
    }
    qsort(counts, nc, sizeof *counts, cmp_co_count);

    NOMEM(str_append(&emp, &elen, &ecap, "") ? emp : NULL);
    for (size_t k = 0; k < nc && k < 3; k++) {
        const char *shown = persons[counts[k].person].company;
        if (!shown || !shown[0])
            shown = counts[k].key;
        snprintf(buf, sizeof buf, " (%d)", (int)counts[k].count);
        NOMEM(str_append(&emp, &elen, &ecap, k ? "; " : "") ? emp : NULL);
        NOMEM(str_append(&emp, &elen, &ecap, shown) ? emp : NULL);
        NOMEM(str_append(&emp, &elen, &ecap, buf) ? emp : NULL);
    }

    size_t nlen = 0, ncap = 0;
    char *name = NULL;
    if (nc) {
        const char *shown = persons[counts[0].person].company;
        if (!shown || !shown[0])
            shown = counts[0].key;
        snprintf(buf, sizeof buf, " \xc2\xb7 %d", out->size);
        if (!str_append(&name, &nlen, &ncap, shown) || !str_append(&name, &nlen, &ncap, buf)) {
            free(name);
            name = NULL;
        }
    } else {
        snprintf(buf, sizeof buf, "Cluster %d \xc2\xb7 %d", out->id, out->size);
        name = strdup(buf);
    }
    NOMEM(name);
    out->name = name;

    sort_pm = c->pm;
    qsort(members, n, sizeof *members, cmp_by_strength);
    NOMEM(str_append(&top, &tlen, &tcap, "") ? top : NULL);
    for (size_t k = 0; k < n && k < 5; k++) {
        NOMEM(str_append(&top, &tlen, &tcap, k ? "; " : "") ? top : NULL);
        NOMEM(str_append(&top, &tlen, &tcap, persons[members[k]].name) ? top : NULL);
    }
    out->top_employers = emp;
    out->top_members = top;
    emp = top = NULL;
cleanup:
    free(refs);
    free(counts);
    free(emp);
    free(top);
    return err;
}

/* Leiden for modularity on the pp graph (kith_leiden, on the CSR), its reported clusters. */
static kith_err clusters(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;
    int32_t *memb = NULL, *warm = NULL; /* warm: reported cluster -> Leiden start id */
    comm_info *ci = NULL;
    int32_t *members = NULL, *start = NULL, *crank = NULL;
    int *active = NULL;
    kith_cluster *out = NULL;
    size_t n_out = 0;
    kith_report *r = c->r;

    c->kpi[KITH_KPI_MODULARITY] = NAN;
    c->kpi[KITH_KPI_CLUSTERS] = 0;
    c->kpi[KITH_KPI_CLUSTER_COVERAGE] = NAN;
    c->rank = malloc((c->nv ? c->nv : 1) * sizeof *c->rank);
    NOMEM(c->rank);
    for (size_t v = 0; v < c->nv; v++)
        c->rank[v] = -1;
    if (!c->prev) {
        clusters_free(r->clusters, r->n_clusters);
        r->clusters = NULL;
        r->n_clusters = 0;
        for (size_t i = 0; i < c->np; i++)
            c->pm[i].cluster = -1;
    }
    if (!c->ne)
        goto cleanup;

    memb = malloc(c->nv * sizeof *memb);
    NOMEM(memb);
    /* The month before starts from the report month's reported clusters (everyone else on
     * their own), where a report month has them: its graph is nearly the same, so Leiden
     * starts close to a good partition. At 1 M persons the month before's Leiden (igraph's
     * then) took 5.6 s instead of 14.6 s, at 30 k 0.115 s of CPU instead of 0.155, with a
     * higher modularity in both; and two months' clusters differ where the graph changed,
     * not where Leiden's randomness fell differently on near-equal partitions. */
    bool warm_start = c->prev && r->n_clusters > 0;
    if (warm_start) {
        /* Leiden's start ids must be below nv: a cluster's id is the order in which the
         * month before's vertices first meet it (the month before may hold a few persons of
         * a report month with many clusters) */
        warm = malloc(r->n_clusters * sizeof *warm);
        NOMEM(warm);
        for (size_t k = 0; k < r->n_clusters; k++)
            warm[k] = -1;
        int32_t next = 0;
        for (size_t v = 0; v < c->nv; v++) {
            int32_t k = r->pm[c->glob[v]].cluster;
            bool reported = k >= 0 && (size_t)k < r->n_clusters;
            if (reported && warm[k] < 0)
                warm[k] = next++;
            memb[v] = reported ? warm[k] : next++;
        }
    }
    /* One Leiden iteration, as the spec's runs have always had (igraph's n_iterations 1).
     * A second one, started from the first's partition, raises the modularity a little for
     * a third more time (synthetic exports: 3 k 0.7577 -> 0.7603, 30 k 0.8183 -> 0.8229,
     * 1 M 0.9453 -> 0.9471 for 4.9 -> 6.7 s of CPU); kept at one until that trade is
     * decided. */
    size_t ncomm = 0;
    if ((err = kith_leiden(&c->csr.g, c->csr.w, (uint64_t)r->config.seed, KITH_LEIDEN_BETA,
                           warm_start, memb, &ncomm, d)))
        goto cleanup;
    c->kpi[KITH_KPI_MODULARITY] = kith_modularity(&c->csr.g, c->csr.w, memb, ncomm);

    ci = calloc(ncomm, sizeof *ci);
    NOMEM(ci);
    for (size_t k = 0; k < ncomm; k++) {
        ci[k].id = (int32_t)k;
        ci[k].first = INT32_MAX;
    }
    for (size_t v = 0; v < c->nv; v++) {
        comm_info *x = &ci[memb[v]];
        x->size++;
        if (c->glob[v] < x->first)
            x->first = c->glob[v];
    }
    qsort(ci, ncomm, sizeof *ci, cmp_comm);
    size_t nrep = 0;
    while (nrep < ncomm && ci[nrep].size >= 3)
        nrep++;
    /* community id -> rank */
    crank = malloc(ncomm * sizeof *crank);
    NOMEM(crank);
    for (size_t k = 0; k < ncomm; k++)
        crank[k] = -1;
    for (size_t k = 0; k < nrep; k++)
        crank[ci[k].id] = (int32_t)k;
    c->comm = malloc((c->nv ? c->nv : 1) * sizeof *c->comm);
    NOMEM(c->comm);
    c->ncomm = ncomm;
    for (size_t v = 0; v < c->nv; v++) {
        c->comm[v] = (int32_t)memb[v];
        c->rank[v] = crank[memb[v]];
    }

    size_t covered = 0;
    active = calloc(nrep ? nrep : 1, sizeof *active);
    NOMEM(active);
    for (size_t v = 0; v < c->nv; v++)
        if (c->rank[v] >= 0 && is_active(&c->pm[c->glob[v]]))
            active[c->rank[v]]++;
    for (size_t k = 0; k < nrep; k++)
        covered += active[k] > 0;
    c->kpi[KITH_KPI_CLUSTERS] = (double)nrep;
    c->kpi[KITH_KPI_CLUSTER_COVERAGE] = nrep ? (double)covered / (double)nrep : NAN;

    if (c->prev || !nrep)
        goto cleanup;

    /* Members of each reported cluster, bucketed by rank (persons ascending within). */
    members = malloc(c->nv * sizeof *members);
    start = calloc(nrep + 1, sizeof *start);
    out = calloc(nrep, sizeof *out);
    NOMEM(members && start && out ? out : NULL);
    for (size_t k = 0; k < nrep; k++)
        start[k + 1] = start[k] + ci[k].size;
    for (size_t v = 0; v < c->nv; v++)
        if (c->rank[v] >= 0)
            members[start[c->rank[v]]++] = c->glob[v];
    for (size_t k = nrep; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
    for (size_t k = 0; k < nrep; k++) {
        out[k].id = (int)k + 1;
        out[k].size = ci[k].size;
        out[k].active = active[k];
        n_out = k + 1;
        err = describe_cluster(c, &out[k], members + start[k], (size_t)ci[k].size, d);
        if (err)
            goto cleanup;
    }
    for (size_t v = 0; v < c->nv; v++)
        c->pm[c->glob[v]].cluster = c->rank[v];
    r->clusters = out;
    r->n_clusters = nrep;
    out = NULL;

cleanup:
    clusters_free(out, n_out);
    free(memb);
    free(warm);
    free(ci);
    free(crank);
    free(active);
    free(members);
    free(start);
    return err;
}

static int cmp_dbl(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static int cmp_broker(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    double ba = sort_pm[a].betweenness, bb = sort_pm[b].betweenness;
    if (ba != bb)
        return ba > bb ? -1 : 1;
    return (a > b) - (a < b);
}

kith_err kith_betweenness_igraph(const kith_csr *g, const int32_t *sources, size_t n_sources,
                                 double *out, kith_diag *d)
{
    kith_err err = KITH_OK;
    ig_handlers old = ig_enter();
    igraph_t ig;
    bool ig_ok = false;
    igraph_vector_int_t edges = {0}, src = {0};
    igraph_vector_t len = {0}, res = {0};

    IG(igraph_vector_int_init(&edges, 0));
    IG(igraph_vector_init(&len, 0));
    for (size_t v = 0; v < g->nv; v++)
        for (size_t k = g->off[v]; k < g->off[v + 1]; k++)
            if ((size_t)g->adj[k] > v) {
                IG(igraph_vector_int_push_back(&edges, (igraph_integer_t)v));
                IG(igraph_vector_int_push_back(&edges, g->adj[k]));
                IG(igraph_vector_push_back(&len, g->len[k]));
            }
    IG(igraph_create(&ig, &edges, (igraph_integer_t)g->nv, IGRAPH_UNDIRECTED));
    ig_ok = true;
    IG(igraph_vector_init(&res, 0));
    if (!sources) {
        IG(igraph_betweenness(&ig, &res, igraph_vss_all(), false, &len));
    } else {
        IG(igraph_vector_int_init(&src, (igraph_integer_t)n_sources));
        for (size_t i = 0; i < n_sources; i++)
            VECTOR(src)[i] = sources[i];
        IG(igraph_betweenness_subset(&ig, &res, igraph_vss_all(), false,
                                     igraph_vss_vector(&src), igraph_vss_all(), &len));
    }
    for (size_t v = 0; v < g->nv; v++)
        out[v] = VECTOR(res)[v];
cleanup:
    if (ig_ok)
        igraph_destroy(&ig);
    ivec_free(&edges);
    ivec_free(&src);
    vec_free(&len);
    vec_free(&res);
    ig_leave(old);
    return err;
}

/* Betweenness with distance = 1/weight (undirected: each pair counted once, as networkx with
 * normalized=False), then the brokers: persons with betweenness > 0 who connect reported
 * clusters. A person in a reported cluster connects when a neighbour is in another one. A
 * person in a community too small to report connects when that community as a whole touches
 * two reported clusters: a pair of colleagues who talk across two teams is such a bridge,
 * and Leiden rightly gives the pair its own community. */
static kith_err betweenness_start(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_report *r = c->r;

    for (size_t i = 0; i < c->np; i++)
        c->pm[i].betweenness = 0;
    free(r->brokers);
    r->brokers = NULL;
    r->n_brokers = 0;
    r->betweenness_sampled = false;
    if (!c->ne)
        goto cleanup;

    double search = (double)c->ne + KITH_BETWEENNESS_VERTEX_COST * (double)c->nv;
    if ((double)c->nv * search > KITH_BETWEENNESS_BUDGET) {
        /* Brandes–Pich pivot sampling: shortest paths from k seeded random sources to every
         * vertex, scaled by nv/k, is an unbiased estimate whose cost is k single-source
         * searches, where a distance cutoff's cost still grows with the graph's density. */
        size_t k = (size_t)(KITH_BETWEENNESS_BUDGET / search);
        if (k < KITH_BETWEENNESS_MIN_PIVOTS)
            k = KITH_BETWEENNESS_MIN_PIVOTS;
        if (k > c->nv)
            k = c->nv;
        int32_t *pivots = malloc(c->nv * sizeof *pivots);
        NOMEM(c->pivots = pivots);
        for (size_t v = 0; v < c->nv; v++)
            pivots[v] = (int32_t)v;
        IG(igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)r->config.seed));
        for (size_t v = 0; v < k; v++) {
            size_t j = v + (size_t)igraph_rng_get_integer(igraph_rng_default(), 0,
                                                          (igraph_integer_t)(c->nv - v - 1));
            int32_t t = pivots[v];
            pivots[v] = pivots[j];
            pivots[j] = t;
        }
        c->n_pivots = k;
        r->betweenness_sampled = true;
    }
    err = kith_betweenness_start(&c->csr.g, c->pivots, c->n_pivots, &c->bc, d);
cleanup:
    return err;
}

/* Waits for the betweenness started above, stores it and picks the brokers. */
static kith_err betweenness_finish(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;
    double *res = NULL;
    int32_t *seen = NULL, *cand = NULL;
    bool *bridges = NULL;
    kith_report *r = c->r;

    if (!c->ne)
        goto cleanup;
    res = malloc(c->nv * sizeof *res);
    err = kith_betweenness_finish(c->bc, res, d);
    c->bc = NULL;
    NOMEM(res);
    if (err)
        goto cleanup;
    if (c->n_pivots)
        for (size_t v = 0; v < c->nv; v++)
            res[v] *= (double)c->nv / (double)c->n_pivots;
    for (size_t v = 0; v < c->nv; v++)
        c->pm[c->glob[v]].betweenness = res[v];

    /* units: a person of a reported cluster is its own unit (0..nv-1), an unreported
     * community is one unit (nv + community); each unit remembers the first reported
     * cluster it touches and whether it touches another */
    size_t nu = c->nv + c->ncomm;
    seen = malloc(nu * sizeof *seen);
    bridges = calloc(nu, sizeof *bridges);
    cand = malloc(c->nv * sizeof *cand);
    NOMEM(seen && bridges && cand ? cand : NULL);
    for (size_t x = 0; x < nu; x++)
        seen[x] = x < c->nv ? c->rank[x] : -1;
    /* each edge from both ends, through the CSR: e[] may be freed by now */
    for (size_t x = 0; x < c->nv; x++)
        for (size_t k = c->csr.off[x]; k < c->csr.off[x + 1]; k++) {
            int32_t cy = c->rank[c->csr.adj[k]];
            size_t unit = c->rank[x] >= 0 ? x : c->nv + (size_t)c->comm[x];
            if (cy < 0)
                continue;
            if (seen[unit] < 0)
                seen[unit] = cy;
            else if (seen[unit] != cy)
                bridges[unit] = true;
        }
    size_t nc = 0;
    for (size_t v = 0; v < c->nv; v++) {
        size_t unit = c->rank[v] >= 0 ? v : c->nv + (size_t)c->comm[v];
        if (bridges[unit] && res[v] > 0)
            cand[nc++] = c->glob[v];
    }
    sort_pm = c->pm;
    qsort(cand, nc, sizeof *cand, cmp_broker);
    if (nc > KITH_BROKERS_MAX)
        nc = KITH_BROKERS_MAX;
    if (nc) {
        r->brokers = malloc(nc * sizeof *r->brokers);
        NOMEM(r->brokers);
        memcpy(r->brokers, cand, nc * sizeof *cand);
        r->n_brokers = nc;
    }
cleanup:
    csr_free(&c->csr);
    free(c->pivots);
    c->pivots = NULL;
    free(res);
    free(seen);
    free(bridges);
    free(cand);
    return err;
}

/* Persons who are an active tie or share a pp edge with one. */
static void warm_reach(gctx *c)
{
    size_t n = 0;
    /* an employer's cycles stand for its clique: everyone there shares a pp edge with each
     * colleague, so a whole employer is warm once one of its persons is active */
    bool *warm = calloc(c->np ? c->np : 1, sizeof *warm);
    bool *emp_active = calloc(c->n_emp ? c->n_emp : 1, sizeof *emp_active);
    if (!warm || !emp_active) {
        free(warm);
        free(emp_active);
        c->kpi[KITH_KPI_WARM_REACH] = NAN;
        return;
    }
    for (size_t i = 0; i < c->np; i++) {
        warm[i] = is_active(&c->pm[i]);
        if (warm[i] && c->emp[i] >= 0)
            emp_active[c->emp[i]] = true;
    }
    for (size_t k = 0; k < c->ne; k++) {
        bool a = is_active(&c->pm[c->e[k].a]), b = is_active(&c->pm[c->e[k].b]);
        if (a)
            warm[c->e[k].b] = true;
        if (b)
            warm[c->e[k].a] = true;
    }
    for (size_t i = 0; i < c->np; i++)
        if (c->emp[i] >= 0 && emp_active[c->emp[i]])
            warm[i] = true;
    free(emp_active);
    for (size_t i = 0; i < c->np; i++)
        n += warm[i];
    free(warm);
    c->kpi[KITH_KPI_WARM_REACH] = (double)n;
}

/* Node 0 the owner, then the strongest persons (strength > 0 or a pp edge); Fruchterman–
 * Reingold from a seeded start grouped by cluster, translated so the owner sits at
 * (0.5, 0.5), scaled into [0,1]^2. */
static kith_err layout(gctx *c, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_layout *L = &c->r->layout;
    int32_t *cand = NULL, *node = NULL;
    igraph_t g;
    bool g_ok = false;
    igraph_vector_int_t edges = {0};
    igraph_vector_t w = {0}, fw = {0};
    igraph_matrix_t pos = {0};
    double *rho = NULL;

    kith_layout_free(L);
    cand = malloc((c->np ? c->np : 1) * sizeof *cand);
    node = malloc((c->np ? c->np : 1) * sizeof *node);
    NOMEM(cand && node ? node : NULL);
    size_t nc = 0;
    for (size_t i = 0; i < c->np; i++) {
        node[i] = -1;
        if (c->pm[i].strength > 0 || c->loc[i] >= 0)
            cand[nc++] = (int32_t)i;
    }
    sort_pm = c->pm;
    qsort(cand, nc, sizeof *cand, cmp_by_strength);
    size_t nd = nc < KITH_LAYOUT_MAX ? nc : KITH_LAYOUT_MAX;
    size_t nn = nd + 1;
    L->n_hidden = nc - nd;
    L->n_nodes = nn;
    L->person = malloc(nn * sizeof *L->person);
    L->x = malloc(nn * sizeof *L->x);
    L->y = malloc(nn * sizeof *L->y);
    NOMEM(L->person && L->x && L->y ? L->y : NULL);
    L->person[0] = -1;
    for (size_t k = 0; k < nd; k++) {
        L->person[k + 1] = cand[k];
        node[cand[k]] = (int32_t)(k + 1);
    }

    IG(igraph_vector_int_init(&edges, 0));
    IG(igraph_vector_init(&w, 0));
    for (size_t k = 0; k < nd; k++)
        if (c->ow[cand[k]] > 0) {
            IG(igraph_vector_int_push_back(&edges, 0));
            IG(igraph_vector_int_push_back(&edges, (igraph_integer_t)k + 1));
            IG(igraph_vector_push_back(&w, c->ow[cand[k]]));
        }
    for (size_t k = 0; k < c->ne; k++) {
        int32_t u = node[c->e[k].a], v = node[c->e[k].b];
        if (u < 0 || v < 0)
            continue;
        IG(igraph_vector_int_push_back(&edges, u));
        IG(igraph_vector_int_push_back(&edges, v));
        IG(igraph_vector_push_back(&w, c->e[k].w));
    }
    size_t ne = (size_t)igraph_vector_size(&w);
    L->n_edges = ne;
    if (ne) {
        L->edge_from = malloc(ne * sizeof *L->edge_from);
        L->edge_to = malloc(ne * sizeof *L->edge_to);
        L->edge_weight = malloc(ne * sizeof *L->edge_weight);
        NOMEM(L->edge_from && L->edge_to && L->edge_weight ? L->edge_weight : NULL);
    }
    IG(igraph_vector_init(&fw, (igraph_integer_t)ne));
    for (size_t k = 0; k < ne; k++) {
        L->edge_from[k] = (int32_t)VECTOR(edges)[2 * k];
        L->edge_to[k] = (int32_t)VECTOR(edges)[2 * k + 1];
        L->edge_weight[k] = VECTOR(w)[k];
        /* The owner touches every node: pulling on those edges at full strength would
         * squeeze the clusters into one disc, so they only hold nodes loosely; pp edges
         * attract by weight, clamped so one strong tie cannot collapse the picture. */
        double x = VECTOR(w)[k];
        if (L->edge_from[k] == 0)
            VECTOR(fw)[k] = KITH_LAYOUT_OWNER_PULL;
        else
            VECTOR(fw)[k] = x < 0.05 ? 0.05 : x > 5 ? 5 : x;
    }
    IG(igraph_create(&g, &edges, (igraph_integer_t)nn, IGRAPH_UNDIRECTED));
    g_ok = true;

    IG(igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)c->r->config.seed));
    IG(igraph_matrix_init(&pos, (igraph_integer_t)nn, 2));
    /* The start: each reported cluster's members in a disc (area by its share of the drawn
     * persons) around its own point on a circle, the rest on the outer circle. From there
     * 50 cooler iterations give the map 200 iterations from a plain circle gave (0.03 s
     * instead of 0.14-0.17 s at 3 k persons): a cold start spent most of its moves pulling
     * each cluster together. */
    double radius = sqrt((double)nn);
    size_t ncl = c->r->n_clusters;
    for (size_t k = 1; k < nn; k++) {
        double a = 2 * M_PI * (double)(k - 1) / (double)nd +
                   0.1 * igraph_rng_get_unif01(igraph_rng_default());
        int cl = c->pm[cand[k - 1]].cluster;
        if (cl >= 0 && (size_t)cl < ncl) {
            double ca = 2 * M_PI * (double)cl / (double)ncl;
            double sr = 0.8 * radius * sqrt((double)c->r->clusters[cl].size / (double)nc);
            double u = sqrt(igraph_rng_get_unif01(igraph_rng_default()));
            double b = 2 * M_PI * igraph_rng_get_unif01(igraph_rng_default());
            MATRIX(pos, k, 0) = 0.6 * radius * cos(ca) + sr * u * cos(b);
            MATRIX(pos, k, 1) = 0.6 * radius * sin(ca) + sr * u * sin(b);
        } else {
            MATRIX(pos, k, 0) = radius * cos(a);
            MATRIX(pos, k, 1) = radius * sin(a);
        }
    }
    if (nn > 1)
        IG(igraph_layout_fruchterman_reingold(&g, &pos, true, KITH_LAYOUT_ITERATIONS,
                                              KITH_LAYOUT_START_TEMP * radius,
                                              IGRAPH_LAYOUT_AUTOGRID, ne ? &fw : NULL,
                                              NULL, NULL, NULL, NULL));
    /* Weakly tied persons drift far out; scaled linearly they would shrink the rest of the
     * map to a blot. Distances from the owner beyond the 95th percentile are compressed
     * logarithmically (directions kept), then everything is scaled into [0,1]^2. */
    rho = malloc(nn * sizeof *rho);
    NOMEM(rho);
    for (size_t k = 1; k < nn; k++) {
        double dx = MATRIX(pos, k, 0) - MATRIX(pos, 0, 0), dy = MATRIX(pos, k, 1) - MATRIX(pos, 0, 1);
        rho[k - 1] = sqrt(dx * dx + dy * dy);
    }
    qsort(rho, nn - 1, sizeof *rho, cmp_dbl);
    double knee = nn > 1 ? rho[(size_t)(0.95 * (double)(nn - 2))] : 0;
    double s = 0;
    for (size_t k = 0; k < nn; k++) {
        double dx = MATRIX(pos, k, 0) - MATRIX(pos, 0, 0), dy = MATRIX(pos, k, 1) - MATRIX(pos, 0, 1);
        double r = sqrt(dx * dx + dy * dy);
        if (knee > 0 && r > knee) {
            double f = knee * (1 + 0.25 * log(r / knee)) / r;
            dx *= f;
            dy *= f;
        }
        L->x[k] = dx;
        L->y[k] = dy;
        if (fabs(dx) > s)
            s = fabs(dx);
        if (fabs(dy) > s)
            s = fabs(dy);
    }
    for (size_t k = 0; k < nn; k++) {
        L->x[k] = s > 0 ? 0.5 + 0.5 * L->x[k] / s : 0.5;
        L->y[k] = s > 0 ? 0.5 + 0.5 * L->y[k] / s : 0.5;
    }
cleanup:
    if (err)
        kith_layout_free(L);
    if (g_ok)
        igraph_destroy(&g);
    ivec_free(&edges);
    vec_free(&w);
    vec_free(&fw);
    mat_free(&pos);
    free(rho);
    free(cand);
    free(node);
    return err;
}

/* One month's side up to its ego measures (pp edges, owner weights, reciprocity, Burt);
 * side_clusters goes on. The caller frees c with side_free, also on error. */
static kith_err side_run(gctx *c, kith_report *r, int prev, kith_diag *d)
{
    kith_err err = KITH_OK;
    uint8_t *later = NULL;
    memset(c, 0, sizeof *c);
    c->r = r;
    c->m = r->model;
    c->prev = prev != 0;
    c->pm = prev ? r->pm_prev : r->pm;
    c->kpi = prev ? r->kpi_prev : r->kpi;
    c->T = prev ? r->prev_as_of : r->as_of;
    c->np = c->m->n_persons;

    kith_span t = kith_trace_start();
    c->emp = malloc((c->np ? c->np : 1) * sizeof *c->emp);
    NOMEM(c->emp);
    err = pp_edges(c->m, c->T, NULL, &c->e, &c->ne, c->emp, &c->n_emp, d);
    if (err)
        goto cleanup;
    kith_trace_stop(t, prev ? "  prev: person-person edges" : "  person-person edges");

    /* Persons not in the data yet at T (as the per-person measures decide: nothing dated
     * by T, and an undated entry whose events all come later) take no part: no owner edge,
     * no pp edge (an employer shared with someone who joins next month is no tie yet). */
    later = calloc(c->np ? c->np : 1, 1);
    c->ow = malloc((c->np ? c->np : 1) * sizeof *c->ow);
    NOMEM(later && c->ow ? c->ow : NULL);
    size_t lo = 0, hi = c->m->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->m->events[mid].t <= c->T)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t k = lo; k < c->m->n_events; k++)
        if (c->m->events[k].person >= 0 && (size_t)c->m->events[k].person < c->np)
            later[c->m->events[k].person] = 1;
    for (size_t i = 0; i < c->np; i++) {
        const kith_person *p = &c->m->persons[i];
        const kith_person_measures *x = &c->pm[i];
        bool any_event = x->first_event != KITH_NO_TIME && x->first_event <= c->T;
        bool dated = p->connected_on != KITH_NO_TIME && p->connected_on <= c->T;
        bool undated = p->connected_on == KITH_NO_TIME && !later[i];
        bool known = any_event || dated || undated;
        bool connected = p->connection && (dated || undated);
        later[i] = !known; /* reused: 1 = not in the data at T */
        if (!known)
            c->emp[i] = -1;
        c->ow[i] = !known ? 0
                   : x->strength > 0 ? x->strength
                   : connected || any_event ? KITH_LATENT_FLOOR
                   : 0;
    }
    size_t kept = 0;
    for (size_t k = 0; k < c->ne; k++)
        if (!later[c->e[k].a] && !later[c->e[k].b])
            c->e[kept++] = c->e[k];
    c->ne = kept;

    t = kith_trace_start();
    give_reciprocity(c);
    if ((err = ego_measures(c, d)))
        goto cleanup;
    kith_trace_stop(t, prev ? "  prev: reciprocity, ego"
                            : "  reciprocity, ego measures");
cleanup:
    free(later);
    return err;
}

static kith_err betweenness_start(gctx *c, kith_diag *d);

/* The side's pp graph, Leiden clusters and warm reach; the previous month's side is then
 * done (its betweenness NAN). With `bc`, the betweenness is started between the graph and
 * Leiden, so its two threads overlap Leiden and the layout (c->bc set). */
static kith_err side_clusters(gctx *c, bool bc, kith_diag *d)
{
    kith_err err = KITH_OK;
    bool prev = c->prev;
    kith_span t = kith_trace_start();
    warm_reach(c); /* from the tie list, which the month before's graph frees */
    if ((err = build_pp_graph(c, d)))
        goto cleanup;
    kith_trace_stop(t, prev ? "  prev: pp graph" : "  pp graph");
    t = kith_trace_start();
    if ((bc && (err = betweenness_start(c, d))) || (err = clusters(c, d)))
        goto cleanup;
    kith_trace_stop(t, prev ? "  prev: Leiden, clusters" : "  Leiden, clusters");
    if (prev)
        for (size_t i = 0; i < c->np; i++)
            c->pm[i].betweenness = NAN;
cleanup:
    return err;
}

static void side_free(gctx *c)
{
    kith_betweenness_finish(c->bc, NULL, NULL); /* joins a run cut short by an error */
    c->bc = NULL;
    csr_free(&c->csr);
    free(c->pivots);
    free(c->e);
    free(c->ow);
    free(c->emp);
    free(c->loc);
    free(c->glob);
    free(c->rank);
    free(c->comm);
    memset(c, 0, sizeof *c);
}

/* For this month, betweenness runs on its two threads while this thread runs Leiden and
 * draws the layout (igraph stays on this thread: Debian's igraph is not thread-safe, and the
 * betweenness threads never call it). The previous month's side (kith report computes it
 * while the workbook is written) has no betweenness. */
kith_err kith_graph_measures(kith_report *r, int prev, int with_layout, kith_diag *d)
{
    kith_err err = KITH_OK;
    ig_handlers old = ig_enter();
    gctx c;
    if ((err = side_run(&c, r, prev, d)) || (err = side_clusters(&c, !prev, d)) || prev)
        goto cleanup;
    kith_span t = kith_trace_start();
    if (with_layout && (err = layout(&c, d)))
        goto cleanup;
    kith_trace_stop(t, "  layout");
    t = kith_trace_start();
    if ((err = betweenness_finish(&c, d)))
        goto cleanup;
    kith_trace_stop(t, "  betweenness wait, brokers");
cleanup:
    side_free(&c);
    ig_leave(old);
    return err;
}
