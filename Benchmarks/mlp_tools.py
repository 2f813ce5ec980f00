"""What the Python scripts beside this file share: the built `mlp` and
safetensors metadata.

    from mlp_tools import ROOT, mlp, metadata
"""
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_bin = None


def mlp(*args, cwd):
    """Runs the release `mlp` (built on first use) with `args` in `cwd`; returns its standard output."""
    global _bin
    if _bin is None:
        subprocess.run(["swift", "build", "-c", "release", "--product", "mlp", "--package-path", ROOT], check=True, capture_output=True)
        _bin = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path", "--package-path", ROOT],
                              check=True, capture_output=True, text=True).stdout.strip()
    return subprocess.run([os.path.join(_bin, "mlp"), *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def metadata(path):
    """The __metadata__ of a safetensors file."""
    with open(path, "rb") as f:
        size = int.from_bytes(f.read(8), "little")
        return json.loads(f.read(size))["__metadata__"]
