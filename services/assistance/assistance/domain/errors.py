"""Domain errors: the shared kinds, and the assistance service's own not-founds."""

from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation

__all__ = ["CallNotFound", "MeetingNotFound", "NotAllowed", "NotFound", "RequestNotFound",
           "RuleViolation", "SupervisionNotFound"]


class RequestNotFound(NotFound):
    def __init__(self, request_id: str) -> None:
        super().__init__(f"assistance request {request_id}")


class CallNotFound(NotFound):
    def __init__(self, call_id: str) -> None:
        super().__init__(f"joint-enforcement call {call_id}")


class MeetingNotFound(NotFound):
    def __init__(self, meeting_id: str) -> None:
        super().__init__(f"scheduled meeting {meeting_id}")


class SupervisionNotFound(NotFound):
    def __init__(self, supervision_id: str) -> None:
        super().__init__(f"supervision {supervision_id}")
