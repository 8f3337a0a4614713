/* Internal contract of kith synth (src/synth/ only).
 *
 * The generator holds one compact record per person and nothing per event: every person's
 * events are a pure function of (seed, person index), regenerated into a small buffer when a
 * file needs them, so a 10-million-event export streams to disk in little memory. */
#ifndef KITH_SYNTH_INT_H
#define KITH_SYNTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kith/date.h"
#include "kith/error.h"
#include "kith/synth.h"

#define SY_DAY 86400LL

/* ---- PRNG: xoshiro256** seeded through splitmix64, one stream per (seed, purpose, index) */
typedef struct {
    uint64_t s[4];
} sy_rng;

void sy_rng_init(sy_rng *r, uint64_t seed, uint64_t purpose, uint64_t index);
uint64_t sy_next(sy_rng *r);
double sy_unif(sy_rng *r);                  /* [0, 1) */
long sy_range(sy_rng *r, long lo, long hi); /* lo..hi inclusive */
double sy_exp(sy_rng *r, double mean);
bool sy_chance(sy_rng *r, double p);
uint64_t sy_hash(uint64_t a, uint64_t b);

/* Streams (the `purpose` of sy_rng_init), so adding draws to one never shifts another. */
enum {
    SY_S_PERSON = 1,
    SY_S_PLAN,
    SY_S_EVENTS,
    SY_S_TEXT,
    SY_S_THREAD,
    SY_S_MAIL,
    SY_S_CAL,
    SY_S_MISC,
    SY_S_GOOGLE,
    SY_S_ACTIVITY
};

/* ---- built-in lists (names.c) */
typedef struct {
    const char *text;  /* as displayed */
    const char *ascii; /* for slugs and e-mail addresses */
} sy_name;

extern const sy_name sy_first_names[];
extern const size_t sy_n_first;
extern const sy_name sy_last_names[];
extern const size_t sy_n_last;

/* Special persons that test the readers: CJK, Arabic, emoji, credential, formula. */
typedef struct {
    const char *first, *last, *ascii_first, *ascii_last;
} sy_special;
extern const sy_special sy_specials[];
extern const size_t sy_n_specials;

typedef struct {
    const char *variants[3]; /* how people write it; NULL-terminated, [0] the usual one */
    const char *domain;      /* e-mail domain */
} sy_company;
extern const sy_company sy_companies[];
extern const size_t sy_n_companies;

extern const char *const sy_positions[];
extern const size_t sy_n_positions;
extern const char *const sy_skills[];
extern const size_t sy_n_skills;
extern const char *const sy_owner_skills[];
extern const size_t sy_n_owner_skills;

/* ---- persons and plants */
typedef enum {
    SY_P_NONE,
    SY_P_STEADY,
    SY_P_FADING,
    SY_P_DORMANT,
    SY_P_COLD,
    SY_P_LATENT,
    SY_P_NEW,
    SY_P_YOU_OWE,
    SY_P_THEY_OWE,
    SY_P_BURST,
    SY_P__COUNT
} sy_plant;

typedef enum {
    SY_C_FORMER,
    SY_C_CURRENT,
    SY_C_ALUMNI,
    SY_C_ASSOC,
    SY_C_HOBBY,
    SY_C_CHARITY,
    SY_C__COUNT
} sy_cohort_kind;

#define SY_NO_COHORT 0xff

/* Background activity patterns of persons that are not plants. */
enum { SY_PAT_LATENT, SY_PAT_ONEOFF, SY_PAT_OCCASIONAL, SY_PAT_REGULAR, SY_PAT_HEAVY };

enum {
    SY_PF_LI_EMAIL = 1u << 0,    /* Connections.csv shows the e-mail */
    SY_PF_GOOGLE = 1u << 1,      /* in google-contacts.csv */
    SY_PF_MAIL = 1u << 2,        /* in mail.mbox / calendar.ics */
    SY_PF_UNICODE_URL = 1u << 3, /* the slug holds the raw name (percent-encoded in URLs) */
    SY_PF_LAPSED = 1u << 4,      /* background activity stops before the export */
    SY_PF_NICKNAME = 1u << 5,    /* google-contacts uses another name: merges by e-mail */
    SY_PF_ARCHIVED = 1u << 6,    /* the 1:1 conversation sits in ARCHIVE */
};

typedef struct {
    int64_t connected; /* connection time (midnight UTC of Connected On) */
    uint32_t slug;     /* unique suffix of the profile URL */
    uint16_t first, last;
    uint8_t company; /* index into sy_companies */
    uint8_t variant; /* which spelling of the company */
    uint8_t position;
    uint8_t plant;  /* sy_plant */
    uint8_t cohort; /* sy_cohort_kind or SY_NO_COHORT */
    uint8_t pattern;
    uint8_t middle; /* 0 none, else 'A' + middle - 1 */
    int8_t special; /* index into sy_specials, -1 none */
    uint8_t flags;
    uint8_t attempt; /* which plant draw passed the status check */
    float weight;    /* activity weight (background messages) */
} sy_person;

typedef struct {
    const char *name;  /* "Globex (former employer)" */
    const char *label; /* group-thread title stem */
    uint32_t first, n; /* persons [first, first + n) */
    int64_t from, to;  /* when its group threads run */
    uint32_t n_threads;
    uint32_t thread_first; /* global index of its first thread */
} sy_cohort;

