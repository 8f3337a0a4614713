/* Date parsers of the export formats (include/kith/date.h). A tiny cursor scanner, one
 * function per format: explicit is easier to test than a pattern language. */
#include "kith/date.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "kith/model.h"

typedef struct {
    const char *p;
} scan;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static void skip_blanks(scan *s)
{
    while (is_blank(*s->p))
        s->p++;
}

/* Reads min..max digits into *v. */
static bool num(scan *s, int min, int max, int *v)
{
    int n = 0, x = 0;
    while (n < max && is_digit(s->p[n]))
        x = x * 10 + (s->p[n++] - '0');
    if (n < min)
        return false;
    s->p += n;
    *v = x;
    return true;
}

static bool lit(scan *s, char c)
{
    if (*s->p != c)
        return false;
    s->p++;
    return true;
}

/* One or more spaces. */
static bool spaces(scan *s)
{
    if (*s->p != ' ')
        return false;
    while (*s->p == ' ')
        s->p++;
    return true;
}

static bool word_ci(scan *s, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < n; i++)
        if (lower(s->p[i]) != w[i])
            return false;
    s->p += n;
    return true;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* An English month name in full or its first three letters ("Sept" is neither). */
static bool month_name(scan *s, int *month)
{
    static const char *const names[12] = {"january", "february", "march",     "april",
                                          "may",     "june",     "july",      "august",
                                          "september", "october", "november", "december"};
    for (int m = 0; m < 12; m++) {
        size_t len = 0, full = strlen(names[m]);
        while (len < full && lower(s->p[len]) == names[m][len])
            len++;
        size_t take = len == full ? full : len >= 3 ? 3 : 0;
        if (take == 0 || is_alpha(s->p[take]))
            continue;
        s->p += take;
        *month = m + 1;
        return true;
    }
    return false;
}

static bool at_end(scan *s)
{
    skip_blanks(s);
    return *s->p == 0;
}

static int year2(int yy) { return yy < 70 ? 2000 + yy : 1900 + yy; }

int64_t kith_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil. */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void kith_civil_from_days(int64_t z, int *year, int *month, int *day)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    const int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(yoe + era * 400 + (m <= 2));
    *month = m;
    *day = d;
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

kith_err kith_time_make(int year, int month, int day, int hour, int min, int sec, int64_t *t)
{
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || hour < 0 || hour > 23 || min < 0 || min > 59 ||
        sec < 0 || sec > 59)
        return KITH_ERR_FORMAT;
    *t = kith_days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
    return KITH_OK;
}

/* "HH:MM:SS" */
static bool hms(scan *s, int *h, int *mi, int *se)
{
    return num(s, 1, 2, h) && lit(s, ':') && num(s, 2, 2, mi) && lit(s, ':') && num(s, 2, 2, se);
}

static bool parse_d_mon_yyyy(scan *s, int v[6])
{
    return num(s, 1, 2, &v[2]) && spaces(s) && month_name(s, &v[1]) && spaces(s) &&
           num(s, 4, 4, &v[0]);
}

static bool parse_dd_mon_yy(scan *s, int v[6])
{
    if (!(num(s, 1, 2, &v[2]) && lit(s, '-') && month_name(s, &v[1]) && lit(s, '-') &&
          num(s, 2, 2, &v[0])))
        return false;
    v[0] = year2(v[0]);
    return true;
}

static bool parse_ymd_hms(scan *s, int v[6], char sep, bool utc)
{
    if (!(num(s, 4, 4, &v[0]) && lit(s, sep) && num(s, 2, 2, &v[1]) && lit(s, sep) &&
          num(s, 2, 2, &v[2]) && spaces(s) && hms(s, &v[3], &v[4], &v[5])))
        return false;
    return !utc || (spaces(s) && word_ci(s, "utc"));
}

static bool parse_mdy_hm_ampm(scan *s, int v[6])
{
    if (!(num(s, 1, 2, &v[1]) && lit(s, '/') && num(s, 1, 2, &v[2]) && lit(s, '/')))
        return false;
    if (!num(s, 2, 4, &v[0]))
        return false;
    /* Two digits are the usual form; four digits are accepted, three are not. */
    if (v[0] < 100) {
        v[0] = year2(v[0]);
    } else if (v[0] < 1000) {
        return false;
    }
    lit(s, ',');
    if (!(spaces(s) && num(s, 1, 2, &v[3]) && lit(s, ':') && num(s, 2, 2, &v[4])))
        return false;
    if (lit(s, ':') && !num(s, 2, 2, &v[5]))
        return false;
    skip_blanks(s);
    bool pm;
    if (word_ci(s, "am"))
        pm = false;
    else if (word_ci(s, "pm"))
        pm = true;
    else
        return false;
    if (v[3] < 1 || v[3] > 12)
        return false;
    v[3] = v[3] % 12 + (pm ? 12 : 0);
    return true;
}

