#define _GNU_SOURCE
#include <unistd.h>
#include <fcntl.h>
/* LinkedIn readers and the loader: the hand-made export in fixtures/linkedin-small (every
 * quirk of export-formats.md §1) read through kith_load, and the older variants read from
 * memory, each checked against hand-counted rows, skips, persons and events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/sources/reader.h"
#include "kith/sources.h"

#define FIXTURE KITH_FIXTURES "/linkedin-small"

static kith_model *load_fixture(void)
{
    const char *paths[] = {FIXTURE};
    kith_model *m = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    kith_err e = kith_load(paths, 1, NULL, &m, &d);
    if (e != KITH_OK)
        fail_msg("kith_load: %s:%ld: %s", d.file, d.line, d.reason);
    return m;
}

static const kith_input_stat *stat_of(const kith_model *m, const char *file)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", FIXTURE, file);
    for (size_t i = 0; i < m->n_inputs; i++)
        if (strcmp(m->inputs[i].path, path) == 0)
            return &m->inputs[i];
    return NULL;
}

static void expect_stat(const kith_model *m, const char *file, const char *kind, long rows,
                        long skipped, long dropped)
{
    const kith_input_stat *s = stat_of(m, file);
    if (!s)
        fail_msg("%s was not read", file);
    assert_string_equal(s->kind, kind);
    assert_int_equal(s->rows, rows);
    assert_int_equal(s->skipped, skipped);
    assert_int_equal(s->dropped, dropped);
}

static const kith_person *by_url(const kith_model *m, const char *url)
{
    for (size_t i = 0; i < m->n_persons; i++)
        if (m->persons[i].url && strcmp(m->persons[i].url, url) == 0)
            return &m->persons[i];
    return NULL;
}

static long count_events(const kith_model *m, kith_kind kind, kith_dir dir)
{
    long n = 0;
    for (size_t i = 0; i < m->n_events; i++)
        n += m->events[i].kind == kind && m->events[i].dir == dir;
    return n;
}

static void test_fixture_files(void **state)
{
    (void)state;
    kith_model *m = load_fixture();
    /* 13 known files; guide_messages, learning_role_play_messages, Rich_Media ignored. */
    assert_int_equal(m->n_inputs, 13);
    expect_stat(m, "Connections.csv", "linkedin/connections", 9, 3, 0);
    expect_stat(m, "messages.csv", "linkedin/messages", 10, 1, 2);
    expect_stat(m, "Invitations.csv", "linkedin/invitations", 3, 1, 0);
    expect_stat(m, "Endorsement_Received_Info.csv", "linkedin/endorsements-received", 3, 0, 1);
    expect_stat(m, "Endorsement_Given_Info.csv", "linkedin/endorsements-given", 1, 0, 0);
    expect_stat(m, "Recommendations_Received.csv", "linkedin/recommendations-received", 2, 0, 1);
    expect_stat(m, "Recommendations Given.csv", "linkedin/recommendations-given", 1, 0, 0);
    expect_stat(m, "Profile.csv", "linkedin/profile", 1, 0, 0);
    expect_stat(m, "Positions.csv", "linkedin/positions", 2, 0, 0);
    expect_stat(m, "Skills.csv", "linkedin/skills", 6, 1, 0);
    expect_stat(m, "Shares.csv", "linkedin/shares", 1, 0, 0);
    expect_stat(m, "Comments_12345.csv", "linkedin/comments", 3, 1, 0);
    expect_stat(m, "Reactions.csv", "linkedin/reactions", 2, 0, 0);
    assert_null(stat_of(m, "guide_messages.csv"));

    /* Skips carry the line where the record starts (preamble, BOM and CRLF counted). */
    const kith_input_stat *c = stat_of(m, "Connections.csv");
    assert_int_equal(c->n_first_skips, 3);
    assert_int_equal(c->first_skips[0].line, 9);
    assert_string_equal(c->first_skips[0].reason, "no name, only a URL");
    assert_int_equal(c->first_skips[1].line, 10);
    assert_string_equal(c->first_skips[1].reason, "bad date '31 Feb 2021'");
    assert_int_equal(c->first_skips[2].line, 12);
    assert_string_equal(c->first_skips[2].reason, "missing name and URL");
    /* The bad date of messages sits after two multi-line rows: line 11, not row 9. */
    const kith_input_stat *msg = stat_of(m, "messages.csv");
    assert_int_equal(msg->first_skips[0].line, 11);
    /* Comments.csv: the \" row spans lines 3-4, the bad date is on line 5. */
    assert_int_equal(stat_of(m, "Comments_12345.csv")->first_skips[0].line, 5);
    assert_int_equal(m->n_warnings, 0);
    kith_model_free(m);
}

