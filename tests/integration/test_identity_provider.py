"""Production's identity provider is an HTTP(S) JWKS endpoint: keys are fetched from it,
kept, fetched again for a key they do not hold yet (rotation), and its being down is a
503 saying so, not a 401 blaming the caller."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi import HTTPException

from liandong_runtime.auth import TokenVerifier
from liandong_runtime.embedded import free_port
from liandong_runtime.refdata import load_reference_data
from liandong_runtime.settings import REPO_ROOT, AuthSettings
from liandong_runtime.tokens import Issuer

DIRECTORY = load_reference_data(REPO_ROOT / "data" / "district").directory


class Provider:
    def __init__(self) -> None:
        self.issuers = [Issuer.generate()]
        self.fetched = 0

    def jwks(self) -> bytes:
        self.fetched += 1
        return json.dumps({"keys": [k for i in self.issuers for k in i.jwks()["keys"]]}).encode()


@pytest.fixture
def provider() -> Iterator[tuple[Provider, str]]:
    state = Provider()

    class Certs(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = state.jwks()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Certs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/realms/district/certs"
    server.shutdown()


def test_keys_come_from_the_provider_are_kept_and_a_rotated_key_is_fetched(provider) -> None:
    """(No cool-down here; by default a key not held is fetched at most every 30 s.)"""
    state, url = provider
    verifier = TokenVerifier(AuthSettings(jwks_url=url, jwks_cooldown_s=0), DIRECTORY)
    for person in ("a", "b", "c"):
        assert verifier.acting(state.issuers[0].issue("dept-water", person)).person == person
    assert state.fetched == 1
    state.issuers.append(Issuer.generate())  # the provider rotates its signing key
    assert verifier.acting(state.issuers[1].issue("town-hexi", "d")).org_id == "town-hexi"
    assert state.fetched == 2


def test_a_provider_that_is_down_is_a_503() -> None:
    verifier = TokenVerifier(AuthSettings(jwks_url=f"http://127.0.0.1:{free_port()}/certs"),
                             DIRECTORY)
    with pytest.raises(HTTPException) as refused:
        verifier.acting(Issuer.generate().issue("town-hexi", "p"))
    assert refused.value.status_code == 503 and "unreachable" in str(refused.value.detail)
