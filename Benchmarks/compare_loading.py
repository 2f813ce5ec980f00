#!/usr/bin/env python3
"""Reading a large CSV: MLPData's reader against numpy.loadtxt, in one run.

    python3 Benchmarks/compare_loading.py [--rows N]

Writes a seeded file of N rows (default 200 000) of 50 features with six
decimals and an integer label (a header line; ~95 MB), then alternates three
rounds of `kernels-bench csv --file` (best of 3 reads each) and
`numpy.loadtxt` (one read each), and prints every time and the ratio of the
bests. Needs numpy (pip); exits 0 with a message if it is missing.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

try:
    import numpy
except ImportError as error:
    print(f"skipped: {error}")
    sys.exit(0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=200_000)
rows = parser.parse_args().rows

BENCHMARKS = os.path.join(ROOT, "Benchmarks")
subprocess.run(["swift", "build", "-c", "release", "--product", "kernels-bench", "--package-path", BENCHMARKS], check=True, capture_output=True)
BIN = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path", "--package-path", BENCHMARKS],
                     check=True, capture_output=True, text=True).stdout.strip()

with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, "big.csv")
    generator = random.Random(1)
    with open(path, "w") as f:
        f.write(",".join(f"f{i}" for i in range(50)) + ",label\n")
        for r in range(rows):
            f.write(",".join("%.6f" % generator.gauss(0, 1) for _ in range(50)) + f",{r % 5}\n")
    print(f"{rows} rows × 51 fields, {os.path.getsize(path) / 1e6:.1f} MB")
    ours, theirs = [], []
    for round in range(3):
        out = subprocess.run([os.path.join(BIN, "kernels-bench"), "csv", "--file", path, "--json"],
                             check=True, capture_output=True, text=True).stdout
        ours.append(json.loads(out)["seconds"])
        start = time.perf_counter()
        numpy.loadtxt(path, delimiter=",", skiprows=1, dtype=numpy.float32)
        theirs.append(time.perf_counter() - start)
        print(f"round {round + 1}: MLPData.CSVReader {ours[-1]:.3f} s, numpy.loadtxt {theirs[-1]:.3f} s")
    print(f"best: MLPData.CSVReader {min(ours):.3f} s, numpy.loadtxt {min(theirs):.3f} s: {min(theirs) / min(ours):.2f}× numpy's speed")
