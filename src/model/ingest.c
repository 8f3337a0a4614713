/* The ingest API: readers hand over plain records while they stream a file.
 *
 * Nothing is resolved here: mentions are interned per file by their keys, events keep
 * mention ids, and kith_model_build (build.c) does identity, owner and expansion once all
 * files are in. Allocation failures are sticky (ing->oom) and reported by the build, so the
 * void calls readers make in tight loops stay cheap. */
#include "ingest_impl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/text.h"

/* ------------------------------------------------------------------------------------------
 * Kinds
 * ------------------------------------------------------------------------------------------ */

static const char *const kind_names[KITH_K__COUNT] = {
    "message", "email",  "meeting", "call",    "endorsement", "recommendation",
    "introduction", "invitation", "gift", "comment", "reaction"};

const char *kith_kind_name(kith_kind k)
{
    return (unsigned)k < KITH_K__COUNT ? kind_names[k] : NULL;
}

int kith_kind_parse(const char *s)
{
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    for (int k = 0; k < KITH_K__COUNT; k++)
        if (strlen(kind_names[k]) == n && strncasecmp(s, kind_names[k], n) == 0)
            return k;
    return -1;
}

/* ------------------------------------------------------------------------------------------
 * Arena, growable arrays, interned strings
 * ------------------------------------------------------------------------------------------ */

struct kith_arena_chunk {
    kith_arena_chunk *next;
    size_t used, cap;
    char data[];
};

char *kith_arena_strndup(kith_arena *a, const char *s, size_t n)
{
    kith_arena_chunk *c = a->head;
    if (!c || c->cap - c->used < n + 1) {
        size_t cap = n + 1 > 65536 ? n + 1 : 65536;
        kith_arena_chunk *nc = malloc(sizeof *nc + cap);
        if (!nc)
            return NULL;
        nc->used = 0;
        nc->cap = cap;
        /* A big string gets its own chunk behind the current one, so the rest stays usable. */
        if (c && cap > 65536) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        c = nc;
    }
    char *p = c->data + c->used;
    memcpy(p, s, n);
    p[n] = '\0';
    c->used += n + 1;
    return p;
}

void kith_arena_free(kith_arena *a)
{
    kith_arena_chunk *c = a ? a->head : NULL;
    while (c) {
        kith_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    if (a)
        a->head = NULL;
}

bool kith_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    void **pp = p;
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need)
        ncap *= 2;
    void *np = realloc(*pp, ncap * elem);
    if (!np)
        return false;
    *pp = np;
    *cap = ncap;
    return true;
}

uint64_t kith_hash_str(const char *s)
{
    /* Eight bytes per step (a multiply and a shift each), then murmur3's finalizer: the
     * byte-at-a-time FNV this replaced was half the cost of every lookup, and keys are
     * profile URLs of 40-60 bytes. */
    size_t n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = 0x243F6A8885A308D3ull ^ (n * 0x9E3779B97F4A7C15ull);
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, p, n);
        h = (h ^ w) * 0x94D049BB133111EBull;
        h ^= h >> 31;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
}

/* A slot holds the hash's high half as a tag and id + 1 (0 = empty), so a probe touches the
 * string only when the tags agree: one cache miss per lookup instead of three. */
#define SLOT(h, id) (((h) & 0xffffffff00000000ull) | (uint64_t)((uint32_t)(id) + 1u))
#define SLOT_ID(v) ((int32_t)((uint32_t)(v) - 1u))
#define SLOT_TAG(v) ((v) & 0xffffffff00000000ull)

int32_t kith_strtab_find_h(const kith_strtab *t, const char *s, uint64_t h)
{
    if (!t->nslot)
        return -1;
    uint64_t tag = SLOT_TAG(h);
    for (size_t i = h & (t->nslot - 1);; i = (i + 1) & (t->nslot - 1)) {
        uint64_t v = t->slot[i];
        if (!v)
            return -1;
        if (SLOT_TAG(v) == tag && strcmp(t->s[SLOT_ID(v)], s) == 0)
            return SLOT_ID(v);
    }
}

int32_t kith_strtab_find(const kith_strtab *t, const char *s)
{
    return kith_strtab_find_h(t, s, kith_hash_str(s));
}

static void slot_put(uint64_t *slot, size_t nslot, uint64_t h, int32_t id)
{
    size_t i = h & (nslot - 1);
    while (slot[i])
        i = (i + 1) & (nslot - 1);
    slot[i] = SLOT(h, id);
}

