"""The complainant's personal data (CMP-8): kept apart, never shared.

The complaint holds only a random reference to its complainant; the record itself lives
in a protected store that only the bodies handling the complaint read. Free text that
travels to other bodies (summary, findings, reasons, results) is checked for contact
data before it leaves.
"""

import re
from dataclasses import dataclass

from complaint.domain.errors import RuleViolation

_MOBILE = r"(?<!\d)1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"
_ID_NUMBER = r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])"
_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
CONTACT = re.compile("|".join((_MOBILE, _ID_NUMBER, _EMAIL)))
MASK = "＊＊＊"


@dataclass(frozen=True)
class Complainant:
    """Who complained and how to reach them: personal data, stored only in the register."""

    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    address: str | None = None
    email: str | None = None
    location: str | None = None  # where a civic-reporting client said the matter is

    def identifying_values(self) -> tuple[str, ...]:
        """The values that must never appear in shared text (two characters or more)."""
        values = (self.name, self.phone, self.id_number, self.address, self.email)
        return tuple(v.strip() for v in values if v and len(v.strip()) >= 2)


def no_contact_data(field: str, text: str, complainant: Complainant | None = None) -> None:
    """CMP-8: shared text carries no phone, ID number, e-mail, nor the complainant's data."""
    values = complainant.identifying_values() if complainant else ()
    if CONTACT.search(text) or any(value in text for value in values):
        raise RuleViolation(
            "CMP-8", field,
            "must not contain the complainant's name, phone, ID number, address or e-mail: "
            "it is shared with other bodies; personal data goes in the complainant record only",
        )


def redact(text: str, complainant: Complainant) -> str:
    """A citizen's own words, with contact data masked rather than refused (Open311)."""
    for value in sorted(complainant.identifying_values(), key=len, reverse=True):
        text = text.replace(value, MASK)
    return CONTACT.sub(MASK, text)
