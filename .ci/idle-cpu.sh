#!/usr/bin/env bash
# Idle CPU of the dashboard vs `top -d 1`, each running in tmux for 30 s (DESIGN §13).
# CPU% = (utime + stime ticks consumed over the window) / (CLK_TCK × seconds) × 100, read from /proc/PID/stat.
# usage: .ci/idle-cpu.sh [DB|10x100|50x500] [FEED]     (builds release first)
#   DB      an indextop database (made with `init --demo` when missing; the default /tmp/indextop-idle.db)
#   10x100  /tmp/indextop-10x100.db, 50x500  /tmp/indextop-50x500.db: N indices × M holdings, made once by
#           `indextop-bench --filter snapshot.50x500` (INDEXTOP_BENCH_DB_50X500 / _SIZE)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-/tmp/indextop-idle.db}
feed=${2:-none}
swift build -c release --product indextop >/dev/null
bin=.build/release/indextop
case "$db" in
    10x100 | 50x500)
        size=$db
        db=/tmp/indextop-$size.db
        if [ ! -e "$db" ]; then
            swift build -c release --product indextop-bench >/dev/null
            INDEXTOP_BENCH_DB_50X500=$db INDEXTOP_BENCH_SIZE=$size .build/release/indextop-bench --filter snapshot.50x500 >/dev/null
        fi
        ;;
esac
[ -e "$db" ] || "$bin" --db "$db" init --demo >/dev/null
hz=$(getconf CLK_TCK)
window=${WINDOW:-30}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() { # label command...
    local label=$1 name=idle$$; shift
    tmux kill-session -t "$name" 2>/dev/null || true
    tmux new-session -d -s "$name" -x 120 -y 40 "$*"
    sleep 3
    local pid
    pid=$(tmux display -p -t "$name" '#{pane_pid}')
    # The pane runs the command directly or under `sh -c`: take the child in the latter case.
    if [ "$(cat /proc/"$pid"/comm)" = sh ]; then pid=$(pgrep -P "$pid" | head -1 || true); fi
    [ -n "$pid" ] || { echo "$label: not running"; return; }
    local a b
    a=$(ticks "$pid"); sleep "$window"; b=$(ticks "$pid")
    tmux kill-session -t "$name"
    awk -v a="$a" -v b="$b" -v hz="$hz" -v w="$window" -v n="$label" \
        'BEGIN { printf "%-28s %.3f %% of a core (%d ticks in %d s)\n", n, (b - a) / hz / w * 100, b - a, w }'
}
measure "indextop(feed=$feed)" "$bin" --db "$db" --feed "$feed" --refresh 1
measure "top -d 1" top -d 1
