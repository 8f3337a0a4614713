/* Shared by the format readers' tests (test_vcard.c, test_mbox.c, ...): open a fixture of
 * tests/fixtures/ as a kith_stream, stream it through one reader into a fresh ingest and
 * build the frozen model, plus lookups on the model. Included by one test file each. */
#ifndef KITH_TESTS_SOURCES_FIXTURE_H
#define KITH_TESTS_SOURCES_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../src/sources/reader.h"
#include "kith/model.h"

typedef kith_err (*reader_fn)(kith_stream *s, kith_ingest *ing, kith_diag *d);

/* Reads one fixture with `read` (me: an optional --me value) and builds the model. */
static inline kith_model *load_fixture(reader_fn read, const char *name, const char *me)
{
    const char *mes[1] = {me};
    kith_ingest_opts o = {.me = me ? mes : NULL, .n_me = me ? 1 : 0};
    kith_ingest *ing = NULL;
    kith_diag d;
    kith_diag_clear(&d);
    assert_int_equal(kith_ingest_new(&ing, &o), KITH_OK);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", KITH_FIXTURES, name);
    kith_stream *s = NULL;
    assert_int_equal(kith_stream_open_file(&s, path, &d), KITH_OK);
    kith_err err = read(s, ing, &d);
    if (err)
        fprintf(stderr, "%s:%ld: %s\n", d.file, d.line, d.reason);
    assert_int_equal(err, KITH_OK);
    kith_stream_close(s);
    kith_model *m = NULL;
    assert_int_equal(kith_model_build(ing, &m, &d), KITH_OK);
    kith_ingest_free(ing);
    assert_non_null(m);
    return m;
}

/* The person holding this e-mail (any of theirs), or -1. */
static inline int by_email(const kith_model *m, const char *email)
{
    for (size_t i = 0; i < m->n_persons; i++) {
        const char *e = m->persons[i].emails;
        size_t n = strlen(email);
        for (const char *p = e; p && (p = strstr(p, email)); p++)
            if ((p == e || p[-1] == ' ') && (p[n] == ';' || p[n] == '\0'))
                return (int)i;
    }
    return -1;
}

static inline int by_name(const kith_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_persons; i++)
        if (strcmp(m->persons[i].name, name) == 0)
            return (int)i;
    return -1;
}

static inline size_t events_of(const kith_model *m, int p, kith_kind kind, kith_dir dir)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i].person == p && m->events[i].kind == kind && m->events[i].dir == dir)
            n++;
    return n;
}

/* The time of person p's k-th event (in time order). */
static inline int64_t event_time(const kith_model *m, int p, size_t k)
{
    for (size_t i = 0; i < m->n_events; i++)
        if (m->events[i].person == p && k-- == 0)
            return m->events[i].t;
    return KITH_NO_TIME;
}

/* Whether persons a and b share a group. */
static inline bool share_group(const kith_model *m, int a, int b)
{
    for (size_t g = 0; g < m->n_groups; g++) {
        bool ha = false, hb = false;
        for (uint32_t k = 0; k < m->groups[g].n; k++) {
            int32_t p = m->group_members[m->groups[g].first + k];
            ha = ha || p == a;
            hb = hb || p == b;
        }
        if (ha && hb)
            return true;
    }
    return false;
}

/* The count a file's load summary gives for a drop or skip reason (0 when absent). */
static inline long reason_count(const kith_model *m, const char *reason)
{
    for (size_t i = 0; i < m->n_inputs; i++)
        for (size_t k = 0; k < m->inputs[i].n_reasons; k++)
            if (!strcmp(m->inputs[i].reasons[k].reason, reason))
                return m->inputs[i].reasons[k].count;
    return 0;
}

static inline bool has_warning(const kith_model *m, const char *part)
{
    for (size_t i = 0; i < m->n_warnings; i++)
        if (strstr(m->warnings[i], part))
            return true;
    return false;
}

#endif
