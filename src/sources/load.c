/* kith_load: every input path -> the formats that know it -> one kith_ingest -> the model.
 *
 * A folder is scanned one level deep (an unpacked export may sit in a subfolder), a zip is
 * read member by member; both list their files as relative names sorted bytewise, so the zip
 * and its unpacked folder are read in the same order and give the same model. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "kith/date.h"
#include "kith/sources.h"
#include "kith/trace.h"
#include "reader.h"

#define SNIFF_BYTES 4096

/* ---- The registry of formats: one array per reader file, tried in this order. -----------
 * The sources branch adds its arrays here (Google/Outlook CSV, vCard, mbox, .ics, generic
 * CSV), each declared in reader.h. */
static const kith_format *const registry[] = {
    kith_linkedin_formats,
    /* sources branch: contacts files, then the content-sniffed text formats */
    kith_contacts_formats,
    kith_vcard_formats,
    kith_mbox_formats,
    kith_ical_formats,
    kith_generic_formats,
};

typedef struct {
    kith_ingest *ing;
    kith_diag *d;
    FILE *progress; /* NULL: quiet */
} loader;

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static const kith_format *find_format(const char *base, const char *head, size_t n)
{
    for (size_t r = 0; r < sizeof registry / sizeof *registry; r++)
        for (const kith_format *f = registry[r]; f->kind; f++)
            if (f->sniff(base, head, n))
                return f;
    return NULL;
}

/* Sniffs s and hands it to its reader; *known tells whether a format took it. */
static kith_err load_stream(loader *L, kith_stream *s, const char *base, bool *known)
{
    const char *head;
    long n = kith_stream_peek(s, SNIFF_BYTES, &head, L->d);
    *known = false;
    if (n < 0)
        return KITH_ERR_IO;
    const kith_format *f = find_format(base, head, (size_t)n);
    if (!f)
        return KITH_OK;
    *known = true;
    kith_stream_set_progress(s, L->progress);
    kith_err err = f->read(s, L->ing, L->d);
    kith_stream_end_progress(s);
    return err;
}

/* "Basic_LinkedInDataExport_05-01-2026.zip" (or the unpacked folder) -> that date. */
static void export_date_from_name(loader *L, const char *path)
{
    char name[512];
    snprintf(name, sizeof name, "%s", base_name(path));
    size_t len = strlen(name);
    while (len && name[len - 1] == '/')
        name[--len] = 0;
    const char *base = base_name(name);
    static const char tag[] = "linkedindataexport_";
    for (const char *p = base; *p; p++) {
        if (strncasecmp(p, tag, sizeof tag - 1) != 0)
            continue;
        const char *q = p + sizeof tag - 1;
        int m, d, y, used = 0;
        if (sscanf(q, "%2d-%2d-%4d%n", &m, &d, &y, &used) == 3 && used == 10 &&
            (q[10] == 0 || strcasecmp(q + 10, ".zip") == 0)) {
            int64_t t;
            if (kith_time_make(y, m, d, 0, 0, 0, &t) == KITH_OK)
                kith_ingest_export_date(L->ing, t);
        }
        return;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct {
    char **v;
    size_t n, cap;
} str_list;

static void list_free(str_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static bool list_add(str_list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    if (!(l->v[l->n] = strdup(s)))
        return false;
    l->n++;
    return true;
}

/* Lists the regular files of dir (relative to root, prefix "" or "sub/"), descending into
 * subfolders while depth > 0. Hidden entries are skipped. */
static kith_err list_folder(const char *root, const char *rel, int depth, str_list *out,
                            kith_diag *d)
{
    kith_err e = KITH_OK;
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *dir = opendir(path);
    if (!dir)
        return kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot read folder: %s", strerror(errno));
    struct dirent *ent;
    while ((ent = readdir(dir))) {
        if (ent->d_name[0] == '.')
            continue;
        char child_rel[4096], child[8192];
        snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, *rel ? "/" : "", ent->d_name);
        snprintf(child, sizeof child, "%s/%s", root, child_rel);
        struct stat st;
        if (stat(child, &st) != 0)
            continue; /* a dangling link is not an input */
        if (S_ISDIR(st.st_mode)) {
            if (depth > 0 && (e = list_folder(root, child_rel, depth - 1, out, d)) != KITH_OK)
                break;
        } else if (S_ISREG(st.st_mode) && !list_add(out, child_rel)) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, path, 0, "out of memory");
            break;
        }
    }
    closedir(dir);
    return e;
}

static kith_err load_folder(loader *L, const char *path)
{
    str_list files = {0};
    kith_stream *s = NULL;
    size_t known_files = 0;
    kith_err e = list_folder(path, "", 1, &files, L->d);
    if (e != KITH_OK)
        goto cleanup;
    if (files.n)
        qsort(files.v, files.n, sizeof *files.v, cmp_str);
    export_date_from_name(L, path);
    for (size_t i = 0; i < files.n; i++) {
        char full[8192];
        size_t plen = strlen(path);
        snprintf(full, sizeof full, "%.*s/%s",
                 (int)(plen && path[plen - 1] == '/' ? plen - 1 : plen), path, files.v[i]);
        bool known;
        if ((e = kith_stream_open_file(&s, full, L->d)) != KITH_OK)
            goto cleanup;
        if ((e = load_stream(L, s, base_name(files.v[i]), &known)) != KITH_OK)
            goto cleanup;
        known_files += known;
        kith_stream_close(s);
        s = NULL;
    }
    if (known_files == 0)
        e = kith_diag_set(L->d, KITH_ERR_UNKNOWN, path, 0, "no known export file in this folder");
cleanup:
    kith_stream_close(s);
    list_free(&files);
    return e;
}

