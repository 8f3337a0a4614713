/* libFuzzer target for the CSV layer under every CSV reader: BOM and UTF-16 handling, quoting
 * (both quote styles: the first byte picks), line counting, header search. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/sources/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1) ? KITH_CSV_BACKSLASH_QUOTES : 0;
    int find_header = data[0] & 2;
    data++;
    size--;
    kith_diag d;
    kith_diag_clear(&d);
    kith_stream *s = NULL;
    kith_csv *c = NULL;
    if (kith_stream_open_mem(&s, "fuzz.csv", data, size, &d) != KITH_OK)
        abort();
    if (kith_csv_open(&c, s, flags, &d) == KITH_OK) {
        static const char *const req[] = {"Name", "Date"};
        if (!find_header || kith_csv_find_header(c, req, 2, &d) == KITH_OK) {
            int name = kith_csv_col(c, "name");
            volatile size_t total = 0;
            while (kith_csv_next(c, &d) == 1) {
                for (size_t i = 0; i <= kith_csv_nfields(c); i++)
                    total += kith_csv_field(c, i)[0];
                total += kith_csv_get(c, name)[0] + (size_t)kith_csv_line(c);
            }
            (void)total;
        }
    }
    kith_csv_close(c);
    kith_stream_close(s);
    return 0;
}
