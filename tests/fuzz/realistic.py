"""What lets the fuzzer reach past "unknown organisation": the directory's real ids.

Hooks (global to schemathesis, which only this suite uses) swap the generated bearer token
for a real organisation's, and the organisation and matter fields of bodies for real ones,
most of the time; the generated value stays among the choices, so garbage is tried too.
"""

import csv
from typing import Any

import schemathesis
from hypothesis import strategies as st

from liandong_runtime.settings import REPO_ROOT
from tests.support import ISSUER

DISTRICT = REPO_ROOT / "data" / "district"


def column(file: str, name: str) -> list[str]:
    with (DISTRICT / file).open(encoding="utf-8") as rows:
        return [row[name] for row in csv.DictReader(rows)]


# a township first: Hypothesis leans to the first choice, and townships act the most
ORGS = sorted(column("organisations.csv", "id"), key=lambda org: not org.startswith("town-"))
MATTERS = column("matters.csv", "code")
ORG_FIELDS = frozenset({"locality", "receiver", "other_party", "owner", "jurisdiction_id",
                        "about"})
ORG_LISTS = {"called": 1, "participants": 2}  # field -> how many bodies it needs at least


def real_or(value: Any, real: list[str]) -> st.SearchStrategy[Any]:
    return st.sampled_from([*real, value])


# a real token of each organisation, signed by the session's identity provider
TOKENS = [f"Bearer {ISSUER.issue(org, 'fuzzer')}" for org in ORGS]


@schemathesis.hook
def flatmap_headers(context: Any, headers: dict[str, Any] | None) -> st.SearchStrategy[Any]:
    """The generated bearer token (garbage) stays a choice among every organisation's real one."""
    if not headers or "Authorization" not in headers:
        return st.just(headers)
    return real_or(headers["Authorization"], TOKENS).map(
        lambda token: {**headers, "Authorization": token})


@schemathesis.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    if not isinstance(body, dict):
        return st.just(body)
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for key, value in body.items():
        if key in ORG_FIELDS:
            parts[key] = real_or(value, ORGS)
        elif key in ("matter_code", "service_code"):
            parts[key] = real_or(value, MATTERS)
        elif key in ORG_LISTS:
            real = st.lists(st.sampled_from(ORGS), min_size=ORG_LISTS[key], max_size=4,
                            unique=True)
            parts[key] = real | st.just(value)
        else:
            parts[key] = st.just(value)
    return st.fixed_dictionaries(parts)
