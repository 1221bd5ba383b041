"""`make run`: the whole district on one machine, embedded servers included, supervised.

Starts nats-server and secantusd-py with data under `.var/` (unless NATS_URL and
MONGODB_URL point elsewhere), waits until both answer, starts every service as its own
process and prints where each one listens. Ctrl-C (SIGINT) or SIGTERM stops everything,
services first, and exits 0; the data stays.

Every child is watched: one that exits (a crash, `kill -9`) is reported at once on stderr
(within a second) and started again after a back-off of 1, 2, 4 ... at most 30 s; the
back-off starts over once it has stayed up STABLE_S. A child that exits MAX_FAILURES times
in a row without staying up that long (a bug at start-up, a port taken, a crash loop)
cannot be helped by restarts: then the whole stack stops with exit code 1, saying which one
and where its log is, rather than look up with a dead port.

Children run in process groups of their own, so a terminal's Ctrl-C reaches the stack alone
and it stops them in order; they are also told SIGTERM if the stack itself dies (Linux).

Ports and the data folder can be moved (the defaults in brackets): LIANDONG_<SERVICE>_PORT
[8101-8105], LIANDONG_NATS_PORT [4222], LIANDONG_MONGODB_PORT [27017], LIANDONG_VAR_DIR
[.var], and LIANDONG_STACK_SERVICES (comma-separated names) [all five].

The embedded NATS admits only the users of `nats_permissions`: each service logs in as
itself, allowed its own subjects and consumers, and each organisation's own system as the
organisation (docs/integration.md); the passwords are made on the first run into
`.var/nats-passwords.json` (0600) and kept. Unless AUTH_JWKS_URL points at an
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
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from liandong_runtime.embedded import (
    EmbeddedMongo,
    EmbeddedNats,
    EmbeddedServer,
    child_options,
    terminate,
    write_private,
)
from liandong_runtime.nats_permissions import OPERATOR, authorization, everyone, new_passwords
from liandong_runtime.settings import EMBEDDED_KEYS, REPO_ROOT
from liandong_runtime.tokens import Issuer

SERVICES = {"referral": 8101, "complaint": 8102, "sharing": 8103, "assistance": 8104,
            "escalation": 8105, "console": 8106}
CONSOLE = "console"  # 工作台: no NATS, no database; it calls the others' HTTP APIs
TICK_S = 0.25  # how often the children are looked at
BACKOFF_S = (1, 2, 4, 8, 16, 30)
STABLE_S = 60  # up (ready) this long: the next exit counts as the first again
MAX_FAILURES = 5  # exits in a row without staying up STABLE_S: the stack gives up
READY_WITHIN_S = 120  # at the first start, for all services together


def port_of(name: str, default: int) -> int:
    return int(os.environ.get(f"LIANDONG_{name.upper()}_PORT", default))


def chosen_services() -> dict[str, int]:
    names = os.environ.get("LIANDONG_STACK_SERVICES", "").replace(" ", "")
    wanted = names.split(",") if names else list(SERVICES)
    unknown = sorted(set(wanted) - set(SERVICES))
    if unknown:
        raise SystemExit(f"LIANDONG_STACK_SERVICES: unknown {unknown}; known: {list(SERVICES)}")
    return {name: port_of(name, SERVICES[name]) for name in wanted}


def start_servers(var: Path) -> tuple[dict[str, str], list[EmbeddedServer], dict[str, str]]:
    """The environment every service gets, the servers started and the NATS passwords."""
    env, servers, passwords = {}, [], {}
    try:
        if "NATS_URL" not in os.environ:
            grants = everyone()  # the services, the operator, each organisation's system
            passwords = nats_passwords(var, [grant.user for grant in grants])
            nats = EmbeddedNats("nats", port_of("nats", 4222), var / "nats", supervised=True,
                                authorization=authorization(grants, passwords))
            servers.append(nats)
            nats.start()
            env["NATS_URL"] = nats.url
        if "MONGODB_URL" not in os.environ:
            mongo = EmbeddedMongo("secantus", port_of("mongodb", 27017), var / "secantus",
                                  supervised=True)
            servers.append(mongo)
            mongo.start()
            env["MONGODB_URL"] = mongo.url
    except BaseException:
        for server in reversed(servers):
            server.stop()
        raise
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


def service_env(name: str, env: dict[str, str], passwords: dict[str, str],
                services: dict[str, int] | None = None) -> dict[str, str]:
    """A service logs in to the embedded NATS as itself; the console is told where the
    services' APIs are (`<SERVICE>_URL`)."""
    if name == CONSOLE:
        return {**env, **{f"{other.upper()}_URL": f"http://127.0.0.1:{port}"
                          for other, port in (services or {}).items() if other != CONSOLE}}
    return {**env, "NATS_USER": name, "NATS_PASSWORD": passwords[name]} if passwords else env


