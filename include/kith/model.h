/* The model: persons and events, built once from every input and never changed after.
 *
 * Two halves:
 *  - the ingest API (kith_ingest_*), which the format readers in src/sources/ call with plain
 *    records while they stream a file: mentions of people, contact entries, events, exchanges
 *    whose direction depends on who the owner is, introductions, the owner's own activity;
 *  - the frozen kith_model that kith_model_build() makes from it: identity resolved (spec §1),
 *    the owner found and removed from the persons, events sorted by time (spec §2).
 *
 * Times are UTC seconds since the epoch (int64_t); KITH_NO_TIME marks "unknown".
 * Every string handed to an ingest function is copied: the caller keeps ownership. */
#ifndef KITH_MODEL_H
#define KITH_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/error.h"

#define KITH_NO_TIME INT64_MIN

/* Event kinds of spec §2, in the order of the generic CSV's `kind` column. */
typedef enum {
    KITH_K_MESSAGE,
    KITH_K_EMAIL,
    KITH_K_MEETING,
    KITH_K_CALL,
    KITH_K_ENDORSEMENT,
    KITH_K_RECOMMENDATION,
    KITH_K_INTRODUCTION,
    KITH_K_INVITATION,
    KITH_K_GIFT,
    KITH_K_COMMENT,
    KITH_K_REACTION,
    KITH_K__COUNT
} kith_kind;

/* "message", "email", ...; NULL for an out-of-range kind. */
const char *kith_kind_name(kith_kind k);
/* Parses a kind name (case-insensitive); returns -1 when unknown. */
int kith_kind_parse(const char *s);

typedef enum {
    KITH_DIR_OUT = 0, /* the owner invests in the person */
    KITH_DIR_IN = 1   /* the person invests in the owner */
} kith_dir;

/* The owner's own LinkedIn activity, for the habits checklist (spec §3.4). */
typedef enum { KITH_ACT_SHARE, KITH_ACT_COMMENT, KITH_ACT_REACTION, KITH_ACT__COUNT } kith_activity;

/* ------------------------------------------------------------------------------------------
 * Ingest
 * ------------------------------------------------------------------------------------------ */

typedef struct kith_ingest kith_ingest;

typedef struct {
    bool strict;             /* any skipped row becomes KITH_ERR_STRICT */
    const char *const *me;   /* --me values: names, e-mails or profile URLs */
    size_t n_me;
} kith_ingest_opts;

/* Creates an empty ingest. opts may be NULL. Free with kith_ingest_free(). */
kith_err kith_ingest_new(kith_ingest **out, const kith_ingest_opts *opts);
void kith_ingest_free(kith_ingest *ing); /* accepts NULL */

/* Files. Readers open one file (or zip member) at a time: begin, rows, end.
 * path is what messages show ("export.zip:Connections.csv"); kind names the format
 * ("linkedin/connections", "google-contacts", "mbox", ...). */
void kith_ingest_begin_file(kith_ingest *ing, const char *path, const char *kind);
/* Counts one data row read from the current file. Call it for every data row, also for
 * rows then skipped or dropped: usable rows = rows - skipped - dropped. */
void kith_ingest_row(kith_ingest *ing);
/* Records a row that cannot be used: line number and a short reason ("bad date 'x'").
 * Returns KITH_ERR_STRICT (and fills d) under --strict, else KITH_OK: the reader goes on. */
