/* kith synth: determinism, the exact LinkedIn preamble and header, row counts, the truth of
 * plants.json, the spec's status rules on hand-built histories, and the date formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "../src/synth/synth_int.h"
#include "kith/synth.h"

static const char *const files[] = {"linkedin/Connections.csv",
                                    "linkedin/messages.csv",
                                    "linkedin/guide_messages.csv",
                                    "linkedin/Invitations.csv",
                                    "linkedin/Endorsement_Received_Info.csv",
                                    "linkedin/Endorsement_Given_Info.csv",
                                    "linkedin/Recommendations_Received.csv",
                                    "linkedin/Recommendations_Given.csv",
                                    "linkedin/Profile.csv",
                                    "linkedin/Positions.csv",
                                    "linkedin/Skills.csv",
                                    "linkedin/Shares.csv",
                                    "linkedin/Reactions.csv",
                                    "google-contacts.csv",
                                    "mail.mbox",
                                    "calendar.ics",
                                    "plants.json",
                                    NULL};

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    if (b)
        b[n] = 0;
    fclose(f);
    if (len)
        *len = (size_t)n;
    return b;
}

/* FNV-1a 64: a checksum of a file's bytes. */
static uint64_t checksum(const char *dir, const char *name)
{
    size_t n;
    char *b = slurp(dir, name, &n);
    assert_non_null(b);
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)b[i]) * 1099511628211ULL;
    free(b);
    return h;
}

static void run(const char *dir, long persons, long events, uint64_t seed)
{
    kith_synth_opts o = {.persons = persons,
                         .events = events,
                         .seed = seed,
                         .out = dir,
                         .export_date = "2026-11-15",
                         .zip = true,
                         .mail = true};
    kith_diag d;
    kith_diag_clear(&d);
    kith_err e = kith_synth(&o, &d);
    if (e)
        fail_msg("kith_synth: %s", d.reason);
}

static void same_seed_same_bytes(void **state)
{
    (void)state;
    run("synth-a", 300, 3000, 1);
    run("synth-b", 300, 3000, 1);
    run("synth-c", 300, 3000, 2);
    char comments[64];
    sy_ctx c = {.seed = 1};
    sy_comments_name(&c, comments, sizeof comments);
    char cpath[128];
    snprintf(cpath, sizeof cpath, "linkedin/%s", comments);
    assert_int_equal(checksum("synth-a", cpath), checksum("synth-b", cpath));
    for (size_t k = 0; files[k]; k++)
        if (checksum("synth-a", files[k]) != checksum("synth-b", files[k]))
            fail_msg("%s differs between two runs with seed 1", files[k]);
    /* another seed gives another network */
    assert_int_not_equal(checksum("synth-a", "linkedin/Connections.csv"),
                         checksum("synth-c", "linkedin/Connections.csv"));
    assert_int_not_equal(checksum("synth-a", "linkedin/messages.csv"),
                         checksum("synth-c", "linkedin/messages.csv"));
    struct stat st;
    assert_int_equal(stat("synth-a/Basic_LinkedInDataExport_11-15-2026.zip", &st), 0);
    assert_true(st.st_size > 1000);
}

static void connections_preamble_and_rows(void **state)
{
    (void)state;
    run("synth-rows", 250, 2500, 3);
    char *b = slurp("synth-rows", "linkedin/Connections.csv", NULL);
    assert_non_null(b);
    const char *want =
        "Notes:\n\"When exporting your connection data, you may notice that some of the email "
        "addresses are missing. You will only see email addresses for connections who have "
        "allowed their connections to see or download their email address using this setting "
        "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
        "https://www.linkedin.com/help/linkedin/answer/261\"\n\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n";
    assert_memory_equal(b, want, strlen(want));
    /* data rows: one per person, plus rows of deleted members that start with a comma */
    long named = 0, blank = 0;
    for (char *line = b + strlen(want); *line;) {
        char *nl = strchr(line, '\n');
        assert_non_null(nl);
        if (*line == ',')
            blank++;
        else
            named++;
        line = nl + 1;
    }
    assert_int_equal(named, 250);
    assert_int_equal(blank, 1); /* one per 300 rows, from the 150th */
    free(b);

    b = slurp("synth-rows", "linkedin/messages.csv", NULL);
    assert_non_null(b);
    const char *mh = "\"CONVERSATION ID\",\"CONVERSATION TITLE\",\"FROM\",\"SENDER PROFILE URL\","
                     "\"TO\",\"RECIPIENT PROFILE URLS\",\"DATE\",\"SUBJECT\",\"CONTENT\","
                     "\"FOLDER\",\"ATTACHMENTS\",\"IS MESSAGE DRAFT\"\n";
    assert_memory_equal(b, mh, strlen(mh));
    assert_non_null(strstr(b, "\"SPAM\""));
    assert_non_null(strstr(b, "\"Yes\"\n")); /* a draft */
    free(b);
}

static cJSON *load_plants(const char *dir)
{
    char *b = slurp(dir, "plants.json", NULL);
    assert_non_null(b);
    cJSON *j = cJSON_Parse(b);
    free(b);
    assert_non_null(j);
    return j;
}