static bool strtab_rehash(kith_strtab *t)
{
    size_t nslot = t->nslot ? t->nslot * 2 : 1024;
    uint64_t *slot = calloc(nslot, sizeof *slot);
    if (!slot)
        return false;
    for (size_t id = 0; id < t->n; id++)
        slot_put(slot, nslot, t->h[id], (int32_t)id);
    free(t->slot);
    t->slot = slot;
    t->nslot = nslot;
    return true;
}

int32_t kith_strtab_intern_h(kith_strtab *t, kith_arena *a, const char *s, uint64_t h)
{
    int32_t id = kith_strtab_find_h(t, s, h);
    if (id >= 0)
        return id;
    if (t->n >= INT32_MAX - 1)
        return -1;
    if ((t->n + 1) * 2 > t->nslot && !strtab_rehash(t))
        return -1;
    size_t cap = t->cap;
    if (!kith_grow(&t->s, &cap, t->n + 1, sizeof *t->s))
        return -1;
    if (!kith_grow(&t->h, &t->cap, t->n + 1, sizeof *t->h))
        return -1;
    const char *copy = kith_arena_strndup(a, s, strlen(s));
    if (!copy)
        return -1;
    id = (int32_t)t->n++;
    t->s[id] = copy;
    t->h[id] = h;
    slot_put(t->slot, t->nslot, h, id);
    return id;
}

int32_t kith_strtab_intern(kith_strtab *t, kith_arena *a, const char *s)
{
    return kith_strtab_intern_h(t, a, s, kith_hash_str(s));
}

void kith_strtab_free(kith_strtab *t)
{
    free(t->s);
    free(t->h);
    free(t->slot);
    memset(t, 0, sizeof *t);
}

/* ------------------------------------------------------------------------------------------
 * Life cycle
 * ------------------------------------------------------------------------------------------ */

static void init_empty(kith_ingest *ing)
{
    ing->cur = -1;
    ing->export_date = KITH_NO_TIME;
}

kith_err kith_ingest_new(kith_ingest **out, const kith_ingest_opts *opts)
{
    kith_err err = KITH_ERR_NOMEM;
    *out = NULL;
    kith_ingest *ing = calloc(1, sizeof *ing);
    if (!ing)
        return KITH_ERR_NOMEM;
    init_empty(ing);
    if (opts) {
        ing->strict = opts->strict;
        if (opts->n_me) {
            ing->me = calloc(opts->n_me, sizeof *ing->me);
            if (!ing->me)
                goto cleanup;
            for (size_t i = 0; i < opts->n_me; i++) {
                ing->me[i] = strdup(opts->me[i] ? opts->me[i] : "");
                if (!ing->me[i])
                    goto cleanup;
                ing->n_me = i + 1;
            }
        }
    }
    *out = ing;
    ing = NULL;
    err = KITH_OK;
cleanup:
    kith_ingest_free(ing);
    return err;
}

static void free_input_stat(kith_input_stat *s)
{
    free(s->path);
    free(s->kind);
    for (size_t i = 0; i < s->n_reasons; i++)
        free(s->reasons[i].reason);
    for (size_t i = 0; i < s->n_first_skips; i++)
        free(s->first_skips[i].reason);
}

static void free_profile(kith_profile *p)
{
    free(p->first_name);
    free(p->last_name);
    free(p->headline);
    free(p->summary);
    free(p->industry);
    free(p->location);
    memset(p, 0, sizeof *p);
}

void kith_ingest_reset(kith_ingest *ing)
{
    kith_arena_free(&ing->arena);
    kith_strtab_free(&ing->keys);
    kith_strtab_free(&ing->gkeys);
    for (int i = 0; i < 3; i++) {
        kith_strtab_free(&ing->raw[i]);
        free(ing->raw_key[i]);
    }
    free(ing->mentions);
    free(ing->mslot);
    free(ing->contacts);
    free(ing->extra);
    free(ing->events);
    free(ing->ex);
    free(ing->ex_to);
    free(ing->ex_runs);
    free(ing->intros);
    free(ing->activity);
    free_profile(&ing->profile);
    free(ing->votes);
    for (size_t i = 0; i < ing->n_inputs; i++)
        free_input_stat(&ing->inputs[i]);
    free(ing->inputs);
    for (size_t i = 0; i < ing->n_warnings; i++)
        free(ing->warnings[i]);
    free(ing->warnings);
    bool strict = ing->strict;
    char **me = ing->me;
    size_t n_me = ing->n_me;
    memset(ing, 0, sizeof *ing);
    ing->strict = strict;
    ing->me = me;
    ing->n_me = n_me;
    init_empty(ing);
}

