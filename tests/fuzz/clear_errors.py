"""The check that every refusal explains itself."""

import json
from typing import Any

import schemathesis


def _problem(path: str, status: int, text: str) -> str | None:
    try:
        body = json.loads(text)
    except ValueError:
        return f"{status} without a JSON body: {text[:200]!r}"
    if path.startswith("/open311/"):  # GeoReport v2's own error shape
        ok = isinstance(body, list) and body and all(
            isinstance(e, dict) and e.get("code") and e.get("description") for e in body)
        return None if ok else f"{status} not in GeoReport's [{{code, description}}]: {text[:200]}"
    if not isinstance(body, dict) or not body.get("detail"):
        return f"{status} without a non-empty detail: {text[:200]}"
    detail = body["detail"]
    if isinstance(detail, list) and not all(isinstance(e, dict) and e.get("msg") for e in detail):
        return f"{status} with a detail list that does not say what is wrong: {text[:200]}"
    if "rule" in body and not (body["rule"] and "field" in body):
        return f"{status} names a rule without its field: {text[:200]}"
    return None


@schemathesis.check
def clear_4xx(ctx: Any, response: Any, case: Any) -> bool | None:
    if 400 <= response.status_code < 500:
        problem = _problem(case.operation.path, response.status_code, response.text)
        if problem:
            raise AssertionError(problem)
    return None
