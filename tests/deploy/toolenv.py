"""Where the deploy checks find their tools: checkov, kubernetes-validate and hadolint in
the separate `.venv-tools` (`make tools`, from requirements-tools.lock), kubectl on PATH."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS_BIN = ROOT / ".venv-tools" / "bin"


def tool(name: str) -> str:
    """The path of a tool from .venv-tools; the test fails, saying how to get it, if absent."""
    path = TOOLS_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make tools` (builds .venv-tools from "
                    "requirements-tools.lock); `make test` does it for you")
    return str(path)


def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.fail("kubectl is missing (v1.32+, it embeds kustomize): install it from "
                    "https://kubernetes.io/docs/tasks/tools/ (e.g. the Debian/Ubuntu "
                    "package `kubectl` of pkgs.k8s.io) and put it on PATH")
    return path
