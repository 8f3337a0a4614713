/* Google Contacts (current and older header) and Outlook CSV readers
 * (src/sources/contacts.c), each fixture read into the model. */
#include "sources_fixture.h"

#include "../src/sources/contacts.h"

static kith_err read_google(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return kith_contacts_formats[KITH_CONTACTS_GOOGLE].read(s, ing, d);
}
static kith_err read_google_old(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return kith_contacts_formats[KITH_CONTACTS_GOOGLE_OLD].read(s, ing, d);
}
static kith_err read_outlook(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return kith_contacts_formats[KITH_CONTACTS_OUTLOOK].read(s, ing, d);
}

static void google_current(void **state)
{
    (void)state;
    kith_model *m = load_fixture(read_google, "google-new.csv", NULL);
    assert_int_equal(m->n_persons, 4);
    int dana = by_email(m, "dana@acme.example");
    assert_true(dana >= 0);
    const kith_person *p = &m->persons[dana];
    assert_string_equal(p->name, "Dana Okafor");
    assert_non_null(strstr(p->emails, "dana@home.example"));
    assert_string_equal(p->company, "Acme Inc.");
    assert_string_equal(p->position, "Staff Engineer");
    assert_int_equal(p->bday_year, 1988);
    assert_int_equal(p->bday_month, 4);
    assert_int_equal(p->bday_day, 15);
    assert_string_equal(p->labels, "Work"); /* "* myContacts" is a system group */
    assert_true(p->connection);

    /* two addresses in one cell, " --MM-DD" without a year, a LinkedIn website */
    int lee = by_email(m, "lee.park@example.org");
    assert_true(lee >= 0);
    assert_int_equal(by_email(m, "lee@example.com"), lee);
    assert_string_equal(m->persons[lee].url, "linkedin.com/in/leepark");
    assert_int_equal(m->persons[lee].bday_year, 0);
    assert_int_equal(m->persons[lee].bday_month, 12);
    assert_int_equal(m->persons[lee].bday_day, 25);
    assert_null(m->persons[lee].labels); /* only system groups */

    /* no given or family name: File As */
    int desk = by_name(m, "Globex Front Desk");
    assert_true(desk >= 0);
    assert_string_equal(m->persons[desk].company, "Globex");

    /* the middle name stays out of the name; an impossible birthday is a warning */
    int kim = by_name(m, "Kim Lo");
    assert_true(kim >= 0);
    assert_int_equal(m->persons[kim].bday_month, 0);
    assert_true(has_warning(m, "1988-02-30"));
    assert_string_equal(m->persons[kim].labels, "Running");
    /* two organizations in one cell: the first */
    assert_string_equal(m->persons[kim].company, "Hooli");
    assert_string_equal(m->persons[kim].position, "Engineer");

    /* the row with only a phone number */
    assert_int_equal(m->inputs[0].rows, 5);
    assert_int_equal(m->inputs[0].skipped, 1);
    assert_int_equal(m->inputs[0].first_skips[0].line, 5);
    assert_string_equal(m->inputs[0].kind, "google-contacts");
    kith_model_free(m);
}

/* The older header, in UTF-16LE with a BOM as older exports were. */
static void google_older_utf16(void **state)
{
    (void)state;
    kith_model *m = load_fixture(read_google_old, "google-old-utf16.csv", NULL);
    assert_int_equal(m->n_persons, 3);
    int tomas = by_email(m, "tomas@quill.example");
    assert_true(tomas >= 0);
    assert_string_equal(m->persons[tomas].name, "Tomas Quill");
    assert_string_equal(m->persons[tomas].company, "Globex Corporation");
    assert_string_equal(m->persons[tomas].position, "CTO");
    assert_int_equal(m->persons[tomas].bday_year, 1979);
    assert_string_equal(m->persons[tomas].labels, "Friends");
    int renee = by_email(m, "rf@home.example");
    assert_true(renee >= 0);
    assert_string_equal(m->persons[renee].name, "Ren\xc3\xa9" "e Fontaine");
    assert_int_equal(m->persons[renee].bday_year, 0);
    assert_int_equal(m->persons[renee].bday_month, 3);
    assert_int_equal(m->persons[renee].bday_day, 8);
    assert_string_equal(m->persons[renee].labels, "Research, Lab");
    /* a name in the full-name column only */
    assert_true(by_name(m, "Ops Team") >= 0);
    assert_int_equal(m->inputs[0].skipped, 0);
    kith_model_free(m);
}

