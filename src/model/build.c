/* kith_model_build: identity resolution (spec §1), the owner, exchange expansion and the
 * frozen model.
 *
 * Steps and cost, with M mentions, E events, X exchange participants, G groups, P persons:
 *  1. union-find (union by size, path halving) over mentions sharing a URL or an e-mail key,
 *     a contact's extra e-mails included: O((M + extra) * alpha(M));
 *  2. the name rule: one radix sort of the (name key, file, cluster) triples, O(M): a name key
 *     merges the clusters holding it only when no file holds two different clusters with it
 *     (clusters known there by a URL or an e-mail: a bare name is no second person);
 *  3. the owner: keys from --me (and nothing else when given), else the Profile name, the
 *     participant of the most message groups when in at least half of them and not tied
 *     (one sort of (group, cluster) pairs, O(X log X)) and the most voted e-mail. Every
 *     cluster holding an owner key is the owner; then the full names (two words or more)
 *     of those clusters are owner keys too, one round (the owner's other mailboxes);
 *  4. persons numbered in order of their first mention (deterministic); attributes merged
 *     over a counting sort of mentions and contact records by person, O(M + C) plus sorting
 *     each person's few e-mails, labels and sources:
 *       name      from a contacts entry or connection first, then the most words in its key,
 *                 the least decoration (emoji, brackets), mixed case, the longest key, the
 *                 earliest;
 *       url       the first from a contacts entry, else the first; email the first seen;
 *       emails    every address, sorted, unique; sources the file kinds, sorted, unique;
 *       company   with position, from one record: a LinkedIn file's first, else the first;
 *       connected_on the earliest; birthday the first known, one with a year preferred;
 *       labels    the union, sorted; connection any;
 *  5. exchanges expanded, O(X); group membership one radix sort of (group, person) pairs
 *     (a pair repeated within the last eight left out at once); events one radix sort on
 *     (time, person), O(E). The event array is reserved once and reused in place.
 * Memory is O(M + E + X + G); the strings, keys and mentions are freed once the persons are
 * made and the exchanges once they are expanded, so the sorts reuse their memory. */
#include "ingest_impl.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/text.h"
#include "kith/trace.h"

/* ------------------------------------------------------------------------------------------
 * Union-find
 * ------------------------------------------------------------------------------------------ */

