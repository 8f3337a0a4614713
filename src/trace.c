/* Step timings (see kith/trace.h). */
#include "kith/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

bool kith_trace_on(void)
{
    static int on = -1; /* racy first read is harmless: every thread computes the same */
    if (on < 0) {
        const char *v = getenv("KITH_TRACE");
        on = v && v[0] && v[0] != '0';
    }
    return on;
}

static double seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double t0; /* the first step's start (set by the main thread before any other) */

kith_span kith_trace_start(void)
{
    if (!kith_trace_on())
        return (kith_span){0, 0};
    kith_span s = {seconds(CLOCK_MONOTONIC), seconds(CLOCK_THREAD_CPUTIME_ID)};
    if (t0 == 0)
        t0 = s.wall;
    return s;
}

/* The process's peak resident set so far, MiB (Linux; 0 where /proc is not there). */
static long peak_mib(void)
{
    long kib = 0;
    char line[128];
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld", &kib) == 1)
            break;
    fclose(f);
    return kib / 1024;
}

void kith_trace_stop(kith_span s, const char *what)
{
    if (!kith_trace_on())
        return;
    double now = seconds(CLOCK_MONOTONIC);
    fprintf(stderr, "kith trace: %-36s wall %8.3f s  cpu %8.3f s  peak %6ld MiB  at %7.3f s\n",
            what, now - s.wall, seconds(CLOCK_THREAD_CPUTIME_ID) - s.cpu, peak_mib(), now - t0);
}