static bool parse_mon_yyyy(scan *s, int v[6])
{
    v[2] = 1;
    return month_name(s, &v[1]) && spaces(s) && num(s, 4, 4, &v[0]);
}

static bool parse_mon_d_yyyy(scan *s, int v[6])
{
    if (!(month_name(s, &v[1]) && spaces(s) && num(s, 1, 2, &v[2])))
        return false;
    lit(s, ',');
    return spaces(s) && num(s, 4, 4, &v[0]);
}

/* ISO 8601: date, optional 'T'/' ' time with optional seconds and fraction, optional zone
 * Z or +HH:MM / +HHMM / +HH. Returns the zone offset in seconds through *off. */
static bool parse_iso(scan *s, int v[6], int *off)
{
    *off = 0;
    if (!(num(s, 4, 4, &v[0]) && lit(s, '-') && num(s, 2, 2, &v[1]) && lit(s, '-') &&
          num(s, 2, 2, &v[2])))
        return false;
    if (*s->p != 'T' && *s->p != 't' && !(*s->p == ' ' && is_digit(s->p[1])))
        return true;
    s->p++;
    if (!(num(s, 2, 2, &v[3]) && lit(s, ':') && num(s, 2, 2, &v[4])))
        return false;
    if (lit(s, ':')) {
        if (!num(s, 2, 2, &v[5]))
            return false;
        if (lit(s, '.') || lit(s, ',')) {
            if (!is_digit(*s->p))
                return false;
            while (is_digit(*s->p))
                s->p++;
        }
    }
    if (lit(s, 'Z') || lit(s, 'z'))
        return true;
    if (*s->p == '+' || *s->p == '-') {
        int sign = *s->p++ == '-' ? -1 : 1, oh, om = 0;
        if (!num(s, 2, 2, &oh))
            return false;
        if (lit(s, ':')) {
            if (!num(s, 2, 2, &om))
                return false;
        } else if (is_digit(*s->p) && !num(s, 2, 2, &om)) {
            return false;
        }
        if (oh > 23 || om > 59)
            return false;
        *off = sign * (oh * 3600 + om * 60);
    }
    return true;
}

kith_err kith_date_parse(kith_date_fmt f, const char *str, int64_t *t)
{
    if (!str || !t)
        return KITH_ERR_FORMAT;
    scan s = {str};
    int v[6] = {0, 0, 0, 0, 0, 0}, off = 0;
    bool ok;
    skip_blanks(&s);
    switch (f) {
    case KITH_DATE_D_MON_YYYY: ok = parse_d_mon_yyyy(&s, v); break;
    case KITH_DATE_DD_MON_YY: ok = parse_dd_mon_yy(&s, v); break;
    case KITH_DATE_YMD_HMS_UTC: ok = parse_ymd_hms(&s, v, '-', true); break;
    case KITH_DATE_MDY_HM_AMPM: ok = parse_mdy_hm_ampm(&s, v); break;
    case KITH_DATE_YMD_SLASH_UTC: ok = parse_ymd_hms(&s, v, '/', true); break;
    case KITH_DATE_MON_YYYY: ok = parse_mon_yyyy(&s, v); break;
    case KITH_DATE_MON_D_YYYY: ok = parse_mon_d_yyyy(&s, v); break;
    case KITH_DATE_YMD_HMS: ok = parse_ymd_hms(&s, v, '-', false); break;
    case KITH_DATE_ISO8601: ok = parse_iso(&s, v, &off); break;
    default: ok = false; break;
    }
    int64_t r;
    if (!ok || !at_end(&s) || kith_time_make(v[0], v[1], v[2], v[3], v[4], v[5], &r) != KITH_OK)
        return KITH_ERR_FORMAT;
    *t = r - off;
    return KITH_OK;
}

kith_err kith_date_parse_any(const char *s, int64_t *t)
{
    for (int f = 0; f < KITH_DATE__COUNT; f++)
        if (kith_date_parse((kith_date_fmt)f, s, t) == KITH_OK)
            return KITH_OK;
    return KITH_ERR_FORMAT;
}

char *kith_time_format(int64_t t, int date_only, char buf[21])
{
    if (t == KITH_NO_TIME) {
        buf[0] = 0;
        return buf;
    }
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t sec = t - days * 86400;
    int y, m, d;
    kith_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999;
    char tmp[64];
    if (date_only)
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(sec / 3600),
                 (int)(sec / 60 % 60), (int)(sec % 60));
    size_t len = strlen(tmp) < 20 ? strlen(tmp) : 20;
    memcpy(buf, tmp, len);
    buf[len] = 0;
    return buf;
}
