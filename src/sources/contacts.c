/* Contacts CSV readers (export-formats §2–3): Google Contacts, current and older header, and
 * Outlook's classic export. Each row is one contact entry (connection = true).
 *
 * Columns are found by name, never by position: the numbered E-mail / Website columns vary
 * from one export to the next, so each number is probed ("E-mail 1 - Value", "E-mail 2 -
 * Value", ...; Outlook: "E-mail Address", "E-mail 2 Address", ...). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "contacts.h"
#include "lines.h"
#include "reader.h"

enum { MAX_COLS = 64, MAX_EMAILS = 32, MAX_BDAY_WARNINGS = 3 };

typedef enum { GOOGLE_NEW, GOOGLE_OLD, OUTLOOK } variant;

typedef struct {
    int first, middle, last, full, file_as, nickname;
    int company, title, birthday, labels;
    int emails[MAX_COLS];
    size_t n_emails;
    int websites[MAX_COLS];
    size_t n_websites;
} columns;

/* ---- helpers ------------------------------------------------------------------------- */

static void trim_span(const char **s, size_t *n)
{
    while (*n && isspace((unsigned char)**s))
        (*s)++, (*n)--;
    while (*n && isspace((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

static char *dup_span(const char *s, size_t n)
{
    trim_span(&s, &n);
    if (!n)
        return NULL;
    char *o = malloc(n + 1);
    if (o) {
        memcpy(o, s, n);
        o[n] = '\0';
    }
    return o;
}

bool kith_contacts_parse_bday(const char *v, int *y, int *m, int *d)
{
    *y = *m = *d = 0;
    while (*v && isspace((unsigned char)*v))
        v++;
    int yy = 0, mm = 0, dd = 0, n = 0;
    if (!*v)
        return false;
    if (v[0] == '-' && v[1] == '-') {
        if (sscanf(v, "--%2d-%2d%n", &mm, &dd, &n) != 2)
            return false;
    } else if (isdigit((unsigned char)v[0]) && strchr(v, '/')) {
        /* Outlook: m/d/yyyy; "0/0/00" means none */
        if (sscanf(v, "%d/%d/%d%n", &mm, &dd, &yy, &n) != 3)
            return false;
        if (mm == 0 && dd == 0)
            return false;
        if (yy < 100)
            yy = 0; /* a two-digit year cannot be placed in a century */
    } else {
        if (sscanf(v, "%4d-%2d-%2d%n", &yy, &mm, &dd, &n) != 3)
            return false;
    }
    while (v[n] && isspace((unsigned char)v[n]))
        n++;
    if (v[n] && v[n] != 'T' && v[n] != ' ')
        return false;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mm < 1 || mm > 12 || dd < 1 || dd > days[mm - 1])
        return false;
    if (mm == 2 && dd == 29 && yy && !((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0))
        return false;
    *y = yy;
    *m = mm;
    *d = dd;
    return true;
}

/* Appends the labels of a Google " ::: " list or an Outlook ";" list to b, "; "-joined.
 * Google system groups ("* myContacts", "* starred") are left out. */
void kith_contacts_labels(const char *v, const char *sep, kith_buf *b)
{
    size_t seplen = strlen(sep);
    while (v && *v) {
        const char *end = strstr(v, sep);
        size_t n = end ? (size_t)(end - v) : strlen(v);
        const char *s = v;
        trim_span(&s, &n);
        bool system = n >= 2 && s[0] == '*' && s[1] == ' ';
        if (n && !system) {
            if (b->n)
                kith_buf_put(b, "; ", 2);
            kith_buf_put(b, s, n);
        }
        v = end ? end + seplen : NULL;
    }
}

static void find_columns(kith_csv *c, variant v, columns *col)
{
    memset(col, 0, sizeof *col);
    col->middle = col->full = col->file_as = col->nickname = -1;
    if (v == GOOGLE_OLD) {
        col->full = kith_csv_col(c, "Name");
        col->first = kith_csv_col(c, "Given Name");
        col->last = kith_csv_col(c, "Family Name");
        col->nickname = kith_csv_col(c, "Nickname");
        col->company = kith_csv_col(c, "Organization 1 - Name");
        col->title = kith_csv_col(c, "Organization 1 - Title");
        col->labels = kith_csv_col(c, "Group Membership");
    } else if (v == GOOGLE_NEW) {
        col->first = kith_csv_col(c, "First Name");
        col->middle = kith_csv_col(c, "Middle Name");
        col->last = kith_csv_col(c, "Last Name");
        col->file_as = kith_csv_col(c, "File As");
        col->nickname = kith_csv_col(c, "Nickname");
        col->company = kith_csv_col(c, "Organization Name");
        col->title = kith_csv_col(c, "Organization Title");
        col->labels = kith_csv_col(c, "Labels");
    } else {
        col->first = kith_csv_col(c, "First Name");
        col->middle = kith_csv_col(c, "Middle Name");
        col->last = kith_csv_col(c, "Last Name");
        col->company = kith_csv_col(c, "Company");
        col->title = kith_csv_col(c, "Job Title");
        col->labels = kith_csv_col(c, "Categories");
    }
    col->birthday = kith_csv_col(c, "Birthday");

    /* numbered columns, probed by name: their count varies from export to export */
    char h[64];
    if (v == OUTLOOK) {
        int e = kith_csv_col(c, "E-mail Address");
        if (e >= 0)
            col->emails[col->n_emails++] = e;
        for (int i = 2; i < MAX_COLS; i++) {
            snprintf(h, sizeof h, "E-mail %d Address", i);
            if ((e = kith_csv_col(c, h)) >= 0)
                col->emails[col->n_emails++] = e;
        }
        if ((e = kith_csv_col(c, "Web Page")) >= 0)
            col->websites[col->n_websites++] = e;
        return;
    }
    for (int i = 1; i < MAX_COLS; i++) {
        int e;
        snprintf(h, sizeof h, "E-mail %d - Value", i);
        if ((e = kith_csv_col(c, h)) >= 0)
            col->emails[col->n_emails++] = e;
        snprintf(h, sizeof h, "Website %d - Value", i);
        if ((e = kith_csv_col(c, h)) >= 0)
            col->websites[col->n_websites++] = e;
    }
}

/* ---- the reader ---------------------------------------------------------------------- */

static const char *const google_new_required[] = {"First Name", "Last Name", "Labels"};
static const char *const google_old_required[] = {"Name", "Given Name", "Family Name"};
static const char *const outlook_required[] = {"First Name", "Last Name", "E-mail Address"};

static kith_err read_contacts(kith_stream *s, kith_ingest *ing, variant v, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_csv *csv = NULL;
    columns col;
    char *emails[MAX_EMAILS];
    size_t n_emails = 0;
    kith_buf labels = {0};
    char *first = NULL, *last = NULL, *name = NULL, *url = NULL, *company = NULL, *title = NULL;
    int bday_warnings = 0;
    const char *fname = kith_stream_name(s);

    kith_ingest_begin_file(ing, fname, v == OUTLOOK ? "outlook-contacts" : "google-contacts");
    err = kith_csv_open(&csv, s, 0, d);
    if (err)
        goto cleanup;
    if (v == GOOGLE_NEW)
        err = kith_csv_find_header(csv, google_new_required, 3, d);
    else if (v == GOOGLE_OLD)
        err = kith_csv_find_header(csv, google_old_required, 3, d);
    else
        err = kith_csv_find_header(csv, outlook_required, 3, d);
    if (err)
        goto cleanup;
    find_columns(csv, v, &col);

    int more;
    while ((more = kith_csv_next_nonblank(csv, d)) == 1) {
        long line = kith_csv_line(csv);
        kith_ingest_row(ing);

        const char *f = kith_csv_get(csv, col.first);
        const char *l = kith_csv_get(csv, col.last);
        first = dup_span(f, strlen(f));
        last = dup_span(l, strlen(l));
        if (!first && !last) {
            /* no given or family name: a full-name column, else File As, else a nickname */
            const int alt[] = {col.full, col.file_as, col.nickname};
            for (size_t i = 0; i < 3 && !name; i++) {
                const char *a = kith_csv_get(csv, alt[i]);
                name = dup_span(a, strlen(a));
            }
        }
        for (size_t i = 0; i < col.n_emails; i++) {
            /* Google puts several addresses in one cell, " ::: "-separated */
            const char *e = kith_csv_get(csv, col.emails[i]);
            while (*e && n_emails < MAX_EMAILS) {
                const char *end = strstr(e, " ::: ");
                size_t n = end ? (size_t)(end - e) : strlen(e);
                char *one = dup_span(e, n);
                bool dup = false;
                for (size_t k = 0; one && k < n_emails && !dup; k++)
                    dup = !strcasecmp(emails[k], one);
                if (one && strchr(one, '@') && !dup)
                    emails[n_emails++] = one;
                else
                    free(one);
                e = end ? end + 5 : e + n;
            }
        }
        for (size_t i = 0; i < col.n_websites && !url; i++) {
            const char *w = kith_csv_get(csv, col.websites[i]);
            if (strstr(w, "linkedin.com/in/"))
                url = dup_span(w, strlen(w));
        }

        kith_who who = {.name = name,
                        .first = first,
                        .last = last,
                        .url = url,
                        .email = n_emails ? emails[0] : NULL};
        int32_t id = kith_ingest_who(ing, &who);
        if (id < 0) {
            err = kith_ingest_skip(ing, line, d, "contact with no name, e-mail nor URL");
        } else {
            int by = 0, bm = 0, bd = 0;
            const char *b = kith_csv_get(csv, col.birthday);
            const char *bt = b;
            while (*bt && isspace((unsigned char)*bt))
                bt++;
            bool none = !*bt || !strcmp(bt, "0/0/00") || !strcmp(bt, "0/0/0000");
            if (!none && !kith_contacts_parse_bday(b, &by, &bm, &bd) &&
                bday_warnings++ < MAX_BDAY_WARNINGS)
                kith_ingest_warn(ing, "%s:%ld: birthday '%s' is not a date: ignored", fname, line,
                                 bt);
            kith_buf_reset(&labels);
            kith_contacts_labels(kith_csv_get(csv, col.labels),
                                 v == OUTLOOK ? ";" : " ::: ", &labels);
            /* several organizations share a cell, " ::: "-separated: the first is current */
            const char *co = kith_csv_get(csv, col.company), *ti = kith_csv_get(csv, col.title);
            const char *co_end = strstr(co, " ::: "), *ti_end = strstr(ti, " ::: ");
            company = dup_span(co, co_end ? (size_t)(co_end - co) : strlen(co));
            title = dup_span(ti, ti_end ? (size_t)(ti_end - ti) : strlen(ti));
            kith_contact k = {
                .company = company,
                .position = title,
                .connected_on = KITH_NO_TIME,
                .bday_year = by,
                .bday_month = bm,
                .bday_day = bd,
                .emails = n_emails > 1 ? (const char *const *)emails + 1 : NULL,
                .n_emails = n_emails > 1 ? n_emails - 1 : 0,
                .labels = labels.n ? labels.s : NULL,
                .connection = true,
            };
            kith_ingest_contact(ing, id, &k);
        }
        for (size_t i = 0; i < n_emails; i++)
            free(emails[i]);
        n_emails = 0;
        free(first);
        free(last);
        free(name);
        free(url);
        free(company);
        free(title);
        first = last = name = url = company = title = NULL;
        if (err)
            goto cleanup;
    }
    if (more < 0) {
        err = KITH_ERR_FORMAT;
        goto cleanup;
    }

cleanup:
    if (bday_warnings > MAX_BDAY_WARNINGS)
        kith_ingest_warn(ing, "%s: %d more birthdays that are not dates ignored", fname,
                         bday_warnings - MAX_BDAY_WARNINGS);
    kith_ingest_end_file(ing);
    for (size_t i = 0; i < n_emails; i++)
        free(emails[i]);
    free(first);
    free(last);
    free(name);
    free(url);
    free(company);
    free(title);
    kith_buf_free(&labels);
    kith_csv_close(csv);
    return err;
}

/* The first line of head as lower-case ASCII without quotes, spaces kept; UTF-16 (BOM) is
 * narrowed by dropping its zero bytes. */
static void header_line(const char *head, size_t n, char *out, size_t cap)
{
    size_t i = 0, w = 0;
    bool utf16 = n >= 2 && ((unsigned char)head[0] == 0xFF && (unsigned char)head[1] == 0xFE);
    utf16 = utf16 || (n >= 2 && (unsigned char)head[0] == 0xFE && (unsigned char)head[1] == 0xFF);
    if (utf16)
        i = 2;
    else if (n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
        i = 3;
    for (; i < n && w + 1 < cap; i++) {
        char ch = head[i];
        if (ch == '\0' || ch == '"')
            continue;
        if (ch == '\n' || ch == '\r')
            break;
        out[w++] = (char)tolower((unsigned char)ch);
    }
    out[w] = '\0';
}

static bool has_field(const char *line, const char *field)
{
    size_t n = strlen(field);
    for (const char *p = line; (p = strstr(p, field)); p++) {
        bool start = p == line || p[-1] == ',';
        bool end = p[n] == ',' || p[n] == '\0';
        if (start && end)
            return true;
    }
    return false;
}

static int sniff_google_new(const char *base, const char *head, size_t n)
{
    (void)base;
    char line[4096];
    header_line(head, n, line, sizeof line);
    return has_field(line, "first name") && has_field(line, "last name") &&
           has_field(line, "labels") && !has_field(line, "e-mail address");
}

static int sniff_google_old(const char *base, const char *head, size_t n)
{
    (void)base;
    char line[4096];
    header_line(head, n, line, sizeof line);
    return has_field(line, "name") && has_field(line, "given name") &&
           has_field(line, "family name");
}

static int sniff_outlook(const char *base, const char *head, size_t n)
{
    (void)base;
    char line[4096];
    header_line(head, n, line, sizeof line);
    return has_field(line, "first name") && has_field(line, "last name") &&
           has_field(line, "e-mail address");
}

static kith_err read_google_new(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return read_contacts(s, ing, GOOGLE_NEW, d);
}

static kith_err read_google_old(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return read_contacts(s, ing, GOOGLE_OLD, d);
}

static kith_err read_outlook(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return read_contacts(s, ing, OUTLOOK, d);
}

/* Outlook's header also has First/Last Name: it is told apart by "E-mail Address". */
const kith_format kith_contacts_formats[] = {
    {"google-contacts", sniff_google_new, read_google_new},
    {"google-contacts", sniff_google_old, read_google_old},
    {"outlook-contacts", sniff_outlook, read_outlook},
    {NULL, NULL, NULL},
};
