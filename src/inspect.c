/* kith inspect: what each input yielded (rows read, skipped, dropped and why), the persons
 * after merging, the events by kind and direction, the owner and the dates. A table for
 * people, --json (cJSON) for scripts; both are rendered from one plain summary. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "kith/commands.h"
#include "kith/date.h"
#include "kith/model.h"
#include "kith/sources.h"

typedef struct {
    long persons, connections, groups, intros;
    long events[KITH_K__COUNT][2];
    long n_events;
    long activity[KITH_ACT__COUNT];
    int64_t first, last;
} summary;

static const char *const activity_names[KITH_ACT__COUNT] = {"shares", "comments", "reactions"};

static void widen(summary *s, int64_t t)
{
    if (t == KITH_NO_TIME)
        return;
    if (s->first == KITH_NO_TIME || t < s->first)
        s->first = t;
    if (s->last == KITH_NO_TIME || t > s->last)
        s->last = t;
}

static void summarize(const kith_model *m, summary *s)
{
    memset(s, 0, sizeof *s);
    s->first = s->last = KITH_NO_TIME;
    s->persons = (long)m->n_persons;
    s->groups = (long)m->n_groups;
    s->intros = (long)m->n_intros;
    for (size_t i = 0; i < m->n_persons; i++) {
        s->connections += m->persons[i].connection;
        widen(s, m->persons[i].connected_on);
    }
    for (size_t i = 0; i < m->n_events; i++) {
        const kith_event *e = &m->events[i];
        if (e->kind < KITH_K__COUNT && e->dir <= KITH_DIR_IN)
            s->events[e->kind][e->dir]++;
        s->n_events++;
        widen(s, e->t);
    }
    for (size_t i = 0; i < m->n_activity; i++) {
        if (m->activity[i].what < KITH_ACT__COUNT)
            s->activity[m->activity[i].what]++;
        widen(s, m->activity[i].t);
    }
}

/* The part of a file's path below the input that holds it: "Connections.csv" for both
 * "export.zip:Connections.csv" and "export/Connections.csv". */
static const char *file_in_input(const char *path, const kith_cli_opts *o, const char **input)
{
    *input = NULL;
    for (size_t i = 0; i < o->n_inputs; i++) {
        const char *in = o->inputs[i];
        size_t n = strlen(in);
        while (n > 1 && in[n - 1] == '/')
            n--;
        if (strcmp(path, in) == 0) {
            *input = in;
            const char *slash = strrchr(path, '/');
            return slash ? slash + 1 : path;
        }
        if (strncmp(path, in, n) == 0 && (path[n] == '/' || path[n] == ':')) {
            *input = in;
            return path + n + 1;
        }
    }
    return path;
}

static void print_reasons(FILE *out, const kith_input_stat *st, bool dropped)
{
    bool any = false;
    for (size_t r = 0; r < st->n_reasons; r++) {
        if (st->reasons[r].dropped != dropped)
            continue;
        fprintf(out, "%s%s (%ld)", any ? ", " : dropped ? "    dropped: " : "    skipped: ",
                st->reasons[r].reason, st->reasons[r].count);
        any = true;
    }
    if (any)
        fputc('\n', out);
}

static void print_text(const kith_model *m, const summary *s, FILE *out)
{
    char a[21], b[21];
    int w = 4;
    for (size_t i = 0; i < m->n_inputs; i++) {
        int len = (int)strlen(m->inputs[i].path);
        if (len > w)
            w = len;
    }
    fprintf(out, "%-*s  %-34s %7s %8s %8s\n", w, "file", "kind", "rows", "skipped", "dropped");
    for (size_t i = 0; i < m->n_inputs; i++) {
        const kith_input_stat *st = &m->inputs[i];
        fprintf(out, "%-*s  %-34s %7ld %8ld %8ld\n", w, st->path, st->kind, st->rows,
                st->skipped, st->dropped);
        print_reasons(out, st, false);
        print_reasons(out, st, true);
        for (size_t k = 0; k < st->n_first_skips; k++)
            fprintf(out, "    %s:%ld: %s\n", st->path, st->first_skips[k].line,
                    st->first_skips[k].reason);
    }
    fputc('\n', out);
    fprintf(out, "persons after merging  %ld (%ld connections)\n", s->persons, s->connections);
    fprintf(out, "owner                  %s", m->owner_name[0] ? m->owner_name : "(unknown)");
    if (m->owner_url)
        fprintf(out, " <%s>", m->owner_url);
    if (m->owner_email)
        fprintf(out, " <%s>", m->owner_email);
    fputc('\n', out);
    if (s->first != KITH_NO_TIME)
        fprintf(out, "date range             %s .. %s\n", kith_time_format(s->first, 1, a),
                kith_time_format(s->last, 1, b));
    else
        fputs("date range             (no dates)\n", out);
    fprintf(out, "export date            %s\n",
            m->export_time != KITH_NO_TIME ? kith_time_format(m->export_time, 1, a) : "(unknown)");
    fprintf(out, "groups                 %ld\n", s->groups);
    fprintf(out, "introductions          %ld\n", s->intros);
    fputc('\n', out);
    fprintf(out, "%-16s %7s %7s\n", "events", "out", "in");
    long tot[2] = {0, 0};
    for (int k = 0; k < KITH_K__COUNT; k++) {
        if (!s->events[k][0] && !s->events[k][1])
            continue;
        fprintf(out, "%-16s %7ld %7ld\n", kith_kind_name((kith_kind)k), s->events[k][0],
                s->events[k][1]);
        tot[0] += s->events[k][0];
        tot[1] += s->events[k][1];
    }
    fprintf(out, "%-16s %7ld %7ld\n", "total", tot[0], tot[1]);
    fputc('\n', out);
    fputs("owner's activity      ", out);
    for (int k = 0; k < KITH_ACT__COUNT; k++)
        fprintf(out, "%s %s %ld", k ? "," : "", activity_names[k], s->activity[k]);
    fputc('\n', out);
}

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *time_or_null(int64_t t)
{
    char buf[21];
    return t != KITH_NO_TIME ? cJSON_CreateString(kith_time_format(t, 1, buf))
                             : cJSON_CreateNull();
}