static void test_fixture_model(void **state)
{
    (void)state;
    kith_model *m = load_fixture();
    /* Lee, Sam, Casey, José, Avery, Morgan (connections) + Priya (invitation). */
    assert_int_equal(m->n_persons, 7);
    assert_string_equal(m->owner_name, "Riley Moreau");
    assert_non_null(m->owner_url);
    assert_string_equal(m->owner_url, "linkedin.com/in/rileymoreau");

    const kith_person *lee = by_url(m, "linkedin.com/in/leepark");
    assert_non_null(lee);
    assert_string_equal(lee->name, "Lee Park");
    assert_string_equal(lee->company, "Globex");
    assert_string_equal(lee->position, "Director, Sales");
    assert_string_equal(lee->email, "lee@example.com");
    assert_int_equal(lee->connected_on, 1546473600); /* 03 Jan 2019 */
    assert_true(lee->connection);

    /* %-encoded in Connections, raw Unicode in messages: one person. */
    const kith_person *jose = by_url(m, "linkedin.com/in/jos\xC3\xA9-garc\xC3\xAD"
                                        "a");
    assert_non_null(jose);
    assert_int_equal(jose->connected_on, 1602288000);
    int jose_i = (int)(jose - m->persons), jose_msgs = 0;
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i].person == jose_i && m->events[i].kind == KITH_K_MESSAGE) {
            jose_msgs++;
            assert_int_equal(m->events[i].dir, KITH_DIR_IN);
            assert_int_equal(m->events[i].t, 1757954700);
        }
    assert_int_equal(jose_msgs, 1);

    const kith_person *mo = by_url(m, "linkedin.com/in/morgandiaz");
    assert_non_null(mo);
    assert_string_equal(mo->name, "Morgan \"Mo\" Diaz");
    assert_null(by_url(m, "linkedin.com/in/ghost-member"));
    assert_null(by_url(m, "linkedin.com/in/prize-bot"));   /* spam only */
    assert_null(by_url(m, "linkedin.com/in/jordanblake")); /* bad date row skipped */

    assert_int_equal(count_events(m, KITH_K_MESSAGE, KITH_DIR_OUT), 4);
    assert_int_equal(count_events(m, KITH_K_MESSAGE, KITH_DIR_IN), 3);
    assert_int_equal(count_events(m, KITH_K_INVITATION, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, KITH_K_INVITATION, KITH_DIR_IN), 1);
    assert_int_equal(count_events(m, KITH_K_ENDORSEMENT, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, KITH_K_ENDORSEMENT, KITH_DIR_IN), 2);
    assert_int_equal(count_events(m, KITH_K_RECOMMENDATION, KITH_DIR_OUT), 1);
    assert_int_equal(count_events(m, KITH_K_RECOMMENDATION, KITH_DIR_IN), 1);
    assert_int_equal(m->n_events, 14);

    /* The group message to Sam and Casey: one item, two events, one group of two. */
    int group_events = 0;
    int32_t item = -1, group = -1;
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i].t == 1754042400) {
            group_events++;
            if (item >= 0)
                assert_int_equal(m->events[i].item, item);
            item = m->events[i].item;
            group = m->events[i].group;
        }
    assert_int_equal(group_events, 2);
    assert_true(group >= 0);
    assert_int_equal(m->groups[group].n, 2);

    /* Profile, Positions (one current), Skills (5 named), activity. */
    assert_true(m->profile.present);
    assert_string_equal(m->profile.headline, "Staff Engineer at Acme");
    assert_string_equal(m->profile.location, "London, England, United Kingdom");
    assert_int_equal(m->profile.current_positions, 1);
    assert_int_equal(m->profile.skills, 5);
    long act[KITH_ACT__COUNT] = {0};
    for (size_t i = 0; i < m->n_activity; i++)
        act[m->activity[i].what]++;
    assert_int_equal(act[KITH_ACT_SHARE], 1);
    assert_int_equal(act[KITH_ACT_COMMENT], 2);
    assert_int_equal(act[KITH_ACT_REACTION], 2);
    assert_int_equal(m->first_time, 1489402320);  /* the 2017 recommendation */
    assert_int_equal(m->export_time, 1788688800); /* the last reaction */
    kith_model_free(m);
}

