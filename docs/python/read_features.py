"""Read what `statnet features export` writes, with NumPy only.

    statnet features export --split test --format npy --out features-test
    python3 read_features.py features-test

features.npy is float32 [N, 4, 28, 28]: channels energy, level, entropy, mean energy, as
computed (before any normalisation); labels.npy is uint8 [N].
"""
import sys

import numpy as np

CHANNELS = ["energy", "level", "entropy", "meanEnergy"]


def load(folder):
    features = np.load(f"{folder}/features.npy")   # (N, 4, 28, 28) float32
    labels = np.load(f"{folder}/labels.npy")       # (N,) uint8
    return features, labels


if __name__ == "__main__":
    features, labels = load(sys.argv[1])
    print(features.shape, features.dtype, labels.shape, labels.dtype)
    for c, name in enumerate(CHANNELS):
        channel = features[:, c]
        print(f"{name:>10}: mean {channel.mean():10.4f}  std {channel.std():10.4f}  zeros {np.mean(channel == 0):6.1%}")
