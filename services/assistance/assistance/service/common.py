"""What every handler needs: the clock, new ids, and reference-data look-ups that name the field."""

from collections.abc import Callable
from datetime import UTC, datetime

from liandong_runtime import lookups
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Matter, Organisation

Clock = Callable[[], datetime]
NewId = Callable[[str], str]


def to_millis(moment: datetime) -> datetime:
    """MongoDB keeps milliseconds: times are cut to them before anyone sees them."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def utc_now() -> datetime:
    return to_millis(datetime.now(UTC))


def org(refdata: ReferenceData, org_id: str, field: str) -> Organisation:
    return lookups.org(refdata, org_id, field)


def orgs(refdata: ReferenceData, org_ids: tuple[str, ...], field: str) -> tuple[Organisation, ...]:
    return tuple(org(refdata, org_id, field) for org_id in org_ids)


def matter(refdata: ReferenceData, code: str | None) -> Matter | None:
    return None if code is None else lookups.matter(refdata, code)
