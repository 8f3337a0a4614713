/* kith synth: the PRNG, calendar arithmetic and CSV quoting. No libc rand(), no locale, no
 * time zone: the same seed gives the same bytes on every machine. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "synth_int.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t sy_hash(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL);
    return splitmix64(&x);
}

void sy_rng_init(sy_rng *r, uint64_t seed, uint64_t purpose, uint64_t index)
{
    uint64_t x = sy_hash(sy_hash(seed, purpose), index);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t sy_next(sy_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double sy_unif(sy_rng *r)
{
    return (double)(sy_next(r) >> 11) * 0x1.0p-53;
}

long sy_range(sy_rng *r, long lo, long hi)
{
    if (hi <= lo)
        return lo;
    return lo + (long)(sy_next(r) % (uint64_t)(hi - lo + 1));
}

double sy_exp(sy_rng *r, double mean)
{
    return -mean * log(1.0 - sy_unif(r));
}

bool sy_chance(sy_rng *r, double p)
{
    return sy_unif(r) < p;
}

bool sy_parse_date(const char *s, int64_t *t)
{
    int y, m, d;
    char extra;
    if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || strlen(s) != 10)
        return false;
    if (y < 1990 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31)
        return false;
    int yy, mm, dd;
    int64_t days = kith_days_from_civil(y, m, d);
    kith_civil_from_days(days, &yy, &mm, &dd);
    if (yy != y || mm != m || dd != d)
        return false;
    *t = days * SY_DAY;
    return true;
}

static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const wday[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

void sy_fmt_iso(int64_t t, char *buf, size_t n)
{
    sy_fmt(t, "iso", buf, n);
}

/* Styles: "iso" 2026-10-31T23:59:59Z, "li" 2025-06-01 14:03:22 UTC (messages),
 * "plain" 2026-04-30 15:32:07 (shares), "endorse" 2021/09/01 12:41:31 UTC,
 * "conn" 15 Mar 2021, "invite" 3/14/25, 2:37 PM, "rec" 08/30/22, 05:51 PM,
 * "mon" Jan 2020, "bday" Apr 15, 1988, "ymd" 2026-10-31, "mbox" Thu Jun 11 00:38:38 +0000 2020,
 * "ics" 20261001T150000Z, "icsdate" 20261001, "zipname" 11-15-2026. */
void sy_fmt(int64_t t, const char *style, char *buf, size_t n)
{
    int64_t days = t >= 0 ? t / SY_DAY : (t - SY_DAY + 1) / SY_DAY;
    int64_t secs = t - days * SY_DAY;
    int y, m, d, hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
    kith_civil_from_days(days, &y, &m, &d);
    int h12 = hh % 12 == 0 ? 12 : hh % 12;
    const char *ampm = hh < 12 ? "AM" : "PM";
    if (!strcmp(style, "iso"))
        snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mi, ss);
    else if (!strcmp(style, "li"))
        snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d UTC", y, m, d, hh, mi, ss);
    else if (!strcmp(style, "plain"))
        snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, hh, mi, ss);
    else if (!strcmp(style, "endorse"))
        snprintf(buf, n, "%04d/%02d/%02d %02d:%02d:%02d UTC", y, m, d, hh, mi, ss);
    else if (!strcmp(style, "conn"))
        snprintf(buf, n, "%02d %s %04d", d, mon[m - 1], y);
    else if (!strcmp(style, "invite"))
        snprintf(buf, n, "%d/%d/%02d, %d:%02d %s", m, d, y % 100, h12, mi, ampm);
    else if (!strcmp(style, "rec"))
        snprintf(buf, n, "%02d/%02d/%02d, %02d:%02d %s", m, d, y % 100, h12, mi, ampm);
    else if (!strcmp(style, "mon"))
        snprintf(buf, n, "%s %04d", mon[m - 1], y);
    else if (!strcmp(style, "bday"))
        snprintf(buf, n, "%s %d, %04d", mon[m - 1], d, y);
    else if (!strcmp(style, "ymd"))
        snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
    else if (!strcmp(style, "mbox"))
        snprintf(buf, n, "%s %s %02d %02d:%02d:%02d +0000 %04d", wday[((days % 7) + 7) % 7],
                 mon[m - 1], d, hh, mi, ss, y);
    else if (!strcmp(style, "ics"))
        snprintf(buf, n, "%04d%02d%02dT%02d%02d%02dZ", y, m, d, hh, mi, ss);
    else if (!strcmp(style, "icsdate"))
        snprintf(buf, n, "%04d%02d%02d", y, m, d);
    else if (!strcmp(style, "zipname"))
        snprintf(buf, n, "%02d-%02d-%04d", m, d, y);
    else if (!strcmp(style, "rfc2822"))
        snprintf(buf, n, "%s, %d %s %04d %02d:%02d:%02d", wday[((days % 7) + 7) % 7], d, mon[m - 1],
                 y, hh, mi, ss);
    else
        snprintf(buf, n, "?");
}

void sy_csv_field(FILE *f, const char *s, bool always_quote)
{
    if (!s)
        s = "";
    bool q =
        always_quote || strpbrk(s, ",\"\r\n") || (s[0] == ' ') || (*s && s[strlen(s) - 1] == ' ');
    if (!q) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void sy_csv_field_bs(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
