/* Report definitions: built-in defaults, the definitions shipped in reports/, and errors with lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kith/config.h"

/* The source tree is the fixtures folder's grandparent (tests/fixtures). */
static void source_path(char *buf, size_t size, const char *rel)
{
    char root[1024];
    snprintf(root, sizeof root, "%s", KITH_FIXTURES);
    char *cut = strstr(root, "/tests/fixtures");
    assert_non_null(cut);
    *cut = '\0';
    snprintf(buf, size, "%s/%s", root, rel);
}

static void check_spec_numbers(const kith_config *c)
{
    assert_true(c->weights[KITH_K_MESSAGE] == 1 && c->weights[KITH_K_EMAIL] == 1);
    assert_true(c->weights[KITH_K_COMMENT] == 1);
    assert_true(c->weights[KITH_K_REACTION] == 0.25);
    assert_true(c->weights[KITH_K_INVITATION] == 0.5);
    assert_true(c->weights[KITH_K_ENDORSEMENT] == 2);
    assert_true(c->weights[KITH_K_MEETING] == 3 && c->weights[KITH_K_CALL] == 3);
    assert_true(c->weights[KITH_K_RECOMMENDATION] == 8);
    assert_true(c->weights[KITH_K_INTRODUCTION] == 8 && c->weights[KITH_K_GIFT] == 8);
    assert_true(c->half_life_days == 180);
    assert_true(c->new_days == 30);
    assert_true(c->dormant_multiplier == 8 && c->dormant_min_days == 90);
    assert_true(c->dormant_default_days == 365);
    assert_true(c->fading_multiplier == 3 && c->fading_min_days == 45);
    assert_true(c->fading_default_days == 180);
    assert_true(c->cold_days == 365 && c->peak_min == 2);
    assert_true(c->owe_ratio == 1.0 / 3.0 && c->owe_min == 4);
    assert_true(c->dormant_days == 0);
    assert_int_equal(c->seed, 42);
}

static void defaults_are_the_spec(void **state)
{
    (void)state;
    kith_config c;
    kith_config_defaults(&c, "monthly");
    assert_string_equal(c.name, "monthly");
    check_spec_numbers(&c);
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        assert_true(c.sheets[s]);
    for (int k = 0; k < KITH_CHART__COUNT; k++)
        assert_true(c.charts[k]);
    assert_true(c.pdf && c.summary_json);

    kith_config_defaults(&c, "neglected");
    check_spec_numbers(&c);
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        assert_int_equal(c.sheets[s], s == KITH_SHEET_NEGLECTED);
    for (int k = 0; k < KITH_CHART__COUNT; k++)
        assert_int_equal(c.charts[k], k == KITH_CHART_TIE_STATUS);
    assert_false(c.pdf);

    kith_config_defaults(&c, "clusters");
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        assert_int_equal(c.sheets[s], s == KITH_SHEET_CLUSTERS);
    for (int k = 0; k < KITH_CHART__COUNT; k++)
        assert_int_equal(c.charts[k], k == KITH_CHART_CLUSTER_MAP);
    assert_true(c.pdf);
    assert_false(c.summary_json);

    kith_config_defaults(&c, NULL);
    assert_string_equal(c.name, "monthly");
}

/* Each shipped definition states the defaults of its name: loading it changes nothing. */
static void shipped_reports_equal_defaults(void **state)
{
    (void)state;
    const char *names[] = {"monthly", "neglected", "clusters"};
    for (size_t i = 0; i < 3; i++) {
        char path[1200], rel[64];
        snprintf(rel, sizeof rel, "reports/%s.ini", names[i]);
        source_path(path, sizeof path, rel);
        kith_config c, want;
        kith_diag d;
        kith_diag_clear(&d);
        kith_config_defaults(&c, "monthly");
        kith_config_defaults(&want, names[i]);
        kith_err err = kith_config_load(&c, path, &d);
        if (err)
            fail_msg("%s:%ld: %s", d.file, d.line, d.reason);
        assert_string_equal(c.name, names[i]);
        assert_memory_equal(&c, &want, sizeof c);
    }
}

static char tmp_path[64];

