"""The embedded identity provider: an Ed25519 key under `.var/auth/`, its JWKS beside it,
and `liandong-token` to issue bearer tokens on one machine.

    liandong-token issue town-hexi --person staff-007 --ttl 8h
    liandong-token jwks

Production has a real identity provider instead; the services only ever read a JWKS
(`AUTH_JWKS_URL`), so nothing here runs there. The private key never leaves this folder.
"""

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from liandong_runtime.refdata import load_reference_data
from liandong_runtime.settings import EMBEDDED_KEYS, AuthSettings, ServiceSettings

KEY_FILE, JWKS_FILE = "issuer.pem", "jwks.json"


@dataclass
class Issuer:
    """Signs tokens the way the services' `TokenVerifier` expects them."""

    key: Ed25519PrivateKey
    issuer: str = AuthSettings().issuer
    audience: str = AuthSettings().audience

    @classmethod
    def generate(cls) -> "Issuer":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, folder: Path = EMBEDDED_KEYS) -> "Issuer":
        """The key of `folder` (made on first use, readable by its owner only), JWKS beside."""
        pem = folder / KEY_FILE
        if not pem.exists():
            folder.mkdir(parents=True, exist_ok=True)
            key = Ed25519PrivateKey.generate()
            fd = os.open(pem, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(key.private_bytes(serialization.Encoding.PEM,
                                            serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
        loaded = serialization.load_pem_private_key(pem.read_bytes(), password=None)
        if not isinstance(loaded, Ed25519PrivateKey):
            raise ValueError(f"{pem} is not an Ed25519 key")
        issuer = cls(loaded)
        issuer.write_jwks(folder / JWKS_FILE)
        return issuer

    @property
    def kid(self) -> str:
        raw = self.key.public_key().public_bytes(serialization.Encoding.Raw,
                                                 serialization.PublicFormat.Raw)
        return base64.urlsafe_b64encode(hashlib.sha256(raw).digest()[:12]).decode()

    def jwks(self) -> dict[str, Any]:
        jwk = OKPAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "EdDSA"}]}

    def write_jwks(self, path: Path) -> Path:
        path.write_text(json.dumps(self.jwks(), indent=2) + "\n", encoding="utf-8")
        return path

    def issue(self, org: str, person: str, ttl: timedelta = timedelta(hours=8),
              **claims: Any) -> str:
        now = datetime.now(UTC)
        payload = {"iss": self.issuer, "aud": self.audience, "sub": person, "org": org,
                   "iat": now, "exp": now + ttl, "jti": uuid.uuid4().hex, **claims}
        return jwt.encode(payload, self.key, algorithm="EdDSA", headers={"kid": self.kid})


def duration(text: str) -> timedelta:
    """`90s`, `30m`, `8h`, `7d`."""
    found = re.fullmatch(r"(\d+)([smhd])", text.strip())
    if not found or int(found[1]) == 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30m, 8h or 7d")
    unit = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[found[2]]
    return timedelta(**{unit: int(found[1])})


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="liandong-token", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.add_argument("--keys", type=Path, default=EMBEDDED_KEYS,
                     help=f"folder of the key and JWKS (default {EMBEDDED_KEYS})")
    commands = cli.add_subparsers(dest="command", required=True)
    issue = commands.add_parser("issue", help="print a token for an organisation and person")
    issue.add_argument("org", help="organisation id of the district directory, e.g. town-hexi")
    issue.add_argument("--person", default="duty-officer", help="person id within it (sub)")
    issue.add_argument("--ttl", type=duration, default=timedelta(hours=8), help="default 8h")
    commands.add_parser("jwks", help="print the public keys the services trust")
    return cli


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    issuer = Issuer.load_or_create(args.keys)
    if args.command == "jwks":
        print(json.dumps(issuer.jwks(), indent=2))
        return
    directory = load_reference_data(ServiceSettings().refdata_dir).directory
    if args.org not in directory:
        sys.exit(f"liandong-token: {args.org!r} is not an organisation of the district "
                 f"directory (see data/district/organisations.csv)")
    print(issuer.issue(args.org, args.person, args.ttl))


if __name__ == "__main__":
    main()
