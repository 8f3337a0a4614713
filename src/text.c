/* Text normalization for identity keys (utf8proc is used here and nowhere else).
 *
 * Keys are built in two steps: utf8proc maps the whole string (NFKC, case fold, marks
 * stripped), then a small tokenizer walks the code points, keeping letters and digits and
 * turning everything else into word breaks, so that rules about credentials and legal
 * suffixes can be applied to whole words. */
#include "kith/text.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* ------------------------------------------------------------------------------------------
 * Small growable byte buffer
 * ------------------------------------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t n, cap;
    bool oom;
} buf;

static void buf_put(buf *b, const void *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = true;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

/* One byte: the common case without buf_put's call (identity keys are built a byte or a
 * code point at a time, once for every distinct name and URL of an export). */
static inline void buf_putc(buf *b, char c)
{
    if (b->n + 2 <= b->cap) {
        b->p[b->n++] = c;
        b->p[b->n] = '\0';
    } else {
        buf_put(b, &c, 1);
    }
}

static void buf_put_cp(buf *b, utf8proc_int32_t cp)
{
    if (cp < 0x80) {
        buf_putc(b, (char)cp);
        return;
    }
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t n = utf8proc_encode_char(cp, tmp);
    buf_put(b, tmp, (size_t)n);
}

/* Hands the buffer over, or NULL when it is empty or allocation failed. */
static char *buf_take(buf *b)
{
    if (b->oom || b->n == 0) {
        free(b->p);
        return NULL;
    }
    return b->p;
}

/* ------------------------------------------------------------------------------------------
 * UTF-8 cleaning
 * ------------------------------------------------------------------------------------------ */

char *kith_utf8_clean(const char *s, size_t n)
{
    if (!s)
        return NULL;
    buf b = {0};
    buf_put(&b, "", 0); /* an empty input still gives "" */
    size_t i = 0;
    while (i < n) {
        /* a run of ASCII without NUL is copied as it is, in one piece */
        size_t run = i;
        while (run < n && (unsigned char)s[run] - 1u < 0x7Fu)
            run++;
        if (run > i) {
            buf_put(&b, s + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = (unsigned char)s[i];
        if (c == 0) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0) {
            buf_put_cp(&b, 0xFFFD);
            i++;
        } else {
            buf_put(&b, s + i, (size_t)len);
            i += (size_t)len;
        }
    }
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* Whether s is all ASCII: NFC, NFKC and dropping marks leave it as it is, and case
 * folding is lower-casing, so utf8proc (most of the cost of a key) is not needed. */
static bool all_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* A copy of s[0..n) with A-Z lower-cased; NULL when out of memory. */
static char *ascii_lower(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
    out[n] = '\0';
    return out;
}

/* NFKC + case fold + marks stripped on a cleaned copy of s; NULL on failure. */
static char *fold(const char *s, bool strip_marks)
{
    size_t n = strlen(s);
    if (all_ascii(s, n))
        return ascii_lower(s, n);
    char *clean = kith_utf8_clean(s, strlen(s));
    if (!clean)
        return NULL;
    utf8proc_uint8_t *out = NULL;
    int opts = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
               UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    if (strip_marks)
        opts |= UTF8PROC_STRIPMARK;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)clean, 0, &out, opts);
    free(clean);
    if (r < 0)
        return NULL;
    return (char *)out;
}

/* ------------------------------------------------------------------------------------------
 * Tokenizing: words of letters and digits, grouped in comma-separated segments
 * ------------------------------------------------------------------------------------------ */

#define MAX_TOKENS 64

typedef struct {
    const char *s[MAX_TOKENS]; /* pointers into the token text (NUL-separated) */
    int seg[MAX_TOKENS];       /* comma-separated segment of each token */
    int n;
    buf text;
} tokens;

static bool is_word_cp(utf8proc_int32_t cp)
{
    if (cp < 0x80) /* ASCII: letters and digits are the only word characters */
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return true;
    default:
        return false;
    }
}

/* Punctuation inside a word that joins rather than splits it ("O'Brien", "S.A.", "J.R.R."). */
static bool is_joiner_cp(utf8proc_int32_t cp)
{
    if (cp == '\'' || cp == 0x2019 || cp == '.' || cp == 0x2018 || cp == '`')
        return true;
    if (cp < 0x80) /* no ASCII character is a mark or a format character */
        return false;
    utf8proc_category_t c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME ||
           c == UTF8PROC_CATEGORY_CF;
}

