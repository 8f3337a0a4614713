/* The CSV reader over libcsv and the byte streams: BOM, CRLF, multi-line quoted fields and
 * their line numbers, preambles, \" quotes, UTF-16, invalid UTF-8, limits, field buffer
 * growth, chunk edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/sources/reader.h"
#include "kith/text.h"

typedef struct {
    kith_stream *s;
    kith_csv *c;
    kith_diag d;
} fixture;

static void open_mem(fixture *f, const void *data, size_t n, unsigned flags)
{
    kith_diag_clear(&f->d);
    assert_int_equal(kith_stream_open_mem(&f->s, "t.csv", data, n, &f->d), KITH_OK);
    assert_int_equal(kith_csv_open(&f->c, f->s, flags, &f->d), KITH_OK);
}

static void open_str(fixture *f, const char *text, unsigned flags)
{
    open_mem(f, text, strlen(text), flags);
}

static void close_all(fixture *f)
{
    kith_csv_close(f->c);
    kith_stream_close(f->s);
}

/* Reads the next record and checks its line and fields ("a|b|c"). */
static void expect(fixture *f, long line, const char *joined)
{
    assert_int_equal(kith_csv_next(f->c, &f->d), 1);
    char buf[512] = "";
    for (size_t i = 0; i < kith_csv_nfields(f->c); i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, sizeof buf - l, "%s%s", i ? "|" : "", kith_csv_field(f->c, i));
    }
    assert_string_equal(buf, joined);
    assert_int_equal(kith_csv_line(f->c), line);
}

static void expect_end(fixture *f)
{
    assert_int_equal(kith_csv_next(f->c, &f->d), 0);
    assert_int_equal(kith_csv_next(f->c, &f->d), 0);
}

static void test_lf_crlf_bom(void **state)
{
    (void)state;
    fixture f;
    open_str(&f, "\xEF\xBB\xBFName,Age\r\nAda, 36 \r\n\r\n  \nBo,\"7\"\r\n", 0);
    expect(&f, 1, "Name|Age"); /* BOM gone */
    expect(&f, 2, "Ada|36");   /* unquoted blanks trimmed */
    expect(&f, 5, "Bo|7");     /* blank lines skipped, still counted */
    expect_end(&f);
    assert_string_equal(kith_csv_field(f.c, 0), ""); /* past the end */
    close_all(&f);

    open_str(&f, "a,b\nc,d", 0); /* no final newline */
    expect(&f, 1, "a|b");
    expect(&f, 2, "c|d");
    expect_end(&f);
    close_all(&f);

    open_str(&f, "", 0);
    expect_end(&f);
    close_all(&f);
}

static void test_multiline_quoted(void **state)
{
    (void)state;
    fixture f;
    open_str(&f,
             "id,text,n\n"
             "1,\"Hi Dana,\nfree Thursday?\n\nbye\",x\n"
             "2,\"a \"\"quote\"\", commas\",y\r\n"
             "3,\"\",z\n",
             0);
    expect(&f, 1, "id|text|n");
    expect(&f, 2, "1|Hi Dana,\nfree Thursday?\n\nbye|x");
    expect(&f, 6, "2|a \"quote\", commas|y");
    expect(&f, 7, "3||z");
    expect_end(&f);
    close_all(&f);
}

static void test_header_after_preamble(void **state)
{
    (void)state;
    fixture f;
    open_str(
        &f,
        "Notes:\n"
        "\"When exporting your connection data, you may notice, that...\"\n"
        "\n"
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Dana,Okafor,https://www.linkedin.com/in/dana,,\"Acme, Inc.\",Staff Engineer,15 Mar 2021\n",
        0);
    const char *req[] = {"first name", " Connected On "};
    assert_int_equal(kith_csv_find_header(f.c, req, 2, &f.d), KITH_OK);
    assert_int_equal(kith_csv_line(f.c), 4);
    assert_int_equal(kith_csv_header_nfields(f.c), 7);
    int company = kith_csv_col(f.c, "COMPANY");
    assert_int_equal(company, 4);
    assert_int_equal(kith_csv_col(f.c, "Birthday"), -1);
    assert_int_equal(kith_csv_next(f.c, &f.d), 1);
    assert_int_equal(kith_csv_line(f.c), 5);
    assert_string_equal(kith_csv_get(f.c, company), "Acme, Inc.");
    assert_string_equal(kith_csv_get(f.c, -1), "");
    assert_string_equal(kith_csv_get(f.c, 99), "");
    expect_end(&f);
    close_all(&f);

    open_str(&f, "a,b\n1,2\n", 0);
    const char *missing[] = {"a", "zzz"};
    assert_int_equal(kith_csv_find_header(f.c, missing, 2, &f.d), KITH_ERR_FORMAT);
    assert_string_equal(f.d.file, "t.csv");
    assert_non_null(strstr(f.d.reason, "'zzz'"));
    close_all(&f);

    open_str(&f, "\xEF\xBB\xBF\n\n", 0);
    assert_int_equal(kith_csv_find_header(f.c, missing, 2, &f.d), KITH_ERR_NO_DATA);
    close_all(&f);
}

