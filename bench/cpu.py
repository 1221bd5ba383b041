"""CPU seconds of processes, read from /proc (user + system, children excluded)."""

import os
from collections.abc import Iterable

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


class CpuMeter:
    """CPU used by named processes between `start` and `stop`."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids
        self.before: dict[str, float] = {}
        self.used: dict[str, float] = {}

    def start(self) -> None:
        self.before = {name: cpu_seconds(pid) for name, pid in self.pids.items()}

    def stop(self) -> dict[str, float]:
        self.used = {name: cpu_seconds(pid) - self.before[name]
                     for name, pid in self.pids.items()}
        return self.used

    def total(self, names: Iterable[str] | None = None) -> float:
        return sum(self.used[n] for n in (names or self.used))


def load_average() -> float:
    return os.getloadavg()[0]