void kith_ingest_free_lookup(kith_ingest *ing)
{
    kith_strtab *tabs[] = {&ing->keys, &ing->gkeys};
    for (size_t i = 0; i < 2; i++) {
        free(tabs[i]->h);
        free(tabs[i]->slot);
        tabs[i]->h = NULL;
        tabs[i]->slot = NULL;
        tabs[i]->nslot = 0; /* finds answer "absent"; nothing interns any more */
    }
    for (int i = 0; i < 3; i++) {
        kith_strtab_free(&ing->raw[i]);
        free(ing->raw_key[i]);
        ing->raw_key[i] = NULL;
        ing->cap_raw_key[i] = 0;
    }
    free(ing->mslot);
    ing->mslot = NULL;
    ing->nmslot = 0;
}

void kith_ingest_free_identity(kith_ingest *ing)
{
    kith_ingest_free_lookup(ing);
    kith_arena_free(&ing->arena);
    kith_strtab_free(&ing->keys);
    kith_strtab_free(&ing->gkeys);
    free(ing->mentions);
    free(ing->contacts);
    free(ing->extra);
    free(ing->votes);
    ing->mentions = NULL;
    ing->n_mentions = ing->cap_mentions = 0;
    ing->contacts = NULL;
    ing->n_contacts = ing->cap_contacts = 0;
    ing->extra = NULL;
    ing->n_extra = ing->cap_extra = 0;
    ing->votes = NULL;
    ing->cap_votes = 0;
}

void kith_ingest_free(kith_ingest *ing)
{
    if (!ing)
        return;
    kith_ingest_reset(ing);
    for (size_t i = 0; i < ing->n_me; i++)
        free(ing->me[i]);
    free(ing->me);
    free(ing);
}

/* ------------------------------------------------------------------------------------------
 * Memos of recent raw inputs (per file)
 * ------------------------------------------------------------------------------------------ */

static void memo_clear(kith_ingest *ing)
{
    for (size_t i = 0; i < KITH_MEMO_N; i++)
        ing->who_memo[i].h = ing->group_memo[i].h = 0;
    ing->who_next = ing->group_next = 0;
}

/* Appends a field to a memo key: a presence byte, the length, the bytes. False when the
 * key would not fit (the call is then not memoized). */
static bool memo_put(unsigned char *k, size_t *len, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (*len + 3 + n > KITH_MEMO_BYTES)
        return false;
    k[(*len)++] = s != NULL;
    k[(*len)++] = (unsigned char)(n & 0xff);
    k[(*len)++] = (unsigned char)(n >> 8);
    memcpy(k + *len, s ? s : "", n);
    *len += n;
    return true;
}

/* A fingerprint of a memo key: its length and first and last eight bytes (enough to tell
 * recent keys apart; equal ones are then compared whole). */
static uint64_t memo_hash(const unsigned char *k, size_t n)
{
    uint64_t a = 0, z = 0;
    memcpy(&a, k, n < 8 ? n : 8);
    if (n > 8)
        memcpy(&z, k + n - 8, 8);
    return (a ^ (z << 1 | z >> 63) ^ ((uint64_t)n << 48)) | 1; /* never 0: 0 is empty */
}

static int32_t memo_find(const kith_memo *m, uint64_t h, const unsigned char *k, size_t n)
{
    for (size_t i = 0; i < KITH_MEMO_N; i++)
        if (m[i].h == h && m[i].len == n && memcmp(m[i].key, k, n) == 0)
            return m[i].id;
    return -2;
}

static void memo_add(kith_memo *m, unsigned *next, uint64_t h, const unsigned char *k, size_t n,
                     int32_t id)
{
    kith_memo *e = &m[*next];
    *next = (*next + 1) % KITH_MEMO_N;
    e->h = h;
    e->id = id;
    e->len = (uint16_t)n;
    memcpy(e->key, k, n);
}

/* ------------------------------------------------------------------------------------------
 * Files, rows, skips, warnings
 * ------------------------------------------------------------------------------------------ */

