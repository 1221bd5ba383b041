"""/docs and /redoc work without internet: every asset they reference is the service's own
and answers 200 (the app in process, no servers needed: the lifespan does not run)."""

import importlib
import re

import httpx
import pytest

from liandong_runtime.docs import ASSETS

SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")


def references(html: str) -> list[str]:
    """Every URL the page loads or names: src/href attributes and quoted URLs in its script."""
    quoted = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)
    return [*quoted, *re.findall(r"https?://[^\s'\"<>)]+", html)]


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize(("page", "assets"), [
    ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
    ("/redoc", {"redoc.standalone.js", "favicon.png"}),
])
async def test_docs_pages_load_only_the_services_own_assets(
        service: str, page: str, assets: set[str]) -> None:
    app = importlib.import_module(f"{service}.bootstrap").build_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
        answer = await http.get(page)
        assert answer.status_code == 200
        urls = references(answer.text)
        assert not [url for url in urls if "//" in url], f"{page} names another host: {urls}"
        assert {url.removeprefix(f"{ASSETS}/") for url in urls if url.startswith(ASSETS)} \
            == assets
        for url in urls:
            loaded = await http.get(url)
            assert loaded.status_code == 200, url
            assert len(loaded.content) > 500, url
        schema = await http.get("/openapi.json")
        assert schema.json()["openapi"].startswith("3.1")
        assert "/openapi.json" in urls


async def test_swagger_ui_oauth2_redirect_page_is_served() -> None:
    app = importlib.import_module("referral.bootstrap").build_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
        answer = await http.get("/docs/oauth2-redirect")
    assert answer.status_code == 200
    assert "//" not in "".join(u for u in references(answer.text) if not u.startswith("#"))
