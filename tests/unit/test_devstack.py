"""liandong-stack's restart policy, without processes: the back-off doubles while a
service keeps dying young, starts over once it stayed up STABLE_S, and MAX_FAILURES quick
exits in a row stop the stack. (tests/e2e/test_devstack.py runs the real thing.)"""

import signal
from pathlib import Path

import pytest

from liandong_runtime.devstack import (
    BACKOFF_S,
    MAX_FAILURES,
    STABLE_S,
    Child,
    Stack,
    describe_exit,
)


@pytest.fixture
def stack(tmp_path: Path) -> Stack:
    stack = Stack(tmp_path, {}, {}, [], {})
    stack.services.append(Child("referral", 8101, tmp_path / "referral.log", service_env={}))
    return stack


def test_a_service_dying_young_waits_longer_each_time_then_the_stack_gives_up(
        stack: Stack, capsys: pytest.CaptureFixture[str]) -> None:
    child, now, delays = stack.services[0], 1000.0, []
    for _ in range(MAX_FAILURES - 1):
        child.ready, child.ready_at = True, now - 5  # ready, but only for 5 s
        stack.exited(child, -signal.SIGKILL, now)
        assert child.restart_at is not None
        delays.append(child.restart_at - now)
        child.restart_at = None
    assert delays == list(BACKOFF_S[:MAX_FAILURES - 1])
    assert stack.running()
    stack.exited(child, 1, now)
    assert stack.gave_up is child and not stack.running()
    err = capsys.readouterr().err
    assert "referral (pid ?, port 8101) killed by SIGKILL; restarting in 1 s" in err
    assert "giving up" in err and str(child.log) in err


def test_after_staying_up_the_back_off_starts_over(stack: Stack) -> None:
    child, now = stack.services[0], 1000.0
    child.failures = 3
    child.ready, child.ready_at = True, now - STABLE_S
    stack.exited(child, -signal.SIGKILL, now)
    assert child.failures == 1 and child.restart_at == now + BACKOFF_S[0]


def test_a_service_that_never_got_ready_counts_on() -> None:
    child = Child("sharing", 1, Path("x.log"), service_env={}, failures=2)
    stack = Stack(Path("."), {}, {}, [], {})
    stack.exited(child, 3, 0.0)
    assert child.failures == 3 and child.restart_at == BACKOFF_S[2]


def test_exits_are_described_by_signal_name_or_code() -> None:
    assert describe_exit(-9) == "killed by SIGKILL"
    assert describe_exit(-15) == "killed by SIGTERM"
    assert describe_exit(3) == "exited with code 3"
