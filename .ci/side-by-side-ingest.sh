#!/usr/bin/env bash
# Ingest side by side (issue 16): the same 1 M-row price file loaded by `indextop import prices` and by
# the sqlite3 CLI into the same schema (`.import` into a staging table, then INSERT … SELECT, one
# transaction), as CSV and as JSONL. Prints rows/s of both, the ratio, and peak RSS (/usr/bin/time -v).
# usage: .ci/side-by-side-ingest.sh [ROWS]   (default 1000000; 100 symbols, hourly, ISO-8601 times)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
swift build -c release --product indextop >/dev/null
bin=$PWD/.build/release/indextop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
symbols=100
steps=$(( (rows + symbols - 1) / symbols ))

# Assets S001…S100 and the price files (time-major order, as an exporter writes them).
{ echo "symbol,name,sector,coingecko_id,stablecoin"
  for i in $(seq 1 $symbols); do printf "S%03d,Asset %d,test,,false\n" "$i" "$i"; done; } >"$work/assets.csv"
awk -v steps="$steps" -v n="$symbols" -v rows="$rows" 'BEGIN {
    print "time,symbol,price,market_cap,volume"; t0 = 1704067200; k = 0
    for (s = 0; s < steps && k < rows; s++) {
        t = strftime("%Y-%m-%dT%H:%M:%SZ", t0 + s * 3600, 1)
        for (i = 1; i <= n && k < rows; i++) {
            p = 1 + i * 10 + (s % 97) * 0.01
            printf "%s,S%03d,%.4f,%.0f,%.0f\n", t, i, p, p * 1e7, p * 1e5; k++
        } } }' >"$work/prices.csv"
awk -F, 'NR > 1 { printf "{\"time\":\"%s\",\"symbol\":\"%s\",\"price\":%s,\"market_cap\":%s,\"volume\":%s}\n", $1, $2, $3, $4, $5 }' \
    "$work/prices.csv" >"$work/prices.jsonl"

"$bin" --db "$work/base.db" init >/dev/null
"$bin" --db "$work/base.db" assets import "$work/assets.csv" >/dev/null

# measure NAME COMMAND...: wall seconds and peak RSS (kB) of one run.
measure() {
    local name=$1; shift
    /usr/bin/time -v -o "$work/$name.time" "$@" >/dev/null
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s }' "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    echo "$wall $rss"
}

report() {  # FORMAT OURS THEIRS
    read -r ow orss <<<"$2"
    read -r tw trss <<<"$3"
    awk -v f="$1" -v r="$rows" -v ow="$ow" -v tw="$tw" -v orss="$orss" -v trss="$trss" 'BEGIN {
        printf "%-5s indextop %9.0f rows/s (%.2f s, peak RSS %.1f MB) | sqlite3 %9.0f rows/s (%.2f s, peak RSS %.1f MB) | ratio %.2fx\n",
            f, r / ow, ow, orss / 1024, r / tw, tw, trss / 1024, (r / ow) / (r / tw) }'
}

for fmt in csv jsonl; do
    cp "$work/base.db" "$work/ours.db"
    cp "$work/base.db" "$work/theirs.db"
    ours=$(measure "ours-$fmt" "$bin" --db "$work/ours.db" import prices "$work/prices.$fmt")
    if [ "$fmt" = csv ]; then
        script=".mode csv
CREATE TEMP TABLE staging(time TEXT, symbol TEXT, price REAL, market_cap REAL, volume REAL);
BEGIN;
.import --skip 1 $work/prices.csv staging
INSERT INTO prices(symbol, time, price, market_cap, volume, source)
    SELECT upper(symbol), unixepoch(time), price, market_cap, volume, 'import' FROM staging;
COMMIT;"
    else
        script=".mode ascii
.separator \"\\037\" \"\\n\"
CREATE TEMP TABLE staging(line TEXT);
BEGIN;
.import $work/prices.jsonl staging
INSERT INTO prices(symbol, time, price, market_cap, volume, source)
    SELECT upper(line ->> '\$.symbol'), unixepoch(line ->> '\$.time'), line ->> '\$.price',
           line ->> '\$.market_cap', line ->> '\$.volume', 'import' FROM staging;
COMMIT;"
    fi
    printf '%s\n' "$script" >"$work/load.sql"
    theirs=$(measure "theirs-$fmt" sqlite3 "$work/theirs.db" ".read $work/load.sql")
    a=$(sqlite3 "$work/ours.db" "SELECT COUNT(*), printf('%.6f', SUM(price)) FROM prices")
    b=$(sqlite3 "$work/theirs.db" "SELECT COUNT(*), printf('%.6f', SUM(price)) FROM prices")
    [ "$a" = "$b" ] || { echo "$fmt: stored rows differ: indextop $a, sqlite3 $b" >&2; exit 1; }
    report "$fmt" "$ours" "$theirs"
done
echo "rows: $rows, load average: $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
