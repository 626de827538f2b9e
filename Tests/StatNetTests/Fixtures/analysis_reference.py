"""Reference numbers for the analysis tests (AnalysisTests.swift), computed independently of
the Swift code with NumPy and SciPy. Run from the repository root to regenerate the fixture:

    python3 Tests/StatNetTests/Fixtures/analysis_reference.py > Tests/StatNetTests/Fixtures/analysis_reference.json
"""
import itertools
import json
import math

import numpy as np
from scipy import optimize, stats

MASK = (1 << 64) - 1


class SplitMix64:
    """The project's generator (SplitMix64.swift), bit for bit."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


out = {}

# 1. The exact sign-flip p-value, by enumerating every sign pattern.
d = [0.31, -0.12, 0.45, 0.22, 0.08, 0.27, -0.05]
observed = abs(sum(d))
hits = sum(1 for signs in itertools.product([1, -1], repeat=len(d)) if abs(sum(s * x for s, x in zip(signs, d))) >= observed - 1e-12)
out["signFlip"] = {"d": d, "p": hits / 2 ** len(d)}
# The paired t interval and p of the same differences.
n = len(d)
mean, sd = np.mean(d), np.std(d, ddof=1)
half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
out["tInterval"] = {"d": d, "mean": mean, "low": mean - half, "high": mean + half, "p": 2 * stats.t.sf(abs(mean / (sd / math.sqrt(n))), n - 1)}

# 2. OLS with standard errors clustered by seed (CR1), by the sandwich formula.
x = np.log10([100, 1000, 10000, 55000] * 3)
seeds = [0] * 4 + [1] * 4 + [2] * 4
y = np.array([1.1, 0.6, 0.25, 0.1, 0.7, 0.9, 0.05, 0.2, 1.5, 0.4, 0.3, -0.1])
X = np.column_stack([np.ones_like(x), x])
beta = np.linalg.solve(X.T @ X, X.T @ y)
e = y - X @ beta
bread = np.linalg.inv(X.T @ X)
meat = np.zeros((2, 2))
for g in set(seeds):
    idx = [i for i, s in enumerate(seeds) if s == g]
    u = X[idx].T @ e[idx]
    meat += np.outer(u, u)
G, N, K = 3, len(y), 2
V = G / (G - 1) * (N - 1) / (N - K) * bread @ meat @ bread
se = math.sqrt(V[1, 1])
tq = stats.t.ppf(0.975, G - 1)
out["clustered"] = {"x": list(x), "y": list(y), "cluster": seeds, "intercept": beta[0], "slope": beta[1], "se": se,
                    "low": beta[1] - tq * se, "high": beta[1] + tq * se, "p": 2 * stats.t.sf(abs(beta[1] / se), G - 1)}

# 3. Temperature scaling with a closed form: two classes, logits (a, -a) for every image, the
# first class right for a share q. softmax(2a / T) = q at the optimum: T = 2a / logit(q).
a, q, images = 3.0, 0.8, 50
labels = [0] * int(q * images) + [1] * (images - int(q * images))
out["temperature"] = {"a": a, "labels": labels, "temperature": 2 * a / math.log(q / (1 - q))}

# 4. The two-level paired bootstrap, with the project's generator and draw order.
rng_pairs = [([1, 0, 1, 1, 0, 1], [1, 1, 0, 1, 0, 0]), ([0, 1, 1, 1, 1, 0], [0, 1, 0, 1, 1, 1]), ([1, 1, 1, 0, 1, 1], [1, 0, 1, 0, 1, 0])]
rng = SplitMix64(0xB00757A9)
means = []
diffs = [[s - m for s, m in zip(sv, mv)] for sv, mv in rng_pairs]
for _ in range(2000):
    total = 0.0
    for _ in rng_pairs:
        dd = diffs[rng.next() % len(rng_pairs)]
        total += sum(dd[rng.next() % len(dd)] for _ in dd) / len(dd)
    means.append(total / len(rng_pairs))
out["bootstrap"] = {"pairs": [{"statnet": s, "mlpnet": m} for s, m in rng_pairs],
                    "low": float(np.quantile(means, 0.025)), "high": float(np.quantile(means, 0.975))}

# 5. McNemar's exact test: 18 images only StatNet gets right, 7 only MLPNet.
out["mcnemar"] = {"statnetOnly": 18, "mlpnetOnly": 7, "p": stats.binomtest(7, 25, 0.5).pvalue}

# 6. The expected calibration error of a small set, by its definition.
probs = [0.95, 0.85, 0.6, 0.55, 0.99, 0.7]
correct = [1, 1, 0, 1, 1, 0]
bins = np.minimum((np.array(probs) * 15).astype(int), 14)
ece = sum(np.sum(bins == b) / len(probs) * abs(np.mean(np.array(correct)[bins == b]) - np.mean(np.array(probs)[bins == b]))
          for b in set(bins))
out["ece"] = {"confidences": probs, "correct": correct, "ece": ece}

print(json.dumps(out, indent=1))
