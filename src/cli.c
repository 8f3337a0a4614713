#include "kith/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kith/commands.h"

static const char usage_text[] =
    "usage: kith COMMAND [OPTIONS] INPUT...\n"
    "\n"
    "Commands:\n"
    "  report monthly    the monthly network health report (workbook, charts, PDF, summary.json)\n"
    "  report neglected  dormant and fading ties by reconnect priority\n"
    "  report clusters   the cluster map and the Clusters sheet\n"
    "  inspect           what was recognized in each input, rows read and skipped, persons\n"
    "  intro TARGET      who can introduce you to a company or a person\n"
    "  synth             write a realistic synthetic export (for demos, tests, benchmarks)\n"
    "\n"
    "Options:\n"
    "  --out DIR           output folder (report: default out/; synth: required)\n"
    "  --month YYYY-MM     report month (default: the last complete month before the export)\n"
    "  --config FILE       a report definition (default: the built-in one, see reports/)\n"
    "  --dormant-days N    a fixed dormancy threshold instead of each tie's own rhythm\n"
    "  --me NAME|EMAIL|URL who you are (repeatable; default: inferred from the export)\n"
    "  --strict            any skipped row is an error\n"
    "  --quiet             no progress on standard error\n"
    "  --json              machine-readable output (inspect, intro)\n"
    "  --persons N --events N --seed N --zip --mail --export-date YYYY-MM-DD   (synth)\n"
    "  --help, --version\n";

enum {
    OPT_OUT = 256, OPT_MONTH, OPT_CONFIG, OPT_DORMANT, OPT_ME, OPT_STRICT, OPT_QUIET, OPT_JSON,
    OPT_PERSONS, OPT_EVENTS, OPT_SEED, OPT_ZIP, OPT_MAIL, OPT_EXPORT_DATE, OPT_HELP, OPT_VERSION
};

static const struct option long_opts[] = {
    {"out", required_argument, 0, OPT_OUT},
    {"month", required_argument, 0, OPT_MONTH},
    {"config", required_argument, 0, OPT_CONFIG},
    {"dormant-days", required_argument, 0, OPT_DORMANT},
    {"me", required_argument, 0, OPT_ME},
    {"strict", no_argument, 0, OPT_STRICT},
    {"quiet", no_argument, 0, OPT_QUIET},
    {"json", no_argument, 0, OPT_JSON},
    {"persons", required_argument, 0, OPT_PERSONS},
    {"events", required_argument, 0, OPT_EVENTS},
    {"seed", required_argument, 0, OPT_SEED},
    {"zip", no_argument, 0, OPT_ZIP},
    {"mail", no_argument, 0, OPT_MAIL},
    {"export-date", required_argument, 0, OPT_EXPORT_DATE},
    {"help", no_argument, 0, OPT_HELP},
    {"version", no_argument, 0, OPT_VERSION},
    {0, 0, 0, 0},
};

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
    fputs("kith: ", err);
    fprintf(err, fmt, arg);
    fputs("\nTry 'kith --help'.\n", err);
    return KITH_EXIT_USAGE;
}

static int parse_long(const char *s, long min, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min)
        return -1;
    *out = v;
    return 0;
}

static int valid_month(const char *s)
{
    return strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789-") == 7 &&
           atoi(s) >= 1970 && atoi(s + 5) >= 1 && atoi(s + 5) <= 12;
}

/* Applies one parsed option. Returns -1 to go on, else the exit code to stop with. */
static int apply_option(int c, const char *arg, const char *raw, kith_cli_opts *o,
                        const char **me, FILE *out, FILE *err)
{
    long v;
    switch (c) {
    case OPT_OUT: case 'o': o->out_dir = arg; break;
    case OPT_MONTH:
        if (!valid_month(arg))
            return usage_error(err, "--month wants YYYY-MM, not '%s'", arg);
        o->month = arg;
        break;
    case OPT_CONFIG: o->config = arg; break;
    case OPT_DORMANT:
        if (parse_long(arg, 1, &v))
            return usage_error(err, "--dormant-days wants a positive number, not '%s'", arg);
        o->dormant_days = v;
        break;
    case OPT_ME: me[o->n_me++] = arg; break;
    case OPT_STRICT: o->strict = true; break;
    case OPT_QUIET: o->quiet = true; break;
    case OPT_JSON: o->json = true; break;
    case OPT_PERSONS: case OPT_EVENTS: case OPT_SEED:
        if (parse_long(arg, 0, &v))
            return usage_error(err, "expected a whole number, not '%s'", arg);
        if (c == OPT_PERSONS) o->persons = v;
        else if (c == OPT_EVENTS) o->events = v;
        else o->seed = (unsigned long)v;
        break;
    case OPT_ZIP: o->synth_zip = true; break;
    case OPT_MAIL: o->synth_mail = true; break;
    case OPT_EXPORT_DATE: o->export_date = arg; break;
    case OPT_HELP: case 'h':
        fputs(usage_text, out);
        return KITH_EXIT_OK;
    case OPT_VERSION:
        fprintf(out, "kith %s\n", KITH_VERSION);
        return KITH_EXIT_OK;
    default:
        return usage_error(err, "unknown or incomplete option '%s'", raw);
    }
    return -1;
}

