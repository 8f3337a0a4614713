/* vCard 2.1 / 3.0 / 4.0 reader (export-formats §4): each card becomes a contact entry.
 *
 * The file is streamed line by line: folded lines are joined first (a fold may split a UTF-8
 * character, so joining happens on bytes), then each property is split into group, name,
 * parameters and value. Only the properties kith uses are decoded: N, FN, EMAIL, ORG, TITLE,
 * BDAY, CATEGORIES and URL / X-SOCIALPROFILE (for a LinkedIn profile URL). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kith/text.h"
#include "lines.h"
#include "reader.h"
#include "vcard.h"

enum { MAX_PARAMS = 16, MAX_EMAILS = 32, MAX_BDAY_WARNINGS = 3 };
#define MAX_VALUE_BYTES ((size_t)64 << 10) /* a logical line past this is cut */

typedef struct {
    char *name; /* upper-cased, group stripped */
    struct {
        char *key; /* upper-cased; NULL for a bare 2.1 parameter ("QUOTED-PRINTABLE") */
        char *val; /* quotes removed */
    } params[MAX_PARAMS];
    size_t n_params;
    char *value; /* raw (still escaped, still QP-encoded) */
} vprop;

typedef struct {
    long line; /* of BEGIN:VCARD */
    char *fn;
    char *n_family, *n_given;
    char *emails[MAX_EMAILS];
    size_t n_emails;
    char *org, *title, *url;
    kith_buf categories;
    int by, bm, bd;
    bool not_person; /* vCard 4 KIND:group, org or location */
} vcard;

static void card_clear(vcard *c)
{
    free(c->fn);
    free(c->n_family);
    free(c->n_given);
    for (size_t i = 0; i < c->n_emails; i++)
        free(c->emails[i]);
    free(c->org);
    free(c->title);
    free(c->url);
    kith_buf_free(&c->categories);
    memset(c, 0, sizeof *c);
}

/* ---- property line ------------------------------------------------------------------- */

static void upcase(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

/* Splits "group.NAME;P=V;P2="a:b":value" in place. The value starts after the first colon
 * that is not inside a quoted parameter value. Returns false for a line with no colon. */
static bool split_prop(char *line, vprop *p)
{
    memset(p, 0, sizeof *p);
    char *colon = NULL;
    bool q = false;
    for (char *s = line; *s; s++) {
        if (*s == '"')
            q = !q;
        else if (*s == ':' && !q) {
            colon = s;
            break;
        }
    }
    if (!colon)
        return false;
    *colon = '\0';
    p->value = colon + 1;

    char *semi = line;
    while (*semi && *semi != ';')
        semi++;
    char *params = *semi ? semi + 1 : NULL;
    *semi = '\0';
    char *dot = strrchr(line, '.');
    p->name = dot ? dot + 1 : line;
    upcase(p->name);

    while (params && p->n_params < MAX_PARAMS) {
        char *s = params, *end = NULL;
        q = false;
        for (char *t = s; *t; t++) {
            if (*t == '"')
                q = !q;
            else if (*t == ';' && !q) {
                end = t;
                break;
            }
        }
        if (end)
            *end = '\0';
        char *eq = strchr(s, '=');
        if (eq) {
            *eq = '\0';
            char *v = eq + 1;
            size_t vn = strlen(v);
            if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
                v[vn - 1] = '\0';
                v++;
            }
            upcase(s);
            p->params[p->n_params].key = s;
            p->params[p->n_params].val = v;
        } else {
            upcase(s);
            p->params[p->n_params].key = NULL;
            p->params[p->n_params].val = s;
        }
        p->n_params++;
        params = end ? end + 1 : NULL;
    }
    return true;
}

/* The value of parameter key (or, for a bare 2.1 parameter, whether one equals key). */
static const char *param(const vprop *p, const char *key)
{
    for (size_t i = 0; i < p->n_params; i++) {
        if (p->params[i].key && strcmp(p->params[i].key, key) == 0)
            return p->params[i].val;
        if (!p->params[i].key && strcasecmp(p->params[i].val, key) == 0)
            return p->params[i].val;
    }
    return NULL;
}