static const char *write_tmp(const char *text)
{
    snprintf(tmp_path, sizeof tmp_path, "/tmp/kith-config-XXXXXX");
    int fd = mkstemp(tmp_path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return tmp_path;
}

static kith_err load_text(const char *text, kith_config *c, kith_diag *d)
{
    kith_config_defaults(c, "monthly");
    kith_diag_clear(d);
    kith_err err = kith_config_load(c, write_tmp(text), d);
    unlink(tmp_path);
    return err;
}

static void overrides_apply_over_the_named_defaults(void **state)
{
    (void)state;
    kith_config c;
    kith_diag d;
    /* name after other keys: its defaults still come first */
    assert_int_equal(load_text("[weights]\nmessage = 1.5\n[report]\ncharts = layers, "
                               "ACTIVITY\nname = clusters\n[measures]\nowe_ratio = 1/4\n"
                               "dormant_days = 120\nseed = 7\n",
                               &c, &d),
                     KITH_OK);
    assert_string_equal(c.name, "clusters");
    assert_true(c.weights[KITH_K_MESSAGE] == 1.5);
    assert_true(c.weights[KITH_K_EMAIL] == 1);
    assert_true(c.charts[KITH_CHART_LAYERS] && c.charts[KITH_CHART_ACTIVITY]);
    assert_false(c.charts[KITH_CHART_CLUSTER_MAP]);
    assert_true(c.sheets[KITH_SHEET_CLUSTERS] && !c.sheets[KITH_SHEET_SUMMARY]);
    assert_true(c.owe_ratio == 0.25);
    assert_true(c.dormant_days == 120);
    assert_int_equal(c.seed, 7);

    assert_int_equal(load_text("[report]\nsheets = none\npdf = no\n", &c, &d), KITH_OK);
    for (int s = 0; s < KITH_SHEET__COUNT; s++)
        assert_false(c.sheets[s]);
    assert_false(c.pdf);
}

static void unknown_key_names_its_line(void **state)
{
    (void)state;
    kith_config c;
    kith_diag d;
    assert_int_equal(load_text("; comment\n[report]\nname = monthly\n\n[measures]\n"
                               "half_life = 90\n",
                               &c, &d),
                     KITH_ERR_CONFIG);
    assert_int_equal(d.line, 6);
    assert_non_null(strstr(d.reason, "half_life"));
    assert_non_null(strstr(d.file, "kith-config-"));
    /* a failed load leaves the config untouched */
    assert_true(c.half_life_days == 180);

    assert_int_equal(load_text("[report]\n[colours]\nred = 1\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(d.line, 3);
    assert_non_null(strstr(d.reason, "colours"));

    assert_int_equal(load_text("[report]\nsheets = Summary, Graphs\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.reason, "Graphs"));

    assert_int_equal(load_text("[report]\nname = weekly\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(d.line, 2);

    assert_int_equal(load_text("[weights]\nmessage = 1\nthis line has no equals sign\n", &c,
                               &d),
                     KITH_ERR_CONFIG);
    assert_int_equal(d.line, 3);
}

static void bad_numbers_are_errors(void **state)
{
    (void)state;
    kith_config c;
    kith_diag d;
    assert_int_equal(load_text("[weights]\nmeeting = three\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(d.line, 2);
    assert_non_null(strstr(d.reason, "three"));
    assert_int_equal(load_text("[weights]\ngift = -1\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(load_text("[measures]\nhalf_life_days = 0\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(load_text("[measures]\nowe_ratio = 1/0\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(load_text("[measures]\nnew_days = 30x\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(load_text("[measures]\nseed = -3\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(load_text("[report]\npdf = maybe\n", &c, &d), KITH_ERR_CONFIG);
    assert_int_equal(d.line, 2);
}

static void missing_file_is_io(void **state)
{
    (void)state;
    kith_config c;
    kith_diag d;
    kith_config_defaults(&c, "monthly");
    assert_int_equal(kith_config_load(&c, "/nonexistent/kith.ini", &d), KITH_ERR_IO);
    assert_string_equal(d.file, "/nonexistent/kith.ini");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_spec),
        cmocka_unit_test(shipped_reports_equal_defaults),
        cmocka_unit_test(overrides_apply_over_the_named_defaults),
        cmocka_unit_test(unknown_key_names_its_line),
        cmocka_unit_test(bad_numbers_are_errors),
        cmocka_unit_test(missing_file_is_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