static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void add_warning(kith_ingest *ing, char *msg)
{
    if (!msg || !kith_grow(&ing->warnings, &ing->cap_warnings, ing->n_warnings + 1,
                           sizeof *ing->warnings)) {
        free(msg);
        ing->oom = true;
        return;
    }
    ing->warnings[ing->n_warnings++] = msg;
}

void kith_ingest_warn(kith_ingest *ing, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = vformat(fmt, ap);
    va_end(ap);
    add_warning(ing, msg);
}

void kith_ingest_begin_file(kith_ingest *ing, const char *path, const char *kind)
{
    if (ing->cur >= 0)
        kith_ingest_end_file(ing);
    memo_clear(ing); /* mentions and group keys are per file (kind) */
    if (!kith_grow(&ing->inputs, &ing->cap_inputs, ing->n_inputs + 1, sizeof *ing->inputs)) {
        ing->oom = true;
        return;
    }
    kith_input_stat *s = &ing->inputs[ing->n_inputs];
    memset(s, 0, sizeof *s);
    s->path = strdup(path ? path : "");
    s->kind = strdup(kind ? kind : "");
    if (!s->path || !s->kind) {
        free_input_stat(s);
        ing->oom = true;
        return;
    }
    ing->cur = (int)ing->n_inputs++;
}

void kith_ingest_row(kith_ingest *ing)
{
    if (ing->cur >= 0)
        ing->inputs[ing->cur].rows++;
}

/* Counts a reason; reasons beyond the table's size go under "other". */
static void count_reason(kith_ingest *ing, const char *reason, size_t n, bool dropped)
{
    kith_input_stat *s = &ing->inputs[ing->cur];
    for (size_t i = 0; i < s->n_reasons; i++) {
        if (s->reasons[i].dropped == dropped && strlen(s->reasons[i].reason) == n &&
            strncmp(s->reasons[i].reason, reason, n) == 0) {
            s->reasons[i].count++;
            return;
        }
    }
    if (s->n_reasons == KITH_MAX_REASONS) {
        for (size_t i = 0; i < s->n_reasons; i++)
            if (strcmp(s->reasons[i].reason, "other") == 0) {
                s->reasons[i].count++;
                return;
            }
        return;
    }
    bool last = s->n_reasons == KITH_MAX_REASONS - 1;
    char *copy = last ? strdup("other") : strndup(reason, n);
    if (!copy) {
        ing->oom = true;
        return;
    }
    s->reasons[s->n_reasons].reason = copy;
    s->reasons[s->n_reasons].count = 1;
    s->reasons[s->n_reasons].dropped = last ? false : dropped;
    s->n_reasons++;
}

/* "bad date '31/02'" counts as "bad date": the class of a reason is the text before the
 * first quote, colon or digit, so counts group the same failure. */
static size_t reason_class(const char *r)
{
    size_t n = strcspn(r, "'\":0123456789(");
    while (n > 0 && (r[n - 1] == ' ' || r[n - 1] == '\t'))
        n--;
    return n ? n : strlen(r);
}

kith_err kith_ingest_skip(kith_ingest *ing, long line, kith_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *reason = vformat(fmt, ap);
    va_end(ap);
    if (!reason) {
        ing->oom = true;
        return KITH_ERR_NOMEM;
    }
    const char *path = "";
    if (ing->cur >= 0) {
        kith_input_stat *s = &ing->inputs[ing->cur];
        path = s->path;
        s->skipped++;
        count_reason(ing, reason, reason_class(reason), false);
        if (s->n_first_skips < 3) {
            char *copy = strdup(reason);
            if (copy) {
                s->first_skips[s->n_first_skips].line = line;
                s->first_skips[s->n_first_skips].reason = copy;
                s->n_first_skips++;
            } else {
                ing->oom = true;
            }
        }
    }
    kith_err err = KITH_OK;
    if (ing->strict)
        err = kith_diag_set(d, KITH_ERR_STRICT, path, line, "%s", reason);
    free(reason);
    return err;
}

void kith_ingest_drop(kith_ingest *ing, const char *reason)
{
    if (ing->cur < 0)
        return;
    ing->inputs[ing->cur].dropped++;
    if (!reason || !*reason)
        reason = "dropped";
    count_reason(ing, reason, strlen(reason), true);
}

void kith_ingest_end_file(kith_ingest *ing)
{
    if (ing->cur < 0)
        return;
    kith_input_stat *s = &ing->inputs[ing->cur];
    ing->cur = -1;
    memo_clear(ing);
    if (s->rows - s->skipped - s->dropped <= 0)
        kith_ingest_warn(ing, "%s: recognized as %s but no usable rows", s->path, s->kind);
}

