/* The output set: temporary files inside the output folder, renamed into place together. */
#include "kith/output.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    char *final_name;
    char *tmp_path;
    bool committed;
} outfile;

struct kith_outset {
    char *dir;
    outfile *files;
    size_t n, cap;
};

/* Ctrl-C (or SIGTERM, SIGHUP) during a long run would leave hidden temporary files behind:
 * while a set is alive, these signals remove its uncommitted temporary files, then end the
 * process as the signal would have. Only a signal still at its default action is taken over,
 * and only for the first live set. */
static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define N_FATAL (sizeof fatal_signals / sizeof *fatal_signals)
static kith_outset *volatile live_set;
static struct sigaction saved[N_FATAL];
static bool taken[N_FATAL];

static void on_fatal_signal(int sig)
{
    kith_outset *set = live_set;
    if (set)
        for (size_t i = 0; i < set->n; i++)
            if (!set->files[i].committed)
                unlink(set->files[i].tmp_path); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Blocks the fatal signals while the set's file list changes, so the handler never sees it
 * half-updated. */
static void block_signals(bool block, sigset_t *old)
{
    if (block) {
        sigset_t s;
        sigemptyset(&s);
        for (size_t i = 0; i < N_FATAL; i++)
            sigaddset(&s, fatal_signals[i]);
        sigprocmask(SIG_BLOCK, &s, old);
    } else {
        sigprocmask(SIG_SETMASK, old, NULL);
    }
}

static void watch_signals(kith_outset *set)
{
    if (live_set)
        return;
    live_set = set;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_FATAL; i++) {
        struct sigaction cur;
        taken[i] = sigaction(fatal_signals[i], NULL, &cur) == 0 && cur.sa_handler == SIG_DFL &&
                   sigaction(fatal_signals[i], &sa, &saved[i]) == 0;
    }
}

static void unwatch_signals(kith_outset *set)
{
    if (live_set != set)
        return;
    for (size_t i = 0; i < N_FATAL; i++)
        if (taken[i])
            sigaction(fatal_signals[i], &saved[i], NULL);
    live_set = NULL;
}

/* mkdir -p: new folders get 0700 since the outputs hold contact data; existing ones keep
 * their mode. */
static kith_err make_dirs(const char *dir, kith_diag *d)
{
    kith_err e = KITH_OK;
    char *p = strdup(dir);
    if (!p)
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
    size_t len = strlen(p);
    while (len > 1 && p[len - 1] == '/')
        p[--len] = '\0';
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        struct stat st;
        if (mkdir(p, 0700) != 0 && errno != EEXIST && !(stat(p, &st) == 0 && S_ISDIR(st.st_mode))) {
            e = kith_diag_set(d, KITH_ERR_IO, p, 0, "cannot create folder: %s", strerror(errno));
            goto cleanup;
        }
        *s = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
        e = kith_diag_set(d, KITH_ERR_IO, p, 0, "not a folder");
    else if (access(p, W_OK | X_OK) != 0)
        e = kith_diag_set(d, KITH_ERR_IO, p, 0, "cannot write in folder: %s", strerror(errno));

cleanup:
    free(p);
    return e;
}

kith_err kith_outset_new(const char *dir, kith_outset **out, kith_diag *d)
{
    *out = NULL;
    if (!dir || !*dir)
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "no output folder given");
    kith_err e = make_dirs(dir, d);
    if (e)
        return e;
    kith_outset *set = calloc(1, sizeof *set);
    if (!set || !(set->dir = strdup(dir))) {
        free(set);
        return kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
    }
    watch_signals(set);
    *out = set;
    return KITH_OK;
}

kith_err kith_outset_temp(kith_outset *set, const char *final_name, const char **tmp_path,
                          kith_diag *d)
{
    *tmp_path = NULL;
    if (!final_name || !*final_name || strchr(final_name, '/') || strcmp(final_name, ".") == 0 ||
        strcmp(final_name, "..") == 0)
        return kith_diag_set(d, KITH_ERR_OUTPUT, NULL, 0, "bad output name '%s'",
                             final_name ? final_name : "");
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->files[i].final_name, final_name) == 0)
            return kith_diag_set(d, KITH_ERR_OUTPUT, set->dir, 0, "output '%s' written twice",
                                 final_name);
    kith_err e = KITH_OK;
    sigset_t mask;
    block_signals(true, &mask);
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 8;
        outfile *f = realloc(set->files, cap * sizeof *f);
        if (!f) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        set->files = f;
        set->cap = cap;
    }
    outfile *f = &set->files[set->n];
    memset(f, 0, sizeof *f);
    size_t len = strlen(set->dir) + strlen(final_name) + 16;
    f->final_name = strdup(final_name);
    f->tmp_path = malloc(len);
    if (!f->final_name || !f->tmp_path) {
        free(f->final_name);
        free(f->tmp_path);
        e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
        goto cleanup;
    }
    /* A dot name inside the output folder: the rename stays on one file system (atomic), and
     * a leftover after a crash is hidden and recognizable. mkstemp creates it with 0600. */
    snprintf(f->tmp_path, len, "%s/.%s.XXXXXX", set->dir, final_name);
    int fd = mkstemp(f->tmp_path);
    if (fd < 0) {
        e = kith_diag_set(d, KITH_ERR_IO, set->dir, 0, "cannot create a file for %s: %s",
                          final_name, strerror(errno));
        free(f->final_name);
        free(f->tmp_path);
        goto cleanup;
    }
    fchmod(fd, 0600);
    close(fd);
    set->n++;
    *tmp_path = f->tmp_path;