/* Event kinds of the LinkedIn export. */
enum { SY_K_MSG, SY_K_ENDORSE, SY_K_REC, SY_K_INVITE };
enum { SY_OUT = 0, SY_IN = 1 };
enum {
    SY_EF_DRAFT = 1u << 0,
    SY_EF_REJECTED = 1u << 1,
    SY_EF_HIDDEN = 1u << 2,
    SY_EF_NEWSESSION = 1u << 3
};

typedef struct {
    int64_t t;
    uint8_t kind, dir, flags;
} sy_event;

typedef struct {
    sy_event *v;
    size_t n, cap;
} sy_evbuf;

/* What the spec's definitions (§3.1) say about one person at T. */
typedef struct {
    const char *status; /* new latent dormant cold fading active */
    const char *label;  /* you owe / they owe / balanced, or NULL without events */
    double given, received, balance, silent_days, usual_gap, peak, strength;
    long events;
    bool gap_known;
} sy_verdict;

typedef struct {
    kith_synth_opts o;
    uint64_t seed;
    int64_t export_t; /* midnight UTC of the export date */
    int64_t end_t;    /* no timestamp at or after this */
    int64_t as_of;    /* T: the last second of the month before the export month */
    size_t n;         /* persons (connections) */
    sy_person *p;
    size_t n_plants;
    sy_cohort cohorts[SY_C__COUNT];
    uint32_t n_threads;
    double scale;     /* background messages per unit of weight */
    long thread_msgs; /* messages budget of the group threads */
    double thread_weight_sum;
    long n_spam, n_strangers;
    size_t rejected_person, hidden_person; /* carry the REJECTED / HIDDEN rows */
    size_t dup_a, dup_b;                   /* two different persons with one name */
    uint32_t owner_slug;
    /* counts written, for plants.json and the tests */
    long c_messages, c_drafts, c_spam, c_group_msgs, c_endorse_in, c_endorse_out, c_rec_in,
        c_rec_out, c_invites, c_connections_blank, c_google, c_mail, c_meetings;
} sy_ctx;

/* Owner (fixed, made up). */
#define SY_OWNER_FIRST "Mara"
#define SY_OWNER_LAST "Quintero"
#define SY_OWNER_NAME "Mara Quintero"
#define SY_OWNER_EMAIL "mara.quintero@initech.example"

/* persons.c */
kith_err sy_ctx_init(sy_ctx *c, const kith_synth_opts *o, kith_diag *d);
void sy_ctx_destroy(sy_ctx *c);
/* Display names and keys of person i (buffers of at least 256 bytes). */
void sy_first(const sy_ctx *c, size_t i, char *buf, size_t n);
void sy_last(const sy_ctx *c, size_t i, char *buf, size_t n);
void sy_fullname(const sy_ctx *c, size_t i, char *buf, size_t n);
/* Profile URL: with_scheme "https://www.linkedin.com/in/slug" (slug percent-encoded), else
 * "www.linkedin.com/in/slug" (raw, as the endorsement files write it). */
void sy_url(const sy_ctx *c, size_t i, bool with_scheme, char *buf, size_t n);
void sy_owner_url(const sy_ctx *c, char *buf, size_t n);
void sy_email(const sy_ctx *c, size_t i, bool work, char *buf, size_t n);
/* A name for the k-th person who is not a connection (pending invitations, family in the
 * address book): no connection has it while persons + k < the number of combinations. */
void sy_extra_name(const sy_ctx *c, size_t k, const sy_name **first, const sy_name **last);
const char *sy_company_name(const sy_ctx *c, size_t i);
const char *sy_position_name(const sy_ctx *c, size_t i);
const char *sy_plant_name(sy_plant p);
/* Regenerates every LinkedIn event of person i (1:1 messages, endorsements, recommendations,
 * invitations), sorted by time. Group-thread messages are not included. */
kith_err sy_person_events(const sy_ctx *c, size_t i, sy_evbuf *b);
void sy_evbuf_free(sy_evbuf *b);
/* The spec's status and label of a person with events ev (only those <= as_of count). */
void sy_judge(const sy_event *ev, size_t n, int64_t connected, int64_t as_of, sy_verdict *v);
double sy_weight(int kind);

/* threads.c: group threads of the cohorts */
typedef struct {
    uint32_t cohort;
    uint32_t members[16]; /* person indices */
    uint32_t n_members;
    long n_msgs;
    int64_t from, to;
    char title[128];
} sy_thread;
void sy_thread_get(const sy_ctx *c, uint32_t k, sy_thread *t);

/* util.c: formatting */
void sy_fmt_iso(int64_t t, char *buf, size_t n);                /* 2026-10-31T23:59:59Z */
void sy_fmt(int64_t t, const char *style, char *buf, size_t n); /* see util.c */
void sy_csv_field(FILE *f, const char *s, bool always_quote);
void sy_csv_field_bs(FILE *f, const char *s); /* Comments.csv: quote, and \" for a quote */
bool sy_parse_date(const char *s, int64_t *t);

/* writers */
kith_err sy_write_linkedin(sy_ctx *c, const char *dir, kith_diag *d);
kith_err sy_write_google(sy_ctx *c, const char *path, kith_diag *d);
kith_err sy_write_mail(sy_ctx *c, const char *mbox, const char *ics, kith_diag *d);
kith_err sy_write_plants(sy_ctx *c, const char *path, kith_diag *d);
kith_err sy_write_zip(const sy_ctx *c, const char *dir, const char *zip_path, kith_diag *d);
/* The LinkedIn files written, in zip order (NULL-terminated); Comments_<id>.csv via name. */
extern const char *const sy_linkedin_files[];
void sy_comments_name(const sy_ctx *c, char *buf, size_t n);

#endif
