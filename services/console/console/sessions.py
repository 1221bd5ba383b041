"""Server-side sessions: the browser holds a random id in an HttpOnly, SameSite=Lax cookie
(Secure when served over https); the bearer token, the organisation and the CSRF token stay
here, in the console's memory, and die with it or at the token's expiry.

A cookie this console did not hand out (forged, or another console's) names no session:
its holder is sent to sign in and gets nothing else.
"""

import hmac
import secrets
import time
from dataclasses import dataclass, field

COOKIE = "liandong_console"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


@dataclass
class Session:
    org: str
    org_name: str
    org_kind: str
    person: str
    token: str
    expires_at: float
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    id: str = field(default_factory=lambda: secrets.token_urlsafe(32))

    @property
    def is_government(self) -> bool:
        return self.org_kind == "district_government"

    def csrf_ok(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(self.csrf, str(given))


class SessionStore:
    """In memory, bounded: the oldest sessions go first past `max_sessions`."""

    def __init__(self, max_sessions: int = 10_000) -> None:
        self._sessions: dict[str, Session] = {}
        self.max_sessions = max_sessions

    def add(self, session: Session) -> Session:
        while len(self._sessions) >= self.max_sessions:
            self._sessions.pop(next(iter(self._sessions)))
        self._sessions[session.id] = session
        return session

    def get(self, session_id: str | None) -> Session | None:
        session = self._sessions.get(session_id or "")
        if session is None:
            return None
        if session.expires_at <= time.time():
            self._sessions.pop(session.id, None)
            return None
        return session

    def drop(self, session_id: str | None) -> None:
        self._sessions.pop(session_id or "", None)
