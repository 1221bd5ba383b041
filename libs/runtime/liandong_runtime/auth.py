"""Who asks over HTTP: a bearer token (JWT) signed by the district's identity provider.

The token names the organisation (claim `org` by default) and the person within it
(`sub`); nothing the client says outside the signed token decides who acts. The keys
come from the provider's JWKS: `https://` in production (Keycloak, Authing, ...),
`file://` of the embedded provider that `liandong-token` keeps under `.var/auth/`.
PyJWT verifies signature, expiry, issuer and audience.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse
from urllib.request import url2pathname

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from liandong_runtime.acting import Acting
from liandong_runtime.refdata import Directory
from liandong_runtime.settings import AuthSettings

PERSON_MAX = 64


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="liandong"'})


@dataclass
class TokenVerifier:
    """Turns a bearer token into the `Acting` it proves, or refuses it saying why."""

    settings: AuthSettings
    directory: Directory

    def __post_init__(self) -> None:
        url = self.settings.jwks_url
        self._keys: jwt.PyJWKClient | FileKeys = (
            FileKeys(Path(url2pathname(urlparse(url).path))) if url.startswith("file:")
            else jwt.PyJWKClient(url, lifespan=self.settings.jwks_cache_s, timeout=5,
                                 cooldown_duration=self.settings.jwks_cooldown_s))

    def acting(self, token: str) -> Acting:
        claims = self._claims(token)
        org, person = claims[self.settings.org_claim], claims["sub"]
        if not isinstance(org, str) or org not in self.directory:
            raise HTTPException(403, f"organisation {org!r} of the token is not in the "
                                     "district's directory")
        if not isinstance(person, str) or not 0 < len(person) <= PERSON_MAX:
            raise unauthorized(f"the token's sub must name a person in 1..{PERSON_MAX} chars")
        return Acting(org, person)

    def _claims(self, token: str) -> dict[str, object]:
        required = ["exp", "iat", "iss", "aud", "sub", self.settings.org_claim]
        try:
            key = self._keys.get_signing_key_from_jwt(token)
            return jwt.decode(token, key, algorithms=self.settings.algorithms,
                              audience=self.settings.audience, issuer=self.settings.issuer,
                              leeway=self.settings.leeway_s, options={"require": required})
        except jwt.PyJWKClientConnectionError as exc:
            raise HTTPException(503, f"the identity provider's keys are unreachable: {exc}",
                                headers={"Retry-After": "5"}) from exc
        except jwt.PyJWTError as exc:
            raise unauthorized(f"invalid bearer token: {exc}") from exc


class FileKeys:
    """A JWKS file (PyJWT fetches http(s) only), read again whenever it changes."""

    def __init__(self, path: Path) -> None:
        self.path, self._read_at, self._keys = path, -1, list[jwt.PyJWK]()

    def get_signing_key_from_jwt(self, token: str) -> jwt.PyJWK:
        kid = jwt.get_unverified_header(token).get("kid")
        try:
            changed = self.path.stat().st_mtime_ns
            if changed != self._read_at:
                self._keys = jwt.PyJWKSet.from_json(self.path.read_text()).keys
                self._read_at = changed
        except OSError as exc:
            raise jwt.PyJWKClientConnectionError(
                f"{self.path}: {exc.strerror} (`liandong-token jwks` creates it)") from exc
        for key in self._keys:
            if key.key_id == kid:
                return key
        # said to anonymous callers: the key id they sent (cut short), never the file's path
        raise jwt.PyJWKClientError(f"no key {str(kid)[:64]!r} among the identity provider's "
                                   "keys")


bearer = HTTPBearer(auto_error=False, bearerFormat="JWT",
                    description="a JWT of the identity provider naming organisation and person")


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authenticate(request: Request, token: str | None) -> Acting:
    if not token:
        raise unauthorized("a bearer token is required: `Authorization: Bearer <JWT>`")
    verifier: TokenVerifier = request.app.state.verifier
    return verifier.acting(token)


def caller(request: Request, credentials: Credentials) -> Acting:
    """The FastAPI dependency of every command and query (sync: a JWKS fetch may block)."""
    return authenticate(request, credentials.credentials if credentials else None)


def _org(acting: Annotated[Acting, Depends(caller)]) -> str:
    return acting.org_id


def _person(acting: Annotated[Acting, Depends(caller)]) -> str | None:
    return acting.person


ActingOrg = Annotated[str, Depends(_org)]
ActingPerson = Annotated[str | None, Depends(_person)]
Caller = Annotated[Acting, Depends(caller)]


def _overseer(request: Request) -> str:
    directory: Directory = request.app.state.verifier.directory
    return directory.district_government().id


def district_government_only(acting: Caller, request: Request) -> Acting:
    """For what only the overseer reads (notifications, dead letters)."""
    if acting.org_id != _overseer(request):
        raise HTTPException(403, "only the district government may read this")
    return acting


def _scope(acting: Caller, request: Request) -> str | None:
    return None if acting.org_id == _overseer(request) else acting.org_id


# whose records the caller may read: None for the district government, who oversees all
Scope = Annotated[str | None, Depends(_scope)]
