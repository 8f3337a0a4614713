/* iCalendar reader (export-formats §5) on libical: one meeting per attended occurrence.
 *
 * Only this file includes <libical/ical.h>. A calendar is parsed whole (exports are a few MB;
 * libical has no streaming API for one VCALENDAR), then every VEVENT becomes an exchange from
 * its organizer to its attendees, once per occurrence of a recurring event. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libical/ical.h>

#include "ical.h"
#include "lines.h"
#include "reader.h"

enum {
    MAX_OCCURRENCES = 500,       /* the latest ones are kept */
    MAX_ITERATIONS = 200000,     /* a FREQ=SECONDLY rule must not spin */
    MAX_FILE_ITERATIONS = 1000000, /* nor many of them (libical: a few us per step) */
    MAX_GROUP_PARTICIPANTS = 21, /* 20 besides the owner (spec §3.2), who may be one */
    MAX_ATTENDEES = 1024,
    MAX_ZONE_WARNINGS = 3,
};
#define MAX_CALENDAR_BYTES ((size_t)1 << 30)
/* libical's line reader is quadratic in a line's length (a 4 MiB line takes 15 s, 100 MiB
 * never ends): content lines, unfolded, are cut at this length before libical sees them.
 * Real lines are short (RFC 5545 folds at 75 octets; a long DESCRIPTION is a few KiB). */
#define MAX_ICAL_LINE ((size_t)256 << 10)

/* Outlook writes Windows zone names in TZID; these are the common ones (CLDR windowsZones,
 * territory 001). */
static const struct {
    const char *windows, *iana;
} windows_zones[] = {
    {"Dateline Standard Time", "Etc/GMT+12"},
    {"Hawaiian Standard Time", "Pacific/Honolulu"},
    {"Alaskan Standard Time", "America/Anchorage"},
    {"Pacific Standard Time", "America/Los_Angeles"},
    {"US Mountain Standard Time", "America/Phoenix"},
    {"Mountain Standard Time", "America/Denver"},
    {"Central Standard Time", "America/Chicago"},
    {"Central America Standard Time", "America/Guatemala"},
    {"Canada Central Standard Time", "America/Regina"},
    {"Mexico Standard Time", "America/Mexico_City"},
    {"Eastern Standard Time", "America/New_York"},
    {"US Eastern Standard Time", "America/Indianapolis"},
    {"SA Pacific Standard Time", "America/Bogota"},
    {"Atlantic Standard Time", "America/Halifax"},
    {"Newfoundland Standard Time", "America/St_Johns"},
    {"E. South America Standard Time", "America/Sao_Paulo"},
    {"Argentina Standard Time", "America/Buenos_Aires"},
    {"UTC", "UTC"},
    {"Coordinated Universal Time", "UTC"},
    {"GMT Standard Time", "Europe/London"},
    {"Greenwich Standard Time", "Atlantic/Reykjavik"},
    {"W. Europe Standard Time", "Europe/Berlin"},
    {"Central Europe Standard Time", "Europe/Budapest"},
    {"Central European Standard Time", "Europe/Warsaw"},
    {"Romance Standard Time", "Europe/Paris"},
    {"W. Central Africa Standard Time", "Africa/Lagos"},
    {"E. Europe Standard Time", "Europe/Chisinau"},
    {"FLE Standard Time", "Europe/Kiev"},
    {"GTB Standard Time", "Europe/Bucharest"},
    {"Israel Standard Time", "Asia/Jerusalem"},
    {"Egypt Standard Time", "Africa/Cairo"},
    {"South Africa Standard Time", "Africa/Johannesburg"},
    {"Turkey Standard Time", "Europe/Istanbul"},
    {"Russian Standard Time", "Europe/Moscow"},
    {"Arab Standard Time", "Asia/Riyadh"},
    {"E. Africa Standard Time", "Africa/Nairobi"},
    {"Arabian Standard Time", "Asia/Dubai"},
    {"Pakistan Standard Time", "Asia/Karachi"},
    {"India Standard Time", "Asia/Calcutta"},
    {"Bangladesh Standard Time", "Asia/Dhaka"},
    {"SE Asia Standard Time", "Asia/Bangkok"},
    {"China Standard Time", "Asia/Shanghai"},
    {"Singapore Standard Time", "Asia/Singapore"},
    {"Taipei Standard Time", "Asia/Taipei"},
    {"W. Australia Standard Time", "Australia/Perth"},
    {"Tokyo Standard Time", "Asia/Tokyo"},
    {"Korea Standard Time", "Asia/Seoul"},
    {"AUS Eastern Standard Time", "Australia/Sydney"},
    {"E. Australia Standard Time", "Australia/Brisbane"},
    {"Cen. Australia Standard Time", "Australia/Adelaide"},
    {"New Zealand Standard Time", "Pacific/Auckland"},
};

