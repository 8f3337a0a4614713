/* kith synth: the unpacked LinkedIn export, in the real formats of export-formats.md §1.
 * Events are regenerated per person and per group thread and written as they come. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "synth_int.h"

const char *const sy_linkedin_files[] = {
    "Connections.csv", "messages.csv", "guide_messages.csv", "Invitations.csv",
    "Endorsement_Received_Info.csv", "Endorsement_Given_Info.csv",
    "Recommendations_Received.csv", "Recommendations_Given.csv", "Profile.csv",
    "Positions.csv", "Skills.csv", "Shares.csv", "Reactions.csv", NULL};

void sy_comments_name(const sy_ctx *c, char *buf, size_t n)
{
    snprintf(buf, n, "Comments_%u.csv", (unsigned)(100000000u + sy_hash(c->seed, 5) % 800000000u));
}

static FILE *open_out(const char *dir, const char *name, char *path, size_t n, kith_diag *d)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot create: %s", strerror(errno));
    return f;
}

static kith_err close_out(FILE *f, const char *path, kith_diag *d)
{
    if (!f)
        return KITH_OK;
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return kith_diag_set(d, KITH_ERR_IO, path, 0, "write failed");
    return KITH_OK;
}

static void b64id(uint64_t h, char *buf, size_t n)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char tmp[24];
    size_t k = 0;
    for (int i = 0; i < 16; i++, h = h * 6364136223846793005ULL + 1442695040888963407ULL)
        tmp[k++] = a[(h >> 58) & 63];
    tmp[k] = 0;
    snprintf(buf, n, "2-%s", tmp);
}

/* ---- message text */
static const char *const msg_text[] = {
    "Hi %s, free for a coffee next week?",
    "Thanks for the intro, %s!",
    "Great catching up today.",
    "Sounds good, talk Thursday.",
    "Hi %s,\nquick question about the roadmap.\nDo you have 10 minutes?",
    "Congrats on the new role!",
    "Did you see the \"State of Product\" report? Worth a read, honestly.",
    "<p>Sharing the deck from the meetup.</p><p>Slides 4, 7 and 12 are the good ones.</p>",
    "Happy birthday, %s! 🎂",
    "Would love your thoughts on this, if you have time.",
    "Yes! Let's do it.",
    "Following up on my last note: any news?",
    "Merci, à bientôt !",
    "We're hiring a PM. Know anyone good?",
    "Ha, that's hilarious.\n\nSee you on Sunday.",
    "From what I heard, the launch went well. Cheers, %s",
    "Can you send me the link again?",
    "Thanks, %s. Really appreciate it.",
};
static const char *const group_text[] = {
    "Who's in for Friday?",
    "Minutes from today are in the shared folder.",
    "Reminder: dues by the 15th 🙂",
    "Great session today, everyone!",
    "Can someone take the notes next time?",
    "Running late, start without me.",
    "Photos from Saturday:\nhttps://photos.example/album/42",
    "Agenda: 1) budget, 2) volunteers, 3) \"spring drive\"",
    "+1",
    "Count me in.",
};

static void fill_text(sy_rng *r, const char *const *set, size_t n_set, const char *first,
                      char *buf, size_t n)
{
    const char *t = set[sy_range(r, 0, (long)n_set - 1)];
    if (strstr(t, "%s"))
        snprintf(buf, n, t, first);
    else
        snprintf(buf, n, "%s", t);
}

static void msg_row(FILE *f, const char *conv, const char *title, const char *from,
                    const char *from_url, const char *to, const char *to_urls, int64_t t,
                    const char *subject, const char *content, const char *folder,
                    const char *attach, bool draft)
{
    char date[40];
    sy_fmt(t, "li", date, sizeof date);
    const char *v[] = {conv,    title,   from,   from_url, to,     to_urls,
                       date,    subject, content, folder,  attach, draft ? "Yes" : "No"};
    for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
        if (k)
            fputc(',', f);
        sy_csv_field(f, v[k], true);
    }
    fputc('\n', f);
}

