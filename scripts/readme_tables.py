#!/usr/bin/env python3
"""Prints the README's result tables from a reproduction's results.json, so that the README
shows the numbers of the committed run and nothing typed by hand.

    python3 scripts/readme_tables.py docs/reproduction/results.json
"""
import json
import os
import sys

r = json.load(open(sys.argv[1]))

# The report's generated findings, as they are (report.md beside results.json).
report = os.path.join(os.path.dirname(sys.argv[1]), "report.md")
if os.path.exists(report):
    lines = open(report).read().split("\n")
    start = lines.index("### What this says") + 1
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#") or (lines[i] and not lines[i].startswith("-")))
    print("\n".join(line for line in lines[start:end] if line))
    print()
words = {"supported": "supported", "contradicted": "contradicted", "no-difference": "no difference", "undecided": "undecided"}


def pp(x):
    return f"{x:+.2f}".replace("-", "−")


def interval(e, unit="pp"):
    f = (lambda x: f"{x:+.2f}") if unit == "pp" else (lambda x: f"{x:+.4f}")
    text = f"{f(e['mean'])}{' pp' if unit == 'pp' else ''} [{f(e['low'])}, {f(e['high'])}]"
    return text.replace("-", "−")


print("| claim | preset | measure | StatNet − MLPNet [95% CI] | n | verdict | Holm-adjusted |")
print("|---|---|---|---|---|---|---|")
for c in r["claims"]:
    print(f"| {c['claim']} | `{c['preset']}` | {c['measure']} | {interval(c, c['unit'])} | {c['n']} | "
          f"**{words[c['verdict']]}** | **{words[c['verdictHolm']]}** |")
print()

full = max(c["trainSize"] for c in r["comparisons"])
print("| preset | model | test accuracy | test loss | paper: accuracy / paper-scaled loss |")
print("|---|---|---|---|---|")
for c in r["comparisons"]:
    if c["trainSize"] != full:
        continue
    for name, cell in [("StatNet", c["statnet"]), ("MLPNet", c["mlpnet"])]:
        a, l = cell["accuracy"], cell["loss"]
        paper = cell.get("paper") if c["preset"] == "paper" else None  # the paper's numbers are of its own pipeline
        paper_text = f"{100 * paper['accuracy']:.2f}% / {paper['paperScaledLoss']:.6f}" if paper else "–"
        print(f"| `{c['preset']}` | {name} (n={a['n']}) | {100 * a['mean']:.2f} ± {100 * (a.get('std') or 0):.2f}% | "
              f"{l['mean']:.4f} ± {(l.get('std') or 0):.4f} | {paper_text} |")
print()

sizes = sorted({c["trainSize"] for c in r["comparisons"]})
presets = sorted({c["preset"] for c in r["comparisons"]})
print("| training images | " + " | ".join(f"`{p}`: StatNet − MLPNet (n)" for p in presets) + " | paper's gap |")
print("|---|" + "---|" * len(presets) + "---|")
for size in sizes:
    cells = []
    for p in presets:
        c = next((c for c in r["comparisons"] if c["preset"] == p and c["trainSize"] == size), None)
        d = c and c.get("accuracyDifference")
        if d and d.get("low") is not None:
            cells.append(f"{100 * d['mean']:+.2f} pp [{100 * d['low']:+.2f}, {100 * d['high']:+.2f}] ({d['n']})".replace("-", "−"))
        else:
            cells.append("–")
    paper = next((c["statnet"]["paper"] for c in r["comparisons"] if c["trainSize"] == size and c["statnet"] and c["statnet"].get("paper")), None)
    mlp = next((c["mlpnet"]["paper"] for c in r["comparisons"] if c["trainSize"] == size and c["mlpnet"] and c["mlpnet"].get("paper")), None)
    gap = f"{100 * (paper['accuracy'] - mlp['accuracy']):+.2f} pp".replace("-", "−") if paper and mlp else "–"
    print(f"| {size:,} | " + " | ".join(cells) + f" | {gap} |")
print()

if r["ablations"]:
    print("| variant (physics preset) | n | test accuracy | − StatNet | − MLPNet, channel-normalised |")
    print("|---|---|---|---|---|")
    for a in r["ablations"]:
        acc = a["cell"]["accuracy"]

        def diff(d):
            return (f"{100 * d['mean']:+.2f} pp [{100 * d['low']:+.2f}, {100 * d['high']:+.2f}]".replace("-", "−")
                    if d and d.get("low") is not None else "–")
        print(f"| {a['label']} | {acc['n']} | {100 * acc['mean']:.2f} ± {100 * (acc.get('std') or 0):.2f}% | "
              f"{diff(a.get('accuracyVsStatNet'))} | {diff(a.get('accuracyVsMLPNet'))} |")
    print()

seconds = sum(run["trainSeconds"] for run in r["runs"])
print(f"runs: {len(r['runs'])}, training time summed: {seconds / 3600:.2f} h")