def start_service(name: str, port: int, env: dict[str, str], var: Path) -> subprocess.Popen[bytes]:
    with (var / f"{name}.log").open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", name],
                                env={**os.environ, **env, "HTTP_PORT": str(port)},
                                stdout=log, stderr=subprocess.STDOUT, **child_options())


def is_ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"service on port {port} exited with {process.returncode}")
        if is_ready(port):
            return
        time.sleep(0.2)
    raise TimeoutError(f"service on port {port} not ready within {timeout} s")


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def pid(child: "Child") -> str:
    return str(child.process.pid) if child.process else "?"


def say(text: str) -> None:
    print(f"liandong-stack: {text}", file=sys.stderr, flush=True)


@dataclass
class Child:
    """A supervised process: a service (ready when /readyz answers 200) or a server (ready
    once its port answers, which `EmbeddedServer.start` waits for)."""

    name: str
    port: int
    log: Path
    service_env: dict[str, str] | None = None  # None: an embedded server
    server: EmbeddedServer | None = None
    process: subprocess.Popen[bytes] | None = None
    ready: bool = False
    ready_at: float = 0.0
    failures: int = 0  # exits in a row without staying up STABLE_S
    restarts: int = 0
    restart_at: float | None = None

    def launch(self, var: Path) -> None:
        """Starts the process; a server that does not answer counts as an exit."""
        self.restart_at, self.ready = None, False
        if self.server is not None:
            try:
                self.server.start()  # waits until the port answers
            except (RuntimeError, TimeoutError, OSError) as exc:
                say(f"{self.name}: {exc}")
            self.process = self.server.process
            self.ready = self.process is not None and self.process.poll() is None
            self.ready_at = time.monotonic()
        else:
            assert self.service_env is not None
            self.process = start_service(self.name, self.port, self.service_env, var)

    def stop(self, timeout: float = 30) -> None:
        if self.server is not None:
            self.server.stop()
            return
        terminate(self.process, timeout)


class Stack:
    def __init__(self, var: Path, services: dict[str, int], env: dict[str, str],
                 servers: list[EmbeddedServer], passwords: dict[str, str]) -> None:
        self.var = var
        self.servers = [Child(s.name, s.port, s.log_file, server=s, process=s.process,
                              ready=True) for s in servers]
        self.services = [Child(name, port, var / f"{name}.log",
                               service_env=service_env(name, env, passwords, services))
                         for name, port in services.items()]
        self.stop_signal: int | None = None
        self.gave_up: Child | None = None

    @property
    def children(self) -> list[Child]:
        return [*self.servers, *self.services]

    def on_signal(self, signum: int, _: FrameType | None) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
            say(f"{signal.Signals(signum).name} received: stopping ...")

    def start_services(self) -> None:
        for child in self.services:
            child.launch(self.var)

    def tick(self) -> None:
        """Looks at every child once: reports an exit, restarts when its back-off is over,
        notes readiness. Never blocks longer than a server's start."""
        now = time.monotonic()
        for child in self.children:
            if self.stop_signal is not None or self.gave_up is not None:
                return
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    child.launch(self.var)
                    say(f"{child.name}: started again (pid {pid(child)}, "
                        f"restart {child.restarts})")
                continue
            code = child.process.poll() if child.process else None
            if code is not None:
                self.exited(child, code, now)
            elif not child.ready and child.service_env is not None and is_ready(child.port):
                child.ready, child.ready_at = True, now
                if child.restarts:
                    say(f"{child.name}: ready again on port {child.port}")

    def exited(self, child: Child, code: int, now: float) -> None:
        stable = child.ready and now - child.ready_at >= STABLE_S
        child.failures = 1 if stable else child.failures + 1
        child.ready = False
        what = f"{child.name} (pid {pid(child)}, port {child.port})"
        if child.failures >= MAX_FAILURES:
            say(f"{what} {describe_exit(code)}: {child.failures} exits in a row without "
                f"staying up {STABLE_S} s; giving up, see {child.log}")
            self.gave_up = child
            return
        delay = BACKOFF_S[min(child.failures, len(BACKOFF_S)) - 1]
        say(f"{what} {describe_exit(code)}; restarting in {delay} s (log: {child.log})")
        child.restart_at = now + delay

    def all_ready(self) -> bool:
        return all(child.ready for child in self.children)

    def running(self) -> bool:
        return self.stop_signal is None and self.gave_up is None

    def wait(self, ready_within: float | None = None) -> None:
        """Supervises until a stop is asked for (or, given `ready_within`, all are ready)."""
        until = None if ready_within is None else time.monotonic() + ready_within
        while self.running():
            self.tick()
            if until is not None and self.all_ready():
                return
            if until is not None and time.monotonic() > until:
                late = [child.name for child in self.children if not child.ready]
                raise TimeoutError(f"not ready within {ready_within:.0f} s: {late}")
            time.sleep(TICK_S)

    def stop(self) -> None:
        for child in self.services:
            if child.process is not None and child.process.poll() is None:
                child.process.terminate()
        for child in self.services:
            child.stop()
        for child in reversed(self.servers):
            child.stop()


