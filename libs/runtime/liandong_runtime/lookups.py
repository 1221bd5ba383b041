"""Reference-data lookups for commands: an unknown id is a JUR-1 refusal naming the field."""

from liandong_runtime.errors import RuleViolation
from liandong_runtime.refdata import ReferenceData
from liandong_runtime.refdata.model import Matter, Organisation


def org(refdata: ReferenceData, org_id: str, field: str, rule: str = "JUR-1") -> Organisation:
    try:
        return refdata.directory.get(org_id)
    except LookupError as exc:
        raise RuleViolation(rule, field, f"unknown organisation {org_id!r}") from exc


def matter(refdata: ReferenceData, code: str, field: str = "matter_code") -> Matter:
    try:
        return refdata.catalogue.matter(code)
    except LookupError as exc:
        raise RuleViolation("JUR-1", field, f"no matter {code!r} in the catalogue") from exc
