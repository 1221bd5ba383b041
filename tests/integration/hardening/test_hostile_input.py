"""Issue 11, part A: every hostile request of the issue gets a short 4xx naming the field.

Each test sends what the issue reports (over real HTTP, to the five services on a real
NATS server and database) and checks the answer: a 4xx, short, naming the field, and
nothing stored.
"""

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from liandong_runtime.http_inputs import LIMITS
from liandong_runtime.tokens import Issuer
from tests.support import acting

EDGES = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+00:00"]
TOWN, URBAN, GOV = acting("town-hexi"), acting("dept-urban"), acting("district-gov")


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def finding(**fields: Any) -> dict[str, Any]:
    return {"matter_code": "M-URB-001", "locality": "town-hexi", "found_at": ago(hours=1),
            "summary": "幸福路占道经营", **fields}


def complaint(**fields: Any) -> dict[str, Any]:
    return {"channel": "phone", "received_at": ago(hours=1), "summary": "幸福路占道经营",
            "complainant": {"name": "张三"}, **fields}


def info(**fields: Any) -> dict[str, Any]:
    return {"category": "other", "title": "执法工作简报", "audience": "all",
            "formed_at": ago(minutes=5), "summary": "简报", **fields}


def delay(**fields: Any) -> dict[str, Any]:
    return {"category": "other", "title": "执法工作简报", "formed_at": ago(minutes=5),
            "reason": "材料未齐", "new_due_at": ago(days=-3), **fields}


def assistance(**fields: Any) -> dict[str, Any]:
    return {"kind": "technical_support", "receiver": "dept-urban", "summary": "请协助检测",
            "documents": [{"title": "协助函", "uri": "https://docs.example/1.pdf"}], **fields}


def dispute(**fields: Any) -> dict[str, Any]:
    return {"other_party": "dept-urban", "matter_code": "M-URB-001", "subject_id": "case-1",
            "reason": "管辖不清", **fields}


def send(client: httpx.Client, path: str, body: Any, headers: dict[str, str],
         method: str = "POST") -> httpx.Response:
    """`body` as JSON with `\\uXXXX` escapes, so lone surrogates travel as JSON has them."""
    return client.request(method, path, content=json.dumps(body).encode(),
                          headers={"Content-Type": "application/json", **headers})


def refused(answer: httpx.Response, field: str, status: int = 422) -> str:
    """The answer is a short refusal naming `field`; its text."""
    assert answer.status_code == status, answer.text[:500]
    assert len(answer.content) < 2000, f"a long refusal: {len(answer.content)} bytes"
    assert field in answer.text, answer.text
    return answer.text


# -- times at the calendar's edge ---------------------------------------------------------

DECLARED = pytest.mark.rule("ESC-5")  # a declared start time must be a real calendar time
TIMED = [
    pytest.param("referral", "/cases", finding, "found_at", TOWN, marks=DECLARED),
    ("referral", "/cases", finding, "stop_ordered_at", TOWN),
    pytest.param("complaint", "/complaints", complaint, "received_at", TOWN, marks=DECLARED),
    pytest.param("sharing", "/info", info, "formed_at", TOWN, marks=DECLARED),
    pytest.param("sharing", "/info/delays", delay, "formed_at", TOWN, marks=DECLARED),
    ("sharing", "/info/delays", delay, "new_due_at", TOWN),
    ("assistance", "/requests/ast-0000/extension", lambda **f: {"reason": "x", **f},
     "new_due_at", URBAN),
]


@pytest.mark.parametrize("edge", EDGES)
@pytest.mark.parametrize(("service", "path", "body", "field", "who"), TIMED,
                         ids=[f"{t[0]}{t[1]}:{t[3]}" for t in (getattr(t, "values", t)
                                                               for t in TIMED)])
def test_a_time_at_the_calendars_edge_is_refused_naming_the_field(
        http: dict[str, httpx.Client], service: str, path: str, body: Any, field: str,
        who: dict[str, str], edge: str) -> None:
    answer = send(http[service], path, body(**{field: edge}), who)
    assert "between 1900 and 2200" in refused(answer, field)


@pytest.mark.parametrize("query", [{"since": "0001-01-01"}, {"until": "9999-12-31"},
                                   {"since": "0001-01-01T00:00:00+14:00"},
                                   {"until": "9999-12-31T23:59:59-12:00"}])
def test_a_search_from_or_to_the_calendars_edge_is_refused(
        http: dict[str, httpx.Client], query: dict[str, str]) -> None:
    [field] = query
    refused(http["sharing"].get("/info", params=query, headers=TOWN), field)


def test_a_year_one_time_in_utc_is_not_stored(http: dict[str, httpx.Client]) -> None:
    answer = send(http["referral"], "/cases", finding(found_at=EDGES[2]), TOWN)
    refused(answer, "found_at")
    assert all(case["found_at"][:4] != "0001"
               for case in http["referral"].get("/cases/inbox", headers=TOWN).json())


