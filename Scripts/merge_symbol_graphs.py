#!/usr/bin/env python3
"""Merges re-exported modules' symbol graphs into the module that re-exports them.

    python3 Scripts/merge_symbol_graphs.py SYMBOL_GRAPH_DIR OUT_DIR Kernels=KernelsCore MLP MLPData MLPCommand

`Kernels` re-exports `KernelsCore` (`@_exported import`): its users see one
module, so its documentation must be one module too. DocC reads one symbol
graph per module, so this writes, for each `Module[=Reexported,…]`, a
`Module.symbols.json` into OUT_DIR holding the module's symbols and
relationships plus those of the modules it re-exports. Used by `.ci/run` and
the README's documentation command.
"""
import json
import os
import sys

source, output = sys.argv[1], sys.argv[2]
os.makedirs(output, exist_ok=True)
for spec in sys.argv[3:]:
    module, _, extra = spec.partition("=")
    with open(os.path.join(source, f"{module}.symbols.json")) as f:
        graph = json.load(f)
    for name in filter(None, extra.split(",")):
        with open(os.path.join(source, f"{name}.symbols.json")) as f:
            other = json.load(f)
        graph["symbols"] += other["symbols"]
        graph["relationships"] += other["relationships"]
    with open(os.path.join(output, f"{module}.symbols.json"), "w") as f:
        json.dump(graph, f)