static const char msg_header[] =
    "\"CONVERSATION ID\",\"CONVERSATION TITLE\",\"FROM\",\"SENDER PROFILE URL\",\"TO\","
    "\"RECIPIENT PROFILE URLS\",\"DATE\",\"SUBJECT\",\"CONTENT\",\"FOLDER\",\"ATTACHMENTS\","
    "\"IS MESSAGE DRAFT\"\n";

/* ---- Connections.csv */
static int64_t *g_conn; /* qsort context: connection times */
static int conn_cmp(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    if (g_conn[x] != g_conn[y])
        return g_conn[x] > g_conn[y] ? -1 : 1;
    return x < y ? -1 : x > y;
}

static kith_err write_connections(sy_ctx *c, const char *dir, kith_diag *d)
{
    char path[1200], first[256], last[256], url[768], email[256], date[40];
    kith_err e = KITH_OK;
    size_t *order = malloc((c->n ? c->n : 1) * sizeof *order);
    int64_t *conn = malloc((c->n ? c->n : 1) * sizeof *conn);
    FILE *f = NULL;
    if (!order || !conn) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < c->n; i++) {
        order[i] = i;
        conn[i] = c->p[i].connected;
    }
    g_conn = conn;
    qsort(order, c->n, sizeof *order, conn_cmp); /* newest first, as LinkedIn writes it */
    g_conn = NULL;
    if (!(f = open_out(dir, "Connections.csv", path, sizeof path, d))) {
        e = KITH_ERR_IO;
        goto cleanup;
    }
    fputs("Notes:\n\"When exporting your connection data, you may notice that some of the email "
          "addresses are missing. You will only see email addresses for connections who have "
          "allowed their connections to see or download their email address using this setting "
          "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
          "https://www.linkedin.com/help/linkedin/answer/261\"\n\n"
          "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n",
          f);
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_MISC, 1);
    size_t blank_every = 300;
    for (size_t k = 0; k < c->n; k++) {
        size_t i = order[k];
        sy_first(c, i, first, sizeof first);
        sy_last(c, i, last, sizeof last);
        sy_url(c, i, true, url, sizeof url);
        email[0] = 0;
        if (c->p[i].flags & SY_PF_LI_EMAIL)
            sy_email(c, i, !(c->p[i].flags & SY_PF_NICKNAME), email, sizeof email);
        sy_fmt(c->p[i].connected, "conn", date, sizeof date);
        const char *v[] = {first, last, url, email, sy_company_name(c, i),
                           sy_position_name(c, i), date};
        for (size_t j = 0; j < 7; j++) {
            if (j)
                fputc(',', f);
            sy_csv_field(f, v[j], false);
        }
        fputc('\n', f);
        if (k % blank_every == blank_every / 2) {
            /* A deleted member: no name, no URL, only the date. */
            fprintf(f, ",,,,,,%s\n", date);
            c->c_connections_blank++;
        }
    }
    e = close_out(f, path, d);
    f = NULL;
cleanup:
    if (f)
        fclose(f);
    free(order);
    free(conn);
    return e;
}

/* ---- the per-person pass: messages, invitations, endorsements, recommendations */
typedef struct {
    FILE *msg, *inv, *ein, *eout, *rin, *rout;
    char pmsg[1200], pinv[1200], pein[1200], peout[1200], prin[1200], prout[1200];
} files;

static const char *const rec_text[] = {
    "%s is careful, kind and fast. Any team would be lucky to have them.",
    "I worked with %s for two years.\nThey turned vague ideas into shipped products, and "
    "made everyone around them better.",
    "%s is the person you call when a launch is on fire. Calm, \"unflappable\", precise.",
    "Few people combine strategy and follow-through like %s does.",
};

