/* kith synth: the entry point. Builds the persons (small, one record each), then streams
 * every file to disk. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "synth_int.h"

/* mkdir -p, as `kith report --out` does: the missing parents are created too. */
static kith_err make_dir(const char *path, kith_diag *d)
{
    char buf[1100];
    size_t n = strlen(path);
    if (n < sizeof buf) {
        memcpy(buf, path, n + 1);
        for (size_t i = 1; i < n; i++)
            if (buf[i] == '/' && buf[i - 1] != '/') {
                buf[i] = 0;
                (void)mkdir(buf, 0777); /* a failure shows on the last step */
                buf[i] = '/';
            }
    }
    if (mkdir(path, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return KITH_OK;
    }
    return kith_diag_set(d, KITH_ERR_IO, path, 0, "cannot create folder: %s",
                         errno == EEXIST ? "a file is in the way" : strerror(errno));
}

kith_err kith_synth(const kith_synth_opts *opts, kith_diag *d)
{
    if (!opts || !opts->out || !opts->out[0])
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "'synth' needs --out DIR");
    if (opts->persons < 1)
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "--persons wants at least 1");
    if (opts->persons > 50000000L || opts->events > 2000000000L)
        return kith_diag_set(d, KITH_ERR_USAGE, NULL, 0, "--persons or --events is too large");
    sy_ctx c;
    kith_err e = sy_ctx_init(&c, opts, d);
    char dir[1100], path[1200], date[32];
    if (e)
        goto cleanup;
    if ((e = make_dir(opts->out, d)))
        goto cleanup;
    snprintf(dir, sizeof dir, "%s/linkedin", opts->out);
    if ((e = make_dir(dir, d)) || (e = sy_write_linkedin(&c, dir, d)))
        goto cleanup;
    snprintf(path, sizeof path, "%s/google-contacts.csv", opts->out);
    if ((e = sy_write_google(&c, path, d)))
        goto cleanup;
    if (opts->mail) {
        char ics[1200];
        snprintf(path, sizeof path, "%s/mail.mbox", opts->out);
        snprintf(ics, sizeof ics, "%s/calendar.ics", opts->out);
        if ((e = sy_write_mail(&c, path, ics, d)))
            goto cleanup;
    }
    if (opts->zip) {
        sy_fmt(c.export_t, "zipname", date, sizeof date);
        snprintf(path, sizeof path, "%s/Basic_LinkedInDataExport_%s.zip", opts->out, date);
        if ((e = sy_write_zip(&c, dir, path, d)))
            goto cleanup;
    }
    snprintf(path, sizeof path, "%s/plants.json", opts->out);
    e = sy_write_plants(&c, path, d);
cleanup:
    sy_ctx_destroy(&c);
    return e;
}
