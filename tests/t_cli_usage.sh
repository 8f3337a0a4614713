#!/usr/bin/env bash
# Golden command-line cases for usage errors: exit code 2 and a one-line message.
set -u
kith=$1; src=$2; scratch=$3
mkdir -p "$scratch"
fail=0
expect() { # expect CODE STDERR-SUBSTRING -- ARGS...
    local want=$1 msg=$2; shift 3
    "$kith" "$@" >"$scratch/out" 2>"$scratch/err"; local got=$?
    if [[ $got -ne $want ]] || ! grep -qF -- "$msg" "$scratch/err"; then
        echo "FAIL: kith $* -> exit $got (want $want), stderr:"; cat "$scratch/err"; fail=1
    fi
}
expect 2 "usage: kith" -- 
expect 2 "unknown command 'frobnicate'" -- frobnicate
expect 2 "unknown or incomplete option '--bogus'" -- inspect --bogus x
expect 2 "--month wants YYYY-MM, not '2026-13'" -- report monthly --month 2026-13 x
expect 2 "--dormant-days wants a positive number" -- report monthly --dormant-days -3 x
expect 2 "'inspect' needs at least one INPUT" -- inspect
expect 2 "'report' needs an argument" -- report
"$kith" --help >"$scratch/out" 2>&1 && grep -q "report monthly" "$scratch/out" || { echo "FAIL: --help"; fail=1; }
"$kith" --version | grep -q '^kith [0-9]' || { echo "FAIL: --version"; fail=1; }
exit $fail
