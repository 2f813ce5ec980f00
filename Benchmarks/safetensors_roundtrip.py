#!/usr/bin/env python3
"""Round-trips a model through PyTorch via safetensors and checks the outputs.

    python3 Benchmarks/safetensors_roundtrip.py

1. trains a small network with `mlp train` on the digits CSV (no
   standardization, so the network alone defines the outputs);
2. exports it with `mlp convert --to model.safetensors`, loads it into a
   torch `nn.Sequential` and compares its softmax outputs with `mlp predict`;
3. halves the weights in PyTorch, saves them with safetensors, imports them
   with `mlp convert --from`, and compares again.

Needs `torch` and `safetensors` (pip); exits 0 with a message if they are missing.
"""
import csv
import os
import subprocess
import sys
import tempfile

try:
    import torch
    from safetensors.torch import load_file, save_file
except ImportError as error:
    print(f"skipped: {error}")
    sys.exit(0)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


subprocess.run(["swift", "build", "-c", "release", "--product", "mlp", "--package-path", ROOT], check=True, capture_output=True)
BIN = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path", "--package-path", ROOT],
                     check=True, capture_output=True, text=True).stdout.strip()


def mlp(*args, cwd):
    return subprocess.run([os.path.join(BIN, "mlp"), *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def network(state):
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    model[0].weight.data, model[0].bias.data = state["layers.0.weight"], state["layers.0.bias"]
    model[2].weight.data, model[2].bias.data = state["layers.1.weight"], state["layers.1.bias"]
    return model


def compare(model, features, predicted_csv, label):
    rows = list(csv.reader(predicted_csv.strip().splitlines()))[1:]
    ours = torch.tensor([[float(p) for p in row[1:]] for row in rows])
    with torch.no_grad():
        theirs = torch.softmax(model(features), dim=1)
    error = (ours - theirs).abs().max().item()
    print(f"{label}: max |mlp − torch| = {error:.2e} over {ours.numel()} probabilities")
    return error < 1e-5


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(ROOT, "Data", "digits")
    mlp("train", "--train", os.path.join(data, "digits_train.csv"), "--hidden", "32", "--epochs", "5",
        "--quiet", "--save", "model.mlp", cwd=work)
    with open(os.path.join(data, "digits_test.csv")) as f:
        rows = [line.split(",", 1)[1] for line in f.read().strip().splitlines()]
    with open(os.path.join(work, "features.csv"), "w") as f:
        f.write("".join(r + "\n" for r in rows))
    features = torch.tensor([[float(v) for v in r.split(",")] for r in rows])

    mlp("convert", "--model", "model.mlp", "--to", "model.safetensors", cwd=work)
    model = network(load_file(os.path.join(work, "model.safetensors")))
    ok = compare(model, features, mlp("predict", "--model", "model.mlp", "--input", "features.csv", "--probabilities", cwd=work), "export")

    halved = {name: tensor * 0.5 for name, tensor in load_file(os.path.join(work, "model.safetensors")).items()}
    save_file(halved, os.path.join(work, "torch.safetensors"))
    mlp("convert", "--from", "torch.safetensors", "--units", "relu,softmax", "--to", "imported.mlp", cwd=work)
    ok = compare(network(halved), features, mlp("predict", "--model", "imported.mlp", "--input", "features.csv", "--probabilities", cwd=work), "import") and ok
    print("round trip OK" if ok else "round trip FAILED")
    sys.exit(0 if ok else 1)
