/* Identity resolution, owner inference, exchange expansion and the load summary
 * (src/model/): models built by hand through the ingest API, checked against hand-computed
 * persons, events and groups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kith/model.h"

#define DAY 86400
#define T0 1700000000 /* 2023-11-14 */

static kith_ingest *new_ingest(const char *const *me, size_t n_me, bool strict)
{
    kith_ingest_opts o = {.strict = strict, .me = me, .n_me = n_me};
    kith_ingest *ing = NULL;
    assert_int_equal(kith_ingest_new(&ing, &o), KITH_OK);
    assert_non_null(ing);
    return ing;
}

static int32_t who(kith_ingest *ing, const char *name, const char *url, const char *email)
{
    kith_who w = {.name = name, .url = url, .email = email};
    return kith_ingest_who(ing, &w);
}

/* A connection or contacts entry. */
static int32_t contact(kith_ingest *ing, const char *name, const char *url, const char *email,
                       const char *company, int64_t connected_on)
{
    int32_t id = who(ing, name, url, email);
    assert_true(id >= 0);
    kith_contact c = {.company = company, .connected_on = connected_on, .connection = true};
    kith_ingest_row(ing);
    kith_ingest_contact(ing, id, &c);
    return id;
}

static kith_model *build(kith_ingest *ing)
{
    kith_model *m = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_model_build(ing, &m, &d), KITH_OK);
    assert_non_null(m);
    kith_ingest_free(ing);
    return m;
}

/* The index of the person with this display name, or -1. */
static int person(const kith_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_persons; i++)
        if (strcmp(m->persons[i].name, name) == 0)
            return (int)i;
    return -1;
}

static size_t count_events(const kith_model *m, int p, kith_kind kind, kith_dir dir)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i].person == p && m->events[i].kind == kind && m->events[i].dir == dir)
            n++;
    return n;
}

/* ------------------------------------------------------------------------------------------ */

static void url_forms_merge(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "export.zip:Connections.csv", "linkedin/connections");
    contact(ing, "Dana Okafor", "https://www.linkedin.com/in/dana-okafor-1a2b3c/?trk=x", NULL,
            "Acme, Inc.", T0);
    contact(ing, "Lee Park", "https://www.linkedin.com/in/leepark", NULL, "Globex", T0 + DAY);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "export.zip:Endorsement_Received_Info.csv",
                           "linkedin/endorsements-received");
    kith_ingest_row(ing);
    int32_t d = who(ing, "D. Okafor", "www.linkedin.com/in/dana-okafor-1a2b3c", NULL);
    kith_ingest_event(ing, T0 + 5 * DAY, KITH_K_ENDORSEMENT, KITH_DIR_IN, d, -1, -1);
    kith_ingest_row(ing);
    int32_t d2 = who(ing, "Dana Okafor", "linkedin.com/in/Dana-Okafor-1a2b3c/", NULL);
    kith_ingest_event(ing, T0 + 6 * DAY, KITH_K_ENDORSEMENT, KITH_DIR_IN, d2, -1, -1);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    assert_int_equal(m->n_persons, 2);
    int p = person(m, "Dana Okafor");
    assert_int_equal(p, 0); /* first mentioned first */
    assert_string_equal(m->persons[p].url, "linkedin.com/in/dana-okafor-1a2b3c");
    assert_string_equal(m->persons[p].name_key, "dana okafor");
    assert_string_equal(m->persons[p].company, "Acme, Inc.");
    assert_string_equal(m->persons[p].company_key, "acme");
    assert_string_equal(m->persons[p].sources,
                        "linkedin/connections; linkedin/endorsements-received");
    assert_true(m->persons[p].connection);
    assert_int_equal(m->persons[p].connected_on, T0);
    assert_int_equal(count_events(m, p, KITH_K_ENDORSEMENT, KITH_DIR_IN), 2);
    assert_int_equal(m->n_events, 2);
    assert_int_not_equal(m->events[0].item, m->events[1].item);
    assert_int_equal(m->first_time, T0);
    assert_int_equal(m->export_time, T0 + 6 * DAY);
    assert_int_equal(m->n_inputs, 2);
    assert_int_equal(m->inputs[0].rows, 2);
    assert_int_equal(m->n_warnings, 0);
    assert_string_equal(m->owner_name, "");
    assert_null(m->owner_url);
    kith_model_free(m);
}

static void email_case_merges(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "contacts.csv", "google-contacts");
    int32_t lee = who(ing, "Lee Park", NULL, "Lee@Example.COM");
    const char *more[] = {"LEE.PARK@work.example", "lee@example.com"};
    kith_contact c = {.company = "Globex", .position = "Director", .connected_on = KITH_NO_TIME,
                      .bday_month = 4, .bday_day = 2, .emails = more, .n_emails = 2,
                      .labels = "Friends; Work", .connection = true};
    kith_ingest_row(ing);
    kith_ingest_contact(ing, lee, &c);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t a = who(ing, NULL, NULL, " mailto:lee@EXAMPLE.com ");
    int32_t b = who(ing, "Lee P.", NULL, "lee.park@work.example");
    int32_t k1 = who(ing, "KAI NORD", NULL, "kai@example.com");
    kith_ingest_event(ing, T0, KITH_K_EMAIL, KITH_DIR_IN, k1, -1, -1);
    /* the same keys in one file are one mention: the first spelling stays */
    assert_int_equal(who(ing, "Kai Nord", NULL, "Kai@example.com"), k1);
    kith_ingest_row(ing);
    kith_ingest_event(ing, T0, KITH_K_EMAIL, KITH_DIR_IN, a, -1, -1);
    kith_ingest_row(ing);
    kith_ingest_event(ing, T0 + DAY, KITH_K_EMAIL, KITH_DIR_OUT, b, -1, -1);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "other.mbox", "mbox");
    kith_ingest_row(ing);
    assert_true(who(ing, "Kai Nord", NULL, "kai@example.com") >= 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    assert_int_equal(m->n_persons, 2);
    assert_string_equal(m->persons[1].name, "Kai Nord"); /* mixed case wins */
    const kith_person *p = &m->persons[0];
    assert_string_equal(p->name, "Lee Park");
    assert_string_equal(p->email, "lee@example.com");
    assert_string_equal(p->emails, "lee.park@work.example; lee@example.com");
    assert_string_equal(p->sources, "google-contacts; mbox");
    assert_string_equal(p->company, "Globex");
    assert_string_equal(p->position, "Director");
    assert_string_equal(p->labels, "Friends; Work");
    assert_int_equal(p->bday_month, 4);
    assert_int_equal(p->bday_day, 2);
    assert_int_equal(p->bday_year, 0);
    assert_null(p->url);
    assert_int_equal(m->n_events, 3);
    kith_model_free(m);
}

