/* kith intro TARGET (spec §4): who can introduce the owner to a company or a person.
 *
 * The target is matched as an employer (company key equal) and as a person (e-mail, profile
 * URL or name key). Direct ties come first: the persons at that company, or the person. Then
 * the introducers: persons one person–person edge away from a target, ranked by the owner's
 * strength to them and by how much they owe the owner. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "kith/commands.h"
#include "kith/config.h"
#include "kith/date.h"
#include "kith/graph.h"
#include "kith/intro.h"
#include "kith/model.h"
#include "kith/report.h"
#include "kith/sources.h"
#include "kith/text.h"

enum { TABLE_ROWS = 20 };

typedef struct {
    int32_t person;
    double score;
    int32_t via;   /* the target person with the strongest edge */
    double via_w;  /* that edge's weight */
    int n_targets; /* target persons they are linked to */
} introducer;

double kith_intro_score(double strength, double balance)
{
    /* balance > 0: the owner gave more, so they owe: up to 1.5x; you owe them: down to 0.5x */
    if (isnan(balance))
        balance = 0;
    return strength * (1.0 + 0.5 * balance);
}

kith_err kith_intro_match(const kith_model *m, const char *target, bool *is_target, int *mode)
{
    char *ck = kith_company_key(target);
    char *ek = strchr(target, '@') ? kith_email_key(target) : NULL;
    char *uk = (strchr(target, '/') || strstr(target, "linkedin.")) ? kith_url_key(target) : NULL;
    char *nk = kith_name_key(target);
    int companies = 0, persons = 0;
    for (size_t i = 0; i < m->n_persons; i++) {
        const kith_person *p = &m->persons[i];
        bool person = false;
        if (ek && p->emails) {
            /* emails is "; "-joined: look for the whole address */
            const char *s = p->emails;
            size_t n = strlen(ek);
            while (!person && (s = strstr(s, ek))) {
                person = (s == p->emails || s[-1] == ' ') && (s[n] == ';' || s[n] == '\0');
                s++;
            }
        }
        if (!person && ek && p->email && !strcmp(p->email, ek))
            person = true;
        if (!person && uk && p->url && !strcmp(p->url, uk))
            person = true;
        if (!person && !ek && !uk && nk && p->name_key && !strcmp(p->name_key, nk))
            person = true;
        bool company = !ek && !uk && ck && p->company_key && !strcmp(p->company_key, ck);
        is_target[i] = person || company;
        persons += person;
        companies += company;
    }
    *mode = persons ? KITH_INTRO_PERSON : companies ? KITH_INTRO_COMPANY : KITH_INTRO_NONE;
    if (persons && companies)
        *mode = KITH_INTRO_BOTH;
    free(ck);
    free(ek);
    free(uk);
    free(nk);
    return KITH_OK;
}

static const kith_report *sort_report; /* qsort has no context argument */

static int cmp_direct(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    double sx = sort_report->pm[x].strength, sy = sort_report->pm[y].strength;
    if (sx != sy)
        return sx < sy ? 1 : -1;
    return strcmp(sort_report->model->persons[x].name, sort_report->model->persons[y].name);
}

static int cmp_introducer(const void *a, const void *b)
{
    const introducer *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    if (x->via_w != y->via_w)
        return x->via_w < y->via_w ? 1 : -1;
    return strcmp(sort_report->model->persons[x->person].name,
                  sort_report->model->persons[y->person].name);
}

kith_err kith_intro_rank(const kith_report *r, const kith_pp_edge *edges, size_t n_edges,
                         const bool *is_target, int32_t **direct, size_t *n_direct,
                         kith_intro_candidate **out, size_t *n_out, kith_diag *d)
{
    const kith_model *m = r->model;
    size_t np = m->n_persons;
    introducer *tmp = NULL;
    int32_t *dir = NULL, *slot = NULL;
    size_t nd = 0, ni = 0;
    kith_err err = KITH_OK;

    dir = malloc((np ? np : 1) * sizeof *dir);
    slot = malloc((np ? np : 1) * sizeof *slot);
    tmp = malloc((np ? np : 1) * sizeof *tmp);
    if (!dir || !slot || !tmp) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < np; i++) {
        slot[i] = -1;
        if (is_target[i])
            dir[nd++] = (int32_t)i;
    }
    for (size_t e = 0; e < n_edges; e++) {
        int32_t a = edges[e].a, b = edges[e].b;
        if (a < 0 || b < 0 || (size_t)a >= np || (size_t)b >= np || edges[e].w <= 0)
            continue;
        if (is_target[a] == is_target[b])
            continue; /* both targets, or neither */
        int32_t via = is_target[a] ? a : b, who = is_target[a] ? b : a;
        if (slot[who] < 0) {
            slot[who] = (int32_t)ni;
            tmp[ni] =
                (introducer){.person = who,
                             .via = via,
                             .via_w = edges[e].w,
                             .score = kith_intro_score(r->pm[who].strength, r->pm[who].balance)};
            ni++;
        }
        introducer *in = &tmp[slot[who]];
        in->n_targets++;
        if (edges[e].w > in->via_w) {
            in->via_w = edges[e].w;
            in->via = via;
        }
    }
    sort_report = r;
    qsort(dir, nd, sizeof *dir, cmp_direct);
    qsort(tmp, ni, sizeof *tmp, cmp_introducer);
    sort_report = NULL;

    *out = malloc((ni ? ni : 1) * sizeof **out);
    if (!*out) {
        err = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < ni; i++)
        (*out)[i] = (kith_intro_candidate){.person = tmp[i].person,
                                           .score = tmp[i].score,
                                           .via = tmp[i].via,
                                           .via_weight = tmp[i].via_w,
                                           .n_targets = tmp[i].n_targets};
    *n_out = ni;
    *direct = dir;
    *n_direct = nd;
    dir = NULL;

