"""Bearer tokens: what the verifier accepts, what it refuses and why, and the token CLI."""

import base64
import hashlib
import hmac
import json
import os
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from fastapi import HTTPException

from liandong_runtime.acting import Acting
from liandong_runtime.auth import TokenVerifier
from liandong_runtime.refdata import load_reference_data
from liandong_runtime.settings import REPO_ROOT, AuthSettings
from liandong_runtime.tokens import Issuer, duration, main

DIRECTORY = load_reference_data(REPO_ROOT / "data" / "district").directory


@pytest.fixture
def issuer(tmp_path: Path) -> Issuer:
    return Issuer.load_or_create(tmp_path)


@pytest.fixture
def verifier(tmp_path: Path, issuer: Issuer) -> TokenVerifier:
    return TokenVerifier(AuthSettings(jwks_url=(tmp_path / "jwks.json").as_uri()), DIRECTORY)


def refusal(verifier: TokenVerifier, token: str) -> tuple[int, str]:
    with pytest.raises(HTTPException) as refused:
        verifier.acting(token)
    return refused.value.status_code, str(refused.value.detail)


def unsigned(claims: dict[str, object], header: dict[str, object]) -> str:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()
    return f"{part(header)}.{part(claims)}."


def test_a_token_names_the_organisation_and_the_person(issuer, verifier) -> None:
    assert verifier.acting(issuer.issue("town-hexi", "staff-007")) == Acting(
        "town-hexi", "staff-007")


@pytest.mark.parametrize(("make", "status", "says"), [
    (lambda i: Issuer.generate().issue("town-hexi", "p"), 401, "no key"),
    (lambda i: i.issue("town-hexi", "p", ttl=timedelta(minutes=-2)), 401, "expired"),
    (lambda i: i.issue("town-hexi", "p", aud="other"), 401, "Audience"),
    (lambda i: i.issue("town-hexi", "p", iss="someone-else"), 401, "issuer"),
    (lambda i: i.issue("dept-nowhere", "p"), 403, "not in the district's directory"),
    (lambda i: i.issue("town-hexi", ""), 401, "sub"),
    (lambda i: i.issue("town-hexi", "x" * 65), 401, "sub"),
    (lambda i: "not.a.token", 401, "invalid bearer token"),
])
def test_refused_tokens_say_why(issuer, verifier, make, status, says) -> None:
    code, detail = refusal(verifier, make(issuer))
    assert code == status and says in detail


def test_a_token_without_the_org_claim_is_refused(issuer, verifier) -> None:
    token = jwt.encode({"iss": issuer.issuer, "aud": issuer.audience, "sub": "p",
                        "iat": 1, "exp": 4102444800}, issuer.key, algorithm="EdDSA",
                       headers={"kid": issuer.kid})
    assert refusal(verifier, token) == (401, 'invalid bearer token: Token is missing the "org" '
                                             "claim")


def test_alg_none_and_hmac_with_the_public_key_are_refused(issuer, verifier) -> None:
    claims = {"iss": issuer.issuer, "aud": issuer.audience, "sub": "p", "org": "district-gov",
              "iat": 1, "exp": 4102444800}
    assert refusal(verifier, unsigned(claims, {"alg": "none", "kid": issuer.kid}))[0] == 401
    public = issuer.jwks()["keys"][0]["x"].encode()
    header = {"alg": "HS256", "kid": issuer.kid, "typ": "JWT"}
    signing = unsigned(claims, header).rstrip(".")
    mac = hmac.new(public, signing.encode(), hashlib.sha256).digest()
    forged = f"{signing}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    assert refusal(verifier, forged)[0] == 401


def test_a_new_key_in_the_jwks_file_is_taken_up_without_a_restart(tmp_path, verifier) -> None:
    verifier.acting(Issuer.load_or_create(tmp_path).issue("town-hexi", "p"))
    rotated = Issuer.generate()
    path = tmp_path / "jwks.json"
    keys = json.loads(path.read_text())["keys"] + rotated.jwks()["keys"]
    path.write_text(json.dumps({"keys": keys}))
    os.utime(path, ns=(1, path.stat().st_mtime_ns + 1_000_000))
    assert verifier.acting(rotated.issue("dept-urban", "p")).org_id == "dept-urban"


def test_keys_that_cannot_be_read_are_a_503_not_a_401(tmp_path, issuer) -> None:
    lost = TokenVerifier(AuthSettings(jwks_url=(tmp_path / "gone.json").as_uri()), DIRECTORY)
    code, detail = refusal(lost, issuer.issue("town-hexi", "p"))
    assert code == 503 and "gone.json" in detail


def test_the_cli_issues_a_token_the_services_accept_and_keeps_the_key_private(
        tmp_path, capsys) -> None:
    main(["--keys", str(tmp_path), "issue", "police-bureau", "--person", "officer-9",
          "--ttl", "30m"])
    token = capsys.readouterr().out.strip()
    verifier = TokenVerifier(AuthSettings(jwks_url=(tmp_path / "jwks.json").as_uri()),
                             DIRECTORY)
    assert verifier.acting(token) == Acting("police-bureau", "officer-9")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 1800
    assert (tmp_path / "issuer.pem").stat().st_mode & 0o777 == 0o600
    main(["--keys", str(tmp_path), "jwks"])
    assert "PRIVATE" not in capsys.readouterr().out


def test_the_cli_refuses_an_organisation_outside_the_directory(tmp_path) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--keys", str(tmp_path), "issue", "dept-nowhere"])
    assert "dept-nowhere" in str(refused.value.code)


@pytest.mark.parametrize(("text", "expected"), [
    ("90s", timedelta(seconds=90)), ("30m", timedelta(minutes=30)),
    ("8h", timedelta(hours=8)), ("7d", timedelta(days=7))])
def test_durations(text, expected) -> None:
    assert duration(text) == expected


@pytest.mark.parametrize("text", ["0h", "8", "-1h", "1w", ""])
def test_bad_durations_are_refused(text) -> None:
    with pytest.raises(Exception, match="duration"):
        duration(text)