static void same_name_two_urls_and_name_only_mentions(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "Connections.csv", "linkedin/connections");
    contact(ing, "John Smith", "linkedin.com/in/john-smith-1", NULL, "Initech", T0);
    contact(ing, "John Smith", "linkedin.com/in/john-smith-2", NULL, "Globex", T0);
    contact(ing, "José García", "linkedin.com/in/jgarcia", NULL, "Acme", T0);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "Recommendations_Received.csv",
                           "linkedin/recommendations-received");
    kith_ingest_row(ing);
    int32_t js = who(ing, "John Smith", NULL, NULL);
    kith_ingest_event(ing, T0 + DAY, KITH_K_RECOMMENDATION, KITH_DIR_IN, js, -1, -1);
    kith_ingest_row(ing);
    int32_t jg = who(ing, "Jose Garcia, PhD", NULL, NULL);
    kith_ingest_event(ing, T0 + 2 * DAY, KITH_K_RECOMMENDATION, KITH_DIR_IN, jg, -1, -1);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    /* two John Smiths from connections, the ambiguous name-only one, and one José */
    assert_int_equal(m->n_persons, 4);
    assert_string_equal(m->persons[0].url, "linkedin.com/in/john-smith-1");
    assert_string_equal(m->persons[1].url, "linkedin.com/in/john-smith-2");
    assert_string_equal(m->persons[2].name, "José García");
    assert_string_equal(m->persons[3].name, "John Smith");
    assert_null(m->persons[3].url);
    assert_false(m->persons[3].connection);
    /* the name-only recommendation joined the unique José */
    assert_int_equal(count_events(m, 2, KITH_K_RECOMMENDATION, KITH_DIR_IN), 1);
    assert_string_equal(m->persons[2].sources,
                        "linkedin/connections; linkedin/recommendations-received");
    assert_int_equal(count_events(m, 3, KITH_K_RECOMMENDATION, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, 0, KITH_K_RECOMMENDATION, KITH_DIR_IN), 0);
    kith_model_free(m);
}

static void name_merges_across_files_when_unique(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "Connections.csv", "linkedin/connections");
    contact(ing, "Sam Ito", "linkedin.com/in/samito", NULL, "Initech Ltd", T0);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "contacts.vcf", "vcard");
    contact(ing, "Sam Ito 🚀", NULL, "sam@initech.example", "Initech", T0 - DAY);
    kith_ingest_end_file(ing);
    /* a mail file with two different Ari Lees: that name never merges */
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    kith_ingest_row(ing);
    int32_t a1 = who(ing, "Ari Lee", NULL, "ari@one.example");
    int32_t a2 = who(ing, "Ari Lee", NULL, "ari@two.example");
    kith_ingest_event(ing, T0, KITH_K_EMAIL, KITH_DIR_IN, a1, -1, -1);
    kith_ingest_event(ing, T0, KITH_K_EMAIL, KITH_DIR_IN, a2, -1, -1);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "Connections2.csv", "linkedin/connections");
    contact(ing, "Ari Lee", "linkedin.com/in/arilee", NULL, NULL, T0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    assert_int_equal(m->n_persons, 4); /* Sam, Ari one, Ari two, Ari (LinkedIn) */
    assert_string_equal(m->persons[0].name, "Sam Ito");
    assert_string_equal(m->persons[0].email, "sam@initech.example");
    assert_string_equal(m->persons[0].url, "linkedin.com/in/samito");
    /* LinkedIn's employer wins over the contacts file's */
    assert_string_equal(m->persons[0].company, "Initech Ltd");
    assert_int_equal(m->persons[0].connected_on, T0 - DAY);
    assert_string_equal(m->persons[0].sources, "linkedin/connections; vcard");
    kith_model_free(m);
}

static void owner_from_profile_name(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "Profile.csv", "linkedin/profile");
    kith_ingest_row(ing);
    kith_profile_in pr = {.first_name = "Dana", .last_name = "Okafor", .headline = "Engineer",
                          .skills = 3};
    kith_ingest_profile(ing, &pr);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "messages.csv", "linkedin/messages");
    int32_t dana = who(ing, "Dana Okafor", "linkedin.com/in/dana-okafor", NULL);
    int32_t lee = who(ing, "Lee Park", "linkedin.com/in/leepark", NULL);
    int32_t g = kith_ingest_group(ing, "conv-1");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_MESSAGE, dana, &lee, 1, g, 0);
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + DAY, KITH_K_MESSAGE, lee, &dana, 1, g, 0);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    kith_ingest_row(ing);
    int32_t dmail = who(ing, "Dana Okafor", NULL, "dana@home.example");
    int32_t lmail = who(ing, "Lee Park", NULL, "lee@example.com");
    kith_ingest_exchange(ing, T0 + 2 * DAY, KITH_K_EMAIL, dmail, &lmail, 1, -1, 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    assert_string_equal(m->owner_name, "Dana Okafor");
    assert_string_equal(m->owner_url, "linkedin.com/in/dana-okafor");
    assert_string_equal(m->owner_email, "dana@home.example");
    assert_int_equal(m->n_persons, 1);
    assert_string_equal(m->persons[0].name, "Lee Park");
    assert_string_equal(m->persons[0].email, "lee@example.com");
    assert_int_equal(count_events(m, 0, KITH_K_MESSAGE, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, 0, KITH_K_MESSAGE, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, 0, KITH_K_EMAIL, KITH_DIR_OUT), 1);
    assert_true(m->profile.present);
    assert_string_equal(m->profile.headline, "Engineer");
    assert_int_equal(m->profile.skills, 3);
    /* one conversation group, Lee its only member */
    assert_int_equal(m->n_groups, 1);
    assert_int_equal(m->groups[0].n, 1);
    assert_int_equal(m->groups[0].t, T0);
    assert_int_equal(m->group_members[m->groups[0].first], 0);
    kith_model_free(m);
}

