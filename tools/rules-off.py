#!/usr/bin/env python3
"""rules-off.py RULE... - print deploy/rules.yaml with the named rules
disabled (enabled: false), for tests and benchmarks that must not trip them
(one load generator sending thousands of requests is a rate abuse by
definition). Exits 1, naming it, when a rule is not found."""
import os
import re
import sys

BEHAVIOUR = ["rate", "brute_force", "credential_stuffing", "scanning", "bola",
             "grpc_unimplemented", "exfiltration"]


def main():
    names = sys.argv[1:]
    if names == ["behaviour"]:
        names = BEHAVIOUR
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "deploy", "rules.yaml")
    text = open(path).read()
    for rule in names:
        # the rule's block or flow mapping, up to its first `enabled: true`
        new, n = re.subn(r"(\n  %s:(?:\s*\{|\n(?:    .*\n)*?)\s*enabled: )true" % re.escape(rule),
                         lambda m: m.group(1) + "false", text, count=1)
        if n != 1:
            sys.exit("rules-off: no enabled rule '%s' in %s" % (rule, path))
        text = new
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
