"""The Zero to JupyterHub deployment (deploy/kubernetes/), checked without a cluster.

The Helm values are loaded; the chart's own mapping of ``singleuser`` values to KubeSpawner
traits (the chart's ``jupyterhub/files/hub/jupyterhub_config.py``, for the keys these values use)
is applied; then the values' ``hub.extraConfig`` runs on that config, as it does in the hub pod.
A `KubeSpawner` built from the result (``_mock=True``, as KubeSpawner's own tests do; a
throwaway kubeconfig that is never contacted) makes the pod and volume manifests of two couples,
and those are what the tests check: one pod and one volume per couple account, Voila's start
page as the default URL, the image's non-root user, limits, and the same Voila options as
``workbook serve``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re
from pathlib import Path
from typing import Any

import kubespawner  # the test extra has it: a missing one fails here, never skips
import pytest
import yaml
from kubespawner.spawner import MockObject
from traitlets.config import Config

from workbook import serving, singleuser

ROOT = Path(__file__).resolve().parents[1]
VALUES = ROOT / "deploy" / "kubernetes" / "values.yaml"
GUIDE = ROOT / "deploy" / "kubernetes" / "README.md"

_KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
contexts: [{name: none, context: {cluster: none, user: none, namespace: healing}}]
current-context: none
users: [{name: none, user: {token: not-a-real-token}}]
"""


def values() -> dict[str, Any]:
    loaded = yaml.safe_load(VALUES.read_text())
    assert isinstance(loaded, dict)
    return loaded