static void person_rows(sy_ctx *c, files *F, size_t i, const sy_evbuf *b)
{
    char name[300], first[256], last[256], url[768], rawurl[768], date[48], text[600];
    char owner_url[128], conv[32];
    sy_owner_url(c, owner_url, sizeof owner_url);
    sy_fullname(c, i, name, sizeof name);
    sy_first(c, i, first, sizeof first);
    sy_last(c, i, last, sizeof last);
    sy_url(c, i, true, url, sizeof url);
    sy_url(c, i, false, rawurl, sizeof rawurl);
    b64id(sy_hash(sy_hash(c->seed, 1000), i), conv, sizeof conv);
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_TEXT, i);
    bool burst = c->p[i].plant == SY_P_BURST;
    const char *folder = (c->p[i].flags & SY_PF_ARCHIVED) ? "ARCHIVE" : "INBOX";
    /* messages.csv: one conversation, newest first */
    for (size_t k = b->n; k-- > 0;) {
        const sy_event *ev = &b->v[k];
        if (ev->kind != SY_K_MSG)
            continue;
        const char *subject = "";
        if (burst && ev->dir == SY_OUT) {
            snprintf(text, sizeof text,
                     "Hi %s,\nI'm exploring new product roles and admire what %s is building. "
                     "Would you have 15 minutes for a chat in the next weeks?\nThanks, Mara",
                     first, sy_company_name(c, i));
            subject = "Quick question";
        } else {
            fill_text(&r, msg_text, sizeof msg_text / sizeof *msg_text,
                      ev->dir == SY_OUT ? first : SY_OWNER_FIRST, text, sizeof text);
        }
        const char *attach = sy_chance(&r, 0.03) ? "https://www.linkedin.com/dms/prv/file/a1" : "";
        if (ev->dir == SY_OUT)
            msg_row(F->msg, conv, "", SY_OWNER_NAME, owner_url, name, url, ev->t, subject, text,
                    folder, attach, ev->flags & SY_EF_DRAFT);
        else
            msg_row(F->msg, conv, "", name, url, SY_OWNER_NAME, owner_url, ev->t, subject, text,
                    folder, attach, false);
        c->c_messages++;
        c->c_drafts += (ev->flags & SY_EF_DRAFT) != 0;
    }
    /* the rest, oldest first */
    int skill_k = 0;
    int64_t last_end_t = INT64_MIN;
    for (size_t k = 0; k < b->n; k++) {
        const sy_event *ev = &b->v[k];
        switch (ev->kind) {
        case SY_K_INVITE: {
            sy_fmt(ev->t, "invite", date, sizeof date);
            const char *note = sy_chance(&r, 0.3) ? "Great to meet you at the meetup!" : "";
            FILE *f = F->inv;
            bool out = ev->dir == SY_OUT;
            const char *v[] = {out ? SY_OWNER_NAME : name, out ? name : SY_OWNER_NAME, date, note,
                               out ? "OUTGOING" : "INCOMING", out ? owner_url : url,
                               out ? url : owner_url};
            for (size_t j = 0; j < 7; j++) {
                if (j)
                    fputc(',', f);
                sy_csv_field(f, v[j], j == 2);
            }
            fputc('\n', f);
            c->c_invites++;
            break;
        }
        case SY_K_ENDORSE: {
            /* One row per skill; rows of one occasion name different skills. */
            if (last_end_t == INT64_MIN || ev->t - last_end_t > 60)
                skill_k = (int)sy_range(&r, 0, 15);
            last_end_t = ev->t;
            bool in = ev->dir == SY_IN;
            const char *skill = in ? sy_owner_skills[skill_k++ % sy_n_owner_skills]
                                   : sy_skills[skill_k++ % sy_n_skills];
            FILE *f = in ? F->ein : F->eout;
            sy_fmt(ev->t, "endorse", date, sizeof date);
            const char *v[] = {date, skill, first, last, rawurl,
                               ev->flags & SY_EF_REJECTED ? "REJECTED" : "ACCEPTED"};
            for (size_t j = 0; j < 6; j++) {
                if (j)
                    fputc(',', f);
                sy_csv_field(f, v[j], false);
            }
            fputc('\n', f);
            if (in)
                c->c_endorse_in++;
            else
                c->c_endorse_out++;
            break;
        }
        case SY_K_REC: {
            bool in = ev->dir == SY_IN;
            const char *t = rec_text[sy_range(&r, 0, 3)];
            snprintf(text, sizeof text, t, in ? SY_OWNER_FIRST : first);
            FILE *f = in ? F->rin : F->rout;
            sy_fmt(ev->t, "rec", date, sizeof date);
            const char *v[] = {first, last, sy_company_name(c, i), sy_position_name(c, i), text,
                               date, ev->flags & SY_EF_HIDDEN ? "HIDDEN" : "VISIBLE"};
            for (size_t j = 0; j < 7; j++) {
                if (j)
                    fputc(',', f);
                sy_csv_field(f, v[j], j == 5);
            }
            fputc('\n', f);
            if (in)
                c->c_rec_in++;
            else
                c->c_rec_out++;
            break;
        }
        default:
            break;
        }
    }
}

