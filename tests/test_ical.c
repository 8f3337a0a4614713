/* iCalendar reader (src/sources/ical.c, libical) on fixtures/calendar.ics, one event per
 * quirk (the owner is me@owner.example, given with --me):
 *   ev1 UTC, organizer Mike also an attendee, a room, Lee declined, Zoe delegated to Dana,
 *       the owner attends
 *       -> in events for Mike and Dana (KITH_EX_EVERYONE); room and decline dropped
 *   ev2 TZID=Europe/Berlin in summer (UTC+2)    ev3 all-day (midnight UTC)
 *   ev4 cancelled                               ev5 weekly x5 with one EXDATE -> 4
 *   ev6 Windows zone "W. Europe Standard Time"  ev7 floating (UTC)
 *   ev8 an unknown zone (UTC, with a warning)
 *   ev9 monthly with no end, bounded by the latest DTSTAMP (2026-11-01), one occurrence
 *       moved by a RECURRENCE-ID override (its own VEVENT)
 *   ev10, ev11 solo events of the owner (no one else attends) -> dropped, but owner votes */
#include "sources_fixture.h"

#include "../src/sources/ical.h"

#define NOW_FAR 1900000000 /* 2030: the DTSTAMP bound applies */

static int64_t bounded_now;

static kith_err read_bounded(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return kith_ical_read_bounded(s, ing, bounded_now, d);
}