/* ------------------------------------------------------------------------------------------
 * Mentions and contacts
 * ------------------------------------------------------------------------------------------ */

static uint64_t mention_hash(int32_t file, int32_t url, int32_t email, int32_t name)
{
    uint64_t h = (uint64_t)(uint32_t)file * 0x9E3779B97F4A7C15ull;
    h = (h ^ (uint32_t)url) * 0xBF58476D1CE4E5B9ull;
    h = (h ^ (uint32_t)email) * 0x94D049BB133111EBull;
    h = (h ^ (uint32_t)name) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 31);
}

static bool mention_rehash(kith_ingest *ing)
{
    size_t nslot = ing->nmslot ? ing->nmslot * 2 : 1024;
    int32_t *slot = malloc(nslot * sizeof *slot);
    if (!slot)
        return false;
    memset(slot, 0xff, nslot * sizeof *slot);
    for (size_t id = 0; id < ing->n_mentions; id++) {
        const kith_mention *m = &ing->mentions[id];
        size_t i = mention_hash(m->file, m->url, m->email, m->name) & (nslot - 1);
        while (slot[i] >= 0)
            i = (i + 1) & (nslot - 1);
        slot[i] = (int32_t)id;
    }
    free(ing->mslot);
    ing->mslot = slot;
    ing->nmslot = nslot;
    return true;
}

/* Interns a key (owned by the caller, freed here); -1 when NULL, -2 when out of memory. */
static int32_t intern_key(kith_ingest *ing, char *key)
{
    if (!key)
        return -1;
    int32_t id = kith_strtab_intern(&ing->keys, &ing->arena, key);
    free(key);
    return id < 0 ? -2 : id;
}

/* A trimmed, valid UTF-8 copy with runs of white space collapsed, in the arena. */
static const char *arena_display(kith_ingest *ing, const char *s)
{
    char *clean = kith_utf8_clean(s, strlen(s));
    if (!clean)
        return NULL;
    size_t o = 0;
    bool space = true;
    for (size_t i = 0; clean[i]; i++) {
        char c = clean[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!space)
                clean[o++] = ' ';
            space = true;
        } else {
            clean[o++] = c;
            space = false;
        }
    }
    while (o > 0 && clean[o - 1] == ' ')
        o--;
    const char *copy = o ? kith_arena_strndup(&ing->arena, clean, o) : NULL;
    free(clean);
    return copy;
}

enum { RAW_URL, RAW_EMAIL, RAW_NAME };

/* Names that stand for nobody in particular: LinkedIn shows deleted or private members so. */
static bool placeholder_name(const char *key)
{
    return strcmp(key, "linkedin member") == 0 || strcmp(key, "linkedin user") == 0;
}

static char *name_key_no_placeholder(const char *s)
{
    char *k = kith_name_key(s);
    if (k && placeholder_name(k)) {
        free(k);
        k = NULL;
    }
    return k;
}

/* The key id of a raw string through the cache; -1 when it has none, -2 when out of memory. */
static int32_t cached_key(kith_ingest *ing, int which, const char *s, char *(*fn)(const char *))
{
    if (!s || !*s)
        return -1;
    uint64_t h = kith_hash_str(s); /* once, for the lookup and the insertion */
    int32_t r = kith_strtab_find_h(&ing->raw[which], s, h);
    if (r >= 0)
        return ing->raw_key[which][r];
    int32_t k = intern_key(ing, fn(s));
    if (k == -2)
        return -2;
    r = kith_strtab_intern_h(&ing->raw[which], &ing->arena, s, h);
    if (r < 0 || !kith_grow(&ing->raw_key[which], &ing->cap_raw_key[which], (size_t)r + 1,
                            sizeof *ing->raw_key[which]))
        return -2;
    ing->raw_key[which][r] = k;
    return k;
}

static int32_t who_uncached(kith_ingest *ing, const kith_who *who);