static void owner_from_most_present_participant(void **state)
{
    (void)state;
    const char *me[] = {"", "  "}; /* --me values that say nothing: inference as usual */
    kith_ingest *ing = new_ingest(me, 2, false);
    kith_ingest_begin_file(ing, "messages.csv", "linkedin/messages");
    int32_t o = who(ing, "Quinn Avery", "https://www.linkedin.com/in/quinn", NULL);
    int32_t a = who(ing, "Ann Berg", "https://www.linkedin.com/in/ann", NULL);
    int32_t b = who(ing, "Bo Chen", "https://www.linkedin.com/in/bo", NULL);
    int32_t c = who(ing, "Cy Diaz", "https://www.linkedin.com/in/cy", NULL);
    int32_t g1 = kith_ingest_group(ing, "c1"), g2 = kith_ingest_group(ing, "c2"),
            g3 = kith_ingest_group(ing, "c3");
    kith_ingest_exchange(ing, T0, KITH_K_MESSAGE, o, &a, 1, g1, 0);
    kith_ingest_exchange(ing, T0 + 1, KITH_K_MESSAGE, a, &o, 1, g1, 0);
    kith_ingest_exchange(ing, T0 + 2, KITH_K_MESSAGE, o, &b, 1, g2, 0);
    kith_ingest_exchange(ing, T0 + 3, KITH_K_MESSAGE, c, &o, 1, g3, 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    assert_string_equal(m->owner_url, "linkedin.com/in/quinn");
    assert_string_equal(m->owner_name, "Quinn Avery");
    assert_int_equal(m->n_persons, 3);
    assert_int_equal(person(m, "Quinn Avery"), -1);
    int pa = person(m, "Ann Berg"), pb = person(m, "Bo Chen"), pc = person(m, "Cy Diaz");
    assert_int_equal(count_events(m, pa, KITH_K_MESSAGE, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, pa, KITH_K_MESSAGE, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, pb, KITH_K_MESSAGE, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, pc, KITH_K_MESSAGE, KITH_DIR_IN), 1);
    assert_int_equal(m->n_events, 4);
    assert_int_equal(m->n_groups, 3);
    kith_model_free(m);
}

static void no_owner_when_presence_is_a_tie(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "messages.csv", "linkedin/messages");
    int32_t a = who(ing, "Ann Berg", "linkedin.com/in/ann", NULL);
    int32_t b = who(ing, "Bo Chen", "linkedin.com/in/bo", NULL);
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_MESSAGE, a, &b, 1, kith_ingest_group(ing, "c1"), 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 2);
    assert_string_equal(m->owner_name, "");
    assert_int_equal(m->n_events, 0); /* the owner takes no part */
    assert_int_equal(m->n_warnings, 1);
    assert_non_null(strstr(m->warnings[0], "could not tell whose export this is"));
    assert_int_equal(m->n_groups, 1);
    assert_int_equal(m->groups[0].n, 2);
    kith_model_free(m);
}

static void owner_from_me(void **state)
{
    (void)state;
    const char *me[] = {"lee@example.com", "https://www.linkedin.com/in/LeePark/",
                        "Nobody Known"};
    kith_ingest *ing = new_ingest(me, 3, false);
    kith_ingest_begin_file(ing, "Profile.csv", "linkedin/profile");
    kith_profile_in pr = {.first_name = "Dana", .last_name = "Okafor"}; /* --me wins */
    kith_ingest_row(ing);
    kith_ingest_profile(ing, &pr);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "Connections.csv", "linkedin/connections");
    contact(ing, "Dana Okafor", "linkedin.com/in/dana", NULL, NULL, T0);
    kith_ingest_row(ing);
    int32_t lee_li = who(ing, "Lee Park", "linkedin.com/in/leepark", NULL);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t lee = who(ing, "Lee", NULL, "Lee@Example.com");
    int32_t dana = who(ing, "Dana Okafor", NULL, "dana@example.com");
    int32_t sam = who(ing, "Sam Ito", NULL, "sam@example.com");
    int32_t to[] = {dana, sam};
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + DAY, KITH_K_EMAIL, lee, to, 2, kith_ingest_group(ing, "m1"), 0);
    kith_ingest_end_file(ing);
    (void)lee_li;
    kith_model *m = build(ing);

    assert_string_equal(m->owner_email, "lee@example.com");
    assert_string_equal(m->owner_url, "linkedin.com/in/leepark");
    /* a --me name is the owner's name even when no one in the data goes by it */
    assert_string_equal(m->owner_name, "Nobody Known");
    assert_int_equal(m->n_warnings, 0);
    assert_int_equal(m->n_persons, 2);
    int pd = person(m, "Dana Okafor"), ps = person(m, "Sam Ito");
    assert_true(pd >= 0 && ps >= 0);
    for (size_t i = 0; i < m->n_persons; i++) {
        assert_true(m->persons[i].url == NULL ||
                    strcmp(m->persons[i].url, "linkedin.com/in/leepark") != 0);
        assert_true(m->persons[i].email == NULL ||
                    strcmp(m->persons[i].email, "lee@example.com") != 0);
    }
    /* owner sends to two: two out events sharing one item */
    assert_int_equal(m->n_events, 2);
    assert_int_equal(m->events[0].dir, KITH_DIR_OUT);
    assert_int_equal(m->events[1].dir, KITH_DIR_OUT);
    assert_int_equal(m->events[0].item, m->events[1].item);
    assert_int_equal(m->events[0].person, pd); /* sorted by time, then person */
    assert_int_equal(m->events[1].person, ps);
    kith_model_free(m);
}