static void calendar(void **state)
{
    (void)state;
    bounded_now = NOW_FAR;
    kith_model *m = load_fixture(read_bounded, "calendar.ics", "me@owner.example");
    int mike = by_email(m, "mike@linden.example"), dana = by_email(m, "dana@acme.example"),
        lee = by_email(m, "lee@example.com"), tomas = by_email(m, "tomas@quill.example"),
        renee = by_email(m, "renee@initech.example");
    assert_true(mike >= 0 && dana >= 0 && lee >= 0 && tomas >= 0 && renee >= 0);
    assert_int_equal(m->n_persons, 5);
    assert_int_equal(by_email(m, "c_room4@resource.calendar.example"), -1);
    assert_string_equal(m->persons[mike].name, "Mike Delgado"); /* unfolded CN */

    /* ev1: the owner attended Mike's meeting: in for Mike and for Dana, once each */
    assert_int_equal(events_of(m, mike, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(event_time(m, mike, 0), 1790866800); /* 2026-10-01 15:00Z */
    assert_int_equal(events_of(m, dana, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_true(share_group(m, mike, dana));
    assert_false(share_group(m, mike, lee)); /* Lee declined */

    /* ev2 Berlin summer time, then ev5's four weekly occurrences */
    assert_int_equal(events_of(m, dana, KITH_K_MEETING, KITH_DIR_OUT), 5);
    assert_int_equal(event_time(m, dana, 0), 1784102400); /* 2026-07-15 08:00Z */
    /* ev3 all day + ev5 x4 (Oct 1, 15, 22, 29: Oct 8 is an EXDATE) */
    assert_int_equal(events_of(m, lee, KITH_K_MEETING, KITH_DIR_OUT), 5);
    assert_int_equal(event_time(m, lee, 0), 1785542400); /* 2026-08-01 00:00Z */
    assert_int_equal(event_time(m, lee, 1), 1790866800); /* 2026-10-01 15:00Z */
    assert_int_equal(event_time(m, lee, 2), 1792076400); /* 2026-10-15 15:00Z */
    /* ev6 Windows zone in winter (UTC+1), ev7 floating, ev8 unknown zone */
    assert_int_equal(events_of(m, tomas, KITH_K_MEETING, KITH_DIR_OUT), 3);
    assert_int_equal(event_time(m, tomas, 0), 1768464000); /* 2026-01-15 08:00Z */
    assert_int_equal(event_time(m, tomas, 1), 1772366400); /* 2026-03-01 12:00Z */
    assert_int_equal(event_time(m, tomas, 2), 1775044800); /* 2026-04-01 12:00Z */
    assert_true(has_warning(m, "Mars/Olympus_Mons"));
    /* ev9: Jan..Oct on the 1st at 10:00Z but March moved to the 2nd; Nov 1 10:00 is after
     * the export stamp */
    assert_int_equal(events_of(m, renee, KITH_K_MEETING, KITH_DIR_IN), 10);
    assert_int_equal(event_time(m, renee, 0), 1767261600); /* 2026-01-01 10:00Z */
    assert_int_equal(event_time(m, renee, 2), 1772445600); /* 2026-03-02 10:00Z */
    assert_int_equal(event_time(m, renee, 9), 1790848800); /* 2026-10-01 10:00Z */

    assert_int_equal(m->n_events, 1 + 6 + 5 + 3 + 10);
    /* 12 events, plus the room and the two declined attendances, each a row of its own */
    assert_int_equal(m->inputs[0].rows, 15);
    assert_int_equal(m->inputs[0].dropped, 6);
    assert_int_equal(reason_count(m, "no attendees"), 2);
    assert_int_equal(reason_count(m, "cancelled"), 1);
    assert_int_equal(reason_count(m, "declined"), 2);
    assert_int_equal(by_email(m, "zoe@proxy.example"), -1);
    assert_int_equal(reason_count(m, "resource"), 1);
    kith_model_free(m);
}

/* The export stamp, not the clock, bounds a stamped calendar: the same events on any day. */
static void bound_by_stamp(void **state)
{
    (void)state;
    bounded_now = 1781481600; /* "today" = 2026-06-15, before the stamp */
    kith_model *m = load_fixture(read_bounded, "calendar.ics", "me@owner.example");
    int renee = by_email(m, "renee@initech.example");
    assert_int_equal(events_of(m, renee, KITH_K_MEETING, KITH_DIR_IN), 10);
    assert_int_equal(m->n_events, 1 + 6 + 5 + 3 + 10);
    assert_int_equal(reason_count(m, "future"), 0);
    kith_model_free(m);
}

/* A calendar with no DTSTAMP at all (non-conformant): the clock bounds it. Monthly from
 * 2026-01-01 10:00Z, "today" 2026-06-15: Jan..Jun, and the single event of 2026-07-01 has
 * not happened yet. */
static void bound_by_clock(void **state)
{
    (void)state;
    bounded_now = 1781481600; /* 2026-06-15 00:00Z */
    kith_model *m = load_fixture(read_bounded, "calendar-nostamp.ics", "me@owner.example");
    int lee = by_email(m, "lee@example.com");
    assert_int_equal(events_of(m, lee, KITH_K_MEETING, KITH_DIR_OUT), 6);
    assert_int_equal(event_time(m, lee, 5), 1780308000); /* 2026-06-01 10:00Z */
    assert_int_equal(reason_count(m, "future"), 1);
    kith_model_free(m);
}

/* Without --me, every organizer occurrence is a vote: the owner organizes nine meeting
 * occurrences and two solo events, 11 votes, against Renée's 10 monthly occurrences. */
static void organizer_votes(void **state)
{
    (void)state;
    bounded_now = NOW_FAR;
    kith_model *m = load_fixture(read_bounded, "calendar.ics", NULL);
    assert_non_null(m->owner_email);
    assert_string_equal(m->owner_email, "me@owner.example");
    assert_int_equal(by_email(m, "me@owner.example"), -1);
    assert_int_equal(m->n_persons, 5);
    kith_model_free(m);
}

static void windows_zones(void **state)
{
    (void)state;
    assert_string_equal(kith_ical_windows_zone("Pacific Standard Time"), "America/Los_Angeles");
    assert_string_equal(kith_ical_windows_zone("w. europe standard time"), "Europe/Berlin");
    assert_null(kith_ical_windows_zone("Mars Standard Time"));
}

static void sniff(void **state)
{
    (void)state;
    const char *a = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
    assert_true(kith_ical_sniff("basic.ics", a, strlen(a)));
    const char *b = "BEGIN:VCARD\r\n";
    assert_false(kith_ical_sniff("basic.ics", b, strlen(b)));
}

/* fixtures/calendar-declined.ics: an organizer who declines their own event does not attend.
 *   d1 Kim organizes and declines, the owner and Pat attend -> in for Pat only
 *   d2 Kim organizes and declines, only the owner is left     -> dropped (no attendees)
 *   d3 the owner organizes and declines: not a participant     -> no event; Pat and Kim
 *      still met each other (one group)
 *   d4 Kim organizes and comes                                 -> in for Kim */
static void declined_organizer(void **state)
{
    (void)state;
    bounded_now = NOW_FAR;
    kith_model *m = load_fixture(read_bounded, "calendar-declined.ics", "me@owner.example");
    int kim = by_email(m, "kim@aro.example"), pat = by_email(m, "pat@lowe.example");
    assert_true(kim >= 0 && pat >= 0);
    assert_int_equal(events_of(m, kim, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(event_time(m, kim, 0), 1791108000); /* d4, 2026-10-04 10:00Z */
    assert_int_equal(events_of(m, kim, KITH_K_MEETING, KITH_DIR_OUT), 0);
    assert_int_equal(events_of(m, pat, KITH_K_MEETING, KITH_DIR_IN), 1);
    assert_int_equal(event_time(m, pat, 0), 1790848800); /* d1, 2026-10-01 10:00Z */
    assert_int_equal(events_of(m, pat, KITH_K_MEETING, KITH_DIR_OUT), 0);
    assert_int_equal(m->n_events, 2);
    assert_true(share_group(m, kim, pat)); /* d3 */
    assert_int_equal(reason_count(m, "declined"), 3);
    assert_int_equal(reason_count(m, "no attendees"), 1);
    kith_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calendar),       cmocka_unit_test(bound_by_stamp),
        cmocka_unit_test(bound_by_clock), cmocka_unit_test(organizer_votes),
        cmocka_unit_test(windows_zones),  cmocka_unit_test(sniff),
        cmocka_unit_test(declined_organizer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
