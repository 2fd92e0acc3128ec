#!/usr/bin/env python3
"""tools/lint-manifests.py - check sidewatch's deployment files.

Parses every *.yaml / *.yml under deploy/ (all documents), then checks:
  - Kubernetes objects: apiVersion, kind, metadata.name; a DaemonSet or
    Deployment has spec.selector.matchLabels matching its template labels
    and at least one container with name and image; a Service has a
    selector that matches some workload's template labels, and ports;
  - the collector DaemonSet: privileged, hostPID, hostNetwork, and the
    /sys/fs/bpf and /sys/kernel hostPath mounts; each node's own key
    ($(SIDEWATCH_NAME).key, made at first start, in a hostPath), never a
    key shared through a Secret;
  - secretKeyRef / secret volumes name a Secret (the correlator's PostgreSQL
    URL must come from one);
  - compose.yaml: services with image, the correlator depends on postgres;
  - deploy/systemd/*.service: [Service] ExecStart= runs an installed binary
    (/usr/local/bin/sidewatch-collector or -correlator) with a config under
    /etc/sidewatch/, and [Install] exists.
SW_DEPLOY_DIR checks another directory. Prints one line per problem and exits 1 when there is any; python3 standard
library plus python3-yaml (Debian).
"""
import configparser
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOY = os.environ.get("SW_DEPLOY_DIR") or os.path.join(ROOT, "deploy")
BINARIES = {
    "sidewatch-collector.service": "/usr/local/bin/sidewatch-collector",
    "sidewatch-correlator.service": "/usr/local/bin/sidewatch-correlator",
}

problems = []
checked = []


def bad(where, what):
    problems.append(f"{where}: {what}")


