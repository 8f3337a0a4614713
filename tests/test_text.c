/* Normalization keys (src/text.c): hand-written inputs and the keys they must give. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kith/text.h"

typedef char *(*key_fn)(const char *);

static void check(key_fn f, const char *in, const char *want)
{
    char *got = f(in);
    if (!want) {
        if (got)
            fail_msg("'%s' -> '%s', want NULL", in ? in : "(null)", got);
    } else {
        if (!got)
            fail_msg("'%s' -> NULL, want '%s'", in, want);
        if (strcmp(got, want) != 0)
            fail_msg("'%s' -> '%s', want '%s'", in, got, want);
    }
    free(got);
}

static void url_keys(void **state)
{
    (void)state;
    const char *want = "linkedin.com/in/dana-okafor-1a2b3c";
    check(kith_url_key, "https://www.linkedin.com/in/dana-okafor-1a2b3c/?trk=x", want);
    check(kith_url_key, "www.linkedin.com/in/dana-okafor-1a2b3c", want);
    check(kith_url_key, "http://linkedin.com/in/dana-okafor-1a2b3c", want);
    check(kith_url_key, "  HTTPS://WWW.LinkedIn.COM/in/dana-okafor-1a2b3c//  ", want);
    check(kith_url_key, "https://www.linkedin.com/in/dana-okafor-1a2b3c#about", want);
    check(kith_url_key, "https://uk.linkedin.com/in/dana-okafor-1a2b3c", want);
    check(kith_url_key, "https://www.linkedin.com/in/Dana-Okafor-1A2B3C", want);
    check(kith_url_key, "https://www.LinkedIn.com/in/lee%20park/?x=1", "linkedin.com/in/lee park");
    check(kith_url_key, "https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa", "linkedin.com/in/josé-garcía");
    check(kith_url_key, "linkedin.com/in/josé-garcía/", "linkedin.com/in/josé-garcía");
    check(kith_url_key, "https://example.org:8080/People/Ann", "example.org/People/Ann");
    check(kith_url_key, "https://www.example.org", "example.org");
    check(kith_url_key, "https://www.linkedin.com/in/x%2", "linkedin.com/in/x%2");
    check(kith_url_key, "", NULL);
    check(kith_url_key, "   ", NULL);
    check(kith_url_key, "n/a", NULL);
    check(kith_url_key, "not a url", NULL);
    check(kith_url_key, NULL, NULL);
}

static void email_keys(void **state)
{
    (void)state;
    check(kith_email_key, "Lee@Example.COM", "lee@example.com");
    check(kith_email_key, "  lee@example.com\t", "lee@example.com");
    check(kith_email_key, "mailto:lee@example.com", "lee@example.com");
    check(kith_email_key, "MAILTO:Lee@Example.com", "lee@example.com");
    check(kith_email_key, "MailTo:lee@example.com", "lee@example.com");
    check(kith_email_key, "<lee@example.com>", "lee@example.com");
    check(kith_email_key, "Lee Park <Lee@Example.com>", "lee@example.com");
    check(kith_email_key, "\"Park, Lee\" <mailto:lee@example.com>", "lee@example.com");
    check(kith_email_key, "Lee Park <lee@example.com", NULL);
    check(kith_email_key, "< lee@example.com >", "lee@example.com");
    check(kith_email_key, "lee.park+work@sub.example.co.uk", "lee.park+work@sub.example.co.uk");
    check(kith_email_key, "lee", NULL);
    check(kith_email_key, "lee@@example.com", NULL);
    check(kith_email_key, "a@b@c", NULL);
    check(kith_email_key, "@example.com", NULL);
    check(kith_email_key, "lee@", NULL);
    check(kith_email_key, "lee park@example.com", NULL);
    check(kith_email_key, "", NULL);
    check(kith_email_key, NULL, NULL);
}

static void name_keys(void **state)
{
    (void)state;
    check(kith_name_key, "José  García, PhD", "jose garcia");
    check(kith_name_key, "Dana Okafor 🚀", "dana okafor");
    check(kith_name_key, "Dana Okafor", "dana okafor");
    check(kith_name_key, "  DANA   okafor  ", "dana okafor");
    check(kith_name_key, "Dana Okafor, MBA, PMP", "dana okafor");
    check(kith_name_key, "Dana Okafor, P.Eng.", "dana okafor");
    check(kith_name_key, "Dana Okafor PhD", "dana okafor");
    check(kith_name_key, "Dana Okafor Jr.", "dana okafor");
    check(kith_name_key, "Dana Okafor III", "dana okafor");
    check(kith_name_key, "Dana Okafor, CPA, CFA", "dana okafor");
    check(kith_name_key, "Dana Okafor, Esq.", "dana okafor");
    check(kith_name_key, "Dana Okafor (she/her)", "dana okafor");
    check(kith_name_key, "Dana Okafor | Growth at Acme", "dana okafor");
    check(kith_name_key, "Dr. Dana Okafor", "dana okafor");
    check(kith_name_key, "Morgan \"Mo\" Diaz", "morgan diaz");
    check(kith_name_key, "Morgan “Mo” Diaz", "morgan diaz");
    check(kith_name_key, "\"Dee\"", "dee");
    check(kith_name_key, "(Dana Okafor)", "dana okafor");
    check(kith_name_key, "Dana ✨ Okafor ✨", "dana okafor");
    check(kith_name_key, "Seán O'Brien", "sean obrien");
    check(kith_name_key, "Mary-Jane Watson", "mary jane watson");
    check(kith_name_key, "ＤＡＮＡ Okafor", "dana okafor"); /* fullwidth: NFKC */
    check(kith_name_key, "Straße Müller", "strasse muller");
    check(kith_name_key, "Zoë Ångström", "zoe angstrom");
    check(kith_name_key, "Long Ma", "long ma");      /* a surname, not a degree */
    check(kith_name_key, "Okafor, Dana", "okafor dana");
    check(kith_name_key, "Li", "li");
    check(kith_name_key, "🚀", NULL);
    check(kith_name_key, "", NULL);
    check(kith_name_key, " , ", NULL);
    check(kith_name_key, NULL, NULL);
}

