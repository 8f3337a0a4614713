/* The month before's graph in a child process: see prev_child.h.
 *
 * The child is forked from a process that may have threads (fontconfig's setup, started by
 * the chart warm-up), so it does only what is safe there with glibc: malloc (glibc's fork
 * leaves its locks usable), igraph (used only by the forking thread, which is between
 * calls) and kith's own code; no stdio (another thread may hold stderr's lock at the fork,
 * hence the trace is silenced), and it ends with _exit. It shares nothing writable with the parent but one anonymous
 * mapping, which it fills only on success. */
#define _GNU_SOURCE
#include "prev_child.h"

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kith/graph.h"
#include "kith/trace.h"

/* Above this many persons the child does not pay: the month before, measured in-process,
 * already ends while the workbook still writes Contacts and zips (300,000 persons: 16.1 s
 * with a child, 16.7 s without, for up to 0.76 GB more memory; 30,000 persons: the month
 * before's 0.43 s came after everything else). 1 M persons would also pass the memory
 * budget with two graphs at once. */
#define CHILD_MAX_PERSONS 100000

typedef struct {
    int ok;                 /* set last by the child: 1 = the fields below are complete */
    double wall, cpu;       /* the child's measuring, seconds */
    double kpi_prev[KITH_KPI__COUNT];
    kith_person_measures pm_prev[]; /* model->n_persons */
} shared_block;

struct kith_prev_child {
    pid_t pid;
    shared_block *sh;
    size_t len;
    kith_span span;
};

static double now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void child_main(kith_report *r, shared_block *sh, pid_t parent)
{
    /* a Ctrl-C reaches the whole process group: the parent's handlers clean up, not ours */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(2);
    kith_trace_silence();
    double w = now(CLOCK_MONOTONIC), c = now(CLOCK_PROCESS_CPUTIME_ID);
    kith_diag d;
    kith_diag_clear(&d);
    if (kith_graph_measures(r, 1, 0, &d) != KITH_OK)
        _exit(1);
    memcpy(sh->kpi_prev, r->kpi_prev, sizeof sh->kpi_prev);
    memcpy(sh->pm_prev, r->pm_prev, r->model->n_persons * sizeof *r->pm_prev);
    sh->wall = now(CLOCK_MONOTONIC) - w;
    sh->cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c;
    __atomic_store_n(&sh->ok, 1, __ATOMIC_RELEASE);
    _exit(0);
}

/* AddressSanitizer's allocator, unlike glibc's, is not made consistent in the child of a fork
 * while another thread allocates (a child hangs on its lock): no child in such builds. */
#if defined(__SANITIZE_ADDRESS__)
#define FORK_SAFE_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FORK_SAFE_MALLOC 0
#endif
#endif
#ifndef FORK_SAFE_MALLOC
#define FORK_SAFE_MALLOC 1
#endif

kith_prev_child *kith_prev_child_start(const kith_report *r)
{
    if (!FORK_SAFE_MALLOC)
        return NULL;
    const char *env = getenv("KITH_PREV_CHILD");
    if (!r || !r->model || !r->pm_prev || (env && *env == '0') ||
        r->model->n_persons > CHILD_MAX_PERSONS || sysconf(_SC_NPROCESSORS_ONLN) < 2)
        return NULL;
    kith_prev_child *pc = calloc(1, sizeof *pc);
    if (!pc)
        return NULL;
    pc->len = sizeof(shared_block) + r->model->n_persons * sizeof *r->pm_prev;
    pc->sh = mmap(NULL, pc->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pc->sh == MAP_FAILED) {
        free(pc);
        return NULL;
    }
    pc->span = kith_trace_start();
    pid_t parent = getpid();
    pc->pid = fork();
    if (pc->pid == 0)
        child_main((kith_report *)r, pc->sh, parent); /* never returns */
    if (pc->pid < 0) {
        munmap(pc->sh, pc->len);
        free(pc);
        return NULL;
    }
    return pc;
}

/* Reaps the child; its peak resident set in MiB into *peak. */
static int reap(pid_t pid, long *peak)
{
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t got;
    while ((got = wait4(pid, &st, 0, &ru)) < 0 && errno == EINTR)
        ;
    *peak = ru.ru_maxrss / 1024;
    return got == pid ? st : -1; /* -1: not a normal exit (WIFEXITED is false) */
}

bool kith_prev_child_finish(kith_prev_child *pc, kith_report *r)
{
    if (!pc)
        return false;
    long peak = 0;
    int st = reap(pc->pid, &peak);
    bool ok = WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
              __atomic_load_n(&pc->sh->ok, __ATOMIC_ACQUIRE) == 1;
    if (ok) {
        memcpy(r->kpi_prev, pc->sh->kpi_prev, sizeof r->kpi_prev);
        memcpy(r->pm_prev, pc->sh->pm_prev, r->model->n_persons * sizeof *r->pm_prev);
        kith_trace_note("  prev: graph in a child process", pc->sh->wall, pc->sh->cpu, peak);
        kith_trace_stop(pc->span, "  prev: the child, fork to reap");
    }
    munmap(pc->sh, pc->len);
    free(pc);
    return ok;
}

void kith_prev_child_cancel(kith_prev_child *pc)
{
    if (!pc)
        return;
    kill(pc->pid, SIGKILL);
    long peak;
    reap(pc->pid, &peak);
    munmap(pc->sh, pc->len);
    free(pc);
}
