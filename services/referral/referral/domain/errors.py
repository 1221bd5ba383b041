"""Domain errors: each names the rule it enforces and the field at fault."""


class RuleViolation(Exception):
    """A request that a rule of RULES.md forbids; nothing was changed."""

    def __init__(self, rule: str, field: str, message: str) -> None:
        super().__init__(f"{rule} ({field}): {message}")
        self.rule = rule
        self.field = field
        self.message = message


class NotAllowed(Exception):
    """The acting organisation may not do this to this case."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class CaseNotFound(Exception):
    pass
