/* src/printf_hooks.c: kith's "%f" gives glibc's digits, or declines. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kith/printf_hooks.h"

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...);

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static double unit(void) { return (double)(next() >> 11) / 9007199254740992.0; }

static size_t declined;

/* kith_format_f(d) is glibc's "%f" and "%.3f" of d, or -1 */
static void check(double d)
{
    for (int prec = 3; prec <= 6; prec += 3) {
        char mine[64], theirs[64];
        int n = kith_format_f(mine, sizeof mine, d, prec);
        int m = snprintf(theirs, sizeof theirs, "%.*f", prec, d);
        if (n < 0) {
            declined += prec == 6;
            continue;
        }
        if (n != m || strcmp(mine, theirs) != 0)
            fail_msg("%.17g (%d decimals): kith '%s', glibc '%s'", d, prec, mine, theirs);
    }
}

static void format_f_as_glibc(void **state)
{
    (void)state;
    for (int i = 0; i < 1000000; i++) /* coordinates: -200 .. 1,800 */
        check((unit() - 0.1) * 2000);
    /* it declines only near halves: about 2 in 1,000 here */
    assert_true(declined < 1000000 / 200);
    for (int i = 0; i < 1000000; i++) /* every decade from 1e-8 to 1e6, both signs */
        check((next() & 1 ? -1 : 1) * pow(10, unit() * 14 - 8));
    for (int i = 0; i < 1000000; i++) { /* at and around rounding halves */
        double h = ((double)(next() % 2000000000) + 0.5) / 1e6;
        check(h);
        check(nextafter(h, 0));
        check(nextafter(h, 1e9));
        check(-h);
    }
    for (int i = 0; i < 1000000; i++) { /* exact ties: odd multiples of 2^-7 .. 2^-12 */
        double t = (double)(2 * (next() % 100000000) + 1) / (double)(128 << (next() % 6));
        check(t);
        check(-t);
    }
    for (int i = 0; i < 1000000; i++) /* exact six-decimal values */
        check((double)(int64_t)(next() % 2000000000 - 1000000000) / 1e6);
    const double special[] = {0.0, -0.0, 0.5, 1.5, 2.5, 0.0000005, 0.0000015, 999999.9999995,
                              999999.999999, -999999.9999994, 1e6, -1e6, 1e-300, -1e-300,
                              123.4564999999, 0.1, 0.25, 1600, 1e9, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof special / sizeof *special; i++)
        check(special[i]);
}

static void zero_as_cairo_prints_it(void **state)
{
    (void)state;
    char s[64];
    assert_int_equal(kith_format_f(s, sizeof s, 0.0, 18), 20);
    assert_string_equal(s, "0.000000000000000000");
    assert_int_equal(kith_format_f(s, sizeof s, -0.0, 18), 21);
    assert_string_equal(s, "-0.000000000000000000");
    assert_int_equal(kith_format_f(s, sizeof s, 0.05, 18), -1);
    assert_int_equal(kith_format_f(s, sizeof s, 1.0, 4), -1);
    assert_int_equal(kith_format_f(s, sizeof s, 67.8203125, 6), 9); /* a tie: to even */
    assert_string_equal(s, "67.820312");
    assert_int_equal(kith_format_f(s, 5, 12.5, 6), -1); /* "12.500000" does not fit */
}

/* the replacement glibc's callers reach: "%f" by kith, the rest by glibc, same results */
static void snprintf_chk_forwards(void **state)
{
    (void)state;
    char s[64];
    assert_int_equal(__snprintf_chk(s, sizeof s, 1, sizeof s, "%f", 1234.5), 11);
    assert_string_equal(s, "1234.500000");
    assert_int_equal(__snprintf_chk(s, sizeof s, 1, sizeof s, "%.18f", 0.0), 20);
    assert_string_equal(s, "0.000000000000000000");
    assert_int_equal(__snprintf_chk(s, sizeof s, 1, sizeof s, "%.18f", 0.25), 20);
    assert_string_equal(s, "0.250000000000000000");
    assert_int_equal(__snprintf_chk(s, sizeof s, 1, sizeof s, "%.*f", 3, 2.0625), 5);
    assert_string_equal(s, "2.062");
    assert_int_equal(__snprintf_chk(s, sizeof s, 1, sizeof s, "%.*f", 7, 0.0123), 9);
    assert_string_equal(s, "0.0123000");
    assert_int_equal(__snprintf_chk(s, sizeof s, 1, sizeof s, "%d-%s", 42, "x"), 4);
    assert_string_equal(s, "42-x");
    char big[400];
    assert_int_equal(__snprintf_chk(big, sizeof big, 1, sizeof big, "%f", 1e300), 301 + 7);
    volatile size_t four = 4;
    assert_int_equal(__snprintf_chk(s, four, 1, sizeof s, "%f", 12.5), 9); /* cut, as glibc */
    assert_string_equal(s, "12.");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(format_f_as_glibc),
        cmocka_unit_test(zero_as_cairo_prints_it),
        cmocka_unit_test(snprintf_chk_forwards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
