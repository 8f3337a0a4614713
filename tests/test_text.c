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
    check(kith_url_key, "https://www.linkedin.com/in/dana-okafor-1a2b3c/en", want);
    check(kith_url_key, "https://www.linkedin.com/in/dana-okafor-1a2b3c/details/skills/", want);
    check(kith_url_key, "https://www.linkedin.com/company/acme/", "linkedin.com/company/acme");
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
    check(kith_name_key, "Łukasz Dubois", "lukasz dubois");
    check(kith_name_key, "Søren Kierkegård", "soren kierkegard");
    check(kith_name_key, "Đorđe Æsir", "dorde aesir");
    check(kith_name_key, "Long Ma", "long ma");      /* a surname, not a degree */
    check(kith_name_key, "Okafor, Dana", "dana okafor");
    check(kith_name_key, "Okafor, Dana Ife", "dana ife okafor");
    check(kith_name_key, "García Márquez, Gabriel", "garcia marquez gabriel");
    check(kith_name_key, "Okafor, Dana, PhD", "dana okafor");
    check(kith_name_key, "Okafor, Dana, Lagos", "okafor dana lagos"); /* not Last, First */
    check(kith_name_key, "Dana Okafor, PhD, Acme", "dana okafor acme");
    check(kith_name_key, "Okafor, PhD, Dana", "okafor dana");
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
    check(kith_company_key, "Ørsted A/S", "orsted");
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
    /* no organization: no key, so these strangers are not colleagues */
    check(kith_company_key, "Self-employed", NULL);
    check(kith_company_key, "SELF EMPLOYED", NULL);
    check(kith_company_key, "Freelance", NULL);
    check(kith_company_key, "Independent Consultant", NULL);
    check(kith_company_key, "N/A", NULL);
    check(kith_company_key, "Stealth Startup", NULL);
    check(kith_company_key, "Stealth Robotics Inc.", "stealth robotics"); /* a real name */
    check(kith_company_key, "Student Loans Co", "student loans");
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

/* A valid UTF-8 string: every sequence well formed (no overlong forms, no surrogates). */
static int valid_utf8(const unsigned char *s)
{
    while (*s) {
        unsigned c = *s;
        int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2))
            return 0;
        unsigned cp = n == 0 ? c : c & (0x3F >> n);
        for (int i = 1; i <= n; i++) {
            if ((s[i] & 0xC0) != 0x80)
                return 0;
            cp = cp << 6 | (s[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        s += n + 1;
    }
    return 1;
}

/* Random bytes (fixed seed) never crash a key function, and what comes out is valid UTF-8. */
static void random_bytes_give_valid_keys(void **state)
{
    (void)state;
    key_fn fns[] = {kith_url_key, kith_email_key, kith_name_key, kith_company_key};
    const char alphabet[] = "aZ09 .,@/%:;()|\"'-\xC3\xA9\xF0\x9F\x9A\x80\xFF\xE2\x80\x9C";
    unsigned seed = 12345;
    char in[80];
    for (int round = 0; round < 20000; round++) {
        size_t n = (size_t)(round % 79);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = seed >> 16;
            in[i] = (r & 1) ? alphabet[r % (sizeof alphabet - 1)] : (char)(r >> 3);
            if (!in[i])
                in[i] = 'x';
        }
        in[n] = '\0';
        for (size_t f = 0; f < sizeof fns / sizeof *fns; f++) {
            char *k = fns[f](in);
            if (k) {
                assert_true(valid_utf8((const unsigned char *)k));
                assert_true(k[0] != '\0');
            }
            free(k);
        }
        char *c = kith_utf8_clean(in, n);
        assert_true(valid_utf8((const unsigned char *)c));
        free(c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_keys),       cmocka_unit_test(email_keys),
        cmocka_unit_test(name_keys),      cmocka_unit_test(company_keys),
        cmocka_unit_test(utf8_cleaning),  cmocka_unit_test(random_bytes_give_valid_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