/* ---- In-memory variants ------------------------------------------------------------------ */

static const kith_format *format_of(const char *kind)
{
    for (const kith_format *f = kith_linkedin_formats; f->kind; f++)
        if (strcmp(f->kind, kind) == 0)
            return f;
    fail_msg("no format %s", kind);
    return NULL;
}

/* Sniffs and reads one in-memory file into ing; returns the read() result. */
static kith_err read_mem(kith_ingest *ing, const char *name, const char *text, size_t n,
                         const char *kind, kith_diag *d)
{
    kith_stream *s = NULL;
    assert_int_equal(kith_stream_open_mem(&s, name, text, n, d), KITH_OK);
    const char *head;
    long hn = kith_stream_peek(s, 4096, &head, d);
    assert_true(hn >= 0);
    const kith_format *f = format_of(kind);
    assert_true(f->sniff(name, head, (size_t)hn));
    kith_err e = f->read(s, ing, d);
    kith_stream_close(s);
    return e;
}

static kith_model *build(kith_ingest *ing)
{
    kith_model *m = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_model_build(ing, &m, &d), KITH_OK);
    kith_ingest_free(ing);
    return m;
}

static kith_ingest *new_ingest(bool strict)
{
    kith_ingest *ing = NULL;
    /* 2021 messages name recipients without URLs: the owner is named both ways. */
    static const char *const me[] = {"linkedin.com/in/rileymoreau", "Riley Moreau"};
    kith_ingest_opts o = {.strict = strict, .me = me, .n_me = 2};
    assert_int_equal(kith_ingest_new(&ing, &o), KITH_OK);
    return ing;
}

static void test_connections_2020(void **state)
{
    (void)state;
    const char text[] = "Row,First Name,Last Name,Email Address,Company,Position,Connected On\n"
                        "1,Lee,Park,LEE@Example.com,Globex,CTO,29-Feb-20\n"
                        "2,Sam,Ito,,Acme,Engineer,30-Feb-20\n"
                        "3,Casey,Nguyen,,Initech\n";
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = new_ingest(false);
    assert_int_equal(
        read_mem(ing, "Connections.csv", text, sizeof text - 1, "linkedin/connections", &d),
        KITH_OK);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 1);
    assert_string_equal(m->persons[0].email, "lee@example.com");
    assert_int_equal(m->persons[0].connected_on, 1582934400);
    assert_int_equal(m->inputs[0].skipped, 2);
    assert_string_equal(m->inputs[0].first_skips[0].reason, "bad date '30-Feb-20'");
    assert_int_equal(m->inputs[0].first_skips[1].line, 4);
    assert_string_equal(m->inputs[0].first_skips[1].reason,
                        "wrong field count (5, the header has 7)");
    kith_model_free(m);
}

static void test_long_bad_value(void **state)
{
    (void)state;
    /* A long bad date is shortened in the reason, never in the middle of a character. */
    const char text[] = "Date,Type,Link\n"
                        "x\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                        "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9,LIKE,x\n";
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = new_ingest(false);
    assert_int_equal(
        read_mem(ing, "Reactions.csv", text, sizeof text - 1, "linkedin/reactions", &d), KITH_OK);
    kith_model *m = build(ing);
    const char *reason = m->inputs[0].first_skips[0].reason;
    /* 36 bytes would split the 18th 'é': 35 bytes ('x' and 17 of them) are kept. */
    char want[64] = "bad date 'x";
    for (int i = 0; i < 17; i++)
        strcat(want, "\xC3\xA9");
    strcat(want, "...'");
    assert_string_equal(reason, want);
    kith_model_free(m);
}

