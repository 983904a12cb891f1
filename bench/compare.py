#!/usr/bin/env python3
"""The regression guard of `make bench`.

    bench/compare.py BASELINE.json CURRENT.json

Both files are `gatehouse bench --json` output. Every figure of CURRENT is
compared with the figure of the same area and name in BASELINE: one more
than 25 % worse (slower, bigger, fewer per second, by its `better`) is a
regression. A figure with a target ("≥ 1000", "≤ 1", "< 50", "≪ 1000") that
misses it is flagged too. Exit status 1 if anything was flagged.

The baseline is committed (bench/baseline.json). After a change that makes
figures better on purpose, or on another machine, refresh it:
`cp target/bench/latest.json bench/baseline.json`.
"""

import json
import re
import sys

WORSE = 1.25


def figures(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    return report, {(f["area"], f["name"]): f for f in report["figures"]}


def meets(value, target):
    m = re.match(r"\s*(≥|>=|≤|<=|<|≪|>)\s*([0-9.]+)", target)
    if not m:
        return True
    op, bound = m.group(1), float(m.group(2))
    return {
        "≥": value >= bound,
        ">=": value >= bound,
        ">": value > bound,
        "≤": value <= bound,
        "<=": value <= bound,
        "<": value < bound,
        "≪": value < bound,
    }[op]


def worse_by(current, base, better):
    """How many times worse `current` is than `base` (1.0: the same)."""
    if better == "higher":
        return base / current if current > 0 else float("inf")
    return current / base if base > 0 else (1.0 if current <= 0 else float("inf"))


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    base_report, base = figures(argv[1])
    report, current = figures(argv[2])
    print(f"scratch databases: {report.get('scratch', '?')} ({report.get('filesystem', '?')})")
    try:
        with open("/proc/loadavg", encoding="utf-8") as f:
            print(f"load average now: {' '.join(f.read().split()[:3])} (figures of a busy machine are slower)")
    except OSError:
        pass
    print(f"   {'area':<9} {'figure':<66} {'baseline → now':>24} {'unit':<9} {'goal':<9} verdict")
    if report.get("filesystem") in ("tmpfs", "ramfs"):
        print("  warning: on tmpfs an fsync costs nothing: durable figures are not a disk's")
    flagged = 0
    for key, f in current.items():
        area, name = key
        value, unit = f["value"], f["unit"]
        notes = []
        b = base.get(key)
        if b is not None:
            better = f.get("better") or ("higher" if unit.endswith("/s") else "lower")
            ratio = worse_by(value, b["value"], better)
            change = f"{b['value']:.2f} → {value:.2f}"
            if ratio > WORSE:
                notes.append(f"REGRESSION ({(ratio - 1) * 100:.0f} % worse)")
        else:
            change = f"new: {value:.2f}"
        goal = f.get("target") or ""
        if goal and not meets(value, goal):
            notes.append(f"MISSES TARGET {goal}")
        elif goal:
            notes.append("met")
        flagged += any(n != "met" for n in notes)
        bad = any(n != "met" for n in notes)
        print(f"{'!!' if bad else '  '} {area:<9} {name:<66} {change:>24} {unit:<9} {goal:<9} {' '.join(notes)}")
    for key in base.keys() - current.keys():
        print(f"   {key[0]:<9} {key[1]:<66} (not measured this time)")
    if flagged:
        print(f"{flagged} figure(s) flagged", file=sys.stderr)
        return 1
    print("no regression, every target met")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