cleanup:
    free(dir);
    free(slot);
    free(tmp);
    return err;
}

/* ---- output -------------------------------------------------------------------------- */

static const char *mode_name(int mode)
{
    switch (mode) {
    case KITH_INTRO_COMPANY: return "company";
    case KITH_INTRO_PERSON: return "person";
    case KITH_INTRO_BOTH: return "company and person";
    default: return "none";
    }
}

static void fmt_balance(char *buf, size_t n, double b)
{
    if (isnan(b))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%+.2f", b);
}

/* Writes s cut (on a code point boundary, with an ellipsis) or padded to `width` columns;
 * code points stand in for display columns, a fair approximation for names. */
static void put_cell(FILE *out, const char *s, int width)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    int total = 0;
    for (const unsigned char *q = p; *q; q++)
        total += (*q & 0xC0) != 0x80;
    int keep = total > width - 1 ? width - 2 : total, cols = 0;
    while (*p && cols < keep) {
        do
            fputc(*p++, out);
        while ((*p & 0xC0) == 0x80);
        cols++;
    }
    if (total > keep) {
        fputs("\xE2\x80\xA6", out); /* ... */
        cols++;
    }
    for (; cols < width; cols++)
        fputc(' ', out);
}

static void write_table(FILE *out, const kith_report *r, const char *target, int mode,
                        const int32_t *direct, size_t nd, const kith_intro_candidate *in, size_t ni)
{
    const kith_model *m = r->model;
    char bal[16];
    fprintf(out, "Who can introduce you to %s (matched as %s; as of %s)\n\n", target,
            mode_name(mode), r->month);
    fprintf(out, "Direct ties (%zu)\n", nd);
    if (nd) {
        fputs("  ", out);
        put_cell(out, "Name", 28);
        put_cell(out, "Company", 22);
        put_cell(out, "Status", 9);
        fputs("Strength  Balance\n", out);
    }
    for (size_t i = 0; i < nd && i < TABLE_ROWS; i++) {
        const kith_person *p = &m->persons[direct[i]];
        const kith_person_measures *pm = &r->pm[direct[i]];
        fmt_balance(bal, sizeof bal, pm->balance);
        fputs("  ", out);
        put_cell(out, p->name, 28);
        put_cell(out, p->company, 22);
        put_cell(out, kith_status_name((kith_status)pm->status), 9);
        fprintf(out, "%8.2f  %7s\n", pm->strength, bal);
    }
    if (nd > TABLE_ROWS)
        fprintf(out, "  ... and %zu more\n", nd - TABLE_ROWS);

    fprintf(out, "\nIntroducers one step away (%zu)\n", ni);
    if (ni) {
        fputs("  ", out);
        put_cell(out, "Name", 28);
        put_cell(out, "Company", 22);
        fputs("Strength  Balance  Score  Knows\n", out);
    }
    for (size_t i = 0; i < ni && i < TABLE_ROWS; i++) {
        const kith_person *p = &m->persons[in[i].person];
        const kith_person_measures *pm = &r->pm[in[i].person];
        fmt_balance(bal, sizeof bal, pm->balance);
        fputs("  ", out);
        put_cell(out, p->name, 28);
        put_cell(out, p->company, 22);
        fprintf(out, "%8.2f  %7s  %5.2f  %s", pm->strength, bal, in[i].score,
                m->persons[in[i].via].name);
        if (in[i].n_targets > 1)
            fprintf(out, " (+%d more)", in[i].n_targets - 1);
        fputc('\n', out);
    }
    if (ni > TABLE_ROWS)
        fprintf(out, "  ... and %zu more (--json lists all)\n", ni - TABLE_ROWS);
    if (!nd && !ni)
        fputs("\nNobody in your network is linked to this target yet.\n", out);
}