const char *kith_ical_windows_zone(const char *name)
{
    for (size_t i = 0; i < sizeof windows_zones / sizeof *windows_zones; i++)
        if (!strcasecmp(name, windows_zones[i].windows))
            return windows_zones[i].iana;
    return NULL;
}

typedef struct {
    char *uid;
    int64_t t;
} override_key;

typedef struct {
    kith_ingest *ing;
    const char *name;
    icalcomponent *cal;
    int zone_warnings;
    int64_t bound;
    long iterations_left; /* of MAX_FILE_ITERATIONS */
    override_key *overrides;
    size_t n_overrides;
    int32_t to[MAX_ATTENDEES];
    int64_t times[MAX_OCCURRENCES];
} ictx;

static icaltimezone *resolve_zone(ictx *x, icalproperty *prop)
{
    icalparameter *p = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER);
    if (!p)
        return NULL;
    const char *tzid = icalparameter_get_tzid(p);
    if (!tzid || !*tzid)
        return NULL;
    icaltimezone *z = x->cal ? icalcomponent_get_timezone(x->cal, tzid) : NULL;
    if (!z)
        z = icaltimezone_get_builtin_timezone(tzid);
    /* "/freeassociation.sourceforge.net/Europe/Berlin" and similar prefixes */
    for (const char *s = strchr(tzid, '/'); !z && s; s = strchr(s + 1, '/'))
        z = icaltimezone_get_builtin_timezone(s + 1);
    if (!z) {
        const char *iana = kith_ical_windows_zone(tzid);
        if (iana)
            z = strcmp(iana, "UTC") ? icaltimezone_get_builtin_timezone(iana)
                                    : icaltimezone_get_utc_timezone();
    }
    if (!z) {
        if (x->zone_warnings++ < MAX_ZONE_WARNINGS)
            kith_ingest_warn(x->ing, "%s: unknown time zone '%s': times taken as UTC", x->name,
                             tzid);
        z = icaltimezone_get_utc_timezone();
    }
    return z;
}

/* UTC seconds of a DATE or DATE-TIME: all-day and floating times are taken as UTC. */
static int64_t to_utc(struct icaltimetype tt, icaltimezone *zone)
{
    if (icaltime_is_null_time(tt))
        return KITH_NO_TIME;
    if (icaltime_is_date(tt) || icaltime_is_utc(tt) || !zone) {
        struct tm tm = {.tm_year = tt.year - 1900, .tm_mon = tt.month - 1, .tm_mday = tt.day};
        if (!icaltime_is_date(tt)) {
            tm.tm_hour = tt.hour;
            tm.tm_min = tt.minute;
            tm.tm_sec = tt.second;
        }
        return (int64_t)timegm(&tm);
    }
    return (int64_t)icaltime_as_timet_with_zone(tt, zone);
}

static int cmp_override(const void *a, const void *b)
{
    const override_key *x = a, *y = b;
    int c = strcmp(x->uid, y->uid);
    return c ? c : (x->t > y->t) - (x->t < y->t);
}

static bool is_overridden(ictx *x, const char *uid, int64_t t)
{
    if (!x->n_overrides || !uid)
        return false;
    override_key k = {(char *)uid, t};
    return bsearch(&k, x->overrides, x->n_overrides, sizeof k, cmp_override) != NULL;
}

/* The e-mail of a "mailto:x@y" calendar address (any case), or NULL. */
static const char *cal_address(const char *v)
{
    if (!v)
        return NULL;
    if (!strncasecmp(v, "mailto:", 7))
        v += 7;
    return strchr(v, '@') ? v : NULL;
}

static int32_t who_of(ictx *x, icalproperty *prop, const char *value)
{
    const char *cn = icalproperty_get_parameter_as_string(prop, "CN");
    const char *email = cal_address(value);
    if (cn && (!*cn || (email && !strcasecmp(cn, email))))
        cn = NULL; /* Google writes the address as CN when it knows no name */
    kith_who w = {.name = cn, .email = email};
    if (!w.name && !w.email)
        return -1;
    return kith_ingest_who(x->ing, &w);
}

static bool same_address(const char *a, const char *b)
{
    a = cal_address(a);
    b = cal_address(b);
    return a && b && !strcasecmp(a, b);
}

