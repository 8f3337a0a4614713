/* Date parsers: every format of export-formats.md §1, valid and invalid. Expected values are
 * seconds computed independently (Python calendar.timegm). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kith/date.h"
#include "kith/model.h"

static void ok(kith_date_fmt f, const char *s, int64_t want)
{
    int64_t t = 42;
    if (kith_date_parse(f, s, &t) != KITH_OK)
        fail_msg("format %d rejected '%s'", (int)f, s);
    if (t != want)
        fail_msg("format %d: '%s' -> %lld, want %lld", (int)f, s, (long long)t, (long long)want);
}

static void bad(kith_date_fmt f, const char *s)
{
    int64_t t = 42;
    if (kith_date_parse(f, s, &t) != KITH_ERR_FORMAT)
        fail_msg("format %d accepted '%s' as %lld", (int)f, s, (long long)t);
    assert_int_equal(t, 42); /* untouched */
}

static void test_connections(void **state)
{
    (void)state;
    ok(KITH_DATE_D_MON_YYYY, "15 Mar 2021", 1615766400);
    ok(KITH_DATE_D_MON_YYYY, " 15 mar 2021 ", 1615766400);
    ok(KITH_DATE_D_MON_YYYY, "15 March 2021", 1615766400);
    ok(KITH_DATE_D_MON_YYYY, "29 Feb 2020", 1582934400);
    bad(KITH_DATE_D_MON_YYYY, "29 Feb 2021");   /* not a leap year */
    bad(KITH_DATE_D_MON_YYYY, "30 Feb 2020");
    bad(KITH_DATE_D_MON_YYYY, "15 Mrz 2021");   /* not English */
    bad(KITH_DATE_D_MON_YYYY, "15 Marc 2021");
    bad(KITH_DATE_D_MON_YYYY, "15 Mar 21");
    bad(KITH_DATE_D_MON_YYYY, "15 Mar 2021 x");
    bad(KITH_DATE_D_MON_YYYY, "");
    bad(KITH_DATE_D_MON_YYYY, "x");

    ok(KITH_DATE_DD_MON_YY, "29-Feb-20", 1582934400);
    ok(KITH_DATE_DD_MON_YY, "31-Dec-99", 946598400);   /* 99 -> 1999 */
    ok(KITH_DATE_DD_MON_YY, "01-Jan-69", 3124224000);  /* 69 -> 2069 */
    ok(KITH_DATE_DD_MON_YY, "1-Jan-70", 0);            /* 70 -> 1970 */
    bad(KITH_DATE_DD_MON_YY, "29-Feb-21");
    bad(KITH_DATE_DD_MON_YY, "32-Jan-20");
    bad(KITH_DATE_DD_MON_YY, "29-Feb-2020");
}

static void test_messages_and_endorsements(void **state)
{
    (void)state;
    ok(KITH_DATE_YMD_HMS_UTC, "2025-06-01 14:03:22 UTC", 1748786602);
    ok(KITH_DATE_YMD_HMS_UTC, "2000-02-29 00:00:00 utc", 951782400);
    bad(KITH_DATE_YMD_HMS_UTC, "2025-06-01 14:03:22");     /* the zone is part of it */
    bad(KITH_DATE_YMD_HMS_UTC, "2025-06-01 25:03:22 UTC"); /* hour 25 */
    bad(KITH_DATE_YMD_HMS_UTC, "2025-06-01 14:60:22 UTC");
    bad(KITH_DATE_YMD_HMS_UTC, "2025-13-01 14:03:22 UTC"); /* month 13 */
    bad(KITH_DATE_YMD_HMS_UTC, "2025-06-31 14:03:22 UTC"); /* June 31 */
    bad(KITH_DATE_YMD_HMS_UTC, "2025-06-01 14:03:22 CET");

    ok(KITH_DATE_YMD_SLASH_UTC, "2021/09/01 12:41:31 UTC", 1630500091);
    bad(KITH_DATE_YMD_SLASH_UTC, "2021-09-01 12:41:31 UTC");
    bad(KITH_DATE_YMD_SLASH_UTC, "2021/09/00 12:41:31 UTC");
    bad(KITH_DATE_YMD_SLASH_UTC, "2021/02/30 12:41:31 UTC");

    ok(KITH_DATE_YMD_HMS, "2026-04-30 15:32:07", 1777563127);
    ok(KITH_DATE_YMD_HMS, "1969-12-31 23:59:59", -1);
    bad(KITH_DATE_YMD_HMS, "2026-04-31 15:32:07");
    bad(KITH_DATE_YMD_HMS, "2026-04-30 15:32");
    bad(KITH_DATE_YMD_HMS, "2026-4-30 15:32:07");
}

