/* mbox reader (src/sources/mbox.c, gmime): the hand-made Takeout-style archive
 * fixtures/mail.mbox holds one message per quirk:
 *   1 RFC 2047 sender, a quoted comma in "Park, Lee", the owner and Dana in To/Cc, a >From
 *     body line                                   -> in event from Jürgen, group of 3
 *   2 Sent by the owner to a Q-encoded name      -> out event to Renée; an owner vote
 *   3 Spam, 4 Trash (quoted, folded labels), 5 the same Message-ID as 1, 8 Drafts, 9 Chat
 *                                                 -> dropped
 *   6 List-Id newsletter                          -> in event, no group
 *   7 a Date that is not a date                   -> the separator's time
 *  10 "Okafor, Dana" and a 2-digit year           -> the same Dana, in event */
#include "sources_fixture.h"

#include "../src/sources/mbox.h"

#define T_MSG1 1591835918 /* Wed, 10 Jun 2020 17:38:38 -0700 */
#define T_MSG2 1591952400 /* 2020-06-12 09:00:00Z */
#define T_MSG6 1592208000 /* 2020-06-15 08:00:00Z */
#define T_MSG7 1592292600 /* the separator: Tue Jun 16 07:30:00 +0000 2020 */
#define T_MSG10 1592568000 /* 19 Jun 20 12:00 GMT */

static void takeout_archive(void **state)
{
    (void)state;
    /* no --me: the owner comes from the Sent vote */
    kith_model *m = load_fixture(kith_mbox_read, "mail.mbox", NULL);
    assert_non_null(m->owner_email);
    assert_string_equal(m->owner_email, "me@owner.example");
    assert_int_equal(by_email(m, "me@owner.example"), -1);

    int jm = by_email(m, "jm@example.com"), lee = by_email(m, "lee@example.com"),
        dana = by_email(m, "dana@acme.example"), renee = by_email(m, "renee@initech.example"),
        news = by_email(m, "news@lists.example");
    assert_true(jm >= 0 && lee >= 0 && dana >= 0 && renee >= 0 && news >= 0);
    assert_int_equal(m->n_persons, 5);
    assert_string_equal(m->persons[jm].name, "J\xc3\xbcrgen M\xc3\xbcller");
    assert_string_equal(m->persons[renee].name, "Ren\xc3\xa9" "e Fontaine");
    /* "Park, Lee" is one person named in first-last order, not two addresses */
    assert_string_equal(m->persons[lee].name, "Lee Park");

    assert_int_equal(m->n_events, 5);
    assert_int_equal(events_of(m, jm, KITH_K_EMAIL, KITH_DIR_IN), 1);
    assert_int_equal(event_time(m, jm, 0), T_MSG1);
    assert_int_equal(events_of(m, renee, KITH_K_EMAIL, KITH_DIR_OUT), 1);
    assert_int_equal(event_time(m, renee, 0), T_MSG2);
    assert_int_equal(events_of(m, news, KITH_K_EMAIL, KITH_DIR_IN), 1);
    assert_int_equal(event_time(m, news, 0), T_MSG6);
    assert_int_equal(events_of(m, dana, KITH_K_EMAIL, KITH_DIR_IN), 2);
    assert_int_equal(event_time(m, dana, 0), T_MSG7);
    assert_int_equal(event_time(m, dana, 1), T_MSG10);
    /* Lee was only a co-recipient: no event of their own (the owner did not write to them) */
    assert_int_equal(events_of(m, lee, KITH_K_EMAIL, KITH_DIR_IN), 0);

    /* message 1 links its three non-owner participants; the bulk mail links nobody */
    assert_true(share_group(m, jm, lee));
    assert_true(share_group(m, lee, dana));
    assert_false(share_group(m, news, lee));

    assert_int_equal(m->n_inputs, 1);
    assert_string_equal(m->inputs[0].kind, "mbox");
    assert_int_equal(m->inputs[0].rows, 10);
    assert_int_equal(m->inputs[0].dropped, 5);
    assert_int_equal(m->inputs[0].skipped, 0);
    assert_int_equal(reason_count(m, "spam"), 1);
    assert_int_equal(reason_count(m, "trash"), 1);
    assert_int_equal(reason_count(m, "duplicate"), 1);
    assert_int_equal(reason_count(m, "draft"), 1);
    assert_int_equal(reason_count(m, "chat"), 1);
    kith_model_free(m);
}

static void labels(void **state)
{
    (void)state;
    assert_int_equal(kith_mbox_labels(NULL), 0);
    assert_int_equal(kith_mbox_labels("Sent,Important"), KITH_MBOX_SENT);
    assert_int_equal(kith_mbox_labels("\"Work, Sent\",Inbox"), 0); /* one label, quoted */
    assert_int_equal(kith_mbox_labels("Opened,\r\n Trash"), KITH_MBOX_TRASH);
    assert_int_equal(kith_mbox_labels(" spam , Drafts"), KITH_MBOX_SPAM | KITH_MBOX_DRAFT);
    assert_int_equal(kith_mbox_labels("Chat"), KITH_MBOX_CHAT);
    assert_int_equal(kith_mbox_labels("Sentimental"), 0);
}

static void separator_time(void **state)
{
    (void)state;
    assert_int_equal(kith_mbox_separator_time("From 1@xxx Thu Jun 11 00:38:38 +0000 2020"),
                     1591835918);
    /* asctime without a zone is UTC; a zone offset is applied */
    assert_int_equal(kith_mbox_separator_time("From a@b Thu Jun 11 00:38:38 2020"), 1591835918);
    assert_int_equal(kith_mbox_separator_time("From a@b Thu Jun 11 02:38:38 +0200 2020"),
                     1591835918);
    assert_int_equal(kith_mbox_separator_time("From a@b"), KITH_NO_TIME);
}

static void sniff(void **state)
{
    (void)state;
    const char *a = "From 1@xxx Thu Jun 11 00:38:38 +0000 2020\nX-GM-THRID: 1\n";
    assert_true(kith_mbox_sniff("All mail.mbox", a, strlen(a)));
    const char *b = "From the desk of a person\nwho writes letters\n";
    assert_false(kith_mbox_sniff("letter.txt", b, strlen(b)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(takeout_archive),
        cmocka_unit_test(labels),
        cmocka_unit_test(separator_time),
        cmocka_unit_test(sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