static void plants_cover_every_status(void **state)
{
    (void)state;
    run("synth-plants", 600, 8000, 1);
    cJSON *j = load_plants("synth-plants");
    assert_string_equal(cJSON_GetObjectItem(j, "as_of")->valuestring, "2026-10-31T23:59:59Z");
    assert_int_equal(cJSON_GetObjectItem(j, "persons")->valuedouble, 600);
    /* the events come out close to what was asked */
    double written = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "events"), "written")->valuedouble;
    assert_true(written > 8000 * 0.95 && written < 8000 * 1.05);
    const char *statuses[] = {"new", "latent", "dormant", "cold", "fading", "active"};
    int seen[6] = {0}, you_owe = 0, they_owe = 0, n = 0;
    cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(j, "plants"))
    {
        n++;
        const char *st = cJSON_GetObjectItem(p, "status")->valuestring;
        const char *plant = cJSON_GetObjectItem(p, "plant")->valuestring;
        cJSON *label = cJSON_GetObjectItem(p, "label");
        assert_non_null(cJSON_GetObjectItem(p, "name")->valuestring);
        assert_non_null(
            strstr(cJSON_GetObjectItem(p, "url")->valuestring, "https://www.linkedin.com/in/"));
        assert_non_null(cJSON_GetObjectItem(p, "cohort"));
        for (int k = 0; k < 6; k++)
            seen[k] += !strcmp(st, statuses[k]);
        if (cJSON_IsString(label)) {
            you_owe += !strcmp(label->valuestring, "you owe");
            they_owe += !strcmp(label->valuestring, "they owe");
        } else {
            assert_string_equal(st, "latent"); /* only a tie without events has no label */
        }
        /* with seed 1 every planted pattern came out as meant */
        if (!strcmp(plant, "steady"))
            assert_string_equal(st, "active");
        if (!strcmp(plant, "fading") || !strcmp(plant, "dormant") || !strcmp(plant, "cold") ||
            !strcmp(plant, "latent") || !strcmp(plant, "new"))
            assert_string_equal(st, plant);
        if (!strcmp(plant, "job-search outreach"))
            assert_string_equal(st, "cold");
        if (!strcmp(plant, "you owe") || !strcmp(plant, "they owe"))
            assert_string_equal(label->valuestring, plant);
    }
    for (int k = 0; k < 6; k++)
        if (!seen[k])
            fail_msg("no planted person is %s", statuses[k]);
    assert_int_equal(n, 6 * 8 + 20);
    assert_int_equal(you_owe, 6);
    assert_int_equal(they_owe, 6);
    cJSON_Delete(j);
}

/* Hand-built histories against the spec's rules (§3.1), T = 2026-10-31T23:59:59Z. */
static const int64_t T = 1793491199; /* 2026-10-31T23:59:59Z */

static sy_event msg(double days_before, int dir)
{
    return (sy_event){T - (int64_t)(days_before * SY_DAY), SY_K_MSG, (uint8_t)dir, 0};
}

static void judge_rules(void **state)
{
    (void)state;
    sy_verdict v;
    int64_t old = T - 1000 * SY_DAY;
    /* gaps of 10 days, silent 80: past max(3*10, 45), not past max(8*10, 90) -> fading */
    sy_event a[] = {msg(100, SY_OUT), msg(90, SY_IN), msg(80, SY_OUT)};
    sy_judge(a, 3, old, T, &v);
    assert_string_equal(v.status, "fading");
    assert_true(v.gap_known);
    assert_float_equal(v.usual_gap, 10.0, 1e-9);
    /* peak right after the third: 1 + 2^(-10/180) + 2^(-20/180) */
    assert_float_equal(v.peak, 1 + 0.962224 + 0.925875, 1e-5);
    assert_string_equal(v.label, "balanced");
    /* silent 95 > 90 with the same rhythm and peak >= 2 -> dormant */
    sy_event b[] = {msg(115, SY_OUT), msg(105, SY_IN), msg(95, SY_OUT)};
    sy_judge(b, 3, old, T, &v);
    assert_string_equal(v.status, "dormant");
    /* two messages on one day 400 days ago: no rhythm, peak exactly 2 -> dormant, not cold */
    sy_event c[] = {msg(400, SY_OUT), msg(400, SY_IN)};
    sy_judge(c, 2, old, T, &v);
    assert_string_equal(v.status, "dormant");
    assert_float_equal(v.peak, 2.0, 1e-9);
    /* two days apart: the peak stays below 2 -> cold */
    sy_event d[] = {msg(402, SY_OUT), msg(400, SY_IN)};
    sy_judge(d, 2, old, T, &v);
    assert_string_equal(v.status, "cold");
    /* connected 20 days ago, no event -> new; connected long ago -> latent */
    sy_judge(NULL, 0, T - 20 * SY_DAY, T, &v);
    assert_string_equal(v.status, "new");
    assert_null(v.label);
    sy_judge(NULL, 0, old, T, &v);
    assert_string_equal(v.status, "latent");
    /* two endorsement rows in (4), one message out (1): balance -0.6 -> you owe */
    sy_event e[] = {{T - 50 * SY_DAY, SY_K_ENDORSE, SY_IN, 0},
                    {T - 50 * SY_DAY + 5, SY_K_ENDORSE, SY_IN, 0},
                    msg(40, SY_OUT)};
    sy_judge(e, 3, old, T, &v);
    assert_float_equal(v.balance, -0.6, 1e-9);
    assert_string_equal(v.label, "you owe");
    assert_string_equal(v.status, "active");
    /* a recommendation out (8) and a message in (1): they owe; events after T do not count */
    sy_event f[] = {{T - 30 * SY_DAY - 10, SY_K_REC, SY_OUT, 0},
                    msg(35, SY_IN),
                    {T + 3600, SY_K_MSG, SY_IN, 0}};
    sy_judge(f, 3, old, T, &v);
    assert_float_equal(v.given, 8, 1e-9);
    assert_float_equal(v.received, 1, 1e-9);
    assert_string_equal(v.label, "they owe");
    /* a draft never counts */
    sy_event g[] = {{T - 10 * SY_DAY, SY_K_MSG, SY_OUT, SY_EF_DRAFT}};
    sy_judge(g, 1, old, T, &v);
    assert_string_equal(v.status, "latent");
}