cleanup:
    block_signals(false, &mask);
    return e;
}

static kith_err sync_file(const char *path, kith_diag *d)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "output file vanished: %s",
                             strerror(errno));
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    if (rc != 0 && err != EINVAL && err != EROFS)
        return kith_diag_set(d, KITH_ERR_OUTPUT, path, 0, "cannot flush to disk: %s",
                             strerror(err));
    return KITH_OK;
}

kith_err kith_outset_commit(kith_outset *set, kith_diag *d)
{
    kith_err e = KITH_OK;
    char *final_path = NULL;
    /* Every file must be on disk before the first rename, so a crash cannot pair a new
     * workbook with an empty summary.json. */
    for (size_t i = 0; i < set->n; i++)
        if ((e = sync_file(set->files[i].tmp_path, d)))
            goto cleanup;
    /* A final name held by something a file cannot replace (a folder, say) would fail its
     * rename after earlier files were already swapped in: check them all first, so the
     * previous outputs stay whole. */
    for (size_t i = 0; i < set->n; i++) {
        struct stat st;
        size_t len = strlen(set->dir) + strlen(set->files[i].final_name) + 2;
        free(final_path);
        if (!(final_path = malloc(len))) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        snprintf(final_path, len, "%s/%s", set->dir, set->files[i].final_name);
        if (lstat(final_path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
            e = kith_diag_set(d, KITH_ERR_OUTPUT, final_path, 0,
                              "cannot put the file in place: not a regular file");
            goto cleanup;
        }
    }
    for (size_t i = 0; i < set->n; i++) {
        outfile *f = &set->files[i];
        if (f->committed)
            continue;
        size_t len = strlen(set->dir) + strlen(f->final_name) + 2;
        free(final_path);
        if (!(final_path = malloc(len))) {
            e = kith_diag_set(d, KITH_ERR_NOMEM, NULL, 0, "out of memory");
            goto cleanup;
        }
        snprintf(final_path, len, "%s/%s", set->dir, f->final_name);
        if (rename(f->tmp_path, final_path) != 0) {
            e = kith_diag_set(d, KITH_ERR_IO, final_path, 0, "cannot put the file in place: %s",
                              strerror(errno));
            goto cleanup;
        }
        f->committed = true;
    }
    /* Make the renames durable too; a folder that cannot be synced is not an error. */
    int dfd = open(set->dir, O_RDONLY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }

cleanup:
    free(final_path);
    return e;
}

void kith_outset_free(kith_outset *set)
{
    if (!set)
        return;
    /* A signal arriving now waits until the temporary files are gone. */
    sigset_t mask;
    block_signals(true, &mask);
    for (size_t i = 0; i < set->n; i++) {
        if (!set->files[i].committed && set->files[i].tmp_path)
            unlink(set->files[i].tmp_path);
        free(set->files[i].final_name);
        free(set->files[i].tmp_path);
    }
    unwatch_signals(set);
    free(set->files);
    free(set->dir);
    free(set);
    block_signals(false, &mask);
}

void kith_outset_name_diag(const kith_outset *set, kith_diag *d)
{
    for (size_t i = 0; set && d && i < set->n; i++)
        if (strcmp(d->file, set->files[i].tmp_path) == 0) {
            size_t n = strlen(set->dir);
            snprintf(d->file, sizeof d->file, "%s%s%s", set->dir,
                     n && set->dir[n - 1] == '/' ? "" : "/", set->files[i].final_name);
            return;
        }
}

const char *kith_outset_dir(const kith_outset *set)
{
    return set ? set->dir : "";
}

size_t kith_outset_count(const kith_outset *set)
{
    return set ? set->n : 0;
}

const char *kith_outset_name(const kith_outset *set, size_t i)
{
    return set && i < set->n ? set->files[i].final_name : NULL;
}
