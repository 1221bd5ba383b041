"""deploy/prometheus/ checked by promtool: the scrape configuration, the alerting rules and
their unit tests; and every alert has a unit test in which it fires and one in which not."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PROMETHEUS = Path(__file__).resolve().parents[2] / "deploy" / "prometheus"
RULES = sorted((PROMETHEUS / "rules").glob("*.yml"))
UNIT_TESTS = sorted((PROMETHEUS / "tests").glob("*.yml"))


def promtool(*args: str) -> str:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.fail("promtool is missing: apt-get install prometheus (Debian's package has it)")
    done = subprocess.run([tool, *args], cwd=PROMETHEUS, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, f"promtool {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_scrape_configuration_is_valid() -> None:
    out = promtool("check", "config", "prometheus.yml")
    assert "SUCCESS" in out and "rule files found" in out


def test_the_alerting_rules_are_valid() -> None:
    assert RULES
    promtool("check", "rules", *map(str, RULES))


def test_the_alerting_rules_pass_their_unit_tests() -> None:
    assert UNIT_TESTS
    promtool("test", "rules", *map(str, UNIT_TESTS))


def test_every_alert_is_tested_firing_and_not_firing() -> None:
    alerts = {name for path in RULES
              for name in re.findall(r"^\s*- alert: (\w+)", path.read_text(), re.M)}
    fires, silent = set(), set()
    for path in UNIT_TESTS:
        for check in re.split(r"^\s*- eval_time:", path.read_text(), flags=re.M)[1:]:
            name = re.search(r"alertname: (\w+)", check)
            assert name, f"{path.name}: an eval_time without alertname"
            expected = re.search(r"exp_alerts:(.*)", check)
            assert expected, f"{path.name}: {name[1]} without exp_alerts"
            (silent if expected[1].strip() == "[]" else fires).add(name[1])
    assert alerts - fires == set(), "alerts no unit test fires"
    assert alerts - silent == set(), "alerts no unit test keeps silent"