static int i64_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static kith_err thread_rows(sy_ctx *c, FILE *f, uint32_t k)
{
    sy_thread t;
    sy_thread_get(c, k, &t);
    if (t.n_msgs <= 0 || t.n_members < 2 || t.from >= c->end_t)
        return KITH_OK;
    int64_t *times = malloc((size_t)t.n_msgs * sizeof *times);
    if (!times)
        return KITH_ERR_NOMEM;
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_THREAD, 1000000u + k);
    for (long j = 0; j < t.n_msgs; j++)
        times[j] = t.from + (int64_t)(sy_unif(&r) * (double)(t.to - t.from));
    qsort(times, (size_t)t.n_msgs, sizeof *times, i64_cmp);
    char conv[32], owner_url[128];
    b64id(sy_hash(sy_hash(c->seed, 2000), k), conv, sizeof conv);
    sy_owner_url(c, owner_url, sizeof owner_url);
    /* Names and URLs of everyone, slot n_members being the owner. */
    char names[17][300], urls[17][768];
    for (uint32_t j = 0; j < t.n_members; j++) {
        sy_fullname(c, t.members[j], names[j], sizeof names[j]);
        sy_url(c, t.members[j], true, urls[j], sizeof urls[j]);
    }
    snprintf(names[t.n_members], sizeof names[0], "%s", SY_OWNER_NAME);
    snprintf(urls[t.n_members], sizeof urls[0], "%s", owner_url);
    char *to = malloc(17 * 300), *to_urls = malloc(17 * 770), text[400];
    if (!to || !to_urls) {
        free(times);
        free(to);
        free(to_urls);
        return KITH_ERR_NOMEM;
    }
    for (long j = t.n_msgs; j-- > 0;) {
        uint32_t s = sy_chance(&r, 0.3) ? t.n_members : (uint32_t)sy_range(&r, 0, t.n_members - 1);
        size_t a = 0, u = 0;
        to[0] = to_urls[0] = 0;
        for (uint32_t m = 0; m <= t.n_members; m++) {
            if (m == s)
                continue;
            a += (size_t)snprintf(to + a, 17 * 300 - a, "%s%s", a ? ", " : "", names[m]);
            u += (size_t)snprintf(to_urls + u, 17 * 770 - u, "%s%s", u ? "," : "", urls[m]);
        }
        fill_text(&r, group_text, sizeof group_text / sizeof *group_text, "", text, sizeof text);
        msg_row(f, conv, t.title, names[s], urls[s], to, to_urls, times[j], "", text, "INBOX", "",
                false);
        c->c_messages++;
        c->c_group_msgs++;
    }
    free(times);
    free(to);
    free(to_urls);
    return KITH_OK;
}

static void stranger_name(const sy_ctx *c, long j, char *first, char *last, size_t n)
{
    const sy_name *f, *l;
    sy_extra_name(c, (size_t)j, &f, &l);
    snprintf(first, n, "%s", f->text);
    snprintf(last, n, "%s", l->text);
}

