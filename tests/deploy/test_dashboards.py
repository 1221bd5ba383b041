"""deploy/grafana/: the committed dashboards are what scripts/dashboards/ builds, and each
reads from the provisioned Prometheus through its `datasource` variable.
(tests/e2e/test_dashboards_on_prometheus.py runs every panel's query on a real Prometheus.)"""

import json
from pathlib import Path

from scripts.build_dashboards import OUT, render, stale

GRAFANA = Path(__file__).resolve().parents[2] / "deploy" / "grafana"
SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")


def dashboards() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(OUT.glob("*.json"))}


def test_the_committed_dashboards_are_the_generated_ones() -> None:
    assert stale() == [], "run: python -m scripts.build_dashboards"
    assert set(render()) == {f"liandong-{n}.json" for n in ("overview", *SERVICES)}


def test_every_panel_and_query_reads_the_datasource_variable() -> None:
    for name, board in dashboards().items():
        variables = {v["name"]: v for v in board["templating"]["list"]}
        assert variables["datasource"]["query"] == "prometheus", name
        panels = [p for p in board["panels"] if p["type"] != "row"]
        assert panels, name
        for panel in panels:
            assert panel["datasource"]["uid"] == "${datasource}", (name, panel["title"])
            assert panel["targets"], (name, panel["title"])
            for target in panel["targets"]:
                assert target["expr"] and target["datasource"]["uid"] == "${datasource}"


def test_panel_ids_and_dashboard_uids_are_unique() -> None:
    boards = dashboards().values()
    assert len({b["uid"] for b in boards}) == len(boards)
    for board in boards:
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids)), board["uid"]


def test_a_service_dashboard_selects_its_service_by_job_and_instance() -> None:
    for service in SERVICES:
        board = dashboards()[f"liandong-{service}.json"]
        variables = {v["name"]: v for v in board["templating"]["list"]}
        assert variables["job"]["query"] == service
        assert variables["instance"]["allValue"] == ".*"
        for panel in (p for p in board["panels"] if p["type"] != "row"):
            for target in panel["targets"]:
                assert 'job="$job", instance=~"$instance"' in target["expr"], panel["title"]


def test_provisioning_points_at_prometheus_by_uid_and_at_the_dashboards_folder() -> None:
    datasource = (GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text()
    assert "uid: prometheus" in datasource and "type: prometheus" in datasource
    provider = (GRAFANA / "provisioning" / "dashboards" / "liandong.yml").read_text()
    assert "type: file" in provider and "path: /var/lib/grafana/dashboards/liandong" in provider