@pytest.mark.parametrize("after", [10**20, 2**63, -(2**63) - 1])
def test_a_feed_cursor_beyond_64_bits_is_refused(http: dict[str, httpx.Client],
                                                 after: int) -> None:
    refused(http["sharing"].get("/feed", params={"after": after}, headers=TOWN), "after")


# -- text no database or event can hold ---------------------------------------------------

TEXTS = [
    ("referral", "/cases", finding, "summary", TOWN),
    ("complaint", "/complaints", complaint, "summary", TOWN),
    ("sharing", "/info", info, "title", TOWN),
    ("assistance", "/requests", assistance, "summary", TOWN),
    ("escalation", "/disputes", dispute, "reason", TOWN),
]


@pytest.mark.parametrize("bad", ["\ud800", "前\udfff后", "a\x00b"], ids=["lone-high", "lone-low",
                                                                      "nul"])
@pytest.mark.parametrize(("service", "path", "body", "field", "who"), TEXTS,
                         ids=[t[0] for t in TEXTS])
def test_a_lone_surrogate_or_nul_in_a_text_is_refused_naming_the_field(
        http: dict[str, httpx.Client], service: str, path: str, body: Any, field: str,
        who: dict[str, str], bad: str) -> None:
    refused(send(http[service], path, body(**{field: bad}), who), field)


def test_a_complainants_name_with_a_surrogate_is_refused(http: dict[str, httpx.Client]) -> None:
    answer = send(http["complaint"], "/complaints", complaint(complainant={"name": "\ud83d"}),
                  TOWN)
    refused(answer, "complainant")


# -- bodies too big, and the events they would make --------------------------------------

