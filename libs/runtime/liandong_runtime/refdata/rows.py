"""The rows of `organisations.csv`, `matters.csv` and `handovers.csv`, validated one cell at a
time."""

import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Generic, NoReturn, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from liandong_contracts.orgs import ORG_ID_PATTERN, OrgKind
from liandong_runtime.refdata.model import Matter, Organisation
from liandong_runtime.refdata.problems import Problem

MATTER_CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
PHONE_PATTERN = r"[0-9+()\- ]{3,32}"
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", ""})


def _fail(problem: str) -> NoReturn:
    raise PydanticCustomError("refdata", "{problem}", {"problem": problem})


def _optional(value: object) -> str | None:
    text = str(value or "").strip()
    return text or None


def _required(value: object) -> str:
    text = _optional(value)
    if text is None:
        _fail("is empty; a value is required")
    return text


def _org_id(value: object) -> str | None:
    text = _optional(value)
    if text is not None and not re.fullmatch(ORG_ID_PATTERN, text):
        _fail(f"{text!r} is not a valid organisation id: use 2 to 64 lowercase ASCII letters, "
              "digits and hyphens, e.g. town-hexi")
    return text


def _matter_code(value: object) -> str:
    text = _required(value)
    if not re.fullmatch(MATTER_CODE_PATTERN, text):
        _fail(f"{text!r} is not a valid matter code: use ASCII letters, digits, '.', '_' "
              "and '-' (at most 64), e.g. M-URB-001")
    return text


def _kind(value: object) -> OrgKind:
    text = _required(value)
    if text not in {kind.value for kind in OrgKind}:
        _fail(f"unknown kind {text!r}; expected one of: {', '.join(OrgKind)}")
    return OrgKind(text)


def _phone(value: object) -> str | None:
    text = _optional(value)
    if text is not None and not re.fullmatch(PHONE_PATTERN, text):
        _fail(f"{text!r} is not a phone number: use digits, spaces, '+', '-' and brackets")
    return text


def _date(value: object) -> date | None:
    text = _optional(value)
    if text is None:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        with suppress(ValueError):
            return date.fromisoformat(text)
    _fail(f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-07-01, or leave it empty")


def _boolean(value: object) -> bool:
    text = str(value or "").strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    _fail(f"{text!r} is not a yes/no value: write true or false (an empty cell means false)")


Text = Annotated[str, BeforeValidator(_required), Field(max_length=200)]
LongText = Annotated[str, BeforeValidator(_required), Field(max_length=2000)]
OptionalText = Annotated[Annotated[str, Field(max_length=200)] | None, BeforeValidator(_optional)]
OrgId = Annotated[str, BeforeValidator(_required), BeforeValidator(_org_id)]
OptionalOrgId = Annotated[str | None, BeforeValidator(_org_id)]


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrganisationRow(_Row):
    """A row of organisations.csv."""

    id: OrgId
    kind: Annotated[OrgKind, BeforeValidator(_kind)]
    name: Text
    parent_id: OptionalOrgId
    liaison_person: OptionalText  # JNT-2
    liaison_phone: Annotated[str | None, BeforeValidator(_phone)]

    def to_domain(self) -> Organisation:
        return Organisation(**self.model_dump())


class MatterRow(_Row):
    """A row of matters.csv."""

    code: Annotated[str, BeforeValidator(_matter_code)]
    name: Text
    department_id: OrgId
    legal_basis: LongText
    handover_date: Annotated[date | None, BeforeValidator(_date)]
    unit_may_act_in_own_name: Annotated[bool, BeforeValidator(_boolean)]  # REF-8

    def to_domain(self, township_handovers: tuple[tuple[str, date | None], ...] = ()) -> Matter:
        return Matter(**self.model_dump(), township_handovers=township_handovers)


class HandoverRow(_Row):
    """A row of handovers.csv: the matter's hand-over date for one township (JUR-1).

    An empty date: not handed over to this township, whatever the matter's default date.
    """

    matter_code: Annotated[str, BeforeValidator(_matter_code)]
    township_id: OrgId
    handover_date: Annotated[date | None, BeforeValidator(_date)]


Row = TypeVar("Row", OrganisationRow, MatterRow, HandoverRow)


@dataclass(slots=True)
class Table(Generic[Row]):
    """One file as read: every row's cells, the rows that passed, the problems of the rest."""

    file: str
    readable: bool = True  # False when the file cannot be decoded or its header is wrong
    cells: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    rows: list[tuple[int, Row]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def keys(self, column: str) -> list[tuple[int, str]]:
        """The non-empty values of `column` with their lines, valid or not."""
        stripped = ((line, cells[column].strip()) for line, cells in self.cells)
        return [(line, key) for line, key in stripped if key]
