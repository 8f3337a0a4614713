#!/usr/bin/env bash
# Benchmark: kith report monthly vs the Python way (pandas + networkx + matplotlib + xlsxwriter)
# on kith synth exports of growing size. Writes bench/RESULTS.md.
#
#   bench/run.sh [SIZES...]        default sizes: 3000 30000 300000 1000000 persons
#   PY_MAX=30000 bench/run.sh      largest size the Python reference is run on (it is slow)
#   REPEAT=5 bench/run.sh          runs of kith per size up to 30 k persons (the median is kept:
#                                  on a shared machine one run can be far off)
#   REPEAT_LARGE=3 bench/run.sh    runs per size above 30 k (a 1 M run varies by a quarter from
#                                  one quarter hour to the next)
#
# Every size uses about 10 events per person. Times and peak memory come from /usr/bin/time -v.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
((${#sizes[@]})) || sizes=(3000 30000 300000 1000000)
py_max=${PY_MAX:-30000}
repeat=${REPEAT:-5}
repeat_large=${REPEAT_LARGE:-3}
work=bench/work
mkdir -p "$work"
make -s build >/dev/null
kith=build/kith

measure() { # measure LOG CMD... -> "wall user maxrss_kib"; the command's stderr in LOG.err
    local log=$1; shift
    /usr/bin/time -v -o "$log.time" "$@" >"$log.out" 2>"$log.err" || { echo "FAILED: $*" >&2; tail -5 "$log.err" >&2; return 1; }
    awk -F': ' '/Elapsed \(wall clock\)/ {split($2,a,":"); w=(length(a)==3)? a[1]*3600+a[2]*60+a[3] : a[1]*60+a[2]}
                /User time/ {u=$2} /Maximum resident/ {m=$2} END {printf "%.2f %.2f %d\n", w, u, m}' "$log.time"
}

rows=()
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cpu_before=$(head -1 /proc/stat)
for n in "${sizes[@]}"; do
    d="$work/synth-$n"
    if [[ ! -f "$d/plants.json" ]]; then
        echo "bench: synth $n persons" >&2
        "$kith" synth --persons "$n" --events $((n * 10)) --seed 7 --out "$d" >/dev/null
    fi
    inputs=("$d/linkedin" "$d/google-contacts.csv")
    runs=$((n <= 30000 ? repeat : repeat_large))
    echo "bench: kith report monthly on $n persons ($runs run(s))" >&2
    for ((i = 1; i <= runs; i++)); do
        r=$(KITH_TRACE=1 measure "$work/kith-$n.$i" "$kith" report monthly --quiet --out "$work/out-$n" "${inputs[@]}")
        echo "$r $i"
    done | sort -n > "$work/kith-$n.runs"
    # the run with the median wall time: its numbers and its trace
    read -r kw ku km mid < <(sed -n "$(((runs + 1) / 2))p" "$work/kith-$n.runs")
    cp "$work/kith-$n.$mid.err" "$work/kith-$n.err"
    kmin=$(head -1 "$work/kith-$n.runs" | cut -d' ' -f1)
    kmax=$(tail -1 "$work/kith-$n.runs" | cut -d' ' -f1)
    pw=- pu=- pm=- ratio=- uratio=-
    if ((n <= py_max)); then
        echo "bench: python reference on $n persons" >&2
        if read -r pw pu pm < <(measure "$work/py-$n" /usr/bin/python3 bench/reference.py --out "$work/py-out-$n" "${inputs[@]}"); then
            ratio=$(awk -v p="$pw" -v k="$kw" 'BEGIN {printf "%.0f", (k > 0 ? p / k : 0)}')
            uratio=$(awk -v p="$pu" -v k="$ku" 'BEGIN {printf "%.0f", (k > 0 ? p / k : 0)}')
            pm=$((pm / 1024))
        fi
    fi
    events=$(grep -m1 -o '"events": *[0-9]*' "$work/out-$n/summary.json" 2>/dev/null | grep -o '[0-9]*$' || echo "~$((n * 10))")
    spread=$([[ $runs -gt 1 ]] && echo "$kmin–$kmax" || echo "-")
    rows+=("| $n | $((n * 10)) | $kw | $spread | $ku | $((km / 1024)) | $pw | $pu | $pm | $ratio | $uratio |")
done

{
    echo "# Benchmark results"
    echo
    echo "Command: \`bench/run.sh ${sizes[*]}\` ($(date -u +%Y-%m-%d))."
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo),"\
         "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)."
    echo "Inputs: \`kith synth --persons N --events 10N --seed 7\` (LinkedIn folder + Google Contacts CSV)."
    echo "kith: \`kith report monthly\` (workbook, charts, PDF, summary.json), $repeat runs per size up to 30 k"
    echo "persons, $repeat_large above (the table gives the run with the median wall time, and the range)."
    echo "Python: \`bench/reference.py\`"
    echo "(pandas + networkx + matplotlib + xlsxwriter: the same monthly measures, one chart, one workbook)."
    echo
    echo "Load average (1, 5, 15 min) at the start: $load_before; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "(the machine is shared: wall times grow with the load, user times much less)."
    # the share of CPU time the host gave to other machines (steal) during the whole run
    echo "$cpu_before" "$(head -1 /proc/stat)" | awk '{t1 = 0; t2 = 0; for (i = 2; i <= 9; i++) { t1 += $i; t2 += $(i + 11) }
        if (t2 > t1) printf "CPU time stolen by the host meanwhile: %.0f%%.\n", 100 * ($20 - $9) / (t2 - t1) }'
    echo
    echo "| persons | events (requested) | kith wall s | kith wall range | kith user s | kith peak MiB | python wall s | python user s | python peak MiB | python / kith (wall) | python / kith (user) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "### Where kith's time goes (wall seconds per step, from KITH_TRACE=1 of the same runs)"
    echo
    echo "Indented steps are parts of the step above them; the charts thread runs beside the"
    echo "main thread, so steps do not add up to the total."
    echo
    # one column per size, one row per traced step in the order of the first run
    for n in "${sizes[@]}"; do echo "$n $work/kith-$n.err"; done | awk -f bench/steps.awk
} > bench/RESULTS.md
cat bench/RESULTS.md