/* Latin letters that carry their "accent" in the letter itself, so Unicode does not
 * decompose them and STRIPMARK leaves them: ł, ø, đ, ... (after case folding). */
static const char *plain_letter(utf8proc_int32_t cp)
{
    switch (cp) {
    case 0x0142: return "l";  /* ł */
    case 0x0140: return "l";  /* ŀ */
    case 0x00F8: return "o";  /* ø */
    case 0x0111: return "d";  /* đ */
    case 0x00F0: return "d";  /* ð */
    case 0x0127: return "h";  /* ħ */
    case 0x0131: return "i";  /* ı */
    case 0x0167: return "t";  /* ŧ */
    case 0x00E6: return "ae"; /* æ */
    case 0x0153: return "oe"; /* œ */
    case 0x00FE: return "th"; /* þ */
    case 0x0180: return "b";  /* ƀ */
    case 0x0188: return "c";  /* ƈ */
    case 0x0257: return "d";  /* ɗ */
    case 0x0253: return "b";  /* ɓ */
    default: return NULL;
    }
}

/* Splits folded text into words. Parenthesized or bracketed text ("(she/her)") and
 * everything after a '|' (a headline pasted after the name) are dropped when drop_asides. */
static void tokenize(const char *folded, tokens *t, bool drop_asides)
{
    memset(t, 0, sizeof *t);
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)folded;
    utf8proc_ssize_t left = (utf8proc_ssize_t)strlen(folded);
    int seg = 0, depth = 0;
    bool in_word = false, quoted = false;
    size_t starts[MAX_TOKENS];
    while (left > 0) {
        utf8proc_int32_t cp = *p;
        utf8proc_ssize_t len = 1;
        if (cp >= 0x80 && (len = utf8proc_iterate(p, left, &cp)) <= 0) {
            len = 1;
            cp = ' ';
        }
        p += len;
        left -= len;
        if (drop_asides) {
            if (cp == '(' || cp == '[' || cp == '{') {
                depth++;
                cp = ' ';
            } else if ((cp == ')' || cp == ']' || cp == '}') && depth > 0) {
                depth--;
                cp = ' ';
            } else if (cp == '|' && depth == 0) {
                break;
            } else if (cp == '"' || cp == 0x201C || cp == 0x201D) {
                quoted = !quoted; /* a nickname: Morgan "Mo" Diaz */
                cp = ' ';
            }
            if (depth > 0 || (quoted && cp != ' '))
                continue;
        }
        if (is_word_cp(cp)) {
            if (!in_word) {
                if (t->n == MAX_TOKENS)
                    break;
                if (t->text.n > 0 || t->n > 0)
                    buf_putc(&t->text, '\0');
                starts[t->n] = t->text.n;
                t->seg[t->n] = seg;
                t->n++;
                in_word = true;
            }
            const char *plain = plain_letter(cp);
            if (plain)
                buf_put(&t->text, plain, strlen(plain));
            else
                buf_put_cp(&t->text, cp);
        } else if (is_joiner_cp(cp)) {
            /* stays inside the word, contributes nothing */
        } else {
            in_word = false;
            if (cp == ',' || cp == ';')
                seg++;
        }
    }
    buf_putc(&t->text, '\0');
    if (t->text.oom) {
        t->n = 0;
        return;
    }
    for (int i = 0; i < t->n; i++)
        t->s[i] = t->text.p + starts[i];
}

static void tokens_free(tokens *t) { free(t->text.p); }

static bool in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(w, *list) == 0)
            return true;
    return false;
}

/* Joins the kept tokens with single spaces. */
static char *join_kept(const tokens *t, const bool *keep)
{
    buf b = {0};
    for (int i = 0; i < t->n; i++) {
        if (!keep[i])
            continue;
        if (b.n)
            buf_putc(&b, ' ');
        buf_put(&b, t->s[i], strlen(t->s[i]));
    }
    return buf_take(&b);
}

/* ------------------------------------------------------------------------------------------
 * Names
 * ------------------------------------------------------------------------------------------ */