static void test_invitations_2020(void **state)
{
    (void)state;
    /* 2020: no URL columns; names alone identify the other side. */
    const char text[] = "From,To,Sent At,Message,Direction\n"
                        "Riley Moreau,Quinn Lowe,\"2/2/20, 9:00 AM\",,OUTGOING\n"
                        "Sky Ortiz,Riley Moreau,\"2/3/20, 9:00 PM\",Hi,INCOMING\n"
                        "Sky Ortiz,Riley Moreau,\"2/30/20, 9:00 PM\",Hi,INCOMING\n";
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = new_ingest(false);
    assert_int_equal(
        read_mem(ing, "Invitations.csv", text, sizeof text - 1, "linkedin/invitations", &d),
        KITH_OK);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 2);
    assert_int_equal(m->n_events, 2);
    assert_int_equal(m->events[0].dir, KITH_DIR_OUT);
    assert_string_equal(m->persons[m->events[0].person].name, "Quinn Lowe");
    assert_int_equal(m->events[0].t, 1580634000); /* 2020-02-02 09:00 UTC */
    assert_int_equal(m->events[1].dir, KITH_DIR_IN);
    assert_string_equal(m->persons[m->events[1].person].name, "Sky Ortiz");
    assert_int_equal(m->events[1].t, 1580763600); /* 2020-02-03 21:00 UTC */
    assert_string_equal(m->inputs[0].first_skips[0].reason, "bad date '2/30/20, 9:00 PM'");
    kith_model_free(m);
}

static void test_messages_variants(void **state)
{
    (void)state;
    /* 2021: no RECIPIENT PROFILE URLS; a conversation draft; names only. */
    const char text[] =
        "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,"
        "FOLDER,IS CONVERSATION DRAFT\n"
        "c1,,Riley Moreau,https://www.linkedin.com/in/rileymoreau,\"Lee Park, Sam Ito\","
        "2021-05-01 10:00:00 UTC,,hello,INBOX,false\n"
        "c2,,Riley Moreau,https://www.linkedin.com/in/rileymoreau,Avery Chen,"
        "2021-05-02 10:00:00 UTC,,unsent,INBOX,true\n"
        "c3,,Lee Park,,Riley Moreau,2021-05-03 10:00:00,,no zone,INBOX,false\n";
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = new_ingest(false);
    assert_int_equal(read_mem(ing, "messages.csv", text, sizeof text - 1, "linkedin/messages", &d),
                     KITH_OK);
    /* Names and URLs in different numbers: the URLs go alone. */
    const char text2[] =
        "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,FOLDER\n"
        "c9,Riley Moreau,https://www.linkedin.com/in/rileymoreau,\"Park, Lee\","
        "https://www.linkedin.com/in/leepark,2021-06-01 10:00:00 UTC,INBOX\n";
    assert_int_equal(
        read_mem(ing, "messages_2.csv", text2, sizeof text2 - 1, "linkedin/messages", &d), KITH_OK);
    kith_model *m = build(ing);
    assert_int_equal(m->inputs[0].rows, 3);
    assert_int_equal(m->inputs[0].dropped, 1);
    assert_int_equal(m->inputs[0].skipped, 0);
    long out = count_events(m, KITH_K_MESSAGE, KITH_DIR_OUT);
    long in = count_events(m, KITH_K_MESSAGE, KITH_DIR_IN);
    assert_int_equal(out, 3); /* c1 to Lee and Sam, c9 to the URL */
    assert_int_equal(in, 1);  /* c3 from Lee */
    assert_non_null(by_url(m, "linkedin.com/in/leepark"));
    kith_model_free(m);
}