static void exchange_expansion(void **state)
{
    (void)state;
    const char *me[] = {"Quinn Avery"};
    kith_ingest *ing = new_ingest(me, 1, false);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t o = who(ing, "Quinn Avery", NULL, "quinn@example.com");
    int32_t x = who(ing, "Xan Ng", NULL, "xan@example.com");
    int32_t y = who(ing, "Yui Sato", NULL, "yui@example.com");
    int32_t z = who(ing, "Zed Ruiz", NULL, "zed@example.com");
    /* X sends to the owner and Y: one in event, for X; X and Y share the group */
    int32_t to1[] = {o, y};
    int32_t g1 = kith_ingest_group(ing, "<msg1@example.com>");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_EMAIL, x, to1, 2, g1, 0);
    /* the owner writes to X, Y and X again: two out events, one item */
    int32_t to2[] = {x, y, x, -1};
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + DAY, KITH_K_EMAIL, o, to2, 4, -1, 0);
    /* Y sends to X and Z only: no event, but a group */
    int32_t to3[] = {x, z};
    int32_t g3 = kith_ingest_group(ing, "<msg3@example.com>");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + 2 * DAY, KITH_K_EMAIL, y, to3, 2, g3, 0);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "cal.ics", "ics");
    /* Z organizes a meeting with the owner, X and Y: every attendee gets an in event */
    int32_t to4[] = {o, x, y};
    int32_t g4 = kith_ingest_group(ing, "uid-1");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + 3 * DAY, KITH_K_MEETING, z, to4, 3, g4, KITH_EX_EVERYONE);
    /* the owner organizes one with X and Z: out events for both */
    int32_t to5[] = {x, z};
    int32_t g5 = kith_ingest_group(ing, "uid-2");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + 4 * DAY, KITH_K_MEETING, o, to5, 2, g5, KITH_EX_EVERYONE);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    assert_string_equal(m->owner_name, "Quinn Avery");
    assert_string_equal(m->owner_email, "quinn@example.com");
    assert_int_equal(m->n_persons, 3);
    int px = person(m, "Xan Ng"), py = person(m, "Yui Sato"), pz = person(m, "Zed Ruiz");
    assert_int_equal(px, 0);
    assert_int_equal(py, 1);
    assert_int_equal(pz, 2);
    assert_int_equal(count_events(m, px, KITH_K_EMAIL, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, py, KITH_K_EMAIL, KITH_DIR_IN), 0);
    assert_int_equal(count_events(m, px, KITH_K_EMAIL, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, py, KITH_K_EMAIL, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, pz, KITH_K_EMAIL, KITH_DIR_IN), 0);
    assert_int_equal(count_events(m, px, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, py, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, pz, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, px, KITH_K_MEETING, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, pz, KITH_K_MEETING, KITH_DIR_OUT), 1);
    assert_int_equal(m->n_events, 1 + 2 + 3 + 2);

    /* events sorted by time then person; the out mail's two events share an item */
    for (size_t i = 1; i < m->n_events; i++)
        assert_true(m->events[i - 1].t < m->events[i].t ||
                    (m->events[i - 1].t == m->events[i].t &&
                     m->events[i - 1].person <= m->events[i].person));
    assert_int_equal(m->events[1].t, T0 + DAY);
    assert_int_equal(m->events[1].item, m->events[2].item);
    assert_int_not_equal(m->events[0].item, m->events[1].item);
    assert_int_equal(m->events[3].item, m->events[4].item); /* one meeting, one item */
    assert_int_equal(m->events[0].group, 0);
    assert_int_equal(m->events[1].group, -1);

    /* groups by first time: g1 {X, Y}, g3 {X, Y, Z}, g4 {X, Y, Z}, g5 {X, Z} */
    assert_int_equal(m->n_groups, 4);
    uint32_t want_n[] = {2, 3, 3, 2};
    int64_t want_t[] = {T0, T0 + 2 * DAY, T0 + 3 * DAY, T0 + 4 * DAY};
    for (int g = 0; g < 4; g++) {
        assert_int_equal(m->groups[g].n, want_n[g]);
        assert_int_equal(m->groups[g].t, want_t[g]);
    }
    assert_int_equal(m->group_members[m->groups[0].first], px);
    assert_int_equal(m->group_members[m->groups[0].first + 1], py);
    assert_int_equal(m->group_members[m->groups[3].first], px);
    assert_int_equal(m->group_members[m->groups[3].first + 1], pz);
    assert_int_equal(m->n_group_members, 10);
    kith_model_free(m);
}

static void intros_and_activity(void **state)
{
    (void)state;
    const char *me[] = {"quinn@example.com"};
    kith_ingest *ing = new_ingest(me, 1, false);
    kith_ingest_begin_file(ing, "crm.csv", "generic");
    int32_t o = who(ing, "Quinn", NULL, "quinn@example.com");
    int32_t a = who(ing, "Ann Berg", NULL, "ann@example.com");
    int32_t b = who(ing, "Bo Chen", NULL, NULL);
    kith_ingest_row(ing);
    kith_ingest_intro(ing, T0 + 10, a, b);
    kith_ingest_intro(ing, T0 + 11, a, o); /* the owner is never a party */
    kith_ingest_event(ing, T0 + 10, KITH_K_INTRODUCTION, KITH_DIR_OUT, a, -1, -1);
    kith_ingest_activity(ing, T0 + 50, KITH_ACT_COMMENT);
    kith_ingest_activity(ing, T0 - 50, KITH_ACT_SHARE);
    kith_ingest_export_date(ing, T0 + 1000 * DAY);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(m->n_intros, 1);
    assert_int_equal(m->intros[0].a, person(m, "Ann Berg"));
    assert_int_equal(m->intros[0].b, person(m, "Bo Chen"));
    assert_int_equal(m->n_activity, 2);
    assert_int_equal(m->activity[0].t, T0 - 50);
    assert_int_equal(m->activity[0].what, KITH_ACT_SHARE);
    assert_int_equal(m->first_time, T0 - 50);
    assert_int_equal(m->export_time, T0 + 1000 * DAY);
    kith_model_free(m);
}

