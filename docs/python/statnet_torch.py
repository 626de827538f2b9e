"""The paper's four-branch network in PyTorch, loading a statnet `model.safetensors`.

    statnet features export --split test --format safetensors --out test.safetensors
    python3 statnet_torch.py runs/statnet-paper/model.safetensors test.safetensors --count 1000

The parameter names and shapes are PyTorch's (`branches.<i>.0.weight` is stored as
`branches.<i>.weight`, [1024, 784]); the file also holds the normaliser statistics
(`normaliser.mean`, `normaliser.std`, [4, 784]) and the run's configuration in its metadata.
The features are statnet's (`statnet features export`), normalised here as statnet does:
(x - mean) / std per channel and position.
"""
import argparse
import json
import sys

import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load_file


class FourBranchNet(nn.Module):
    """Four Linear(784 -> 1024) + ReLU + Dropout(p) branches, concatenated, then Linear(4096 -> 10).
    Branch i reads feature channel branch_channels[i] (StatNet: 0, 1, 2, 3; MLPNet: 0, 0, 0, 0)."""

    def __init__(self, branch_channels, inputs=784, hidden=1024, classes=10, dropout=0.5):
        super().__init__()
        self.branch_channels = list(branch_channels)
        self.branches = nn.ModuleList(nn.Linear(inputs, hidden) for _ in self.branch_channels)
        self.dropout = nn.Dropout(dropout)
        self.neck = nn.Linear(hidden * len(self.branch_channels), classes)

    def forward(self, x):  # x: (batch, 4, 784), normalised
        hidden = [self.dropout(torch.relu(branch(x[:, c]))) for branch, c in zip(self.branches, self.branch_channels)]
        return self.neck(torch.cat(hidden, dim=1))


def load(path):
    """The network (in eval mode), the normaliser's mean and std, and the run's configuration."""
    with safe_open(path, framework="pt") as f:
        config = json.loads(f.metadata()["config"])
    channels = config.get("branchChannels") or ([0, 1, 2, 3] if config["model"] == "statnet" else [0, 0, 0, 0])
    net = FourBranchNet(channels, dropout=config["dropout"])
    tensors = load_file(path)
    mean, std = tensors.pop("normaliser.mean"), tensors.pop("normaliser.std")
    net.load_state_dict(tensors, strict=True)
    return net.eval(), mean, std, config


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="a run folder's model.safetensors")
    ap.add_argument("features", help="statnet features export --format safetensors output")
    ap.add_argument("--count", type=int, default=1000, help="the first COUNT images (default 1000)")
    a = ap.parse_args()
    net, mean, std, config = load(a.model)
    with safe_open(a.features, framework="pt") as f:
        variant = (f.metadata() or {}).get("variant")
    if variant != config["features"]:
        # Features of another variant give a plausible but wrong accuracy: refuse them.
        sys.exit(f"{a.features}: features of the {variant!r} variant, but {a.model} was trained on {config['features']!r} features; "
                 f"export them with: statnet features export --variant {config['features']} --format safetensors --out FILE")
    data = load_file(a.features)
    x = data["features"][: a.count].reshape(-1, 4, 784)
    y = data["labels"][: a.count].long()
    with torch.no_grad():
        logits = net((x - mean) / std)
    loss = nn.functional.cross_entropy(logits, y).item()
    # Count in integers: a float32 mean would print 0.7710000276565552 for 771 of 1,000.
    accuracy = int((logits.argmax(1) == y).sum()) / len(y)
    print(json.dumps({"count": len(y), "accuracy": accuracy, "loss": loss, "model": config["model"]}))


if __name__ == "__main__":
    main()
