/* kith synth: mail.mbox (Gmail Takeout) and calendar.ics for the persons flagged SY_PF_MAIL,
 * under the same e-mail addresses as google-contacts.csv so identity merges. These events come
 * on top of --events (which counts the LinkedIn export). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"

static void b64(const unsigned char *s, size_t n, char *out, size_t cap)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < cap; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        out[k++] = a[v >> 18 & 63];
        out[k++] = a[v >> 12 & 63];
        out[k++] = i + 1 < n ? a[v >> 6 & 63] : '=';
        out[k++] = i + 2 < n ? a[v & 63] : '=';
    }
    out[k] = 0;
}

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* An address as a mail client writes it: RFC 2047 for non-ASCII names, quotes when the
 * display name holds a comma, sometimes "Last, First". */
static void address(const char *first, const char *last, const char *email, int style,
                    char *buf, size_t n)
{
    char name[520];
    if (style == 1)
        snprintf(name, sizeof name, "%s, %s", last, first);
    else
        snprintf(name, sizeof name, "%s %s", first, last);
    if (!ascii(name)) {
        char enc[720];
        b64((const unsigned char *)name, strlen(name), enc, sizeof enc);
        snprintf(buf, n, "=?UTF-8?B?%s?= <%s>", enc, email);
    } else if (strpbrk(name, ",.;:()\"'")) {
        snprintf(buf, n, "\"%s\" <%s>", name, email);
    } else {
        snprintf(buf, n, "%s <%s>", name, email);
    }
}

static void qsubject(const char *s, char *buf, size_t n)
{
    if (ascii(s)) {
        snprintf(buf, n, "%s", s);
        return;
    }
    size_t k = (size_t)snprintf(buf, n, "=?UTF-8?Q?");
    for (const unsigned char *u = (const unsigned char *)s; *u && k + 8 < n; u++) {
        if (*u == ' ')
            buf[k++] = '_';
        else if (*u >= 0x80 || *u == '=' || *u == '?' || *u == '_')
            k += (size_t)snprintf(buf + k, n - k, "=%02X", *u);
        else
            buf[k++] = (char)*u;
    }
    snprintf(buf + k, n - k, "?=");
}

typedef struct {
    const char *label;
    int minutes;
} zone;
static const zone zones[] = {{"+0000", 0},         {"-0700 (PDT)", -420}, {"+0100", 60},
                             {"+0000 (UTC)", 0},   {"-0400", -240},       {"GMT", 0},
                             {"+0900", 540},       {"+0200 (CEST)", 120}};

static void date_header(sy_rng *r, int64_t t, char *buf, size_t n)
{
    const zone *z = &zones[sy_range(r, 0, (long)(sizeof zones / sizeof *zones) - 1)];
    char local[64];
    sy_fmt(t + z->minutes * 60, "rfc2822", local, sizeof local);
    /* some clients leave out the weekday */
    const char *s = sy_chance(r, 0.15) ? local + 5 : local;
    snprintf(buf, n, "%s %s", s, z->label);
}

typedef struct {
    sy_ctx *c;
    FILE *f;
    sy_rng r;
    long msgs;
} mailer;

static const char *const subjects[] = {
    "Coffee next week?", "Intro: two people you should meet", "Slides from Tuesday",
    "Board packet for Thursday", "Café ☕ on Friday?", "Your talk", "Quick favour",
    "Race day logistics", "Reunion planning", "Über-quick question",
};
static const char *const bodies[] = {
    "Hi %s,\n\nGreat to see you last week. Free for a coffee?\n\nBest,\n%s",
    "Hi %s,\n\nFrom what I heard the launch went well.\nFrom here on it gets easier!\n\n%s",
    "%s, the numbers are in the attached sheet.\n\nThanks,\n%s",
    "Hello %s,\n\n> quoted earlier reply\n\nAgreed. Let's do it.\n\n%s",
};

