/* vCard reader (src/sources/vcard.c): one hand-made fixture per quirk, read into the model. */
#include "sources_fixture.h"

#include "../src/sources/vcard.h"

static void basic_card(void **state)
{
    (void)state;
    kith_model *m = load_fixture(kith_vcard_read, "vcard-basic.vcf", NULL);
    assert_int_equal(m->n_persons, 1);
    const kith_person *p = &m->persons[0];
    assert_string_equal(p->name, "Dana Okafor");
    assert_string_equal(p->email, "dana@acme.example");
    assert_non_null(strstr(p->emails, "dana@home.example"));
    assert_string_equal(p->company, "Acme Inc.");
    assert_string_equal(p->position, "Staff Engineer");
    assert_int_equal(p->bday_year, 1988);
    assert_int_equal(p->bday_month, 4);
    assert_int_equal(p->bday_day, 15);
    assert_non_null(strstr(p->labels, "myContacts"));
    assert_non_null(strstr(p->labels, "Coworkers"));
    assert_true(p->connection);
    assert_int_equal(m->n_events, 0);
    assert_int_equal(m->n_inputs, 1);
    assert_string_equal(m->inputs[0].kind, "vcard");
    assert_int_equal(m->inputs[0].rows, 1);
    assert_int_equal(m->inputs[0].skipped, 0);
    kith_model_free(m);
}

/* A fold splits the two bytes of "é"; a tab fold; \, \; \n escapes. */
static void folded_and_escaped(void **state)
{
    (void)state;
    kith_model *m = load_fixture(kith_vcard_read, "vcard-folded.vcf", NULL);
    assert_int_equal(m->n_persons, 1);
    const kith_person *p = &m->persons[0];
    assert_string_equal(p->name, "Ren\xc3\xa9" "e Fontaine, Jr.");
    assert_string_equal(p->company, "Initech; Research");
    assert_string_equal(p->position, "Lead Research Scientist");
    assert_int_equal(p->bday_year, 1990);
    assert_int_equal(p->bday_month, 1);
    assert_int_equal(p->bday_day, 2);
    kith_model_free(m);
}

/* Apple's item1.EMAIL groups, a LinkedIn URL, X-APPLE-OMIT-YEAR, an escaped comma in
 * CATEGORIES. */
static void groups_and_apple(void **state)
{
    (void)state;
    kith_model *m = load_fixture(kith_vcard_read, "vcard-groups.vcf", NULL);
    assert_int_equal(m->n_persons, 1);
    const kith_person *p = &m->persons[0];
    assert_string_equal(p->name, "Tomas Quill");
    assert_string_equal(p->email, "tomas@quill.example");
    assert_non_null(strstr(p->emails, "tq@globex.example"));
    assert_string_equal(p->url, "linkedin.com/in/tomasquill");
    assert_int_equal(p->bday_year, 0);
    assert_int_equal(p->bday_month, 7);
    assert_int_equal(p->bday_day, 9);
    assert_non_null(strstr(p->labels, "Friends"));
    assert_non_null(strstr(p->labels, "Running, Club"));
    kith_model_free(m);
}

/* vCard 2.1: quoted-printable UTF-8 with a soft line break; bare QUOTED-PRINTABLE param. */
static void quoted_printable(void **state)
{
    (void)state;
    kith_model *m = load_fixture(kith_vcard_read, "vcard-qp21.vcf", NULL);
    assert_int_equal(m->n_persons, 1);
    const kith_person *p = &m->persons[0];
    assert_string_equal(p->name, "J\xc3\xbcrgen M\xc3\xbcller");
    assert_string_equal(p->email, "jm@example.com");
    assert_string_equal(p->company, "Stra\xc3\x9f" "e GmbH");
    kith_model_free(m);
}

static void every_bday_form(void **state)
{
    (void)state;
    kith_model *m = load_fixture(kith_vcard_read, "vcard-bday.vcf", NULL);
    static const struct {
        const char *name;
        int y, mo, d;
    } want[] = {
        {"Ana One", 1988, 4, 15}, {"Ben Two", 1988, 4, 15},  {"Cy Three", 0, 4, 15},
        {"Di Four", 0, 4, 15},    {"Ed Five", 1988, 4, 15},  {"Flo Six", 0, 4, 15},
        {"Gus Seven", 0, 0, 0},   {"Hal Eight", 0, 0, 0},
    };
    assert_int_equal(m->n_persons, 8);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        int p = by_name(m, want[i].name);
        assert_true(p >= 0);
        assert_int_equal(m->persons[p].bday_year, want[i].y);
        assert_int_equal(m->persons[p].bday_month, want[i].mo);
        assert_int_equal(m->persons[p].bday_day, want[i].d);
    }
    /* the card with no name nor e-mail is skipped with its BEGIN line */
    assert_int_equal(m->inputs[0].rows, 9);
    assert_int_equal(m->inputs[0].skipped, 1);
    assert_int_equal(m->inputs[0].first_skips[0].line, 41);
    /* the text birthday and the impossible date are warnings, not skipped cards */
    assert_true(has_warning(m, "circa 1800"));
    assert_true(has_warning(m, "1988-02-30"));
    kith_model_free(m);
}

static void bday_parser(void **state)
{
    (void)state;
    int y, mo, d;
    assert_true(kith_vcard_parse_bday("19880415T103000Z", &y, &mo, &d));
    assert_int_equal(y, 1988);
    assert_true(kith_vcard_parse_bday("--02-29", &y, &mo, &d));
    assert_int_equal(y, 0);
    assert_int_equal(mo, 2);
    assert_int_equal(d, 29);
    assert_false(kith_vcard_parse_bday("1987-02-29", &y, &mo, &d));
    assert_false(kith_vcard_parse_bday("1988", &y, &mo, &d));
    assert_false(kith_vcard_parse_bday("---15", &y, &mo, &d));
    assert_false(kith_vcard_parse_bday("1988-13-01", &y, &mo, &d));
}

static void sniff(void **state)
{
    (void)state;
    const char *a = "\xEF\xBB\xBF" "BEGIN:VCARD\r\nVERSION:3.0\r\n";
    assert_true(kith_vcard_sniff("x.txt", a, strlen(a)));
    const char *b = "  begin:vcard\n";
    assert_true(kith_vcard_sniff("x", b, strlen(b)));
    const char *c = "BEGIN:VCALENDAR\n";
    assert_false(kith_vcard_sniff("x.vcf", c, strlen(c)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(basic_card),       cmocka_unit_test(folded_and_escaped),
        cmocka_unit_test(groups_and_apple), cmocka_unit_test(quoted_printable),
        cmocka_unit_test(every_bday_form),  cmocka_unit_test(bday_parser),
        cmocka_unit_test(sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
