/* Report definitions: defaults of spec §2/§3 and the loader of the .ini files in reports/ (inih). */
#include "kith/config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

/* The kinds of kith_kind in enum order, as [weights] keys. Kept here rather than calling
 * kith_kind_name() so the loader does not depend on the model module. */
static const char *const kind_keys[KITH_K__COUNT] = {
    "message", "email", "meeting", "call", "endorsement", "recommendation",
    "introduction", "invitation", "gift", "comment", "reaction"};

static const double default_weights[KITH_K__COUNT] = {
    [KITH_K_MESSAGE] = 1,       [KITH_K_EMAIL] = 1,        [KITH_K_MEETING] = 3,
    [KITH_K_CALL] = 3,          [KITH_K_ENDORSEMENT] = 2,  [KITH_K_RECOMMENDATION] = 8,
    [KITH_K_INTRODUCTION] = 8,  [KITH_K_INVITATION] = 0.5, [KITH_K_GIFT] = 8,
    [KITH_K_COMMENT] = 1,       [KITH_K_REACTION] = 0.25};

static const char *const report_names[] = {"monthly", "neglected", "clusters"};

static bool known_report(const char *name)
{
    for (size_t i = 0; i < sizeof report_names / sizeof *report_names; i++)
        if (strcmp(name, report_names[i]) == 0)
            return true;
    return false;
}

void kith_config_defaults(kith_config *c, const char *name)
{
    memset(c, 0, sizeof *c);
    if (!name || !known_report(name))
        name = "monthly";
    snprintf(c->name, sizeof c->name, "%s", name);
    if (strcmp(name, "neglected") == 0) {
        /* spec §4: "writes the Neglected sheet and its chart alone" */
        c->sheets[KITH_SHEET_NEGLECTED] = true;
        c->charts[KITH_CHART_TIE_STATUS] = true;
    } else if (strcmp(name, "clusters") == 0) {
        c->sheets[KITH_SHEET_CLUSTERS] = true;
        c->charts[KITH_CHART_CLUSTER_MAP] = true;
        c->pdf = true;
    } else {
        for (int s = 0; s < KITH_SHEET__COUNT; s++)
            c->sheets[s] = true;
        for (int k = 0; k < KITH_CHART__COUNT; k++)
            c->charts[k] = true;
        c->pdf = true;
        c->summary_json = true;
    }
    memcpy(c->weights, default_weights, sizeof c->weights);
    c->half_life_days = 180;
    c->new_days = 30;
    c->dormant_multiplier = 8;
    c->dormant_min_days = 90;
    c->dormant_default_days = 365;
    c->fading_multiplier = 3;
    c->fading_min_days = 45;
    c->fading_default_days = 180;
    c->cold_days = 365;
    c->peak_min = 2;
    c->owe_ratio = 1.0 / 3.0;
    c->owe_min = 4;
    c->dormant_days = 0;
    c->seed = 42;
}

/* ------------------------------------------------------------------------------------------ */

typedef struct {
    const char *text; /* the whole file, NUL-terminated */
    size_t pos;
    long line;        /* the line the last chunk handed to inih belongs to */
    bool at_line_start;
} mem_reader;

/* An fgets over memory that counts lines: the Debian inih is built without
 * INI_HANDLER_LINENO, so the handler learns its line from here. */
static char *mem_gets(char *str, int num, void *stream)
{
    mem_reader *r = stream;
    if (!r->text[r->pos] || num < 2)
        return NULL;
    int i = 0;
    while (i < num - 1 && r->text[r->pos]) {
        char ch = r->text[r->pos++];
        str[i++] = ch;
        if (ch == '\n')
            break;
    }
    str[i] = '\0';
    if (r->at_line_start)
        r->line++;
    r->at_line_start = i > 0 && str[i - 1] == '\n';
    return str;
}

typedef struct {
    kith_config *c;
    mem_reader *rd;
    const char *path;
    bool name_pass;   /* first pass: only look for [report] name */
    char name[32];    /* the declared name, "" when none */
    kith_err err;     /* the first error */
    long err_line;
    kith_diag *d;
} load_state;

