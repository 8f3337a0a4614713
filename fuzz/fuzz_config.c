/* libFuzzer target for report definitions (.ini over inih), loaded from a file (fuzz_file.h). */
#include "fuzz_file.h"

#include "kith/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    kith_config c;
    kith_config_defaults(&c, "monthly");
    kith_diag d;
    kith_diag_clear(&d);
    kith_config_load(&c, path, &d);
    return 0;
}
