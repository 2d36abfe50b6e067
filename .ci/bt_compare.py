"""Compares `indextop backtest` with bt 1.4.1 (https://github.com/pmorissette/bt) on generated data.

Run through .ci/bt-compare.sh (it makes the throwaway venv outside the repo). For each spec (equal,
capped market-cap, fixed, drift-triggered fixed), at 0 fees: the largest relative difference of the
daily NAVs. Then the time of bt on backtest.50x1500 (weekly, equal and capped market-cap) against a
whole `indextop backtest` process on the same data. The test suite never needs this file.
"""
import json, math, os, random, resource, subprocess, sys, tempfile, time
import numpy as np
import pandas as pd
import bt

INDEXTOP = os.environ.get("INDEXTOP", ".build/release/indextop")
N, D = int(os.environ.get("BT_ASSETS", 50)), int(os.environ.get("BT_DAYS", 1500))
T0 = pd.Timestamp("2020-01-06")  # a Monday; 1500 days end on a Tuesday (bt does not run on the last date)


def market(seed=7):
    rng = random.Random(seed)
    syms = [f"T{i:02d}" for i in range(N)]
    dates = pd.date_range(T0, periods=D, freq="D")
    prices, caps = {}, {}
    for s in syms:
        p, supply = rng.uniform(1, 1000), rng.uniform(1e6, 1e9)
        col = []
        for _ in range(D):
            col.append(p)
            p *= math.exp(rng.gauss(0.0003, 0.04))
        prices[s] = col
        caps[s] = [x * supply for x in col]
    return syms, pd.DataFrame(prices, index=dates), pd.DataFrame(caps, index=dates)


def capped(w, cap):
    """DESIGN §4 capping, written independently: excess above the cap spread over the uncapped in proportion."""
    w = w / w.sum()
    fixed = pd.Series(False, index=w.index)
    while True:
        free = w[~fixed]
        rest = 1 - cap * fixed.sum()
        out = w.copy()
        out[fixed] = cap
        out[~fixed] = free / free.sum() * rest
        over = (~fixed) & (out > cap + 1e-12)
        if not over.any():
            return out
        fixed |= over


def run_bt(name, prices, algos):
    s = bt.Strategy(name, algos)
    t = bt.Backtest(s, prices, initial_capital=1_000_000.0, integer_positions=False, progress_bar=False)
    r = bt.run(t)
    return r.backtests[name].strategy.values.iloc[1:]  # drop bt's virtual row at t0 − 1 day


def run_indextop(db, spec, folder):
    path = os.path.join(folder, spec["slug"] + ".json")
    with open(path, "w") as f:
        json.dump(spec, f)
    t = time.perf_counter()
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([INDEXTOP, "--db", db, "backtest", path, "--json"], check=True, capture_output=True).stdout
    d = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (d.ru_utime - c.ru_utime) + (d.ru_stime - c.ru_stime)
    return json.loads(out), time.perf_counter() - t, cpu


def main():
    syms, prices, caps = market()
    folder = tempfile.mkdtemp(prefix="bt-compare-")
    db = os.path.join(folder, "bt.db")
    with open(os.path.join(folder, "assets.csv"), "w") as f:
        f.write("symbol,name,sector,coingecko_id,stablecoin\n")
        for s in syms:
            f.write(f"{s},{s},Test,,false\n")
    with open(os.path.join(folder, "prices.csv"), "w") as f:
        f.write("time,symbol,price,market_cap,volume\n")
        for s in syms:
            for d, p, c in zip(prices.index, prices[s], caps[s]):
                f.write(f"{int(d.timestamp())},{s},{p!r},{c!r},1000000\n")
    subprocess.run([INDEXTOP, "--db", db, "init"], check=True, capture_output=True)
    subprocess.run([INDEXTOP, "--db", db, "assets", "import", os.path.join(folder, "assets.csv")], check=True, capture_output=True)
    subprocess.run([INDEXTOP, "--db", db, "import", "prices", os.path.join(folder, "prices.csv")], check=True, capture_output=True)

    base = {"initial_capital": 1_000_000, "universe": syms, "fees_bps": 0, "slippage_bps": 0, "min_trade": 0}
    fixed_w = {s: w for s, w in zip(syms[:5], [0.4, 0.25, 0.15, 0.12, 0.08])}
    weekly = {"schedule": "weekly", "weekday": 1}
    mc_weights = pd.DataFrame([capped(caps.loc[d], 0.1) for d in caps.index], index=caps.index)
    cases = [
        ("equal", dict(base, slug="eq", methodology={"type": "equal"}, rebalance=weekly),
         [bt.algos.RunWeekly(), bt.algos.SelectAll(), bt.algos.WeighEqually(), bt.algos.Rebalance()]),
        ("capped market-cap", dict(base, slug="mc", methodology={"type": "market-cap", "cap": 0.1}, rebalance=weekly),
         [bt.algos.RunWeekly(), bt.algos.SelectAll(), bt.algos.WeighTarget(mc_weights), bt.algos.Rebalance()]),
        ("fixed", dict(base, slug="fx", universe=syms[:5], methodology={"type": "fixed", "weights": fixed_w},
                       rebalance={"schedule": "monthly"}),
         [bt.algos.RunMonthly(), bt.algos.SelectAll(), bt.algos.WeighSpecified(**fixed_w), bt.algos.Rebalance()]),
        ("drift-triggered", dict(base, slug="dr", universe=syms[:5], methodology={"type": "fixed", "weights": fixed_w},
                                 rebalance={"schedule": "none", "drift_band_relative": 0.2}),
         [bt.algos.SelectAll(), bt.algos.WeighSpecified(**fixed_w),
          bt.algos.Or([bt.algos.RunOnce(), bt.algos.RunIfOutOfBounds(0.2)]), bt.algos.Rebalance()]),
    ]
    worst_all = 0.0
    times = {}
    for name, spec, algos in cases:
        sub = prices if spec["universe"] == syms else prices[spec["universe"]]
        t, c = time.perf_counter(), time.process_time()
        ref = run_bt(spec["slug"], sub, algos)
        bt_time, bt_cpu = time.perf_counter() - t, time.process_time() - c
        ours, our_time, our_cpu = run_indextop(db, spec, folder)
        navs = [p["nav"] for p in ours["nav"]]
        if len(navs) != len(ref):
            sys.exit(f"{name}: {len(navs)} NAV points vs bt's {len(ref)}")
        worst = max(abs(a - b) / b for a, b in zip(navs, ref.values))
        worst_all = max(worst_all, worst)
        times[name] = (bt_time, our_time, bt_cpu, our_cpu)
        print(f"{name:18s} max |NAV − bt| / bt = {worst:.3e}  rebalances {ours['rebalances']}")
    print(f"parity: worst {worst_all:.3e} ({'ok' if worst_all <= 1e-9 else 'FAIL'} at 1e-9)")
    for name in ["equal", "capped market-cap"]:
        b, o, bc, oc = times[name]
        print(f"time {name} {N}x{D} weekly: bt {b * 1000:.0f} ms wall / {bc * 1000:.0f} ms CPU, "
              f"indextop process {o * 1000:.1f} ms wall / {oc * 1000:.1f} ms CPU, ratio {b / o:.0f}x wall, {bc / oc:.0f}x CPU")
    both = sum(times[n][2] for n in ["equal", "capped market-cap"])
    print(f"bt CPU for both specs (the work of backtest.50x1500): {both * 1000:.0f} ms")
    # The pure engine's time on the same work is the benchmark backtest.50x1500 (indextop-bench).
    return 0 if worst_all <= 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