static void test_backslash_quotes(void **state)
{
    (void)state;
    fixture f;
    const char *text = "Date,Link,Message\n"
                       "2026-04-30 15:32:07,l1,\"He said \\\"great\\\", then left\"\n"
                       "2026-04-30 15:32:08,l2,\"C:\\\\dir and \\n\"\n";
    open_str(&f, text, KITH_CSV_BACKSLASH_QUOTES);
    expect(&f, 1, "Date|Link|Message");
    expect(&f, 2, "2026-04-30 15:32:07|l1|He said \"great\", then left");
    expect(&f, 3, "2026-04-30 15:32:08|l2|C:\\\\dir and \\n");
    expect_end(&f);
    close_all(&f);

    /* Without the flag the same text splits differently: the flag matters. */
    open_str(&f, text, 0);
    expect(&f, 1, "Date|Link|Message");
    assert_int_equal(kith_csv_next(f.c, &f.d), 1);
    assert_string_not_equal(kith_csv_field(f.c, 2), "He said \"great\", then left");
    close_all(&f);
}

/* Encodes ASCII + a few code points as UTF-16 with a BOM. */
static size_t utf16(const unsigned *cps, size_t n, int be, unsigned char *out)
{
    size_t o = 0;
    unsigned units[2];
    out[o++] = be ? 0xFE : 0xFF;
    out[o++] = be ? 0xFF : 0xFE;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        if (cps[i] >= 0x10000) {
            units[k++] = 0xD800 + ((cps[i] - 0x10000) >> 10);
            units[k++] = 0xDC00 + ((cps[i] - 0x10000) & 0x3FF);
        } else {
            units[k++] = cps[i];
        }
        for (size_t j = 0; j < k; j++) {
            out[o++] = (unsigned char)(be ? units[j] >> 8 : units[j] & 0xFF);
            out[o++] = (unsigned char)(be ? units[j] & 0xFF : units[j] >> 8);
        }
    }
    return o;
}

static void test_utf16(void **state)
{
    (void)state;
    /* "Name\r\nJosé 😀\r\n" plus a lone low surrogate */
    const unsigned cps[] = {'N', 'a',  'm', 'e',     '\r', '\n',   'J',  'o',
                            's', 0xE9, ' ', 0x1F600, ',',  0xDC00, '\r', '\n'};
    unsigned char buf[128];
    for (int be = 0; be <= 1; be++) {
        size_t n = utf16(cps, sizeof cps / sizeof *cps, be, buf);
        fixture f;
        open_mem(&f, buf, n, 0);
        expect(&f, 1, "Name");
        expect(&f, 2, "Jos\xC3\xA9 \xF0\x9F\x98\x80|\xEF\xBF\xBD");
        expect_end(&f);
        close_all(&f);
    }
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    fixture f;
    open_str(&f, "a,b\n\xC3(x,ok\xFF\n", 0);
    expect(&f, 1, "a|b");
    assert_int_equal(kith_csv_next(f.c, &f.d), 1);
    assert_string_equal(kith_csv_field(f.c, 0), "\xEF\xBF\xBD(x");
    assert_string_equal(kith_csv_field(f.c, 1), "ok\xEF\xBF\xBD");
    close_all(&f);
}

static void test_limits(void **state)
{
    (void)state;
    /* A field of 17 MiB: a clear error naming the line, not an OOM. */
    size_t big = 17u * 1024 * 1024;
    char *text = malloc(big + 32);
    assert_non_null(text);
    strcpy(text, "a,b\nx,\"");
    size_t n = strlen(text);
    memset(text + n, 'y', big);
    strcpy(text + n + big, "\"\n");
    fixture f;
    open_mem(&f, text, n + big + 2, 0);
    expect(&f, 1, "a|b");
    assert_int_equal(kith_csv_next(f.c, &f.d), -1);
    assert_non_null(strstr(f.d.reason, "16 MiB"));
    assert_int_equal(f.d.line, 2);
    assert_string_equal(f.d.file, "t.csv");
    assert_int_equal(kith_csv_next(f.c, &f.d), -1); /* stays failed */
    close_all(&f);
    free(text);

    /* A quote never closed runs to the end of the file. */
    open_str(&f, "a,b\n1,2\n3,\"open\n4,5\n", 0);
    expect(&f, 1, "a|b");
    expect(&f, 2, "1|2");
    assert_int_equal(kith_csv_next(f.c, &f.d), -1);
    assert_int_equal(f.d.line, 3);
    assert_non_null(strstr(f.d.reason, "never closed"));
    close_all(&f);
}

