"""The PrometheusRule and the dashboards ConfigMap in deploy/k8s/base/monitoring/ are what
scripts/render_monitoring.py makes of deploy/prometheus/rules and deploy/grafana/dashboards:
an edited rule or dashboard without `make monitoring` fails here."""

import subprocess

from tests.deploy.toolenv import ROOT, tool

SCRIPT = ROOT / "scripts" / "render_monitoring.py"


def test_the_generated_monitoring_objects_are_up_to_date() -> None:
    done = subprocess.run([tool("python"), str(SCRIPT), "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr or done.stdout

