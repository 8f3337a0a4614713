/* Internal contract between ingest.c (records as readers hand them over) and build.c
 * (identity resolution and the frozen model). Not installed: only src/model/ includes it.
 *
 * Storage is compact and allocation-free per record: strings live in an arena, records in
 * growable arrays, and mentions, keys and group keys are interned through open-addressing
 * hash tables, so memory grows with distinct people and with events, never with text. */
#ifndef KITH_MODEL_INGEST_IMPL_H
#define KITH_MODEL_INGEST_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/model.h"

/* ---- arena: strings that live as long as the ingest ---- */
typedef struct kith_arena_chunk kith_arena_chunk;
typedef struct {
    kith_arena_chunk *head;
} kith_arena;

/* Copies s[0..n) plus a NUL; NULL when out of memory. */
char *kith_arena_strndup(kith_arena *a, const char *s, size_t n);
void kith_arena_free(kith_arena *a);

/* ---- interned strings: id <-> string ---- */
typedef struct {
    const char **s; /* id -> string (in the arena) */
    uint64_t *h;    /* id -> hash */
    size_t n, cap;
    uint64_t *slot; /* open addressing: hash tag << 32 | id + 1, 0 = empty */
    size_t nslot;   /* a power of two */
} kith_strtab;

uint64_t kith_hash_str(const char *s);
/* The id of s, or -1 when it is not in the table. */
int32_t kith_strtab_find(const kith_strtab *t, const char *s);
/* The id of s, adding a copy to the arena when new; -1 when out of memory. */
int32_t kith_strtab_intern(kith_strtab *t, kith_arena *a, const char *s);
/* The same with h = kith_hash_str(s) already computed (a miss then an insertion hash once). */
int32_t kith_strtab_find_h(const kith_strtab *t, const char *s, uint64_t h);
int32_t kith_strtab_intern_h(kith_strtab *t, kith_arena *a, const char *s, uint64_t h);
void kith_strtab_free(kith_strtab *t);

/* Grows *p (elements of size elem, capacity *cap) to hold at least need elements. */
bool kith_grow(void *p, size_t *cap, size_t need, size_t elem);

/* ---- records ---- */
typedef struct {
    int32_t file;                /* index into inputs */
    int32_t url, email, name;    /* ids in keys, -1 = none */
    const char *display;         /* the name as written (arena), or NULL */
    bool contact;                /* has a contacts entry or connection record */
} kith_mention;

typedef struct {
    int32_t who;
    const char *company, *position, *labels; /* arena, or NULL */
    int64_t connected_on;
    int16_t bday_year;
    int8_t bday_month, bday_day;
    bool connection;
} kith_contact_rec;

typedef struct {
    int32_t who;
    int32_t email; /* id in keys */
} kith_extra_email;

/* 24 bytes, ten million of them at the scale of spec §6: an exchange's recipients follow
 * the previous exchange's in ex_to (a running sum finds them), and its file is the one
 * of the run of exchanges it belongs to (ex_runs). */
typedef struct {
    int64_t t;
    int32_t from, group;
    uint32_t n_to; /* recipients in ex_to */
    uint8_t kind, flags;
} kith_exchange_rec;

typedef struct {
    size_t first; /* index of the run's first exchange */
    int32_t file; /* the file all of the run's exchanges come from */
} kith_ex_run;

/* The last few mentions and group keys of the current file as readers passed them, raw:
 * consecutive rows repeat them (the two people of a conversation, its id), and a hit
 * skips three hash lookups into tables far larger than the CPU's caches. */
#define KITH_MEMO_N 8
#define KITH_MEMO_BYTES 480
typedef struct {
    uint64_t h;    /* hash of key[0..len), 0 = empty */
    int32_t id;
    uint16_t len;
    unsigned char key[KITH_MEMO_BYTES];
} kith_memo;

struct kith_ingest {
    bool strict;
    char **me; /* copies of the --me values */
    size_t n_me;
    bool oom;  /* sticky: an allocation failed; kith_model_build reports it */

    kith_arena arena;
    kith_strtab keys;   /* url, e-mail and name keys share one id space */
    kith_strtab gkeys;  /* group keys, "kind\x1fkey" */
    /* Raw strings as readers pass them -> key id (-1 = no key): each spelling is normalized
     * once, however many rows repeat it. */
    kith_strtab raw[3];
    int32_t *raw_key[3];
    size_t cap_raw_key[3];

    kith_mention *mentions;
    size_t n_mentions, cap_mentions;
    int32_t *mslot; /* mention hash table */
    size_t nmslot;

    kith_contact_rec *contacts;
    size_t n_contacts, cap_contacts;
    kith_extra_email *extra;
    size_t n_extra, cap_extra;

    kith_event *events; /* person = mention id until build */
    size_t n_events, cap_events;
    kith_exchange_rec *ex;
    size_t n_ex, cap_ex;
    int32_t *ex_to;
    size_t n_ex_to, cap_ex_to;
    kith_ex_run *ex_runs;
    size_t n_ex_runs, cap_ex_runs;
    kith_intro *intros; /* a, b = mention ids until build */
    size_t n_intros, cap_intros;
    kith_activity_rec *activity;
    size_t n_activity, cap_activity;

    kith_profile profile; /* strings malloc'd */
    int32_t *votes;       /* owner e-mail votes by key id */
    size_t cap_votes;
    int64_t export_date;  /* KITH_NO_TIME when none */
    int32_t next_item;

    kith_memo who_memo[KITH_MEMO_N], group_memo[KITH_MEMO_N];
    unsigned who_next, group_next; /* the entry to replace next */

    kith_input_stat *inputs; /* strings malloc'd */
    size_t n_inputs, cap_inputs;
    int cur;                 /* the open file, -1 = none */
    char **warnings;
    size_t n_warnings, cap_warnings;
};

/* Frees everything the ingest holds and leaves it empty (but usable). */
void kith_ingest_reset(kith_ingest *ing);

/* Frees what only identity resolution and the persons' attributes need -- strings, keys,
 * group keys, mentions, contact records -- once the build has made the persons, so the
 * event expansion and sort that follow have that memory. Events, exchanges, intros,
 * activity, inputs and warnings stay. */
void kith_ingest_free_identity(kith_ingest *ing);

/* Frees the lookup tables (hash slots, raw spellings, the mention table) once no more
 * lookups come: the strings, keys.s, mentions and contact records stay. */
void kith_ingest_free_lookup(kith_ingest *ing);

#endif
