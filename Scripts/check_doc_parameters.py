#!/usr/bin/env python3
"""Fails when a public symbol of the package has no documentation comment,
or a public function, initializer or subscript leaves a parameter
undocumented.

    Scripts/check_doc_parameters.py SYMBOL_GRAPH_DIR

Reads the symbol graphs that Scripts/build_docs.sh emits and checks every
public symbol declared in this package's Sources: it must have a comment,
and each of its parameters must be named (by its argument label or its
local name) by a `- Parameter name:` line or an item of a `- Parameters:`
list. DocC itself only checks the parameters of comments that have a
parameter section. Symbols declared elsewhere (the standard library's
defaults, synthesized conformances) are not this package's to document.
"""
import json
import os
import re
import sys

PARAMETER = re.compile(r"^\s*-\s+Parameter\s+([A-Za-z_][A-Za-z0-9_]*)\s*:")
LIST_ITEM = re.compile(r"^\s*-\s+([A-Za-z_][A-Za-z0-9_]*)\s*:")
LIST_START = re.compile(r"^\s*-\s+Parameters\s*:")
SECTIONS = {"Returns", "Throws", "Note", "Precondition", "Complexity", "Important", "Warning"}


def documented_names(lines):
    names = set()
    in_list = False
    for line in lines:
        if LIST_START.match(line):
            in_list = True
            continue
        match = PARAMETER.match(line)
        if match:
            names.add(match.group(1))
            continue
        if in_list:
            item = LIST_ITEM.match(line)
            if item and item.group(1) not in SECTIONS:
                names.add(item.group(1))
    return names


def main(directory):
    sources = os.path.join(os.getcwd(), "Sources") + os.sep
    missing = []
    seen = set()
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".symbols.json"):
            continue
        with open(os.path.join(directory, name)) as file:
            graph = json.load(file)
        for symbol in graph["symbols"]:
            if symbol.get("accessLevel") not in ("public", "open"):
                continue
            parameters = symbol.get("functionSignature", {}).get("parameters", [])
            comment = symbol.get("docComment")
            declared = symbol.get("location", {}).get("uri", "").removeprefix("file://")
            if not comment:
                if declared.startswith(sources):
                    line = symbol["location"]["position"]["line"] + 1
                    missing.append(f"{os.path.relpath(declared)}:{line}: {symbol['names']['title']}: no documentation comment")
                continue
            if not parameters:
                continue
            path = comment.get("uri", "").removeprefix("file://")
            if not path.startswith(sources):
                continue
            lines = [line["text"] for line in comment["lines"]]
            documented = documented_names(lines)
            undocumented = [p.get("internalName", p["name"]) for p in parameters
                            if p["name"] not in documented and p.get("internalName") not in documented]
            if not undocumented:
                continue
            line = comment["lines"][0]["range"]["start"]["line"] + 1 if comment["lines"] and "range" in comment["lines"][0] else 0
            key = (path, line, symbol["names"]["title"])
            if key in seen:
                continue
            seen.add(key)
            missing.append(f"{os.path.relpath(path)}:{line}: {symbol['names']['title']}: undocumented parameter(s) {', '.join(undocumented)}")
    for entry in sorted(missing):
        print(entry)
    if missing:
        print(f"{len(missing)} public symbol(s) without a comment or with undocumented parameters")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