static void outlook(void **state)
{
    (void)state;
    kith_model *m = load_fixture(read_outlook, "outlook.csv", NULL);
    assert_int_equal(m->n_persons, 2);
    int mike = by_email(m, "mike.d@home.example");
    assert_true(mike >= 0);
    const kith_person *p = &m->persons[mike];
    assert_string_equal(p->name, "Mike Delgado");
    assert_string_equal(p->email, "mike@linden.example");
    assert_string_equal(p->company, "Linden LLC");
    assert_string_equal(p->position, "VP Sales");
    assert_int_equal(p->bday_year, 1988);
    assert_int_equal(p->bday_month, 4);
    assert_int_equal(p->bday_day, 15);
    assert_non_null(strstr(p->labels, "Clients"));
    assert_non_null(strstr(p->labels, "VIP"));
    /* 0/0/00 is no birthday, and no warning */
    int ana = by_email(m, "ana@silva.example");
    assert_true(ana >= 0);
    assert_int_equal(m->persons[ana].bday_month, 0);
    assert_false(has_warning(m, "0/0/00"));
    assert_string_equal(m->inputs[0].kind, "outlook-contacts");
    kith_model_free(m);
}

static void birthdays_and_labels(void **state)
{
    (void)state;
    int y, mo, d;
    assert_true(kith_contacts_parse_bday(" --02-29", &y, &mo, &d));
    assert_int_equal(y, 0);
    assert_int_equal(mo, 2);
    assert_true(kith_contacts_parse_bday("12/31/1999", &y, &mo, &d));
    assert_int_equal(y, 1999);
    assert_int_equal(mo, 12);
    assert_int_equal(d, 31);
    assert_false(kith_contacts_parse_bday("0/0/00", &y, &mo, &d));
    assert_false(kith_contacts_parse_bday("2001-02-29", &y, &mo, &d));
    assert_false(kith_contacts_parse_bday("soon", &y, &mo, &d));

    kith_buf b = {0};
    kith_contacts_labels("* myContacts ::: Work ::: * starred ::: Book Club", " ::: ", &b);
    assert_string_equal(b.s, "Work; Book Club");
    kith_buf_reset(&b);
    kith_contacts_labels("Clients; VIP;", ";", &b);
    assert_string_equal(b.s, "Clients; VIP");
    kith_buf_free(&b);
}

static void sniff(void **state)
{
    (void)state;
    const kith_format *f = kith_contacts_formats;
    const char *g = "First Name,Middle Name,Last Name,Labels,E-mail 1 - Value\r\n";
    const char *o = "\"Title\",\"First Name\",\"Middle Name\",\"Last Name\",\"E-mail Address\"\r\n";
    const char *old = "Name,Given Name,Additional Name,Family Name,Group Membership\n";
    const char *old16 = "\xff\xfeN\0a\0m\0e\0,\0G\0i\0v\0e\0n\0 \0N\0a\0m\0e\0,\0F\0a\0m\0i\0l\0y\0"
                        " \0N\0a\0m\0e\0\r\0\n\0";
    assert_true(f[KITH_CONTACTS_GOOGLE].sniff("contacts.csv", g, strlen(g)));
    assert_false(f[KITH_CONTACTS_OUTLOOK].sniff("contacts.csv", g, strlen(g)));
    assert_true(f[KITH_CONTACTS_OUTLOOK].sniff("contacts.csv", o, strlen(o)));
    assert_false(f[KITH_CONTACTS_GOOGLE].sniff("contacts.csv", o, strlen(o)));
    assert_true(f[KITH_CONTACTS_GOOGLE_OLD].sniff("google.csv", old, strlen(old)));
    assert_true(f[KITH_CONTACTS_GOOGLE_OLD].sniff("google.csv", old16, 58));
    assert_false(f[KITH_CONTACTS_GOOGLE_OLD].sniff("google.csv", g, strlen(g)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(google_current), cmocka_unit_test(google_older_utf16),
        cmocka_unit_test(outlook),        cmocka_unit_test(birthdays_and_labels),
        cmocka_unit_test(sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
