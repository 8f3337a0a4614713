# Reads lines "SIZE TRACE-LOG" (stderr of `KITH_TRACE=1 kith report ...`) and prints a markdown
# table: one row per traced step in the order first seen, one column per size, wall seconds.
# A step traced more than once in a run (the CSV parse thread runs once per file) is summed.
{
    n[++k] = $1
    f = $2
    while ((getline line < f) > 0) {
        if (line !~ /^kith trace: /)
            continue
        step = substr(line, 13, 36)
        sub(/ +$/, "", step)
        match(line, /wall +[0-9.]+/)
        w = substr(line, RSTART + 4, RLENGTH - 4)
        gsub(/ /, "", w)
        if (!(step in seen)) {
            seen[step] = 1
            order[++m] = step
        }
        t[step, k] += w
        have[step, k] = 1
    }
    close(f)
}
END {
    printf "| step |"
    for (i = 1; i <= k; i++)
        printf " %s |", n[i]
    print ""
    printf "|---|"
    for (i = 1; i <= k; i++)
        printf "---:|"
    print ""
    for (j = 1; j <= m; j++) {
        s = order[j]
        label = s
        gsub(/^ +/, "\\&nbsp;\\&nbsp;", label)
        printf "| %s |", label
        for (i = 1; i <= k; i++)
            printf((have[s, i] ? " %.3f |" : " - |"), t[s, i])
        print ""
    }
}