static void dates_and_as_of(void **state)
{
    (void)state;
    char b[64];
    int64_t t = kith_days_from_civil(2025, 3, 14) * SY_DAY + 14 * 3600 + 37 * 60;
    sy_fmt(t, "invite", b, sizeof b);
    assert_string_equal(b, "3/14/25, 2:37 PM");
    t = kith_days_from_civil(2022, 8, 30) * SY_DAY + 17 * 3600 + 51 * 60;
    sy_fmt(t, "rec", b, sizeof b);
    assert_string_equal(b, "08/30/22, 05:51 PM");
    sy_fmt(kith_days_from_civil(2021, 3, 15) * SY_DAY, "conn", b, sizeof b);
    assert_string_equal(b, "15 Mar 2021");
    t = kith_days_from_civil(2021, 9, 1) * SY_DAY + 12 * 3600 + 41 * 60 + 31;
    sy_fmt(t, "endorse", b, sizeof b);
    assert_string_equal(b, "2021/09/01 12:41:31 UTC");
    sy_fmt(t, "li", b, sizeof b);
    assert_string_equal(b, "2021-09-01 12:41:31 UTC");
    t = kith_days_from_civil(2020, 6, 11) * SY_DAY + 38 * 60 + 38;
    sy_fmt(t, "mbox", b, sizeof b);
    assert_string_equal(b, "Thu Jun 11 00:38:38 +0000 2020");
    sy_fmt(t - 3600, "invite", b, sizeof b);
    assert_string_equal(b, "6/10/20, 11:38 PM");
    sy_fmt(kith_days_from_civil(2020, 1, 1) * SY_DAY, "mon", b, sizeof b);
    assert_string_equal(b, "Jan 2020");
    sy_fmt(kith_days_from_civil(1988, 4, 15) * SY_DAY, "bday", b, sizeof b);
    assert_string_equal(b, "Apr 15, 1988");

    /* T is the last second of the month before the export month */
    kith_synth_opts o = {.persons = 20, .events = 100, .seed = 1, .export_date = "2026-11-15"};
    sy_ctx c;
    assert_int_equal(sy_ctx_init(&c, &o, NULL), KITH_OK);
    assert_int_equal(c.as_of, T);
    sy_ctx_destroy(&c);
    o.export_date = "2026-01-10";
    assert_int_equal(sy_ctx_init(&c, &o, NULL), KITH_OK);
    sy_fmt_iso(c.as_of, b, sizeof b);
    assert_string_equal(b, "2025-12-31T23:59:59Z");
    sy_ctx_destroy(&c);
    o.export_date = "2026-02-30";
    kith_diag d;
    assert_int_equal(sy_ctx_init(&c, &o, &d), KITH_ERR_USAGE);
    assert_non_null(strstr(d.reason, "2026-02-30"));
    sy_ctx_destroy(&c);
}

static void tiny_and_bad_options(void **state)
{
    (void)state;
    /* a handful of persons still gives a complete, parseable export */
    run("synth-tiny", 5, 10, 9);
    cJSON *j = load_plants("synth-tiny");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(j, "plants")) <= 2);
    cJSON_Delete(j);
    kith_synth_opts o = {.persons = 10, .events = 10, .seed = 1, .out = NULL};
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_synth(&o, &d), KITH_ERR_USAGE);
    o.out = "synth-x";
    o.persons = 0;
    assert_int_equal(kith_synth(&o, &d), KITH_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(connections_preamble_and_rows),
        cmocka_unit_test(plants_cover_every_status),
        cmocka_unit_test(judge_rules),
        cmocka_unit_test(dates_and_as_of),
        cmocka_unit_test(tiny_and_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