static int fail(load_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(load_state *s, const char *fmt, ...)
{
    if (s->err == KITH_OK) {
        va_list ap;
        va_start(ap, fmt);
        s->err = kith_diag_vset(s->d, KITH_ERR_CONFIG, s->path, s->rd->line, fmt, ap);
        va_end(ap);
        s->err_line = s->rd->line;
    }
    return 0;
}

/* A number, or a fraction "a/b" (owe_ratio = 1/3 is exact that way). */
static bool parse_number(const char *v, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || errno)
        return false;
    while (isspace((unsigned char)*end))
        end++;
    if (*end == '/') {
        const char *q = end + 1;
        double y = strtod(q, &end);
        if (end == q || y == 0)
            return false;
        x /= y;
        while (isspace((unsigned char)*end))
            end++;
    }
    if (*end || !isfinite(x))
        return false;
    *out = x;
    return true;
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return (*out = true), true;
        if (strcasecmp(v, no[i]) == 0)
            return (*out = false), true;
    }
    return false;
}

/* "a, b, c" against a name table; "none" or "" is the empty set. Returns the index of
 * the first unknown item's start in *bad (or NULL). */
static bool parse_set(const char *v, bool *set, int n, const char *(*name_of)(int),
                      char *bad, size_t bad_size)
{
    bool tmp[16] = {false};
    if (strcasecmp(v, "none") != 0) {
        const char *p = v;
        while (*p) {
            while (*p == ',' || isspace((unsigned char)*p))
                p++;
            if (!*p)
                break;
            const char *q = p;
            while (*q && *q != ',')
                q++;
            size_t len = (size_t)(q - p);
            while (len && isspace((unsigned char)p[len - 1]))
                len--;
            int found = -1;
            for (int i = 0; i < n; i++) {
                const char *nm = name_of(i);
                if (strlen(nm) == len && strncasecmp(nm, p, len) == 0)
                    found = i;
            }
            if (found < 0) {
                snprintf(bad, bad_size, "%.*s", (int)len, p);
                return false;
            }
            tmp[found] = true;
            p = q;
        }
    }
    for (int i = 0; i < n; i++)
        set[i] = tmp[i];
    return true;
}

static const char *sheet_of(int i) { return kith_sheet_name((kith_sheet)i); }
static const char *chart_of(int i) { return kith_chart_name((kith_chart)i); }

typedef struct {
    const char *key;
    size_t offset;
    double min;     /* values must be >= min ... */
    bool min_open;  /* ... or > min when set */
} measure_key;

#define MK(field, min, open) {#field, offsetof(kith_config, field), min, open}
static const measure_key measure_keys[] = {
    MK(half_life_days, 0, true),      MK(new_days, 0, false),
    MK(dormant_multiplier, 0, false), MK(dormant_min_days, 0, false),
    MK(dormant_default_days, 0, false), MK(fading_multiplier, 0, false),
    MK(fading_min_days, 0, false),    MK(fading_default_days, 0, false),
    MK(cold_days, 0, false),          MK(peak_min, 0, false),
    MK(owe_ratio, 0, false),          MK(owe_min, 0, false),
    MK(dormant_days, 0, false),
};
#undef MK

static int on_report(load_state *s, const char *name, const char *value)
{
    kith_config *c = s->c;
    char bad[64];
    bool b;
    if (strcmp(name, "name") == 0) {
        if (!known_report(value))
            return fail(s, "unknown report name '%s' (monthly, neglected or clusters)", value);
        return 1; /* applied before the second pass */
    }
    if (strcmp(name, "sheets") == 0) {
        if (!parse_set(value, c->sheets, KITH_SHEET__COUNT, sheet_of, bad, sizeof bad))
            return fail(s, "unknown sheet '%s'", bad);
        return 1;
    }
    if (strcmp(name, "charts") == 0) {
        if (!parse_set(value, c->charts, KITH_CHART__COUNT, chart_of, bad, sizeof bad))
            return fail(s, "unknown chart '%s'", bad);
        return 1;
    }
    if (strcmp(name, "pdf") == 0 || strcmp(name, "summary_json") == 0) {
        if (!parse_bool(value, &b))
            return fail(s, "%s: expected true or false, got '%s'", name, value);
        *(strcmp(name, "pdf") == 0 ? &c->pdf : &c->summary_json) = b;
        return 1;
    }
    return fail(s, "unknown key '%s' in [report]", name);
}

