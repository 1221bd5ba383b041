"""The committed AsyncAPI documents are what FastStream generates from the code."""

import pytest

from scripts.export_asyncapi import DOCS, documents, render


@pytest.fixture(scope="module")
def generated() -> dict[str, dict[str, object]]:
    return documents()


@pytest.mark.parametrize("service", ["referral", "complaint", "sharing", "assistance",
                                     "escalation"])
def test_the_committed_asyncapi_document_matches_the_code(generated, service: str) -> None:
    committed = (DOCS / f"{service}.json").read_text(encoding="utf-8")
    assert committed == render(generated[service]), (
        "run `python scripts/export_asyncapi.py` and commit docs/asyncapi/")


def test_the_escalation_document_lists_what_it_consumes_and_publishes(generated) -> None:
    channels = " ".join(generated["escalation"]["channels"])
    assert "finding_recorded" in channels and "district_government_notified" in channels
