/* summary.json (spec §4) on cJSON: the KPIs of the Summary sheet for scripts and dashboards.
 * Keys come out in a fixed order (cJSON keeps insertion order) so two runs print the same
 * text. */
#include "kith/output.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Counts as integers; other numbers rounded to 12 significant digits, so a difference in the
 * last bits of a float sum never changes the text; NaN and Inf as null. */
static cJSON *number(double v, int is_count)
{
    if (!isfinite(v))
        return cJSON_CreateNull();
    if (is_count)
        return cJSON_CreateNumber((double)llround(v));
    char buf[32];
    snprintf(buf, sizeof buf, "%.12g", v);
    v = strtod(buf, NULL);
    return cJSON_CreateNumber(v == 0 ? 0.0 : v); /* no "-0" */
}

static bool add(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return false;
    cJSON_AddItemToObject(obj, key, item);
    return true;
}

static cJSON *kpi_object(const double *kpi)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (int k = 0; k < KITH_KPI__COUNT; k++)
        if (!add(o, kith_kpi_defs[k].key, number(kpi[k], kith_kpi_defs[k].is_count))) {
            cJSON_Delete(o);
            return NULL;
        }
    return o;
}

static cJSON *inputs_array(const kith_model *m)
{
    cJSON *a = cJSON_CreateArray();
    if (!a)
        return NULL;
    for (size_t i = 0; m && i < m->n_inputs; i++) {
        const kith_input_stat *in = &m->inputs[i];
        cJSON *o = cJSON_CreateObject();
        if (!o)
            goto fail;
        cJSON_AddItemToArray(a, o);
        if (!add(o, "path", cJSON_CreateString(in->path ? in->path : "")) ||
            !add(o, "kind", cJSON_CreateString(in->kind ? in->kind : "")) ||
            !add(o, "rows", cJSON_CreateNumber((double)in->rows)) ||
            !add(o, "skipped", cJSON_CreateNumber((double)in->skipped)) ||
            !add(o, "dropped", cJSON_CreateNumber((double)in->dropped)))
            goto fail;
    }
    return a;
fail:
    cJSON_Delete(a);
    return NULL;
}

static cJSON *counts_object(const char *const *keys, const double *v, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!add(o, keys[i], number(v[i], 1))) {
            cJSON_Delete(o);
            return NULL;
        }
    return o;
}

/* Persons per Dunbar layer, "1".."5" then "none" (layer 0). */
static cJSON *layers_object(const int counts[6])
{
    static const char *const keys[] = {"1", "2", "3", "4", "5", "none"};
    double v[6];
    for (int i = 0; i < 6; i++)
        v[i] = counts[(i + 1) % 6];
    return counts_object(keys, v, 6);
}

char *kith_summary_json(const kith_report *r)
{
    char *text = NULL, as_of[32] = "";
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    time_t t = (time_t)r->as_of;
    struct tm tm;
    if (r->as_of != KITH_NO_TIME && gmtime_r(&t, &tm))
        strftime(as_of, sizeof as_of, "%Y-%m-%dT%H:%M:%SZ", &tm);
    const kith_model *m = r->model;
    static const char *const change_keys[] = {"became_dormant", "revived", "layer_moves"};
    const double changes[] = {(double)r->n_became_dormant, (double)r->n_revived,
                              (double)r->n_layer_moves};
    if (!add(root, "report", cJSON_CreateString(r->config.name)) ||
        !add(root, "month", cJSON_CreateString(r->month)) ||
        !add(root, "as_of", cJSON_CreateString(as_of)) ||
        !add(root, "owner", cJSON_CreateString(m && m->owner_name ? m->owner_name : "")) ||
        !add(root, "inputs", inputs_array(m)) || !add(root, "kpis", kpi_object(r->kpi)) ||
        !add(root, "previous_month", cJSON_CreateString(r->prev_month)) ||
        !add(root, "previous", kpi_object(r->kpi_prev)) ||
        !add(root, "changes", counts_object(change_keys, changes, 3)) ||
        !add(root, "layers", layers_object(r->layer_counts)) ||
        !add(root, "layers_previous", layers_object(r->layer_counts_prev)))
        goto cleanup;
    char *printed = cJSON_Print(root);
    if (!printed)
        goto cleanup;
    size_t n = strlen(printed);
    if ((text = malloc(n + 2))) {
        memcpy(text, printed, n);
        text[n] = '\n';
        text[n + 1] = '\0';
    }
    cJSON_free(printed);

cleanup:
    cJSON_Delete(root);
    return text;
}

kith_err kith_summary_json_write(const kith_report *r, const char *path, kith_diag *d)
{
    kith_err e = KITH_OK;
    FILE *f = NULL;
    char *text = kith_summary_json(r);
    if (!text)
        return kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory writing summary.json");
    if (!(f = fopen(path, "wb"))) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write: %s", strerror(errno));
        goto cleanup;
    }
    size_t n = strlen(text);
    if (fwrite(text, 1, n, f) != n) {
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write: %s", strerror(errno));
        goto cleanup;
    }

cleanup:
    if (f && fclose(f) != 0 && !e)
        e = kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot write: %s", strerror(errno));
    free(text);
    return e;
}