/* Writes one message. from/to are person indices, or -1 for the owner; cc may be NULL. */
static void mail_one(mailer *m, uint64_t thrid, int64_t t, long from, const long *to, size_t nto,
                     const long *cc, size_t ncc, const char *subject, bool reply,
                     uint64_t msgid, uint64_t parent, const char *labels)
{
    sy_ctx *c = m->c;
    FILE *f = m->f;
    char date[96], sep[64], addr[1600], first[256], last[256], email[256], subj[1000];
    sy_fmt(t, "mbox", sep, sizeof sep);
    date_header(&m->r, t, date, sizeof date);
    fprintf(f, "From %llu@xxx %s\n", (unsigned long long)thrid, sep);
    fprintf(f, "X-GM-THRID: %llu\n", (unsigned long long)thrid);
    fprintf(f, "X-Gmail-Labels: %s\n", labels);
    fputs("MIME-Version: 1.0\n", f);
    fprintf(f, "Date: %s\n", date);
    fprintf(f, "Message-ID: <%016llx@mail.gmail.com>\n", (unsigned long long)msgid);
    if (reply)
        fprintf(f, "In-Reply-To: <%016llx@mail.gmail.com>\n", (unsigned long long)parent);
    char full[320];
    snprintf(full, sizeof full, "%s%s", reply ? "Re: " : "", subject);
    qsubject(full, subj, sizeof subj);
    fprintf(f, "Subject: %s\n", subj);
    char sender[256] = SY_OWNER_FIRST, to_first[256] = SY_OWNER_FIRST;
    for (int pass = 0; pass < 3; pass++) {
        const long *list = pass == 0 ? &from : pass == 1 ? to : cc;
        size_t nl = pass == 0 ? 1 : pass == 1 ? nto : ncc;
        if (!list || nl == 0)
            continue;
        fputs(pass == 0 ? "From: " : pass == 1 ? "To: " : "Cc: ", f);
        for (size_t k = 0; k < nl; k++) {
            if (list[k] < 0) {
                snprintf(addr, sizeof addr, "%s <%s>", SY_OWNER_NAME, SY_OWNER_EMAIL);
            } else {
                sy_first(c, (size_t)list[k], first, sizeof first);
                sy_last(c, (size_t)list[k], last, sizeof last);
                sy_email(c, (size_t)list[k], true, email, sizeof email);
                address(first, last, email, sy_chance(&m->r, 0.25) ? 1 : 0, addr, sizeof addr);
                if (pass == 0)
                    snprintf(sender, sizeof sender, "%s", first);
            }
            fprintf(f, "%s%s", k ? ",\n " : "", addr);
        }
        fputc('\n', f);
    }
    fputs("Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n\n", f);
    char body[1200];
    if (to[0] >= 0)
        sy_first(c, (size_t)to[0], to_first, sizeof to_first);
    snprintf(body, sizeof body, bodies[sy_range(&m->r, 0, 3)], to_first, sender);
    /* mbox: a body line that starts with "From " is written ">From " */
    for (char *line = body; line && *line;) {
        char *nl = strchr(line, '\n');
        if (!strncmp(line, "From ", 5))
            fputc('>', f);
        fwrite(line, 1, nl ? (size_t)(nl - line + 1) : strlen(line), f);
        line = nl ? nl + 1 : NULL;
    }
    fputs("\n\n", f);
    m->msgs++;
    c->c_mail++;
}

static const char *in_labels(sy_rng *r)
{
    static const char *const l[] = {"Inbox,Important,Opened,Category Personal",
                                    "Archived,Opened,Category Updates",
                                    "Inbox,Opened,\"Projects, 2026\"",
                                    "Archived,Important,Opened"};
    return l[sy_range(r, 0, 3)];
}

static void mail_thread(mailer *m, const long *people, size_t np, const long *cc, size_t ncc,
                        int64_t t, int n, uint64_t key)
{
    uint64_t thrid = 1600000000000000000ULL + sy_hash(m->c->seed, key) % 100000000000000000ULL;
    const char *subject = subjects[sy_range(&m->r, 0, 9)];
    uint64_t parent = 0;
    long owner = -1;
    int from_owner = (int)sy_range(&m->r, 0, 1);
    for (int k = 0; k < n && t < m->c->end_t; k++) {
        uint64_t id = sy_hash(key, (uint64_t)k);
        if (from_owner)
            mail_one(m, thrid, t, -1, people, np, cc, ncc, subject, k > 0, id, parent,
                     sy_chance(&m->r, 0.5) ? "Sent" : "Sent,Opened");
        else {
            /* a reply goes to the owner and the rest of the list */
            long to[20];
            size_t nt = 0;
            to[nt++] = owner;
            for (size_t j = 1; j < np && nt < 20; j++)
                to[nt++] = people[j];
            mail_one(m, thrid, t, people[0], to, nt, cc, ncc, subject, k > 0, id, parent,
                     in_labels(&m->r));
        }
        parent = id;
        from_owner ^= 1;
        t += 600 + (int64_t)sy_exp(&m->r, 8 * 3600);
    }
}