static void test_sniff(void **state)
{
    (void)state;
    const kith_format *conn = format_of("linkedin/connections");
    const kith_format *msg = format_of("linkedin/messages");
    const kith_format *reco = format_of("linkedin/recommendations-received");
    const kith_format *prof = format_of("linkedin/profile");
    const kith_format *com = format_of("linkedin/comments");
    const char ch[] = "Notes:\n\"...\"\n\nFirst Name,Last Name,URL,Email Address,Company,"
                      "Position,Connected On\n";
    const char mh[] = "\"CONVERSATION ID\",\"FROM\",\"TO\",\"DATE\"\n";
    const char rh[] = "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n";
    assert_true(conn->sniff("Connections.csv", ch, sizeof ch - 1));
    assert_true(conn->sniff("connections.CSV", ch, sizeof ch - 1));
    assert_true(conn->sniff("Connections.txt", ch, sizeof ch - 1)); /* the header decides */
    /* By content alone: a renamed file whose header is LinkedIn's own. */
    assert_true(conn->sniff("network backup.csv", ch, sizeof ch - 1));
    assert_false(conn->sniff("Contacts.csv", rh, sizeof rh - 1));
    assert_false(conn->sniff("Contacts.csv", "", 0)); /* empty and unnamed: nothing */
    const char mh2[] = "CONVERSATION ID,FROM,SENDER PROFILE URL,TO,DATE\n";
    assert_true(msg->sniff("inbox-2021.csv", mh2, sizeof mh2 - 1));
    assert_false(msg->sniff("guide_messages.csv", mh2, sizeof mh2 - 1));
    assert_false(reco->sniff("reco.csv", rh, sizeof rh - 1)); /* given or received? unknown */
    assert_false(conn->sniff("Connections.csv", mh, sizeof mh - 1)); /* wrong header */
    assert_true(conn->sniff("Connections.csv", "", 0));              /* empty: zero rows */
    assert_true(msg->sniff("messages.csv", mh, sizeof mh - 1));
    assert_false(msg->sniff("guide_messages.csv", mh, sizeof mh - 1));
    assert_false(msg->sniff("learning_role_play_messages.csv", mh, sizeof mh - 1));
    assert_true(reco->sniff("Recommendations Received.csv", rh, sizeof rh - 1));
    assert_true(reco->sniff("Recommendations_Received.csv", rh, sizeof rh - 1));
    assert_false(prof->sniff("Profile Summary.csv", "Profile Summary\nx\n", 18));
    assert_true(com->sniff("Comments_987.csv", "Date,Link,Message\n", 18));

    /* A UTF-16LE head still shows its header names. */
    char u16[256];
    size_t n = 0;
    u16[n++] = (char)0xFF;
    u16[n++] = (char)0xFE;
    for (const char *p = "First Name,Last Name,Connected On\r\n"; *p; p++) {
        u16[n++] = *p;
        u16[n++] = 0;
    }
    assert_true(conn->sniff("Connections.csv", u16, n));
}

static void test_utf16_empty_and_strict(void **state)
{
    (void)state;
    /* UTF-16LE Connections with an accented name. */
    const char *rows = "First Name,Last Name,URL,Connected On\r\n"
                       "Ren\xC3\xA9"
                       ",Roy,https://www.linkedin.com/in/reneroy,15 Mar 2021\r\n";
    char buf[512];
    size_t n = 0;
    buf[n++] = (char)0xFF;
    buf[n++] = (char)0xFE;
    for (const unsigned char *p = (const unsigned char *)rows; *p; p++) {
        unsigned cp = *p;
        if (cp == 0xC3) { /* the one two-byte sequence: é */
            cp = 0xE9;
            p++;
        }
        buf[n++] = (char)(cp & 0xFF);
        buf[n++] = (char)(cp >> 8);
    }
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = new_ingest(false);
    assert_int_equal(read_mem(ing, "Connections.csv", buf, n, "linkedin/connections", &d), KITH_OK);
    /* An empty Skills.csv is recognized and reported as yielding nothing. */
    assert_int_equal(read_mem(ing, "Skills.csv", "", 0, "linkedin/skills", &d), KITH_OK);
    kith_model *m = build(ing);
    assert_int_equal(m->n_persons, 1);
    assert_string_equal(m->persons[0].name, "Ren\xC3\xA9 Roy");
    assert_int_equal(m->n_inputs, 2);
    assert_int_equal(m->inputs[1].rows, 0);
    assert_int_equal(m->n_warnings, 1);
    assert_non_null(strstr(m->warnings[0], "Skills.csv"));
    kith_model_free(m);

    /* --strict: the first skipped row is an error naming the file and line. */
    const char text[] = "Date,Type,Link\n2026-09-05 09:50:45,LIKE,x\nsoon,LIKE,y\n";
    ing = new_ingest(true);
    assert_int_equal(
        read_mem(ing, "Reactions.csv", text, sizeof text - 1, "linkedin/reactions", &d),
        KITH_ERR_STRICT);
    assert_string_equal(d.file, "Reactions.csv");
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.reason, "bad date 'soon'"));
    kith_ingest_free(ing);
}