/* Credentials, degrees and generational suffixes, as folded words without punctuation.
 * Any of these is dropped in a segment after a comma ("Dana Okafor, PhD, PMP"). */
static const char *const credentials[] = {
    "phd", "mba", "pmp", "cpa", "md", "do", "jr", "sr", "ii", "iii", "iv", "v", "cfa", "esq",
    "peng", "eng", "ing", "msc", "ms", "ma", "ba", "bs", "bsc", "bcom", "beng", "meng", "mphil",
    "mfa", "llb", "llm", "jd", "dds", "dmd", "rn", "np", "pa", "cissp", "cism", "cisa", "csm",
    "cspo", "scrum", "shrm", "shrmcp", "shrmscp", "phr", "sphr", "pe", "ra", "aia", "leed", "ap",
    "cfp", "chfc", "clu", "cma", "acca", "aca", "fca", "cipd", "frm", "caia", "dba", "edd",
    "psyd", "lcsw", "mph", "mpa", "mha", "mhs", "faia", "facs", "mrcp", "frcs", "pgce",
    "itil", "prince2", "pmiacp", "acp", "six", "sigma", "ccna", "ccnp", "ccie", "aws", "gcp",
    "ceo", "cto", "cfo", "coo", "hons", "retd", "ret", "obe", "mbe", "cbe", "qc", "kc", NULL};

/* Suffixes distinctive enough to drop at the very end without a comma ("Dana Okafor PhD").
 * Words that are also surnames ("Ma", "Do", "Pa") are not here. */
static const char *const trailing_credentials[] = {
    "phd", "mba", "pmp", "cpa", "md", "jr", "sr", "ii", "iii", "iv", "cfa", "esq", "peng",
    "msc", "bsc", "llm", "jd", "dds", "cissp", "csm", "shrmcp", "shrmscp", "sphr", "cfp",
    "mph", "psyd", "edd", "dba", "mphil", "frcs", "pmiacp", NULL};

/* Honorifics dropped at the start when a first and last name follow. */
static const char *const honorifics[] = {"dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame",
                                         NULL};

char *kith_name_key(const char *name)
{
    if (!name)
        return NULL;
    char *folded = fold(name, true);
    if (!folded)
        return NULL;
    tokens t;
    tokenize(folded, &t, true);
    if (t.n == 0) { /* all of it was an aside: "(Dana Okafor)", "\"Dee\"" */
        tokens_free(&t);
        tokenize(folded, &t, false);
    }
    free(folded);
    bool keep[MAX_TOKENS];
    for (int i = 0; i < t.n; i++)
        keep[i] = true;

    /* A segment after a comma made only of credentials goes. (The first segment is never
     * looked up: the list is long and most names have no comma.) */
    for (int i = 0; i < t.n;) {
        int j = i;
        bool all_cred = t.seg[i] > 0;
        while (j < t.n && t.seg[j] == t.seg[i]) {
            if (all_cred && !in_list(t.s[j], credentials))
                all_cred = false;
            j++;
        }
        if (t.seg[i] > 0 && all_cred)
            for (int k = i; k < j; k++)
                keep[k] = false;
        i = j;
    }
    /* The words kept, in output order: "Okafor, Dana" is "Last, First" -> dana okafor. Only
     * a one-word surname before the only comma: "Dana Okafor, Acme" stays as it is. */
    int ord[MAX_TOKENS], n = 0, split = -1;
    for (int i = 0; i < t.n; i++)
        if (keep[i])
            ord[n++] = i;
    for (int k = 1; k < n; k++) {
        if (t.seg[ord[k]] == t.seg[ord[k - 1]])
            continue;
        split = split < 0 && t.seg[ord[0]] == 0 ? k : -2; /* exactly one comma between words */
    }
    if (split == 1 && t.seg[ord[1]] == 1) {
        int rot[MAX_TOKENS], r = 0;
        for (int k = split; k < n; k++)
            rot[r++] = ord[k];
        for (int k = 0; k < split; k++)
            rot[r++] = ord[k];
        memcpy(ord, rot, sizeof(int) * (size_t)n);
    }
    /* Credentials at the end, keeping at least two words; an honorific at the start when a
     * first and last name follow. */
    while (n > 2 && in_list(t.s[ord[n - 1]], trailing_credentials))
        n--;
    int from = n >= 3 && in_list(t.s[ord[0]], honorifics) ? 1 : 0;
    buf b = {0};
    for (int k = from; k < n; k++) {
        if (b.n)
            buf_putc(&b, ' ');
        buf_put(&b, t.s[ord[k]], strlen(t.s[ord[k]]));
    }
    tokens_free(&t);
    return buf_take(&b);
}

