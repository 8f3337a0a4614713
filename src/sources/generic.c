/* The generic interactions CSV of spec §1, for CRM exports and scripts:
 *   date,kind,direction,contact,contact_email,contact_url,with,note
 * One event per row with the contact; `with` names co-participants (one group per row):
 * meetings and calls give each of them the event too, and so does a message or mail the
 * owner sent (it went to all of them); an introduction links the contact and the person
 * introduced (either direction: the two know each other). The note is never kept. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "generic.h"
#include "kith/date.h"
#include "reader.h"

enum { MAX_WITH = 64 };

static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (!n)
        return NULL;
    char *o = malloc(n + 1);
    if (o) {
        memcpy(o, s, n);
        o[n] = '\0';
    }
    return o;
}

static const char *const required[] = {"date", "kind", "direction", "contact"};

kith_err kith_generic_read(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_csv *csv = NULL;
    int32_t with[MAX_WITH];

    kith_ingest_begin_file(ing, kith_stream_name(s), "generic");
    err = kith_csv_open(&csv, s, 0, d);
    if (err)
        goto cleanup;
    err = kith_csv_find_header(csv, required, sizeof required / sizeof *required, d);
    if (err)
        goto cleanup;
    int c_date = kith_csv_col(csv, "date"), c_kind = kith_csv_col(csv, "kind");
    int c_dir = kith_csv_col(csv, "direction"), c_contact = kith_csv_col(csv, "contact");
    int c_email = kith_csv_col(csv, "contact_email"), c_url = kith_csv_col(csv, "contact_url");
    int c_with = kith_csv_col(csv, "with");

    int more;
    while ((more = kith_csv_next_nonblank(csv, d)) == 1) {
        long line = kith_csv_line(csv);
        kith_ingest_row(ing);

        const char *ds = kith_csv_get(csv, c_date);
        int64_t t;
        if (kith_date_parse(KITH_DATE_ISO8601, ds, &t) != KITH_OK) {
            err = kith_ingest_skip(ing, line, d, "bad date '%s'", ds);
            if (err)
                goto cleanup;
            continue;
        }
        const char *ks = kith_csv_get(csv, c_kind);
        char *kt = trimmed(ks, strlen(ks));
        int kind = kt ? kith_kind_parse(kt) : -1;
        free(kt);
        if (kind < 0) {
            err = kith_ingest_skip(ing, line, d, "unknown kind '%s'", ks);
            if (err)
                goto cleanup;
            continue;
        }
        const char *dirs = kith_csv_get(csv, c_dir);
        char *dt = trimmed(dirs, strlen(dirs));
        int dir = !dt                      ? -1
                  : !strcasecmp(dt, "out") ? KITH_DIR_OUT
                  : !strcasecmp(dt, "in")  ? KITH_DIR_IN
                                           : -1;
        free(dt);
        if (dir < 0) {
            err = kith_ingest_skip(ing, line, d, "bad direction '%s' (out or in)", dirs);
            if (err)
                goto cleanup;
            continue;
        }
        const char *cs = kith_csv_get(csv, c_contact), *es = kith_csv_get(csv, c_email),
                   *us = kith_csv_get(csv, c_url);
        char *cn = trimmed(cs, strlen(cs)), *ce = trimmed(es, strlen(es)),
             *cu = trimmed(us, strlen(us));
        kith_who who = {.name = cn, .email = ce, .url = cu};
        int32_t id = kith_ingest_who(ing, &who);
        free(cn);
        free(ce);
        free(cu);
        if (id < 0) {
            err = kith_ingest_skip(ing, line, d, "no contact name, e-mail nor URL");
            if (err)
                goto cleanup;
            continue;
        }

        /* the co-participants: names or e-mails, ';'-separated */
        size_t n_with = 0;
        for (const char *w = kith_csv_get(csv, c_with); *w && n_with < MAX_WITH;) {
            const char *end = strchr(w, ';');
            size_t n = end ? (size_t)(end - w) : strlen(w);
            char *one = trimmed(w, n);
            if (one) {
                kith_who ww = {0};
                char *lt = strchr(one, '<'), *gt = lt ? strchr(lt, '>') : NULL;
                if (lt && gt && memchr(lt, '@', (size_t)(gt - lt))) {
                    /* "Dana Okafor <dana@acme.example>" */
                    *gt = '\0';
                    ww.email = lt + 1;
                    while (lt > one && isspace((unsigned char)lt[-1]))
                        lt--;
                    *lt = '\0';
                    char *nm = one;
                    size_t nl = strlen(nm);
                    if (nl >= 2 && nm[0] == '"' && nm[nl - 1] == '"') {
                        nm[nl - 1] = '\0';
                        nm++;
                    }
                    ww.name = *nm ? nm : NULL;
                } else if (strchr(one, '@'))
                    ww.email = one;
                else if (strstr(one, "linkedin.com/"))
                    ww.url = one;
                else
                    ww.name = one;
                int32_t wid = kith_ingest_who(ing, &ww);
                bool dup = wid == id;
                for (size_t k = 0; k < n_with && !dup; k++)
                    dup = with[k] == wid;
                if (wid >= 0 && !dup)
                    with[n_with++] = wid;
                free(one);
            }
            w = end ? end + 1 : w + n;
        }

        int32_t item = kith_ingest_item(ing);
        if (kind == KITH_K_INTRODUCTION) {
            kith_ingest_event(ing, t, KITH_K_INTRODUCTION, (kith_dir)dir, id, -1, item);
            for (size_t k = 0; k < n_with; k++)
                kith_ingest_intro(ing, t, id, with[k]);
            continue;
        }
        int32_t group = -1;
        if (n_with > 0) {
            char key[64];
            snprintf(key, sizeof key, "%s:%ld", kith_stream_name(s), line);
            group = kith_ingest_group(ing, key);
        }
        kith_ingest_event(ing, t, (kith_kind)kind, (kith_dir)dir, id, group, item);
        if (n_with == 0)
            continue;
        /* Everyone in a meeting or call gets the event; a message or mail the owner sent
         * went to every recipient (as in the mbox); otherwise the co-participants only join
         * the group: an exchange with no sender and without the owner adds members only. */
        bool each = kind == KITH_K_MEETING || kind == KITH_K_CALL ||
                    ((kind == KITH_K_MESSAGE || kind == KITH_K_EMAIL) && dir == KITH_DIR_OUT);
        if (each) {
            for (size_t k = 0; k < n_with; k++)
                kith_ingest_event(ing, t, (kith_kind)kind, (kith_dir)dir, with[k], group, item);
        } else {
            kith_ingest_exchange(ing, t, (kith_kind)kind, -1, with, n_with, group, 0);
        }
    }
    if (more < 0) {
        err = KITH_ERR_FORMAT;
        goto cleanup;
    }

cleanup:
    kith_ingest_end_file(ing);
    kith_csv_close(csv);
    return err;
}

int kith_generic_sniff(const char *base_name, const char *head, size_t n)
{
    (void)base_name;
    size_t i = 0;
    if (n >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
        i = 3;
    char line[512];
    size_t w = 0;
    for (; i < n && w + 1 < sizeof line; i++) {
        char ch = head[i];
        if (ch == '\n' || ch == '\r')
            break;
        if (ch == '"' || ch == ' ')
            continue;
        line[w++] = (char)tolower((unsigned char)ch);
    }
    line[w] = '\0';
    /* the documented columns, in any order */
    static const char *const need[] = {"date", "kind", "direction", "contact"};
    for (size_t k = 0; k < 4; k++) {
        size_t fn = strlen(need[k]);
        bool found = false;
        for (const char *p = line; !found && (p = strstr(p, need[k])); p++)
            found = (p == line || p[-1] == ',') && (p[fn] == ',' || p[fn] == '\0');
        if (!found)
            return 0;
    }
    return 1;
}

const kith_format kith_generic_formats[] = {
    {"generic", kith_generic_sniff, kith_generic_read},
    {NULL, NULL, NULL},
};