def get(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def check_workload(where, doc, workloads):
    kind = doc["kind"]
    spec = doc.get("spec") or {}
    sel = get(spec, "selector", "matchLabels")
    labels = get(spec, "template", "metadata", "labels")
    if not sel:
        bad(where, f"{kind} has no spec.selector.matchLabels")
    elif not labels or any(labels.get(k) != v for k, v in sel.items()):
        bad(where, f"{kind} selector {sel} does not match template labels {labels}")
    pod = get(spec, "template", "spec") or {}
    containers = pod.get("containers") or []
    if not containers:
        bad(where, f"{kind} has no containers")
    for c in containers:
        if not c.get("name") or not c.get("image"):
            bad(where, f"{kind} container without name or image: {c.get('name')}")
    workloads.append((where, doc, labels or {}))
    return pod, containers


def check_collector(where, pod, containers):
    if pod.get("hostPID") is not True:
        bad(where, "collector needs hostPID: true (sees every process)")
    if pod.get("hostNetwork") is not True:
        bad(where, "collector needs hostNetwork: true")
    vols = {v.get("name"): get(v, "hostPath", "path") for v in pod.get("volumes") or []}
    for c in containers:
        if get(c, "securityContext", "privileged") is not True:
            bad(where, f"container {c.get('name')} must be privileged (eBPF, netns)")
        mounts = {m.get("mountPath"): vols.get(m.get("name")) for m in c.get("volumeMounts") or []}
        for path in ("/sys/fs/bpf", "/sys/kernel"):
            if mounts.get(path) != path:
                bad(where, f"container {c.get('name')} needs hostPath {path} mounted at {path}")
        check_node_key(where, c, mounts)


def check_node_key(where, c, mounts):
    """Each node its own key: the correlator admits a key as one host name,
    so a key shared through a Secret would make every node but one refused
    (and let any node speak for all)."""
    args = [str(a) for a in c.get("args") or []]
    env = {e.get("name"): e.get("value") for e in c.get("env") or []}
    key = args[args.index("--key") + 1] if "--key" in args[:-1] else env.get("SIDEWATCH_COLLECTOR_KEY")
    if not key:
        bad(where, f"container {c.get('name')}: no --key (each node needs its own CURVE key)")
        return
    if "$(SIDEWATCH_NAME)" not in key:
        bad(where, f"container {c.get('name')}: --key {key} is not per node (name it $(SIDEWATCH_NAME).key)")
    if env.get("SIDEWATCH_COLLECTOR_KEY_CREATE") != "true":
        bad(where, f"container {c.get('name')}: SIDEWATCH_COLLECTOR_KEY_CREATE must be \"true\" (a node makes its own key)")
    keydir = os.path.dirname(key)
    if mounts.get(keydir) is None:
        bad(where, f"container {c.get('name')}: the key directory {keydir} must be a hostPath (a node's key outlives its pod, never a shared Secret)")


def check_secrets(where, pod, containers, need_pg):
    has_pg = False
    for c in containers:
        for e in c.get("env") or []:
            ref = get(e, "valueFrom", "secretKeyRef")
            if ref is not None and (not ref.get("name") or not ref.get("key")):
                bad(where, f"env {e.get('name')}: secretKeyRef needs name and key")
            if e.get("name") == "SIDEWATCH_PG":
                if ref is None:
                    bad(where, "SIDEWATCH_PG must come from a Secret (secretKeyRef), not a literal")
                has_pg = True
    for v in pod.get("volumes") or []:
        if "secret" in v and not get(v, "secret", "secretName"):
            bad(where, f"volume {v.get('name')}: secret without secretName")
    if need_pg and not has_pg:
        bad(where, "correlator gets no SIDEWATCH_PG from a Secret")


def check_k8s(path, docs):
    workloads, services = [], []
    for i, doc in enumerate(docs):
        where = f"{os.path.relpath(path, ROOT)}#{i}"
        if not isinstance(doc, dict):
            bad(where, "document is not a mapping")
            continue
        for key in ("apiVersion", "kind"):
            if not doc.get(key):
                bad(where, f"missing {key}")
        if not get(doc, "metadata", "name"):
            bad(where, "missing metadata.name")
            continue
        kind = doc.get("kind")
        name = doc["metadata"]["name"]
        checked.append(f"{kind}/{name}")
        if kind in ("DaemonSet", "Deployment"):
            if doc.get("apiVersion") != "apps/v1":
                bad(where, f"{kind} wants apiVersion apps/v1")
            pod, containers = check_workload(where, doc, workloads)
            if kind == "DaemonSet" and "collector" in name:
                check_collector(where, pod, containers)
            check_secrets(where, pod, containers, "correlator" in name)
        elif kind == "Service":
            if doc.get("apiVersion") != "v1":
                bad(where, "Service wants apiVersion v1")
            if not get(doc, "spec", "ports"):
                bad(where, "Service has no ports")
            services.append((where, doc))
    for where, svc in services:
        sel = get(svc, "spec", "selector") or {}
        if not sel:
            bad(where, "Service has no selector")
        elif not any(all(l.get(k) == v for k, v in sel.items()) for _, _, l in workloads):
            bad(where, f"Service selector {sel} matches no workload in the file")
        ports = set()
        for _, w, _ in workloads:
            for c in get(w, "spec", "template", "spec", "containers") or []:
                ports |= {p.get("name") for p in c.get("ports") or []}
        for p in get(svc, "spec", "ports") or []:
            t = p.get("targetPort")
            if isinstance(t, str) and t not in ports:
                bad(where, f"Service port {p.get('name')}: targetPort {t} is no container port")


def check_compose(path, doc):
    where = os.path.relpath(path, ROOT)
    services = get(doc, "services") or {}
    if not services:
        bad(where, "no services")
    for name, s in services.items():
        checked.append(f"compose/{name}")
        if not isinstance(s, dict) or not (s.get("image") or s.get("build")):
            bad(where, f"service {name} has no image or build")
    corr = services.get("correlator")
    if not corr:
        bad(where, "no correlator service")
    elif "postgres" not in (corr.get("depends_on") or {}):
        bad(where, "correlator does not depend on postgres")
    if "postgres" not in services:
        bad(where, "no postgres service")


def check_unit(path):
    where = os.path.relpath(path, ROOT)
    cp = configparser.ConfigParser(strict=False, interpolation=None)
    cp.optionxform = str
    try:
        cp.read(path)
    except configparser.Error as e:
        bad(where, f"not a unit file: {e}")
        return
    checked.append(os.path.basename(path))
    for sec in ("Unit", "Service", "Install"):
        if not cp.has_section(sec):
            bad(where, f"missing [{sec}]")
    exe = cp.get("Service", "ExecStart", fallback="")
    want = BINARIES.get(os.path.basename(path))
    argv = exe.split()
    if not argv:
        bad(where, "no ExecStart")
    elif want and argv[0] != want:
        bad(where, f"ExecStart runs {argv[0]}, want {want}")
    elif "--config" not in argv or not argv[argv.index("--config") + 1:][:1] or \
            not argv[argv.index("--config") + 1].startswith("/etc/sidewatch/"):
        bad(where, "ExecStart should pass --config /etc/sidewatch/...")
    if not cp.get("Install", "WantedBy", fallback=""):
        bad(where, "[Install] has no WantedBy")


def main():
    for dirpath, _, files in sorted(os.walk(DEPLOY)):
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            if f.endswith((".yaml", ".yml")):
                try:
                    with open(path) as fh:
                        docs = [d for d in yaml.safe_load_all(fh) if d is not None]
                except yaml.YAMLError as e:
                    bad(os.path.relpath(path, ROOT), f"YAML error: {e}")
                    continue
                checked.append(os.path.relpath(path, ROOT))
                if os.path.basename(dirpath) == "k8s":
                    check_k8s(path, docs)
                elif f.startswith("compose"):
                    check_compose(path, docs[0] if docs else {})
                elif docs and not isinstance(docs[0], dict):
                    bad(os.path.relpath(path, ROOT), "settings file is not a mapping")
            elif f.endswith(".service"):
                check_unit(path)
    for p in problems:
        print(f"lint-manifests: {p}")
    print(f"lint-manifests: {len(checked)} checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
