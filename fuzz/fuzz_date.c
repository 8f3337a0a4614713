/* libFuzzer target for the date parsers: every format and parse_any on the same string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kith/date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t t;
    for (int f = 0; f < KITH_DATE__COUNT; f++)
        if (kith_date_parse((kith_date_fmt)f, s, &t) == KITH_OK) {
            int y, m, d;
            kith_civil_from_days(t / 86400, &y, &m, &d);
        }
    kith_date_parse_any(s, &t);
    free(s);
    return 0;
}