def banner(stack: Stack, env: dict[str, str], passwords: dict[str, str], embedded_idp: bool,
           seconds: float) -> None:
    var = stack.var
    print(f"\nliandong is up in {seconds:.1f} s (logs in {var}/)\n")
    for child in stack.services:
        base = f"http://127.0.0.1:{child.port}"
        if child.name == CONSOLE:
            continue
        print(f"  {child.name:<11} {base}   docs {base}/docs   metrics {base}/metrics"
              f"   asyncapi {base}/asyncapi.json")
    print(f"\n  NATS {env.get('NATS_URL', os.environ.get('NATS_URL'))}   "
          f"MongoDB {env.get('MONGODB_URL', os.environ.get('MONGODB_URL'))}\n")
    if passwords:
        print(f"  NATS users: one per service and per organisation, passwords in "
              f"{var}/nats-passwords.json;\n"
              f"  the operator's: set -a; . {var}/nats-operator.env; set +a\n")
    if embedded_idp:
        print(f"  HTTP tokens: {Path(sys.executable).parent}/liandong-token issue ORG "
              f"[--person ID]   (keys in {EMBEDDED_KEYS})\n")
    console = next((c for c in stack.services if c.name == CONSOLE), None)
    if console is not None:
        print(f"  工作台 (the console): open http://127.0.0.1:{console.port}/ and sign in by "
              "picking an organisation\n  (e.g. 河西镇人民政府, town-hexi) and a person id "
              "(any, e.g. staff-1)\n")
    print("  A service that dies is reported here and started again.\n"
          "  Ctrl-C stops everything; the data stays for the next run.\n", flush=True)


def main() -> None:
    began = time.monotonic()
    services = chosen_services()
    var = Path(os.environ.get("LIANDONG_VAR_DIR") or REPO_ROOT / ".var").resolve()
    var.mkdir(parents=True, exist_ok=True)
    stopping: list[int] = []
    # explicit handlers: a shell that starts the stack in the background makes it ignore SIGINT
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda n, _: stopping.append(n))
    env, servers, passwords = start_servers(var)
    stack = Stack(var, services, env, servers, passwords)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stack.on_signal)
    if stopping:
        stack.on_signal(stopping[0], None)
    embedded_idp = "AUTH_JWKS_URL" not in os.environ
    if embedded_idp:
        Issuer.load_or_create(EMBEDDED_KEYS)  # the JWKS the services read
    code = 0
    try:
        if stack.running():
            stack.start_services()
            stack.wait(ready_within=READY_WITHIN_S)
        if stack.running():
            banner(stack, env, passwords, embedded_idp, time.monotonic() - began)
            stack.wait()
    except TimeoutError as exc:
        say(str(exc))
        code = 1
    finally:
        if stack.gave_up is not None:
            code = 1
        say("stopping ...")
        stack.stop()
        say(f"stopped (exit code {code})")
    sys.exit(code)


if __name__ == "__main__":
    main()
