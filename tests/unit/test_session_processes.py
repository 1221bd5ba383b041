"""The session-end check (tests/conftest.py) finds a process the session started by the
mark every child inherits, however deep, and an orphan too; a finished one is not counted."""

import os
import subprocess
import sys

from tests.processes import SESSION_MARK, alive, kill_all, survivors, with_env

MARK = os.environ[SESSION_MARK]


def test_a_child_and_its_orphaned_grandchild_are_found_until_they_end() -> None:
    # the child starts a grandchild, prints its pid and exits: the grandchild is an orphan
    spawn = ("import subprocess, sys; p = subprocess.Popen([sys.executable, '-c', "
             "'import time; time.sleep(60)'], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(p.pid)")
    done = subprocess.run([sys.executable, "-c", spawn], capture_output=True, text=True,
                          check=True, timeout=30)
    orphan = int(done.stdout)
    try:
        assert orphan in with_env(SESSION_MARK, MARK)
        assert orphan in survivors(SESSION_MARK, MARK, grace=0.5)
    finally:
        kill_all({orphan: ""})
    assert not alive(orphan) or orphan not in survivors(SESSION_MARK, MARK, grace=5)


def test_a_process_without_the_mark_is_not_the_sessions() -> None:
    env = {k: v for k, v in os.environ.items() if k != SESSION_MARK}
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], env=env)
    try:
        assert other.pid not in with_env(SESSION_MARK, MARK)
    finally:
        other.kill()
        other.wait()
    assert not alive(other.pid)
