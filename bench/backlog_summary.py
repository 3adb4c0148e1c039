#!/usr/bin/env python3
"""The tables of bench/backlog.sh from DIR/figures.txt and DIR/instructions.txt:
  backlog_summary.py DIR VERSION ROUNDS DURATION READ_CONNS WRITE_CONNS THREADS"""
import statistics
import sys
from collections import defaultdict

d, version, rounds, duration, rconns, wconns, threads = sys.argv[1:8]
# TicketsCAD v4.2.25 (Apache + PHP 8.2 + MariaDB, 10,000 incidents, wrk -t2 -c16),
# measured on this machine class (issue 9): req/s.
TICKETSCAD = {"get": 253, "open": 273, "newest": 259, "create": 134}
NAMES = {"get": "GET one incident", "open": "open list, 50 a page", "newest": "newest 50, no filter",
         "board": "the board", "create": "create (durable)"}

runs = defaultdict(list)      # (backlog, scenario, server) -> [(round, rps, p50, p99, errors, threads)]
for line in open(f"{d}/figures.txt"):
    b, sc, server, r, rps, p50, p99, errs, thr = line.split()
    runs[(int(b), sc, server)].append((int(r), float(rps), p50, p99, int(errs), thr))


def median_run(key):
    rs = sorted(runs[key], key=lambda x: x[1])
    return rs[len(rs) // 2] if rs else None


def ratio(b, sc, server):
    """Median of per-round ratios server ÷ nginx."""
    ng = {r[0]: r[1] for r in runs[(b, sc, "nginx")]}
    xs = [r[1] / ng[r[0]] for r in runs[(b, sc, server)] if ng.get(r[0])]
    return statistics.median(xs) if xs else None


backlogs = sorted({k[0] for k in runs})
stores = [s for s in ("sqlite", "postgresql") if any(k[2] == s for k in runs)]
print(f"fengqiao {version}; wrk -t2 -c{rconns} (reads), -c{wconns} (creates), -d{duration}s; "
      f"fengqiao serve --threads {threads.split('/')[0]} (reads), {threads.split('/')[-1]} (creates); nginx 1 worker; medians of {rounds} rounds\n")
print("| backlog (open) | scenario | server | req/s | p50 | p99 | errors | ÷ nginx | ÷ TicketsCAD | CPU per thread (cores) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for b in backlogs:
    for sc in NAMES:
        for server in stores + ["nginx"]:
            m = median_run((b, sc, server))
            if not m:
                continue
            rt = ratio(b, sc, server) if server != "nginx" else None
            tc = f"{m[1] / TICKETSCAD[sc]:.0f}×" if sc in TICKETSCAD and server != "nginx" else ""
            errs = sum(x[4] for x in runs[(b, sc, server)])
            print(f"| {b:,} | {sc} | {server} | {m[1]:,.0f} | {m[2]} | {m[3]} | {errs} | "
                  f"{'' if rt is None else f'{rt:.2f}'} | {tc} | {m[5].replace(',', ', ') if m[5] != '-' else ''} |")

print("\nPer-request time across backlogs (1 ÷ median req/s; the aim: the largest within 2× of the smallest):\n")
print("| scenario | server | " + " | ".join(f"{b:,} open" for b in backlogs) + " | largest ÷ smallest |")
print("|---|---|" + "---|" * len(backlogs) + "---|")
for sc in ("get", "open", "newest", "board"):
    for server in stores:
        ms = [median_run((b, sc, server)) for b in backlogs]
        if not all(ms):
            continue
        t = [1000.0 / m[1] if m[1] else float("inf") for m in ms]
        print(f"| {sc} | {server} | " + " | ".join(f"{x:.3f} ms" for x in t) + f" | {max(t) / min(t):.2f} |")

ins = defaultdict(dict)
try:
    for line in open(f"{d}/instructions.txt"):
        s, b, sc, n = line.split()
        ins[(s, sc)][int(b)] = int(n)
except FileNotFoundError:
    pass
if ins:
    cols = sorted({b for v in ins.values() for b in v})
    print("\nInstructions per request (callgrind, the whole fengqiao process; PostgreSQL's own work not included):\n")
    print("| store | scenario | " + " | ".join(f"{b:,} open" for b in cols) + " |")
    print("|---|---|" + "---|" * len(cols))
    for (s, sc), v in ins.items():
        print(f"| {s} | {sc} | " + " | ".join(f"{v[b]:,}" if b in v else "" for b in cols) + " |")
