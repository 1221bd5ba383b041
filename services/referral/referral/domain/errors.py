"""Domain errors: the shared kinds, and the referral service's own not-found."""

from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation

__all__ = ["CaseNotFound", "NotAllowed", "RuleViolation"]


class CaseNotFound(NotFound):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"case {case_id}")
