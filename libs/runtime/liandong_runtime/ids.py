"""Ids the services make for what they create: `case-…`, `cmp-…`, `inf-…`, `ast-…`."""

import uuid


def new_id(prefix: str) -> str:
    """The prefix names what the id is of; 16 hex digits of a random UUID follow."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}"
