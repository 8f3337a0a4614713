/* Step timings for performance work: with KITH_TRACE set in the environment, each traced
 * step prints one line to stderr — its name, wall seconds, the calling thread's CPU
 * seconds, the peak memory so far and when it ended (seconds since the first traced step
 * began: with several threads, that shows which step ended last). Without it the calls cost one branch. Thread-safe;
 * no state to free. */
#ifndef KITH_TRACE_H
#define KITH_TRACE_H

#include <stdbool.h>

typedef struct {
    double wall, cpu;
} kith_span;

bool kith_trace_on(void);

/* The start of a step (zeros when tracing is off). */
kith_span kith_trace_start(void);

/* Prints "kith trace: WHAT  wall W s  cpu C s  peak P MiB  at T s" for the step begun at s
 * (P: the process's peak resident set so far; T: the end, from the first step's start). */
void kith_trace_stop(kith_span s, const char *what);

#endif