static void spam_rows(sy_ctx *c, FILE *f)
{
    char owner_url[128], conv[32], url[128];
    sy_owner_url(c, owner_url, sizeof owner_url);
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_MISC, 2);
    for (long j = 0; j < c->n_spam; j++) {
        int64_t t = c->end_t - sy_range(&r, 1, 700) * SY_DAY + sy_range(&r, 0, 86399);
        b64id(sy_hash(sy_hash(c->seed, 4000), (uint64_t)j), conv, sizeof conv);
        if (j % 3 == 2) {
            /* A sender LinkedIn no longer names: no URL. */
            msg_row(f, conv, "", "LinkedIn Member", "", SY_OWNER_NAME, owner_url, t, "",
                    "You have been selected for an exclusive opportunity!!!", "SPAM", "", false);
        } else {
            snprintf(url, sizeof url, "https://www.linkedin.com/in/wealth-coach-%04ld", j);
            msg_row(f, conv, "", "Crypto Wealth Coach", url, SY_OWNER_NAME, owner_url, t,
                    "Passive income", "Hi Mara,\n10x your savings in 30 days. DM me \"YES\".",
                    "SPAM", "", false);
        }
        c->c_messages++;
        c->c_spam++;
    }
}

static void stranger_invites(sy_ctx *c, FILE *f)
{
    char owner_url[128], first[128], last[128], name[300], url[300], date[48];
    sy_owner_url(c, owner_url, sizeof owner_url);
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_MISC, 3);
    for (long j = 0; j < c->n_strangers; j++) {
        stranger_name(c, j, first, last, sizeof first);
        snprintf(name, sizeof name, "%s %s", first, last);
        snprintf(url, sizeof url, "https://www.linkedin.com/in/pending-%08x",
                 (unsigned)sy_hash(c->seed, 5000 + (uint64_t)j));
        int64_t t = c->end_t - sy_range(&r, 1, 60) * SY_DAY + sy_range(&r, 0, 86399);
        sy_fmt(t, "invite", date, sizeof date);
        bool out = sy_chance(&r, 0.3);
        const char *v[] = {out ? SY_OWNER_NAME : name, out ? name : SY_OWNER_NAME, date,
                           out ? "" : "Hi Mara, I'd like to join your network.",
                           out ? "OUTGOING" : "INCOMING", out ? owner_url : url,
                           out ? url : owner_url};
        for (size_t k = 0; k < 7; k++) {
            if (k)
                fputc(',', f);
            sy_csv_field(f, v[k], k == 2);
        }
        fputc('\n', f);
        c->c_invites++;
    }
}

static kith_err write_events(sy_ctx *c, const char *dir, kith_diag *d)
{
    files F = {0};
    kith_err e = KITH_OK;
    sy_evbuf b = {0};
    if (!(F.msg = open_out(dir, "messages.csv", F.pmsg, sizeof F.pmsg, d)) ||
        !(F.inv = open_out(dir, "Invitations.csv", F.pinv, sizeof F.pinv, d)) ||
        !(F.ein = open_out(dir, "Endorsement_Received_Info.csv", F.pein, sizeof F.pein, d)) ||
        !(F.eout = open_out(dir, "Endorsement_Given_Info.csv", F.peout, sizeof F.peout, d)) ||
        !(F.rin = open_out(dir, "Recommendations_Received.csv", F.prin, sizeof F.prin, d)) ||
        !(F.rout = open_out(dir, "Recommendations_Given.csv", F.prout, sizeof F.prout, d))) {
        e = KITH_ERR_IO;
        goto cleanup;
    }
    fputs(msg_header, F.msg);
    fputs("From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n", F.inv);
    fputs("Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,"
          "Endorser Public Url,Endorsement Status\n", F.ein);
    fputs("Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,"
          "Endorsee Public Url,Endorsement Status\n", F.eout);
    fputs("First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n", F.rin);
    fputs("First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n", F.rout);
    for (size_t i = 0; i < c->n; i++) {
        if ((e = sy_person_events(c, i, &b)) != KITH_OK) {
            kith_diag_set(d, e, NULL, 0, "out of memory");
            goto cleanup;
        }
        person_rows(c, &F, i, &b);
    }
    for (uint32_t k = 0; k < c->n_threads; k++)
        if ((e = thread_rows(c, F.msg, k)) != KITH_OK) {
            kith_diag_set(d, e, NULL, 0, "out of memory");
            goto cleanup;
        }
    spam_rows(c, F.msg);
    stranger_invites(c, F.inv);
cleanup:;
    FILE **fs[] = {&F.msg, &F.inv, &F.ein, &F.eout, &F.rin, &F.rout};
    const char *ps[] = {F.pmsg, F.pinv, F.pein, F.peout, F.prin, F.prout};
    for (size_t k = 0; k < 6; k++) {
        kith_err ce = close_out(*fs[k], ps[k], e ? NULL : d);
        if (!e)
            e = ce;
    }
    sy_evbuf_free(&b);
    return e;
}