/* Occurrence start times of a VEVENT, in UTC: a single event's start, or the latest
 * MAX_OCCURRENCES of a rule up to the bound (possibly none). -1 for an unusable DTSTART. */
static long occurrences(ictx *x, icalcomponent *ev, icalproperty *dtp, int64_t *out)
{
    icaltimezone *zone = resolve_zone(x, dtp);
    struct icaltimetype start = icalproperty_get_dtstart(dtp);
    int64_t t0 = to_utc(start, zone);
    if (t0 == KITH_NO_TIME)
        return -1;
    icalproperty *rr = icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY);
    if (!rr || !icaltime_is_null_time(icalcomponent_get_recurrenceid(ev))) {
        out[0] = t0;
        return 1;
    }
    const char *uid = icalcomponent_get_uid(ev);
    /* EXDATEs, each in its own zone */
    size_t n_ex = 0, cap_ex = 0;
    int64_t *ex = NULL;
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
        if (n_ex == cap_ex) {
            size_t nc = cap_ex ? 2 * cap_ex : 16;
            int64_t *ne = realloc(ex, nc * sizeof *ne);
            if (!ne)
                break;
            ex = ne;
            cap_ex = nc;
        }
        ex[n_ex++] = to_utc(icalproperty_get_exdate(p), resolve_zone(x, p));
    }

    struct icalrecurrencetype rule = icalproperty_get_rrule(rr);
    icalrecur_iterator *it = icalrecur_iterator_new(rule, start);
    size_t n = 0, total = 0;
    if (!it) {
        out[0] = t0;
        free(ex);
        return 1;
    }
    for (int i = 0; i < MAX_ITERATIONS; i++) {
        if (x->iterations_left-- <= 0) {
            if (x->iterations_left == -1)
                kith_ingest_warn(x->ing, "%s: recurring events expanded only to %d steps in all",
                                 x->name, MAX_FILE_ITERATIONS);
            break;
        }
        struct icaltimetype tt = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(tt))
            break;
        int64_t t = to_utc(tt, zone);
        if (t == KITH_NO_TIME || t > x->bound)
            break;
        bool skip = is_overridden(x, uid, t);
        for (size_t k = 0; k < n_ex && !skip; k++)
            skip = ex[k] == t;
        if (skip)
            continue;
        out[total % MAX_OCCURRENCES] = t; /* a ring: the latest ones win */
        total++;
    }
    icalrecur_iterator_free(it);
    if (total == 0 && x->iterations_left < 0 && t0 <= x->bound)
        out[total++] = t0; /* out of steps: the first occurrence at least */
    free(ex);
    n = total < MAX_OCCURRENCES ? total : MAX_OCCURRENCES;
    if (total > MAX_OCCURRENCES) {
        /* rotate the ring into time order */
        int64_t tmp[MAX_OCCURRENCES];
        size_t head = total % MAX_OCCURRENCES;
        for (size_t k = 0; k < MAX_OCCURRENCES; k++)
            tmp[k] = out[(head + k) % MAX_OCCURRENCES];
        memcpy(out, tmp, sizeof tmp);
    }
    return (long)n;
}

