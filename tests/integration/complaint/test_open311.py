"""Open311 GeoReport v2: the form a civic-reporting client sends, and what it may read back."""

from urllib.parse import urlencode

import httpx
import pytest

from liandong_runtime.refdata import default_dir, load_reference_data
from tests.integration.complaint.conftest import Stream
from tests.integration.complaint.test_complaint_flow import HEXI, ok, receive
from tests.support import acting

FORM = "application/x-www-form-urlencoded; charset=utf-8"
REPORTER = {"first_name": "相如", "last_name": "司马", "email": "reporter.test@example.cn",
            "phone": "13600003333"}


def form(**fields: str) -> dict[str, str]:
    return {"api_key": "client-key", "jurisdiction_id": "town-hexi", "service_code": "M-URB-001",
            "description": "幸福路人行道被摊点占用，请回电13600003333",
            "lat": "39.3312", "long": "112.4321", "address_string": "河西镇幸福路12号对面",
            "media_url": "https://photos.example/open311/1.jpg",
            "attribute[WHEN]": "evening", **REPORTER, **fields}


async def post(client: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    """Encoded as a client encodes it: a urlencoded UTF-8 body, not JSON."""
    return await client.post("/open311/v2/requests.json", content=urlencode(fields).encode(),
                             headers={"Content-Type": FORM, **acting(intake(fields), "app-1")})


def intake(fields: dict[str, str]) -> str:
    """The client's token is its jurisdiction's (the token of a township for one unknown)."""
    return fields["jurisdiction_id"] if fields["jurisdiction_id"] != "nowhere" else "town-hexi"


async def test_the_service_list_is_the_catalogue(client: httpx.AsyncClient) -> None:
    answer = await client.get("/open311/v2/services.json", params={"jurisdiction_id": "town-hexi"})
    services = {s["service_code"]: s for s in answer.json()}
    assert len(services) == len(load_reference_data(default_dir()).catalogue)
    road = services["M-URB-001"]
    assert road["service_name"] == "对擅自占用城市道路的处罚"
    assert (road["metadata"], road["type"]) == (False, "realtime")
    assert road["group"] == "示例区城市管理局"
    assert "乡镇街道综合执法" in road["keywords"]


@pytest.mark.rule("CMP-8")
@pytest.mark.rule("CMP-2")
async def test_a_georeport_request_is_registered_and_read_back_without_personal_data(
        client: httpx.AsyncClient, stream: Stream) -> None:
    answer = await post(client, form())
    assert answer.status_code == 201, answer.text
    [created] = answer.json()
    rid = created["service_request_id"]
    assert created["service_notice"].startswith("已登记，登记编号 TS-")
    [received] = await stream.wait_for(rid, 1)
    assert received["channel"] == "online" and received["received_by"]["id"] == "town-hexi"
    assert received["locality"]["id"] == "town-hexi"
    assert received["summary"] == "幸福路人行道被摊点占用，请回电＊＊＊"  # masked, not refused
    assert [m["uri"] for m in received["materials"]] == ["https://photos.example/open311/1.jpg"]

    public = await client.get(f"/open311/v2/requests/{rid}.json")
    [request] = public.json()
    assert request["status"] == "open" and request["status_notes"] == "已登记"
    assert (request["service_code"], request["agency_responsible"]) == ("M-URB-001",
                                                                        "河西镇人民政府")
    assert request["requested_datetime"].endswith("+08:00")
    for leak in (*REPORTER.values(), "司马相如", "幸福路12号"):
        assert leak not in public.text and leak not in str(received)
    # the handling township sees the reporter, from the protected register
    handler = (await client.get(f"/complaints/{rid}", headers=HEXI)).json()
    assert handler["complainant"]["name"] == "司马相如"
    assert handler["complainant"]["phone"] == REPORTER["phone"]
    assert "幸福路12号对面" in handler["complainant"]["location"]

    # verified and answered, the request reads closed
    await ok(client, f"/complaints/{rid}/verification",
             {"outcome": "no_violation", "findings": "摊点已撤离"}, HEXI)
    await ok(client, f"/complaints/{rid}/answer", {"result": "摊点已撤离"}, HEXI)
    [request] = (await client.get(f"/open311/v2/requests/{rid}.json")).json()
    assert request["status"] == "closed"


@pytest.mark.parametrize(("fields", "status", "mentions"), [
    ({"service_code": "M-NOPE"}, 400, "matter_code"),
    ({"jurisdiction_id": "police-bureau"}, 400, "CMP-1"),
    ({"jurisdiction_id": "nowhere"}, 400, "JUR-1"),
    ({"lat": "", "long": "", "address_string": ""}, 400, "location"),
    ({"description": ""}, 400, "description"),
])
async def test_errors_come_in_the_georeport_shape(client: httpx.AsyncClient,
                                                  fields: dict[str, str], status: int,
                                                  mentions: str) -> None:
    answer = await post(client, form(**fields))
    [error] = answer.json()
    assert answer.status_code == status == error["code"] and mentions in error["description"]


async def test_unknown_and_non_open311_requests_are_not_found(client: httpx.AsyncClient) -> None:
    missing = await client.get("/open311/v2/requests/cmp-0000000000000000.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    by_phone = await receive(client, HEXI)  # registered by staff, not through Open311
    private = await client.get(f"/open311/v2/requests/{by_phone}.json")
    assert private.status_code == 404 and "司马" not in private.text
    as_json = await client.post("/open311/v2/requests.json", json=form(),
                                headers=acting("town-hexi"))
    assert as_json.status_code == 400 and as_json.json()[0]["code"] == 400
