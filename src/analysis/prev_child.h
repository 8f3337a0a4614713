/* The month before's graph measured in a child process (prev_child.c), beside the report
 * month's: Debian's igraph keeps global state (built without thread-local storage), so two
 * graphs measured at once need two processes. kith_report_build_start starts the child,
 * kith_report_build_finish takes its results (see report.c). */
#ifndef KITH_PREV_CHILD_H
#define KITH_PREV_CHILD_H

#include <stdbool.h>

#include "kith/report.h"

typedef struct kith_prev_child kith_prev_child;

/* Forks a child that runs kith_graph_measures(r, 1, 0) on its copy of r and hands back the
 * fields that writes (pm_prev, kpi_prev) through shared memory. Call from the thread that
 * runs igraph, between igraph calls, best before other threads start. NULL when it is not worth it (one core, a model too
 * large to measure two graphs at once within the memory budget, KITH_PREV_CHILD=0 in the
 * environment) or not possible (fork or mmap failed): the caller then measures in-process. */
kith_prev_child *kith_prev_child_start(const kith_report *r);

/* Waits for the child; when it succeeded copies its pm_prev and kpi_prev into r and returns
 * true, else returns false (the caller measures in-process: an error then comes with its
 * diagnostic). Frees pc. */
bool kith_prev_child_finish(kith_prev_child *pc, kith_report *r);

/* Kills and reaps the child, frees pc (an error path); NULL is a no-op. */
void kith_prev_child_cancel(kith_prev_child *pc);

#endif