static int on_weights(load_state *s, const char *name, const char *value)
{
    for (int k = 0; k < KITH_K__COUNT; k++) {
        if (strcmp(name, kind_keys[k]) != 0)
            continue;
        double x;
        if (!parse_number(value, &x) || x < 0)
            return fail(s, "weight %s: expected a number >= 0, got '%s'", name, value);
        s->c->weights[k] = x;
        return 1;
    }
    return fail(s, "unknown key '%s' in [weights]", name);
}

static int on_measures(load_state *s, const char *name, const char *value)
{
    if (strcmp(name, "seed") == 0) {
        char *end;
        errno = 0;
        unsigned long long x = strtoull(value, &end, 10);
        if (end == value || *end || errno || value[0] == '-')
            return fail(s, "seed: expected a non-negative integer, got '%s'", value);
        s->c->seed = (unsigned long)x;
        return 1;
    }
    for (size_t i = 0; i < sizeof measure_keys / sizeof *measure_keys; i++) {
        const measure_key *mk = &measure_keys[i];
        if (strcmp(name, mk->key) != 0)
            continue;
        double x;
        if (!parse_number(value, &x) || x < mk->min || (mk->min_open && x <= mk->min))
            return fail(s, "%s: expected a number %s %g, got '%s'", name,
                        mk->min_open ? ">" : ">=", mk->min, value);
        *(double *)((char *)s->c + mk->offset) = x;
        return 1;
    }
    return fail(s, "unknown key '%s' in [measures]", name);
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    load_state *s = user;
    if (s->err != KITH_OK)
        return 1; /* report only the first error */
    if (s->name_pass) {
        if (strcmp(section, "report") == 0 && strcmp(name, "name") == 0)
            snprintf(s->name, sizeof s->name, "%s", value);
        return 1;
    }
    if (strcmp(section, "report") == 0)
        return on_report(s, name, value);
    if (strcmp(section, "weights") == 0)
        return on_weights(s, name, value);
    if (strcmp(section, "measures") == 0)
        return on_measures(s, name, value);
    if (!section[0])
        return fail(s, "key '%s' outside any section", name);
    return fail(s, "unknown section [%s]", section);
}

#define MAX_CONFIG_BYTES (1 << 20)

kith_err kith_config_load(kith_config *c, const char *path, kith_diag *d)
{
    kith_err err = KITH_OK;
    char *text = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        err = kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
        goto cleanup;
    }
    text = malloc(MAX_CONFIG_BYTES + 1);
    if (!text) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory");
        goto cleanup;
    }
    size_t n = fread(text, 1, MAX_CONFIG_BYTES + 1, f);
    if (ferror(f)) {
        err = kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot read: %s", strerror(errno));
        goto cleanup;
    }
    if (n > MAX_CONFIG_BYTES) {
        err = kith_diag_set(d, KITH_ERR_CONFIG, path, 0, "larger than 1 MiB");
        goto cleanup;
    }
    if (memchr(text, '\0', n)) {
        err = kith_diag_set(d, KITH_ERR_CONFIG, path, 0, "not a text file");
        goto cleanup;
    }
    text[n] = '\0';

    /* Two passes: the name decides the defaults the other keys override, wherever it is. */
    kith_config work = *c;
    mem_reader rd = {text, 0, 0, true};
    load_state s = {&work, &rd, path, true, "", KITH_OK, 0, d};
    int rc = ini_parse_stream(mem_gets, &rd, on_pair, &s);
    if (rc == 0) {
        const char *name = s.name[0] ? s.name : (known_report(c->name) ? c->name : "monthly");
        if (!known_report(name)) /* reported with its line in the second pass */
            name = "monthly";
        kith_config_defaults(&work, name);
        rd = (mem_reader){text, 0, 0, true};
        s.name_pass = false;
        rc = ini_parse_stream(mem_gets, &rd, on_pair, &s);
    }
    if (rc == -2) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory");
        goto cleanup;
    }
    if (rc != 0 && (s.err == KITH_OK || rc < s.err_line)) {
        /* inih found a line that is neither [section], key = value nor a comment */
        err = kith_diag_set(d, KITH_ERR_CONFIG, path, rc,
                            "syntax error (expected [section] or key = value)");
        goto cleanup;
    }
    if (s.err != KITH_OK) {
        err = s.err;
        goto cleanup;
    }
    *c = work;

cleanup:
    free(text);
    if (f)
        fclose(f);
    return err;
}