/* Quoted fields of lengths around libcsv's growth steps (its buffer starts at 4 KiB and its
 * step doubles up to 1 MiB, then grows by 1 MiB) read back whole, in UTF-8, with \" quotes and
 * in UTF-16: each of the three ways of feeding libcsv. */
static void test_field_growth(void **state)
{
    (void)state;
    static const size_t lens[] = {4095, 4096, 4097, 70000, (1u << 20) + 1, 3u << 20};
    for (int way = 0; way < 3; way++) {
        size_t total = 16;
        for (size_t i = 0; i < sizeof lens / sizeof *lens; i++)
            total += lens[i] + 8;
        /* the text: "a\n" then one quoted field of y's ending in z per line */
        char *text = malloc(total);
        assert_non_null(text);
        size_t n = 0;
        memcpy(text, "a\n", 2);
        n = 2;
        for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
            text[n++] = '"';
            memset(text + n, 'y', lens[i] - 1);
            n += lens[i] - 1;
            text[n++] = 'z';
            memcpy(text + n, "\"\n", 2);
            n += 2;
        }
        unsigned char *in = (unsigned char *)text;
        size_t in_n = n;
        if (way == 2) { /* UTF-16LE with a BOM */
            in = malloc(2 * n + 2);
            assert_non_null(in);
            in[0] = 0xFF;
            in[1] = 0xFE;
            for (size_t i = 0; i < n; i++) {
                in[2 + 2 * i] = (unsigned char)text[i];
                in[3 + 2 * i] = 0;
            }
            in_n = 2 * n + 2;
        }
        fixture f;
        open_mem(&f, in, in_n, way == 1 ? KITH_CSV_BACKSLASH_QUOTES : 0);
        expect(&f, 1, "a");
        for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
            assert_int_equal(kith_csv_next(f.c, &f.d), 1);
            assert_int_equal(kith_csv_nfields(f.c), 1);
            const char *v = kith_csv_field(f.c, 0);
            assert_int_equal(strlen(v), lens[i]);
            assert_int_equal(v[0], lens[i] > 1 ? 'y' : 'z');
            assert_int_equal(v[lens[i] - 2], 'y');
            assert_int_equal(v[lens[i] - 1], 'z');
            assert_int_equal(kith_csv_line(f.c), (long)i + 2);
        }
        expect_end(&f);
        close_all(&f);
        if (in != (unsigned char *)text)
            free(in);
        free(text);
    }
}

/* Records across the 64 KiB chunk edges keep their lines; a surrogate pair, a CRLF and a
 * backslash quote split by an edge still decode. */