/* ---- the owner's own files */
static kith_err write_owner(sy_ctx *c, const char *dir, kith_diag *d)
{
    char path[1200], a[48], b[48], link[160], text[400];
    FILE *f;
    kith_err e;
    int64_t T = c->as_of;
    const int64_t M = 30 * SY_DAY;

    if (!(f = open_out(dir, "Profile.csv", path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs("First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
          "Geo Location,Twitter Handles,Websites,Instant Messengers\n"
          "Mara,Quintero,,,\"Apr 15, 1988\",Senior Product Manager at Initech,"
          "\"Builds products people keep using.\nMentor, runner, food bank volunteer.\","
          "Software Development,,\"Lisbon, Portugal\",[maraq],[PERSONAL:https://mara.example],\n",
          f);
    if ((e = close_out(f, path, d)))
        return e;

    if (!(f = open_out(dir, "Positions.csv", path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs("Company Name,Title,Description,Location,Started On,Finished On\n", f);
    sy_fmt(T - 13 * M, "mon", a, sizeof a);
    fprintf(f, "Initech,Senior Product Manager,\"Growth team.\nLaunched self-serve onboarding.\","
               "\"Lisbon, Portugal\",%s,\n", a);
    sy_fmt(T - 7 * 365 * SY_DAY, "mon", a, sizeof a);
    sy_fmt(T - 16 * M, "mon", b, sizeof b);
    fprintf(f, "Globex,Product Manager,\"Payments, then the \"\"Atlas\"\" platform.\","
               "\"Porto, Portugal\",%s,%s\n", a, b);
    sy_fmt(T - 10 * 365 * SY_DAY, "mon", a, sizeof a);
    sy_fmt(T - 7 * 365 * SY_DAY - M, "mon", b, sizeof b);
    fprintf(f, "Brightwater Analytics,Analyst,,\"Porto, Portugal\",%s,%s\n", a, b);
    if ((e = close_out(f, path, d)))
        return e;

    if (!(f = open_out(dir, "Skills.csv", path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs("Name\n", f);
    for (size_t k = 0; k < sy_n_owner_skills; k++) {
        sy_csv_field(f, sy_owner_skills[k], false);
        fputc('\n', f);
    }
    if ((e = close_out(f, path, d)))
        return e;

    /* Posts, comments and reactions: a steady habit over three years, scaled to the size. */
    long want = c->o.events > 0 ? c->o.events : 0;
    long n_shares = want / 300, n_comments = want / 250, n_react = want / 80;
    n_shares = n_shares < 6 ? 6 : n_shares;
    n_comments = n_comments < 5 ? 5 : n_comments;
    n_react = n_react < 10 ? 10 : n_react;
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_ACTIVITY, 0);
    int64_t span = 3 * 365 * SY_DAY;
    static const char *const share_text[] = {
        "Two lines:\na \"quote\", commas, and a lesson.",
        "Hiring! Our team at Initech is looking for a product designer.",
        "What I learned from 100 customer interviews (thread)",
        "Proud of the food bank volunteers this weekend 💛",
        "Slides from my talk, \"Roadmaps that survive contact with reality\".",
    };
    if (!(f = open_out(dir, "Shares.csv", path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs("Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility\n", f);
    for (long k = 0; k < n_shares; k++) {
        int64_t t = c->end_t - 1 - (int64_t)(sy_unif(&r) * (double)span);
        sy_fmt(t, "plain", a, sizeof a);
        snprintf(link, sizeof link, "https://www.linkedin.com/feed/update/urn:li:share:7%018llu",
                 (unsigned long long)(sy_next(&r) % 1000000000000000000ULL));
        fprintf(f, "%s,%s,", a, link);
        sy_csv_field(f, share_text[sy_range(&r, 0, 4)], false);
        /* separate statements: argument evaluation order is unspecified in C */
        const char *shared = sy_chance(&r, 0.3) ? "https://blog.example/post" : "";
        const char *vis = sy_chance(&r, 0.7) ? "MEMBER_NETWORK" : "PUBLIC";
        fprintf(f, ",%s,,%s\n", shared, vis);
    }
    if ((e = close_out(f, path, d)))
        return e;

    static const char *const comment_text[] = {
        "Great point, Jean-Luc!",
        "As my old boss said: \"ship it\", then listen.",
        "Congrats! Well deserved.",
        "Thanks for sharing, this is \"gold\".",
        "Agreed, 100%",
    };
    char name[128];
    sy_comments_name(c, name, sizeof name);
    if (!(f = open_out(dir, name, path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs("Date,Link,Message\n", f);
    for (long k = 0; k < n_comments; k++) {
        int64_t t = c->end_t - 1 - (int64_t)(sy_unif(&r) * (double)span);
        sy_fmt(t, "plain", a, sizeof a);
        fprintf(f, "%s,https://www.linkedin.com/feed/update/urn%%3Ali%%3Aactivity%%3A7%018llu,", a,
                (unsigned long long)(sy_next(&r) % 1000000000000000000ULL));
        sy_csv_field_bs(f, comment_text[sy_range(&r, 0, 4)]);
        fputc('\n', f);
    }
    if ((e = close_out(f, path, d)))
        return e;

    static const char *const types[] = {"LIKE", "PRAISE", "EMPATHY", "INTEREST", "APPRECIATION",
                                        "ENTERTAINMENT"};
    if (!(f = open_out(dir, "Reactions.csv", path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs("Date,Type,Link\n", f);
    for (long k = 0; k < n_react; k++) {
        int64_t t = c->end_t - 1 - (int64_t)(sy_unif(&r) * (double)span);
        sy_fmt(t, "plain", a, sizeof a);
        long ty = sy_chance(&r, 0.6) ? 0 : sy_range(&r, 1, 5);
        unsigned long long id = sy_next(&r) % 1000000000000000000ULL;
        fprintf(f, "%s,%s,https://www.linkedin.com/feed/update/urn:li:activity:7%018llu\n", a,
                types[ty], id);
    }
    if ((e = close_out(f, path, d)))
        return e;

    /* LinkedIn's own assistant: same header as messages.csv, never the owner's network. */
    if (!(f = open_out(dir, "guide_messages.csv", path, sizeof path, d)))
        return KITH_ERR_IO;
    fputs(msg_header, f);
    char owner_url[128];
    sy_owner_url(c, owner_url, sizeof owner_url);
    for (int k = 0; k < 4; k++) {
        snprintf(text, sizeof text, "%s",
                 k % 2 ? "Here are 3 jobs that match your profile." : "How can I help you today?");
        msg_row(f, "2-Z3VpZGUtY29udmVyc2F0aW9u", "", k % 2 ? "LinkedIn Guide" : SY_OWNER_NAME,
                k % 2 ? "https://www.linkedin.com/in/linkedin-guide" : owner_url,
                k % 2 ? SY_OWNER_NAME : "LinkedIn Guide",
                k % 2 ? owner_url : "https://www.linkedin.com/in/linkedin-guide",
                c->end_t - (4 - k) * 3600, "", text, "INBOX", "", false);
    }
    return close_out(f, path, d);
}

kith_err sy_write_linkedin(sy_ctx *c, const char *dir, kith_diag *d)
{
    kith_err e;
    if ((e = write_connections(c, dir, d)) || (e = write_events(c, dir, d)) ||
        (e = write_owner(c, dir, d)))
        return e;
    return KITH_OK;
}
