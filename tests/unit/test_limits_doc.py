"""docs/limits.md is the limit table of the code: checked here, rewritten by running this
module (`.venv/bin/python -m tests.unit.test_limits_doc`)."""

from importlib import import_module

from liandong_runtime.http_inputs import markdown
from liandong_runtime.settings import REPO_ROOT

DOC = REPO_ROOT / "docs" / "limits.md"
SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")


def endpoints() -> list[tuple[str, str, str]]:
    """Every operation that takes a body, of every service (building an app connects nothing)."""
    found = []
    for name in SERVICES:
        paths = import_module(f"{name}.bootstrap").build_app().openapi()["paths"]
        found += [(name, method.upper(), path) for path, operations in paths.items()
                  for method, operation in operations.items() if "requestBody" in operation]
    return found


def test_the_limit_document_is_the_codes_table() -> None:
    assert DOC.read_text(encoding="utf-8") == markdown(endpoints()), (
        "docs/limits.md differs from the code: `.venv/bin/python -m tests.unit.test_limits_doc`")


def test_every_service_has_endpoints_in_the_table() -> None:
    assert {service for service, _, _ in endpoints()} == set(SERVICES)


if __name__ == "__main__":
    DOC.write_text(markdown(endpoints()), encoding="utf-8")