static void zero_row_warning_and_stats(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest_begin_file(ing, "export.zip:Invitations.csv", "linkedin/invitations");
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "bad.csv", "generic");
    kith_ingest_row(ing);
    assert_int_equal(kith_ingest_skip(ing, 2, &d, "bad date '%s'", "31/02"), KITH_OK);
    kith_ingest_row(ing);
    assert_int_equal(kith_ingest_skip(ing, 3, &d, "bad date '%s'", "x"), KITH_OK);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    for (int i = 0; i < 5; i++)
        kith_ingest_row(ing);
    kith_ingest_drop(ing, "spam");
    kith_ingest_drop(ing, "spam");
    kith_ingest_drop(ing, "draft");
    kith_ingest_skip(ing, 10, &d, "no sender");
    kith_ingest_skip(ing, 20, &d, "no sender");
    kith_ingest_skip(ing, 30, &d, "bad date '%s'", "y");
    kith_ingest_skip(ing, 40, &d, "bad date '%s'", "z");
    kith_ingest_warn(ing, "a note %d", 7);
    /* the file is still open: the build ends it */
    kith_model *m = build(ing);

    assert_int_equal(m->n_inputs, 3);
    assert_int_equal(m->n_warnings, 4);
    assert_string_equal(m->warnings[0],
                        "export.zip:Invitations.csv: recognized as linkedin/invitations but no "
                        "usable rows");
    assert_string_equal(m->warnings[1], "bad.csv: recognized as generic but no usable rows");
    assert_string_equal(m->warnings[2], "a note 7");
    assert_string_equal(m->warnings[3], "mail.mbox: recognized as mbox but no usable rows");
    const kith_input_stat *s = &m->inputs[1];
    assert_int_equal(s->rows, 2);
    assert_int_equal(s->skipped, 2);
    assert_int_equal(s->n_reasons, 1);
    assert_string_equal(s->reasons[0].reason, "bad date");
    assert_int_equal(s->reasons[0].count, 2);
    assert_int_equal(s->n_first_skips, 2);
    assert_int_equal(s->first_skips[0].line, 2);
    assert_string_equal(s->first_skips[0].reason, "bad date '31/02'");
    s = &m->inputs[2];
    assert_int_equal(s->rows, 5);
    assert_int_equal(s->dropped, 3);
    assert_int_equal(s->skipped, 4);
    assert_int_equal(s->n_reasons, 4);
    assert_string_equal(s->reasons[0].reason, "spam");
    assert_true(s->reasons[0].dropped);
    assert_int_equal(s->reasons[0].count, 2);
    assert_string_equal(s->reasons[2].reason, "no sender");
    assert_false(s->reasons[2].dropped);
    assert_int_equal(s->reasons[2].count, 2);
    assert_int_equal(s->n_first_skips, 3);
    assert_int_equal(s->first_skips[2].line, 30);
    assert_int_equal(m->n_persons, 0);
    assert_int_equal(m->first_time, KITH_NO_TIME);
    assert_int_equal(m->export_time, KITH_NO_TIME);
    kith_model_free(m);
}

static void strict_skip_is_an_error(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, true);
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest_begin_file(ing, "export.zip:Connections.csv", "linkedin/connections");
    kith_ingest_row(ing);
    assert_int_equal(kith_ingest_skip(ing, 7, &d, "missing name and URL"), KITH_ERR_STRICT);
    assert_string_equal(d.file, "export.zip:Connections.csv");
    assert_int_equal(d.line, 7);
    assert_string_equal(d.reason, "missing name and URL");
    kith_ingest_free(ing);
}

static void mentions_are_interned(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "a.csv", "generic");
    int32_t a = who(ing, "Dana Okafor", NULL, "dana@example.com");
    int32_t b = who(ing, "DANA  OKAFOR", NULL, "Dana@Example.com");
    int32_t c = who(ing, "Dana Okafor", NULL, NULL);
    kith_who first_last = {.first = "Dana", .last = "Okafor", .email = "dana@example.com"};
    int32_t e = kith_ingest_who(ing, &first_last);
    assert_true(a >= 0);
    assert_int_equal(a, b);
    assert_int_not_equal(a, c);
    assert_int_equal(a, e);
    assert_int_equal(who(ing, NULL, NULL, NULL), -1);
    assert_int_equal(who(ing, "🚀", "", "not-an-email"), -1);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "b.csv", "generic");
    assert_int_not_equal(who(ing, "Dana Okafor", NULL, "dana@example.com"), a); /* per file */
    kith_ingest_end_file(ing);
    assert_int_equal(kith_kind_parse(" Meeting "), KITH_K_MEETING);
    assert_int_equal(kith_kind_parse("nope"), -1);
    assert_string_equal(kith_kind_name(KITH_K_REACTION), "reaction");
    assert_null(kith_kind_name(KITH_K__COUNT));
    kith_ingest_free(ing);
    kith_ingest_free(NULL);
    kith_model_free(NULL);
}

static void owner_email_votes(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t me = who(ing, "Q", NULL, "q@example.com");
    int32_t alt = who(ing, "Quinn A", NULL, "quinn@old.example");
    int32_t a = who(ing, "Ann Berg", NULL, "ann@example.com");
    kith_ingest_owner_email_vote(ing, "Q@example.com");
    kith_ingest_owner_email_vote(ing, "q@example.com");
    kith_ingest_owner_email_vote(ing, "quinn@old.example");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_EMAIL, me, &a, 1, -1, 0);
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_EMAIL, a, &alt, 1, -1, 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_string_equal(m->owner_email, "q@example.com");
    /* the less-voted address is not the owner: it stays a person */
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(count_events(m, person(m, "Ann Berg"), KITH_K_EMAIL, KITH_DIR_OUT), 1);
    kith_model_free(m);
}


static void placeholders_labels_and_reason_overflow(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_diag d;
    kith_ingest_begin_file(ing, "messages.csv", "linkedin/messages");
    assert_int_equal(who(ing, "LinkedIn Member", NULL, NULL), -1);
    assert_int_equal(who(ing, "LinkedIn Member", "", ""), -1);
    assert_true(who(ing, "LinkedIn Member", "linkedin.com/in/ghost", NULL) >= 0);
    kith_ingest_row(ing);
    for (int i = 0; i < 12; i++)
        kith_ingest_skip(ing, 10 + i, &d, "reason %c", 'a' + i);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "a.vcf", "vcard");
    int32_t x = who(ing, "Ann Berg", NULL, "ann@example.com");
    kith_contact c1 = {.labels = "Work; Friends", .bday_month = 5, .bday_day = 6,
                       .connected_on = KITH_NO_TIME};
    kith_ingest_row(ing);
    kith_ingest_contact(ing, x, &c1);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "b.csv", "google-contacts");
    int32_t y = who(ing, "Ann Berg", NULL, "ANN@example.com");
    kith_contact c2 = {.labels = " Book club ;Work", .bday_year = 1990, .bday_month = 5,
                       .bday_day = 6, .connected_on = KITH_NO_TIME};
    kith_ingest_row(ing);
    kith_ingest_contact(ing, y, &c2);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);

    const kith_input_stat *s = &m->inputs[0];
    assert_int_equal(s->skipped, 12);
    assert_int_equal(s->n_reasons, KITH_MAX_REASONS);
    assert_string_equal(s->reasons[KITH_MAX_REASONS - 1].reason, "other");
    assert_int_equal(s->reasons[KITH_MAX_REASONS - 1].count, 12 - (KITH_MAX_REASONS - 1));
    assert_string_equal(s->reasons[0].reason, "reason a");
    assert_int_equal(m->n_persons, 2);
    int p = person(m, "Ann Berg");
    assert_string_equal(m->persons[p].labels, "Book club; Friends; Work");
    assert_int_equal(m->persons[p].bday_year, 1990);
    assert_int_equal(m->persons[p].bday_month, 5);
    assert_false(m->persons[p].connection);
    assert_int_equal(m->persons[p].connected_on, KITH_NO_TIME);
    kith_model_free(m);
}

