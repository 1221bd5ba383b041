"""Domain errors: the shared kinds, and the complaint service's own not-found."""

from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation

__all__ = ["ComplaintNotFound", "NotAllowed", "RuleViolation"]


class ComplaintNotFound(NotFound):
    def __init__(self, complaint_id: str) -> None:
        super().__init__(f"complaint {complaint_id}")
