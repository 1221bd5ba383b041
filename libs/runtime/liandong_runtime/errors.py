"""Domain errors every service raises: each names the rule it enforces and the field.

Plain exceptions, free of any framework, so domain layers may raise them; the HTTP
mapping is in `http_errors`.
"""


class RuleViolation(Exception):
    """A request that a rule of RULES.md forbids; nothing was changed (HTTP 422)."""

    def __init__(self, rule: str, field: str, message: str) -> None:
        super().__init__(f"{rule} ({field}): {message}")
        self.rule = rule
        self.field = field
        self.message = message


class NotAllowed(Exception):
    """The acting organisation may not do this (403), or not in this state (409).

    `field="status"` means the thing is in the wrong state for the request.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotFound(Exception):
    """No such thing, or not visible to the acting organisation (404)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what