/* The same input gives the same persons, events and groups. */
static kith_model *determinism_model(void)
{
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "messages.csv", "linkedin/messages");
    int32_t o = who(ing, "Quinn Avery", "linkedin.com/in/quinn", NULL);
    char name[32], url[64];
    for (int i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "Person %c%c", 'a' + i % 26, 'a' + i / 26);
        snprintf(url, sizeof url, "linkedin.com/in/p%d", (i * 7) % 40);
        int32_t p = who(ing, name, url, NULL);
        snprintf(name, sizeof name, "c%d", i % 9);
        int32_t g = kith_ingest_group(ing, name);
        kith_ingest_row(ing);
        if (i % 2)
            kith_ingest_exchange(ing, T0 + (i % 5) * DAY, KITH_K_MESSAGE, o, &p, 1, g, 0);
        else
            kith_ingest_exchange(ing, T0 + (i % 5) * DAY, KITH_K_MESSAGE, p, &o, 1, g, 0);
    }
    kith_ingest_end_file(ing);
    return build(ing);
}

static void same_input_same_model(void **state)
{
    (void)state;
    kith_model *a = determinism_model(), *b = determinism_model();
    assert_string_equal(a->owner_url, "linkedin.com/in/quinn");
    assert_int_equal(a->n_persons, 40);
    assert_int_equal(a->n_persons, b->n_persons);
    for (size_t i = 0; i < a->n_persons; i++)
        assert_string_equal(a->persons[i].url, b->persons[i].url);
    assert_int_equal(a->n_events, 40);
    for (size_t i = 0; i < a->n_events; i++) {
        assert_int_equal(a->events[i].t, b->events[i].t);
        assert_int_equal(a->events[i].person, b->events[i].person);
        assert_int_equal(a->events[i].group, b->events[i].group);
        assert_int_equal(a->events[i].item, b->events[i].item);
        assert_int_equal(a->events[i].dir, b->events[i].dir);
        if (i > 0)
            assert_true(a->events[i - 1].t <= a->events[i].t);
    }
    assert_int_equal(a->n_groups, 9);
    assert_memory_equal(a->groups, b->groups, a->n_groups * sizeof *a->groups);
    assert_memory_equal(a->group_members, b->group_members,
                        a->n_group_members * sizeof *a->group_members);
    kith_model_free(a);
    kith_model_free(b);
}

static void owner_aliases_follow_full_names(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t home = who(ing, "Dana Okafor", NULL, "dana@home.example");
    int32_t work = who(ing, "Dana Okafor", NULL, "dana.okafor@work.example");
    int32_t ann = who(ing, "Ann Berg", NULL, "ann@example.com");
    for (int i = 0; i < 3; i++)
        kith_ingest_owner_email_vote(ing, "dana@home.example");
    kith_ingest_owner_email_vote(ing, "dana.okafor@work.example");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_EMAIL, home, &ann, 1, -1, 0);
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0 + DAY, KITH_K_EMAIL, ann, &work, 1, -1, 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_string_equal(m->owner_email, "dana@home.example");
    assert_string_equal(m->owner_name, "Dana Okafor");
    assert_int_equal(m->n_persons, 1);
    assert_string_equal(m->persons[0].name, "Ann Berg");
    assert_int_equal(count_events(m, 0, KITH_K_EMAIL, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, 0, KITH_K_EMAIL, KITH_DIR_IN), 1);
    kith_model_free(m);
}

static void address_only_persons(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t a = who(ing, "kai@example.com", NULL, "Kai@example.com");
    assert_int_equal(a, who(ing, NULL, NULL, "kai@example.com"));
    kith_ingest_row(ing);
    kith_ingest_event(ing, T0, KITH_K_EMAIL, KITH_DIR_IN, a, -1, -1);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 1);
    assert_string_equal(m->persons[0].name, "kai@example.com");
    assert_string_equal(m->persons[0].name_key, "");
    kith_model_free(m);
}

static void bare_name_beside_keyed_one_is_no_second_person(void **state)
{
    (void)state;
    kith_ingest *ing = new_ingest(NULL, 0, false);
    kith_ingest_begin_file(ing, "Connections.csv", "linkedin/connections");
    contact(ing, "Lee Park", "linkedin.com/in/leepark", NULL, "Globex", T0);
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "crm.csv", "generic");
    kith_ingest_row(ing);
    int32_t a = who(ing, "Lee Park", NULL, "lee@example.com");
    kith_ingest_event(ing, T0, KITH_K_CALL, KITH_DIR_OUT, a, -1, -1);
    kith_ingest_row(ing);
    int32_t b = who(ing, "Ann Berg", NULL, "ann@example.com");
    int32_t lee = who(ing, "Lee Park", NULL, NULL); /* from a `with` column */
    int32_t g = kith_ingest_group(ing, "crm.csv:3");
    kith_ingest_event(ing, T0 + DAY, KITH_K_MEETING, KITH_DIR_OUT, b, g, -1);
    kith_ingest_event(ing, T0 + DAY, KITH_K_MEETING, KITH_DIR_OUT, lee, g, -1);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 2);
    int p = person(m, "Lee Park");
    assert_int_equal(p, 0);
    assert_string_equal(m->persons[p].url, "linkedin.com/in/leepark");
    assert_string_equal(m->persons[p].email, "lee@example.com");
    assert_int_equal(count_events(m, p, KITH_K_CALL, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, p, KITH_K_MEETING, KITH_DIR_OUT), 1);
    assert_int_equal(m->n_groups, 1);
    assert_int_equal(m->groups[0].n, 2);
    kith_model_free(m);
}

