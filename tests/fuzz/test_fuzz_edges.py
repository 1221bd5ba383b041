"""No 5xx from any service, whatever sits at the edges of times, integers and strings.

Property-based, per service: every operation of its OpenAPI document, with each field valid
(so requests reach the domain), an edge value of its type (`tests.fuzz.edges`: the whole
Unicode range with lone surrogates and NUL, times from year 1 to 9999 at offsets -12:00 to
+14:00, integers beyond 64 bits, flags as numbers, NaN), or anything at all. Every answer
is below 500, and every 4xx is short and says what is wrong. Derandomised.
"""

import json
from collections import Counter
from collections.abc import Iterator
from importlib import import_module
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.clear_errors import _problem
from tests.fuzz.district import SERVICES, District
from tests.fuzz.edges import Schemas, encoded, texts
from tests.fuzz.realistic import TOKENS

pytestmark = [pytest.mark.integration, pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies")]
EDGY = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))
FORM = "application/x-www-form-urlencoded"
DOCUMENTS = {name: import_module(f"{name}.bootstrap").build_app().openapi() for name in SERVICES}
SEEN: Counter[tuple[str, int]] = Counter()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation) for path, item in document["paths"].items()
            for method, operation in item.items()]


@st.composite
def requests(draw: st.DrawFn, name: str) -> tuple[str, str, bytes | None, dict[str, str]]:
    """(method, url, body, headers) of one operation of service `name`."""
    document = DOCUMENTS[name]
    schemas = Schemas(document)
    method, path, operation = draw(st.sampled_from(operations(document)))
    url, query = path, []
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            value = draw(st.one_of(st.just("x-0"), texts))
            url = url.replace(f"{{{parameter['name']}}}", encoded(value) or "x")
        elif parameter["in"] == "query" and (parameter.get("required") or draw(st.booleans())):
            query.append(f"{quote(parameter['name'])}={encoded(draw(schemas.parameter(parameter)))}")
    headers = {"Authorization": draw(st.sampled_from(TOKENS))}
    body = None
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        value = draw(schemas.mixed(content["application/json"]["schema"]))
        body = json.dumps(value, allow_nan=True).encode()  # surrogates as \ud800 escapes
        headers["Content-Type"] = "application/json"
    elif FORM in content:
        value = draw(schemas.mixed(content[FORM]["schema"]))
        body = "&".join(f"{k}={encoded(v)}" for k, v in value.items() if v is not None).encode()
        headers["Content-Type"] = FORM
    return method, url + ("?" + "&".join(query) if query else ""), body, headers


@pytest.fixture(scope="module")
def clients(district: District) -> Iterator[dict[str, httpx.Client]]:
    made = {name: httpx.Client(base_url=url, timeout=30) for name, url in district.urls.items()}
    yield made
    for client in made.values():
        client.close()
    print("edges:", dict(SEEN))


def check(clients: dict[str, httpx.Client], name: str,
          request: tuple[str, str, bytes | None, dict[str, str]]) -> None:
    method, url, body, headers = request
    answer = clients[name].request(method, url, content=body, headers=headers)
    SEEN[(name, answer.status_code)] += 1
    assert answer.status_code < 500, f"{method} {url[:200]} -> {answer.status_code}: " \
                                     f"{answer.text[:300]} (body {body[:300] if body else b''!r})"
    if answer.status_code >= 400:
        problem = _problem(url.split("?")[0], answer.status_code, answer.text)
        assert problem is None, f"{method} {url[:200]}: {problem}"
        assert len(answer.content) < 8000, f"{method} {url[:200]}: a refusal of " \
                                           f"{len(answer.content)} bytes"


@EDGY
@given(request=requests("referral"))
def test_referral_gives_no_5xx_at_the_edges(clients, request) -> None:
    check(clients, "referral", request)


@EDGY
@given(request=requests("complaint"))
def test_complaint_gives_no_5xx_at_the_edges(clients, request) -> None:
    check(clients, "complaint", request)


@EDGY
@given(request=requests("sharing"))
def test_sharing_gives_no_5xx_at_the_edges(clients, request) -> None:
    check(clients, "sharing", request)


@EDGY
@given(request=requests("assistance"))
def test_assistance_gives_no_5xx_at_the_edges(clients, request) -> None:
    check(clients, "assistance", request)


@EDGY
@given(request=requests("escalation"))
def test_escalation_gives_no_5xx_at_the_edges(clients, request) -> None:
    check(clients, "escalation", request)


def test_the_edges_reached_past_validation() -> None:
    """Valid fields beside the edge ones let some requests through on every service (read
    from the five tests above: run with them)."""
    through = {name for (name, code) in SEEN if code < 300}
    assert through == set(SERVICES), dict(SEEN)
