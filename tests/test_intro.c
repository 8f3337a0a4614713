/* kith intro (src/intro.c): target matching and ranking on a hand-built model.
 *
 * Everything happens 10 days before T (2026-10-31T23:59:59Z), so each event of weight w
 * adds w * f to strength, f = 2^(-10/180):
 *   meeting owner -> Ben, Ana          (group g1: edge Ben–Ana = 1)
 *   e-mail  owner -> Cara, Ali         (group g2: edge Cara–Ali = 1), then 3 e-mails Cara -> owner
 *   e-mail  owner -> Dan, Ana          (group g3: edge Dan–Ana = 1)
 *   Ana and Ali both work at Acme      (employer edge 0.5)
 * Introducers to Acme and their scores strength x (1 + balance / 2):
 *   Ben  3f, balance +1   -> 4.5f
 *   Cara 4f, balance -0.5 -> 3f     (ahead of Ben on strength alone, but you owe her)
 *   Dan  1f, balance +1   -> 1.5f */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kith/config.h"
#include "kith/graph.h"
#include "kith/intro.h"
#include "kith/model.h"
#include "kith/report.h"

#define T_EVENT 1792627199 /* 2026-10-21T23:59:59Z: 10 days before T */

static kith_model *model;
static kith_report *report;
static kith_pp_edge *edges;
static size_t n_edges;

static int32_t person_at(kith_ingest *ing, const char *name, const char *email, const char *company)
{
    kith_who w = {.name = name, .email = email};
    int32_t id = kith_ingest_who(ing, &w);
    kith_contact c = {.company = company, .connected_on = KITH_NO_TIME, .connection = true};
    kith_ingest_row(ing);
    kith_ingest_contact(ing, id, &c);
    return id;
}

/* An ingest whose owner is me@owner.example, its contacts file begun. */
static kith_ingest *contacts_ingest(void)
{
    const char *me[] = {"me@owner.example"};
    kith_ingest_opts o = {.me = me, .n_me = 1};
    kith_ingest *ing = NULL;
    assert_int_equal(kith_ingest_new(&ing, &o), KITH_OK);
    kith_ingest_begin_file(ing, "contacts.vcf", "vcard");
    return ing;
}

