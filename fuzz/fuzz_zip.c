/* libFuzzer target for the zip reader: the input is written to a temp .zip and loaded with
 * kith_load, so libzip's reading, the member size/ratio limits, the member streams and every
 * reader a member is recognized as are all reached. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kith/sources.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/kith-fuzz-%ld.zip", (long)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (size)
        fwrite(data, 1, size, fp);
    fclose(fp);
    const char *paths[] = {path};
    kith_load_opts o = {.quiet = true};
    kith_model *m = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    kith_load(paths, 1, &o, &m, &d);
    kith_model_free(m);
    unlink(path);
    return 0;
}