int32_t kith_ingest_who(kith_ingest *ing, const kith_who *who)
{
    if (!who)
        return -1;
    /* The same raw fields in the same file give the same id: a recent one is reused. */
    unsigned char key[KITH_MEMO_BYTES];
    size_t n = 0;
    if (!memo_put(key, &n, who->name) || !memo_put(key, &n, who->first) ||
        !memo_put(key, &n, who->last) || !memo_put(key, &n, who->url) ||
        !memo_put(key, &n, who->email))
        return who_uncached(ing, who);
    uint64_t h = memo_hash(key, n);
    int32_t id = memo_find(ing->who_memo, h, key, n);
    if (id != -2)
        return id;
    id = who_uncached(ing, who);
    if (!ing->oom)
        memo_add(ing->who_memo, &ing->who_next, h, key, n, id);
    return id;
}

static int32_t who_uncached(kith_ingest *ing, const kith_who *who)
{
    char *joined = NULL;
    const char *name = who->name && *who->name ? who->name : NULL;
    if (!name && ((who->first && *who->first) || (who->last && *who->last))) {
        const char *f = who->first ? who->first : "", *l = who->last ? who->last : "";
        joined = malloc(strlen(f) + strlen(l) + 2);
        if (!joined) {
            ing->oom = true;
            return -1;
        }
        size_t nf = strlen(f), nl = strlen(l), o = nf;
        memcpy(joined, f, nf); /* "first last", without printf's cost per row */
        if (nf && nl)
            joined[o++] = ' ';
        memcpy(joined + o, l, nl + 1);
        name = joined;
    }
    if (name && strchr(name, '@'))
        name = NULL; /* an address shown as the name: the e-mail key covers it */
    int32_t url = cached_key(ing, RAW_URL, who->url, kith_url_key);
    int32_t email = cached_key(ing, RAW_EMAIL, who->email, kith_email_key);
    int32_t nkey = cached_key(ing, RAW_NAME, name, name_key_no_placeholder);
    int32_t id = -1;
    if (url == -2 || email == -2 || nkey == -2) {
        ing->oom = true;
        goto cleanup;
    }
    if (url < 0 && email < 0 && nkey < 0)
        goto cleanup;
    int32_t file = ing->cur;
    uint64_t h = mention_hash(file, url, email, nkey);
    if (ing->nmslot) {
        for (size_t i = h & (ing->nmslot - 1);; i = (i + 1) & (ing->nmslot - 1)) {
            int32_t m = ing->mslot[i];
            if (m < 0)
                break;
            const kith_mention *x = &ing->mentions[m];
            if (x->file == file && x->url == url && x->email == email && x->name == nkey) {
                id = m;
                goto cleanup;
            }
        }
    }
    if (ing->n_mentions >= INT32_MAX - 1 ||
        ((ing->n_mentions + 1) * 2 > ing->nmslot && !mention_rehash(ing)) ||
        !kith_grow(&ing->mentions, &ing->cap_mentions, ing->n_mentions + 1,
                   sizeof *ing->mentions)) {
        ing->oom = true;
        goto cleanup;
    }
    kith_mention *m = &ing->mentions[ing->n_mentions];
    m->file = file;
    m->url = url;
    m->email = email;
    m->name = nkey;
    m->display = nkey >= 0 ? arena_display(ing, name) : NULL;
    m->contact = false;
    id = (int32_t)ing->n_mentions++;
    size_t i = h & (ing->nmslot - 1);
    while (ing->mslot[i] >= 0)
        i = (i + 1) & (ing->nmslot - 1);
    ing->mslot[i] = id;
cleanup:
    free(joined);
    return id;
}

static const char *arena_opt(kith_ingest *ing, const char *s)
{
    if (!s)
        return NULL;
    const char *d = arena_display(ing, s);
    return d;
}

void kith_ingest_contact(kith_ingest *ing, int32_t who, const kith_contact *c)
{
    if (who < 0 || (size_t)who >= ing->n_mentions || !c)
        return;
    if (!kith_grow(&ing->contacts, &ing->cap_contacts, ing->n_contacts + 1,
                   sizeof *ing->contacts)) {
        ing->oom = true;
        return;
    }
    kith_contact_rec *r = &ing->contacts[ing->n_contacts++];
    r->who = who;
    r->company = arena_opt(ing, c->company);
    r->position = arena_opt(ing, c->position);
    r->labels = arena_opt(ing, c->labels);
    r->connected_on = c->connected_on;
    r->bday_year = (int16_t)(c->bday_year > 0 && c->bday_year < 10000 ? c->bday_year : 0);
    r->bday_month = (int8_t)(c->bday_month >= 1 && c->bday_month <= 12 ? c->bday_month : 0);
    r->bday_day = (int8_t)(c->bday_day >= 1 && c->bday_day <= 31 ? c->bday_day : 0);
    if (!r->bday_month || !r->bday_day)
        r->bday_year = r->bday_month = r->bday_day = 0;
    r->connection = c->connection;
    ing->mentions[who].contact = true;
    for (size_t i = 0; i < c->n_emails; i++) {
        int32_t k = intern_key(ing, kith_email_key(c->emails[i]));
        if (k == -2) {
            ing->oom = true;
            return;
        }
        if (k < 0 || k == ing->mentions[who].email)
            continue;
        if (!kith_grow(&ing->extra, &ing->cap_extra, ing->n_extra + 1, sizeof *ing->extra)) {
            ing->oom = true;
            return;
        }
        ing->extra[ing->n_extra].who = who;
        ing->extra[ing->n_extra].email = k;
        ing->n_extra++;
    }
}

