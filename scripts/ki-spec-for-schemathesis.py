#!/usr/bin/env python3
"""Writes the Klantinteracties spec as schemathesis can check it.

The spec models Partij and Actor as `oneOf` with a `discriminator` (soortPartij, soortActor).
Its variants overlap (a persoon is also a valid organisatie: every property is optional), so a
plain JSON Schema validator, which ignores the OpenAPI discriminator, finds every real object
"valid under more than one schema" and rejects it. The discriminator says which single variant
applies; `anyOf` is the nearest JSON Schema can say without it (the object must fit at least the
variants it matches). Everything else in the spec is left exactly as it is.

Usage: ki-spec-for-schemathesis.py SPEC.yaml OUT.yaml
"""
import sys

import yaml


def relax(node):
    if isinstance(node, dict):
        if "oneOf" in node and "discriminator" in node:
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            relax(value)
    elif isinstance(node, list):
        for value in node:
            relax(value)


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    relax(spec)
    with open(target, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, allow_unicode=True, sort_keys=False)


if __name__ == "__main__":
    main()
