/* LinkedIn "Download your data" files (export-formats.md §1): one kith_format per file.
 *
 * A file is recognized by its name prefix (case-insensitive; ' ' and '_' alike, so
 * "Recommendations Received.csv" of 2020 matches) and the header names in its first bytes.
 * The header is found by scanning (Connections.csv has a preamble) and columns are mapped by
 * name, never by position. Each row is counted; rows that cannot be used are skipped with the
 * line and a reason; drafts, spam, rejected endorsements and hidden recommendations are
 * dropped. Message bodies are never read into the model. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/date.h"
#include "reader.h"

#define MAX_COLS 12
#define MAX_RECIPIENTS 256

typedef struct li_spec li_spec;

/* What a row handler sees: the record, its resolved columns, per-file counters. */
typedef struct {
    kith_csv *csv;
    kith_ingest *ing;
    kith_diag *d;
    int col[MAX_COLS];
    long count; /* skills, current positions */
} row_ctx;

struct li_spec {
    const char *const *prefixes; /* normalized base-name prefixes ("endorsement_given_info") */
    const char *const *required; /* header names that must all be present */
    const char *const *columns;  /* columns the handler reads, resolved into row_ctx.col */
    unsigned csv_flags;
    kith_err (*row)(row_ctx *r);
    void (*finish)(row_ctx *r);
    /* header names that identify the file by content alone, whatever its name (a renamed
     * or single exported file); NULL: known by its name only */
    const char *const *signature;
};

#define FIELD(r, i) kith_csv_get((r)->csv, (r)->col[i])

static bool blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    return *s == 0;
}

/* a, spaces around it ignored, equals b ignoring ASCII case. Called on every message row:
 * no strlen of a (a field can be long). */
