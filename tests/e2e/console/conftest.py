"""The whole district as processes (five services and the console) and Debian's Chromium
driven by Playwright. A failing test keeps a screenshot of every page it had open under its
own tmp dir (`<tmp>/screenshots/`, named in the failure report)."""

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from liandong_runtime.devstack import wait_ready
from tests.e2e.conftest import Service
from tests.support import ISSUER

FIVE = ("referral", "complaint", "sharing", "assistance", "escalation")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# an urgent transfer (REF-5) is missed in seconds, not in 24 hours; a negotiation too
LIMITS = {"REF-5": "4s", "DSP-1": "600s"}
AXE = Path(__file__).parent / "axe.min.js"


class District:
    def __init__(self, services: dict[str, Service], console: Service) -> None:
        self.services, self.console = services, console
        self.url = console.url

    def api(self, name: str) -> str:
        return self.services[name].url


@pytest.fixture(scope="module")
def district(servers: dict[str, str], tmp_path_factory: pytest.TempPathFactory,
             ) -> Iterator[District]:
    root = tmp_path_factory.mktemp("console-district")
    keys = root / "keys"
    keys.mkdir()
    pem = keys / "issuer.pem"
    pem.write_bytes(ISSUER.key.private_bytes(serialization.Encoding.PEM,
                                             serialization.PrivateFormat.PKCS8,
                                             serialization.NoEncryption()))
    pem.chmod(0o600)
    run = uuid.uuid4().hex[:8]
    env = {"NATS_URL": servers["NATS_URL"], "MONGODB_URL": servers["MONGODB_URL"],
           "LIMITS": json.dumps(LIMITS), "WATCH_INTERVAL_S": "0.3", "OUTBOX_POLL_S": "0.1"}
    started: list[Service] = []
    try:
        services = {}
        for name in FIVE:
            services[name] = Service(name, {**env, "MONGODB_DATABASE": f"console_{name}_{run}"},
                                     root / f"{name}.log")
            started.append(services[name])
        for service in started:
            wait_ready(service.port, service.process, timeout=90)
        console = Service("console", {
            **{f"{name.upper()}_URL": s.url for name, s in services.items()},
            "ISSUER_KEYS": str(keys), "REFRESH_S": "1", "PAGE_SIZE": "20"},
            root / "console.log")
        started.append(console)
        wait_ready(console.port, console.process, timeout=60)
        yield District(services, console)
    finally:
        for service in started:
            service.stop()
            print(f"--- {service.name} log ---\n"
                  f"{service.log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def sign_in(district: District, browser: Browser, request: pytest.FixtureRequest,
            tmp_path: Path) -> Iterator[Callable[[str], Page]]:
    """A browser of its own per person signed in; screenshots of each when the test fails."""
    contexts: list[tuple[str, BrowserContext]] = []

    def open_as(org: str, person: str = "staff-1") -> Page:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        contexts.append((org, context))
        page = context.new_page()
        page.goto(f"{district.url}/signin")
        page.select_option("#org", org)
        page.fill("#person", person)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_as
    failed = request.node.stash.get(FAILED, True)
    for index, (org, context) in enumerate(contexts):
        if failed:
            folder = tmp_path / "screenshots"
            folder.mkdir(exist_ok=True)
            for n, page in enumerate(context.pages):
                shot = folder / f"{index}-{org}-{n}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"screenshot: {shot}")
        context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core (vendored, tests/e2e/console/axe.min.js) on the page: serious or critical."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]
