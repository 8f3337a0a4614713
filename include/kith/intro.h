/* kith intro (src/intro.c): who can introduce the owner to a company or a person.
 * The command entry point is kith_cmd_intro (commands.h); these are its testable parts. */
#ifndef KITH_INTRO_H
#define KITH_INTRO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/error.h"
#include "kith/graph.h"
#include "kith/model.h"
#include "kith/report.h"

enum { KITH_INTRO_NONE, KITH_INTRO_COMPANY, KITH_INTRO_PERSON, KITH_INTRO_BOTH };

/* Marks is_target[i] (n = m->n_persons) for every person the target names: an e-mail or a
 * profile URL matches that person only; otherwise a name key or a company key (employer)
 * equal to the target's. *mode says what matched (KITH_INTRO_*). */
kith_err kith_intro_match(const kith_model *m, const char *target, bool *is_target, int *mode);

/* The ranking score of an introducer: strength(T) x (1 + balance / 2), balance taken as 0
 * when undefined; so a tie who owes the owner (balance > 0) ranks up to 1.5x higher. */
double kith_intro_score(double strength, double balance);

typedef struct {
    int32_t person;    /* the introducer */
    double score;      /* kith_intro_score */
    int32_t via;       /* the target person they are most strongly linked to */
    double via_weight; /* that person–person edge's weight */
    int n_targets;     /* how many target persons they are linked to */
} kith_intro_candidate;

/* Direct ties (the target persons, by strength descending, then name) and introducers
 * (non-target persons sharing a person–person edge with a target, by score descending, then
 * edge weight, then name). *direct and *out are malloc'd; the caller frees them. */
kith_err kith_intro_rank(const kith_report *r, const kith_pp_edge *edges, size_t n_edges,
                         const bool *is_target, int32_t **direct, size_t *n_direct,
                         kith_intro_candidate **out, size_t *n_out, kith_diag *d);

#endif
