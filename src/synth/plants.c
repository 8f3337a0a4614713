/* kith synth: plants.json, the answer key. Each planted person's status and label are
 * computed here with the spec's definitions (sy_judge) from the very events written to the
 * export, so the file tells the truth even when a pattern came out otherwise. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "synth_int.h"

static double round4(double x)
{
    return round(x * 10000.0) / 10000.0;
}

static bool add_num(cJSON *o, const char *k, double v)
{
    return cJSON_AddNumberToObject(o, k, v) != NULL;
}

kith_err sy_write_plants(sy_ctx *c, const char *path, kith_diag *d)
{
    kith_err e = KITH_OK;
    char buf[800];
    char *text = NULL;
    FILE *f = NULL;
    sy_evbuf b = {0};
    cJSON *root = cJSON_CreateObject();
    if (!root)
        goto nomem;
    cJSON_AddStringToObject(root, "generator", "kith synth");
    cJSON_AddStringToObject(root, "note", "All names, companies and events are made up.");
    add_num(root, "seed", (double)c->seed);
    sy_fmt(c->export_t, "ymd", buf, sizeof buf);
    cJSON_AddStringToObject(root, "export_date", buf);
    sy_fmt_iso(c->as_of, buf, sizeof buf);
    cJSON_AddStringToObject(root, "as_of", buf);
    cJSON *owner = cJSON_AddObjectToObject(root, "owner");
    if (!owner)
        goto nomem;
    cJSON_AddStringToObject(owner, "name", SY_OWNER_NAME);
    sy_owner_url(c, buf, sizeof buf);
    cJSON_AddStringToObject(owner, "url", buf);
    cJSON_AddStringToObject(owner, "email", SY_OWNER_EMAIL);
    add_num(root, "persons", (double)c->n);

    cJSON *ev = cJSON_AddObjectToObject(root, "events");
    if (!ev)
        goto nomem;
    long written = c->c_messages + c->c_endorse_in + c->c_endorse_out + c->c_rec_in +
                   c->c_rec_out + c->c_invites;
    add_num(ev, "requested", (double)(c->o.events > 0 ? c->o.events : 0));
    add_num(ev, "written", (double)written);
    add_num(ev, "messages", (double)c->c_messages);
    add_num(ev, "group_messages", (double)c->c_group_msgs);
    add_num(ev, "drafts", (double)c->c_drafts);
    add_num(ev, "spam", (double)c->c_spam);
    add_num(ev, "endorsements_received", (double)c->c_endorse_in);
    add_num(ev, "endorsements_given", (double)c->c_endorse_out);
    add_num(ev, "recommendations_received", (double)c->c_rec_in);
    add_num(ev, "recommendations_given", (double)c->c_rec_out);
    add_num(ev, "invitations", (double)c->c_invites);
    add_num(ev, "connections_blank_rows", (double)c->c_connections_blank);
    add_num(ev, "google_contacts", (double)c->c_google);
    add_num(ev, "mails", (double)c->c_mail);
    add_num(ev, "meetings", (double)c->c_meetings);

    cJSON *cos = cJSON_AddArrayToObject(root, "cohorts");
    if (!cos)
        goto nomem;
    for (int q = 0; q < SY_C__COUNT; q++) {
        const sy_cohort *co = &c->cohorts[q];
        if (!co->n)
            continue;
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(cos, o))
            goto nomem;
        cJSON_AddStringToObject(o, "name", co->name);
        add_num(o, "size", co->n);
        add_num(o, "group_threads", co->n_threads);
        /* who is in it, so a test can check the cluster that comes out */
        cJSON *mem = cJSON_AddArrayToObject(o, "members");
        if (!mem)
            goto nomem;
        /* a huge cohort lists its first members only: plants.json stays small */
        uint32_t listed = co->n < 5000 ? co->n : 5000;
        if (listed < co->n)
            cJSON_AddTrueToObject(o, "members_truncated");
        for (uint32_t k = 0; k < listed; k++) {
            sy_url(c, co->first + k, true, buf, sizeof buf);
            cJSON *u = cJSON_CreateString(buf);
            if (!u || !cJSON_AddItemToArray(mem, u))
                goto nomem;
        }
    }

    cJSON *pl = cJSON_AddArrayToObject(root, "plants");
    if (!pl)
        goto nomem;
    for (size_t i = 0; i < c->n_plants; i++) {
        if ((e = sy_person_events(c, i, &b)) != KITH_OK)
            goto nomem;
        sy_verdict v;
        sy_judge(b.v, b.n, c->p[i].connected, c->as_of, &v);
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(pl, o))
            goto nomem;
        sy_fullname(c, i, buf, sizeof buf);
        cJSON_AddStringToObject(o, "name", buf);
        sy_url(c, i, true, buf, sizeof buf);
        cJSON_AddStringToObject(o, "url", buf);
        cJSON_AddStringToObject(o, "plant", sy_plant_name((sy_plant)c->p[i].plant));
        cJSON_AddStringToObject(o, "status", v.status);
        if (v.label)
            cJSON_AddStringToObject(o, "label", v.label);
        else
            cJSON_AddNullToObject(o, "label");
        int company = c->p[i].company;
        if (company == 0)
            cJSON_AddStringToObject(o, "cohort", c->cohorts[SY_C_FORMER].name);
        else if (company == 1)
            cJSON_AddStringToObject(o, "cohort", c->cohorts[SY_C_CURRENT].name);
        else
            cJSON_AddNullToObject(o, "cohort");
        cJSON_AddStringToObject(o, "company", sy_company_name(c, i));
        sy_fmt(c->p[i].connected, "ymd", buf, sizeof buf);
        cJSON_AddStringToObject(o, "connected_on", buf);
        add_num(o, "events", (double)v.events);
        add_num(o, "given", round4(v.given));
        add_num(o, "received", round4(v.received));
        if (v.given + v.received > 0)
            add_num(o, "balance", round4(v.balance));
        else
            cJSON_AddNullToObject(o, "balance");
        if (v.events)
            add_num(o, "silent_days", round4(v.silent_days));
        else
            cJSON_AddNullToObject(o, "silent_days");
        if (v.gap_known)
            add_num(o, "usual_gap", round4(v.usual_gap));
        else
            cJSON_AddNullToObject(o, "usual_gap");
        add_num(o, "peak_strength", round4(v.peak));
        add_num(o, "strength", round4(v.strength));
    }
    if (!(text = cJSON_Print(root)))
        goto nomem;
    if (!(f = fopen(path, "wb"))) {
        e = kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot create: %s", strerror(errno));
        goto cleanup;
    }
    fputs(text, f);
    fputc('\n', f);
    bool bad = ferror(f) != 0;
    int rc = fclose(f);
    f = NULL;
    if (rc != 0 || bad)
        e = kith_diag_set(d, KITH_ERR_IO, path, 0, "write failed");
    goto cleanup;
nomem:
    e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory writing plants.json");
cleanup:
    if (f)
        fclose(f);
    free(text);
    cJSON_Delete(root);
    sy_evbuf_free(&b);
    return e;
}
