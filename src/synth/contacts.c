/* kith synth: google-contacts.csv (export-formats.md §2, the current header). A subset of the
 * LinkedIn connections, most with the same name (identity merges by name), some under a
 * nickname with an e-mail that Connections.csv also shows (merges by e-mail), plus a few
 * people who are not on LinkedIn at all. */
#include <errno.h>
#include <string.h>

#include "synth_int.h"

static const char header[] =
    "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
    "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
    "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
    "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
    "Phone 1 - Label,Phone 1 - Value,Website 1 - Label,Website 1 - Value\r\n";

enum { F_FIRST, F_MIDDLE, F_LAST, F_NICK = 8, F_ORG = 10, F_TITLE, F_BDAY = 13, F_NOTES,
       F_LABELS = 16, F_E1L, F_E1V, F_E2L, F_E2V, F_P1L, F_P1V, F_W1L, F_W1V, F__N };

static void row(FILE *f, const char *const v[F__N])
{
    for (int k = 0; k < F__N; k++) {
        if (k)
            fputc(',', f);
        if (k == F_BDAY)
            fputs(v[k] ? v[k] : "", f); /* " --12-25" is written bare, leading space and all */
        else
            sy_csv_field(f, v[k], false);
    }
    fputs("\r\n", f);
}

static void birthday(sy_rng *r, char *buf, size_t n)
{
    buf[0] = 0;
    if (!sy_chance(r, 0.6))
        return;
    int y = (int)sy_range(r, 1958, 2001), m = (int)sy_range(r, 1, 12), d = (int)sy_range(r, 1, 28);
    if (sy_chance(r, 0.3))
        snprintf(buf, n, " --%02d-%02d", m, d);
    else
        snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

kith_err sy_write_google(sy_ctx *c, const char *path, kith_diag *d)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot create: %s", strerror(errno));
    fputs(header, f);
    static const char *const cohort_label[SY_C__COUNT] = {"Globex", "Work", "Northbridge",
                                                          "PLA", "Running Club", "Food Bank"};
    char first[256], last[256], nick[300], work[256], home[256], bday[32], phone[40];
    for (size_t i = 0; i < c->n; i++) {
        sy_person *p = &c->p[i];
        if (!(p->flags & SY_PF_GOOGLE))
            continue;
        sy_rng r;
        sy_rng_init(&r, c->seed, SY_S_GOOGLE, i);
        const char *v[F__N] = {0};
        sy_first(c, i, first, sizeof first);
        sy_last(c, i, last, sizeof last);
        sy_email(c, i, true, work, sizeof work);
        sy_email(c, i, false, home, sizeof home);
        birthday(&r, bday, sizeof bday);
        bool nickname = p->flags & SY_PF_NICKNAME;
        if (nickname) {
            /* Saved under a first name only: nothing to merge on but the e-mail. */
            snprintf(nick, sizeof nick, "%s from %s", first, sy_companies[p->company].variants[0]);
            v[F_FIRST] = nick;
        } else {
            v[F_FIRST] = first;
            v[F_LAST] = last;
        }
        /* Another spelling of the employer when there is one ("Acme Inc" vs "Acme, Inc."). */
        const sy_company *co = &sy_companies[p->company];
        int nv = 0;
        while (nv < 3 && co->variants[nv])
            nv++;
        v[F_ORG] = co->variants[(p->variant + 1) % nv];
        v[F_TITLE] = sy_position_name(c, i);
        v[F_BDAY] = bday;
        char labels[96];
        snprintf(labels, sizeof labels, "* myContacts ::: %s",
                 p->cohort != SY_NO_COHORT ? cohort_label[p->cohort] : "Work");
        v[F_LABELS] = labels;
        v[F_E1L] = "* Work";
        v[F_E1V] = work;
        if (nickname || sy_chance(&r, 0.4)) {
            v[F_E2L] = "Home";
            v[F_E2V] = home;
        }
        if (sy_chance(&r, 0.5)) {
            snprintf(phone, sizeof phone, "+351 91%d %03d %03d", (int)sy_range(&r, 0, 9),
                     (int)sy_range(&r, 0, 999), (int)sy_range(&r, 0, 999));
            v[F_P1L] = "Mobile";
            v[F_P1V] = phone;
        }
        if (sy_chance(&r, 0.1))
            v[F_NOTES] = "Met at the spring conference.\nAsk about the hiking trip.";
        row(f, v);
        c->c_google++;
    }
    /* Friends and family who are not on LinkedIn. */
    sy_rng r;
    sy_rng_init(&r, c->seed, SY_S_GOOGLE, (uint64_t)-1);
    size_t extra = c->n / 50 + 1;
    for (size_t j = 0; j < extra; j++) {
        const sy_name *fn, *ln;
        sy_extra_name(c, (size_t)c->n_strangers + j, &fn, &ln);
        const char *v[F__N] = {0};
        v[F_FIRST] = fn->text;
        v[F_LAST] = "Quintero";
        snprintf(home, sizeof home, "%s.quintero%zu@mail.example", fn->ascii, j);
        birthday(&r, bday, sizeof bday);
        v[F_BDAY] = bday;
        v[F_LABELS] = "* myContacts ::: Family";
        v[F_E1L] = "Home";
        v[F_E1V] = home;
        row(f, v);
        c->c_google++;
    }
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return kith_diag_set(d, KITH_ERR_IO, path, 0, "write failed");
    return KITH_OK;
}
