"""Quick structural check of bundled case studies while they are being written.

Usage: python tools/content_stats.py [ID ...]
Prints, per question, counts that the content rules of the bank ask for.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["clarify", "data", "model", "serve", "monitor"]


def check(qid: str) -> list[str]:
    problems: list[str] = []
    q = yaml.safe_load((ROOT / "questions" / f"{qid}.yaml").read_text())
    r = yaml.safe_load((ROOT / "rubrics" / f"{qid}.yaml").read_text())
    items = r["items"]
    per_stage = Counter(i["stage"] for i in items)
    levels = Counter(i.get("level", "mid") for i in items)
    ids = [i["id"] for i in items]
    fups = Counter(f["stage"] for f in q.get("followups", []))
    if len(items) < 35:
        problems.append(f"only {len(items)} items (need >= 35)")
    for s in STAGES:
        if per_stage[s] < 5:
            problems.append(f"stage {s}: {per_stage[s]} items (need >= 5)")
        if fups[s] < 2:
            problems.append(f"stage {s}: {fups[s]} follow-ups (need >= 2)")
        if not (q.get("reference") or {}).get(s):
            problems.append(f"stage {s}: no reference notes")
    if levels["senior"] + levels["staff"] < len(items) / 5:
        problems.append(f"senior+staff items {levels['senior'] + levels['staff']} < a fifth")
    if levels["staff"] < 2:
        problems.append("fewer than 2 staff items")
    if len(set(ids)) != len(ids):
        problems.append("duplicate item ids")
    for i in items:
        for k in ("id", "stage", "text", "signals", "why"):
            if not i.get(k):
                problems.append(f"item {i.get('id')}: missing {k}")
        if i.get("weight", 1) not in (1, 2, 3):
            problems.append(f"item {i['id']}: weight {i.get('weight')}")
    sigs = [repr(sorted(map(repr, i["signals"]))) for i in items]
    if len(set(sigs)) != len(sigs):
        problems.append("two items share exactly the same signals")
    print(
        f"{qid}: {len(items)} items, stages {dict(per_stage)}, levels {dict(levels)}, "
        f"followups {sum(fups.values())}"
    )
    return problems


def main() -> int:
    ids = sys.argv[1:] or sorted(p.stem for p in (ROOT / "questions").glob("*.yaml"))
    bad = 0
    for qid in ids:
        for p in check(qid):
            bad += 1
            print(f"  PROBLEM {qid}: {p}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
