#!/usr/bin/env bash
# The program carries and exports its replacements of library functions, so the libraries
# that call them bind to ours (ELF interposition; see src/output/xlsx_zip.c and
# src/printf_hooks.c, src/output/pdf.c): lost link options would silently bring back level-6
# single-thread zipping, level-6 PDF streams, glibc's slow printf path and its "%f" for every
# number of the SVG and PDF charts.
set -u
kith=$1
fail=0
for sym in zipOpenNewFileInZip4_64 zipWriteInFileInZip zipCloseFileInZip zipClose deflateInit_ \
           register_printf_specifier register_printf_modifier register_printf_type __snprintf_chk; do
    nm -D --defined-only "$kith" | grep -qE " T $sym\$" || { echo "FAIL: kith does not export $sym"; fail=1; }
done
# and glibc's printf then takes no detour: libquadmath (loaded for igraph) registered nothing
if command -v ldd >/dev/null && ldd "$kith" | grep -q libquadmath; then
    out=$(LD_DEBUG=bindings "$kith" --version 2>&1 | grep -E "libquadmath.*register_printf_type" | head -1)
    [[ "$out" == *"to "*"kith"* ]] || { echo "FAIL: libquadmath binds register_printf_type elsewhere: $out"; fail=1; }
fi
# cairo's PDF streams get kith's deflateInit_
out=$(LD_DEBUG=bindings "$kith" --version 2>&1 | grep -E "libcairo.*deflateInit_" | head -1)
[[ "$out" == *"to "*"kith"* ]] || { echo "FAIL: libcairo binds deflateInit_ elsewhere: $out"; fail=1; }
# cairo's numbers get kith's __snprintf_chk
out=$(LD_DEBUG=bindings "$kith" --version 2>&1 | grep -E "libcairo.*__snprintf_chk" | head -1)
[[ "$out" == *"to "*"kith"* ]] || { echo "FAIL: libcairo binds __snprintf_chk elsewhere: $out"; fail=1; }
exit $fail