/* Parses options in argv[1..] up to the first non-option word (or the end); returns -1 to
 * go on (with *next the index of that word in argv), else an exit code. */
static int parse_options(int argc, char **argv, int *next, kith_cli_opts *o, const char **me,
                         FILE *out, FILE *err)
{
    int c, r;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+ho:", long_opts, NULL)) != -1)
        if ((r = apply_option(c, optarg, argv[optind - 1], o, me, out, err)) >= 0)
            return r;
    *next = optind;
    return -1;
}

int kith_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    kith_cli_opts o = {.seed = 1};
    const char **me = calloc((size_t)argc + 1, sizeof *me);
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    int code = KITH_EXIT_USAGE, next;
    if (!me || !inputs) {
        fputs("kith: out of memory\n", err);
        code = KITH_EXIT_DATA;
        goto cleanup;
    }
    o.me = me;
    o.inputs = inputs;

    if ((code = parse_options(argc, argv, &next, &o, me, out, err)) >= 0)
        goto cleanup;
    code = KITH_EXIT_USAGE;
    if (next >= argc) {
        fputs(usage_text, err);
        goto cleanup;
    }
    const char *command = argv[next++];
    if (strcmp(command, "report") == 0 || strcmp(command, "intro") == 0) {
        if (next >= argc || argv[next][0] == '-') {
            code = usage_error(err, "'%s' needs an argument", command);
            goto cleanup;
        }
        if (command[0] == 'r')
            o.report = argv[next++];
        else
            o.target = argv[next++];
    }
    /* Options and inputs may be mixed after the command. */
    while (next < argc) {
        int sub_next;
        char **sub = argv + next - 1; /* sub[0] stands in for the program name */
        if ((code = parse_options(argc - next + 1, sub, &sub_next, &o, me, out, err)) >= 0)
            goto cleanup;
        next += sub_next - 1;
        if (next < argc)
            inputs[o.n_inputs++] = argv[next++];
    }
    code = KITH_EXIT_USAGE;

    kith_err (*run)(const kith_cli_opts *, FILE *, FILE *, kith_diag *) = NULL;
    if (strcmp(command, "inspect") == 0)
        run = kith_cmd_inspect;
    else if (strcmp(command, "report") == 0)
        run = kith_cmd_report;
    else if (strcmp(command, "synth") == 0)
        run = kith_cmd_synth;
    else if (strcmp(command, "intro") == 0)
        run = kith_cmd_intro;
    else {
        code = usage_error(err, "unknown command '%s'", command);
        goto cleanup;
    }
    if (run != kith_cmd_synth && o.n_inputs == 0) {
        code = usage_error(err, "'%s' needs at least one INPUT", command);
        goto cleanup;
    }

    kith_diag d;
    kith_diag_clear(&d);
    kith_err e = run(&o, out, err, &d);
    if (e != KITH_OK) {
        fputs("kith: ", err);
        if (d.file[0]) {
            fputs(d.file, err);
            if (d.line > 0)
                fprintf(err, ":%ld", d.line);
            fputs(": ", err);
        }
        fputs(d.reason[0] ? d.reason : kith_strerror(e), err);
        fputc('\n', err);
        if (e == KITH_ERR_USAGE)
            fputs("Try 'kith --help'.\n", err);
    }
    code = kith_exit_code(e);

cleanup:
    free(inputs);
    free(me);
    return code;
}