static void test_chunk_edges(void **state)
{
    (void)state;
    size_t cap = 400000, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)sprintf(text + n, "i,t\n");
    long line = 2;
    int i;
    for (i = 0; n < 300000; i++) {
        if (i % 7 == 0) {
            n += (size_t)sprintf(text + n, "%d,\"two\nlines \\\"q\\\"\"\r\n", i);
        } else {
            n += (size_t)sprintf(text + n, "%d,row %d\r\n", i, i);
        }
    }
    int rows = i;
    fixture f;
    open_mem(&f, text, n, KITH_CSV_BACKSLASH_QUOTES);
    expect(&f, 1, "i|t");
    for (i = 0; i < rows; i++) {
        assert_int_equal(kith_csv_next(f.c, &f.d), 1);
        assert_int_equal(kith_csv_line(f.c), line);
        assert_int_equal(atoi(kith_csv_field(f.c, 0)), i);
        if (i % 7 == 0) {
            assert_string_equal(kith_csv_field(f.c, 1), "two\nlines \"q\"");
            line += 2;
        } else {
            line += 1;
        }
    }
    expect_end(&f);
    close_all(&f);
    free(text);

    /* UTF-16LE with a surrogate pair at every position around the first chunk edge (the
     * edge falls wherever the reader's peek and 64 KiB reads put it; trying each offset
     * makes sure one of them splits the pair). */
    size_t units = 40000;
    unsigned *cps = calloc(units, sizeof *cps);
    unsigned char *buf = malloc(units * 4 + 4);
    assert_non_null(cps);
    assert_non_null(buf);
    for (size_t at = 65526; at <= 65546; at += 2) {
        size_t k = 0;
        cps[k++] = 'x';
        cps[k++] = '\n';
        while (2 + 2 * k < at) /* BOM + units so far: the pair starts at byte `at` */
            cps[k++] = 'a';
        cps[k++] = 0x1F600;
        cps[k++] = '\n';
        size_t len = utf16(cps, k, 0, buf);
        open_mem(&f, buf, len, 0);
        expect(&f, 1, "x");
        assert_int_equal(kith_csv_next(f.c, &f.d), 1);
        const char *field = kith_csv_field(f.c, 0);
        size_t fl = strlen(field);
        assert_int_equal(fl, (at - 6) / 2 + 4);
        assert_string_equal(field + fl - 4, "\xF0\x9F\x98\x80");
        expect_end(&f);
        close_all(&f);
    }
    free(cps);
    free(buf);

    /* A \" of Comments.csv at every position around the chunk edge. */
    text = malloc(70000);
    assert_non_null(text);
    for (size_t at = 65530; at <= 65545; at++) {
        n = (size_t)sprintf(text, "a,b\n1,\"");
        memset(text + n, 'y', at - n);
        n = at;
        n += (size_t)sprintf(text + n, "\\\"q\\\"\"\n2,z\n");
        open_mem(&f, text, n, KITH_CSV_BACKSLASH_QUOTES);
        expect(&f, 1, "a|b");
        assert_int_equal(kith_csv_next(f.c, &f.d), 1);
        const char *field = kith_csv_field(f.c, 1);
        size_t fl = strlen(field);
        assert_int_equal(fl, at - 7 + 3);
        assert_string_equal(field + fl - 3, "\"q\"");
        expect(&f, 3, "2|z");
        expect_end(&f);
        close_all(&f);
    }
    free(text);
}

/* The fast path for plain records gives what libcsv gives: records, fields and lines of
 * random CSV built from regular and irregular pieces (blanks around fields, stray quotes,
 * lone CRs, blank lines, multi-line and doubled quotes, a missing last line end), read
 * both ways, some large enough to cross the 64 KiB chunk edges. */
static char *read_all(const char *data, size_t n, unsigned flags, int *end, long *err_line)
{
    fixture f;
    open_mem(&f, data, n, flags);
    size_t cap = 1024, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = 0;
    while ((*end = kith_csv_next(f.c, &f.d)) == 1) {
        for (size_t i = 0; i <= kith_csv_nfields(f.c); i++) {
            const char *v = i < kith_csv_nfields(f.c) ? kith_csv_field(f.c, i) : "";
            size_t need = len + strlen(v) + 32;
            if (need > cap) {
                while (cap < need)
                    cap *= 2;
                out = realloc(out, cap);
                assert_non_null(out);
            }
            if (i == 0)
                len += (size_t)sprintf(out + len, "%ld:", kith_csv_line(f.c));
            len += (size_t)sprintf(out + len, "%s%s", v, i < kith_csv_nfields(f.c) ? "|" : "\n");
        }
    }
    *err_line = *end < 0 ? f.d.line : 0;
    close_all(&f);
    return out;
}

static void test_fast_path_matches_libcsv(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "bb", "\"q\"", "\"x,y\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"\"", "", "",
        ",", ",", ",", ",", "\n", "\n", "\n", "\r\n", "\r\n", " ", "\t", "\"", "\r", "a b",
        "x\"y", "\"q\" ", " \"q\"", "\"q\"z", "\xC3\xA9", "\xFF", "\\\"", "\n\n", " \n"};
    size_t np = sizeof pieces / sizeof *pieces;
    unsigned long seed = 777;
    size_t cap = 200000;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (int round = 0; round < 1500; round++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        size_t target = round % 50 == 0 ? 150000 : (seed >> 33) % 400;
        size_t n = 0;
        /* mostly regular rows, an irregular piece now and then */
        while (n < target) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            unsigned long r = seed >> 33;
            const char *p = r % 5 ? pieces[r % 10] : pieces[(r / 5) % np];
            size_t l = strlen(p);
            memcpy(buf + n, p, l);
            n += l;
        }
        for (unsigned flags = 0; flags <= KITH_CSV_BACKSLASH_QUOTES; flags++) {
            int end_fast, end_ref;
            long line_fast, line_ref;
            char *fast = read_all(buf, n, flags, &end_fast, &line_fast);
            char *ref = read_all(buf, n, flags | KITH_CSV_LIBCSV_ONLY | KITH_CSV_ONE_THREAD,
                                 &end_ref, &line_ref);
            assert_string_equal(fast, ref);
            assert_int_equal(end_fast, end_ref);
            assert_int_equal(line_fast, line_ref);
            free(fast);
            free(ref);
        }
    }
    free(buf);
}