/* ------------------------------------------------------------------------------------------
 * Groups, events, exchanges, intros, activity
 * ------------------------------------------------------------------------------------------ */

static int32_t group_uncached(kith_ingest *ing, const char *key);

int32_t kith_ingest_group(kith_ingest *ing, const char *key)
{
    if (!key || !*key)
        return -1;
    size_t kn = strlen(key);
    uint64_t h = 0;
    if (kn <= KITH_MEMO_BYTES) {
        h = memo_hash((const unsigned char *)key, kn);
        int32_t id = memo_find(ing->group_memo, h, (const unsigned char *)key, kn);
        if (id != -2)
            return id;
    }
    int32_t id = group_uncached(ing, key);
    if (h && id >= 0)
        memo_add(ing->group_memo, &ing->group_next, h, (const unsigned char *)key, kn, id);
    return id;
}

static int32_t group_uncached(kith_ingest *ing, const char *key)
{
    const char *kind = ing->cur >= 0 ? ing->inputs[ing->cur].kind : "";
    size_t nk = strlen(kind), n = strlen(key);
    char *scoped = malloc(nk + n + 2);
    if (!scoped) {
        ing->oom = true;
        return -1;
    }
    memcpy(scoped, kind, nk);
    scoped[nk] = '\x1f';
    memcpy(scoped + nk + 1, key, n + 1);
    int32_t id = kith_strtab_intern(&ing->gkeys, &ing->arena, scoped);
    free(scoped);
    if (id < 0)
        ing->oom = true;
    return id;
}

int32_t kith_ingest_item(kith_ingest *ing)
{
    return ing->next_item < INT32_MAX ? ing->next_item++ : ing->next_item;
}

static bool valid_who(const kith_ingest *ing, int32_t who)
{
    return who >= 0 && (size_t)who < ing->n_mentions;
}

static int32_t valid_group(const kith_ingest *ing, int32_t g)
{
    return g >= 0 && (size_t)g < ing->gkeys.n ? g : -1;
}

void kith_ingest_event(kith_ingest *ing, int64_t t, kith_kind kind, kith_dir dir,
                       int32_t who, int32_t group, int32_t item)
{
    if (t == KITH_NO_TIME || !valid_who(ing, who) || (unsigned)kind >= KITH_K__COUNT)
        return;
    if (!kith_grow(&ing->events, &ing->cap_events, ing->n_events + 1, sizeof *ing->events)) {
        ing->oom = true;
        return;
    }
    kith_event *e = &ing->events[ing->n_events++];
    e->t = t;
    e->person = who;
    e->group = valid_group(ing, group);
    e->item = item >= 0 ? item : kith_ingest_item(ing);
    e->kind = (uint8_t)kind;
    e->dir = dir == KITH_DIR_IN ? KITH_DIR_IN : KITH_DIR_OUT;
}