static int32_t uf_find(int32_t *parent, int32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(int32_t *parent, int32_t *size, int32_t a, int32_t b)
{
    a = uf_find(parent, a);
    b = uf_find(parent, b);
    if (a == b)
        return;
    if (size[a] < size[b]) {
        int32_t t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    size[a] += size[b];
}

/* Unites mention m with the first mention seen holding key k (first[] indexed by key id). */
static void unite_key(int32_t *parent, int32_t *size, int32_t *first, int32_t k, int32_t m)
{
    if (k < 0)
        return;
    if (first[k] < 0)
        first[k] = m;
    else
        uf_union(parent, size, first[k], m);
}

typedef struct {
    int32_t name, file, root;
    bool keyed; /* the mention has a URL or an e-mail too */
} name_trip;

static int cmp_trip(const void *a, const void *b)
{
    const name_trip *x = a, *y = b;
    if (x->name != y->name)
        return x->name < y->name ? -1 : 1;
    if (x->file != y->file)
        return x->file < y->file ? -1 : 1;
    return (x->root > y->root) - (x->root < y->root);
}

/* qsort that accepts an empty (NULL) array. */
static void sort_n(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Below this many keys qsort is as fast as the radix passes' fixed cost (four times 64 Ki
 * counters to clear and sum): a small file's model build (every fuzz execution) paid
 * milliseconds for it. */
#define RADIX_MIN 4096

/* Sorts 64-bit keys: LSD radix on 16-bit digits, O(n) with a scratch copy, skipping
 * digits every key shares; qsort for fewer than RADIX_MIN keys or when the scratch cannot
 * be had. Group membership pairs
 * number in the tens of millions at the scale of spec §6. */
static void sort_u64(uint64_t *a, size_t n)
{
    if (n < 2)
        return;
    uint64_t *tmp = n >= RADIX_MIN ? malloc(n * sizeof *tmp) : NULL;
    uint32_t *count = tmp ? malloc(65536 * sizeof *count) : NULL;
    if (!count) {
        free(tmp);
        qsort(a, n, sizeof *a, cmp_u64);
        return;
    }
    uint64_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 16) {
        memset(count, 0, 65536 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(src[i] >> shift) & 0xffff]++;
        if (count[(src[0] >> shift) & 0xffff] == n)
            continue;
        uint32_t sum = 0;
        for (size_t d = 0; d < 65536; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & 0xffff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(tmp);
    free(count);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Bits needed for values 0..max. */
static unsigned bits_for(uint64_t max)
{
    unsigned b = 0;
    while (b < 64 && (max >> b))
        b++;
    return b;
}

/* Sorts name triples by (name, file, root): packed into 64-bit keys and radix-sorted when
 * they fit (they do by far: a million mentions need 21 bits each), else qsort. Ties
 * (equal name, file and root) are interchangeable for the name rule. */
static void sort_trips(name_trip *t, size_t n, size_t n_keys, size_t n_files, size_t n_mentions)
{
    unsigned bm = bits_for(n_mentions), bf = bits_for(n_files + 1), bk = bits_for(n_keys);
    uint64_t *k = n > 1 && bk + bf + bm + 1 <= 64 ? malloc(n * sizeof *k) : NULL;
    if (!k) {
        sort_n(t, n, sizeof *t, cmp_trip);
        return;
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (uint64_t)(uint32_t)t[i].name << (bf + bm + 1) |
               (uint64_t)(uint32_t)(t[i].file + 1) << (bm + 1) | (uint64_t)(uint32_t)t[i].root << 1 |
               t[i].keyed;
    sort_u64(k, n);
    uint64_t mm = (1ull << bm) - 1, fm = (1ull << bf) - 1;
    for (size_t i = 0; i < n; i++) {
        t[i].name = (int32_t)(k[i] >> (bf + bm + 1));
        t[i].file = (int32_t)((k[i] >> (bm + 1)) & fm) - 1;
        t[i].root = (int32_t)((k[i] >> 1) & mm);
        t[i].keyed = k[i] & 1;
    }
    free(k);
}

/* Resolves identities: after it, uf_find(parent, m) is m's cluster. */
static bool resolve(kith_ingest *ing, int32_t *parent, int32_t *size)
{
    size_t M = ing->n_mentions, K = ing->keys.n;
    bool ok = false;
    int32_t *first_url = malloc((K ? K : 1) * sizeof *first_url);
    int32_t *first_email = malloc((K ? K : 1) * sizeof *first_email);
    name_trip *trips = malloc((M ? M : 1) * sizeof *trips);
    if (!first_url || !first_email || !trips)
        goto cleanup;
    for (size_t i = 0; i < M; i++) {
        parent[i] = (int32_t)i;
        size[i] = 1;
    }
    memset(first_url, 0xff, K * sizeof *first_url);
    memset(first_email, 0xff, K * sizeof *first_email);
    for (size_t i = 0; i < M; i++) {
        unite_key(parent, size, first_url, ing->mentions[i].url, (int32_t)i);
        unite_key(parent, size, first_email, ing->mentions[i].email, (int32_t)i);
    }
    for (size_t i = 0; i < ing->n_extra; i++)
        unite_key(parent, size, first_email, ing->extra[i].email, ing->extra[i].who);

    size_t n = 0;
    for (size_t i = 0; i < M; i++)
        if (ing->mentions[i].name >= 0) {
            trips[n].name = ing->mentions[i].name;
            trips[n].file = ing->mentions[i].file;
            trips[n].root = uf_find(parent, (int32_t)i);
            trips[n].keyed = ing->mentions[i].url >= 0 || ing->mentions[i].email >= 0;
            n++;
        }
    sort_trips(trips, n, K, ing->n_inputs, M);
    /* Two people in one file: two clusters holding the name, each with a URL or an e-mail of
     * its own in that file. A name-only mention beside a keyed one ("Lee Park" in a `with`
     * column, "Lee Park <url>" in a row) is not a second person. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        bool ambiguous = false;
        int32_t keyed_root = -1;
        while (j < n && trips[j].name == trips[i].name) {
            if (j == i || trips[j].file != trips[j - 1].file)
                keyed_root = -1;
            if (trips[j].keyed) {
                if (keyed_root >= 0 && keyed_root != trips[j].root)
                    ambiguous = true;
                keyed_root = trips[j].root;
            }
            j++;
        }
        if (!ambiguous)
            for (size_t k = i + 1; k < j; k++)
                uf_union(parent, size, trips[i].root, trips[k].root);
        i = j;
    }
    ok = true;
cleanup:
    free(first_url);
    free(first_email);
    free(trips);
    return ok;
}

/* ------------------------------------------------------------------------------------------
 * The owner
 * ------------------------------------------------------------------------------------------ */

typedef struct {
    char *name, *url, *email; /* malloc'd, or NULL */
} owner_info;

static void owner_info_free(owner_info *o)
{
    free(o->name);
    free(o->url);
    free(o->email);
}

static bool looks_like_url(const char *v)
{
    if (strchr(v, '/') || strncasecmp(v, "http", 4) == 0)
        return true;
    for (; *v; v++)
        if (strncasecmp(v, "linkedin.com", 12) == 0)
            return true;
    return false;
}

/* Sets owner_key[] for key k when the data holds it; k is freed. Returns whether it did. */
static bool mark_key(const kith_ingest *ing, uint8_t *owner_key, char *k)
{
    if (!k)
        return false;
    int32_t id = kith_strtab_find(&ing->keys, k);
    if (id >= 0)
        owner_key[id] = 1;
    free(k);
    return id >= 0;
}

/* The last few (group, member) pairs made: consecutive rows of a thread repeat theirs, and
 * the pairs are made unique after sorting anyway, so a repeat is left out at once -- most
 * of them: a thread's messages make the same two or three pairs again and again. */
typedef struct {
    uint64_t v[8];
    unsigned next;
} recent_pairs;

static void recent_init(recent_pairs *r)
{
    for (size_t i = 0; i < 8; i++)
        r->v[i] = UINT64_MAX; /* group -1: no pair */
    r->next = 0;
}

/* Whether v is among the recent pairs; when not, it becomes one. */
static bool recent_seen(recent_pairs *r, uint64_t v)
{
    for (size_t i = 0; i < 8; i++)
        if (r->v[i] == v)
            return true;
    r->v[r->next] = v;
    r->next = (r->next + 1) & 7;
    return false;
}

/* The cluster present in the most message groups, when in at least half of them. */
static int32_t most_present(const kith_ingest *ing, int32_t *parent, bool *oom)
{
    size_t n = 0;
    for (size_t i = 0; i < ing->n_ex; i++)
        if (ing->ex[i].kind == KITH_K_MESSAGE && ing->ex[i].group >= 0)
            n += 1 + ing->ex[i].n_to;
    if (!n)
        return -1;
    uint64_t *pairs = malloc(n * sizeof *pairs);
    int32_t *count = calloc(ing->n_mentions, sizeof *count);
    int32_t best = -1;
    if (!pairs || !count) {
        *oom = true;
        goto cleanup;
    }
    n = 0;
    size_t at = 0; /* the exchange's first recipient in ex_to */
    recent_pairs recent;
    recent_init(&recent);
    for (size_t i = 0; i < ing->n_ex; at += ing->ex[i].n_to, i++) {
        const kith_exchange_rec *x = &ing->ex[i];
        if (x->kind != KITH_K_MESSAGE || x->group < 0)
            continue;
        uint64_t g = (uint64_t)(uint32_t)x->group << 32, v;
        if (x->from >= 0 && !recent_seen(&recent, v = g | (uint32_t)uf_find(parent, x->from)))
            pairs[n++] = v;
        for (uint32_t j = 0; j < x->n_to; j++)
            if (!recent_seen(&recent, v = g | (uint32_t)uf_find(parent, ing->ex_to[at + j])))
                pairs[n++] = v;
    }
    sort_u64(pairs, n);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && pairs[i] == pairs[i - 1])
            continue;
        if (i == 0 || pairs[i] >> 32 != pairs[i - 1] >> 32)
            groups++;
        count[(uint32_t)pairs[i]]++;
    }
    int32_t top = 0;
    bool tie = false;
    for (size_t r = 0; r < ing->n_mentions; r++) {
        if (count[r] > top) {
            top = count[r];
            best = (int32_t)r;
            tie = false;
        } else if (count[r] == top && top > 0) {
            tie = true;
        }
    }
    if (tie || (size_t)top * 2 < groups)
        best = -1;
cleanup:
    free(pairs);
    free(count);
    return best;
}

/* Marks every cluster holding an owner key. */
static void mark_clusters(const kith_ingest *ing, int32_t *parent, const uint8_t *owner_key,
                          uint8_t *is_owner)
{
    for (size_t i = 0; i < ing->n_mentions; i++) {
        const kith_mention *m = &ing->mentions[i];
        if ((m->url >= 0 && owner_key[m->url]) || (m->email >= 0 && owner_key[m->email]) ||
            (m->name >= 0 && owner_key[m->name]))
            is_owner[uf_find(parent, (int32_t)i)] = 1;
    }
    for (size_t i = 0; i < ing->n_extra; i++)
        if (owner_key[ing->extra[i].email])
            is_owner[uf_find(parent, ing->extra[i].who)] = 1;
}

/* Marks owner clusters in is_owner (indexed by cluster root) and fills o. */
static bool find_owner(kith_ingest *ing, int32_t *parent, uint8_t *is_owner, owner_info *o)
{
    size_t M = ing->n_mentions;
    uint8_t *owner_key = calloc(ing->keys.n ? ing->keys.n : 1, 1);
    bool oom = false, ok = false;
    if (!owner_key)
        return false;
    /* --me values that are no name, address nor URL ("", "!!") count as not given. */
    size_t n_me = 0;
    for (size_t i = 0; i < ing->n_me; i++) {
        char *k = kith_name_key(ing->me[i]);
        char *u = kith_url_key(ing->me[i]);
        n_me += k || u || strchr(ing->me[i], '@');
        free(k);
        free(u);
    }
    if (n_me) {
        for (size_t i = 0; i < ing->n_me; i++) {
            const char *v = ing->me[i];
            char *k;
            if (strchr(v, '@') && !strchr(v, '/') && (k = kith_email_key(v))) {
                if (!o->email)
                    o->email = strdup(k);
            } else if (looks_like_url(v) && (k = kith_url_key(v))) {
                if (!o->url)
                    o->url = strdup(k);
            } else if ((k = kith_name_key(v))) {
                if (!o->name)
                    o->name = kith_utf8_clean(v, strlen(v));
            } else {
                continue;
            }
            mark_key(ing, owner_key, k);
        }
    } else {
        const kith_profile *p = &ing->profile;
        if (p->first_name || p->last_name) {
            const char *f = p->first_name ? p->first_name : "";
            const char *l = p->last_name ? p->last_name : "";
            size_t n = strlen(f) + strlen(l) + 2;
            o->name = malloc(n);
            if (!o->name)
                goto cleanup;
            snprintf(o->name, n, "%s%s%s", f, *f && *l ? " " : "", l);
            mark_key(ing, owner_key, kith_name_key(o->name));
        }
        int32_t best = -1;
        for (size_t k = 0; k < ing->cap_votes && k < ing->keys.n; k++)
            if (ing->votes[k] > 0 &&
                (best < 0 || ing->votes[k] > ing->votes[best] ||
                 (ing->votes[k] == ing->votes[best] &&
                  strcmp(ing->keys.s[k], ing->keys.s[best]) < 0)))
                best = (int32_t)k;
        if (best >= 0) {
            owner_key[best] = 1;
            o->email = strdup(ing->keys.s[best]);
            if (!o->email)
                goto cleanup;
        }
        int32_t present = most_present(ing, parent, &oom);
        if (oom)
            goto cleanup;
        if (present >= 0)
            is_owner[present] = 1;
    }
    mark_clusters(ing, parent, owner_key, is_owner);
    /* The owner's other addresses: a full name (two words or more) the owner goes by is an
     * owner key too, so a second mailbox of the owner's never becomes a contact. One round
     * only: aliases of aliases are not followed. */
    bool more = false;
    for (size_t i = 0; i < M; i++) {
        const kith_mention *m = &ing->mentions[i];
        if (m->name >= 0 && !owner_key[m->name] && is_owner[uf_find(parent, (int32_t)i)] &&
            strchr(ing->keys.s[m->name], ' ')) {
            owner_key[m->name] = 1;
            more = true;
        }
    }
    if (more)
        mark_clusters(ing, parent, owner_key, is_owner);

    /* What the owner clusters say fills what the hints did not. */
    const char *display = NULL;
    for (size_t i = 0; i < M; i++) {
        const kith_mention *m = &ing->mentions[i];
        if (!is_owner[uf_find(parent, (int32_t)i)])
            continue;
        if (!o->url && m->url >= 0 && !(o->url = strdup(ing->keys.s[m->url])))
            goto cleanup;
        if (!o->email && m->email >= 0 && !(o->email = strdup(ing->keys.s[m->email])))
            goto cleanup;
        if (!display && m->display)
            display = m->display;
    }
    if (!o->name && !(o->name = strdup(display ? display : "")))
        goto cleanup;
    bool found = false;
    for (size_t i = 0; i < M && !found; i++)
        found = is_owner[uf_find(parent, (int32_t)i)];
    /* Without an owner, exchanges give no events: say so, since the numbers would be 0. */
    if (!found && ing->n_ex && n_me)
        kith_ingest_warn(ing, "no --me value matches anyone in the messages, mail or meetings: "
                              "they count only when the owner takes part");
    else if (!found && ing->n_ex)
        kith_ingest_warn(ing, "could not tell whose export this is (no Profile.csv, no "
                              "conversation partner in most threads, no Sent mail): messages, "
                              "mail and meetings count only with --me");
    ok = true;
cleanup:
    free(owner_key);
    return ok;
}

/* ------------------------------------------------------------------------------------------
 * Persons
 * ------------------------------------------------------------------------------------------ */

typedef struct {
    const char **v;
    size_t n, cap;
} strvec;

static bool sv_push(strvec *s, const char *x)
{
    if (!kith_grow(&s->v, &s->cap, s->n + 1, sizeof *s->v))
        return false;
    s->v[s->n++] = x;
    return true;
}

/* Sorts, removes duplicates and joins with "; "; NULL when empty, *oom on failure. */
static char *sv_join_sorted(strvec *s, bool *oom)
{
    if (!s->n)
        return NULL;
    sort_n(s->v, s->n, sizeof *s->v, cmp_str);
    size_t len = 0, u = 0;
    for (size_t i = 0; i < s->n; i++)
        if (i == 0 || strcmp(s->v[i], s->v[u - 1]) != 0) {
            s->v[u++] = s->v[i];
            len += strlen(s->v[i]) + 2;
        }
    s->n = u;
    char *out = malloc(len + 1);
    if (!out) {
        *oom = true;
        return NULL;
    }
    char *p = out;
    for (size_t i = 0; i < u; i++)
        p += sprintf(p, "%s%s", i ? "; " : "", s->v[i]);
    return out;
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    bool in = false;
    for (; *s; s++) {
        bool sp = *s == ' ';
        if (!sp && !in)
            n++;
        in = !sp;
    }
    return n;
}

/* Code points that dress a name up rather than spell it: 4-byte UTF-8 (emoji mostly) and
 * the separators of pasted headlines and pronouns. */
static size_t decoration(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if ((unsigned char)*s >= 0xF0 || strchr("|()[]{}", *s))
            n++;
    return n;
}

/* 1 when the name has both upper- and lower-case ASCII letters ("Dana Okafor", not
 * "DANA OKAFOR" nor "dana okafor"): how people write their own names. */
static int mixed_case(const char *s)
{
    bool up = false, low = false;
    for (; *s; s++) {
        up |= *s >= 'A' && *s <= 'Z';
        low |= *s >= 'a' && *s <= 'z';
    }
    return up && low;
}

/* Lexicographic comparison of name scores. */
static bool better(const int *a, const int *b)
{
    for (int i = 0; i < 6; i++)
        if (a[i] != b[i])
            return a[i] > b[i];
    return false;
}

static bool starts_with_linkedin(const char *kind) { return strncmp(kind, "linkedin", 8) == 0; }

/* The persons' strings, in one pool owned by the model (kith_model.person_strings). */
struct kith_string_pool {
    kith_arena arena;
};

typedef struct {
    const int32_t *moff, *mlist; /* mentions by person */
    const int32_t *coff, *clist; /* contact records by person */
    const int32_t *xoff, *xlist; /* extra e-mails by person */
    strvec sv, labels;
    char *label_buf;
    size_t label_cap;
    /* Persons' strings go into the model's pool: no allocation per string, and the ones
     * persons share (sources, employers, positions, labels) are stored once through the
     * shared table. */
    kith_arena *pool;
    kith_strtab shared;
    /* employer -> key, computed once per spelling: a million persons share few employers */
    kith_strtab companies;
    const char **company_keys;
    size_t cap_company_keys;
} person_ctx;

static void person_ctx_free(person_ctx *c)
{
    free(c->sv.v);
    free(c->labels.v);
    free(c->label_buf);
    kith_strtab_free(&c->shared);
    kith_strtab_free(&c->companies);
    free(c->company_keys);
}

/* A copy of s in the pool; NULL when s is NULL; *oom on failure. */
static char *pool_dup(person_ctx *c, const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = kith_arena_strndup(c->pool, s, strlen(s));
    if (!d)
        *oom = true;
    return d;
}

/* s stored once in the pool, however many persons have it; NULL when s is NULL. */
static char *pool_shared(person_ctx *c, const char *s, bool *oom)
{
    if (!s)
        return NULL;
    int32_t id = kith_strtab_intern(&c->shared, c->pool, s);
    if (id < 0) {
        *oom = true;
        return NULL;
    }
    return (char *)c->shared.s[id]; /* the model's persons never change their strings */
}

/* pool_shared of a joined list (malloc'd by sv_join_sorted, freed here). */
static char *pool_shared_take(person_ctx *c, char *s, bool *oom)
{
    char *d = pool_shared(c, s, oom);
    free(s);
    return d;
}

/* The company key of s, in the pool; NULL when s has none; *oom on failure. */
static char *company_key(person_ctx *c, const char *s, bool *oom)
{
    int32_t id = kith_strtab_find(&c->companies, s);
    if (id < 0) {
        char *k = kith_company_key(s);
        id = kith_strtab_intern(&c->companies, c->pool, s);
        char *copy = k ? pool_shared(c, k, oom) : NULL;
        free(k);
        if (id < 0 || (k && !copy) ||
            !kith_grow(&c->company_keys, &c->cap_company_keys, (size_t)id + 1,
                       sizeof *c->company_keys)) {
            *oom = true;
            return NULL;
        }
        c->company_keys[id] = copy;
    }
    return (char *)c->company_keys[id];
}

static bool fill_person(const kith_ingest *ing, person_ctx *c, size_t p, kith_person *out)
{
    bool oom = false;
    const int32_t *ms = c->mlist + c->moff[p], *cs = c->clist + c->coff[p];
    size_t nm = (size_t)(c->moff[p + 1] - c->moff[p]), nc = (size_t)(c->coff[p + 1] - c->coff[p]);

    /* Display name: from a contacts entry or connection first; among those, one with a
     * profile URL (the name the person gave their own profile, not a nickname the owner
     * typed, such as "Ji-woo from Globex"); then the most words in its key (the most
     * complete), then the least decoration (emoji, "|", brackets), then mixed case, then the
     * longest key; the earliest mention wins ties. */
    const char *name = NULL, *name_key = NULL;
    int best[6] = {0};
    const char *url = NULL, *url_any = NULL, *email = NULL;
    for (size_t i = 0; i < nm; i++) {
        const kith_mention *m = &ing->mentions[ms[i]];
        if (m->display && m->name >= 0) {
            const char *key = ing->keys.s[m->name];
            int score[6] = {m->contact, m->contact && m->url >= 0, (int)count_words(key),
                            -(int)decoration(m->display), mixed_case(m->display),
                            (int)strlen(key)};
            if (!name || better(score, best)) {
                name = m->display;
                name_key = key;
                memcpy(best, score, sizeof best);
            }
        }
        if (m->url >= 0) {
            if (!url_any)
                url_any = ing->keys.s[m->url];
            if (!url && m->contact)
                url = ing->keys.s[m->url];
        }
        if (m->email >= 0 && !email)
            email = ing->keys.s[m->email];
    }
    if (!url)
        url = url_any;
    if (!email)
        for (int32_t i = c->xoff[p]; i < c->xoff[p + 1] && !email; i++)
            email = ing->keys.s[ing->extra[c->xlist[i]].email];
    /* With no name, the address stands in for it; its name key stays empty. */
    out->name_key = pool_dup(c, name_key ? name_key : "", &oom);
    if (!name)
        name = email ? email : url ? url : "(unknown)";
    out->name = pool_dup(c, name, &oom);
    out->url = pool_dup(c, url, &oom);
    out->email = pool_dup(c, email, &oom);

    c->sv.n = 0;
    for (size_t i = 0; i < nm; i++)
        if (ing->mentions[ms[i]].email >= 0 &&
            !sv_push(&c->sv, ing->keys.s[ing->mentions[ms[i]].email]))
            oom = true;
    for (int32_t i = c->xoff[p]; i < c->xoff[p + 1]; i++)
        if (!sv_push(&c->sv, ing->keys.s[ing->extra[c->xlist[i]].email]))
            oom = true;
    out->emails = pool_shared_take(c, sv_join_sorted(&c->sv, &oom), &oom);

    c->sv.n = 0;
    for (size_t i = 0; i < nm; i++) {
        int32_t f = ing->mentions[ms[i]].file;
        if (f >= 0 && ing->inputs[f].kind[0] && !sv_push(&c->sv, ing->inputs[f].kind))
            oom = true;
    }
    out->sources = pool_shared_take(c, sv_join_sorted(&c->sv, &oom), &oom);

    /* Employer and position from one record: a LinkedIn connection first, else the first
     * contacts entry that has either. */
    const kith_contact_rec *job = NULL;
    const kith_contact_rec *bday = NULL;
    out->connected_on = KITH_NO_TIME;
    c->labels.n = 0;
    size_t label_len = 0;
    for (size_t i = 0; i < nc; i++) {
        const kith_contact_rec *r = &ing->contacts[cs[i]];
        int32_t f = ing->mentions[r->who].file;
        bool li = f >= 0 && starts_with_linkedin(ing->inputs[f].kind);
        if (r->company || r->position) {
            if (!job)
                job = r;
            else if (li) {
                int32_t jf = ing->mentions[job->who].file;
                if (!(jf >= 0 && starts_with_linkedin(ing->inputs[jf].kind)))
                    job = r;
            }
        }
        if (r->connected_on != KITH_NO_TIME &&
            (out->connected_on == KITH_NO_TIME || r->connected_on < out->connected_on))
            out->connected_on = r->connected_on;
        if (r->bday_month && (!bday || (!bday->bday_year && r->bday_year)))
            bday = r;
        if (r->labels)
            label_len += strlen(r->labels) + 1;
        if (r->connection)
            out->connection = true;
    }
    if (job) {
        out->company = pool_shared(c, job->company, &oom);
        out->company_key = job->company ? company_key(c, job->company, &oom) : NULL;
        out->position = pool_shared(c, job->position, &oom);
    }
    if (bday) {
        out->bday_year = bday->bday_year;
        out->bday_month = bday->bday_month;
        out->bday_day = bday->bday_day;
    }
    if (label_len) {
        if (!kith_grow(&c->label_buf, &c->label_cap, label_len, 1)) {
            oom = true;
        } else {
            char *w = c->label_buf;
            for (size_t i = 0; i < nc; i++) {
                const char *l = ing->contacts[cs[i]].labels;
                if (!l)
                    continue;
                strcpy(w, l);
                for (char *tok = strtok(w, ";"); tok; tok = strtok(NULL, ";")) {
                    while (*tok == ' ')
                        tok++;
                    size_t n = strlen(tok);
                    while (n > 0 && tok[n - 1] == ' ')
                        tok[--n] = '\0';
                    if (n && !sv_push(&c->labels, tok))
                        oom = true;
                }
                w += strlen(l) + 1;
            }
            out->labels = pool_shared_take(c, sv_join_sorted(&c->labels, &oom), &oom);
        }
    }
    return !oom && out->name && out->name_key;
}

/* Counting sort: off[0..n] and list of the indexes i with key(i) = p, in index order. */
static bool bucket(size_t n, size_t count, const int32_t *key, int32_t **off_out,
                   int32_t **list_out)
{
    int32_t *off = calloc(n + 1, sizeof *off);
    int32_t *list = malloc((count ? count : 1) * sizeof *list);
    if (!off || !list) {
        free(off);
        free(list);
        return false;
    }
    for (size_t i = 0; i < count; i++)
        if (key[i] >= 0)
            off[key[i] + 1]++;
    for (size_t p = 0; p < n; p++)
        off[p + 1] += off[p];
    int32_t *pos = malloc((n ? n : 1) * sizeof *pos);
    if (!pos) {
        free(off);
        free(list);
        return false;
    }
    memcpy(pos, off, n * sizeof *pos);
    for (size_t i = 0; i < count; i++)
        if (key[i] >= 0)
            list[pos[key[i]]++] = (int32_t)i;
    free(pos);
    *off_out = off;
    *list_out = list;
    return true;
}

/* ------------------------------------------------------------------------------------------
 * Events and groups
 * ------------------------------------------------------------------------------------------ */

static int cmp_event(const void *a, const void *b)
{
    const kith_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->person != y->person)
        return x->person < y->person ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->dir != y->dir)
        return x->dir < y->dir ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return (x->group > y->group) - (x->group < y->group);
}

/* Sorts events in cmp_event's order: a stable LSD radix sort (11-bit digits) on the packed
 * key (t - earliest, person), then each run of equal key put in full order (runs are a
 * message to several persons at most). O(n) with one scratch copy, as large as the one
 * glibc's merge sort takes; qsort when the key needs more than 64 bits or memory lacks. */
static void sort_events(kith_event *e, size_t n, size_t n_persons)
{
    if (n < 2)
        return;
    int64_t lo = e[0].t, hi = e[0].t;
    for (size_t i = 1; i < n; i++) {
        lo = e[i].t < lo ? e[i].t : lo;
        hi = e[i].t > hi ? e[i].t : hi;
    }
    unsigned bp = bits_for(n_persons), bt = bits_for((uint64_t)hi - (uint64_t)lo);
    kith_event *tmp = bp + bt <= 64 ? malloc(n * sizeof *tmp) : NULL;
    uint32_t *count = tmp ? malloc(2048 * sizeof *count) : NULL;
    if (!count) {
        free(tmp);
        sort_n(e, n, sizeof *e, cmp_event);
        return;
    }
#define EVENT_KEY(x) (((uint64_t)(x).t - (uint64_t)lo) << bp | (uint64_t)(uint32_t)(x).person)
    kith_event *src = e, *dst = tmp;
    for (unsigned shift = 0; shift < bp + bt; shift += 11) {
        memset(count, 0, 2048 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(EVENT_KEY(src[i]) >> shift) & 2047]++;
        if (count[(EVENT_KEY(src[0]) >> shift) & 2047] == n)
            continue; /* a digit every key shares */
        uint32_t sum = 0;
        for (size_t d = 0; d < 2048; d++) {
            uint32_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(EVENT_KEY(src[i]) >> shift) & 2047]++] = src[i];
        kith_event *t = src;
        src = dst;
        dst = t;
    }
#undef EVENT_KEY
    if (src != e)
        memcpy(e, src, n * sizeof *e);
    free(tmp);
    free(count);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && e[j].t == e[i].t && e[j].person == e[i].person)
            j++;
        if (j - i > 1)
            sort_n(e + i, j - i, sizeof *e, cmp_event);
        i = j;
    }
}

