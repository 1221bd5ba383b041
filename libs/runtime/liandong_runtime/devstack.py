"""`make run`: the whole district on one machine, embedded servers included.

Starts nats-server and secantusd-py with data under `.var/` (unless NATS_URL and
MONGODB_URL point elsewhere), waits until both answer, starts every service as its own
process and prints where each one listens. Ctrl-C stops everything; the data stays.

The embedded NATS admits only the users of `nats_permissions`: each service logs in as
itself, allowed its own subjects and consumers; the passwords are made on the first run
into `.var/nats-passwords.json` (0600) and kept. Unless AUTH_JWKS_URL points at an
identity provider, the embedded one's key is made in `.var/auth/` on the first run:
`liandong-token issue <org>` prints tokens for the HTTP APIs.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from liandong_runtime.embedded import EmbeddedMongo, EmbeddedNats, EmbeddedServer, write_private
from liandong_runtime.nats_permissions import OPERATOR, authorization, declaration, new_passwords
from liandong_runtime.settings import EMBEDDED_KEYS, REPO_ROOT
from liandong_runtime.tokens import Issuer

SERVICES = {"referral": 8101, "complaint": 8102, "sharing": 8103, "assistance": 8104,
            "escalation": 8105}


def start_servers(var: Path) -> tuple[dict[str, str], list[EmbeddedServer], dict[str, str]]:
    """The environment every service gets, the servers started and the NATS passwords."""
    env, servers, passwords = {}, [], {}
    if "NATS_URL" not in os.environ:
        grants = declaration()
        passwords = nats_passwords(var, [grant.user for grant in grants])
        nats = EmbeddedNats("nats", 4222, var / "nats",
                            authorization=authorization(grants, passwords)).start()
        servers.append(nats)
        env["NATS_URL"] = nats.url
    if "MONGODB_URL" not in os.environ:
        mongo = EmbeddedMongo("secantus", 27017, var / "secantus").start()
        servers.append(mongo)
        env["MONGODB_URL"] = mongo.url
    return env, servers, passwords


def nats_passwords(var: Path, users: list[str]) -> dict[str, str]:
    """Made on the first run and kept (0600) for the next; the operator's also as an env
    file for `liandong-dead-letters replay`."""
    file = var / "nats-passwords.json"
    kept = json.loads(file.read_text()) if file.exists() else {}
    passwords = {**new_passwords(user for user in users if user not in kept), **kept}
    if passwords != kept:
        write_private(file, json.dumps(passwords, indent=2))
    write_private(var / "nats-operator.env",
                  f"NATS_USER={OPERATOR}\nNATS_PASSWORD={passwords[OPERATOR]}\n")
    return passwords


def service_env(name: str, env: dict[str, str], passwords: dict[str, str]) -> dict[str, str]:
    """A service logs in to the embedded NATS as itself."""
    return {**env, "NATS_USER": name, "NATS_PASSWORD": passwords[name]} if passwords else env


def start_service(name: str, port: int, env: dict[str, str], var: Path) -> subprocess.Popen[bytes]:
    log = (var / f"{name}.log").open("ab")
    return subprocess.Popen([sys.executable, "-m", name],
                            env={**os.environ, **env, "HTTP_PORT": str(port)},
                            stdout=log, stderr=subprocess.STDOUT)


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"service on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"service on port {port} not ready within {timeout} s")


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    began = time.monotonic()
    var = REPO_ROOT / ".var"
    var.mkdir(exist_ok=True)
    env, servers, passwords = start_servers(var)
    embedded_idp = "AUTH_JWKS_URL" not in os.environ
    if embedded_idp:
        Issuer.load_or_create(EMBEDDED_KEYS)  # the JWKS the services read
    processes = {name: start_service(name, port, service_env(name, env, passwords), var)
                 for name, port in SERVICES.items()}
    try:
        for name, port in SERVICES.items():
            wait_ready(port, processes[name])
        print(f"\nliandong is up in {time.monotonic() - began:.1f} s (logs in {var}/)\n")
        for name, port in SERVICES.items():
            base = f"http://127.0.0.1:{port}"
            print(f"  {name:<11} {base}   docs {base}/docs   metrics {base}/metrics"
                  f"   asyncapi {base}/asyncapi.json")
        print(f"\n  NATS {env.get('NATS_URL', os.environ.get('NATS_URL'))}   "
              f"MongoDB {env.get('MONGODB_URL', os.environ.get('MONGODB_URL'))}\n")
        if passwords:
            print(f"  NATS users: one per service, passwords in {var}/nats-passwords.json;\n"
                  f"  the operator's: set -a; . {var}/nats-operator.env; set +a\n")
        if embedded_idp:
            print(f"  HTTP tokens: {Path(sys.executable).parent}/liandong-token issue ORG "
                  f"[--person ID]   (keys in {EMBEDDED_KEYS})\n")
        print("  Ctrl-C stops everything; the data stays for the next run.\n")
        signal.signal(signal.SIGTERM, _interrupt)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping ...")
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            process.wait(30)
        for server in reversed(servers):
            server.stop()


if __name__ == "__main__":
    main()