void kith_ingest_exchange(kith_ingest *ing, int64_t t, kith_kind kind, int32_t from,
                          const int32_t *to, size_t n_to, int32_t group, unsigned flags)
{
    if (t == KITH_NO_TIME || (unsigned)kind >= KITH_K__COUNT)
        return;
    size_t n_valid = 0;
    for (size_t i = 0; i < n_to; i++)
        if (valid_who(ing, to[i]))
            n_valid++;
    if (!valid_who(ing, from))
        from = -1;
    if (from < 0 && n_valid == 0)
        return;
    bool new_run = !ing->n_ex_runs || ing->ex_runs[ing->n_ex_runs - 1].file != ing->cur;
    if (!kith_grow(&ing->ex, &ing->cap_ex, ing->n_ex + 1, sizeof *ing->ex) ||
        !kith_grow(&ing->ex_to, &ing->cap_ex_to, ing->n_ex_to + n_valid, sizeof *ing->ex_to) ||
        (new_run && !kith_grow(&ing->ex_runs, &ing->cap_ex_runs, ing->n_ex_runs + 1,
                               sizeof *ing->ex_runs)) ||
        n_valid > UINT32_MAX) {
        ing->oom = true;
        return;
    }
    if (new_run)
        ing->ex_runs[ing->n_ex_runs++] = (kith_ex_run){ing->n_ex, ing->cur};
    kith_exchange_rec *x = &ing->ex[ing->n_ex++];
    x->t = t;
    x->from = from;
    x->group = valid_group(ing, group);
    x->n_to = (uint32_t)n_valid;
    x->kind = (uint8_t)kind;
    x->flags = (uint8_t)flags;
    for (size_t i = 0; i < n_to; i++)
        if (valid_who(ing, to[i]))
            ing->ex_to[ing->n_ex_to++] = to[i];
}

void kith_ingest_intro(kith_ingest *ing, int64_t t, int32_t a, int32_t b)
{
    if (t == KITH_NO_TIME || !valid_who(ing, a) || !valid_who(ing, b) || a == b)
        return;
    if (!kith_grow(&ing->intros, &ing->cap_intros, ing->n_intros + 1, sizeof *ing->intros)) {
        ing->oom = true;
        return;
    }
    ing->intros[ing->n_intros].t = t;
    ing->intros[ing->n_intros].a = a;
    ing->intros[ing->n_intros].b = b;
    ing->n_intros++;
}

void kith_ingest_activity(kith_ingest *ing, int64_t t, kith_activity what)
{
    if (t == KITH_NO_TIME || (unsigned)what >= KITH_ACT__COUNT)
        return;
    if (!kith_grow(&ing->activity, &ing->cap_activity, ing->n_activity + 1,
                   sizeof *ing->activity)) {
        ing->oom = true;
        return;
    }
    ing->activity[ing->n_activity].t = t;
    ing->activity[ing->n_activity].what = (uint8_t)what;
    ing->n_activity++;
}

/* ------------------------------------------------------------------------------------------
 * Profile, owner hints, export date
 * ------------------------------------------------------------------------------------------ */

static void fill(kith_ingest *ing, char **dst, const char *src)
{
    if (*dst || !src)
        return;
    char *clean = kith_utf8_clean(src, strlen(src));
    if (!clean) {
        ing->oom = true;
        return;
    }
    size_t b = strspn(clean, " \t\r\n"), n = strlen(clean);
    while (n > b && strchr(" \t\r\n", clean[n - 1]))
        n--;
    if (n == b) {
        free(clean);
        return;
    }
    memmove(clean, clean + b, n - b);
    clean[n - b] = '\0';
    *dst = clean;
}

void kith_ingest_profile(kith_ingest *ing, const kith_profile_in *p)
{
    if (!p)
        return;
    kith_profile *o = &ing->profile;
    fill(ing, &o->first_name, p->first_name);
    fill(ing, &o->last_name, p->last_name);
    fill(ing, &o->headline, p->headline);
    fill(ing, &o->summary, p->summary);
    fill(ing, &o->industry, p->industry);
    fill(ing, &o->location, p->location);
    if (p->first_name || p->last_name || p->headline || p->summary || p->industry ||
        p->location)
        o->present = true;
    o->current_positions += p->current_positions > 0 ? p->current_positions : 0;
    o->skills += p->skills > 0 ? p->skills : 0;
}

void kith_ingest_owner_email_vote(kith_ingest *ing, const char *email)
{
    int32_t k = intern_key(ing, kith_email_key(email));
    if (k == -2)
        ing->oom = true;
    if (k < 0)
        return;
    size_t old = ing->cap_votes;
    if (!kith_grow(&ing->votes, &ing->cap_votes, (size_t)k + 1, sizeof *ing->votes)) {
        ing->oom = true;
        return;
    }
    if (ing->cap_votes > old)
        memset(ing->votes + old, 0, (ing->cap_votes - old) * sizeof *ing->votes);
    ing->votes[k]++;
}

void kith_ingest_export_date(kith_ingest *ing, int64_t t)
{
    if (t != KITH_NO_TIME && (ing->export_date == KITH_NO_TIME || t > ing->export_date))
        ing->export_date = t;
}
