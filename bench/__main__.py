"""`make bench`: liandong's figures against the goals of issue 13 (docs/performance.md).

P-1 the durable hop end to end, liandong beside the minimal script: each side RUNS times on
fresh servers, the median and spread of events/s and CPU per event (all processes, and the
database alone), with the ratios. P-3 open duties at each of SIZES (bench/duties.py). P-4
`make run` ready time (bench/startup.py). P-2 transfers at a steady offered rate and at
three times it (bench/transfers.py).
Prints one table, every goal with its verdict, and writes the figures as JSON
(bench/results/latest.json and <commit>.json) for comparison between commits.
`--quick`: one short P-1 run, P-2 for 10 s (+5 s overload), P-3 at 10,000 duties with a
10 s idle window, P-4.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import district, duties, minimal, startup, transfers
from bench.cpu import CpuMeter, load_average
from bench.servers import servers

RESULTS = Path(__file__).parent / "results"


async def one_run(side: str, events: int, clients: int) -> dict[str, float]:
    with servers() as s:
        if side == "minimal":
            meter = CpuMeter({**s.pids, "bench": os.getpid()})
            meter.start()
            seconds = await minimal.run(s.nats.url, s.mongo.url, events, clients)
            used = meter.stop()
        else:
            with district.district(s.nats.url, s.mongo.url, s.root) as stack:
                meter = CpuMeter({**s.pids, **stack["pids"]})
                meter.start()
                seconds = await district.run(stack, s.mongo.url, events, clients)
                used = meter.stop()
    return {"events_per_s": events / seconds, "cpu_ms_per_event": meter.total() * 1000 / events,
            "db_cpu_ms_per_event": used["database"] * 1000 / events}


def summary(runs: list[dict[str, float]]) -> dict[str, dict[str, float]]:
    return {key: {"median": statistics.median(r[key] for r in runs),
                  "min": min(r[key] for r in runs), "max": max(r[key] for r in runs)}
            for key in runs[0]}


def table(results: dict[str, Any]) -> str:
    rows = [("end to end, events/s", "events_per_s", "ratio"),
            ("CPU per event, all processes, ms", "cpu_ms_per_event", "x"),
            ("database CPU per event, ms", "db_cpu_ms_per_event", "x")]
    lines = ["| P-1 figure | minimal script | liandong | liandong / minimal |",
             "|---|---|---|---|"]
    for title, key, _ in rows:
        a, b = results["minimal"][key], results["liandong"][key]
        lines.append(f"| {title} | {a['median']:.1f} ({a['min']:.1f}–{a['max']:.1f}) | "
                     f"{b['median']:.1f} ({b['min']:.1f}–{b['max']:.1f}) | "
                     f"{b['median'] / a['median']:.2f} |")
    return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def goals(results: dict[str, Any]) -> str:
    """One row a goal of issue 13: the figure measured, the goal, the verdict."""
    rows: list[tuple[str, str, str, str]] = []
    if "liandong" in results:
        a, b = results["minimal"], results["liandong"]
        ratio = b["events_per_s"]["median"] / a["events_per_s"]["median"]
        cpu = b["cpu_ms_per_event"]["median"] / a["cpu_ms_per_event"]["median"]
        rows += [("P-1 end-to-end events/s, liandong / minimal", f"{ratio:.2f}", ">= 0.80",
                  verdict(ratio >= 0.8)),
                 ("P-1 CPU per event, liandong / minimal", f"{cpu:.2f}x", "<= 1.5x",
                  verdict(cpu <= 1.5))]
    if "transfers" in results:
        t = results["transfers"]
        st = t["overload_statuses"]
        bad = sum(n for status, n in st.items() if status not in ("202", "503"))
        rows += [
            (f"P-2 {t['rate']:.0f} transfers/s for {t['seconds']:.0f} s: accepted share "
             f"(in the inbox)", f"{t['accepted_share']:.1%} ({t['in_inbox']})", "100 %",
             verdict(t["accepted_share"] == 1)),
            ("P-2 transfer -> receiver's inbox, p50 / p95 / p99 ms",
             f"{t['p50_ms']:.0f} / {t['p95_ms']:.0f} / {t['p99_ms']:.0f}", "p99 <= 100",
             verdict(t["p99_ms"] <= 100)),
            ("P-2 due time -> notification under that load, p50 / p99 ms",
             f"{t['due_p50_ms']:.0f} / {t['due_p99_ms']:.0f} ({t['due_notified']})",
             "p99 <= 1000", verdict(t["due_p99_ms"] <= 1000)),
            (f"P-2 {t['overload_rate']:.0f}/s for {t['overload_s']:.0f} s: answers; 503 p99 ms",
             ", ".join(f"{k or 'none'}: {n}" for k, n in sorted(st.items()))
             + f"; {t['overload_503_p99_ms']:.0f}", "202 or fast 503 only",
             verdict(bad == 0 and not t["overload_503_p99_ms"] > 100)),
            ("P-2 recovery after the overload, s", f"{t['recovery_s']:.1f}", "<= 10",
             verdict(t["recovery_s"] <= 10))]
    for size in results.get("duties", []):
        n = f"{size['open_duties']:,}"
        rows += [
            (f"P-3 {n} open: idle CPU escalation + database, % of a core",
             f"{size['idle_cpu_both_pct']:.1f} ({size['idle_cpu_escalation_pct']:.1f} + "
             f"{size['idle_cpu_database_pct']:.1f})", "< 2",
             verdict(size["idle_cpu_both_pct"] < 2)),
            (f"P-3 {n} open: breach burst of {duties.BURST}, p99 ms (notified)",
             f"{size['burst_p99_ms']:.0f} (p50 {size['burst_p50_ms']:.0f}, "
             f"{size['burst_notified']})", "<= 1000",
             verdict(size["burst_p99_ms"] <= 1000 and size["burst_notified"] == duties.BURST)),
            (f"P-3 {n} open: one organisation's page of 100, ms", f"{size['org_page_ms']:.0f}",
             "<= 100", verdict(size["org_page_ms"] <= 100)),
            (f"P-3 {n} open: overdue page (before / after the burst), ms",
             f"{size['overdue_page_ms']:.0f} / {size['overdue_page_after_burst_ms']:.0f}",
             "(no goal)", "-"),
            (f"P-3 {n} open: escalation memory, MB", f"{size['escalation_rss_mb']:.0f}",
             "<= 300", verdict(size["escalation_rss_mb"] <= 300))]
    if "startup" in results:
        ready = results["startup"]["ready_s"]
        rows.append(("P-4 `make run` ready (environment exists), s", f"{ready:.1f}", "<= 5",
                     verdict(ready <= 5)))
    lines = ["| goal | measured | goal | verdict |", "|---|---|---|---|"]
    lines += [f"| {' | '.join(row)} |" for row in rows]
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"load_before": load_average()}
    if "p1" in args.parts:
        for side in ("minimal", "liandong"):
            results[side] = summary([await one_run(side, args.events, args.clients)
                                     for _ in range(args.runs)])
    if "p2" in args.parts:
        results["transfers"] = await transfers.run(args.rate, args.seconds, args.overload_s)
    if "p3" in args.parts:
        results["duties"] = [await duties.one_size(size, args.idle_s) for size in args.sizes]
    if "p4" in args.parts:
        results["startup"] = startup.ready_time()
    results["load_after"] = load_average()
    return results


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True, check=False)
    return found.stdout.strip()


if __name__ == "__main__":
    cli = argparse.ArgumentParser(prog="make bench", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--quick", action="store_true", help="a short run of every part")
    cli.add_argument("--parts", default="p1,p2,p3,p4", help="which of p1,p2,p3,p4")
    cli.add_argument("--runs", type=int, default=3)
    cli.add_argument("--events", type=int, default=3000)
    cli.add_argument("--clients", type=int, default=16)
    cli.add_argument("--rate", type=float, default=50.0, help="P-2 transfers/s offered")
    cli.add_argument("--seconds", type=float, default=60.0, help="P-2 steady load")
    cli.add_argument("--overload-s", type=float, default=10.0, help="P-2 at 3x the rate")
    cli.add_argument("--sizes", default="10000,100000,1000000", help="P-3 open duties")
    cli.add_argument("--idle-s", type=float, default=30.0, help="P-3 idle window")
    args = cli.parse_args()
    if args.quick:
        args.runs, args.events, args.sizes, args.idle_s = 1, 320, "10000", 10.0
        args.seconds, args.overload_s = 10.0, 5.0
    args.parts = args.parts.split(",")
    args.sizes = [int(size) for size in args.sizes.split(",")]
    figures = asyncio.run(main(args))
    figures.update(commit=commit(), at=datetime.now(UTC).isoformat(), machine=platform.node(),
                   runs=args.runs, events=args.events, clients=args.clients,
                   sizes=args.sizes, idle_s=args.idle_s, cores=os.cpu_count())
    if "liandong" in figures:
        print(table(figures) + "\n")
    print(goals(figures))
    print(f"\nmachine load (1-min average) before {figures['load_before']:.2f}, "
          f"after {figures['load_after']:.2f} on {os.cpu_count()} cores; P-1: {args.runs} "
          f"runs of {args.events} events, {args.clients} clients; P-3 sizes {args.sizes}, idle "
          f"{args.idle_s:.0f} s; commit {figures['commit']}")
    RESULTS.mkdir(exist_ok=True)
    for name in ("latest", figures["commit"] or "unknown"):  # one file per commit, to compare
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