static kith_err read_event(ictx *x, icalcomponent *ev, kith_diag *d)
{
    kith_ingest_row(x->ing);
    if (icalcomponent_get_status(ev) == ICAL_STATUS_CANCELLED) {
        kith_ingest_drop(x->ing, "cancelled");
        return KITH_OK;
    }
    icalproperty *dtp = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
    const char *uid = icalcomponent_get_uid(ev);
    if (!dtp)
        return kith_ingest_skip(x->ing, 0, d, "no DTSTART in event '%s'", uid ? uid : "?");

    icalproperty *org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
    const char *org_value = org ? icalproperty_get_organizer(org) : NULL;
    int32_t from = org ? who_of(x, org, org_value) : -1;
    const char *org_email = cal_address(org_value);

    size_t n_to = 0;
    for (icalproperty *a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); a;
         a = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
        icalparameter *cu = icalproperty_get_first_parameter(a, ICAL_CUTYPE_PARAMETER);
        /* A dropped attendance counts as a row of its own, so a file's drops never
         * outnumber its rows (an event with a room and a decline is still a usable row). */
        if (cu && (icalparameter_get_cutype(cu) == ICAL_CUTYPE_ROOM ||
                   icalparameter_get_cutype(cu) == ICAL_CUTYPE_RESOURCE)) {
            kith_ingest_row(x->ing);
            kith_ingest_drop(x->ing, "resource");
            continue;
        }
        const char *value = icalproperty_get_attendee(a);
        if (value && strstr(value, "@resource.calendar.google.com")) {
            kith_ingest_row(x->ing);
            kith_ingest_drop(x->ing, "resource"); /* Google rooms without a CUTYPE */
            continue;
        }
        icalparameter *ps = icalproperty_get_first_parameter(a, ICAL_PARTSTAT_PARAMETER);
        /* delegated: they passed the invitation on and did not come either */
        if (ps && (icalparameter_get_partstat(ps) == ICAL_PARTSTAT_DECLINED ||
                   icalparameter_get_partstat(ps) == ICAL_PARTSTAT_DELEGATED)) {
            kith_ingest_row(x->ing);
            kith_ingest_drop(x->ing, "declined");
            /* an organizer who declines their own event does not attend it either */
            if (org_value && same_address(value, org_value))
                from = -1;
            continue;
        }
        if (org_value && same_address(value, org_value))
            continue; /* the organizer listed again as an attendee */
        int32_t id = who_of(x, a, value);
        if (id < 0 || id == from || n_to >= MAX_ATTENDEES)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n_to && !dup; k++)
            dup = x->to[k] == id;
        if (!dup)
            x->to[n_to++] = id;
    }
    if (n_to + (from >= 0 ? 1 : 0) < 2) {
        /* a solo event (often only the calendar's owner as organizer, or an event whose
         * organizer declined): no one to meet, but still a sign of whose calendar it is */
        if (org_email)
            kith_ingest_owner_email_vote(x->ing, org_email);
        kith_ingest_drop(x->ing, "no attendees");
        return KITH_OK;
    }

    int64_t *times = x->times;
    long got = occurrences(x, ev, dtp, times);
    if (got < 0)
        return kith_ingest_skip(x->ing, 0, d, "bad DTSTART in event '%s'", uid ? uid : "?");
    size_t n = (size_t)got;
    if (n == 0 || (n == 1 && times[0] > x->bound)) {
        /* scheduled after the export: it has not happened, and would move the export date */
        kith_ingest_drop(x->ing, "future");
        return KITH_OK;
    }
    size_t participants = n_to + (from >= 0 ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        int32_t group = -1;
        if (participants <= MAX_GROUP_PARTICIPANTS) {
            char key[600];
            snprintf(key, sizeof key, "%s@%lld", uid ? uid : x->name, (long long)times[i]);
            group = kith_ingest_group(x->ing, key);
        }
        kith_ingest_exchange(x->ing, times[i], KITH_K_MEETING, from, x->to, n_to, group,
                             KITH_EX_EVERYONE);
        if (org_email)
            kith_ingest_owner_email_vote(x->ing, org_email);
    }
    return KITH_OK;
}

static void stamp_bound(icalcomponent *ev, int64_t *latest)
{
    static const icalproperty_kind kinds[] = {ICAL_DTSTAMP_PROPERTY, ICAL_LASTMODIFIED_PROPERTY,
                                              ICAL_CREATED_PROPERTY};
    for (size_t i = 0; i < 3; i++) {
        icalproperty *p = icalcomponent_get_first_property(ev, kinds[i]);
        if (!p)
            continue;
        int64_t t = to_utc(icalvalue_get_datetime(icalproperty_get_value(p)), NULL);
        if (t != KITH_NO_TIME && t > *latest)
            *latest = t;
    }
}

/* First pass over one VCALENDAR: the recurrence overrides and the export moment. */
static kith_err scan_calendar(ictx *x, icalcomponent *cal, int64_t *latest, kith_diag *d)
{
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        stamp_bound(ev, latest);
        struct icaltimetype rid = icalcomponent_get_recurrenceid(ev);
        const char *uid = icalcomponent_get_uid(ev);
        if (icaltime_is_null_time(rid) || !uid)
            continue;
        icalproperty *rp = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY);
        override_key *o = realloc(x->overrides, (x->n_overrides + 1) * sizeof *o);
        if (!o)
            return kith_diag_set(d, KITH_ERR_NOMEM, x->name, 0, "out of memory");
        x->overrides = o;
        o[x->n_overrides].uid = strdup(uid);
        if (!o[x->n_overrides].uid)
            return kith_diag_set(d, KITH_ERR_NOMEM, x->name, 0, "out of memory");
        x->cal = cal;
        o[x->n_overrides].t = to_utc(rid, rp ? resolve_zone(x, rp) : NULL);
        x->n_overrides++;
    }
    return KITH_OK;
}

static kith_err read_calendar(ictx *x, icalcomponent *cal, kith_diag *d)
{
    x->cal = cal;
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); ev;
         ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
        kith_err err = read_event(x, ev, d);
        if (err)
            return err;
    }
    return KITH_OK;
}