static void fold(FILE *f, const char *line)
{
    /* RFC 5545: at most 75 octets per line, CRLF then a space; never split a UTF-8 char. */
    size_t len = strlen(line), pos = 0, limit = 75;
    while (len - pos > limit) {
        size_t cut = pos + limit;
        while (cut > pos && ((unsigned char)line[cut] & 0xC0) == 0x80)
            cut--;
        fwrite(line + pos, 1, cut - pos, f);
        fputs("\r\n ", f);
        pos = cut;
        limit = 74;
    }
    fputs(line + pos, f);
    fputs("\r\n", f);
}

static void cn_param(const char *name, char *buf, size_t n)
{
    if (strpbrk(name, ",;:"))
        snprintf(buf, n, "\"%s\"", name);
    else
        snprintf(buf, n, "%s", name);
}

static void meeting(sy_ctx *c, FILE *f, sy_rng *r, long k, const long *people, size_t np)
{
    char line[1400], name[300], cn[320], email[256], a[32], b[32];
    int64_t day = c->end_t - SY_DAY * sy_range(r, 1, 3 * 365);
    day -= day % SY_DAY;
    int64_t start = day + 3600 * sy_range(r, 8, 18) + (sy_chance(r, 0.5) ? 1800 : 0);
    int64_t end = start + 60 * (sy_chance(r, 0.5) ? 30 : 60);
    bool owner_org = sy_chance(r, 0.6);
    bool allday = k == 1;
    fold(f, "BEGIN:VEVENT");
    if (allday) {
        sy_fmt(day, "icsdate", a, sizeof a);
        sy_fmt(day + SY_DAY, "icsdate", b, sizeof b);
        snprintf(line, sizeof line, "DTSTART;VALUE=DATE:%s", a);
        fold(f, line);
        snprintf(line, sizeof line, "DTEND;VALUE=DATE:%s", b);
        fold(f, line);
    } else {
        sy_fmt(start, "ics", a, sizeof a);
        sy_fmt(end, "ics", b, sizeof b);
        snprintf(line, sizeof line, "DTSTART:%s", a);
        fold(f, line);
        snprintf(line, sizeof line, "DTEND:%s", b);
        fold(f, line);
    }
    sy_fmt(c->export_t, "ics", a, sizeof a);
    snprintf(line, sizeof line, "DTSTAMP:%s", a);
    fold(f, line);
    if (owner_org) {
        snprintf(line, sizeof line, "ORGANIZER;CN=%s:mailto:%s", SY_OWNER_NAME, SY_OWNER_EMAIL);
    } else {
        sy_fullname(c, (size_t)people[0], name, sizeof name);
        sy_email(c, (size_t)people[0], true, email, sizeof email);
        cn_param(name, cn, sizeof cn);
        snprintf(line, sizeof line, "ORGANIZER;CN=%s:mailto:%s", cn, email);
    }
    fold(f, line);
    snprintf(line, sizeof line, "UID:%016llx@kith-synth.example",
             (unsigned long long)sy_hash(c->seed, 7000000 + (uint64_t)k));
    fold(f, line);
    /* the owner attends; the organizer is often listed as an attendee too */
    snprintf(line, sizeof line,
             "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=%s;"
             "X-NUM-GUESTS=0:mailto:%s", SY_OWNER_NAME, SY_OWNER_EMAIL);
    fold(f, line);
    for (size_t j = 0; j < np; j++) {
        double u = sy_unif(r);
        const char *ps = u < 0.80 ? "ACCEPTED" : u < 0.87 ? "TENTATIVE" : u < 0.95 ? "DECLINED"
                                                                           : "NEEDS-ACTION";
        sy_fullname(c, (size_t)people[j], name, sizeof name);
        sy_email(c, (size_t)people[j], true, email, sizeof email);
        cn_param(name, cn, sizeof cn);
        snprintf(line, sizeof line,
                 "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=%s;CN=%s;"
                 "X-NUM-GUESTS=0:%s:%s", ps, cn, sy_chance(r, 0.2) ? "MAILTO" : "mailto", email);
        fold(f, line);
    }
    if (sy_chance(r, 0.25))
        fold(f, "ATTENDEE;CUTYPE=ROOM;ROLE=NON-PARTICIPANT;PARTSTAT=ACCEPTED;CN=\"Room 4, HQ\":"
                "mailto:c_room4@resource.calendar.example");
    static const char *const what[] = {"Coffee catch-up", "Q4 planning", "Board meeting",
                                       "Café ☕ and roadmap review with the whole extended team",
                                       "Long run + breakfast", "Mentoring session"};
    snprintf(line, sizeof line, "SUMMARY:%s", allday ? "Board retreat" : what[sy_range(r, 0, 5)]);
    fold(f, line);
    fold(f, sy_chance(r, 0.5) ? "LOCATION:Initech HQ\\, Lisbon" : "LOCATION:Café Lumière");
    fold(f, k == 0 ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    fold(f, "END:VEVENT");
    c->c_meetings++;
}

kith_err sy_write_mail(sy_ctx *c, const char *mbox, const char *ics, kith_diag *d)
{
    kith_err e = KITH_OK;
    FILE *f = NULL, *g = NULL;
    long *mp = NULL, *by_cohort = NULL;
    size_t nmp = 0;
    mp = malloc((c->n ? c->n : 1) * sizeof *mp);
    by_cohort = malloc((c->n ? c->n : 1) * sizeof *by_cohort);
    if (!mp || !by_cohort) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->p[i].flags & SY_PF_MAIL)
            mp[nmp++] = (long)i;
    if (!(f = fopen(mbox, "wb"))) {
        e = kith_diag_set(d, KITH_ERR_IO, mbox, 0, "cannot create: %s", strerror(errno));
        goto cleanup;
    }
    mailer m = {.c = c, .f = f};
    sy_rng_init(&m.r, c->seed, SY_S_MAIL, 0);
    long want = c->o.events > 0 ? c->o.events / 12 : 0;
    double per = nmp ? (double)want * 0.8 / (double)nmp : 0;
    /* one-to-one threads */
    for (size_t k = 0; k < nmp; k++) {
        long i = mp[k];
        sy_rng r;
        sy_rng_init(&r, c->seed, SY_S_MAIL, 1 + (uint64_t)i);
        long n = (long)(per * (0.3 + 1.4 * sy_unif(&r)) + sy_unif(&r));
        int64_t lo = c->p[i].connected - 365 * SY_DAY;
        for (long j = 0; n > 0; j++) {
            int len = (int)sy_range(&r, 1, 4);
            if (len > n)
                len = (int)n;
            int64_t t = lo + (int64_t)(sy_unif(&r) * (double)(c->end_t - lo));
            long one[1] = {i};
            mail_thread(&m, one, 1, NULL, 0, t, len, sy_hash((uint64_t)i, (uint64_t)j + 1));
            n -= len;
        }
    }
    /* group mail inside cohorts: To several, Cc one more */
    long group_budget = (long)((double)want * 0.2), j = 0;
    for (int q = 0; q < SY_C__COUNT && group_budget > 0; q++) {
        size_t nb = 0;
        for (size_t k = 0; k < nmp; k++)
            if (c->p[mp[k]].cohort == q)
                by_cohort[nb++] = mp[k];
        if (nb < 3)
            continue;
        long share = group_budget / (SY_C__COUNT - q);
        for (long done = 0; done < share; j++) {
            long to[8], cc[1];
            size_t nto = (size_t)sy_range(&m.r, 2, nb - 1 < 6 ? (long)nb - 1 : 6);
            for (size_t a = 0; a < nto; a++)
                to[a] = by_cohort[(size_t)sy_range(&m.r, 0, (long)nb - 1)];
            /* distinct recipients, or the list looks odd: collapse duplicates */
            size_t w = 0;
            for (size_t a = 0; a < nto; a++) {
                bool dup = false;
                for (size_t b = 0; b < w; b++)
                    dup |= to[b] == to[a];
                if (!dup)
                    to[w++] = to[a];
            }
            nto = w;
            cc[0] = by_cohort[(size_t)sy_range(&m.r, 0, (long)nb - 1)];
            bool has_cc = true;
            for (size_t a = 0; a < nto; a++)
                has_cc &= cc[0] != to[a];
            int len = (int)sy_range(&m.r, 1, 3);
            int64_t lo = c->cohorts[q].from;
            int64_t t = lo + (int64_t)(sy_unif(&m.r) * (double)(c->end_t - lo));
            mail_thread(&m, to, nto, has_cc ? cc : NULL, has_cc, t, len,
                        sy_hash(0x6772ULL + (uint64_t)q, (uint64_t)j));
            done += len;
        }
        group_budget -= share;
    }
    /* what the reader must skip: Spam, Trash, Chat */
    static const char *const junk[] = {"Spam", "Trash", "Chat"};
    for (int k = 0; k < 3; k++) {
        char sep[64], date[64];
        int64_t t = c->end_t - (k + 2) * SY_DAY;
        sy_fmt(t, "mbox", sep, sizeof sep);
        sy_fmt(t, "rfc2822", date, sizeof date);
        fprintf(f, "From 1700000000000000%03d@xxx %s\nX-GM-THRID: 1700000000000000%03d\n"
                   "X-Gmail-Labels: %s\nFrom: Prize Desk <winner@lottery.example>\n"
                   "To: %s\nSubject: You won\nDate: %s +0000\n\nClaim now.\n\n",
                k, sep, k, junk[k], SY_OWNER_EMAIL, date);
    }
    {
        bool bad = ferror(f) != 0;
        int rc = fclose(f);
        f = NULL;
        if (rc != 0 || bad) {
            e = kith_diag_set(d, KITH_ERR_IO, mbox, 0, "write failed");
            goto cleanup;
        }
    }

    if (!(g = fopen(ics, "wb"))) {
        e = kith_diag_set(d, KITH_ERR_IO, ics, 0, "cannot create: %s", strerror(errno));
        goto cleanup;
    }
    fold(g, "BEGIN:VCALENDAR");
    fold(g, "PRODID:-//kith synth//EN");
    fold(g, "VERSION:2.0");
    fold(g, "CALSCALE:GREGORIAN");
    fold(g, "METHOD:PUBLISH");
    fold(g, "X-WR-CALNAME:mara.quintero@initech.example");
    long n_meet = c->o.events > 0 ? c->o.events / 60 : 0;
    if (n_meet < 2)
        n_meet = 2;
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_CAL, 0);
    for (long k = 0; k < n_meet && nmp > 0; k++) {
        long people[5];
        size_t np = (size_t)sy_range(&r, 1, 4);
        people[0] = mp[(size_t)sy_range(&r, 0, (long)nmp - 1)];
        /* the others from the same cohort when it has mail persons, else anyone */
        for (size_t a = 1; a < np; a++) {
            long cand = mp[(size_t)sy_range(&r, 0, (long)nmp - 1)];
            for (int tries = 0; tries < 8 && c->p[cand].cohort != c->p[people[0]].cohort; tries++)
                cand = mp[(size_t)sy_range(&r, 0, (long)nmp - 1)];
            people[a] = cand;
        }
        size_t w = 1;
        for (size_t a = 1; a < np; a++) {
            bool dup = false;
            for (size_t b = 0; b < w; b++)
                dup |= people[b] == people[a];
            if (!dup)
                people[w++] = people[a];
        }
        meeting(c, g, &r, k, people, w);
    }
    fold(g, "END:VCALENDAR");
    {
        bool bad = ferror(g) != 0;
        int rc = fclose(g);
        g = NULL;
        if (rc != 0 || bad)
            e = kith_diag_set(d, KITH_ERR_IO, ics, 0, "write failed");
    }
cleanup:
    if (f)
        fclose(f);
    if (g)
        fclose(g);
    free(mp);
    free(by_cohort);
    return e;
}
