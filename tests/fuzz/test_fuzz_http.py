"""Every HTTP API fuzzed from its own OpenAPI schema: no 5xx, answers as documented, and
every 4xx says what is wrong. Derandomised, so a CI failure reproduces locally."""

from collections import Counter
from collections.abc import Iterator
from importlib import import_module

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.fuzz import realistic  # noqa: F401  (registers the hooks)
from tests.fuzz.clear_errors import clear_4xx
from tests.fuzz.district import SERVICES

# schemathesis' own strategies use `random`; derandomised Hypothesis seeds it, so runs repeat
pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies")]
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, clear_4xx]
BOUNDED = settings(max_examples=30, derandomize=True, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))


def schema(name: str) -> schemathesis.BaseSchema:
    """The schema the app serves at /openapi.json; building the app connects nothing.

    (Loaded eagerly: schemathesis' lazy `from_fixture` fails on pytest 9.)"""
    bootstrap = import_module(f"{name}.bootstrap")
    return schemathesis.openapi.from_dict(bootstrap.build_app().openapi())


referral, complaint, sharing = schema("referral"), schema("complaint"), schema("sharing")
assistance, escalation = schema("assistance"), schema("escalation")


STATUSES: Counter[tuple[str, str, int]] = Counter()


@pytest.fixture(scope="module", autouse=True)
def statuses() -> Iterator[Counter[tuple[str, str, int]]]:
    """Printed at the end: how far the generated requests got (2xx means past validation)."""
    yield STATUSES
    for name in dict.fromkeys(service for service, _, _ in STATUSES):
        mine = {(method, code): n for (s, method, code), n in STATUSES.items() if s == name}
        print(f"fuzz {name}: {sum(mine.values())} requests,",
              ", ".join(f"{m} {c}: {n}" for (m, c), n in sorted(mine.items())))


def call(case, district, name: str) -> None:
    response = case.call_and_validate(base_url=district.urls[name], checks=CHECKS, timeout=30)
    STATUSES[(name, case.method.upper(), response.status_code)] += 1


@referral.parametrize()
@BOUNDED
def test_referral_api(case, district) -> None:
    call(case, district, "referral")


@complaint.parametrize()
@BOUNDED
def test_complaint_api(case, district) -> None:
    call(case, district, "complaint")


@sharing.parametrize()
@BOUNDED
def test_sharing_api(case, district) -> None:
    call(case, district, "sharing")


@assistance.parametrize()
@BOUNDED
def test_assistance_api(case, district) -> None:
    call(case, district, "assistance")


@escalation.parametrize()
@BOUNDED
def test_escalation_api(case, district) -> None:
    call(case, district, "escalation")


def test_the_fuzzer_got_past_validation_on_every_service() -> None:
    """Real organisation ids and matter codes let requests through: each service accepted
    some generated commands (2xx on a POST or PUT), not only refusals. (Reads what the five
    tests above counted: run with them.)"""
    accepted = {s for (s, method, code) in STATUSES if method in ("POST", "PUT") and code < 300}
    assert accepted == {"referral", "complaint", "sharing", "assistance", "escalation"}, (
        f"no generated command accepted by {set(SERVICES) - accepted}: {dict(STATUSES)}")
