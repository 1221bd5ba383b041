"""What the duty mappings do, found by driving them: every contract sample, in every
combination of its enumerable fields (Literal, Enum, bool, optional), goes through
`duties_for`; the actions that come out say which rule each event opens, closes, pauses or
reports. No mapping module declares anything for this: a new `Open` in a mapping shows up
here by itself, and the table in docs/rules.md must then list it (test_rules_doc.py)."""

import enum
import itertools
import types
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from escalation.service.duties import Close, Extend, Open, Pause, Report, duties_for
from liandong_contracts.envelope import Event
from liandong_contracts.orgs import OrgKind, OrgRef
from liandong_contracts.samples import samples

MAX_VARIANTS = 1024
MARKET = OrgRef(id="dept-market", kind=OrgKind.DEPARTMENT, name="示例区市场监督管理局")
HEXI = OrgRef(id="town-hexi", kind=OrgKind.TOWNSHIP, name="河西镇人民政府")
# Fields the samples leave empty (or at a value that is not enumerable) that a mapping acts
# on: each sample is also driven with these filled in. A mapping author whose `Open`,
# `Close`, `Extend`, `Pause` or `Report` fires only on such a field adds it here.
PROBES: dict[str, dict[str, Any]] = {
    "ComplaintReceived": {"owner": HEXI},  # CMP-6: a department holding a township's complaint
    "ComplaintForwarded": {"received_at": datetime(2026, 3, 9, 6, tzinfo=UTC)},  # CMP-6
    "SupervisionRecorded": {"kind": "supervision", "recommendation": None,  # JNT-5
                            "addressed": (MARKET,), "due_at": datetime(2026, 4, 30, tzinfo=UTC)},
    "InfoPublished": {"requested_by": MARKET},  # SHR-2: the answer to a department's request
}


def _choices(annotation: Any, sample_value: Any) -> list[Any] | None:
    """The values worth trying for one field, or None if it is not enumerable."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Literal:
        return list(args)
    if annotation is bool:
        return [True, False]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return list(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        inner = _choices(rest[0], sample_value) if len(rest) == 1 else None
        if inner is not None:
            return [None, *inner]
        if sample_value is not None:
            return [None, sample_value]
        return [None, "x-1"] if rest == [str] else None
    return None


def variants(sample: Event) -> Iterator[Event]:
    fields = {}
    for name, info in type(sample).model_fields.items():
        if name in ("type", "schema_version"):
            continue
        choices = _choices(info.annotation, getattr(sample, name))
        if choices:
            fields[name] = choices
    yield sample
    total = 1
    for choices in fields.values():
        total *= len(choices)
    if total <= MAX_VARIANTS:
        for combo in itertools.product(*fields.values()):
            yield sample.model_copy(update=dict(zip(fields, combo, strict=True)))
        return
    for name, choices in fields.items():  # too many: one field at a time
        for value in choices:
            yield sample.model_copy(update={name: value})


@dataclass
class Catalogue:
    opens: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    closes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    extends: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    pauses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    reports: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    rules_of_prefix: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    acting: set[str] = field(default_factory=set)  # event types that do anything
    orphans: set[tuple[str, str]] = field(default_factory=set)  # (event, deadline prefix)


def probed(events: Iterable[Event]) -> Iterator[Event]:
    for sample in events:
        yield sample
        if type(sample).__name__ in PROBES:
            yield sample.model_copy(update=PROBES[type(sample).__name__])


def prefix(deadline_id: str) -> str:
    return deadline_id.split(":", 1)[0]


def explore() -> Catalogue:
    found = Catalogue()
    moved: list[tuple[str, str, str]] = []
    for sample in probed(samples()):
        for event in variants(sample):
            name = type(event).__name__
            for action in duties_for(event):
                found.acting.add(name)
                match action:
                    case Open():
                        found.opens[action.rule].add(name)
                        found.rules_of_prefix[prefix(action.deadline_id)].add(action.rule)
                    case Close() | Extend() | Pause():
                        moved.append((type(action).__name__, prefix(action.deadline_id), name))
                    case Report():
                        found.reports[action.rule].add(name)
    for kind, where, name in moved:
        rules = found.rules_of_prefix.get(where)
        if not rules:
            found.orphans.add((name, where))
        for rule in rules or ():
            {"Close": found.closes, "Extend": found.extends, "Pause": found.pauses}[kind][
                rule].add(name)
    return found
