#!/usr/bin/python3
"""compose_service.py FILE SERVICE - one service of a compose file as
`podman run` arguments, one a line (the image and its command last), with
${VAR}, ${VAR:-default} and $$ taken from the environment as compose does
and relative bind-mount sources made relative to FILE's folder.

For a service Debian 12's podman-compose (1.0.3) cannot run: it drops
`pid` and adds its project network to `network_mode: host`, which podman
refuses. Only the keys below are known; any other key fails (exit 2), so
no setting of the file is silently left out.
"""
import os
import re
import sys

import yaml

VAR = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")


def subst(v):
    if isinstance(v, str):
        def one(m):
            if m.group(1):
                return "$"
            name = m.group(2) or m.group(4)
            val = os.environ.get(name, "")
            return val if val or m.group(3) is None else m.group(3)
        return VAR.sub(one, v)
    if isinstance(v, list):
        return [subst(x) for x in v]
    if isinstance(v, dict):
        return {k: subst(x) for k, x in v.items()}
    return v


def fail(msg):
    sys.stderr.write("compose_service: %s\n" % msg)
    sys.exit(2)


def main():
    path, name = sys.argv[1], sys.argv[2]
    base = os.path.dirname(os.path.abspath(path))
    with open(path) as f:
        doc = yaml.safe_load(f)
    svc = doc.get("services", {}).get(name)
    if svc is None:
        fail("no service %s in %s" % (name, path))
    svc = subst(svc)
    args = []
    for key, val in svc.items():
        if key == "image" or key == "command" or key == "depends_on":
            continue  # the image last; the caller starts services in order
        elif key == "privileged":
            if val:
                args.append("--privileged")
        elif key == "pid":
            args.append("--pid=%s" % val)
        elif key == "network_mode":
            args.append("--network=%s" % val)
        elif key in ("cap_add", "cap_drop"):
            args += ["--%s=%s" % (key.replace("_", "-"), c) for c in val]
        elif key == "environment":
            items = val.items() if isinstance(val, dict) else (e.split("=", 1) for e in val)
            args += ["--env=%s=%s" % (k, v) for k, v in items]
        elif key == "volumes":
            for vol in val:
                if not isinstance(vol, str):
                    fail("%s: long volume syntax not known" % name)
                src, rest = vol.split(":", 1)
                if src.startswith("."):
                    src = os.path.normpath(os.path.join(base, src))
                elif not src.startswith("/"):
                    fail("%s: named volume %s not known" % (name, src))
                args.append("--volume=%s:%s" % (src, rest))
        else:
            fail("%s: key %s not known" % (name, key))
    if "image" not in svc:
        fail("%s: no image" % name)
    args.append(svc["image"])
    cmd = svc.get("command", [])
    args += cmd if isinstance(cmd, list) else cmd.split()
    for a in args:
        if "\n" in a:
            fail("%s: a newline in %r" % (name, a))
    print("\n".join(args))


main()
