#!/usr/bin/env bash
# Builds the DocC documentation of Kernels, MLP, MLPData and MLPCommand with
# the toolchain's own docc, from symbol graphs (no package plugin: the root
# package stays dependency-free), and fails on any warning, on a public
# symbol without a comment, or on an undocumented parameter
# (Scripts/check_doc_parameters.py: docc checks parameters only where a
# comment has a parameter section).
#
#   Scripts/build_docs.sh [OUTPUT_DIR]    # default .build/docs; then open OUTPUT_DIR/<Module>.doccarchive
#
# Kernels re-exports KernelsCore, so their symbol graphs are merged into one
# module first (Scripts/merge_symbol_graphs.py).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/docs}
scratch=.build/docs-build
graphs="$scratch/symbol-graphs"   # kept between runs: an incremental build re-emits only what it recompiles
mkdir -p "$graphs" "$out"
swift build --scratch-path "$scratch" --target MLPCommand \
    -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs" > "$scratch/build.log" 2>&1 \
    || { tail -30 "$scratch/build.log"; exit 1; }
python3 Scripts/check_doc_parameters.py "$graphs"
rm -rf "$scratch/merged" && python3 Scripts/merge_symbol_graphs.py "$graphs" "$scratch/merged" Kernels=KernelsCore MLP MLPData MLPCommand
for module in Kernels MLP MLPData MLPCommand; do
    rm -rf "$scratch/one" && mkdir -p "$scratch/one" && cp "$scratch/merged/$module.symbols.json" "$scratch/one/"
    docc convert "Sources/$module/$module.docc" --additional-symbol-graph-dir "$scratch/one" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.swift-mlp-kernels.$module" \
        --output-path "$out/$module.doccarchive" --warnings-as-errors > "$scratch/$module.log" 2>&1 \
        || { cat "$scratch/$module.log"; echo "docc: $module has warnings"; exit 1; }
    echo "$module: $out/$module.doccarchive"
done
