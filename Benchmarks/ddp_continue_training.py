#!/usr/bin/env python3
"""Past one machine: continue training an `mlp` model with PyTorch DDP, then come back.

    python3 Benchmarks/ddp_continue_training.py [--epochs N] [--processes P]

The scale-out path of Docs/ScaleOut.md, end to end on localhost:

1. `mlp train` a standardized digits model for a few epochs (an under-trained
   starting point) and `mlp convert --to model.safetensors`: the folded export,
   so PyTorch trains on raw inputs and needs nothing but the tensors;
2. `torchrun --standalone --nproc_per_node=P` runs this file as P workers:
   each builds the `nn.Sequential` the file's metadata describes (units,
   widths), wraps it in `DistributedDataParallel` (gloo backend, CPU), reads
   its `DistributedSampler` share of the training CSV and trains with Adam;
   rank 0 writes `continued.safetensors` with the same metadata (classes,
   label column, features) and PyTorch's own test accuracy;
3. `mlp convert --from continued.safetensors` and `mlp evaluate` on the test
   CSV: the same test samples must be right as in PyTorch, and more than
   with the starting model.

Needs `torch` and `safetensors` (pip); exits 0 with a message if they are missing.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

try:
    import torch
    import torch.distributed as dist
    from safetensors.torch import load_file, save_file
except ImportError as error:
    print(f"skipped: {error}")
    sys.exit(0)

from mlp_tools import ROOT, metadata, mlp

DATA = os.path.join(ROOT, "Data", "digits")


def network(state, units):
    """`nn.Sequential` of Linear layers with the export's weights; hidden units
    from the metadata (ReLU here), the output left as logits (softmax is in the loss)."""
    layers, count = [], len(units)
    for l, unit in enumerate(units):
        weight = state[f"layers.{l}.weight"]
        linear = torch.nn.Linear(weight.shape[1], weight.shape[0])
        linear.weight.data, linear.bias.data = weight.clone(), state[f"layers.{l}.bias"].clone()
        layers.append(linear)
        if l < count - 1:
            if unit != "relu":
                raise SystemExit(f"this example builds ReLU hidden layers; layer {l} has {unit}")
            layers.append(torch.nn.ReLU())
    if units[-1] != "softmax":
        raise SystemExit(f"this example trains a softmax classifier; the output units are {units[-1]}")
    return torch.nn.Sequential(*layers)


def table(path, classes):
    """Features and class indices of a label-last CSV without a header."""
    rows = [line.split(",") for line in open(path).read().strip().splitlines()]
    features = torch.tensor([[float(v) for v in row[:-1]] for row in rows])
    labels = torch.tensor([classes.index(row[-1].strip()) for row in rows])
    return features, labels


def worker(args):
    """One DDP process: train its share, and on rank 0 write the result."""
    dist.init_process_group("gloo")
    rank, world = dist.get_rank(), dist.get_world_size()
    torch.manual_seed(0)
    info = metadata(args.model)
    units, classes = info["units"].split(","), json.loads(info["classes"])
    model = torch.nn.parallel.DistributedDataParallel(network(load_file(args.model), units))
    x, y = table(args.train, classes)
    data = torch.utils.data.TensorDataset(x, y)
    sampler = torch.utils.data.distributed.DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True, seed=0)
    loader = torch.utils.data.DataLoader(data, batch_size=32, sampler=sampler)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(args.epochs):
        sampler.set_epoch(epoch)
        for features, labels in loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(features), labels).backward()
            optimizer.step()
    if rank == 0:
        tx, ty = table(args.test, classes)
        with torch.no_grad():
            accuracy = (model.module(tx).argmax(dim=1) == ty).float().mean().item()
        state = {}
        for l, linear in enumerate(m for m in model.module if isinstance(m, torch.nn.Linear)):
            state[f"layers.{l}.weight"], state[f"layers.{l}.bias"] = linear.weight.data.contiguous(), linear.bias.data.contiguous()
        kept = {key: info[key] for key in ("units", "classes", "label_column", "features") if key in info}
        save_file(state, args.out, metadata={"format": "pt", "normalization": "folded", **kept})
        with open(args.out + ".accuracy", "w") as f:
            f.write(f"{accuracy}\n")
        print(f"DDP: {world} processes × {args.epochs} epochs, {len(data)} samples; PyTorch test accuracy {accuracy:.4f}")
    dist.destroy_process_group()


def accuracy_of(evaluate_output):
    """The test accuracy and sample count in `mlp evaluate --json`'s output."""
    result = json.loads(evaluate_output.strip().splitlines()[-1])
    return result["test_accuracy"], result["samples"]


if __name__ == "__main__" and "RANK" in os.environ:
    parser = argparse.ArgumentParser()
    for name in ("--model", "--train", "--test", "--out"):
        parser.add_argument(name, required=True)
    parser.add_argument("--epochs", type=int, required=True)
    worker(parser.parse_args())
    sys.exit(0)

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--epochs", type=int, default=20, help="epochs of DDP training")
parser.add_argument("--processes", type=int, default=2, help="DDP processes on this machine")
options = parser.parse_args()

train, test = os.path.join(DATA, "digits_train.csv"), os.path.join(DATA, "digits_test.csv")
with tempfile.TemporaryDirectory() as work:
    mlp("train", "--train", train, "--test", test, "--standardize", "--hidden", "64", "--epochs", "2", "--lr", "0.0003",
        "--quiet", "--save", "model.mlp", cwd=work)
    before, _ = accuracy_of(mlp("evaluate", "--model", "model.mlp", "--test", test, "--json", cwd=work))
    mlp("convert", "--model", "model.mlp", "--to", "model.safetensors", cwd=work)
    print(f"mlp: the starting model's test accuracy {before:.4f}; exported (standardization folded) to model.safetensors")
    subprocess.run(
        ["torchrun", "--standalone", f"--nproc_per_node={options.processes}", os.path.abspath(__file__),
         "--model", "model.safetensors", "--train", train, "--test", test, "--out", "continued.safetensors",
         "--epochs", str(options.epochs)],
        cwd=work, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
    torch_accuracy = float(open(os.path.join(work, "continued.safetensors.accuracy")).read())
    mlp("convert", "--from", "continued.safetensors", "--to", "continued.mlp", cwd=work)
    after, samples = accuracy_of(mlp("evaluate", "--model", "continued.mlp", "--test", test, "--json", cwd=work))
    correct, torch_correct = round(after * samples), round(torch_accuracy * samples)
    print(f"mlp: the continued model's test accuracy {after:.4f}, {correct} of {samples} (PyTorch: {torch_correct} of {samples})")
    ok = correct == torch_correct and after > before
    print("scale-out round trip OK" if ok else "scale-out round trip FAILED")
    sys.exit(0 if ok else 1)
