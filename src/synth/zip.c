/* kith synth: the LinkedIn export as downloaded, a zip with the CSVs at its root (libzip).
 * Every member gets the export date as its time, so the archive does not depend on when
 * kith ran. */
#include <string.h>

#include <zip.h>

#include "synth_int.h"

kith_err sy_write_zip(const sy_ctx *c, const char *dir, const char *zip_path, kith_diag *d)
{
    int err = 0;
    zip_t *z = zip_open(zip_path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z)
        return kith_diag_set(d, KITH_ERR_IO, zip_path, 0, "cannot create zip (libzip error %d)",
                             err);
    char comments[64], src[1200];
    sy_comments_name(c, comments, sizeof comments);
    time_t mtime = (time_t)(c->export_t + 9 * 3600);
    const char *names[32];
    size_t nn = 0;
    for (size_t k = 0; sy_linkedin_files[k] && nn < 31; k++)
        names[nn++] = sy_linkedin_files[k];
    names[nn++] = comments;
    for (size_t k = 0; k < nn; k++) {
        const char *name = names[k];
        snprintf(src, sizeof src, "%s/%s", dir, name);
        zip_source_t *s = zip_source_file(z, src, 0, -1);
        zip_int64_t idx = s ? zip_file_add(z, name, s, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(s);
            kith_diag_set(d, KITH_ERR_IO, zip_path, 0, "cannot add %s: %s", name,
                          zip_strerror(z));
            zip_discard(z);
            return KITH_ERR_IO;
        }
        zip_file_set_mtime(z, (zip_uint64_t)idx, mtime, 0);
    }
    if (zip_close(z) < 0) {
        kith_diag_set(d, KITH_ERR_IO, zip_path, 0, "cannot write zip: %s", zip_strerror(z));
        zip_discard(z);
        return KITH_ERR_IO;
    }
    return KITH_OK;
}
