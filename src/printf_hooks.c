/* Keeps glibc's printf on its fast path.
 *
 * igraph needs LAPACK and ARPACK, which need libgfortran, which needs libquadmath, whose
 * load-time constructor registers printf hooks for __float128 (register_printf_specifier and
 * friends). Once any hook is registered, glibc formats every printf-family call of the
 * process through its slow positional path (printf_positional, parse_one_specmb): the XML
 * libxlsxwriter writes with fprintf, the numbers cairo writes into SVG and PDF. That was about
 * a third of all printf time (4% of kith report's CPU at 30k persons).
 *
 * These definitions in the program take precedence over glibc's (ELF symbol interposition;
 * the program exports them, see CMakeLists.txt), register nothing and say so (-1, as glibc
 * does on failure; libquadmath then stops at its first call). No code in this process prints
 * a __float128 through printf; libquadmath's own quadmath_snprintf does not need the hooks. */
#include "kith/printf_hooks.h"

#include <math.h>
#include <printf.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

int register_printf_specifier(int spec, printf_function render, printf_arginfo_size_function info)
{
    (void)spec;
    (void)render;
    (void)info;
    return -1;
}

int register_printf_modifier(const wchar_t *str)
{
    (void)str;
    return -1;
}

int register_printf_type(printf_va_arg_function fn)
{
    (void)fn;
    return -1;
}

/* ------------------------------------------------------------------------------------------
 * cairo's numbers
 *
 * cairo writes every coordinate of an SVG or PDF through snprintf(buf, n, "%f", d), or
 * "%.*f" with 3 decimals where it limits precision (built with _FORTIFY_SOURCE: the calls
 * reach __snprintf_chk), about 2,000 instructions a number in glibc: 13% of all the 3 k-person
 * report's instructions went to the SVG charts' numbers. The definition below takes those
 * calls (ELF interposition, as above) and prints 3 or 6 decimals itself when it can be sure
 * of glibc's digits -- a finite |d| < 1e6 whose scaled value (exact to 1.2e-4) is not within
 * 1e-3 of a rounding half, or is exactly a half -- and otherwise, and for every other format,
 * hands the call to glibc's __vsnprintf_chk unchanged. cairo prints zero as "%.18f"; that one
 * too. test_printf_hooks compares them with glibc's on millions of values; the charts' SVG
 * and PDF files are byte for byte those glibc's printf gives.
 * ------------------------------------------------------------------------------------------ */
int __vsnprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format,
                    va_list ap);

int kith_format_f(char *s, size_t maxlen, double d, int prec)
{
    char buf[48], *p = buf;
    if (prec == 18) { /* only zero, as cairo asks for it */
        if (d != 0)
            return -1;
        if (signbit(d))
            *p++ = '-';
        memcpy(p, "0.000000000000000000", 20);
        p += 20;
    } else {
        if ((prec != 3 && prec != 6) || !isfinite(d) || fabs(d) >= 1e6)
            return -1;
        const double scale = prec == 3 ? 1e3 : 1e6;
        double x = fabs(d) * scale, f = x - floor(x);
        /* near a half, the product's rounding error (< 1.2e-4) could decide; unless the
         * product is exact (a tie, which glibc, like nearbyint, rounds to even) */
        if (fabs(f - 0.5) < 1e-3 && fma(fabs(d), scale, -x) != 0)
            return -1;
        uint64_t u = (uint64_t)nearbyint(x), div = prec == 3 ? 1000 : 1000000;
        uint64_t ip = u / div, fp = u % div;
        if (signbit(d))
            *p++ = '-';
        char digits[24];
        int n = 0;
        do
            digits[n++] = (char)('0' + ip % 10);
        while ((ip /= 10) > 0);
        while (n > 0)
            *p++ = digits[--n];
        *p++ = '.';
        for (int k = prec - 1; k >= 0; k--, fp /= 10)
            p[k] = (char)('0' + fp % 10);
        p += prec;
    }
    size_t len = (size_t)(p - buf);
    if (len + 1 > maxlen)
        return -1;
    memcpy(s, buf, len);
    s[len] = '\0';
    return (int)len;
}

int __snprintf_chk(char *s, size_t maxlen, int flag, size_t slen, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    int n = -1;
    if (maxlen <= slen && format[0] == '%') {
        va_list a2;
        va_copy(a2, ap);
        int prec = !strcmp(format + 1, "f")     ? 6
                   : !strcmp(format + 1, ".18f") ? 18
                   : !strcmp(format + 1, ".*f")  ? va_arg(a2, int)
                                                 : -1;
        if (prec == 3 || prec == 6 || prec == 18)
            n = kith_format_f(s, maxlen, va_arg(a2, double), prec);
        va_end(a2);
    }
    if (n < 0)
        n = __vsnprintf_chk(s, maxlen, flag, slen, format, ap);
    va_end(ap);
    return n;
}