/* ------------------------------------------------------------------------------------------
 * Companies
 * ------------------------------------------------------------------------------------------ */

static const char *const legal_suffixes[] = {
    "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "gmbh", "corp", "corporation",
    "co", "sa", "ag", "plc", "bv", "nv", "sas", "sarl", "srl", "spa", "pty", "pte", "oy", "ab",
    "kg", "kk", "sl", "sau", "lda", "ltda", "ug", "se", "pllc", "pc", NULL};

/* Keys (after folding and punctuation removal) of entries that are no employer. */
static const char *const no_employer[] = {
    "self employed", "selfemployed", "self", "freelance", "freelancer", "freelancing",
    "independent", "independent consultant", "independent contractor", "retired",
    "unemployed", "student", "stealth", "stealth startup", "stealth mode", "open to work",
    "looking for new opportunities", "none", "n a", "na", "various", "confidential", NULL};

char *kith_company_key(const char *company)
{
    if (!company)
        return NULL;
    char *folded = fold(company, true);
    if (!folded)
        return NULL;
    tokens t;
    tokenize(folded, &t, false);
    free(folded);
    bool keep[MAX_TOKENS];
    int kept = t.n;
    for (int i = 0; i < t.n; i++)
        keep[i] = true;
    /* Legal suffixes at the end ("Acme Holdings Co., Ltd."), keeping at least one word. */
    for (;;) {
        if (kept > 1 && in_list(t.s[kept - 1], legal_suffixes)) {
            keep[--kept] = false;
        } else if (kept > 2 && strcmp(t.s[kept - 2], "a") == 0 &&
                   strcmp(t.s[kept - 1], "s") == 0) { /* A/S (Denmark, Norway) */
            keep[--kept] = false;
            keep[--kept] = false;
        } else {
            break;
        }
    }
    char *key = join_kept(&t, keep);
    tokens_free(&t);
    /* "Self-employed" and the like name no organization: hundreds of strangers would
     * otherwise share one employer (person-person edges, a cluster named after it). */
    if (key && in_list(key, no_employer)) {
        free(key);
        return NULL;
    }
    return key;
}

/* ------------------------------------------------------------------------------------------
 * E-mail addresses
 * ------------------------------------------------------------------------------------------ */

static bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