/* A big file parsed in the producer thread: records and the error at the end arrive as in
 * one thread, and a reader that stops early closes without waiting for the rest. */
static void test_producer_thread(void **state)
{
    (void)state;
    size_t cap = 3u << 20, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)sprintf(text + n, "a,b\n");
    for (int i = 0; n < cap - 100; i++)
        n += (size_t)sprintf(text + n, "%d,\"row\n%d\"\n", i, i);
    n += (size_t)sprintf(text + n, "x,\"never closed\n");
    int end_thread, end_one;
    long line_thread, line_one;
    char *threaded = read_all(text, n, 0, &end_thread, &line_thread);
    char *one = read_all(text, n, KITH_CSV_ONE_THREAD, &end_one, &line_one);
    assert_string_equal(threaded, one);
    assert_int_equal(end_thread, -1);
    assert_int_equal(end_one, -1);
    assert_int_equal(line_thread, line_one);
    assert_true(line_thread > 100000);
    free(threaded);
    free(one);

    fixture f;
    open_mem(&f, text, n, 0);
    expect(&f, 1, "a|b");
    expect(&f, 2, "0|row\n0");
    close_all(&f);
    free(text);
}

/* Random bytes biased towards CSV syntax: every input ends cleanly (a record count or an
 * error with a reason), fields are valid UTF-8, and lines never go backwards. Run under
 * the sanitizer build, this is a small fuzzer with a fixed seed. */
static void test_random_input(void **state)
{
    (void)state;
    static const char alphabet[] = "ab,,\"\"\r\n\n \\\xC3\xA9\xFF\xFE\x00\xEF\xBB\xBF";
    unsigned long seed = 12345;
    char buf[600];
    for (int round = 0; round < 3000; round++) {
        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        size_t n = (seed >> 33) % sizeof buf;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            buf[i] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
        }
        fixture f;
        open_mem(&f, buf, n, round % 2 ? KITH_CSV_BACKSLASH_QUOTES : 0);
        int r;
        long last_line = 0;
        while ((r = kith_csv_next(f.c, &f.d)) == 1) {
            assert_true(kith_csv_line(f.c) >= last_line);
            last_line = kith_csv_line(f.c);
            for (size_t i = 0; i < kith_csv_nfields(f.c); i++) {
                char *clean =
                    kith_utf8_clean(kith_csv_field(f.c, i), strlen(kith_csv_field(f.c, i)));
                assert_string_equal(clean ? clean : "", kith_csv_field(f.c, i));
                free(clean);
            }
        }
        if (r < 0)
            assert_true(f.d.reason[0] != 0);
        close_all(&f);
    }
}

static void test_stream_peek(void **state)
{
    (void)state;
    kith_stream *s;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_stream_open_mem(&s, "m", "hello world", 11, &d), KITH_OK);
    const char *head;
    assert_int_equal(kith_stream_peek(s, 5, &head, &d), 5);
    assert_memory_equal(head, "hello", 5);
    assert_int_equal(kith_stream_peek(s, 100, &head, &d), 11);
    char buf[32];
    assert_int_equal(kith_stream_read(s, buf, 3, &d), 3);
    assert_memory_equal(buf, "hel", 3);
    assert_int_equal(kith_stream_read(s, buf, sizeof buf, &d), 8);
    assert_memory_equal(buf, "lo world", 8);
    assert_int_equal(kith_stream_read(s, buf, sizeof buf, &d), 0);
    assert_string_equal(kith_stream_name(s), "m");
    assert_null(kith_stream_path(s));
    kith_stream_close(s);
    kith_stream_close(NULL);
    kith_csv_close(NULL);

    assert_int_equal(kith_stream_open_file(&s, "/nonexistent/x.csv", &d), KITH_ERR_IO);
    assert_string_equal(d.file, "/nonexistent/x.csv");
    assert_non_null(strstr(d.reason, "cannot read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lf_crlf_bom),
        cmocka_unit_test(test_multiline_quoted),
        cmocka_unit_test(test_header_after_preamble),
        cmocka_unit_test(test_backslash_quotes),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_field_growth),
        cmocka_unit_test(test_chunk_edges),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_fast_path_matches_libcsv),
        cmocka_unit_test(test_producer_thread),
        cmocka_unit_test(test_stream_peek),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