kith_err kith_ingest_skip(kith_ingest *ing, long line, kith_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Records a row deliberately dropped (spec §2: "draft", "spam", "cancelled", "declined",
 * "resource"); counted in the load summary, not an error. */
void kith_ingest_drop(kith_ingest *ing, const char *reason);
/* Ends the current file. A file with zero usable rows adds a warning. */
void kith_ingest_end_file(kith_ingest *ing);
/* Adds a warning line to the load summary (copied). */
void kith_ingest_warn(kith_ingest *ing, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A mention of a person in the current file. Any field may be NULL or empty. */
typedef struct {
    const char *name;  /* full name as written; when NULL, built from first + last */
    const char *first;
    const char *last;
    const char *url;   /* a profile URL in any form (scheme or not, %-encoded or not) */
    const char *email; /* an e-mail address in any case */
} kith_who;

/* Interns a mention; returns its id (>= 0), or -1 when it has no usable key (no name,
 * URL nor e-mail). The same keys in the same file give the same id. A name that stands for
 * nobody ("LinkedIn Member") is no key. */
int32_t kith_ingest_who(kith_ingest *ing, const kith_who *who);

/* What a contacts entry or a LinkedIn connection says about a person. */
typedef struct {
    const char *company;
    const char *position;
    int64_t connected_on;              /* KITH_NO_TIME when unknown */
    int bday_year, bday_month, bday_day; /* 0 = unknown; a birthday may have no year */
    const char *const *emails;         /* more addresses of the same person */
    size_t n_emails;
    const char *labels;                /* groups/categories, "; "-joined, or NULL */
    bool connection;                   /* a LinkedIn connection or a contacts-file entry */
} kith_contact;

void kith_ingest_contact(kith_ingest *ing, int32_t who, const kith_contact *c);

/* Interns a group key (conversation id, Message-ID, event UID + start); returns its id.
 * Keys are scoped to the current file kind, so equal keys of different formats differ. */
int32_t kith_ingest_group(kith_ingest *ing, const char *key);

/* One event between the owner and a person whose direction the file states (endorsements,
 * recommendations, invitations, the generic CSV). group is -1 or a group id: the person
 * then counts as a participant of that group. item identifies the source row, so a message
 * sent to several persons counts once (pass -1 to let the event be its own item).
 * Events at KITH_NO_TIME, and events whose person turns out to be the owner, are ignored. */
void kith_ingest_event(kith_ingest *ing, int64_t t, kith_kind kind, kith_dir dir,
                       int32_t who, int32_t group, int32_t item);

/* A new item id for kith_ingest_event / kith_ingest_exchange. */
int32_t kith_ingest_item(kith_ingest *ing);

enum {
    /* every participant but the owner gets an event (meetings: one per attendee);
     * without it only the sender/recipient pair involving the owner does (messages, mail) */
    KITH_EX_EVERYONE = 1u << 0,
};

/* A message, mail or meeting whose direction depends on who the owner turns out to be:
 * from sent it (or organized it) to each of to[]. After the owner is known:
 *  - from is the owner: an out event to every recipient;
 *  - the owner is among to[]: an in event from `from` (and, with KITH_EX_EVERYONE, an in
 *    event for every other participant too);
 *  - the owner is not a participant: no event.
 * All participants join group (co-participation, spec §3.2). Ids of -1 are ignored. */
void kith_ingest_exchange(kith_ingest *ing, int64_t t, kith_kind kind, int32_t from,
                          const int32_t *to, size_t n_to, int32_t group, unsigned flags);

/* The owner introduced a to b (a person–person link of weight 3, spec §3.2). */
void kith_ingest_intro(kith_ingest *ing, int64_t t, int32_t a, int32_t b);

/* The owner posted, commented or reacted at t. */
void kith_ingest_activity(kith_ingest *ing, int64_t t, kith_activity what);

/* The owner's profile (LinkedIn Profile.csv, Positions.csv, Skills.csv). Fields may be NULL.
 * Calls add up: a later call fills what an earlier one left empty; counts are added. */
typedef struct {
    const char *first_name, *last_name;
    const char *headline, *summary, *industry, *location;
    int current_positions; /* positions with no end date */
    int skills;
} kith_profile_in;
void kith_ingest_profile(kith_ingest *ing, const kith_profile_in *p);

/* Hints for finding the owner (spec §1): an e-mail seen as the sender of Sent mail, or a
 * meeting organizer; each call counts one vote. */
void kith_ingest_owner_email_vote(kith_ingest *ing, const char *email);

/* The export date when a file says it (the date in a LinkedIn zip name). */
void kith_ingest_export_date(kith_ingest *ing, int64_t t);

/* ------------------------------------------------------------------------------------------
 * The frozen model
 * ------------------------------------------------------------------------------------------ */

typedef struct {
    char *name;        /* display name (never NULL; the e-mail or URL when no name is known) */
    char *name_key;    /* kith_name_key(name); "" when no name is known (never NULL) */
    char *url;         /* normalized profile URL, or NULL */
    char *email;       /* first e-mail, or NULL */
    char *emails;      /* every e-mail, "; "-joined, or NULL */
    char *company;     /* current employer as written, or NULL */
    char *company_key; /* kith_company_key(company), or NULL */
    char *position;
    char *labels;
    char *sources;     /* the file kinds it was found in, "; "-joined, sorted */
    int64_t connected_on;
    int16_t bday_year; /* 0 = unknown */
    int8_t bday_month, bday_day;
    bool connection;
} kith_person;

typedef struct {
    int64_t t;
    int32_t person; /* index into kith_model.persons */
    int32_t group;  /* index into kith_model.groups, or -1 */
    int32_t item;   /* source item: one message to several persons is one item */
    uint8_t kind;   /* kith_kind */
    uint8_t dir;    /* kith_dir */
} kith_event;

/* One co-participation occurrence: a thread, a mail, a meeting. */
typedef struct {
    int64_t t;      /* its first event */
    uint32_t first; /* its persons (the owner excluded): group_members[first .. first+n) */
    uint32_t n;
} kith_group;

typedef struct {
    int64_t t;
    int32_t a, b;
} kith_intro;

typedef struct {
    int64_t t;
    uint8_t what; /* kith_activity */
} kith_activity_rec;

typedef struct {
    char *first_name, *last_name, *headline, *summary, *industry, *location;
    int current_positions, skills;
    bool present; /* a Profile.csv was read */
} kith_profile;

/* Load summary of one input file. */
#define KITH_MAX_REASONS 8
typedef struct {
    char *path;
    char *kind;
    long rows;    /* data rows read */
    long skipped; /* rows that could not be used */
    long dropped; /* rows deliberately dropped (drafts, spam, ...) */
    struct {
        char *reason;
        long count;
        bool dropped; /* a drop, not a skip */
    } reasons[KITH_MAX_REASONS]; /* counts by reason; the rest under "other" */
    size_t n_reasons;
    struct {
        long line;
        char *reason;
    } first_skips[3];
    size_t n_first_skips;
} kith_input_stat;

struct kith_string_pool;

/* Every pointer in a kith_model (arrays and strings) is its own malloc'd block, freed by
 * kith_model_free -- a test may build a model by hand with malloc/strdup -- except the
 * persons' strings of a model kith_model_build made: those live in person_strings (one
 * pool, a string several persons have stored once) and go with it. Persons' strings are
 * never changed after the build. */
typedef struct {
    kith_person *persons; /* the owner is never among them; in order of first mention */
    size_t n_persons;
    struct kith_string_pool *person_strings; /* NULL: each person's string is malloc'd */
    kith_event *events;   /* sorted by t, then person */
    size_t n_events;
    kith_group *groups;   /* co-participation occurrences, sorted by t */
    size_t n_groups;
    int32_t *group_members;
    size_t n_group_members;
    kith_intro *intros;
    size_t n_intros;
    kith_activity_rec *activity; /* sorted by t */
    size_t n_activity;
    kith_profile profile;
    char *owner_name;  /* never NULL ("" when unknown) */
    char *owner_url;   /* NULL when unknown */
    char *owner_email; /* NULL when unknown */
    int64_t first_time;  /* earliest timestamp in the data, KITH_NO_TIME when none */
    int64_t export_time; /* the zip name's date, else the latest timestamp in the data */
    kith_input_stat *inputs;
    size_t n_inputs;
    char **warnings;
    size_t n_warnings;
} kith_model;

/* Resolves identities (spec §1), finds the owner, expands exchanges into events and freezes
 * the result into *out (owned by the caller: kith_model_free). ing is left empty, on
 * success and on failure, but must still be freed. Fails with KITH_ERR_NOMEM only. */
kith_err kith_model_build(kith_ingest *ing, kith_model **out, kith_diag *d);
void kith_model_free(kith_model *m); /* accepts NULL */

#endif