static cJSON *json_person(const kith_report *r, int32_t i)
{
    const kith_person *p = &r->model->persons[i];
    const kith_person_measures *pm = &r->pm[i];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", p->name);
    if (p->email)
        cJSON_AddStringToObject(o, "email", p->email);
    else
        cJSON_AddNullToObject(o, "email");
    if (p->url)
        cJSON_AddStringToObject(o, "url", p->url);
    else
        cJSON_AddNullToObject(o, "url");
    if (p->company)
        cJSON_AddStringToObject(o, "company", p->company);
    else
        cJSON_AddNullToObject(o, "company");
    if (p->position)
        cJSON_AddStringToObject(o, "position", p->position);
    else
        cJSON_AddNullToObject(o, "position");
    cJSON_AddStringToObject(o, "status", kith_status_name((kith_status)pm->status));
    cJSON_AddNumberToObject(o, "strength", pm->strength);
    if (isnan(pm->balance))
        cJSON_AddNullToObject(o, "balance");
    else
        cJSON_AddNumberToObject(o, "balance", pm->balance);
    cJSON_AddStringToObject(o, "label", kith_label_name((kith_label)pm->label));
    return o;
}

static kith_err write_json(FILE *out, const kith_report *r, const char *target, int mode,
                           const int32_t *direct, size_t nd, const kith_intro_candidate *in,
                           size_t ni, kith_diag *d)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "target", target);
    cJSON_AddStringToObject(root, "match", mode_name(mode));
    cJSON_AddStringToObject(root, "month", r->month);
    char as_of[21];
    cJSON_AddStringToObject(root, "as_of", kith_time_format(r->as_of, 0, as_of));
    cJSON *da = cJSON_AddArrayToObject(root, "direct");
    for (size_t i = 0; i < nd; i++)
        cJSON_AddItemToArray(da, json_person(r, direct[i]));
    cJSON *ia = cJSON_AddArrayToObject(root, "introducers");
    for (size_t i = 0; i < ni; i++) {
        cJSON *o = json_person(r, in[i].person);
        cJSON_AddNumberToObject(o, "score", in[i].score);
        cJSON_AddStringToObject(o, "knows", r->model->persons[in[i].via].name);
        cJSON_AddNumberToObject(o, "tie_weight", in[i].via_weight);
        cJSON_AddNumberToObject(o, "targets_known", in[i].n_targets);
        cJSON_AddItemToArray(ia, o);
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
    fputs(text, out);
    fputc('\n', out);
    cJSON_free(text);
    return KITH_OK;
}

kith_err kith_cmd_intro(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d)
{
    kith_err e = KITH_OK;
    kith_model *m = NULL;
    kith_report *r = NULL;
    kith_pp_edge *edges = NULL;
    size_t n_edges = 0;
    bool *is_target = NULL;
    int32_t *direct = NULL;
    size_t nd = 0, ni = 0;
    kith_intro_candidate *in = NULL;
    int mode = KITH_INTRO_NONE;

    if (!o->target || !*o->target)
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0,
                             "intro needs a TARGET (a company or a person)");

    kith_load_opts lo = {
        .strict = o->strict, .quiet = o->quiet, .me = o->me, .n_me = o->n_me, .progress = err};
    e = kith_load(o->inputs, o->n_inputs, &lo, &m, d);
    if (e)
        goto cleanup;
    for (size_t i = 0; err && !o->quiet && i < m->n_warnings; i++)
        fprintf(err, "kith: warning: %s\n", m->warnings[i]);
    kith_config cfg;
    kith_config_defaults(&cfg, "monthly");
    if (o->config && (e = kith_config_load(&cfg, o->config, d)))
        goto cleanup;
    if (o->dormant_days > 0)
        cfg.dormant_days = (double)o->dormant_days;
    e = kith_report_build(m, &cfg, o->month, &r, d);
    if (e)
        goto cleanup;
    is_target = calloc(m->n_persons ? m->n_persons : 1, sizeof *is_target);
    if (!is_target) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    kith_intro_match(m, o->target, is_target, &mode);
    if (mode == KITH_INTRO_NONE) {
        e = kith_diag_set(d, KITH_ERR_NO_DATA, NULL, 0,
                          "no company or person in the inputs matches '%s'", o->target);
        goto cleanup;
    }
    /* a target's colleagues at a large employer are all introducers, as in the clique */
    e = kith_pp_edges_exact_for(m, r->as_of, is_target, &edges, &n_edges, d);
    if (e)
        goto cleanup;
    e = kith_intro_rank(r, edges, n_edges, is_target, &direct, &nd, &in, &ni, d);
    if (e)
        goto cleanup;
    if (o->json)
        e = write_json(out, r, o->target, mode, direct, nd, in, ni, d);
    else
        write_table(out, r, o->target, mode, direct, nd, in, ni);

cleanup:
    free(in);
    free(direct);
    free(is_target);
    free(edges);
    kith_report_free(r);
    kith_model_free(m);
    return e;
}
