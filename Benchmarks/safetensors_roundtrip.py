#!/usr/bin/env python3
"""Round-trips a model through PyTorch via safetensors and checks the outputs.

    python3 Benchmarks/safetensors_roundtrip.py

1. trains a small network with `mlp train` on the digits CSV (no
   standardization, so the network alone defines the outputs);
2. exports it with `mlp convert --to model.safetensors`, loads it into a
   torch `nn.Sequential` and compares its softmax outputs with `mlp predict`;
3. halves the weights in PyTorch, saves them with safetensors, imports them
   with `mlp convert --from`, and compares again;
4. trains a standardized, string-labelled model on Data/iris, exports it
   (standardization folded into the first layer) and checks that PyTorch on
   raw inputs agrees with `mlp predict` (probabilities within 1e-5, the same
   class names, read from the file's metadata); exports it again with
   `--keep-normalization` and standardizes in PyTorch from the stored tensors;
   imports the folded file back and checks `mlp predict` again.

Needs `torch` and `safetensors` (pip); exits 0 with a message if they are missing.
"""
import csv
import json
import os
import sys
import tempfile

try:
    import torch
    from safetensors.torch import load_file, save_file
except ImportError as error:
    print(f"skipped: {error}")
    sys.exit(0)

from mlp_tools import ROOT, metadata, mlp


def network(state, sizes=(64, 32, 10)):
    """A ReLU MLP of `sizes` with the weights of `state` (layers.<l>.weight/.bias)."""
    layers = []
    for l, (inputs, outputs) in enumerate(zip(sizes, sizes[1:])):
        linear = torch.nn.Linear(inputs, outputs)
        linear.weight.data, linear.bias.data = state[f"layers.{l}.weight"], state[f"layers.{l}.bias"]
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def compare(model, features, predicted_csv, label, classes=None):
    rows = list(csv.reader(predicted_csv.strip().splitlines()))[1:]
    ours = torch.tensor([[float(p) for p in row[1:]] for row in rows])
    with torch.no_grad():
        theirs = torch.softmax(model(features), dim=1)
    error = (ours - theirs).abs().max().item()
    print(f"{label}: max |mlp − torch| = {error:.2e} over {ours.numel()} probabilities")
    ok = error < 1e-5
    if classes is not None:
        names = [classes[i] for i in theirs.argmax(dim=1).tolist()]
        agree = sum(a == row[0] for a, row in zip(names, rows))
        print(f"{label}: classes agree on {agree} of {len(rows)} rows")
        ok = ok and agree == len(rows)
    return ok


with tempfile.TemporaryDirectory() as work:
    data = os.path.join(ROOT, "Data", "digits")
    mlp("train", "--train", os.path.join(data, "digits_train.csv"), "--hidden", "32", "--epochs", "5",
        "--quiet", "--save", "model.mlp", cwd=work)
    with open(os.path.join(data, "digits_test.csv")) as f:
        rows = [line.rsplit(",", 1)[0] for line in f.read().strip().splitlines()]
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

    iris = os.path.join(ROOT, "Data", "iris")
    mlp("train", "--train", os.path.join(iris, "iris_train.csv"), "--hidden", "16", "--epochs", "50", "--standardize",
        "--quiet", "--save", "iris.mlp", cwd=work)
    test = os.path.join(iris, "iris_test.csv")
    with open(test) as f:
        raw = torch.tensor([[float(v) for v in line.split(",")[:-1]] for line in f.read().strip().splitlines()[1:]])
    predicted = mlp("predict", "--model", "iris.mlp", "--input", test, "--probabilities", cwd=work)
    mlp("convert", "--model", "iris.mlp", "--to", "iris.safetensors", cwd=work)
    info = metadata(os.path.join(work, "iris.safetensors"))
    classes = json.loads(info["classes"])
    print(f"metadata: {info}")
    model = network(load_file(os.path.join(work, "iris.safetensors")), (4, 16, 3))
    ok = compare(model, raw, predicted, "standardized export, raw inputs", classes) and ok

    mlp("convert", "--model", "iris.mlp", "--keep-normalization", "--to", "kept.safetensors", cwd=work)
    kept = load_file(os.path.join(work, "kept.safetensors"))
    standardized = (raw - kept["normalization.mean"]) * kept["normalization.scale"]
    ok = compare(network(kept, (4, 16, 3)), standardized, predicted, "kept normalization", classes) and ok

    mlp("convert", "--from", "iris.safetensors", "--to", "back.mlp", cwd=work)
    again = mlp("predict", "--model", "back.mlp", "--input", test, "--probabilities", cwd=work)
    ok = compare(model, raw, again, ".mlp → .safetensors → .mlp", classes) and ok
    print("round trip OK" if ok else "round trip FAILED")
    sys.exit(0 if ok else 1)
