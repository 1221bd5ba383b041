"""docs/rules.md against the code: every duty a mapping opens, closes, moves or reports, and
every default limit, listed as it is (see duty_catalogue.py for how the mappings are driven)."""

import re
from pathlib import Path

import pytest

from escalation.entrypoints.consumers import WATCHED
from escalation.service import duties
from liandong_contracts.samples import samples
from liandong_runtime.limits import DEFAULT_LIMITS
from tests.unit.escalation.duty_catalogue import Catalogue, explore

DOC = Path(__file__).resolve().parents[3] / "docs" / "rules.md"
EVENT_NAMES = {type(s).__name__ for s in samples()}


def table(text: str, name: str) -> list[list[str]]:
    """The rows (cells stripped) between `<!-- name:begin -->` and `<!-- name:end -->`."""
    found = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", text, re.S)
    assert found, f"docs/rules.md has no {name} table"
    lines = [line for line in found[1].splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


def events_in(cell: str) -> set[str]:
    return set(re.findall(r"`([A-Za-z]+)`", cell)) & EVENT_NAMES


def problems(text: str, code: Catalogue) -> list[str]:
    found: list[str] = []
    rows = {row[0]: row for row in table(text, "duties")}
    if set(rows) != set(code.opens):
        found.append(f"duties table lists {sorted(set(rows) - set(code.opens))} that no mapping "
                     f"opens, misses {sorted(set(code.opens) - set(rows))}")
    for rule, row in rows.items():
        _, _, _, starts, ends, moved, limit, setting = row
        expected = {"starts": code.opens.get(rule, set()), "ends": code.closes.get(rule, set()),
                    "moved": code.extends.get(rule, set()) | code.pauses.get(rule, set())}
        for column, cell in (("starts", starts), ("ends", ends), ("moved", moved)):
            if events_in(cell) != expected[column]:
                found.append(f"{rule} {column}: the table says {sorted(events_in(cell))}, "
                             f"the mappings {sorted(expected[column])}")
        found += _limit(rule, limit, setting)
    others = {row[0]: row for row in table(text, "limits")}
    for rule, row in others.items():
        found += _limit(rule, row[2], row[3])
    if set(rows) & set(others):
        found.append(f"{sorted(set(rows) & set(others))} listed as a duty and as unwatched")
    if set(rows) | set(others) != set(DEFAULT_LIMITS):
        found.append(f"DEFAULT_LIMITS {sorted(set(DEFAULT_LIMITS) - set(rows) - set(others))} "
                     f"not listed; listed but no default: "
                     f"{sorted((set(rows) | set(others)) - set(DEFAULT_LIMITS))}")
    reports = {row[0]: events_in(row[2]) for row in table(text, "reports")}
    if reports != {rule: set(names) for rule, names in code.reports.items()}:
        found.append(f"reports table {reports} != mappings {dict(code.reports)}")
    unwatched = code.acting - {model.__name__ for model in WATCHED}
    if unwatched:
        found.append(f"mapped but not subscribed in consumers.WATCHED: {sorted(unwatched)}")
    if code.orphans:
        found.append(f"closes, extends or pauses of deadlines nothing opens: {code.orphans}")
    return found


def _limit(rule: str, limit: str, setting: str) -> list[str]:
    wrong = []
    if DEFAULT_LIMITS.get(rule) != limit:
        wrong.append(f"{rule}: default limit {limit!r} in the table, "
                     f"{DEFAULT_LIMITS.get(rule)!r} in DEFAULT_LIMITS")
    if setting != f'`LIMITS["{rule}"]`':
        wrong.append(f"{rule}: the setting is `LIMITS[\"{rule}\"]`, not {setting}")
    return wrong


@pytest.mark.rule("ESC-1")
@pytest.mark.rule("ESC-2")
def test_docs_rules_md_lists_every_duty_and_limit_as_the_code_has_them() -> None:
    assert problems(DOC.read_text(encoding="utf-8"), explore()) == []


@pytest.mark.rule("ESC-1")
def test_the_check_fails_when_a_mapping_is_removed(monkeypatch) -> None:
    referral = duties._BY_PRODUCER["referral"]
    monkeypatch.setitem(duties._BY_PRODUCER, "referral",
                        lambda e: [] if type(e).__name__ == "CrimeSuspected" else referral(e))
    found = problems(DOC.read_text(encoding="utf-8"), explore())
    assert any("CRM-1" in p for p in found)


@pytest.mark.rule("ESC-1")
def test_the_check_fails_when_a_default_limit_or_an_ending_event_drifts() -> None:
    text = DOC.read_text(encoding="utf-8")
    code = explore()
    assert any("REF-4: default limit" in p
               for p in problems(text.replace("| 3wd | `LIMITS[\"REF-4\"]`",
                                              "| 4wd | `LIMITS[\"REF-4\"]`"), code))
    assert any("CRM-1 ends" in p for p in problems(
        text.replace("| `CaseTransferredToJudiciary` |", "| |"), code))