static char *render_json(const kith_model *m, const summary *s, const kith_cli_opts *o)
{
    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON *inputs = cJSON_AddArrayToObject(root, "inputs");
    for (size_t i = 0; inputs && i < m->n_inputs; i++) {
        const kith_input_stat *st = &m->inputs[i];
        cJSON *f = cJSON_CreateObject();
        if (!f || !cJSON_AddItemToArray(inputs, f))
            goto cleanup;
        const char *input;
        const char *file = file_in_input(st->path, o, &input);
        cJSON_AddStringToObject(f, "path", st->path);
        cJSON_AddItemToObject(f, "input", str_or_null(input));
        cJSON_AddStringToObject(f, "file", file);
        cJSON_AddStringToObject(f, "kind", st->kind);
        cJSON_AddNumberToObject(f, "rows", (double)st->rows);
        cJSON_AddNumberToObject(f, "skipped", (double)st->skipped);
        cJSON_AddNumberToObject(f, "dropped", (double)st->dropped);
        cJSON *reasons = cJSON_AddArrayToObject(f, "reasons");
        for (size_t r = 0; reasons && r < st->n_reasons; r++) {
            cJSON *x = cJSON_CreateObject();
            if (!x || !cJSON_AddItemToArray(reasons, x))
                goto cleanup;
            cJSON_AddStringToObject(x, "reason", st->reasons[r].reason);
            cJSON_AddNumberToObject(x, "count", (double)st->reasons[r].count);
            cJSON_AddBoolToObject(x, "dropped", st->reasons[r].dropped);
        }
        cJSON *first = cJSON_AddArrayToObject(f, "first_skips");
        for (size_t k = 0; first && k < st->n_first_skips; k++) {
            cJSON *x = cJSON_CreateObject();
            if (!x || !cJSON_AddItemToArray(first, x))
                goto cleanup;
            cJSON_AddNumberToObject(x, "line", (double)st->first_skips[k].line);
            cJSON_AddStringToObject(x, "reason", st->first_skips[k].reason);
        }
    }
    cJSON_AddNumberToObject(root, "persons", (double)s->persons);
    cJSON_AddNumberToObject(root, "connections", (double)s->connections);
    cJSON *owner = cJSON_AddObjectToObject(root, "owner");
    if (owner) {
        cJSON_AddStringToObject(owner, "name", m->owner_name);
        cJSON_AddItemToObject(owner, "url", str_or_null(m->owner_url));
        cJSON_AddItemToObject(owner, "email", str_or_null(m->owner_email));
    }
    cJSON *range = cJSON_AddObjectToObject(root, "date_range");
    if (range) {
        cJSON_AddItemToObject(range, "first", time_or_null(s->first));
        cJSON_AddItemToObject(range, "last", time_or_null(s->last));
    }
    cJSON_AddItemToObject(root, "export_date", time_or_null(m->export_time));
    cJSON_AddNumberToObject(root, "groups", (double)s->groups);
    cJSON_AddNumberToObject(root, "introductions", (double)s->intros);
    cJSON *events = cJSON_AddObjectToObject(root, "events");
    if (events) {
        cJSON_AddNumberToObject(events, "total", (double)s->n_events);
        for (int k = 0; k < KITH_K__COUNT; k++) {
            cJSON *x = cJSON_AddObjectToObject(events, kith_kind_name((kith_kind)k));
            if (!x)
                goto cleanup;
            cJSON_AddNumberToObject(x, "out", (double)s->events[k][0]);
            cJSON_AddNumberToObject(x, "in", (double)s->events[k][1]);
        }
    }
    cJSON *act = cJSON_AddObjectToObject(root, "activity");
    for (int k = 0; act && k < KITH_ACT__COUNT; k++)
        cJSON_AddNumberToObject(act, activity_names[k], (double)s->activity[k]);
    cJSON *warnings = cJSON_AddArrayToObject(root, "warnings");
    for (size_t i = 0; warnings && i < m->n_warnings; i++)
        cJSON_AddItemToArray(warnings, cJSON_CreateString(m->warnings[i]));
    text = cJSON_Print(root);
cleanup:
    cJSON_Delete(root);
    return text;
}

kith_err kith_cmd_inspect(const kith_cli_opts *o, FILE *out, FILE *err, kith_diag *d)
{
    kith_model *m = NULL;
    char *json = NULL;
    kith_load_opts lo = {.strict = o->strict, .quiet = o->quiet, .me = o->me, .n_me = o->n_me};
    kith_err e = kith_load(o->inputs, o->n_inputs, &lo, &m, d);
    if (e != KITH_OK)
        goto cleanup;
    for (size_t i = 0; i < m->n_warnings; i++)
        fprintf(err, "kith: warning: %s\n", m->warnings[i]);
    summary s;
    summarize(m, &s);
    if (o->json) {
        if (!(json = render_json(m, &s, o))) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        fputs(json, out);
        fputc('\n', out);
    } else {
        print_text(m, &s, out);
    }
    if (fflush(out) != 0 || ferror(out))
        e = kith_diag_set(d, KITH_ERR_OUTPUT, NULL, 0, "cannot write the output");
cleanup:
    free(json);
    kith_model_free(m);
    return e;
}
