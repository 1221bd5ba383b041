"""Fault cases on servers of their own; one row of counts per case, printed at the end.

`chaos` gives a test its own Cluster (NATS, database, services as processes), closed at
the end with the services' logs shown on failure; `report` records the case's row, and
the table of every case is printed after the session, whatever `-s` says.
"""

import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

import pytest

from tests.chaos.checker import Checker, Verdict
from tests.chaos.cluster import Cluster
from tests.chaos.workload import Workload


@dataclass
class Row:
    case: str
    sent: int
    acknowledged: int
    applied: int
    lost: int
    duplicated: int
    redelivered: int
    seconds: float
    note: str = ""


ROWS: list[Row] = []
HEADER = ("case", "sent", "acked", "applied", "lost", "dup", "redeliv", "s", "note")


@pytest.fixture
def chaos(request: pytest.FixtureRequest) -> Iterator[Callable[..., Cluster]]:
    made: list[Cluster] = []

    def make(**env: str) -> Cluster:
        made.append(Cluster(request.node.name.removeprefix("test_")[:24], **env))
        return made[-1]

    yield make
    for cluster in made:
        failed = getattr(request.node, "chaos_failed", True)
        if failed:
            print(cluster.logs())
        cluster.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
        item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.chaos_failed = report.failed  # type: ignore[attr-defined]
    return report


@pytest.fixture
def report() -> Callable[..., Row]:
    """Record the case's row: the verdict's counts, the redeliveries, the time it took."""
    began = time.monotonic()

    def record(case: str, verdict: Verdict, redelivered: int, note: str = "") -> Row:
        row = Row(case, verdict.sent, verdict.acknowledged, verdict.applied,
                  len(verdict.lost), len(verdict.duplicated), redelivered,
                  round(time.monotonic() - began, 1), note)
        ROWS.append(row)
        return row

    return record


def poll(probe: Callable[[], object], timeout: float = 30, interval: float = 0.1,
         what: str = "") -> object:
    """The first truthy answer of `probe`, or a failure naming what did not happen."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := probe():
            return result
        time.sleep(interval)
    raise AssertionError(f"not within {timeout} s: {what}")


def check(cluster: Cluster, workload: Workload, timeout: float = 60) -> Verdict:
    """Wait for the effects, then fail with what is missing or doubled (and the logs)."""
    verdict = Checker(cluster, workload).converge(timeout)
    assert not verdict.lost and not verdict.duplicated, verdict.explain()
    return verdict


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not ROWS:
        return
    terminalreporter.section("fault cases: nothing lost, nothing twice")
    widths = (40, 5, 5, 7, 4, 4, 7, 5)
    line = "  ".join(f"{h:<{w}}" for h, w in zip(HEADER, widths, strict=False))
    terminalreporter.write_line(line + "  note")
    for r in sorted(ROWS, key=lambda r: int(r.case.split()[0])):
        cells = (r.case, r.sent, r.acknowledged, r.applied, r.lost, r.duplicated,
                 r.redelivered, r.seconds)
        terminalreporter.write_line(
            "  ".join(f"{c!s:<{w}}" for c, w in zip(cells, widths, strict=True)) + f"  {r.note}")
