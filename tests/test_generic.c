/* The generic interactions CSV reader (src/sources/generic.c, spec §1) on
 * fixtures/generic.csv: every kind of row it treats differently, and every bad row. */
#include "sources_fixture.h"

#include "../src/sources/generic.h"

static void interactions(void **state)
{
    (void)state;
    kith_model *m = load_fixture(kith_generic_read, "generic.csv", NULL);
    int lee = by_email(m, "lee@example.com"), dana = by_email(m, "dana@acme.example"),
        renee = by_email(m, "renee@initech.example"), mike = by_email(m, "mike@linden.example"),
        tomas = by_name(m, "Tomas Quill"), ana = by_name(m, "Ana Silva");
    assert_true(lee >= 0 && dana >= 0 && renee >= 0 && mike >= 0 && tomas >= 0 && ana >= 0);
    assert_int_equal(m->n_persons, 6);
    assert_string_equal(m->persons[ana].url, "linkedin.com/in/anasilva");

    /* line 2: a message; line 5: an e-mail with Mike as co-recipient; line 11: a gift in */
    assert_int_equal(events_of(m, lee, KITH_K_MESSAGE, KITH_DIR_OUT), 1);
    assert_int_equal(event_time(m, lee, 0), 1790985600); /* 2026-10-03 */
    assert_int_equal(events_of(m, lee, KITH_K_EMAIL, KITH_DIR_OUT), 1);
    assert_int_equal(events_of(m, lee, KITH_K_GIFT, KITH_DIR_IN), 1);
    assert_true(share_group(m, lee, mike));
    /* line 3: a meeting with two co-participants: an event for each, one group */
    assert_int_equal(events_of(m, dana, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(event_time(m, dana, 0), 1791036000); /* 2026-10-03T14:00:00Z */
    assert_int_equal(events_of(m, tomas, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(events_of(m, renee, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_true(share_group(m, dana, tomas));
    assert_true(share_group(m, tomas, renee));
    /* line 5's co-recipient got no event of their own */
    assert_int_equal(events_of(m, mike, KITH_K_EMAIL, KITH_DIR_OUT), 0);
    /* line 5: the owner introduced Dana to Mike */
    assert_int_equal(events_of(m, dana, KITH_K_INTRODUCTION, KITH_DIR_OUT), 1);
    assert_int_equal(m->n_intros, 1);
    assert_true((m->intros[0].a == dana && m->intros[0].b == mike) ||
                (m->intros[0].a == mike && m->intros[0].b == dana));
    /* line 6: a call with a zone offset */
    assert_int_equal(events_of(m, ana, KITH_K_CALL, KITH_DIR_OUT), 1);
    assert_int_equal(event_time(m, ana, 0), 1791358200); /* 2026-10-07T07:30:00Z */

    assert_int_equal(m->n_events, 8);
    assert_int_equal(m->n_groups, 2);
    assert_int_equal(m->inputs[0].rows, 10);
    assert_int_equal(m->inputs[0].skipped, 4);
    assert_int_equal(m->inputs[0].n_first_skips, 3);
    assert_int_equal(m->inputs[0].first_skips[0].line, 7);
    assert_non_null(strstr(m->inputs[0].first_skips[0].reason, "bad date"));
    assert_int_equal(m->inputs[0].first_skips[1].line, 8);
    assert_non_null(strstr(m->inputs[0].first_skips[1].reason, "fax"));
    assert_int_equal(m->inputs[0].first_skips[2].line, 9);
    assert_non_null(strstr(m->inputs[0].first_skips[2].reason, "sideways"));
    kith_model_free(m);
}

/* --strict: the first bad row is an error naming the file and line. */
static void strict(void **state)
{
    (void)state;
    kith_ingest_opts o = {.strict = true};
    kith_ingest *ing = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_ingest_new(&ing, &o), KITH_OK);
    kith_stream *s = NULL;
    assert_int_equal(kith_stream_open_file(&s, KITH_FIXTURES "/generic.csv", &d), KITH_OK);
    assert_int_equal(kith_generic_read(s, ing, &d), KITH_ERR_STRICT);
    assert_int_equal(d.line, 7);
    assert_non_null(strstr(d.file, "generic.csv"));
    kith_stream_close(s);
    kith_ingest_free(ing);
}

static void sniff(void **state)
{
    (void)state;
    const char *a = "date,kind,direction,contact,contact_email,contact_url,with,note\n";
    assert_true(kith_generic_sniff("crm.csv", a, strlen(a)));
    const char *b = "\"contact\",\"date\",\"direction\",\"kind\"\r\n";
    assert_true(kith_generic_sniff("crm.csv", b, strlen(b)));
    const char *c = "date,kind,contact\n";
    assert_false(kith_generic_sniff("crm.csv", c, strlen(c)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interactions),
        cmocka_unit_test(strict),
        cmocka_unit_test(sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
