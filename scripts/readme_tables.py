#!/usr/bin/env python3
"""The README's result tables, made from a reproduction's results.json (and the findings its
report.md generated), so that the README shows the numbers of the committed run and nothing
typed by hand.

    python3 scripts/readme_tables.py docs/reproduction/results.json              # print the blocks
    python3 scripts/readme_tables.py docs/reproduction/results.json --update README.md docs/results.md

With --update, each block a file has replaces what stands between `<!-- generated: NAME -->`
and `<!-- end of generated -->` in it (each file is rewritten atomically).
"""
import argparse
import json
import os
import re
import tempfile

WORDS = {
    # The zones of the verdict rule (analysis plan version 2).
    "better-by-more-than-margin": "better by more than the margin",
    "better-possibly-by-less-than-margin": "better, possibly by less than the margin",
    "better-but-negligibly": "better, but negligibly",
    "equivalent": "equivalent",
    "worse-but-negligibly": "worse, but negligibly",
    "worse-possibly-by-less-than-margin": "worse, possibly by less than the margin",
    "worse-by-more-than-margin": "worse by more than the margin",
    "undecided": "undecided",
    # The first rule's words, in results.json files made before it (the first documentation run).
    "supported": "supported", "contradicted": "contradicted", "no-difference": "no difference",
}


def signed(x, digits=2):
    return f"{x:+.{digits}f}".replace("-", "−")


def interval(mean, low, high, unit="pp", scale=1.0):
    digits = 2 if unit == "pp" else 4
    suffix = " pp" if unit == "pp" else ""
    return f"{signed(scale * mean, digits)}{suffix} [{signed(scale * low, digits)}, {signed(scale * high, digits)}]"


def run_summary(r):
    seconds = sum(run["trainSeconds"] for run in r["runs"])
    seeds = {}
    for run in r["runs"]:
        seeds.setdefault(run["trainSize"], set()).add(run["seed"])
    counts = ", ".join(f"{size:,}: {len(s)}" for size, s in sorted(seeds.items()))
    return (f"{len(r['runs'])} finished runs; their training times add up to {seconds / 3600:.1f} hours "
            f"(seeds per training-set size: {counts}).")


def claims(r):
    lines = ["| claim | preset | measure | StatNet − MLPNet [95% CI] | n | verdict | Holm-adjusted |",
             "|---|---|---|---|---|---|---|"]
    for c in r["claims"]:
        if c.get("role", "primary") != "primary":
            continue
        lines.append(f"| {c['claim']} | `{c['preset']}` | {c['measure']} | {interval(c['mean'], c['low'], c['high'], c['unit'])} | "
                     f"{c['n']} | **{WORDS[c['verdict']]}** | **{WORDS[c['verdictHolm']]}** |")
    return lines


def findings(report_path):
    """The bullets under "### What this says" in report.md, as the report generated them."""
    if not os.path.exists(report_path):
        return []
    lines = open(report_path).read().split("\n")
    start = lines.index("### What this says") + 1
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#") or (lines[i] and not lines[i].startswith("-")))
    return [line for line in lines[start:end] if line]


def table1(r):
    full = max(c["trainSize"] for c in r["comparisons"])
    lines = [f"| preset | model | test accuracy ({full:,} images) | test loss | paper: accuracy / paper-scaled loss |",
             "|---|---|---|---|---|"]
    for c in r["comparisons"]:
        if c["trainSize"] != full:
            continue
        for name, cell in [("StatNet", c["statnet"]), ("MLPNet", c["mlpnet"])]:
            a, l = cell["accuracy"], cell["loss"]
            paper = cell.get("paper") if c["preset"] == "paper" else None  # the paper's numbers are of its own pipeline
            paper_text = f"{100 * paper['accuracy']:.2f}% / {paper['paperScaledLoss']:.6f}" if paper else "–"
            lines.append(f"| `{c['preset']}` | {name} (n={a['n']}) | {100 * a['mean']:.2f} ± {100 * (a.get('std') or 0):.2f}% | "
                         f"{l['mean']:.4f} ± {(l.get('std') or 0):.4f} | {paper_text} |")
    return lines


def sizes(r):
    presets = sorted({c["preset"] for c in r["comparisons"]})
    lines = ["| training images | " + " | ".join(f"`{p}`: StatNet − MLPNet (n)" for p in presets) + " | paper's gap |",
             "|---|" + "---|" * len(presets) + "---|"]
    for size in sorted({c["trainSize"] for c in r["comparisons"]}):
        cells = []
        for p in presets:
            c = next((c for c in r["comparisons"] if c["preset"] == p and c["trainSize"] == size), None)
            d = c and c.get("accuracyDifference")
            cells.append(f"{interval(d['mean'], d['low'], d['high'], scale=100)} ({d['n']})" if d and d.get("low") is not None else "–")
        at = [c for c in r["comparisons"] if c["trainSize"] == size and c["preset"] == "paper"]
        paper = at and at[0]["statnet"] and at[0]["statnet"].get("paper")
        mlp = at and at[0]["mlpnet"] and at[0]["mlpnet"].get("paper")
        gap = f"{signed(100 * (paper['accuracy'] - mlp['accuracy']))} pp" if paper and mlp else "–"
        lines.append(f"| {size:,} | " + " | ".join(cells) + f" | {gap} |")
    return lines


def ablations(r):
    if not r.get("ablations"):
        return ["(no ablations in this reproduction)"]
    lines = ["| variant (`physics` preset) | n | test accuracy | − StatNet | − MLPNet, channel-normalised |",
             "|---|---|---|---|---|"]

    def diff(d):
        return interval(d["mean"], d["low"], d["high"], scale=100) if d and d.get("low") is not None else "–"
    for a in r["ablations"]:
        acc = a["cell"]["accuracy"]
        lines.append(f"| {a['label']} | {acc['n']} | {100 * acc['mean']:.2f} ± {100 * (acc.get('std') or 0):.2f}% | "
                     f"{diff(a.get('accuracyVsStatNet'))} | {diff(a.get('accuracyVsMLPNet'))} |")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--update", metavar="FILE", nargs="+", help="replace the generated blocks each of these files has")
    a = ap.parse_args()
    r = json.load(open(a.results))
    blocks = {
        "runs": [run_summary(r)],
        "claims": claims(r),
        "findings": findings(os.path.join(os.path.dirname(a.results), "report.md")),
        "table1": table1(r),
        "sizes": sizes(r),
        "ablations": ablations(r),
    }
    if not a.update:
        for name, lines in blocks.items():
            print(f"<!-- generated: {name} -->\n" + "\n".join(lines) + "\n<!-- end of generated -->\n")
        return
    for path in a.update:
        update(path, blocks)


def update(path, blocks):
    """Replaces each generated block `path` has (one at least), atomically."""
    text = open(path).read()
    found = 0
    for name, lines in blocks.items():
        pattern = re.compile(rf"(<!-- generated: {name} -->\n).*?(<!-- end of generated -->)", re.S)
        if not pattern.search(text):
            continue
        found += 1
        text = pattern.sub(lambda m: m.group(1) + "\n".join(lines) + "\n" + m.group(2), text, count=1)
    if found == 0:
        raise SystemExit(f"{path}: no block '<!-- generated: NAME -->' ... '<!-- end of generated -->'")
    folder = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False) as out:
        out.write(text)
    os.replace(out.name, path)


if __name__ == "__main__":
    main()