typedef struct {
    const char *name;
    size_t index;
} member;

static int cmp_member(const void *a, const void *b)
{
    return strcmp(((const member *)a)->name, ((const member *)b)->name);
}

static kith_err load_zip(loader *L, const char *path)
{
    kith_zip *z = NULL;
    kith_stream *s = NULL;
    member *m = NULL;
    size_t n = 0, known_files = 0;
    kith_err e = kith_zip_open(&z, path, L->d);
    if (e != KITH_OK)
        goto cleanup;
    size_t count = kith_zip_count(z);
    if (count && !(m = calloc(count, sizeof *m))) {
        e = kith_diag_set(L->d, KITH_ERR_NOMEM, path, 0, "out of memory");
        goto cleanup;
    }
    /* Like a folder: files at the root or one folder deep, no folders, no hidden files. */
    for (size_t i = 0; i < count; i++) {
        const char *name = kith_zip_member(z, i);
        const char *slash = strchr(name, '/');
        size_t len = strlen(name);
        if (!len || name[len - 1] == '/' || (slash && strchr(slash + 1, '/')) ||
            base_name(name)[0] == '.' || name[0] == '.' || strncmp(name, "__MACOSX/", 9) == 0)
            continue;
        m[n++] = (member){name, i};
    }
    if (n)
        qsort(m, n, sizeof *m, cmp_member);
    export_date_from_name(L, path);
    for (size_t i = 0; i < n; i++) {
        bool known;
        if ((e = kith_zip_open_member(z, m[i].index, &s, L->d)) != KITH_OK)
            goto cleanup;
        if ((e = load_stream(L, s, base_name(m[i].name), &known)) != KITH_OK)
            goto cleanup;
        known_files += known;
        kith_stream_close(s);
        s = NULL;
    }
    if (known_files == 0)
        e = kith_diag_set(L->d, KITH_ERR_UNKNOWN, path, 0, "no known export file in this zip");
cleanup:
    kith_stream_close(s);
    free(m);
    kith_zip_close(z);
    return e;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static kith_err load_path(loader *L, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return kith_diag_set(L->d, KITH_ERR_IO, path, 0, "cannot read: %s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return load_folder(L, path);
    if (!S_ISREG(st.st_mode))
        return kith_diag_set(L->d, KITH_ERR_IO, path, 0, "not a file or folder");

    kith_stream *s = NULL;
    kith_err e = kith_stream_open_file(&s, path, L->d);
    if (e != KITH_OK)
        return e;
    const char *head;
    long n = kith_stream_peek(s, 4, &head, L->d);
    if (n < 0) {
        e = KITH_ERR_IO;
        goto cleanup;
    }
    bool zip_magic = n == 4 && memcmp(head, "PK", 2) == 0 &&
                     ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    if (zip_magic) {
        kith_stream_close(s);
        s = NULL;
        e = load_zip(L, path);
        goto cleanup;
    }
    if (ends_with_ci(path, ".zip")) {
        e = kith_diag_set(L->d, KITH_ERR_NOT_ZIP, path, 0, "not a zip archive");
        goto cleanup;
    }
    bool known;
    if ((e = load_stream(L, s, base_name(path), &known)) != KITH_OK)
        goto cleanup;
    if (!known)
        e = kith_diag_set(L->d, KITH_ERR_UNKNOWN, path, 0,
                          "not a file kith knows (neither its name nor its header matches a "
                          "known export)");
cleanup:
    kith_stream_close(s);
    return e;
}

kith_err kith_load(const char *const *paths, size_t n_paths, const kith_load_opts *opts,
                   kith_model **out, kith_diag *d)
{
    kith_diag scratch;
    if (!d) {
        kith_diag_clear(&scratch);
        d = &scratch;
    }
    kith_ingest_opts io = {0};
    if (opts) {
        io.strict = opts->strict;
        io.me = opts->me;
        io.n_me = opts->n_me;
    }
    loader L = {NULL, d, opts && !opts->quiet ? opts->progress : NULL};
    kith_err e = kith_ingest_new(&L.ing, &io);
    if (e != KITH_OK)
        return kith_diag_set(d, e, NULL, 0, "out of memory");
    kith_span t = kith_trace_start();
    for (size_t i = 0; i < n_paths && e == KITH_OK; i++)
        e = load_path(&L, paths[i]);
    kith_trace_stop(t, "load: read and ingest");
    t = kith_trace_start();
    if (e == KITH_OK)
        e = kith_model_build(L.ing, out, d);
    kith_trace_stop(t, "load: model build");
    kith_ingest_free(L.ing);
    return e;
}
