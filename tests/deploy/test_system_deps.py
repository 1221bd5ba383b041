"""scripts/system-deps, which `make test` runs first: as root it installs the missing
Debian packages; as anyone else it prints the one command to run and fails; with
everything present it does nothing. Run with a PATH of stand-ins (apt-get, id) so that
the machine's own packages stay as they are."""

import os
import subprocess
from pathlib import Path

from tests.deploy.toolenv import ROOT

SCRIPT = ROOT / "scripts" / "system-deps"


def stand_in(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/bash\n{body}\n")
    path.chmod(0o755)


def machine(tmp_path: Path, *, uid: int, present: tuple[str, ...]) -> Path:
    """A PATH with the basic tools, an apt-get that records its calls (an install puts
    the programs in place), `id -u` answering `uid`, and the programs in `present`."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("find", "sort", "cat", "chmod"):
        (bin_dir / tool).symlink_to(subprocess.check_output(["which", tool], text=True).strip())
    stand_in(bin_dir, "id", f"echo {uid}")
    stand_in(bin_dir, "apt-get", f"""echo "$*" >> {tmp_path}/apt.log
if [ "$1" = install ]; then
  for p in make prometheus promtool; do
    printf '#!/bin/bash\\n' > {bin_dir}/$p; chmod +x {bin_dir}/$p
  done
fi""")
    for program in present:
        stand_in(bin_dir, program, "true")
    return bin_dir


def run(bin_dir: Path, *packages: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/bash", str(SCRIPT), *packages], env={"PATH": str(bin_dir)},
                          capture_output=True, text=True, timeout=60, check=False)


def test_not_root_and_prometheus_missing_says_exactly_what_to_run(tmp_path: Path) -> None:
    done = run(machine(tmp_path, uid=1000, present=("make", "kubectl")))
    assert done.returncode == 1
    assert ("sudo apt-get update && sudo apt-get install -y --no-install-recommends "
            "prometheus") in done.stderr
    assert not (tmp_path / "apt.log").exists()


def test_root_installs_the_missing_packages(tmp_path: Path) -> None:
    bin_dir = machine(tmp_path, uid=0, present=("kubectl",))
    done = run(bin_dir)
    assert done.returncode == 0, done.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert "install -y -qq --no-install-recommends make prometheus" in calls
    assert all(os.access(bin_dir / p, os.X_OK) for p in ("make", "prometheus", "promtool"))


def test_nothing_to_do_when_everything_is_there(tmp_path: Path) -> None:
    done = run(machine(tmp_path, uid=1000,
                       present=("make", "prometheus", "promtool", "kubectl")))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert not (tmp_path / "apt.log").exists()


def test_more_packages_can_be_asked_for(tmp_path: Path) -> None:
    """Chromium is not installed by default; `scripts/system-deps chromium` adds it."""
    done = run(machine(tmp_path, uid=1000,
                       present=("make", "prometheus", "promtool", "kubectl")), "chromium")
    assert done.returncode == 1
    assert "sudo apt-get install -y --no-install-recommends chromium\n" in done.stderr
