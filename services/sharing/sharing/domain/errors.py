"""Domain errors: the shared kinds, and the sharing service's own not-founds."""

from liandong_runtime.errors import NotAllowed, NotFound, RuleViolation

__all__ = ["AlreadyShared", "InfoNotFound", "NotAllowed", "RuleViolation", "SubscriptionNotFound"]


class InfoNotFound(NotFound):
    def __init__(self, info_id: str) -> None:
        super().__init__(f"information {info_id}")


class SubscriptionNotFound(NotFound):
    def __init__(self, subscription_id: str) -> None:
        super().__init__(f"subscription {subscription_id}")


class AlreadyShared(NotAllowed):
    """The information id is taken: the same information is not published twice."""

    def __init__(self, info_id: str) -> None:
        super().__init__("status", f"information {info_id} is already published")
