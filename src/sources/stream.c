/* Byte streams over a plain file, a zip member (libzip, streamed) or memory, with a peek
 * buffer so the loader can sniff a file's first bytes and hand the same stream to a reader. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "reader.h"

/* Zip bomb guard: a real export member is a few MB and compresses 3-20 times. */
#define KITH_ZIP_MAX_SIZE (2ull * 1024 * 1024 * 1024)
#define KITH_ZIP_MAX_RATIO 1000

struct kith_stream {
    char *name;
    char *path; /* NULL for zip members and memory */
    FILE *fp;
    zip_file_t *zf;
    uint64_t declared; /* a zip member's uncompressed size: reading more is an error */
    uint64_t total;
    unsigned char *mem; /* memory stream */
    size_t mem_len, mem_pos;
    unsigned char *peek; /* bytes read ahead by kith_stream_peek */
    size_t peek_len, peek_pos, peek_cap;
    FILE *progress;      /* a terminal to show progress on, or NULL */
    uint64_t size;       /* the whole stream's size when known (0 = unknown) */
    uint64_t done;       /* bytes handed out so far */
    uint64_t next_report;
    struct timespec started;
};

struct kith_zip {
    char *path;
    zip_t *za;
    size_t n;
    char **names;
};

static kith_err stream_new(kith_stream **out, const char *name, const char *path, kith_diag *d)
{
    kith_stream *s = calloc(1, sizeof *s);
    if (!s || !(s->name = strdup(name)) || (path && !(s->path = strdup(path)))) {
        kith_stream_close(s);
        return kith_diag_set(d, KITH_ERR_NOMEM, name, 0, "out of memory");
    }
    *out = s;
    return KITH_OK;
}

kith_err kith_stream_open_file(kith_stream **out, const char *path, kith_diag *d)
{
    kith_stream *s = NULL;
    kith_err e = stream_new(&s, path, path, d);
    if (e != KITH_OK)
        return e;
    if (!(s->fp = fopen(path, "rb"))) {
        int err = errno;
        kith_stream_close(s);
        return kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot read: %s", strerror(err));
    }
    *out = s;
    return KITH_OK;
}

kith_err kith_stream_open_mem(kith_stream **out, const char *name, const void *data, size_t n,
                              kith_diag *d)
{
    kith_stream *s = NULL;
    kith_err e = stream_new(&s, name, NULL, d);
    if (e != KITH_OK)
        return e;
    if (!(s->mem = malloc(n ? n : 1))) {
        kith_stream_close(s);
        return kith_diag_set(d, KITH_ERR_NOMEM, name, 0, "out of memory");
    }
    if (n)
        memcpy(s->mem, data, n);
    s->mem_len = n;
    *out = s;
    return KITH_OK;
}

void kith_stream_close(kith_stream *s)
{
    if (!s)
        return;
    if (s->fp)
        fclose(s->fp);
    if (s->zf)
        zip_fclose(s->zf);
    free(s->mem);
    free(s->peek);
    free(s->name);
    free(s->path);
    free(s);
}

const char *kith_stream_name(const kith_stream *s)
{
    return s ? s->name : "";
}
const char *kith_stream_path(const kith_stream *s)
{
    return s ? s->path : NULL;
}

