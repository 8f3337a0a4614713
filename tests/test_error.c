#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kith/error.h"

static void every_code_has_a_message(void **state)
{
    (void)state;
    for (int e = 0; e < KITH_ERR__COUNT; e++)
        assert_string_not_equal(kith_strerror((kith_err)e), "unknown error");
    assert_string_equal(kith_strerror((kith_err)999), "unknown error");
}

static void exit_codes(void **state)
{
    (void)state;
    assert_int_equal(kith_exit_code(KITH_OK), 0);
    assert_int_equal(kith_exit_code(KITH_ERR_USAGE), 2);
    assert_int_equal(kith_exit_code(KITH_ERR_IO), 1);
    assert_int_equal(kith_exit_code(KITH_ERR_FORMAT), 1);
}

static void diag_formats_and_returns(void **state)
{
    (void)state;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_diag_set(&d, KITH_ERR_FORMAT, "a.csv", 7, "bad date '%s'", "x"),
                     KITH_ERR_FORMAT);
    assert_string_equal(d.file, "a.csv");
    assert_int_equal(d.line, 7);
    assert_string_equal(d.reason, "bad date 'x'");
    assert_int_equal(kith_diag_set(NULL, KITH_ERR_IO, NULL, 0, "x"), KITH_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_message),
        cmocka_unit_test(exit_codes),
        cmocka_unit_test(diag_formats_and_returns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
