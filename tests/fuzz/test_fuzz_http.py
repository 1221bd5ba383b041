"""Every HTTP API fuzzed from its own OpenAPI schema: no 5xx, answers as documented, and
every 4xx says what is wrong. Derandomised, so a CI failure reproduces locally.

Schemathesis generates positive and negative data (values the schema forbids), and runs its
coverage phase (edge cases: boundaries, empty and missing values, wrong types) besides its
examples and fuzzing; `test_negative_and_edge_cases_were_sent` checks that they were."""

from collections import Counter
from collections.abc import Iterator
from importlib import import_module

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
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
    loaded = schemathesis.openapi.from_dict(bootstrap.build_app().openapi())
    loaded.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    allow_x00=True)
    for phase in (loaded.config.phases.examples, loaded.config.phases.coverage,
                  loaded.config.phases.fuzzing):
        phase.enabled = True
    return loaded


referral, complaint, sharing = schema("referral"), schema("complaint"), schema("sharing")
assistance, escalation = schema("assistance"), schema("escalation")


STATUSES: Counter[tuple[str, str, int]] = Counter()
KINDS: Counter[tuple[str, str]] = Counter()  # (generation mode, phase) of the cases sent


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
    KINDS[(case.meta.generation.mode.value, case.meta.phase.name.value)] += 1


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


def test_negative_and_edge_cases_were_sent() -> None:
    """Schemathesis sent data its schema forbids, and its coverage phase's edge cases (reads
    what the five tests above counted: run with them)."""
    modes = {mode for mode, _ in KINDS}
    phases = {phase for _, phase in KINDS}
    assert {"positive", "negative"} <= modes, dict(KINDS)
    assert {"coverage", "fuzzing"} <= phases, dict(KINDS)