/* Reads from the underlying source, ignoring the peek buffer. */
static long raw_read(kith_stream *s, void *buf, size_t n, kith_diag *d)
{
    if (s->fp) {
        size_t got = fread(buf, 1, n, s->fp);
        if (got < n && ferror(s->fp))
            return kith_diag_set(d, KITH_ERR_IO, s->name, 0, "read error: %s", strerror(errno)), -1;
        return (long)got;
    }
    if (s->zf) {
        zip_int64_t got = zip_fread(s->zf, buf, n);
        if (got < 0)
            return kith_diag_set(d, KITH_ERR_IO, s->name, 0, "cannot read zip member: %s",
                                 zip_file_strerror(s->zf)),
                   -1;
        s->total += (uint64_t)got;
        /* A member that expands past its declared size lies in its headers. */
        if (s->total > s->declared)
            return kith_diag_set(d, KITH_ERR_FORMAT, s->name, 0,
                                 "zip member is larger than its header says (a zip bomb?)"),
                   -1;
        return (long)got;
    }
    if (s->mem) {
        size_t left = s->mem_len - s->mem_pos;
        size_t k = n < left ? n : left;
        memcpy(buf, s->mem + s->mem_pos, k);
        s->mem_pos += k;
        return (long)k;
    }
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One self-overwriting line per 4 MiB: "kith: NAME  12.0 of 96.3 MB  41 MB/s". */
static void show_progress(kith_stream *s, bool last)
{
    if (!last && s->done < s->next_report)
        return;
    s->next_report = s->done + (4u << 20);
    double secs = seconds_since(&s->started), mb = (double)s->done / 1e6;
    fprintf(s->progress, "\rkith: %s  %.1f", s->name, mb);
    if (s->size)
        fprintf(s->progress, " of %.1f", (double)s->size / 1e6);
    fprintf(s->progress, " MB  %.0f MB/s\033[K%s", secs > 0 ? mb / secs : 0.0, last ? "\n" : "");
    fflush(s->progress);
}

void kith_stream_set_progress(kith_stream *s, FILE *tty)
{
    if (!s || !tty || !isatty(fileno(tty)))
        return;
    s->progress = tty;
    s->size = s->declared;
    if (s->fp) {
        struct stat st;
        if (fstat(fileno(s->fp), &st) == 0 && S_ISREG(st.st_mode))
            s->size = (uint64_t)st.st_size;
    }
    clock_gettime(CLOCK_MONOTONIC, &s->started);
}

void kith_stream_end_progress(kith_stream *s)
{
    if (s && s->progress)
        show_progress(s, true);
}

long kith_stream_read(kith_stream *s, void *buf, size_t n, kith_diag *d)
{
    if (!s || !buf)
        return -1;
    if (n > LONG_MAX)
        n = LONG_MAX;
    long got;
    if (s->peek_pos < s->peek_len) {
        size_t left = s->peek_len - s->peek_pos;
        size_t k = n < left ? n : left;
        memcpy(buf, s->peek + s->peek_pos, k);
        s->peek_pos += k;
        got = (long)k;
    } else {
        got = raw_read(s, buf, n, d);
    }
    if (got > 0 && s->progress) {
        s->done += (uint64_t)got;
        show_progress(s, false);
    }
    return got;
}

long kith_stream_peek(kith_stream *s, size_t n, const char **head, kith_diag *d)
{
    if (!s || !head)
        return -1;
    /* Keep the unread part, then top it up to n bytes. */
    if (s->peek_pos > 0) {
        memmove(s->peek, s->peek + s->peek_pos, s->peek_len - s->peek_pos);
        s->peek_len -= s->peek_pos;
        s->peek_pos = 0;
    }
    if (n > s->peek_cap) {
        unsigned char *p = realloc(s->peek, n);
        if (!p)
            return kith_diag_set(d, KITH_ERR_NOMEM, s->name, 0, "out of memory"), -1;
        s->peek = p;
        s->peek_cap = n;
    }
    while (s->peek_len < n) {
        long got = raw_read(s, s->peek + s->peek_len, n - s->peek_len, d);
        if (got < 0)
            return -1;
        if (got == 0)
            break;
        s->peek_len += (size_t)got;
    }
    *head = (const char *)s->peek;
    return (long)(s->peek_len < n ? s->peek_len : n);
}

/* ------------------------------------------------------------------------------------------
 * Zip archives
 * ------------------------------------------------------------------------------------------ */

kith_err kith_zip_open(kith_zip **out, const char *path, kith_diag *d)
{
    kith_err e = KITH_OK;
    int code = 0;
    kith_zip *z = calloc(1, sizeof *z);
    if (!z || !(z->path = strdup(path))) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory");
        goto cleanup;
    }
    if (!(z->za = zip_open(path, ZIP_RDONLY, &code))) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        if (code == ZIP_ER_NOZIP)
            e = kith_diag_set(d, KITH_ERR_NOT_ZIP, path, 0, "not a zip archive");
        else if (code == ZIP_ER_INCONS)
            e = kith_diag_set(d, KITH_ERR_NOT_ZIP, path, 0,
                              "not a zip archive (damaged or truncated)");
        else
            e = kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot read zip archive: %s",
                              zip_error_strerror(&ze));
        zip_error_fini(&ze);
        goto cleanup;
    }
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    z->n = n > 0 ? (size_t)n : 0;
    if (z->n && !(z->names = calloc(z->n, sizeof *z->names))) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < z->n; i++) {
        const char *name = zip_get_name(z->za, (zip_uint64_t)i, 0);
        if (!(z->names[i] = strdup(name ? name : ""))) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory");
            goto cleanup;
        }
    }
    *out = z;
    z = NULL;
