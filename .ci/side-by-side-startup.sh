#!/usr/bin/env bash
# Start-up side by side (issue 16): `indextop --version`, and `indextop holdings SLUG --json` on a
# 1 000 000-row database against the sqlite3 CLI running the same valuation query on the same file.
# Each command runs RUNS times (default 30) after 3 warm-ups; the median and the minimum wall time of
# the whole process are printed, with the median CPU time (user + sys, from wait4: what the process
# itself spent, less sensitive to a loaded machine), then the ratios of the medians.
# The release build links the Swift runtime and Foundation statically (--static-swift-stdlib).
# usage: .ci/side-by-side-startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
swift build -c release --static-swift-stdlib --product indextop >/dev/null
bin=$PWD/.build/release/indextop
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/startup-1m.db
export HOME=$work XDG_DATA_HOME=$work/data XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/config

# 100 assets × 10 000 hourly prices (deterministic), one market-cap index over the top 50.
"$bin" init --db "$db" >/dev/null
sqlite3 "$db" <<'SQL'
WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 99)
INSERT INTO assets(symbol, name, sector) SELECT 'A' || n, 'Asset ' || n, CASE n % 2 WHEN 0 THEN 'DeFi' ELSE 'AI' END FROM c;
WITH RECURSIVE c(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < 99),
     k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 9999),
     p(symbol, time, price, n) AS (
       SELECT 'A' || c.n, 1790000000 - (10000 - k.i) * 3600,
              (10 + c.n) * (1 + ((k.i * 7919 + c.n * 104729) % 1000) / 10000.0), c.n FROM c, k)
INSERT INTO prices(symbol, time, price, market_cap, volume, source)
  SELECT symbol, time, price, price * 1000000 * (n + 1), 1000000, 'bench' FROM p;
SQL
cat >"$work/bench.json" <<'JSON'
{"slug":"bench","name":"Bench","initial_capital":100000,"universe":{"top":50},"methodology":{"type":"market-cap","cap":0.1}}
JSON
"$bin" index create "$work/bench.json" --db "$db" >/dev/null
rows=$(sqlite3 "$db" "SELECT COUNT(*) FROM prices")

# The valuation `holdings` does: each holding with its latest price and its price 24 h before the newest.
query="SELECT h.symbol, h.quantity, h.cost_basis,
  (SELECT price FROM prices p WHERE p.symbol = h.symbol ORDER BY time DESC LIMIT 1) AS price,
  (SELECT price FROM prices p WHERE p.symbol = h.symbol AND p.time <= (SELECT MAX(time) FROM prices) - 86400
     ORDER BY time DESC LIMIT 1) AS price_24h
FROM holdings h JOIN indices i ON i.id = h.index_id WHERE i.slug = 'bench' ORDER BY h.symbol"

python3 - "$runs" "$bin" "$db" "$query" "$rows" <<'PY'
import os, statistics, sys, time
runs, binary, db, query, rows = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
def timed(argv):
    wall, cpu = [], []
    for i in range(runs + 3):
        t = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, os.environ, file_actions=[
            (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
        _, status, usage = os.wait4(pid, 0)
        if status != 0: sys.exit(f"failed: {argv}")
        if i >= 3:
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(wall), min(wall), statistics.median(cpu)
def show(name, r): print(f"{name:<40} wall median {r[0]:7.2f} ms  min {r[1]:7.2f} ms   cpu median {r[2]:6.2f} ms")
load = os.getloadavg()[0]
print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {load:.2f}, {runs} runs each, {rows} price rows")
version = timed([binary, "--version"]); show("indextop --version", version)
true = timed(["/bin/true"]); show("/bin/true (process spawn floor)", true)
ours = timed([binary, "--db", db, "holdings", "bench", "--json"]); show("indextop holdings bench --json", ours)
theirs = timed(["/usr/bin/sqlite3", "-json", "-readonly", db, query]); show("sqlite3 -json (same valuation query)", theirs)
print(f"ratio holdings / sqlite3: wall {ours[0] / theirs[0]:.2f}x, cpu {ours[2] / theirs[2]:.2f}x (target <= 4x); --version target <= 8 ms")
PY