char *kith_email_key(const char *email)
{
    if (!email)
        return NULL;
    const char *b = email, *e = email + strlen(email);
    while (b < e && is_space_byte(*b))
        b++;
    while (e > b && is_space_byte(e[-1]))
        e--;
    /* "Dana Okafor <dana@example.com>": the address inside the brackets */
    const char *lt = memchr(b, '<', (size_t)(e - b));
    if (lt) {
        const char *gt = memchr(lt, '>', (size_t)(e - lt));
        if (!gt)
            return NULL;
        b = lt + 1;
        e = gt;
        while (b < e && is_space_byte(*b))
            b++;
        while (e > b && is_space_byte(e[-1]))
            e--;
    }
    if (e - b >= 7 && strncasecmp(b, "mailto:", 7) == 0)
        b += 7;
    while (b < e && is_space_byte(*b))
        b++;
    size_t n = (size_t)(e - b);
    const char *at = NULL;
    for (size_t i = 0; i < n; i++) {
        if (b[i] == '@') {
            if (at)
                return NULL;
            at = b + i;
        } else if (is_space_byte(b[i]) || b[i] == '<' || b[i] == '>' || b[i] == ',') {
            return NULL;
        }
    }
    if (!at || at == b || at == e - 1)
        return NULL;
    char *out = kith_utf8_clean(b, n);
    if (!out)
        return NULL;
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* ------------------------------------------------------------------------------------------
 * Profile URLs
 * ------------------------------------------------------------------------------------------ */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* LinkedIn serves the same profile under www., m. and country hosts (uk., de., ...). */
static bool linkedin_host(buf *host)
{
    static const char li[] = "linkedin.com";
    size_t n = host->n, m = sizeof li - 1;
    if (n < m || strcmp(host->p + n - m, li) != 0)
        return false;
    if (n == m)
        return true;
    if (host->p[n - m - 1] != '.')
        return false;
    size_t sub = n - m - 1;
    if (sub <= 3 && memchr(host->p, '.', sub) == NULL) {
        memmove(host->p, host->p + sub + 1, m + 1);
        host->n = m;
    }
    return true;
}

char *kith_url_key(const char *url)
{
    if (!url)
        return NULL;
    const char *b = url, *e = url + strlen(url);
    while (b < e && is_space_byte(*b))
        b++;
    while (e > b && is_space_byte(e[-1]))
        e--;
    /* scheme */
    const char *p = b;
    while (p < e && (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.'))
        p++;
    if (p + 3 <= e && p > b && p[0] == ':' && p[1] == '/' && p[2] == '/')
        b = p + 3;
    while (b < e && *b == '/')
        b++;
    for (p = b; p < e; p++)
        if (*p == '?' || *p == '#') {
            e = p;
            break;
        }
    const char *slash = memchr(b, '/', (size_t)(e - b));
    const char *host_end = slash ? slash : e;
    buf host = {0};
    for (p = b; p < host_end; p++) {
        if (*p == ':' || *p == '@') { /* port or user info: not part of the identity */
            if (*p == '@') {
                host.n = 0;
                continue;
            }
            break;
        }
        if (is_space_byte(*p)) {
            free(host.p);
            return NULL;
        }
        buf_putc(&host, (char)tolower((unsigned char)*p));
    }
    if (host.oom || host.n == 0 || !memchr(host.p, '.', host.n)) {
        free(host.p);
        return NULL;
    }
    if (host.n > 4 && strncmp(host.p, "www.", 4) == 0) {
        memmove(host.p, host.p + 4, host.n - 3);
        host.n -= 4;
    }
    bool li = linkedin_host(&host);

    /* path, percent-decoded, trailing slashes dropped */
    buf path = {0};
    for (p = host_end; p < e; p++) {
        if (*p == '%' && e - p >= 3 && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
            buf_putc(&path, (char)(hexval(p[1]) * 16 + hexval(p[2])));
            p += 2;
        } else {
            buf_putc(&path, *p);
        }
    }
    while (path.n > 0 && path.p[path.n - 1] == '/')
        path.p[--path.n] = '\0';
    /* A LinkedIn profile is /in/<slug>; what follows (a locale "/en", "/details/...") is a
     * view of the same person. */
    if (li && path.n > 4 && strncmp(path.p, "/in/", 4) == 0) {
        char *end = memchr(path.p + 4, '/', path.n - 4);
        if (end && end > path.p + 4) {
            path.n = (size_t)(end - path.p);
            path.p[path.n] = '\0';
        }
    }

    buf out = {0};
    char *clean_host = kith_utf8_clean(host.p, host.n);
    free(host.p);
    if (!clean_host) {
        free(path.p);
        return NULL;
    }
    buf_put(&out, clean_host, strlen(clean_host));
    free(clean_host);
    if (path.n) {
        /* Slugs come raw in one file and %-encoded in another: compare them composed, and
         * case-insensitively on LinkedIn, whose profile slugs ignore case. */
        char *clean = kith_utf8_clean(path.p, path.n);
        utf8proc_uint8_t *norm = NULL;
        if (clean && all_ascii(clean, strlen(clean))) {
            norm = (utf8proc_uint8_t *)(li ? ascii_lower(clean, strlen(clean)) : strdup(clean));
        } else if (clean) {
            int opts = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE;
            if (li)
                opts |= UTF8PROC_CASEFOLD;
            if (utf8proc_map((const utf8proc_uint8_t *)clean, 0, &norm, opts) < 0)
                norm = NULL;
        }
        if (norm)
            buf_put(&out, norm, strlen((char *)norm));
        else
            out.oom = true;
        free(norm);
        free(clean);
    }
    free(path.p);
    return buf_take(&out);
}

uint64_t kith_fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    return h;
}
