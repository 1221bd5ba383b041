"""`make bench`: P-1, the durable hop end to end, liandong beside the minimal script.

Runs each side RUNS times on fresh servers, prints the median and spread of events/s and
CPU per event (all processes, and the database alone), with the ratios, and writes the
figures as JSON (bench/results/latest.json) for comparison between commits.
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

from bench import district, minimal
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


async def main(runs: int, events: int, clients: int) -> dict[str, Any]:
    results: dict[str, Any] = {"load_before": load_average()}
    for side in ("minimal", "liandong"):
        results[side] = summary([await one_run(side, events, clients) for _ in range(runs)])
    results["load_after"] = load_average()
    return results


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True, check=False)
    return found.stdout.strip()


if __name__ == "__main__":
    cli = argparse.ArgumentParser(prog="make bench", description=__doc__)
    cli.add_argument("--runs", type=int, default=3)
    cli.add_argument("--events", type=int, default=3000)
    cli.add_argument("--clients", type=int, default=16)
    args = cli.parse_args()
    figures = asyncio.run(main(args.runs, args.events, args.clients))
    figures.update(commit=commit(), at=datetime.now(UTC).isoformat(), machine=platform.node(),
                   runs=args.runs, events=args.events, clients=args.clients)
    print(table(figures))
    print(f"\nmachine load (1-min average) before {figures['load_before']:.2f}, "
          f"after {figures['load_after']:.2f}; {args.runs} runs of {args.events} events, "
          f"{args.clients} clients; commit {figures['commit']}")
    RESULTS.mkdir(exist_ok=True)
    for name in ("latest", figures["commit"] or "unknown"):  # one file per commit, to compare
        (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")