@pytest.mark.parametrize("megabytes", [2, 20])
def test_a_body_over_the_limit_is_refused_before_it_is_read(
        http: dict[str, httpx.Client], megabytes: int) -> None:
    body = json.dumps(finding(summary="长" * (megabytes * 2**20 // 3))).encode()
    answer = http["referral"].post("/cases", content=body,
                                   headers={"Content-Type": "application/json", **TOWN})
    text = refused(answer, "body", 413)
    assert str(LIMITS.json_body_bytes) in text


def test_a_streamed_body_without_a_length_is_cut_at_the_limit(
        http: dict[str, httpx.Client]) -> None:
    def chunks():  # no Content-Length: sent chunked
        yield b'{"summary": "'
        for _ in range(100):
            yield b"x" * 10_000
        yield b'"}'

    answer = http["complaint"].post("/complaints", content=chunks(),
                                    headers={"Content-Type": "application/json", **TOWN})
    refused(answer, "body", 413)


def test_a_refusal_does_not_repeat_the_input(http: dict[str, httpx.Client]) -> None:
    long = "扰" + "x" * 50_000  # under the body limit, over the summary's
    answer = send(http["referral"], "/cases", finding(summary=long), TOWN)
    text = refused(answer, "summary")
    assert "xxxxxxxx" not in text and "扰" not in text


def test_a_transfer_with_ten_thousand_case_source_urls_is_refused(
        http: dict[str, httpx.Client]) -> None:
    urls = [f"https://docs.example/{i}" for i in range(10_000)]
    answer = send(http["referral"], "/cases/case-0/transfer", {"materials": {
        "transfer_letter": "https://docs.example/l", "case_source": urls}}, TOWN)
    refused(answer, "body", 413)
    few_too_many = urls[:LIMITS.documents + 1]
    answer = send(http["referral"], "/cases/case-0/transfer", {"materials": {
        "transfer_letter": "https://docs.example/l", "case_source": few_too_many}}, TOWN)
    refused(answer, "case_source")


def test_fifty_materials_of_8_kb_urls_are_refused(http: dict[str, httpx.Client]) -> None:
    material = {"title": "照片", "uri": "https://docs.example/" + "a" * 8192}
    answer = send(http["complaint"], "/complaints", complaint(materials=[material] * 50), TOWN)
    refused(answer, "body", 413)
    answer = send(http["complaint"], "/complaints", complaint(materials=[material]), TOWN)
    refused(answer, "uri")


def test_five_thousand_documents_are_refused(http: dict[str, httpx.Client]) -> None:
    document = {"title": "协助函", "uri": "https://docs.example/1.pdf"}
    answer = send(http["assistance"], "/requests", assistance(documents=[document] * 5000), TOWN)
    refused(answer, "body", 413)
    answer = send(http["assistance"], "/requests",
                  assistance(documents=[document] * (LIMITS.documents + 1)), TOWN)
    refused(answer, "documents")


# -- accepted when it should not be -------------------------------------------------------

def test_a_file_url_is_not_a_complaint_material(http: dict[str, httpx.Client]) -> None:
    material = {"title": "口令", "uri": "file:///etc/passwd"}
    answer = send(http["complaint"], "/complaints", complaint(materials=[material]), TOWN)
    assert "http" in refused(answer, "materials")


@pytest.mark.parametrize("flag", [True, False])
def test_true_is_not_a_staff_count(http: dict[str, httpx.Client], flag: bool) -> None:
    for path in ("/requests/ast-0/dispatch", "/calls/call-0/dispatch"):
        refused(send(http["assistance"], path, {"staff_count": flag}, URBAN), "staff_count")


def test_a_number_is_not_a_flag(http: dict[str, httpx.Client]) -> None:
    refused(send(http["referral"], "/cases", finding(urgent=1), TOWN), "urgent")


def test_a_dispute_with_an_unknown_field_is_refused(http: dict[str, httpx.Client]) -> None:
    answer = send(http["escalation"], "/disputes", dispute(severity="high"), TOWN)
    refused(answer, "severity")


@pytest.mark.parametrize("content_type", ["text/plain", None])
def test_json_not_declared_json_is_refused_saying_so(
        http: dict[str, httpx.Client], content_type: str | None) -> None:
    headers = {**TOWN, **({"Content-Type": content_type} if content_type else {})}
    answer = http["referral"].post("/cases", content=json.dumps(finding()).encode(),
                                   headers=headers)
    assert "application/json" in refused(answer, "content-type", 415)


def test_an_unknown_key_id_does_not_tell_the_servers_path(http: dict[str, httpx.Client]) -> None:
    stranger = Issuer.generate().issue("town-hexi", "p")
    answer = http["referral"].get("/cases/inbox", headers={"Authorization": f"Bearer {stranger}"})
    assert answer.status_code == 401
    assert "no key" in answer.text and "/" not in answer.json()["detail"]
    assert ".var" not in answer.text and "jwks" not in answer.text


# -- Open311 ------------------------------------------------------------------------------

def form(**fields: str) -> dict[str, str]:
    return {"jurisdiction_id": "town-hexi", "service_code": "M-URB-001",
            "description": "垃圾乱倒", "lat": "39.3312", "long": "112.4321", **fields}


def open311(http: dict[str, httpx.Client], body: bytes, content_type: str) -> httpx.Response:
    return http["complaint"].post("/open311/v2/requests.json", content=body,
                                  headers={"Content-Type": content_type,
                                           **acting("town-hexi", "app-1")})


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded",
                                          "application/x-www-form-urlencoded; charset=utf-8"])
def test_open311_stores_chinese_sent_raw_as_chinese(http: dict[str, httpx.Client],
                                                    content_type: str) -> None:
    """As `curl -d description=垃圾乱倒 ...` sends it: raw UTF-8, not percent-encoded."""
    raw = "&".join(f"{k}={v}" for k, v in form(address_string="河西镇幸福路").items())
    answer = open311(http, raw.encode(), content_type)
    assert answer.status_code == 201, answer.text
    [created] = answer.json()
    read = http["complaint"].get(f"/open311/v2/requests/{created['service_request_id']}.json")
    assert read.json()[0]["description"] == "垃圾乱倒"


def test_open311_stores_percent_encoded_chinese_as_chinese(http: dict[str, httpx.Client]) -> None:
    encoded = "&".join(f"{k}={quote(v)}" for k, v in form(description="污水直排").items())
    answer = open311(http, encoded.encode(), "application/x-www-form-urlencoded")
    assert answer.status_code == 201, answer.text
    rid = answer.json()[0]["service_request_id"]
    read = http["complaint"].get(f"/open311/v2/requests/{rid}.json")
    assert read.json()[0]["description"] == "污水直排"


def test_open311_refuses_a_form_that_is_not_utf8(http: dict[str, httpx.Client]) -> None:
    raw = "&".join(f"{k}={v}" for k, v in form().items()).encode("gb18030")
    answer = open311(http, raw, "application/x-www-form-urlencoded")
    assert answer.status_code == 400 and "UTF-8" in answer.json()[0]["description"]


@pytest.mark.parametrize(("field", "value"), [("email", "not-an-email"),
                                              ("media_url", "file:///etc/passwd"),
                                              ("description", "a\x00b")])
def test_open311_refuses_what_it_cannot_store(http: dict[str, httpx.Client], field: str,
                                              value: str) -> None:
    body = "&".join(f"{k}={quote(v)}" for k, v in form(**{field: value}).items())
    answer = open311(http, body.encode(), "application/x-www-form-urlencoded")
    assert answer.status_code == 400, answer.text
    [error] = answer.json()
    assert field in error["description"] and len(answer.content) < 1000


def test_open311_refuses_a_form_over_its_limit(http: dict[str, httpx.Client]) -> None:
    body = "&".join(f"{k}={v}" for k, v in form(description="x" * 20_000).items())
    answer = open311(http, body.encode(), "application/x-www-form-urlencoded")
    assert answer.status_code == 413
    assert str(LIMITS.form_body_bytes) in answer.json()[0]["description"]