static void company_keys(void **state)
{
    (void)state;
    check(kith_company_key, "Acme, Inc.", "acme");
    check(kith_company_key, "Acme Inc", "acme");
    check(kith_company_key, "ACME LLC", "acme");
    check(kith_company_key, "Acme Ltd.", "acme");
    check(kith_company_key, "Acme Limited", "acme");
    check(kith_company_key, "Acme GmbH", "acme");
    check(kith_company_key, "Acme Corp.", "acme");
    check(kith_company_key, "Acme Corporation", "acme");
    check(kith_company_key, "Acme Holdings Co., Ltd.", "acme holdings");
    check(kith_company_key, "Société Générale S.A.", "societe generale");
    check(kith_company_key, "Globex SA", "globex");
    check(kith_company_key, "Initech AG", "initech");
    check(kith_company_key, "Initech plc", "initech");
    check(kith_company_key, "Initech B.V.", "initech");
    check(kith_company_key, "Initech SAS", "initech");
    check(kith_company_key, "Procter & Gamble", "procter gamble");
    check(kith_company_key, "  Globex   Systems ", "globex systems");
    check(kith_company_key, "Inc", "inc"); /* never empty when there was a name */
    check(kith_company_key, "", NULL);
    check(kith_company_key, NULL, NULL);
}

static void utf8_cleaning(void **state)
{
    (void)state;
    char *s = kith_utf8_clean("ab\xff" "c", 4);
    assert_string_equal(s, "ab\xEF\xBF\xBD" "c");
    free(s);
    s = kith_utf8_clean("a\0b", 3);
    assert_string_equal(s, "ab");
    free(s);
    s = kith_utf8_clean("Jos\xC3\xA9", 5);
    assert_string_equal(s, "José");
    free(s);
    s = kith_utf8_clean("x\xC3", 2); /* truncated sequence */
    assert_string_equal(s, "x\xEF\xBF\xBD");
    free(s);
    s = kith_utf8_clean("\xED\xA0\x80", 3); /* a surrogate is not valid UTF-8 */
    assert_non_null(strstr(s, "\xEF\xBF\xBD"));
    assert_null(strstr(s, "\xED"));
    free(s);
    s = kith_utf8_clean("", 0);
    assert_string_equal(s, "");
    free(s);
    assert_null(kith_utf8_clean(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_keys),       cmocka_unit_test(email_keys),
        cmocka_unit_test(name_keys),      cmocka_unit_test(company_keys),
        cmocka_unit_test(utf8_cleaning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