static void me_matching_no_one_warns_when_exchanges_need_it(void **state)
{
    (void)state;
    const char *me[] = {"Nobody Known"};
    kith_ingest *ing = new_ingest(me, 1, false);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    int32_t a = who(ing, "Ann Berg", NULL, "ann@example.com");
    int32_t b = who(ing, "Bo Chen", NULL, "bo@example.com");
    kith_ingest_row(ing);
    kith_ingest_exchange(ing, T0, KITH_K_EMAIL, a, &b, 1, -1, 0);
    kith_ingest_end_file(ing);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(m->n_events, 0);
    assert_int_equal(m->n_warnings, 1);
    assert_non_null(strstr(m->warnings[0], "no --me value matches anyone"));
    kith_model_free(m);
}

static int rnd(unsigned *seed, int n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (int)((*seed >> 16) % (unsigned)n);
}

/* Random calls (fixed seed), invalid ids included, never break the model's invariants. */
static void random_calls_keep_invariants(void **state)
{
    (void)state;
    const char *names[] = {"Ann Berg", "Bo Chen", "Cy Diaz", "Ann  Berg", "BO CHEN", NULL, "",
                           "Quinn Avery", "LinkedIn Member", "🚀"};
    const char *urls[] = {NULL, "linkedin.com/in/ann", "https://www.linkedin.com/in/bo/",
                          "linkedin.com/in/quinn", "", "nonsense"};
    const char *mails[] = {NULL, "ann@example.com", "BO@example.com", "quinn@example.com",
                           "bad", ""};
    const char *kinds[] = {"linkedin/messages", "mbox", "ics", "generic"};
    unsigned seed = 99;
#define RND(n) rnd(&seed, (n))
    for (int round = 0; round < 30; round++) {
        const char *me[] = {"quinn@example.com"};
        kith_ingest *ing = new_ingest(me, (size_t)(round % 2), false);
        int32_t ids[64];
        size_t n_ids = 0;
        for (int f = 0; f < 4; f++) {
            kith_ingest_begin_file(ing, kinds[f], kinds[f]);
            for (int op = 0; op < 60; op++) {
                kith_ingest_row(ing);
                int32_t a = n_ids ? ids[RND(n_ids)] : -1, b = RND(5) ? a : 12345;
                switch (RND(7)) {
                case 0:
                case 1: {
                    int32_t id = who(ing, names[RND(10)], urls[RND(6)], mails[RND(6)]);
                    if (id >= 0 && n_ids < 64)
                        ids[n_ids++] = id;
                    break;
                }
                case 2:
                    kith_ingest_event(ing, T0 + RND(100) * DAY, (kith_kind)RND(KITH_K__COUNT),
                                      (kith_dir)RND(2), b, RND(3) - 1, -1);
                    break;
                case 3: {
                    int32_t to[3] = {n_ids ? ids[RND(n_ids)] : -1, -1, b};
                    char key[8];
                    snprintf(key, sizeof key, "g%d", RND(5));
                    kith_ingest_exchange(ing, T0 + RND(100) * DAY, (kith_kind)RND(3), a, to, 3,
                                         kith_ingest_group(ing, key), (unsigned)RND(2));
                    break;
                }
                case 4: {
                    kith_contact c = {.company = RND(2) ? "Acme Inc" : NULL,
                                      .connected_on = RND(2) ? T0 : KITH_NO_TIME,
                                      .bday_month = RND(14), .bday_day = RND(33),
                                      .connection = RND(2)};
                    kith_ingest_contact(ing, b, &c);
                    break;
                }
                case 5:
                    kith_ingest_intro(ing, T0, a, n_ids ? ids[RND(n_ids)] : -1);
                    break;
                default:
                    kith_ingest_owner_email_vote(ing, mails[RND(6)]);
                }
            }
            kith_ingest_end_file(ing);
            n_ids = 0; /* ids are per file in spirit; old ones stay valid anyway */
        }
        kith_model *m = build(ing);
        for (size_t i = 0; i < m->n_persons; i++) {
            assert_non_null(m->persons[i].name);
            assert_non_null(m->persons[i].name_key);
            assert_true(m->persons[i].bday_month >= 0 && m->persons[i].bday_month <= 12);
        }
        for (size_t i = 0; i < m->n_events; i++) {
            const kith_event *e = &m->events[i];
            assert_true(e->person >= 0 && (size_t)e->person < m->n_persons);
            assert_true(e->group >= -1 && e->group < (int32_t)m->n_groups);
            assert_true(e->kind < KITH_K__COUNT && e->dir <= 1);
            if (i)
                assert_true(m->events[i - 1].t < e->t ||
                            (m->events[i - 1].t == e->t && m->events[i - 1].person <= e->person));
        }
        size_t members = 0;
        for (size_t g = 0; g < m->n_groups; g++) {
            assert_true(m->groups[g].n > 0);
            assert_int_equal(m->groups[g].first, members);
            if (g)
                assert_true(m->groups[g - 1].t <= m->groups[g].t);
            for (uint32_t k = 0; k < m->groups[g].n; k++) {
                int32_t p = m->group_members[m->groups[g].first + k];
                assert_true(p >= 0 && (size_t)p < m->n_persons);
                if (k)
                    assert_true(m->group_members[m->groups[g].first + k - 1] < p);
            }
            members += m->groups[g].n;
        }
        assert_int_equal(members, m->n_group_members);
        for (size_t i = 0; i < m->n_intros; i++)
            assert_true(m->intros[i].a != m->intros[i].b && m->intros[i].a >= 0 &&
                        (size_t)m->intros[i].b < m->n_persons);
        kith_model_free(m);
    }
#undef RND
}

static void same_message_in_two_files_counts_once(void **state)
{
    (void)state;
    const char *me[] = {"quinn@example.com"};
    kith_ingest *ing = new_ingest(me, 1, false);
    for (int f = 0; f < 2; f++) {
        kith_ingest_begin_file(ing, f ? "all.mbox" : "inbox.mbox", "mbox");
        int32_t o = who(ing, "Quinn Avery", NULL, "quinn@example.com");
        int32_t a = who(ing, "Ann Berg", NULL, "ann@example.com");
        int32_t g = kith_ingest_group(ing, "<m1@example.com>");
        kith_ingest_row(ing);
        kith_ingest_exchange(ing, T0, KITH_K_EMAIL, a, &o, 1, g, 0);
        if (f == 0) { /* a second message in one second, same thread, same file: kept */
            kith_ingest_row(ing);
            kith_ingest_exchange(ing, T0, KITH_K_EMAIL, a, &o, 1, g, 0);
        }
        kith_ingest_end_file(ing);
    }
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 1);
    assert_int_equal(m->n_events, 2);
    assert_int_equal(m->n_warnings, 1);
    assert_string_equal(m->warnings[0],
                        "1 message or meeting found in more than one file: counted once");
    kith_model_free(m);
}

