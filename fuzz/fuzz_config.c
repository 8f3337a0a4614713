/* libFuzzer target for report definitions (.ini over inih), loaded from a temp file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kith/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/kith-fuzz-%ld.ini", (long)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (size)
        fwrite(data, 1, size, fp);
    fclose(fp);
    kith_config c;
    kith_config_defaults(&c, "monthly");
    kith_diag d;
    kith_diag_clear(&d);
    kith_config_load(&c, path, &d);
    unlink(path);
    return 0;
}