def _get(tree: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def chart_config(vals: dict[str, Any]) -> Config:
    """What the chart's hub config makes of these values (only the keys used here), then
    ``hub.extraConfig`` run on it, as in the hub pod."""
    c = Config()
    c.JupyterHub.spawner_class = "kubespawner.KubeSpawner"
    for cls, traits in (_get(vals, "hub.config") or {}).items():
        for trait, value in traits.items():
            setattr(c[cls], trait, value)
    su = vals["singleuser"]
    for trait, key in (
        ("uid", "uid"),
        ("fs_gid", "fsGid"),
        ("mem_limit", "memory.limit"),
        ("mem_guarantee", "memory.guarantee"),
        ("cpu_limit", "cpu.limit"),
        ("cpu_guarantee", "cpu.guarantee"),
        ("environment", "extraEnv"),
    ):
        value = _get(su, key)
        if value is not None:
            setattr(c.KubeSpawner, trait, value)
    c.KubeSpawner.image = f"{su['image']['name']}:{su['image']['tag']}"
    if su.get("allowPrivilegeEscalation") is not None:
        c.KubeSpawner.container_security_context = {
            "allowPrivilegeEscalation": su["allowPrivilegeEscalation"]
        }
    storage = su["storage"]
    assert storage["type"] == "dynamic"
    dynamic = storage["dynamic"]
    c.KubeSpawner.pvc_name_template = dynamic["pvcNameTemplate"]
    c.KubeSpawner.storage_pvc_ensure = True
    if dynamic.get("storageClass") is not None:
        c.KubeSpawner.storage_class = dynamic["storageClass"]
    c.KubeSpawner.storage_access_modes = dynamic["storageAccessModes"]
    c.KubeSpawner.storage_capacity = storage["capacity"]
    c.KubeSpawner.volumes = [
        {
            "name": dynamic["volumeNameTemplate"],
            "persistentVolumeClaim": {"claimName": dynamic["pvcNameTemplate"]},
        }
    ]
    c.KubeSpawner.volume_mounts = [
        {"mountPath": storage["homeMountPath"], "name": dynamic["volumeNameTemplate"]}
    ]
    c.Spawner.cmd = su["cmd"]
    c.Spawner.default_url = su["defaultUrl"]
    for name, code in sorted((_get(vals, "hub.extraConfig") or {}).items()):
        exec(compile(code, f"hub.extraConfig.{name}", "exec"), {"c": c})
    return c


def manifests(config: Config, account: str, uid: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pod and volume claim KubeSpawner would create for one couple's account."""

    async def build() -> tuple[dict[str, Any], dict[str, Any]]:
        user = MockObject()
        user.name, user.id, user.url = account, uid, f"/user/{account}/"
        spawner = kubespawner.KubeSpawner(config=config, _mock=True, user=user)
        pod = (await spawner.get_pod_manifest()).to_dict()
        pvc = spawner.get_pvc_manifest().to_dict()
        return pod, pvc

    # Its own thread: a session's Playwright browser (tests/browser) keeps an event loop running
    # in the main thread, where asyncio.run() refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, build()).result()


@pytest.fixture
def couples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(_KUBECONFIG)
    # Read at import time from $KUBECONFIG by kubernetes_asyncio, so set where it looks now.
    from kubernetes_asyncio.config import kube_config

    monkeypatch.setattr(kube_config, "KUBE_CONFIG_DEFAULT_LOCATION", str(kubeconfig))
    config = chart_config(values())
    return {name: manifests(config, name, i) for i, name in enumerate(("couple1", "couple2"), 1)}


def _container(pod: dict[str, Any]) -> dict[str, Any]:
    (container,) = pod["spec"]["containers"]
    return container


def test_one_pod_and_one_volume_per_couple(couples: dict[str, Any]) -> None:
    pods = {name: pod for name, (pod, _) in couples.items()}
    claims = {name: pvc for name, (_, pvc) in couples.items()}
    assert {p["metadata"]["name"] for p in pods.values()} == {"healing-couple1", "healing-couple2"}
    assert {c["metadata"]["name"] for c in claims.values()} == {
        "healing-data-couple1",
        "healing-data-couple2",
    }
    for name, pod in pods.items():
        (volume,) = pod["spec"]["volumes"]
        assert volume["persistent_volume_claim"] == {"claimName": f"healing-data-{name}"}
        (mount,) = _container(pod)["volume_mounts"]
        assert (mount["mount_path"], mount["name"]) == ("/data", volume["name"])
        env = {e["name"]: e["value"] for e in _container(pod)["env"]}
        assert env["WORKBOOK_DATA"] == "/data", "the workbook file lives on the couple's volume"
        assert env["JUPYTERHUB_USER"] == name
    for claim in claims.values():
        # SQLite wants a disk of its own: ReadWriteOnce block storage, never a shared filesystem.
        assert claim["spec"]["access_modes"] == ["ReadWriteOnce"]
        assert claim["spec"]["resources"]["requests"]["storage"] == "1Gi"


def test_the_pod_runs_the_image_as_its_non_root_user(couples: dict[str, Any]) -> None:
    pod, _ = couples["couple1"]
    container = _container(pod)
    assert container["image"] == "registry.example.org/healing-together:0.2.0"
    # fsGroup: the couple's volume belongs to the image's user.
    assert pod["spec"]["security_context"]["fsGroup"] == 10001
    ctx = container["security_context"]
    assert ctx["runAsNonRoot"] is True
    assert ctx["runAsUser"] == 10001
    assert ctx["allowPrivilegeEscalation"] is False
    assert ctx["capabilities"] == {"drop": ["ALL"]}
    assert pod["spec"]["automount_service_account_token"] is False
    # The Containerfile's user is the same uid.
    assert "--uid 10001" in (ROOT / "Containerfile").read_text()


def test_voila_start_page_is_the_default_url(couples: dict[str, Any]) -> None:
    pod, _ = couples["couple1"]
    container = _container(pod)
    assert container["args"] == ["healing-together-singleuser"]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert env["JUPYTERHUB_DEFAULT_URL"] == f"/voila/render/{serving.START_PAGE}"


def test_limits_come_from_the_measurements(couples: dict[str, Any]) -> None:
    pod, _ = couples["couple1"]
    resources = _container(pod)["resources"]
    limit_mb = resources["limits"]["memory"] / 2**20
    request_mb = resources["requests"]["memory"] / 2**20
    # README.md, Performance: about 58 MB per step page's kernel, 104 MB for trends.
    # deploy/kubernetes/README.md: the couple's server itself about 110 MB with pages open.
    assert 110 + 5 * 58 + 104 <= limit_mb <= 1024, "two partners with three pages open each fit"
    assert request_mb >= 4 * 58
    assert float(resources["limits"]["cpu"]) == 1
    assert 0 < float(resources["requests"]["cpu"]) <= 0.1


def test_the_couple_server_uses_voila_options_of_workbook_serve() -> None:
    argv = singleuser.singleuser_argv()
    assert argv[0] == "jupyterhub-singleuser"
    options = serving.voila_options()
    start = argv.index(options[0])
    assert argv[start : start + len(options)] == options, "the same Voila options, in order"
    assert "--ServerApp.jpserver_extensions=voila.server_extension=True" in argv
    assert "--ServerApp.terminals_enabled=False" in argv
    assert f"--ServerApp.root_dir={ROOT / 'notebooks'}" in argv
    env = singleuser.singleuser_env({"JUPYTER_PATH": "/elsewhere"})
    assert env["JUPYTER_PATH"].split(":") == [str(serving.JUPYTER_DATA_ROOT), "/elsewhere"]


def test_culling_network_policy_and_no_shared_filesystem() -> None:
    vals = values()
    assert vals["cull"]["enabled"] is True
    assert vals["cull"]["timeout"] <= 3600
    su = vals["singleuser"]
    policy = su["networkPolicy"]
    assert policy["enabled"] is True
    assert vals["hub"]["networkPolicy"]["enabled"] is True
    rules = policy["egressAllowRules"]
    assert not any(rules[k] for k in ("privateIPs", "nonPrivateIPs", "cloudMetadataServer"))
    assert "ingress" not in policy, "only the hub and the proxy reach a couple's pod"
    assert su["storage"]["dynamic"]["storageAccessModes"] == ["ReadWriteOnce"]
    assert vals["hub"]["config"]["JupyterHub"]["admin_access"] is False
    text = VALUES.read_text()
    assert not re.search(r"^\s*(nfs|cephfs|azureFile)\s*:", text, re.MULTILINE)


def test_the_guide_gives_the_cost_per_couple() -> None:
    guide = GUIDE.read_text()
    for needed in ("helm upgrade --install", "values.yaml", "per couple", "MB", "CPU", "NFS"):
        assert needed in guide, f"the guide does not mention {needed!r}"


def test_a_couples_pod_keeps_secrets_and_step_8_out_of_its_log() -> None:
    """Regression: the pod's server lacked the extension that scrubs the log (the hub's
    single-machine servers had it; the two argument lists had drifted apart)."""
    argv = singleuser.singleuser_argv()
    assert "--ServerApp.jpserver_extensions=workbook.kernel_guard=True" in argv
    hub_config = (ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py").read_text()
    assert "*SERVER_ARGS" in hub_config, "the hub's servers take the same list"