static int setup(void **state)
{
    (void)state;
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = contacts_ingest();
    int32_t ana = person_at(ing, "Ana Acme", "ana@acme.example", "Acme Inc");
    int32_t ali = person_at(ing, "Ali Acme", "ali@acme.example", "Acme, Inc.");
    int32_t ben = person_at(ing, "Ben Bridge", "ben@globex.example", "Globex");
    int32_t cara = person_at(ing, "Cara Close", "cara@initech.example", "Initech");
    int32_t dan = person_at(ing, "Dan Distant", "dan@hooli.example", "Hooli");
    kith_ingest_end_file(ing);

    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    kith_who ow = {.name = "Sam Owner", .email = "me@owner.example"};
    int32_t owner = kith_ingest_who(ing, &ow);
    int32_t g1[] = {ben, ana}, g2[] = {cara, ali}, g3[] = {dan, ana}, to_owner[] = {owner};
    kith_ingest_exchange(ing, T_EVENT, KITH_K_MEETING, owner, g1, 2, kith_ingest_group(ing, "g1"),
                         KITH_EX_EVERYONE);
    kith_ingest_exchange(ing, T_EVENT, KITH_K_EMAIL, owner, g2, 2, kith_ingest_group(ing, "g2"), 0);
    for (int i = 0; i < 3; i++)
        kith_ingest_exchange(ing, T_EVENT, KITH_K_EMAIL, cara, to_owner, 1, -1, 0);
    kith_ingest_exchange(ing, T_EVENT, KITH_K_EMAIL, owner, g3, 2, kith_ingest_group(ing, "g3"), 0);
    kith_ingest_end_file(ing);

    assert_int_equal(kith_model_build(ing, &model, &d), KITH_OK);
    kith_ingest_free(ing);
    kith_config cfg;
    kith_config_defaults(&cfg, "monthly");
    assert_int_equal(kith_report_build(model, &cfg, "2026-10", &report, &d), KITH_OK);
    assert_int_equal(kith_pp_edges(model, report->as_of, &edges, &n_edges, &d), KITH_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(edges);
    kith_report_free(report);
    kith_model_free(model);
    return 0;
}

static int32_t idx(const char *name)
{
    for (size_t i = 0; i < model->n_persons; i++)
        if (!strcmp(model->persons[i].name, name))
            return (int32_t)i;
    fail_msg("no person %s", name);
    return -1;
}

static void company_target(void **state)
{
    (void)state;
    bool *is_target = calloc(model->n_persons, sizeof *is_target);
    int mode = -1;
    kith_intro_match(model, "ACME Inc.", is_target, &mode);
    assert_int_equal(mode, KITH_INTRO_COMPANY);
    assert_true(is_target[idx("Ana Acme")]);
    assert_true(is_target[idx("Ali Acme")]);
    assert_false(is_target[idx("Ben Bridge")]);

    int32_t *direct = NULL;
    size_t nd = 0, ni = 0;
    kith_intro_candidate *in = NULL;
    kith_diag d;
    assert_int_equal(kith_intro_rank(report, edges, n_edges, is_target, &direct, &nd, &in, &ni, &d),
                     KITH_OK);
    /* direct ties by strength: Ana 4f (meeting + e-mail), Ali 1f */
    assert_int_equal(nd, 2);
    assert_int_equal(direct[0], idx("Ana Acme"));
    assert_int_equal(direct[1], idx("Ali Acme"));

    double f = pow(2.0, -10.0 / 180.0);
    assert_int_equal(ni, 3);
    assert_int_equal(in[0].person, idx("Ben Bridge"));
    assert_float_equal(in[0].score, 4.5 * f, 1e-6);
    assert_int_equal(in[0].via, idx("Ana Acme"));
    assert_float_equal(in[0].via_weight, 1.0, 1e-9);
    assert_int_equal(in[1].person, idx("Cara Close"));
    assert_float_equal(in[1].score, 4 * f * (1 - 0.25), 1e-6);
    assert_int_equal(in[1].via, idx("Ali Acme"));
    assert_int_equal(in[2].person, idx("Dan Distant"));
    assert_float_equal(in[2].score, 1.5 * f, 1e-6);
    free(direct);
    free(in);
    free(is_target);
}

/* A person target: that person first; Ali knows her through the employer edge (0.5) and
 * ties with Dan on score (1.5f each), so the stronger edge (Dan's 1.0) goes first. */
static void person_target(void **state)
{
    (void)state;
    bool *is_target = calloc(model->n_persons, sizeof *is_target);
    int mode = -1;
    kith_intro_match(model, "Ana@Acme.example", is_target, &mode);
    assert_int_equal(mode, KITH_INTRO_PERSON);
    int32_t *direct = NULL;
    size_t nd = 0, ni = 0;
    kith_intro_candidate *in = NULL;
    kith_diag d;
    assert_int_equal(kith_intro_rank(report, edges, n_edges, is_target, &direct, &nd, &in, &ni, &d),
                     KITH_OK);
    assert_int_equal(nd, 1);
    assert_int_equal(direct[0], idx("Ana Acme"));
    assert_int_equal(ni, 3);
    assert_int_equal(in[0].person, idx("Ben Bridge"));
    assert_int_equal(in[1].person, idx("Dan Distant"));
    assert_int_equal(in[2].person, idx("Ali Acme"));
    assert_float_equal(in[2].via_weight, 0.5, 1e-9);
    free(direct);
    free(in);

    /* by name key too; nothing for a stranger */
    kith_intro_match(model, "  ben   BRIDGE ", is_target, &mode);
    assert_int_equal(mode, KITH_INTRO_PERSON);
    assert_true(is_target[idx("Ben Bridge")]);
    kith_intro_match(model, "Nobody Known", is_target, &mode);
    assert_int_equal(mode, KITH_INTRO_NONE);
    free(is_target);
}

/* A person target at an employer above KITH_EMPLOYER_CLIQUE_MAX: every colleague is an
 * introducer through the clique's tie (0.5/99), as spec §3.2's clique has it, where the
 * graph's random cycles reach only KITH_EMPLOYER_DENSE_DEGREE of them. */
static void colleagues_at_a_large_employer(void **state)
{
    (void)state;
    kith_diag d;
    kith_diag_clear(&d);
    kith_ingest *ing = contacts_ingest();
    int32_t ids[100];
    for (int i = 0; i < 100; i++) {
        char name[32], email[48];
        snprintf(name, sizeof name, "Person %d", i);
        snprintf(email, sizeof email, "p%d@big.example", i);
        ids[i] = person_at(ing, name, email, "Bigco");
    }
    kith_ingest_end_file(ing);
    kith_ingest_begin_file(ing, "mail.mbox", "mbox");
    kith_who ow = {.name = "Sam Owner", .email = "me@owner.example"};
    int32_t owner = kith_ingest_who(ing, &ow);
    kith_ingest_exchange(ing, T_EVENT, KITH_K_EMAIL, owner, ids, 2, -1, 0);
    kith_ingest_end_file(ing);
    kith_model *m = NULL;
    kith_report *r = NULL;
    assert_int_equal(kith_model_build(ing, &m, &d), KITH_OK);
    kith_ingest_free(ing);
    kith_config cfg;
    kith_config_defaults(&cfg, "monthly");
    assert_int_equal(kith_report_build(m, &cfg, "2026-10", &r, &d), KITH_OK);

    bool *is_target = calloc(m->n_persons, sizeof *is_target);
    int mode = -1;
    kith_intro_match(m, "p7@big.example", is_target, &mode);
    assert_int_equal(mode, KITH_INTRO_PERSON);
    kith_pp_edge *e = NULL;
    size_t ne = 0, nd = 0, ni = 0;
    int32_t *direct = NULL;
    kith_intro_candidate *in = NULL;
    assert_int_equal(kith_pp_edges_exact_for(m, r->as_of, is_target, &e, &ne, &d), KITH_OK);
    assert_int_equal(kith_intro_rank(r, e, ne, is_target, &direct, &nd, &in, &ni, &d), KITH_OK);
    assert_int_equal(nd, 1);
    assert_int_equal(ni, 99);
    for (size_t i = 0; i < ni; i++)
        assert_float_equal(in[i].via_weight, 0.5 / 99, 1e-12);
    free(e);
    free(direct);
    free(in);
    /* the graph's own edges: the cycles */
    assert_int_equal(kith_pp_edges(m, r->as_of, &e, &ne, &d), KITH_OK);
    assert_int_equal(kith_intro_rank(r, e, ne, is_target, &direct, &nd, &in, &ni, &d), KITH_OK);
    assert_true(ni <= KITH_EMPLOYER_DENSE_DEGREE);
    free(e);
    free(direct);
    free(in);
    free(is_target);
    kith_report_free(r);
    kith_model_free(m);
}

static void score(void **state)
{
    (void)state;
    assert_float_equal(kith_intro_score(2.0, 1.0), 3.0, 1e-12);
    assert_float_equal(kith_intro_score(2.0, -1.0), 1.0, 1e-12);
    assert_float_equal(kith_intro_score(2.0, NAN), 2.0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(company_target),
        cmocka_unit_test(person_target),
        cmocka_unit_test(colleagues_at_a_large_employer),
        cmocka_unit_test(score),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
