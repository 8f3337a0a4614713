/* libFuzzer target for one format reader (or, for a kind prefix several readers share, such as
 * the two Google layouts, one of them: the first input byte picks it). Built once per reader
 * with FUZZ_KIND set (fuzz/CMakeLists.txt); FUZZ_EXACT matches the kind whole.
 * The input goes through the reader on a memory stream -- or a file (fuzz_file.h) for readers
 * that need a path (mbox on gmime) -- and then through kith_model_build, so identity resolution
 * sees whatever the reader let through. */
#include "fuzz_file.h"

#include <string.h>

#include "kith/model.h"
#include "../src/sources/reader.h"

#ifndef FUZZ_KIND
#error "FUZZ_KIND must name a format kind"
#endif

static const kith_format *const registries[] = {
    kith_linkedin_formats, kith_contacts_formats, kith_vcard_formats,
    kith_mbox_formats,     kith_ical_formats,     kith_generic_formats,
};

#ifdef FUZZ_EXACT
#define KIND_MATCHES(kind, want) (strcmp((kind), (want)) == 0)
#else
#define KIND_MATCHES(kind, want) (strncmp((kind), (want), strlen(want)) == 0)
#endif

/* The n-th format whose kind matches, or NULL. */
static const kith_format *find_format(const char *prefix, size_t n, size_t *count)
{
    const kith_format *hit = NULL;
    size_t k = 0;
    for (size_t r = 0; r < sizeof registries / sizeof registries[0]; r++)
        for (const kith_format *f = registries[r]; f->kind; f++)
            if (KIND_MATCHES(f->kind, prefix)) {
                if (k == n)
                    hit = f;
                k++;
            }
    if (count)
        *count = k;
    return hit;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t count = 0;
    find_format(FUZZ_KIND, 0, &count);
    size_t pick = 0;
    if (count > 1) { /* several readers: the first byte picks one */
        if (size == 0)
            return 0;
        pick = data[0] % count;
        data++;
        size--;
    }
    const kith_format *f = find_format(FUZZ_KIND, pick, NULL);
    if (!f)
        abort();

    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = NULL;
    kith_stream *s = NULL;
    kith_model *m = NULL;
    if (kith_ingest_new(&ing, NULL) != KITH_OK)
        abort();
#ifdef FUZZ_FILE
    if (kith_stream_open_file(&s, fuzz_file(data, size), &d) != KITH_OK)
        abort();
#else
    if (kith_stream_open_mem(&s, "fuzz.in", data, size, &d) != KITH_OK)
        abort();
#endif
    kith_err err = f->read(s, ing, &d); /* the reader calls begin_file/end_file itself */
    kith_stream_close(s);
    if (err == KITH_OK) {
        kith_diag_clear(&d);
        kith_model_build(ing, &m, &d); /* leaves ing empty; it is still freed below */
    }
    kith_model_free(m);
    kith_ingest_free(ing);
    return 0;
}
