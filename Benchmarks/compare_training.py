#!/usr/bin/env python3
"""Runs the training suite's networks in numpy (float32) and PyTorch (CPU), and
this library's `kernels-bench training` in the same run, and prints the ratios.

    python3 Benchmarks/compare_training.py [--threads N] [--quick]

- "lecture": 64 samples, 1000 -> 100 -> 10, ReLU, no bias, sum of squares,
  plain gradient descent (lr 1e-6), 500 iterations: the classic numpy example.
- "784-256-128-10": ReLU, softmax cross-entropy, Adam (lr 1e-3), batch 128;
  and its one-sample forward pass (our predict through a PredictionWorkspace,
  torch's model(x) under torch.no_grad()).

numpy or torch missing: that column says n/a. Thread counts: numpy's BLAS and
torch are limited with OMP/OPENBLAS_NUM_THREADS and torch.set_num_threads.
"""
import argparse
import json
import os
import subprocess
import sys
import time


def numpy_lecture(iterations):
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 1000), dtype=np.float32)
    y = rng.standard_normal((64, 10), dtype=np.float32)
    w1 = rng.standard_normal((1000, 100), dtype=np.float32)
    w2 = rng.standard_normal((100, 10), dtype=np.float32)
    lr = np.float32(1e-6)
    start = time.perf_counter()
    for _ in range(iterations):
        h = x.dot(w1)
        h_relu = np.maximum(h, 0)
        y_pred = h_relu.dot(w2)
        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T.dot(grad_y_pred)
        grad_h = grad_y_pred.dot(w2.T)
        grad_h[h < 0] = 0
        grad_w1 = x.T.dot(grad_h)
        w1 -= lr * grad_w1
        w2 -= lr * grad_w2
    return (time.perf_counter() - start) / iterations


def torch_network_b(steps):
    import torch
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.randn(128, 784)
    y = torch.arange(128) % 10
    for _ in range(5):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    start = time.perf_counter()
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    return (time.perf_counter() - start) / steps


def torch_predict_one(calls):
    """Network B's forward pass on one sample under torch.no_grad(), seconds per call."""
    import torch
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10),
        torch.nn.Softmax(dim=1))
    x = torch.randn(1, 784)
    best = float("inf")
    with torch.no_grad():
        for _ in range(100):
            model(x)
        for _ in range(5):
            start = time.perf_counter()
            for _ in range(calls):
                model(x)
            best = min(best, (time.perf_counter() - start) / calls)
    return best


def in_subprocess(function, threads, count):
    """Runs `function(count)` in a fresh interpreter limited to `threads` threads."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
            f"import compare_training as c\n"
            f"try:\n    import torch; torch.set_num_threads({threads})\nexcept ImportError:\n    pass\n"
            f"print(c.{function}({count}))")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        return None
    return float(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench = ["swift", "run", "-c", "release", "--package-path", "Benchmarks", "kernels-bench", "training", "--json", "--threads", str(args.threads)]
    if args.quick:
        bench.append("--quick")
    ours, latency = {}, {}
    for line in subprocess.run(bench, capture_output=True, text=True, check=True).stdout.splitlines():
        row = json.loads(line)
        if row["suite"] == "training":
            ours[(row["model"], row["threads"])] = row["ms_per_step"] / 1e3
        elif row["suite"] == "inference" and row["batch"] == 1:
            latency[row["threads"]] = row["us_per_call"] / 1e6

    print(f"{'model':16} {'thr':>3} {'ours ms/step':>13} {'peer':>8} {'peer ms/step':>13} {'peer/ours':>10}")
    for threads in sorted({1, args.threads}):
        rows = [("lecture", "numpy", in_subprocess("numpy_lecture", threads, 100 if args.quick else 500)),
                ("784-256-128-10", "torch", in_subprocess("torch_network_b", threads, 50 if args.quick else 300))]
        for model, peer, seconds in rows:
            mine = ours.get((model, threads))
            ratio = f"{seconds / mine:.2f}x" if seconds and mine else "n/a"
            peer_ms = f"{seconds * 1e3:.3f}" if seconds else "n/a"
            print(f"{model:16} {threads:>3} {mine * 1e3:>13.3f} {peer:>8} {peer_ms:>13} {ratio:>10}")

    print(f"\n{'one-sample predict':20} {'thr':>3} {'ours µs':>9} {'torch no_grad µs':>17} {'torch/ours':>11}")
    for threads in sorted({1, args.threads}):
        seconds, mine = in_subprocess("torch_predict_one", threads, 2000 if args.quick else 10000), latency.get(threads)
        ratio = f"{seconds / mine:.2f}x" if seconds and mine else "n/a"
        peer_us = f"{seconds * 1e6:.1f}" if seconds else "n/a"
        print(f"{'784-256-128-10':20} {threads:>3} {mine * 1e6 if mine else float('nan'):>9.1f} {peer_us:>17} {ratio:>11}")


if __name__ == "__main__":
    main()
