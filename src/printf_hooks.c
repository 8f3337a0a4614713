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
#include <printf.h>

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
