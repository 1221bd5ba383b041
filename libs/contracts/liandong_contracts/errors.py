"""The error a message raises when it breaks its contract."""

from typing import Literal

ViolationCode = Literal[
    "too_large",
    "not_utf8",
    "not_json",
    "unknown_type",
    "wrong_version",
    "invalid_fields",
    "invalid_headers",
    "header_mismatch",
    "invalid_message",
]


class ContractViolation(ValueError):
    """A message that can never be consumed: reject it on purpose, count it, park it.

    `reason` says what is wrong, for an operator; `code` is a stable label for metrics.
    """

    def __init__(self, reason: str, code: ViolationCode = "invalid_message") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code: ViolationCode = code
