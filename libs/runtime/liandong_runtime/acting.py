"""Who asks: every command carries the organisation in whose name it is made."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Acting:
    """The organisation in whose name, and the person within it."""

    org_id: str
    person: str | None = None