/* The calendar's text for libical, read line by line: each logical line (a line and its
 * folded continuations) cut at MAX_ICAL_LINE, the whole at MAX_CALENDAR_BYTES. */
static kith_err read_capped(kith_stream *s, kith_buf *text, kith_diag *d)
{
    kith_lines lr;
    kith_buf line = {0};
    kith_err err = KITH_OK;
    size_t logical = 0;
    int r;
    kith_lines_init(&lr, s);
    if (!kith_buf_put(text, "", 0))
        return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
    while ((r = kith_lines_next(&lr, &line, d)) == 1) {
        bool cont = line.n > 0 && (line.s[0] == ' ' || line.s[0] == '\t');
        if (!cont)
            logical = 0;
        size_t room = MAX_ICAL_LINE > logical ? MAX_ICAL_LINE - logical : 0;
        size_t take = line.n < room ? line.n : room;
        if (cont && take < 2)
            continue; /* the logical line is full: drop the rest of its folds */
        logical += take;
        if (text->n + take + 2 > MAX_CALENDAR_BYTES) {
            err = kith_diag_set(d, KITH_ERR_FORMAT, kith_stream_name(s), 0,
                                "file larger than %zu MiB", MAX_CALENDAR_BYTES >> 20);
            goto cleanup;
        }
        if (!kith_buf_put(text, line.s, take) || !kith_buf_put(text, "\r\n", 2)) {
            err = kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
            goto cleanup;
        }
    }
    if (r < 0)
        err = KITH_ERR_IO;
cleanup:
    kith_buf_free(&line);
    return err;
}
kith_err kith_ical_read_bounded(kith_stream *s, kith_ingest *ing, int64_t now, kith_diag *d)
{
    kith_err err = KITH_OK;
    kith_buf text = {0};
    icalcomponent *root = NULL;
    ictx *x = calloc(1, sizeof *x);
    if (!x)
        return kith_diag_set(d, KITH_ERR_NOMEM, kith_stream_name(s), 0, "out of memory");
    x->ing = ing;
    x->iterations_left = MAX_FILE_ITERATIONS;
    x->name = kith_stream_name(s);

    /* a malformed line must become a skipped property, never an abort */
    icalerror_set_errors_are_fatal(0);
    kith_ingest_begin_file(ing, x->name, "ical");
    err = read_capped(s, &text, d);
    if (err)
        goto cleanup;
    root = icalparser_parse_string(text.s);
    kith_buf_free(&text);
    if (!root) {
        err = kith_diag_set(d, KITH_ERR_FORMAT, x->name, 0, "not an iCalendar file");
        goto cleanup;
    }

    /* several VCALENDARs in one file come back under an XROOT */
    bool xroot = icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT;
    /* The export moment is the latest DTSTAMP (RFC 5545 requires one per event; exporters
     * stamp the export time): recurrences are expanded up to it and later events are not
     * yet interactions. The clock is used only for a file with no stamp at all, so the same
     * file gives the same events on any day. */
    int64_t latest = KITH_NO_TIME;
    if (xroot) {
        for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
             c && !err; c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
            err = scan_calendar(x, c, &latest, d);
    } else {
        err = scan_calendar(x, root, &latest, d);
    }
    if (err)
        goto cleanup;
    x->bound = latest == KITH_NO_TIME ? now : latest;
    if (x->n_overrides)
        qsort(x->overrides, x->n_overrides, sizeof *x->overrides, cmp_override);

    if (xroot) {
        for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
             c && !err; c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT))
            err = read_calendar(x, c, d);
    } else {
        err = read_calendar(x, root, d);
    }

cleanup:
    kith_ingest_end_file(ing);
    kith_buf_free(&text);
    if (root)
        icalcomponent_free(root);
    icalmemory_free_ring(); /* libical's temporary strings of this file, not kept past it */
    for (size_t i = 0; i < x->n_overrides; i++)
        free(x->overrides[i].uid);
    free(x->overrides);
    free(x);
    return err;
}

kith_err kith_ical_read(kith_stream *s, kith_ingest *ing, kith_diag *d)
{
    return kith_ical_read_bounded(s, ing, (int64_t)time(NULL), d);
}

int kith_ical_sniff(const char *base_name, const char *head, size_t n)
{
    (void)base_name;
    return kith_head_begins(head, n, "BEGIN:VCALENDAR");
}

const kith_format kith_ical_formats[] = {
    {"ical", kith_ical_sniff, kith_ical_read},
    {NULL, NULL, NULL},
};