cleanup:
    kith_zip_close(z);
    return e;
}

void kith_zip_close(kith_zip *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za); /* read-only: nothing to write back */
    for (size_t i = 0; z->names && i < z->n; i++)
        free(z->names[i]);
    free(z->names);
    free(z->path);
    free(z);
}

size_t kith_zip_count(const kith_zip *z)
{
    return z ? z->n : 0;
}

const char *kith_zip_member(const kith_zip *z, size_t i)
{
    return z && i < z->n ? z->names[i] : "";
}

kith_err kith_zip_open_member(kith_zip *z, size_t i, kith_stream **out, kith_diag *d)
{
    kith_err e = KITH_OK;
    kith_stream *s = NULL;
    char *name = NULL;
    if (!z || i >= z->n)
        return kith_diag_set(d, KITH_ERR_IO, z ? z->path : NULL, 0, "no such zip member");
    size_t len = strlen(z->path) + strlen(z->names[i]) + 2;
    if (!(name = malloc(len))) {
        e = kith_diag_set(d, KITH_ERR_NOMEM, z->path, 0, "out of memory");
        goto cleanup;
    }
    snprintf(name, len, "%s:%s", z->path, z->names[i]);

    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z->za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        e = kith_diag_set(d, KITH_ERR_FORMAT, name, 0, "cannot read zip member: %s",
                          zip_strerror(z->za));
        goto cleanup;
    }
    if (st.size > KITH_ZIP_MAX_SIZE) {
        e = kith_diag_set(d, KITH_ERR_FORMAT, name, 0,
                          "refusing a zip member of %llu bytes uncompressed (over 2 GiB; a zip "
                          "bomb?)",
                          (unsigned long long)st.size);
        goto cleanup;
    }
    if ((st.valid & ZIP_STAT_COMP_SIZE) && st.size > 0 &&
        (st.comp_size == 0 || st.size / st.comp_size > KITH_ZIP_MAX_RATIO)) {
        e = kith_diag_set(d, KITH_ERR_FORMAT, name, 0,
                          "refusing a zip member that expands %llu times (over %d; a zip bomb?)",
                          (unsigned long long)(st.comp_size ? st.size / st.comp_size : st.size),
                          KITH_ZIP_MAX_RATIO);
        goto cleanup;
    }
    if ((e = stream_new(&s, name, NULL, d)) != KITH_OK)
        goto cleanup;
    s->declared = st.size;
    if (!(s->zf = zip_fopen_index(z->za, (zip_uint64_t)i, 0))) {
        e = kith_diag_set(d, KITH_ERR_FORMAT, name, 0, "cannot open zip member: %s",
                          zip_strerror(z->za));
        goto cleanup;
    }
    *out = s;
    s = NULL;
cleanup:
    kith_stream_close(s);
    free(name);
    return e;
}
