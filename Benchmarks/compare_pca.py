#!/usr/bin/env python3
"""PCA and symmetric eigendecomposition: kernels-bench against numpy and scikit-learn.

Runs `kernels-bench pca --json` (1 thread and --threads N), then numpy's
`linalg.eigh` and scikit-learn's `PCA` (solvers full, covariance_eigh,
randomized) on the same matrices in the same run, each limited to the same
thread count through threadpoolctl, and prints the ratio table of
Docs/Performance.md. Also checks that the explained-variance ratios of the
Swift top-10 fit are within 1e-4 of numpy's full solution.

The matrix is the recipe of Docs/PCA.md, computed here with the same
counter-based generator as Benchmarks/KernelsBench/PCASuite.swift.

usage: Benchmarks/compare_pca.py [--bench PATH] [--quick] [--threads N]
"""
import argparse
import contextlib
import json
import subprocess
import sys
import time

try:
    import numpy as np
except ImportError:
    sys.exit("compare_pca.py needs numpy (pip install numpy scikit-learn threadpoolctl)")

MASK = (1 << 64) - 1


def splitmix64(x):
    z = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(MASK)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def gaussian(stream, count):
    with np.errstate(over="ignore"):
        counter = (np.uint64(stream) << np.uint64(40)) + np.uint64(2) * np.arange(count, dtype=np.uint64)
        u1 = ((splitmix64(counter) >> np.uint64(11)) + np.uint64(1)).astype(np.float64) * 2.0**-53
        u2 = (splitmix64(counter + np.uint64(1)) >> np.uint64(11)).astype(np.float64) * 2.0**-53
    return np.sqrt(-2 * np.log(u1)) * np.cos(2 * np.pi * u2)


def benchmark_matrix(n, d, rank=50):
    """(n × d) float32: G1·diag(1/i)·G2ᵀ/√d + 0.01·G3, column-major streams as in Swift."""
    left = gaussian(1, n * rank).reshape(rank, n).T / np.arange(1, rank + 1)
    right = gaussian(2, d * rank).reshape(rank, d).T
    noise = 0.01 * gaussian(3, n * d).reshape(d, n).T
    return (noise + left @ right.T / np.sqrt(d)).astype(np.float32)


def best_ms(function, repeats=3):
    function()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best * 1e3


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", default="Benchmarks/.build/release/kernels-bench")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    command = [args.bench, "pca", "--json", "--threads", str(args.threads)] + (["--quick"] if args.quick else [])
    swift = [json.loads(line) for line in subprocess.run(command, check=True, capture_output=True, text=True).stdout.splitlines()]
    n, d = (2000, 256) if args.quick else (10000, 784)
    x = benchmark_matrix(n, d)
    centred = x - x.mean(axis=0)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
        print("(threadpoolctl missing: numpy and scikit-learn use every thread)")
    try:
        from sklearn.decomposition import PCA
    except ImportError:
        PCA = None
        print("(scikit-learn missing: its rows are skipped)")

    def ours(task, size, threads):
        return next(r["ms"] for r in swift if r["task"] == task and r["n"] == size and r["threads"] == threads)

    rows = []
    exact_ratios = None
    for threads in sorted({1, args.threads}):
        limit = threadpool_limits(limits=threads) if threadpool_limits else contextlib.nullcontext()
        limit.__enter__()
        for size in ([256] if args.quick else [256, d]):
            c = (centred[:, :size].T @ centred[:, :size] / n).astype(np.float32)
            rows.append((f"eigh {size}×{size}", threads, ours("eigh", size, threads), "numpy eigh", best_ms(lambda: np.linalg.eigh(c))))
            rows.append((f"eigh top-10 {size}×{size}", threads, ours("eigh-topk", size, threads), "numpy eigh (all)", best_ms(lambda: np.linalg.eigh(c))))
        covariance = ours("covariance", n, threads)
        rows.append((f"covariance {n}×{d}", threads, covariance, "numpy Xcᵀ·Xc", best_ms(lambda: centred.T @ centred)))
        if PCA is not None:
            for solver in ["full", "covariance_eigh", "randomized"]:
                model = lambda: PCA(n_components=10, svd_solver=solver, random_state=0).fit(x)
                rows.append((f"PCA(10) {n}×{d}", threads, ours("fit", n, threads), f"sklearn {solver}", best_ms(model, repeats=2)))
        if exact_ratios is None:
            values = np.linalg.eigh(np.cov(x.astype(np.float64), rowvar=False))[0][::-1]
            exact_ratios = values[:10] / values.sum()
        limit.__exit__(None, None, None)

    print(f"{'task':<26} {'threads':>7} {'ours ms':>9}  {'peer':<22} {'peer ms':>9} {'peer/ours':>9}")
    for task, threads, mine, peer, theirs in rows:
        print(f"{task:<26} {threads:>7} {mine:>9.1f}  {peer:<22} {theirs:>9.1f} {theirs / mine:>9.2f}")
    fitted = next(r for r in swift if r["task"] == "fit" and r["threads"] == 1)["explained_variance_ratio"]
    error = max(abs(a - b) for a, b in zip(fitted, exact_ratios))
    print(f"explained-variance ratios of the top-10 fit: largest difference from numpy's float64 full solution {error:.2e}"
          f" ({'within' if error <= 1e-4 else 'NOT within'} 1e-4)")


if __name__ == "__main__":
    main()