/* A contacts entry under a nickname the owner typed ("Ji-woo from Globex", more words) and
 * the LinkedIn connection with the same e-mail: one person, shown under the profile's own
 * name, whichever file comes first. */
static void profile_name_beats_typed_nickname(void **state)
{
    (void)state;
    for (int order = 0; order < 2; order++) {
        kith_ingest *ing = new_ingest(NULL, 0, false);
        for (int k = 0; k < 2; k++) {
            if ((k == 0) == (order == 0)) {
                kith_ingest_begin_file(ing, "google.csv", "google-contacts");
                contact(ing, "Ji-woo from Globex", NULL, "jiwoo@globex.example", "Globex", T0);
            } else {
                kith_ingest_begin_file(ing, "Connections.csv", "linkedin/connections");
                contact(ing, "Ji-woo O'Brien", "https://www.linkedin.com/in/jiwoo-obrien",
                        "jiwoo@globex.example", "Globex Corp.", T0);
            }
            kith_ingest_end_file(ing);
        }
        kith_model *m = build(ing);
        assert_int_equal(m->n_persons, 1);
        assert_string_equal(m->persons[0].name, "Ji-woo O'Brien");
        assert_string_equal(m->persons[0].url, "linkedin.com/in/jiwoo-obrien");
        kith_model_free(m);
    }
}

/* Group membership for few and many (group, person) pairs: the build sorts them with qsort
 * below its radix threshold (4096 pairs) and by radix above it; both must give each group its
 * distinct members in person order, groups in time order. */
static void group_members_few_and_many(void **state)
{
    (void)state;
    enum { P = 97 };
    static const size_t sizes[] = {40, 1800}; /* about 160 and 7200 pairs */
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t G = sizes[k];
        const char *me[] = {"Quinn Avery"};
        kith_ingest *ing = new_ingest(me, 1, false);
        kith_ingest_begin_file(ing, "mail.mbox", "mbox");
        int32_t o = who(ing, "Quinn Avery", NULL, "quinn@example.com");
        int32_t ids[P];
        for (int i = 0; i < P; i++) {
            char name[32], mail[48];
            snprintf(name, sizeof name, "Person %02d", i);
            snprintf(mail, sizeof mail, "p%d@example.com", i);
            ids[i] = who(ing, name, NULL, mail);
        }
        for (size_t g = 0; g < G; g++) {
            char key[48];
            snprintf(key, sizeof key, "<g%zu@example.com>", g);
            int32_t gid = kith_ingest_group(ing, key);
            /* later groups first in the file; a member twice; a reply adds no one */
            int64_t t = T0 + (int64_t)(G - g) * 60;
            int32_t to[] = {ids[g % P], ids[(g * 7 + 1) % P], ids[(g * 13 + 2) % P], ids[g % P]};
            kith_ingest_row(ing);
            kith_ingest_exchange(ing, t, KITH_K_EMAIL, o, to, 4, gid, 0);
            kith_ingest_row(ing);
            kith_ingest_exchange(ing, t + 1, KITH_K_EMAIL, ids[(g * 7 + 1) % P], &o, 1, gid, 0);
        }
        kith_ingest_end_file(ing);
        kith_model *m = build(ing);
        assert_int_equal(m->n_groups, G);
        size_t members = 0;
        for (size_t j = 0; j < m->n_groups; j++) {
            const kith_group *gr = &m->groups[j];
            size_t g = G - (size_t)((gr->t - T0) / 60); /* groups[0] is the last in the file */
            assert_int_equal(g, G - 1 - j);
            assert_int_equal(gr->t, T0 + (int64_t)(G - g) * 60);
            int want[3] = {(int)(g % P), (int)((g * 7 + 1) % P), (int)((g * 13 + 2) % P)};
            size_t n_want = 1 + (want[1] != want[0]) + (want[2] != want[0] && want[2] != want[1]);
            assert_int_equal(gr->n, n_want);
            for (uint32_t i = 0; i < gr->n; i++) {
                int32_t p = m->group_members[gr->first + i];
                if (i)
                    assert_true(p > m->group_members[gr->first + i - 1]);
                int num = atoi(m->persons[p].name + strlen("Person "));
                assert_true(num == want[0] || num == want[1] || num == want[2]);
            }
            members += gr->n;
        }
        assert_int_equal(m->n_group_members, members);
        kith_model_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_forms_merge),
        cmocka_unit_test(profile_name_beats_typed_nickname),
        cmocka_unit_test(group_members_few_and_many),
        cmocka_unit_test(email_case_merges),
        cmocka_unit_test(same_name_two_urls_and_name_only_mentions),
        cmocka_unit_test(name_merges_across_files_when_unique),
        cmocka_unit_test(owner_from_profile_name),
        cmocka_unit_test(owner_from_most_present_participant),
        cmocka_unit_test(no_owner_when_presence_is_a_tie),
        cmocka_unit_test(owner_from_me),
        cmocka_unit_test(exchange_expansion),
        cmocka_unit_test(intros_and_activity),
        cmocka_unit_test(zero_row_warning_and_stats),
        cmocka_unit_test(strict_skip_is_an_error),
        cmocka_unit_test(mentions_are_interned),
        cmocka_unit_test(owner_email_votes),
        cmocka_unit_test(placeholders_labels_and_reason_overflow),
        cmocka_unit_test(same_input_same_model),
        cmocka_unit_test(owner_aliases_follow_full_names),
        cmocka_unit_test(address_only_persons),
        cmocka_unit_test(bare_name_beside_keyed_one_is_no_second_person),
        cmocka_unit_test(me_matching_no_one_warns_when_exchanges_need_it),
        cmocka_unit_test(random_calls_keep_invariants),
        cmocka_unit_test(same_message_in_two_files_counts_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