static int cmp_activity(const void *a, const void *b)
{
    const kith_activity_rec *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->what > y->what) - (x->what < y->what);
}

typedef struct {
    int64_t t;
    int32_t id;
} group_order;

static int cmp_group_order(const void *a, const void *b)
{
    const group_order *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static bool push_event(kith_ingest *ing, int64_t t, uint8_t kind, uint8_t dir, int32_t person,
                       int32_t group, int32_t item)
{
    if (!kith_grow(&ing->events, &ing->cap_events, ing->n_events + 1, sizeof *ing->events))
        return false;
    kith_event *e = &ing->events[ing->n_events++];
    e->t = t;
    e->kind = kind;
    e->dir = dir;
    e->person = person;
    e->group = group;
    e->item = item;
    return true;
}

static bool push_pair(uint64_t **pairs, size_t *n, size_t *cap, recent_pairs *recent,
                      int32_t g, int32_t p)
{
    uint64_t v = (uint64_t)(uint32_t)g << 32 | (uint32_t)p;
    if (recent_seen(recent, v))
        return true;
    if (!kith_grow(pairs, cap, *n + 1, sizeof **pairs))
        return false;
    (*pairs)[(*n)++] = v;
    return true;
}

static void see_group(int64_t *group_t, int32_t g, int64_t t)
{
    if (g >= 0 && (group_t[g] == KITH_NO_TIME || t < group_t[g]))
        group_t[g] = t;
}

typedef struct {
    int64_t t;
    int32_t group, from, idx;
    uint8_t kind;
} ex_key;

static int cmp_ex_key(const void *a, const void *b)
{
    const ex_key *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The same message or meeting read from two files (an Inbox and an All Mail mbox, two
 * calendars): same group key (Message-ID, UID + start), time, sender and kind. Marks all but
 * the first in dup[]; returns how many, or -1 when out of memory. O(X log X). */
/* The file exchange i comes from: the run holding it, by binary search. */
static int32_t ex_file(const kith_ingest *ing, size_t i)
{
    size_t lo = 0, hi = ing->n_ex_runs; /* the run: the last with first <= i */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (ing->ex_runs[mid].first <= i)
            lo = mid;
        else
            hi = mid;
    }
    return ing->n_ex_runs ? ing->ex_runs[lo].file : -1;
}

static long mark_duplicates(const kith_ingest *ing, const int32_t *pm, size_t G, uint8_t *dup)
{
    /* Only groups with exchanges from two files or more can hold one: usually none. */
    enum { UNSEEN = INT32_MIN, MANY = INT32_MIN + 1 };
    size_t n = 0;
    int32_t *file_of = malloc((G ? G : 1) * sizeof *file_of);
    if (!file_of)
        return -1;
    for (size_t g = 0; g < G; g++)
        file_of[g] = UNSEEN;
    for (size_t r = 0; r < ing->n_ex_runs; r++) {
        size_t end = r + 1 < ing->n_ex_runs ? ing->ex_runs[r + 1].first : ing->n_ex;
        int32_t file = ing->ex_runs[r].file;
        for (size_t i = ing->ex_runs[r].first; i < end; i++) {
            int32_t g = ing->ex[i].group;
            if (g < 0)
                continue;
            if (file_of[g] == UNSEEN)
                file_of[g] = file;
            else if (file_of[g] != file)
                file_of[g] = MANY;
        }
    }
    for (size_t i = 0; i < ing->n_ex; i++)
        if (ing->ex[i].group >= 0 && file_of[ing->ex[i].group] == MANY)
            n++;
    if (n < 2) {
        free(file_of);
        return 0;
    }
    ex_key *k = malloc(n * sizeof *k);
    if (!k) {
        free(file_of);
        return -1;
    }
    n = 0;
    for (size_t i = 0; i < ing->n_ex; i++) {
        const kith_exchange_rec *x = &ing->ex[i];
        if (x->group < 0 || file_of[x->group] != MANY)
            continue;
        k[n].t = x->t;
        k[n].group = x->group;
        k[n].from = x->from >= 0 ? pm[x->from] : -2;
        k[n].kind = x->kind;
        k[n].idx = (int32_t)i;
        n++;
    }
    free(file_of);
    sort_n(k, n, sizeof *k, cmp_ex_key);
    long dups = 0;
    for (size_t i = 1; i < n; i++)
        if (k[i].group == k[i - 1].group && k[i].t == k[i - 1].t &&
            k[i].from == k[i - 1].from && k[i].kind == k[i - 1].kind &&
            ing->ex[k[i].idx].n_to == ing->ex[k[i - 1].idx].n_to &&
            ex_file(ing, (size_t)k[i].idx) != ex_file(ing, (size_t)k[i - 1].idx)) {
            dup[k[i].idx] = 1;
            dups++;
        }
    free(k);
    return dups;
}

/* Maps events to persons (dropping the owner's), expands exchanges, builds groups. */
static bool build_events(kith_ingest *ing, const int32_t *pm, size_t P, size_t G, kith_model *m)
{
    bool ok = false;
    int64_t *group_t = malloc((G ? G : 1) * sizeof *group_t);
    int32_t *stamp = malloc((P ? P : 1) * sizeof *stamp);
    int32_t *part = NULL, *newid = NULL;
    size_t cap_part = 0;
    uint64_t *pairs = NULL;
    size_t n_pairs = 0, cap_pairs = 0;
    recent_pairs recent;
    recent_init(&recent);
    group_order *order = NULL;
    uint8_t *dup = NULL;
    if (!group_t || !stamp)
        goto cleanup;
    for (size_t g = 0; g < G; g++)
        group_t[g] = KITH_NO_TIME;
    memset(stamp, 0xff, P * sizeof *stamp);
    dup = calloc(ing->n_ex ? ing->n_ex : 1, 1);
    long dups = dup ? mark_duplicates(ing, pm, G, dup) : -1;
    if (dups < 0)
        goto cleanup;
    if (dups > 0)
        kith_ingest_warn(ing, "%ld message%s or meeting%s found in more than one file: counted once",
                         dups, dups == 1 ? "" : "s", dups == 1 ? "" : "s");

    /* Room for every event the exchanges can make, reserved once: pages never written
     * cost no memory, and the array is never copied while it grows. */
    size_t most = ing->n_events;
    for (size_t i = 0; i < ing->n_ex; i++)
        most += dup[i] ? 0 : ing->ex[i].n_to + 1u;
    if (!kith_grow(&ing->events, &ing->cap_events, most, sizeof *ing->events))
        goto cleanup;

    size_t w = 0;
    for (size_t i = 0; i < ing->n_events; i++) {
        kith_event e = ing->events[i];
        e.person = pm[e.person];
        if (e.person < 0)
            continue;
        if (e.group >= 0) {
            see_group(group_t, e.group, e.t);
            if (!push_pair(&pairs, &n_pairs, &cap_pairs, &recent, e.group, e.person))
                goto cleanup;
        }
        ing->events[w++] = e;
    }
    ing->n_events = w;

    size_t to_at = 0; /* the exchange's first recipient in ex_to */
    for (size_t i = 0; i < ing->n_ex; to_at += ing->ex[i].n_to, i++) {
        const kith_exchange_rec *x = &ing->ex[i];
        if (dup[i])
            continue;
        /* participants: distinct persons, the sender first; the owner is not one */
        size_t np = 0;
        bool owner_from = x->from >= 0 && pm[x->from] < 0, owner_to = false;
        if (!kith_grow(&part, &cap_part, (size_t)x->n_to + 1, sizeof *part))
            goto cleanup;
        int32_t fp = x->from >= 0 ? pm[x->from] : -1;
        if (fp >= 0) {
            stamp[fp] = (int32_t)i;
            part[np++] = fp;
        }
        for (uint32_t j = 0; j < x->n_to; j++) {
            int32_t p = pm[ing->ex_to[to_at + j]];
            if (p < 0) {
                owner_to = true;
            } else if (stamp[p] != (int32_t)i) {
                stamp[p] = (int32_t)i;
                part[np++] = p;
            }
        }
        if (x->group >= 0 && np) {
            see_group(group_t, x->group, x->t);
            for (size_t j = 0; j < np; j++)
                if (!push_pair(&pairs, &n_pairs, &cap_pairs, &recent, x->group, part[j]))
                    goto cleanup;
        }
        if (owner_from) {
            int32_t item = kith_ingest_item(ing);
            for (size_t j = 0; j < np; j++)
                if (!push_event(ing, x->t, x->kind, KITH_DIR_OUT, part[j], x->group, item))
                    goto cleanup;
        } else if (owner_to) {
            int32_t item = kith_ingest_item(ing);
            for (size_t j = 0; j < np; j++) {
                if (!(x->flags & KITH_EX_EVERYONE) && !(j == 0 && fp >= 0))
                    break;
                if (!push_event(ing, x->t, x->kind, KITH_DIR_IN, part[j], x->group, item))
                    goto cleanup;
            }
        }
    }

    /* The exchanges are events now: their memory goes to the sorts below. */
    free(ing->ex);
    free(ing->ex_to);
    free(ing->ex_runs);
    ing->ex = NULL;
    ing->ex_to = NULL;
    ing->ex_runs = NULL;
    ing->n_ex = ing->cap_ex = ing->n_ex_to = ing->cap_ex_to = 0;
    ing->n_ex_runs = ing->cap_ex_runs = 0;
    free(dup);
    dup = NULL;
    if (ing->n_events < ing->cap_events) {
        kith_event *shrunk = realloc(ing->events, (ing->n_events ? ing->n_events : 1) *
                                                      sizeof *ing->events);
        if (shrunk) {
            ing->events = shrunk;
            ing->cap_events = ing->n_events ? ing->n_events : 1;
        }
    }

    /* Groups: those with members, ordered by their first time. */
    sort_u64(pairs, n_pairs);
    size_t u = 0;
    for (size_t i = 0; i < n_pairs; i++)
        if (i == 0 || pairs[i] != pairs[u - 1])
            pairs[u++] = pairs[i];
    n_pairs = u;
    newid = malloc((G ? G : 1) * sizeof *newid);
    order = malloc((G ? G : 1) * sizeof *order);
    if (!newid || !order)
        goto cleanup;
    memset(newid, 0xff, G * sizeof *newid);
    size_t ng = 0;
    for (size_t i = 0; i < n_pairs; i++) {
        int32_t g = (int32_t)(pairs[i] >> 32);
        if (i == 0 || g != (int32_t)(pairs[i - 1] >> 32)) {
            order[ng].t = group_t[g];
            order[ng].id = g;
            ng++;
        }
    }
    sort_n(order, ng, sizeof *order, cmp_group_order);
    for (size_t k = 0; k < ng; k++)
        newid[order[k].id] = (int32_t)k;
    m->groups = calloc(ng ? ng : 1, sizeof *m->groups);
    m->group_members = malloc((n_pairs ? n_pairs : 1) * sizeof *m->group_members);
    if (!m->groups || !m->group_members)
        goto cleanup;
    m->n_groups = ng;
    m->n_group_members = n_pairs;
    /* Count members, lay groups out in their new order, then copy the sorted pairs. */
    for (size_t i = 0; i < n_pairs; i++)
        m->groups[newid[(int32_t)(pairs[i] >> 32)]].n++;
    uint32_t at = 0;
    for (size_t k = 0; k < ng; k++) {
        m->groups[k].first = at;
        m->groups[k].t = order[k].t;
        at += m->groups[k].n;
    }
    for (size_t i = 0; i < n_pairs;) {
        int32_t g = (int32_t)(pairs[i] >> 32);
        kith_group *gr = &m->groups[newid[g]];
        for (uint32_t j = 0; j < gr->n; j++)
            m->group_members[gr->first + j] = (int32_t)(uint32_t)pairs[i + j];
        i += gr->n;
    }
    for (size_t i = 0; i < ing->n_events; i++)
        if (ing->events[i].group >= 0)
            ing->events[i].group = newid[ing->events[i].group];

    sort_events(ing->events, ing->n_events, P);
    ok = true;
cleanup:
    free(group_t);
    free(stamp);
    free(part);
    free(pairs);
    free(newid);
    free(order);
    free(dup);
    return ok;
}

/* ------------------------------------------------------------------------------------------
 * Build
 * ------------------------------------------------------------------------------------------ */

typedef struct {
    kith_ingest *ing;
    const int32_t *pm;
    size_t P, G;
    kith_model *m;
    bool ok;
} events_job;

static void *run_events_job(void *arg)
{
    events_job *j = arg;
    kith_span span = kith_trace_start();
    j->ok = build_events(j->ing, j->pm, j->P, j->G, j->m);
    kith_trace_stop(span, "model: events and groups (thread)");
    return NULL;
}

static void see_time(kith_model *m, int64_t t, int64_t *last)
{
    if (t == KITH_NO_TIME)
        return;
    if (m->first_time == KITH_NO_TIME || t < m->first_time)
        m->first_time = t;
    if (*last == KITH_NO_TIME || t > *last)
        *last = t;
}

kith_err kith_model_build(kith_ingest *ing, kith_model **out, kith_diag *d)
{
    kith_err err = KITH_ERR_NOMEM;
    *out = NULL;
    size_t M = ing->n_mentions;
    int32_t *parent = malloc((M ? M : 1) * sizeof *parent);
    int32_t *size = malloc((M ? M : 1) * sizeof *size);
    uint8_t *is_owner = calloc(M ? M : 1, 1);
    int32_t *pm = malloc((M ? M : 1) * sizeof *pm);
    int32_t *person_of_root = malloc((M ? M : 1) * sizeof *person_of_root);
    int32_t *ckey = NULL, *xkey = NULL;
    person_ctx pc = {0};
    int32_t *moff = NULL, *mlist = NULL, *coff = NULL, *clist = NULL, *xoff = NULL,
            *xlist = NULL;
    owner_info own = {0};
    kith_model *m = calloc(1, sizeof *m);
    if (ing->cur >= 0)
        kith_ingest_end_file(ing);
    if (!parent || !size || !is_owner || !pm || !person_of_root || !m || ing->oom)
        goto cleanup;
    m->first_time = m->export_time = KITH_NO_TIME;

    kith_span span = kith_trace_start();
    if (!resolve(ing, parent, size) || !find_owner(ing, parent, is_owner, &own))
        goto cleanup;
    kith_trace_stop(span, "model: identities and owner");
    span = kith_trace_start();

    /* Persons in order of first mention. */
    size_t P = 0;
    memset(person_of_root, 0xff, M * sizeof *person_of_root);
    for (size_t i = 0; i < M; i++) {
        int32_t r = uf_find(parent, (int32_t)i);
        if (is_owner[r]) {
            pm[i] = -1;
            continue;
        }
        if (person_of_root[r] < 0)
            person_of_root[r] = (int32_t)P++;
        pm[i] = person_of_root[r];
    }
    ckey = malloc((ing->n_contacts ? ing->n_contacts : 1) * sizeof *ckey);
    xkey = malloc((ing->n_extra ? ing->n_extra : 1) * sizeof *xkey);
    if (!ckey || !xkey)
        goto cleanup;
    for (size_t i = 0; i < ing->n_contacts; i++)
        ckey[i] = pm[ing->contacts[i].who];
    for (size_t i = 0; i < ing->n_extra; i++)
        xkey[i] = pm[ing->extra[i].who];
    if (!bucket(P, M, pm, &moff, &mlist) || !bucket(P, ing->n_contacts, ckey, &coff, &clist) ||
        !bucket(P, ing->n_extra, xkey, &xoff, &xlist))
        goto cleanup;
    pc.moff = moff;
    pc.mlist = mlist;
    pc.coff = coff;
    pc.clist = clist;
    pc.xoff = xoff;
    pc.xlist = xlist;
    m->persons = calloc(P ? P : 1, sizeof *m->persons);
    m->person_strings = calloc(1, sizeof *m->person_strings);
    if (!m->persons || !m->person_strings)
        goto cleanup;
    pc.pool = &m->person_strings->arena;
    m->n_persons = P;
    /* The persons' attributes and the events are independent (each reads its own part of
     * the ingest and writes its own part of the model): the events are built in a second
     * thread meanwhile, in one thread when none can be had. */
    events_job job = {ing, pm, P, ing->gkeys.n, m, false};
    kith_ingest_free_lookup(ing); /* both halves want the memory, neither a lookup */
    pthread_t events_thread;
    bool threaded = pthread_create(&events_thread, NULL, run_events_job, &job) == 0;
    bool persons_ok = true;
    for (size_t p = 0; p < P && persons_ok; p++)
        persons_ok = fill_person(ing, &pc, p, &m->persons[p]);
    if (threaded)
        pthread_join(events_thread, NULL);
    else if (persons_ok)
        run_events_job(&job);
    kith_ingest_free_identity(ing);
    kith_trace_stop(span, "model: persons and events");
    if (!persons_ok || !job.ok)
        goto cleanup;

    /* Intros between two persons (the owner is the introducer, never a party). */
    size_t ni = 0;
    for (size_t i = 0; i < ing->n_intros; i++) {
        kith_intro x = ing->intros[i];
        x.a = pm[x.a];
        x.b = pm[x.b];
        if (x.a >= 0 && x.b >= 0 && x.a != x.b)
            ing->intros[ni++] = x;
    }
    ing->n_intros = ni;
    sort_n(ing->activity, ing->n_activity, sizeof *ing->activity, cmp_activity);

    int64_t last = KITH_NO_TIME;
    for (size_t i = 0; i < ing->n_events; i++)
        see_time(m, ing->events[i].t, &last);
    for (size_t i = 0; i < ni; i++)
        see_time(m, ing->intros[i].t, &last);
    for (size_t i = 0; i < ing->n_activity; i++)
        see_time(m, ing->activity[i].t, &last);
    for (size_t p = 0; p < P; p++)
        see_time(m, m->persons[p].connected_on, &last);
    m->export_time = ing->export_date != KITH_NO_TIME ? ing->export_date : last;

    /* Hand the arrays over: they are already in their final layout. */
    m->events = ing->events;
    m->n_events = ing->n_events;
    ing->events = NULL;
    ing->n_events = ing->cap_events = 0;
    m->intros = ing->intros;
    m->n_intros = ni;
    ing->intros = NULL;
    ing->n_intros = ing->cap_intros = 0;
    m->activity = ing->activity;
    m->n_activity = ing->n_activity;
    ing->activity = NULL;
    ing->n_activity = ing->cap_activity = 0;
    m->profile = ing->profile;
    memset(&ing->profile, 0, sizeof ing->profile);
    m->inputs = ing->inputs;
    m->n_inputs = ing->n_inputs;
    ing->inputs = NULL;
    ing->n_inputs = ing->cap_inputs = 0;
    m->warnings = ing->warnings;
    m->n_warnings = ing->n_warnings;
    ing->warnings = NULL;
    ing->n_warnings = ing->cap_warnings = 0;
    m->owner_name = own.name;
    m->owner_url = own.url;
    m->owner_email = own.email;
    memset(&own, 0, sizeof own);
    if (!m->owner_name && !(m->owner_name = strdup("")))
        goto cleanup;
    *out = m;
    m = NULL;
    err = KITH_OK;
cleanup:
    kith_ingest_reset(ing); /* emptied either way: its arrays may be half remapped */
    if (err != KITH_OK)
        kith_diag_set(d, err, NULL, 0, "out of memory while building the model");
    kith_model_free(m);
    owner_info_free(&own);
    free(parent);
    free(size);
    free(is_owner);
    free(pm);
    free(person_of_root);
    free(ckey);
    free(xkey);
    free(moff);
    free(mlist);
    free(coff);
    free(clist);
    free(xoff);
    free(xlist);
    person_ctx_free(&pc);
    return err;
}

void kith_model_free(kith_model *m)
{
    if (!m)
        return;
    if (m->person_strings) {
        kith_arena_free(&m->person_strings->arena);
        free(m->person_strings);
    }
    for (size_t i = 0; i < m->n_persons && m->persons && !m->person_strings; i++) {
        kith_person *p = &m->persons[i];
        free(p->name);
        free(p->name_key);
        free(p->url);
        free(p->email);
        free(p->emails);
        free(p->company);
        free(p->company_key);
        free(p->position);
        free(p->labels);
        free(p->sources);
    }
    free(m->persons);
    free(m->events);
    free(m->groups);
    free(m->group_members);
    free(m->intros);
    free(m->activity);
    free(m->profile.first_name);
    free(m->profile.last_name);
    free(m->profile.headline);
    free(m->profile.summary);
    free(m->profile.industry);
    free(m->profile.location);
    free(m->owner_name);
    free(m->owner_url);
    free(m->owner_email);
    for (size_t i = 0; i < m->n_inputs && m->inputs; i++) {
        kith_input_stat *s = &m->inputs[i];
        free(s->path);
        free(s->kind);
        for (size_t j = 0; j < s->n_reasons; j++)
            free(s->reasons[j].reason);
        for (size_t j = 0; j < s->n_first_skips; j++)
            free(s->first_skips[j].reason);
    }
    free(m->inputs);
    for (size_t i = 0; i < m->n_warnings && m->warnings; i++)
        free(m->warnings[i]);
    free(m->warnings);
    free(m);
}
