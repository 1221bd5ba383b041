"""deploy/k8s rendered by kustomize (both overlays), every object validated offline against
the Kubernetes 1.32 schemas (kubernetes-validate, strict) and the vendored CRD schemas,
scanned by checkov together with the Dockerfile; and what each overlay promises."""

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.toolenv import ROOT, kubectl, tool

K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.32.0"  # the cluster version we target (kubectl v1.32)
SERVICES = ("referral", "complaint", "sharing", "assistance", "escalation")
OVERLAYS = ("dev", "prod")


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          check=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("k8s")
    files = {}
    for overlay in OVERLAYS:
        done = run(kubectl(), "kustomize", str(K8S / "overlays" / overlay))
        assert done.returncode == 0, f"kubectl kustomize {overlay}:\n{done.stderr}"
        files[overlay] = out / f"{overlay}.yaml"
        files[overlay].write_text(done.stdout, encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def validated(rendered: dict[str, Path]) -> dict[str, dict[str, Any]]:
    results = {}
    for overlay, path in rendered.items():
        done = run(tool("python"), str(Path(__file__).with_name("validate_objects.py")),
                   str(path), str(K8S / "schemas"), KUBERNETES_VERSION)
        assert done.returncode == 0, done.stderr
        results[overlay] = json.loads(done.stdout)
    return results


@pytest.fixture(scope="module")
def checkov(rendered: dict[str, Path]) -> list[dict[str, Any]]:
    """One checkov run over both overlays and the Dockerfile, with .checkov.yaml's skips."""
    done = run(tool("checkov"), "--config-file", str(ROOT / ".checkov.yaml"),
               "--framework", "kubernetes", "dockerfile", "--output", "json",
               "-f", str(rendered["dev"]), "-f", str(rendered["prod"]),
               "-f", str(ROOT / "Dockerfile"), timeout=300)
    assert done.stdout.strip(), f"checkov printed nothing:\n{done.stderr[-3000:]}"
    reports = json.loads(done.stdout)
    return reports if isinstance(reports, list) else [reports]


def objects(validated: dict[str, dict[str, Any]], overlay: str, kind: str) -> dict[str, dict]:
    return {o["metadata"]["name"]: o for o in validated[overlay]["objects"] if o["kind"] == kind}


def config(validated: dict[str, dict[str, Any]], overlay: str) -> dict[str, str]:
    [settings] = [o["data"] for name, o in objects(validated, overlay, "ConfigMap").items()
                  if name.startswith("liandong-config-")]
    return settings


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_object_is_valid_for_kubernetes_and_the_operator_crds(
        validated: dict[str, dict[str, Any]], overlay: str) -> None:
    assert validated[overlay]["errors"] == []
    kinds = {o["kind"] for o in validated[overlay]["objects"]}
    assert {"StatefulSet", "Deployment", "NetworkPolicy", "PodDisruptionBudget",
            "ServiceMonitor", "PrometheusRule", "ConfigMap"} <= kinds


@pytest.mark.parametrize("scanned", ["dev.yaml", "prod.yaml", "Dockerfile"])
def test_checkov_finds_nothing_that_is_not_accepted(
        checkov: list[dict[str, Any]], scanned: str) -> None:
    results = [r for r in checkov if r.get("results")]
    assert {r["check_type"] for r in results} == {"kubernetes", "dockerfile"}
    assert all(r["summary"]["parsing_errors"] == 0 for r in results)
    passed = [c for r in results for c in r["results"]["passed_checks"]
              if c["file_path"].endswith(scanned)]
    failed = [f"{c['check_id']} {c['check_name']}: {c['resource']}"
              for r in results for c in r["results"]["failed_checks"]
              if c["file_path"].endswith(scanned)]
    skipped = [c for r in results for c in r["results"]["skipped_checks"]
               if c["file_path"].endswith(scanned)]
    assert passed, f"checkov checked nothing in {scanned}"
    assert failed == []
    unexplained = [c["check_id"] for c in skipped
                   if len(c["check_result"].get("suppress_comment") or "") < 20]
    assert unexplained == [], "every accepted finding gives its reason"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_runs_locked_down_with_probes_limits_and_a_budget(
        validated: dict[str, dict[str, Any]], overlay: str) -> None:
    deployments = objects(validated, overlay, "Deployment")
    assert set(deployments) == set(SERVICES)
    assert set(SERVICES) <= set(objects(validated, overlay, "PodDisruptionBudget"))
    assert set(SERVICES) <= set(objects(validated, overlay, "Service"))
    for name, deployment in deployments.items():
        pod = deployment["spec"]["template"]["spec"]
        [container] = pod["containers"]
        assert container["args"] == [name]
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {"requests", "limits"} <= set(container["resources"])
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert container["securityContext"] == {
            "runAsNonRoot": True, "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True, "capabilities": {"drop": ["ALL"]}}
        assert {m["mountPath"] for m in container["volumeMounts"]} >= {"/tmp"}


def test_prod_replicates_streams_writes_and_services(
        validated: dict[str, dict[str, Any]]) -> None:
    settings = config(validated, "prod")
    assert settings["NATS_STREAM_REPLICAS"] == "3"
    assert settings["MONGODB_WRITE_CONCERN"] == "majority"
    assert {d["spec"]["replicas"] for d in objects(validated, "prod", "Deployment").values()} == {3}
    assert set(objects(validated, "prod", "HorizontalPodAutoscaler")) == set(SERVICES)
    for statefulset in objects(validated, "prod", "StatefulSet").values():
        assert statefulset["spec"]["replicas"] == 3


def test_dev_runs_one_replica_of_each_service_on_small_volumes(
        validated: dict[str, dict[str, Any]]) -> None:
    assert {d["spec"]["replicas"] for d in objects(validated, "dev", "Deployment").values()} == {1}
    assert objects(validated, "dev", "HorizontalPodAutoscaler") == {}
    for statefulset in objects(validated, "dev", "StatefulSet").values():
        [claim] = statefulset["spec"]["volumeClaimTemplates"]
        assert claim["spec"]["resources"]["requests"]["storage"] in {"1Gi", "2Gi"}


def test_nats_is_a_three_node_jetstream_cluster_that_syncs_every_write(
        validated: dict[str, dict[str, Any]]) -> None:
    nats_conf = objects(validated, "prod", "ConfigMap")["nats-config"]["data"]["nats.conf"]
    assert "sync_interval: always" in nats_conf
    assert all(f"nats://nats-{i}.nats-headless:6222" in nats_conf for i in range(3))
    nats = objects(validated, "prod", "StatefulSet")["nats"]
    assert nats["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"


def test_network_policies_deny_by_default(validated: dict[str, dict[str, Any]]) -> None:
    deny = objects(validated, "prod", "NetworkPolicy")["default-deny"]["spec"]
    assert deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