static bool ieq(const char *a, const char *b)
{
    while (*a == ' ')
        a++;
    for (; *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    while (*a == ' ')
        a++;
    return *a == '\0';
}

static bool yes(const char *s)
{
    return ieq(s, "yes") || ieq(s, "true");
}

static kith_err skip(row_ctx *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static kith_err skip(row_ctx *r, const char *fmt, ...)
{
    char reason[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    return kith_ingest_skip(r->ing, kith_csv_line(r->csv), r->d, "%s", reason);
}

/* Quotes a bad value in a reason, shortened so one row cannot flood the summary. */
static const char *shown(const char *s, char buf[48])
{
    size_t n = strlen(s);
    if (n < 40)
        return s;
    n = 36;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* never cut a UTF-8 sequence: the reason reaches the workbook */
    snprintf(buf, 48, "%.*s...", (int)n, s);
    return buf;
}

/* Parses a date in the file's own format, then in any known one (exports drift). */
static bool date_of(const char *s, kith_date_fmt f, kith_date_fmt f2, int64_t *t)
{
    return kith_date_parse(f, s, t) == KITH_OK || kith_date_parse(f2, s, t) == KITH_OK ||
           kith_date_parse_any(s, t) == KITH_OK;
}

static kith_err bad_date(row_ctx *r, const char *s)
{
    char buf[48];
    if (blank(s))
        return skip(r, "missing date");
    return skip(r, "bad date '%s'", shown(s, buf));
}

/* ------------------------------------------------------------------------------------------
 * Connections.csv (current and 2020)
 * ------------------------------------------------------------------------------------------ */

enum { C_FIRST, C_LAST, C_URL, C_EMAIL, C_COMPANY, C_POSITION, C_ON };

static kith_err row_connection(row_ctx *r)
{
    const char *first = FIELD(r, C_FIRST), *last = FIELD(r, C_LAST), *url = FIELD(r, C_URL);
    const char *email = FIELD(r, C_EMAIL), *on = FIELD(r, C_ON);
    if (blank(first) && blank(last)) {
        /* Deleted or hidden members: a URL and a date at most, no one to show. */
        if (!blank(url))
            return skip(r, "no name, only a URL");
        return skip(r, "missing name and URL");
    }
    int64_t t = KITH_NO_TIME;
    if (!blank(on) && !date_of(on, KITH_DATE_D_MON_YYYY, KITH_DATE_DD_MON_YY, &t))
        return bad_date(r, on);
    kith_who who = {.first = first, .last = last, .url = url, .email = email};
    int32_t id = kith_ingest_who(r->ing, &who);
    if (id < 0)
        return skip(r, "missing name and URL");
    kith_contact c = {.company = FIELD(r, C_COMPANY),
                      .position = FIELD(r, C_POSITION),
                      .connected_on = t,
                      .connection = true};
    kith_ingest_contact(r->ing, id, &c);
    return KITH_OK;
}

/* ------------------------------------------------------------------------------------------
 * messages.csv
 * ------------------------------------------------------------------------------------------ */

enum { M_CONV, M_FROM, M_SENDER_URL, M_TO, M_TO_URLS, M_DATE, M_FOLDER, M_DRAFT, M_CONV_DRAFT };

/* Splits s on commas into trimmed, non-empty parts written into buf; returns the count. */
static size_t split_commas(const char *s, char *buf, size_t cap, const char **parts, size_t max)
{
    size_t n = 0, len = strlen(s);
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *p = buf;
    while (p && n < max) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = 0;
        while (isspace((unsigned char)*p))
            p++;
        char *e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = 0;
        if (*p)
            parts[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

static kith_err row_message(row_ctx *r)
{
    if (ieq(FIELD(r, M_FOLDER), "spam")) {
        kith_ingest_drop(r->ing, "spam");
        return KITH_OK;
    }
    if (yes(FIELD(r, M_DRAFT)) || yes(FIELD(r, M_CONV_DRAFT))) {
        kith_ingest_drop(r->ing, "draft");
        return KITH_OK;
    }
    const char *date = FIELD(r, M_DATE);
    int64_t t;
    if (!date_of(date, KITH_DATE_YMD_HMS_UTC, KITH_DATE_YMD_HMS, &t))
        return bad_date(r, date);

    /* Recipient lists are short: stack buffers, the heap only for very long ones. */
    kith_err e = KITH_OK;
    char names_stack[2048], urls_stack[2048];
    char *names_heap = NULL, *urls_heap = NULL;
    const char *names[MAX_RECIPIENTS], *urls[MAX_RECIPIENTS];
    int32_t to[MAX_RECIPIENTS];
    const char *to_s = FIELD(r, M_TO), *urls_s = FIELD(r, M_TO_URLS);
    size_t names_cap = strlen(to_s) + 1, urls_cap = strlen(urls_s) + 1;
    char *names_buf = names_stack, *urls_buf = urls_stack;
    if (names_cap > sizeof names_stack)
        names_buf = names_heap = malloc(names_cap);
    if (urls_cap > sizeof urls_stack)
        urls_buf = urls_heap = malloc(urls_cap);
    if (!names_buf || !urls_buf) {
        e = kith_diag_set(r->d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    size_t n_names = split_commas(to_s, names_buf, names_cap, names, MAX_RECIPIENTS);
    size_t n_urls = split_commas(urls_s, urls_buf, urls_cap, urls, MAX_RECIPIENTS);

    /* "LinkedIn Member" without a URL is anyone: no identity to give it. */
    const char *from_name = FIELD(r, M_FROM), *from_url = FIELD(r, M_SENDER_URL);
    int32_t from = -1;
    if (!(blank(from_url) && ieq(from_name, "LinkedIn Member"))) {
        kith_who w = {.name = from_name, .url = from_url};
        from = kith_ingest_who(r->ing, &w);
    }
    /* Names pair with URLs by position only when the counts agree; otherwise a name could
     * land on someone else's URL, so the URLs (the better key) go alone. */
    size_t n_to = 0;
    size_t n = n_urls ? n_urls : n_names;
    for (size_t i = 0; i < n; i++) {
        kith_who w = {0};
        if (n_urls) {
            w.url = urls[i];
            if (n_urls == n_names && !ieq(names[i], "LinkedIn Member"))
                w.name = names[i];
        } else {
            if (ieq(names[i], "LinkedIn Member"))
                continue;
            w.name = names[i];
        }
        int32_t id = kith_ingest_who(r->ing, &w);
        if (id >= 0)
            to[n_to++] = id;
    }
    if (from < 0 && n_to == 0) {
        e = skip(r, "missing sender and recipients");
        goto cleanup;
    }
    const char *conv = FIELD(r, M_CONV);
    int32_t group = blank(conv) ? -1 : kith_ingest_group(r->ing, conv);
    kith_ingest_exchange(r->ing, t, KITH_K_MESSAGE, from, to, n_to, group, 0);
cleanup:
    free(names_heap);
    free(urls_heap);
    return e;
}

/* ------------------------------------------------------------------------------------------
 * Invitations.csv
 * ------------------------------------------------------------------------------------------ */

enum { I_FROM, I_TO, I_SENT, I_DIRECTION, I_FROM_URL, I_TO_URL };

static kith_err row_invitation(row_ctx *r)
{
    const char *dir = FIELD(r, I_DIRECTION), *sent = FIELD(r, I_SENT);
    char buf[48];
    bool out;
    if (ieq(dir, "OUTGOING"))
        out = true;
    else if (ieq(dir, "INCOMING"))
        out = false;
    else
        return skip(r, "unknown direction '%s'", shown(dir, buf));
    int64_t t;
    if (!date_of(sent, KITH_DATE_MDY_HM_AMPM, KITH_DATE_MDY_HM_AMPM, &t))
        return bad_date(r, sent);
    kith_who w = {.name = FIELD(r, out ? I_TO : I_FROM),
                  .url = FIELD(r, out ? I_TO_URL : I_FROM_URL)};
    int32_t id = kith_ingest_who(r->ing, &w);
    if (id < 0)
        return skip(r, "missing name and URL");
    kith_ingest_event(r->ing, t, KITH_K_INVITATION, out ? KITH_DIR_OUT : KITH_DIR_IN, id, -1, -1);
    return KITH_OK;
}

/* ------------------------------------------------------------------------------------------
 * Endorsement_Received_Info.csv / Endorsement_Given_Info.csv: one event per skill row
 * ------------------------------------------------------------------------------------------ */

enum { E_DATE, E_FIRST, E_LAST, E_URL, E_STATUS };

static kith_err endorsement(row_ctx *r, kith_dir dir)
{
    const char *status = FIELD(r, E_STATUS), *date = FIELD(r, E_DATE);
    if (ieq(status, "REJECTED")) {
        kith_ingest_drop(r->ing, "rejected");
        return KITH_OK;
    }
    int64_t t;
    if (!date_of(date, KITH_DATE_YMD_SLASH_UTC, KITH_DATE_YMD_HMS_UTC, &t))
        return bad_date(r, date);
    kith_who w = {.first = FIELD(r, E_FIRST), .last = FIELD(r, E_LAST), .url = FIELD(r, E_URL)};
    int32_t id = kith_ingest_who(r->ing, &w);
    if (id < 0)
        return skip(r, "missing name and URL");
    kith_ingest_event(r->ing, t, KITH_K_ENDORSEMENT, dir, id, -1, -1);
    return KITH_OK;
}

static kith_err row_endorsement_in(row_ctx *r)
{
    return endorsement(r, KITH_DIR_IN);
}
static kith_err row_endorsement_out(row_ctx *r)
{
    return endorsement(r, KITH_DIR_OUT);
}

/* ------------------------------------------------------------------------------------------
 * Recommendations_Received.csv / Recommendations_Given.csv: no URL, joined by name
 * ------------------------------------------------------------------------------------------ */

enum { R_FIRST, R_LAST, R_DATE, R_STATUS };

static kith_err recommendation(row_ctx *r, kith_dir dir)
{
    const char *status = FIELD(r, R_STATUS), *date = FIELD(r, R_DATE);
    if (!ieq(status, "VISIBLE")) {
        /* HIDDEN, PENDING, ...: the reason is the status, lower-cased. */
        char reason[32];
        size_t i = 0;
        for (const char *p = status; *p && i < sizeof reason - 1; p++)
            if (*p != ' ')
                reason[i++] = (char)tolower((unsigned char)*p);
        reason[i] = 0;
        kith_ingest_drop(r->ing, i ? reason : "no status");
        return KITH_OK;
    }
    int64_t t;
    if (!date_of(date, KITH_DATE_MDY_HM_AMPM, KITH_DATE_MDY_HM_AMPM, &t))
        return bad_date(r, date);
    kith_who w = {.first = FIELD(r, R_FIRST), .last = FIELD(r, R_LAST)};
    int32_t id = kith_ingest_who(r->ing, &w);
    if (id < 0)
        return skip(r, "missing name");
    kith_ingest_event(r->ing, t, KITH_K_RECOMMENDATION, dir, id, -1, -1);
    return KITH_OK;
}

static kith_err row_recommendation_in(row_ctx *r)
{
    return recommendation(r, KITH_DIR_IN);
}
static kith_err row_recommendation_out(row_ctx *r)
{
    return recommendation(r, KITH_DIR_OUT);
}

/* ------------------------------------------------------------------------------------------
 * Profile.csv, Positions.csv, Skills.csv: the owner's profile
 * ------------------------------------------------------------------------------------------ */

enum { P_FIRST, P_LAST, P_HEADLINE, P_SUMMARY, P_INDUSTRY, P_GEO, P_LOCATION };

static const char *nonblank(const char *s)
{
    return blank(s) ? NULL : s;
}

static kith_err row_profile(row_ctx *r)
{
    const char *loc = nonblank(FIELD(r, P_GEO));
    kith_profile_in p = {.first_name = nonblank(FIELD(r, P_FIRST)),
                         .last_name = nonblank(FIELD(r, P_LAST)),
                         .headline = nonblank(FIELD(r, P_HEADLINE)),
                         .summary = nonblank(FIELD(r, P_SUMMARY)),
                         .industry = nonblank(FIELD(r, P_INDUSTRY)),
                         .location = loc ? loc : nonblank(FIELD(r, P_LOCATION))};
    if (!p.first_name && !p.last_name)
        return skip(r, "missing name");
    kith_ingest_profile(r->ing, &p);
    return KITH_OK;
}

enum { POS_COMPANY, POS_TITLE, POS_STARTED, POS_FINISHED };

static kith_err row_position(row_ctx *r)
{
    const char *started = FIELD(r, POS_STARTED), *finished = FIELD(r, POS_FINISHED);
    int64_t t;
    if (blank(FIELD(r, POS_COMPANY)) && blank(FIELD(r, POS_TITLE)))
        return skip(r, "missing company and title");
    if (!blank(started) && !date_of(started, KITH_DATE_MON_YYYY, KITH_DATE_MON_YYYY, &t))
        return bad_date(r, started);
    if (!blank(finished) && !date_of(finished, KITH_DATE_MON_YYYY, KITH_DATE_MON_YYYY, &t))
        return bad_date(r, finished);
    if (blank(finished))
        r->count++;
    return KITH_OK;
}

static void finish_positions(row_ctx *r)
{
    kith_profile_in p = {.current_positions = (int)r->count};
    kith_ingest_profile(r->ing, &p);
}

static kith_err row_skill(row_ctx *r)
{
    if (blank(kith_csv_get(r->csv, r->col[0])))
        return skip(r, "missing skill name");
    r->count++;
    return KITH_OK;
}

static void finish_skills(row_ctx *r)
{
    kith_profile_in p = {.skills = (int)r->count};
    kith_ingest_profile(r->ing, &p);
}

/* ------------------------------------------------------------------------------------------
 * Shares.csv, Comments.csv, Reactions.csv: the owner's activity
 * ------------------------------------------------------------------------------------------ */

static kith_err activity(row_ctx *r, kith_activity what)
{
    const char *date = kith_csv_get(r->csv, r->col[0]);
    int64_t t;
    if (!date_of(date, KITH_DATE_YMD_HMS, KITH_DATE_YMD_HMS_UTC, &t))
        return bad_date(r, date);
    kith_ingest_activity(r->ing, t, what);
    return KITH_OK;
}

static kith_err row_share(row_ctx *r)
{
    return activity(r, KITH_ACT_SHARE);
}
static kith_err row_comment(row_ctx *r)
{
    return activity(r, KITH_ACT_COMMENT);
}
static kith_err row_reaction(row_ctx *r)
{
    return activity(r, KITH_ACT_REACTION);
}

/* ------------------------------------------------------------------------------------------
 * The table of files
 * ------------------------------------------------------------------------------------------ */

/* clang-format off: the table reads best as a table */
#define LIST(...)                                                                                  \
    (const char *const[])                                                                          \
    {                                                                                              \
        __VA_ARGS__, NULL                                                                          \
    }

enum {
    F_CONNECTIONS,
    F_MESSAGES,
    F_INVITATIONS,
    F_ENDORSE_IN,
    F_ENDORSE_OUT,
    F_RECO_IN,
    F_RECO_OUT,
    F_PROFILE,
    F_POSITIONS,
    F_SKILLS,
    F_SHARES,
    F_COMMENTS,
    F_REACTIONS,
    F__COUNT
};

static const li_spec specs[F__COUNT] = {
    [F_CONNECTIONS] = {LIST("connections"), LIST("First Name", "Last Name", "Connected On"),
                       LIST("First Name", "Last Name", "URL", "Email Address", "Company",
                            "Position", "Connected On"),
                       0, row_connection, NULL, LIST("First Name", "Last Name", "Connected On")},
    [F_MESSAGES] = {LIST("messages"), LIST("CONVERSATION ID", "FROM", "TO", "DATE"),
                    LIST("CONVERSATION ID", "FROM", "SENDER PROFILE URL", "TO",
                         "RECIPIENT PROFILE URLS", "DATE", "FOLDER", "IS MESSAGE DRAFT",
                         "IS CONVERSATION DRAFT"),
                    0, row_message, NULL, LIST("CONVERSATION ID", "SENDER PROFILE URL")},
    [F_INVITATIONS] = {LIST("invitations"), LIST("From", "To", "Sent At", "Direction"),
                       LIST("From", "To", "Sent At", "Direction", "inviterProfileUrl",
                            "inviteeProfileUrl"),
                       0, row_invitation, NULL, LIST("inviterProfileUrl", "inviteeProfileUrl")},
    [F_ENDORSE_IN] = {LIST("endorsement_received_info"),
                      LIST("Endorsement Date", "Endorser First Name"),
                      LIST("Endorsement Date", "Endorser First Name", "Endorser Last Name",
                           "Endorser Public Url", "Endorsement Status"),
                      0, row_endorsement_in, NULL, LIST("Endorser Public Url")},
    [F_ENDORSE_OUT] = {LIST("endorsement_given_info"),
                       LIST("Endorsement Date", "Endorsee First Name"),
                       LIST("Endorsement Date", "Endorsee First Name", "Endorsee Last Name",
                            "Endorsee Public Url", "Endorsement Status"),
                       0, row_endorsement_out, NULL, LIST("Endorsee Public Url")},
    [F_RECO_IN] = {LIST("recommendations_received"), LIST("First Name", "Last Name", "Status"),
                   LIST("First Name", "Last Name", "Creation Date", "Status"), 0,
                   row_recommendation_in, NULL},
    [F_RECO_OUT] = {LIST("recommendations_given"), LIST("First Name", "Last Name", "Status"),
                    LIST("First Name", "Last Name", "Creation Date", "Status"), 0,
                    row_recommendation_out, NULL},
    [F_PROFILE] = {LIST("profile"), LIST("First Name", "Headline"),
                   LIST("First Name", "Last Name", "Headline", "Summary", "Industry",
                        "Geo Location", "Location"),
                   0, row_profile, NULL},
    [F_POSITIONS] = {LIST("positions"), LIST("Company Name", "Title", "Started On"),
                     LIST("Company Name", "Title", "Started On", "Finished On"), 0, row_position,
                     finish_positions},
    [F_SKILLS] = {LIST("skills"), LIST("Name"), LIST("Name"), 0, row_skill, finish_skills},
    [F_SHARES] = {LIST("shares"), LIST("Date", "ShareLink"), LIST("Date"), 0, row_share, NULL,
                  LIST("ShareLink", "ShareCommentary")},
    [F_COMMENTS] = {LIST("comments"), LIST("Date", "Message"), LIST("Date"),
                    KITH_CSV_BACKSLASH_QUOTES, row_comment, NULL},
    [F_REACTIONS] = {LIST("reactions"), LIST("Date", "Type"), LIST("Date"), 0, row_reaction, NULL},
};

/* clang-format on */

static size_t list_len(const char *const *l)
{
    size_t n = 0;
    while (l[n])
        n++;
    return n;
}

/* "Recommendations Received.CSV" -> "recommendations_received.csv" */
static void normalize_name(const char *base, char *out, size_t cap)
{
    size_t i = 0;
    for (; base[i] && i < cap - 1; i++)
        out[i] = base[i] == ' ' ? '_' : (char)tolower((unsigned char)base[i]);
    out[i] = 0;
}

/* Whether the head holds every required header name (case-insensitive; NUL bytes are
 * ignored so that a UTF-16 head matches too). A head with nothing but a BOM and blanks is an
 * empty file, which matches: it is recognized and reported as yielding no rows. */
static bool head_has(const char *head, size_t n, const char *const *required, bool empty_ok)
{
    char low[4097];
    size_t k = 0;
    bool empty = true;
    for (size_t i = 0; i < n && k < sizeof low - 1; i++) {
        unsigned char ch = (unsigned char)head[i];
        if (ch == 0)
            continue;
        if (ch < 0x80 && !isspace(ch))
            empty = false;
        low[k++] = (char)tolower(ch);
    }
    low[k] = 0;
    if (empty)
        return empty_ok;
    for (size_t r = 0; required[r]; r++) {
        char want[64];
        normalize_name(required[r], want, sizeof want);
        for (char *p = want; *p; p++)
            if (*p == '_')
                *p = ' ';
        if (!strstr(low, want))
            return false;
    }
    return true;
}

/* Files that share a known header but are not the owner's network. */
static bool excluded(const char *name)
{
    return strncmp(name, "guide_messages", 14) == 0 ||
           strncmp(name, "learning_role_play_messages", 27) == 0;
}

static int sniff(const li_spec *sp, const char *base, const char *head, size_t n)
{
    char name[256];
    normalize_name(base, name, sizeof name);
    size_t len = strlen(name);
    if (excluded(name))
        return 0;
    bool csv = len >= 4 && strcmp(name + len - 4, ".csv") == 0;
    for (size_t i = 0; csv && sp->prefixes[i]; i++)
        if (strncmp(name, sp->prefixes[i], strlen(sp->prefixes[i])) == 0)
            return head_has(head, n, sp->required, true);
    return sp->signature && head_has(head, n, sp->signature, false) &&
           head_has(head, n, sp->required, false);
}

static kith_err read_file(const li_spec *sp, const char *kind, kith_stream *s, kith_ingest *ing,
                          kith_diag *d)
{
    kith_err e;
    kith_csv *csv = NULL;
    row_ctx r = {.ing = ing, .d = d};
    kith_ingest_begin_file(ing, kith_stream_name(s), kind);
    if ((e = kith_csv_open(&csv, s, sp->csv_flags, d)) != KITH_OK)
        goto cleanup;
    r.csv = csv;
    e = kith_csv_find_header(csv, sp->required, list_len(sp->required), d);
    if (e == KITH_ERR_NO_DATA) {
        kith_diag_clear(d);
        e = KITH_OK;
        goto done; /* an empty file: zero rows, a warning from the model */
    }
    if (e != KITH_OK)
        goto cleanup;
    for (size_t i = 0; sp->columns[i] && i < MAX_COLS; i++)
        r.col[i] = kith_csv_col(csv, sp->columns[i]);

    size_t want = kith_csv_header_nfields(csv);
    int more;
    while ((more = kith_csv_next(csv, d)) == 1) {
        kith_ingest_row(ing);
        size_t got = kith_csv_nfields(csv);
        bool extra_filled = false;
        for (size_t i = want; i < got; i++)
            extra_filled |= !blank(kith_csv_field(csv, i));
        if (got < want || extra_filled)
            e = skip(&r, "wrong field count (%zu, the header has %zu)", got, want);
        else
            e = sp->row(&r);
        if (e != KITH_OK)
            goto cleanup;
    }
    if (more < 0) {
        e = d && d->reason[0] ? KITH_ERR_FORMAT : KITH_ERR_IO;
        goto cleanup;
    }
done:
    if (sp->finish)
        sp->finish(&r);
cleanup:
    kith_ingest_end_file(ing);
    kith_csv_close(csv);
    return e;
}

/* clang-format off */
#define LINKEDIN_FILES(X)                                                                    \
    X(F_CONNECTIONS, connections, "linkedin/connections")                                    \
    X(F_MESSAGES, messages, "linkedin/messages")                                             \
    X(F_INVITATIONS, invitations, "linkedin/invitations")                                    \
    X(F_ENDORSE_IN, endorse_in, "linkedin/endorsements-received")                            \
    X(F_ENDORSE_OUT, endorse_out, "linkedin/endorsements-given")                             \
    X(F_RECO_IN, reco_in, "linkedin/recommendations-received")                               \
    X(F_RECO_OUT, reco_out, "linkedin/recommendations-given")                                \
    X(F_PROFILE, profile, "linkedin/profile")                                                \
    X(F_POSITIONS, positions, "linkedin/positions")                                          \
    X(F_SKILLS, skills, "linkedin/skills")                                                   \
    X(F_SHARES, shares, "linkedin/shares")                                                   \
    X(F_COMMENTS, comments, "linkedin/comments")                                             \
    X(F_REACTIONS, reactions, "linkedin/reactions")

#define LINKEDIN_FUNCS(id, name, kind)                                                       \
    static int sniff_##name(const char *b, const char *h, size_t n)                         \
    {                                                                                        \
        return sniff(&specs[id], b, h, n);                                                   \
    }                                                                                        \
    static kith_err read_##name(kith_stream *s, kith_ingest *ing, kith_diag *d)             \
    {                                                                                        \
        return read_file(&specs[id], kind, s, ing, d);                                       \
    }
LINKEDIN_FILES(LINKEDIN_FUNCS)

#define LINKEDIN_ENTRY(id, name, kind) {kind, sniff_##name, read_##name},
const kith_format kith_linkedin_formats[] = {LINKEDIN_FILES(LINKEDIN_ENTRY){NULL, NULL, NULL}};
/* clang-format on */
