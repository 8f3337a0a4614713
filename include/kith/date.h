/* Dates and times of the export formats, parsed into UTC seconds since the epoch.
 *
 * One parser per format seen in the real files (export-formats.md §1) plus ISO 8601 for the
 * generic CSV. The arithmetic is our own (proleptic Gregorian, no locale, no TZ environment),
 * so the same text gives the same number on every machine. Times without a zone are taken as
 * UTC. Two-digit years 00-69 are 20xx, 70-99 are 19xx. Month names are English, matched
 * case-insensitively by their first three letters or in full ("Mar", "March").
 * Invalid values (Feb 30, month 13, hour 25, trailing text) are rejected with KITH_ERR_FORMAT
 * and leave *t untouched. Leading and trailing white space is ignored. */
#ifndef KITH_DATE_H
#define KITH_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "kith/error.h"

typedef enum {
    KITH_DATE_D_MON_YYYY,     /* "15 Mar 2021"               LinkedIn Connections */
    KITH_DATE_DD_MON_YY,      /* "29-Feb-20"                 Connections, 2020 export */
    KITH_DATE_YMD_HMS_UTC,    /* "2025-06-01 14:03:22 UTC"   messages */
    KITH_DATE_MDY_HM_AMPM,    /* "3/14/25, 2:37 PM", "08/30/22, 05:51 PM"  Invitations,
                                 Recommendations */
    KITH_DATE_YMD_SLASH_UTC,  /* "2021/09/01 12:41:31 UTC"   Endorsements */
    KITH_DATE_MON_YYYY,       /* "Jan 2020"                  Positions (the 1st, 00:00) */
    KITH_DATE_MON_D_YYYY,     /* "Apr 15, 1988"              Profile birth date */
    KITH_DATE_YMD_HMS,        /* "2026-04-30 15:32:07"       Shares, Comments, Reactions */
    KITH_DATE_ISO8601,        /* "2026-10-03", "2026-10-03T14:00:00Z", "...T14:00+02:00",
                                 fractions of a second ignored; no zone = UTC */
    KITH_DATE__COUNT
} kith_date_fmt;

/* Parses s in format f into *t (UTC seconds). KITH_OK, or KITH_ERR_FORMAT when s is not a
 * valid date of that format. */
kith_err kith_date_parse(kith_date_fmt f, const char *s, int64_t *t);

/* Tries every format in enum order; the first that accepts s wins. */
kith_err kith_date_parse_any(const char *s, int64_t *t);

/* Seconds since the epoch of a UTC civil time, validated (month 1-12, day within the month,
 * hour 0-23, minute and second 0-59). */
kith_err kith_time_make(int year, int month, int day, int hour, int min, int sec, int64_t *t);

/* Days since 1970-01-01 of a (valid) civil date, and the inverse. */
int64_t kith_days_from_civil(int year, int month, int day);
void kith_civil_from_days(int64_t days, int *year, int *month, int *day);

/* Writes "YYYY-MM-DD" (date_only) or "YYYY-MM-DDTHH:MM:SSZ" into buf (size >= 21);
 * "" for KITH_NO_TIME. Returns buf. */
char *kith_time_format(int64_t t, int date_only, char buf[21]);

#endif