static void test_load_errors(void **state)
{
    (void)state;
    kith_model *m = NULL;
    kith_diag d;
    const char *missing[] = {KITH_FIXTURES "/no-such-export.zip"};
    kith_diag_clear(&d);
    assert_int_equal(kith_load(missing, 1, NULL, &m, &d), KITH_ERR_IO);
    assert_string_equal(d.file, missing[0]);
    assert_null(m);

    /* A folder with files but none known. */
    const char *unknown[] = {KITH_FIXTURES "/not-an-export"};
    kith_diag_clear(&d);
    assert_int_equal(kith_load(unknown, 1, NULL, &m, &d), KITH_ERR_UNKNOWN);
    assert_non_null(strstr(d.reason, "no known export file"));

    const char *notzip[] = {KITH_FIXTURES "/not-an-export/fake.zip"};
    kith_diag_clear(&d);
    assert_int_equal(kith_load(notzip, 1, NULL, &m, &d), KITH_ERR_NOT_ZIP);
    assert_string_equal(d.reason, "not a zip archive");

    /* A single file is sniffed by name and content. */
    const char *one[] = {FIXTURE "/Invitations.csv"};
    kith_diag_clear(&d);
    assert_int_equal(kith_load(one, 1, NULL, &m, &d), KITH_OK);
    assert_int_equal(m->n_inputs, 1);
    assert_int_equal(m->inputs[0].rows, 3);
    kith_model_free(m);
    m = NULL;
    const char *unrecognized[] = {FIXTURE "/Rich_Media.csv"};
    kith_diag_clear(&d);
    assert_int_equal(kith_load(unrecognized, 1, NULL, &m, &d), KITH_ERR_UNKNOWN);
}

/* Progress goes only to a terminal: nothing on a plain stream, a line per file on a pty. */
static void test_progress(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    const char *paths[] = {FIXTURE "/Invitations.csv", FIXTURE "/Skills.csv"};
    kith_load_opts o = {.progress = mem};
    kith_model *m = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_load(paths, 2, &o, &m, &d), KITH_OK);
    kith_model_free(m);
    fclose(mem);
    assert_int_equal(len, 0);
    free(text);

    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0);
    assert_int_equal(grantpt(master), 0);
    assert_int_equal(unlockpt(master), 0);
    FILE *tty = fopen(ptsname(master), "w");
    assert_non_null(tty);
    o.progress = tty;
    m = NULL;
    assert_int_equal(kith_load(paths, 2, &o, &m, &d), KITH_OK);
    kith_model_free(m);
    m = NULL;
    o.quiet = true; /* --quiet wins */
    assert_int_equal(kith_load(paths, 2, &o, &m, &d), KITH_OK);
    kith_model_free(m);
    fclose(tty);
    /* One read() returns only what the kernel has moved from the terminal side so far (a
     * loaded machine lost "Skills.csv" that way): read until the closed side is drained. */
    char buf[8192];
    size_t n = 0;
    ssize_t got;
    while (n < sizeof buf - 1 && (got = read(master, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)got;
    close(master);
    assert_true(n > 0);
    buf[n] = 0;
    assert_non_null(strstr(buf, "Invitations.csv"));
    assert_non_null(strstr(buf, "Skills.csv"));
    assert_non_null(strstr(buf, " MB/s"));
    /* two files, one finished line each, nothing from the quiet run */
    int lines = 0;
    for (char *p = buf; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_files),
        cmocka_unit_test(test_fixture_model),
        cmocka_unit_test(test_connections_2020),
        cmocka_unit_test(test_long_bad_value),
        cmocka_unit_test(test_invitations_2020),
        cmocka_unit_test(test_messages_variants),
        cmocka_unit_test(test_sniff),
        cmocka_unit_test(test_utf16_empty_and_strict),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_progress),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