static void test_invitations_recommendations(void **state)
{
    (void)state;
    ok(KITH_DATE_MDY_HM_AMPM, "3/14/25, 2:37 PM", 1741963020);
    ok(KITH_DATE_MDY_HM_AMPM, "1/9/25, 10:02 AM", 1736416920);
    ok(KITH_DATE_MDY_HM_AMPM, "08/30/22, 05:51 PM", 1661881860);
    ok(KITH_DATE_MDY_HM_AMPM, "3/13/17, 10:52 AM", 1489402320);
    ok(KITH_DATE_MDY_HM_AMPM, "1/1/25, 12:05 AM", 1735689900); /* 12 AM is midnight */
    ok(KITH_DATE_MDY_HM_AMPM, "1/1/25, 12:05 PM", 1735733100); /* 12 PM is noon */
    bad(KITH_DATE_MDY_HM_AMPM, "14/3/25, 2:37 PM");  /* day-first is not this format */
    bad(KITH_DATE_MDY_HM_AMPM, "2/30/25, 2:37 PM");
    bad(KITH_DATE_MDY_HM_AMPM, "3/14/25, 13:37 PM");
    bad(KITH_DATE_MDY_HM_AMPM, "3/14/25, 0:37 AM");
    bad(KITH_DATE_MDY_HM_AMPM, "3/14/25, 2:37");
    bad(KITH_DATE_MDY_HM_AMPM, "3/14/25, 2:61 PM");
}

static void test_profile_positions(void **state)
{
    (void)state;
    ok(KITH_DATE_MON_YYYY, "Jan 2020", 1577836800);
    ok(KITH_DATE_MON_YYYY, "January 2020", 1577836800);
    bad(KITH_DATE_MON_YYYY, "Jan 20");
    bad(KITH_DATE_MON_YYYY, "Foo 2020");
    bad(KITH_DATE_MON_YYYY, "2020");

    ok(KITH_DATE_MON_D_YYYY, "Apr 15, 1988", 577065600);
    ok(KITH_DATE_MON_D_YYYY, "Apr 15 1988", 577065600);
    bad(KITH_DATE_MON_D_YYYY, "Apr 31, 1988");
    bad(KITH_DATE_MON_D_YYYY, "15 Apr, 1988");
}

static void test_iso8601(void **state)
{
    (void)state;
    ok(KITH_DATE_ISO8601, "2026-10-03", 1790985600);
    ok(KITH_DATE_ISO8601, "2026-10-03T14:00:00Z", 1791036000);
    ok(KITH_DATE_ISO8601, "2026-10-03T14:00Z", 1791036000);
    ok(KITH_DATE_ISO8601, "2026-10-03T14:00:00.250Z", 1791036000);
    ok(KITH_DATE_ISO8601, "2026-10-03T16:00:00+02:00", 1791036000);
    ok(KITH_DATE_ISO8601, "2026-10-03T16:00:00+0200", 1791036000);
    ok(KITH_DATE_ISO8601, "2026-10-03T09:00:00-05:00", 1791036000);
    ok(KITH_DATE_ISO8601, "2026-10-03T12:00:00", 1791028800); /* no zone: UTC */
    ok(KITH_DATE_ISO8601, "2026-10-03 12:00:00", 1791028800);
    bad(KITH_DATE_ISO8601, "2026-10-32");
    bad(KITH_DATE_ISO8601, "2026-02-29");
    bad(KITH_DATE_ISO8601, "2026-10-03T24:00:00Z");
    bad(KITH_DATE_ISO8601, "2026-10-03T14:00:00+25:00");
    bad(KITH_DATE_ISO8601, "2026-10-03T14");
    bad(KITH_DATE_ISO8601, "2026-10-03Tx");
    bad(KITH_DATE_ISO8601, "20261003");
}

static void test_any_and_helpers(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(kith_date_parse_any("15 Mar 2021", &t), KITH_OK);
    assert_int_equal(t, 1615766400);
    assert_int_equal(kith_date_parse_any("2021/09/01 12:41:31 UTC", &t), KITH_OK);
    assert_int_equal(t, 1630500091);
    assert_int_equal(kith_date_parse_any("yesterday", &t), KITH_ERR_FORMAT);
    assert_int_equal(kith_date_parse((kith_date_fmt)99, "2021-01-01", &t), KITH_ERR_FORMAT);

    assert_int_equal(kith_time_make(2020, 2, 29, 0, 0, 0, &t), KITH_OK);
    assert_int_equal(t, 1582934400);
    assert_int_equal(kith_time_make(1900, 2, 29, 0, 0, 0, &t), KITH_ERR_FORMAT); /* century */
    assert_int_equal(kith_time_make(2000, 2, 29, 0, 0, 0, &t), KITH_OK);        /* 400 rule */
    assert_int_equal(kith_days_from_civil(1600, 1, 1), -11676096000 / 86400);

    int y, m, d;
    kith_civil_from_days(kith_days_from_civil(2024, 12, 31), &y, &m, &d);
    assert_int_equal(y, 2024);
    assert_int_equal(m, 12);
    assert_int_equal(d, 31);

    char buf[21];
    assert_string_equal(kith_time_format(1748786602, 0, buf), "2025-06-01T14:03:22Z");
    assert_string_equal(kith_time_format(1748786602, 1, buf), "2025-06-01");
    assert_string_equal(kith_time_format(-1, 0, buf), "1969-12-31T23:59:59Z");
    assert_string_equal(kith_time_format(KITH_NO_TIME, 0, buf), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connections),
        cmocka_unit_test(test_messages_and_endorsements),
        cmocka_unit_test(test_invitations_recommendations),
        cmocka_unit_test(test_profile_positions),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_any_and_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