static bool is_qp(const vprop *p)
{
    const char *e = param(p, "ENCODING");
    return (e && strcasecmp(e, "QUOTED-PRINTABLE") == 0) || param(p, "QUOTED-PRINTABLE");
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = toupper(c);
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Quoted-printable decoding in place ("=C3=A9" -> bytes; a stray '=' stays). */
static void qp_decode(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        int h, l;
        if (*r == '=' && (h = hexval((unsigned char)r[1])) >= 0 &&
            (l = hexval((unsigned char)r[2])) >= 0) {
            *w++ = (char)(h * 16 + l);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* Latin-1 to UTF-8 (2.1 cards may say CHARSET=ISO-8859-1). */
static char *latin1_to_utf8(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(2 * n + 1), *w = o;
    if (!o)
        return NULL;
    for (const unsigned char *r = (const unsigned char *)s; *r; r++) {
        if (*r < 0x80) {
            *w++ = (char)*r;
        } else {
            *w++ = (char)(0xC0 | (*r >> 6));
            *w++ = (char)(0x80 | (*r & 0x3F));
        }
    }
    *w = '\0';
    return o;
}

/* Decodes the raw value into valid UTF-8 (QP and charset handled); caller frees. */
static char *decode_value(const vprop *p)
{
    if (is_qp(p))
        qp_decode(p->value);
    const char *cs = param(p, "CHARSET");
    if (cs && (strcasecmp(cs, "ISO-8859-1") == 0 || strcasecmp(cs, "WINDOWS-1252") == 0 ||
               strcasecmp(cs, "LATIN1") == 0))
        return latin1_to_utf8(p->value);
    return kith_utf8_clean(p->value, strlen(p->value));
}

/* Copies the sep-separated component idx of an escaped value, unescaped and trimmed;
 * NULL when it is empty or absent. */
static char *component(const char *v, char sep, size_t idx)
{
    size_t i = 0;
    const char *s = v;
    while (i < idx && *s) {
        if (*s == '\\' && s[1])
            s += 2;
        else if (*s++ == sep)
            i++;
    }
    if (i < idx)
        return NULL;
    kith_buf b = {0};
    if (!kith_buf_put(&b, "", 0))
        return NULL;
    for (; *s && *s != sep; s++) {
        char c = *s;
        if (c == '\\' && s[1]) {
            s++;
            c = (*s == 'n' || *s == 'N') ? '\n' : *s;
        }
        if (c == '\n' || c == '\r' || c == '\t')
            c = ' '; /* every field kith keeps is one line */
        if (!kith_buf_putc(&b, c)) {
            kith_buf_free(&b);
            return NULL;
        }
    }
    char *a = b.s;
    while (*a && isspace((unsigned char)*a))
        a++;
    size_t n = strlen(a);
    while (n && isspace((unsigned char)a[n - 1]))
        n--;
    if (!n) {
        kith_buf_free(&b);
        return NULL;
    }
    memmove(b.s, a, n);
    b.s[n] = '\0';
    return b.s;
}

/* ---- birthdays ----------------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

static bool valid_md(int y, int m, int d)
{
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    if (m == 2 && d == 29 && y && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return false;
    return true;
}

bool kith_vcard_parse_bday(const char *v, int *y, int *m, int *d)
{
    *y = *m = *d = 0;
    while (*v && isspace((unsigned char)*v))
        v++;
    size_t n = strcspn(v, "Tt \t"); /* a date-time keeps only its date */
    int yy = 0, mm, dd;
    if (n == 10 && v[4] == '-' && v[7] == '-' && all_digits(v, 4) && all_digits(v + 5, 2) &&
        all_digits(v + 8, 2)) {
        yy = num(v, 4), mm = num(v + 5, 2), dd = num(v + 8, 2);
    } else if (n == 8 && all_digits(v, 8)) {
        yy = num(v, 4), mm = num(v + 4, 2), dd = num(v + 6, 2);
    } else if (n == 6 && v[0] == '-' && v[1] == '-' && all_digits(v + 2, 4)) {
        mm = num(v + 2, 2), dd = num(v + 4, 2);
    } else if (n == 7 && v[0] == '-' && v[1] == '-' && v[4] == '-' && all_digits(v + 2, 2) &&
               all_digits(v + 5, 2)) {
        mm = num(v + 2, 2), dd = num(v + 5, 2);
    } else {
        return false;
    }
    if (!valid_md(yy, mm, dd))
        return false;
    *y = yy;
    *m = mm;
    *d = dd;
    return true;
}

/* ---- the reader ---------------------------------------------------------------------- */

typedef struct {
    kith_ingest *ing;
    const char *name;
    int bday_warnings;
} vctx;

static void append_categories(vcard *c, const char *v)
{
    size_t k = 0;
    for (const char *s = v; *s;) {
        if (*s == '\\' && s[1])
            s += 2;
        else if (*s++ == ',')
            k++;
    }
    for (size_t i = 0; i <= k; i++) {
        char *cat = component(v, ',', i);
        if (!cat)
            continue;
        if (c->categories.n)
            kith_buf_put(&c->categories, "; ", 2);
        kith_buf_put(&c->categories, cat, strlen(cat));
        free(cat);
    }
}

static void take_prop(vctx *x, vcard *c, vprop *p, long line)
{
    const char *nm = p->name;
    if (!strcmp(nm, "KIND")) {
        const char *k = p->value;
        while (*k == ' ')
            k++;
        c->not_person = !strncasecmp(k, "group", 5) || !strncasecmp(k, "org", 3) ||
                        !strncasecmp(k, "location", 8);
        return;
    }
    bool want = !strcmp(nm, "FN") || !strcmp(nm, "N") || !strcmp(nm, "EMAIL") ||
                !strcmp(nm, "ORG") || !strcmp(nm, "TITLE") || !strcmp(nm, "BDAY") ||
                !strcmp(nm, "CATEGORIES") || !strcmp(nm, "URL") || !strcmp(nm, "X-SOCIALPROFILE");
    if (!want)
        return;
    char *v = decode_value(p);
    if (!v)
        return;
    if (!strcmp(nm, "FN")) {
        if (!c->fn)
            c->fn = component(v, '\0', 0);
    } else if (!strcmp(nm, "N")) {
        if (!c->n_family && !c->n_given) {
            c->n_family = component(v, ';', 0);
            c->n_given = component(v, ';', 1);
        }
    } else if (!strcmp(nm, "EMAIL")) {
        char *e = component(v, '\0', 0);
        if (e && !strncasecmp(e, "mailto:", 7))
            memmove(e, e + 7, strlen(e + 7) + 1);
        if (e && *e && c->n_emails < MAX_EMAILS)
            c->emails[c->n_emails++] = e;
        else
            free(e);
    } else if (!strcmp(nm, "ORG")) {
        if (!c->org)
            c->org = component(v, ';', 0);
    } else if (!strcmp(nm, "TITLE")) {
        if (!c->title)
            c->title = component(v, '\0', 0);
    } else if (!strcmp(nm, "CATEGORIES")) {
        append_categories(c, v);
    } else if (!strcmp(nm, "URL") || !strcmp(nm, "X-SOCIALPROFILE")) {
        /* only a LinkedIn profile is an identity key; other sites are not */
        char *u = component(v, '\0', 0);
        if (u && !c->url && strstr(u, "linkedin.com/in/"))
            c->url = u;
        else
            free(u);
    } else if (!strcmp(nm, "BDAY")) {
        const char *vt = param(p, "VALUE");
        const char *omit = param(p, "X-APPLE-OMIT-YEAR");
        int y, m, d;
        if (vt && strcasecmp(vt, "text") == 0) {
            if (x->bday_warnings++ < MAX_BDAY_WARNINGS)
                kith_ingest_warn(x->ing, "%s:%ld: birthday '%s' is text, not a date: ignored",
                                 x->name, line, v);
        } else if (kith_vcard_parse_bday(v, &y, &m, &d)) {
            if (omit && y == atoi(omit))
                y = 0;
            c->by = y, c->bm = m, c->bd = d;
        } else if (x->bday_warnings++ < MAX_BDAY_WARNINGS) {
            kith_ingest_warn(x->ing, "%s:%ld: birthday '%s' is not a date: ignored", x->name, line,
                             v);
        }
    }
    free(v);
}

static kith_err emit(vctx *x, vcard *c, kith_diag *d)
{
    kith_ingest_row(x->ing);
    if (c->not_person) {
        kith_ingest_drop(x->ing, "not a person");
        return KITH_OK;
    }
    kith_who w = {.name = c->fn,
                  .first = c->n_given,
                  .last = c->n_family,
                  .url = c->url,
                  .email = c->n_emails ? c->emails[0] : NULL};
    int32_t id = kith_ingest_who(x->ing, &w);
    if (id < 0)
        return kith_ingest_skip(x->ing, c->line, d, "card with no name, e-mail nor URL");
    kith_contact k = {
        .company = c->org,
        .position = c->title,
        .connected_on = KITH_NO_TIME,
        .bday_year = c->by,
        .bday_month = c->bm,
        .bday_day = c->bd,
        .emails = c->n_emails > 1 ? (const char *const *)c->emails + 1 : NULL,
        .n_emails = c->n_emails > 1 ? c->n_emails - 1 : 0,
        .labels = c->categories.n ? c->categories.s : NULL,
        .connection = true,
    };
    kith_ingest_contact(x->ing, id, &k);
    return KITH_OK;
}

static bool line_is(const char *l, const char *what)
{
    while (*l == ' ' || *l == '\t')
        l++;
    size_t n = strlen(what);
    if (strncasecmp(l, what, n) != 0)
        return false;
    for (l += n; *l; l++)
        if (!isspace((unsigned char)*l))
            return false;
    return true;
}

static bool ends_soft_break(const kith_buf *b)
{
    /* a QP soft line break: the logical line ends with '=' and says QUOTED-PRINTABLE */
    if (!b->n || b->s[b->n - 1] != '=')
        return false;
    const char *colon = strchr(b->s, ':');
    if (!colon)
        return false;
    for (const char *s = b->s; s + 16 <= colon; s++)
        if (strncasecmp(s, "QUOTED-PRINTABLE", 16) == 0)
            return true;
    return false;
}

kith_err kith_vcard_read(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_lines lr;
    kith_buf phys = {0}, logical = {0};
    vcard card = {0};
    vctx x = {.ing = ing, .name = kith_stream_name(s)};
    int depth = 0;
    bool have_next = false;
    long logical_line = 0;

    kith_lines_init(&lr, s);
    kith_ingest_begin_file(ing, kith_stream_name(s), "vcard");

    int r = kith_lines_next(&lr, &phys, d);
    if (r < 0) {
        err = KITH_ERR_IO;
        goto cleanup;
    }
    have_next = r > 0;
    while (have_next) {
        kith_buf_reset(&logical);
        if (!kith_buf_put(&logical, phys.s, phys.n)) {
            err = kith_diag_set(d, KITH_ERR_NOMEM, x.name, lr.line, "out of memory");
            goto cleanup;
        }
        logical_line = lr.line;
        have_next = false;
        for (;;) {
            r = kith_lines_next(&lr, &phys, d);
            if (r < 0) {
                err = KITH_ERR_IO;
                goto cleanup;
            }
            if (r == 0)
                break;
            /* a QP soft break keeps the next line whole (its leading space is content) */
            bool ok = true;
            if (logical.n >= KITH_LINE_MAX) {
                /* an unfolded property past the cap (an inline photo) is cut */
                if (phys.n && (phys.s[0] == ' ' || phys.s[0] == '\t'))
                    continue;
                have_next = true;
                break;
            }
            if (ends_soft_break(&logical)) {
                logical.s[--logical.n] = '\0';
                ok = kith_buf_put(&logical, phys.s, phys.n);
            } else if (phys.n && (phys.s[0] == ' ' || phys.s[0] == '\t')) {
                ok = kith_buf_put(&logical, phys.s + 1, phys.n - 1);
            } else {
                have_next = true;
                break;
            }
            if (!ok) {
                err = kith_diag_set(d, KITH_ERR_NOMEM, x.name, lr.line, "out of memory");
                goto cleanup;
            }
        }
        if (!logical.n || !logical.s)
            continue;
        /* No property this reader uses is near 64 KiB (inline photos are ignored); a longer
         * value would only cost memory in normalization (a 16 MiB name took 400 MiB under
         * ASan): cut it, at a UTF-8 boundary. */
        if (logical.n > MAX_VALUE_BYTES) {
            size_t cut = MAX_VALUE_BYTES;
            while (cut > 0 && ((unsigned char)logical.s[cut] & 0xC0) == 0x80)
                cut--;
            logical.s[logical.n = cut] = '\0';
        }

        if (line_is(logical.s, "BEGIN:VCARD")) {
            if (depth++ == 0) {
                card_clear(&card);
                card.line = logical_line;
            }
            continue;
        }
        if (line_is(logical.s, "END:VCARD")) {
            if (depth == 0) {
                err = kith_ingest_skip(ing, logical_line, d, "END:VCARD without BEGIN:VCARD");
                if (err)
                    goto cleanup;
                continue;
            }
            if (--depth == 0) {
                err = emit(&x, &card, d);
                card_clear(&card);
                if (err)
                    goto cleanup;
            }
            continue;
        }
        if (depth != 1)
            continue; /* outside a card, or inside an embedded AGENT card */
        vprop p;
        if (split_prop(logical.s, &p))
            take_prop(&x, &card, &p, logical_line);
    }
    if (depth > 0) {
        kith_ingest_row(ing);
        err = kith_ingest_skip(ing, card.line, d, "card not closed by END:VCARD");
    }

cleanup:
    if (x.bday_warnings > MAX_BDAY_WARNINGS)
        kith_ingest_warn(ing, "%s: %d more birthdays that are not dates ignored", x.name,
                         x.bday_warnings - MAX_BDAY_WARNINGS);
    kith_ingest_end_file(ing);
    card_clear(&card);
    kith_buf_free(&phys);
    kith_buf_free(&logical);
    return err;
}

int kith_vcard_sniff(const char *base_name, const char *head, size_t n)
{
    (void)base_name;
    return kith_head_begins(head, n, "BEGIN:VCARD");
}

const kith_format kith_vcard_formats[] = {
    {"vcard", kith_vcard_sniff, kith_vcard_read},
    {NULL, NULL, NULL},
};
