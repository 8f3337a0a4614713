/* Text normalization for identity keys and safe output (utf8proc behind it).
 * Every function returns a newly allocated string the caller frees, or NULL when the input
 * is NULL or yields an empty key. */
#ifndef KITH_TEXT_H
#define KITH_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Profile URL key: lower-case host, no scheme, no "www.", no query or fragment, no trailing
 * slash, the slug percent-decoded: "https://www.LinkedIn.com/in/lee%20park/?x=1" ->
 * "linkedin.com/in/lee park". */
char *kith_url_key(const char *url);

/* E-mail key: trimmed, lower-cased; NULL when there is no '@'. */
char *kith_email_key(const char *email);

/* Name key: NFKC, case-folded, accents removed, credentials ("PhD", "PMP", "MBA", ... after a
 * comma) and emoji dropped, punctuation removed, whitespace collapsed:
 * "José  García, PhD" -> "jose garcia". */
char *kith_name_key(const char *name);

/* Employer key: case-folded, legal suffixes (Inc, LLC, Ltd, GmbH, Corp, S.A., ...) and
 * punctuation removed, whitespace collapsed: "Acme, Inc." -> "acme". NULL when there is no
 * employer: an empty entry, or one that names no organization ("Self-employed",
 * "Freelance", "Retired", "Student", "Stealth", "N/A", ...). */
char *kith_company_key(const char *company);

/* FNV-1a (64-bit) of a string: stable across runs and machines, for keys such as company
 * keys (the employer cycles' seeds depend on its exact values). */
uint64_t kith_fnv1a(const char *s);

/* A valid UTF-8 copy of s[0..n): invalid sequences become U+FFFD, NUL bytes are dropped. */
char *kith_utf8_clean(const char *s, size_t n);

#endif
