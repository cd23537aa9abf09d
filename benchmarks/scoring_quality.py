"""Scoring quality on the labelled corpus: precision, recall and F1 of the engine
against a naive baseline (lower-cased substring matching of the signals), on
the same answers and the same human labels.

Usage: python benchmarks/scoring_quality.py [--details]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlsd_drill import bank  # noqa: E402
from mlsd_drill.answer import parse_markdown  # noqa: E402
from mlsd_drill.model import Rubric  # noqa: E402
from mlsd_drill.scoring import score  # noqa: E402

CORPORA = {
    "corpus": ROOT / "tests" / "corpus",  # 30 answers: ads, fraud, video
    "corpus2": ROOT / "tests" / "corpus2",  # 20 answers: feed, eta, rag, harmful, listings
    "corpus3": ROOT / "tests" / "corpus3",  # 28 answers: the seven other questions (held out)
}


def naive(text: str, rubric: Rubric) -> set[str]:
    """Lower-cased substring matching: a phrase anywhere; a list's phrases in one paragraph."""
    low = text.lower()
    paragraphs = [p for p in re.split(r"\n\s*\n", low) if p.strip()]
    got = set()
    for it in rubric.items:
        for sig in it.signals:
            parts = [[a.strip() for a in p.lower().split("|")] for p in sig]  # "a|b": either
            if (len(parts) == 1 and any(a in low for a in parts[0])) or (
                len(parts) > 1
                and any(all(any(a in para for a in alts) for alts in parts) for para in paragraphs)
            ):
                got.add(it.id)
    return got


def engine(text: str, rubric: Rubric) -> set[str]:
    return {r.item.id for r in score(parse_markdown(text), rubric).items if r.hit}


def evaluate(corpus: Path, details: bool = False) -> dict[str, tuple[float, float, float]]:
    labels = yaml.safe_load((corpus / "labels.yaml").read_text())
    b = bank.load([ROOT])
    totals = {"engine": [0, 0, 0], "baseline": [0, 0, 0]}  # tp, fp, fn
    for name, spec in sorted(labels.items()):
        rubric = b.rubric_for(spec["question"])
        truth = set(spec["covers"])
        text = (corpus / name).read_text()
        for label, fn in (("engine", engine), ("baseline", naive)):
            got = fn(text, rubric)
            t = totals[label]
            t[0] += len(got & truth)
            t[1] += len(got - truth)
            t[2] += len(truth - got)
            if details and label == "engine" and (got ^ truth):
                print(f"{name}: false+ {sorted(got - truth)}  false- {sorted(truth - got)}")
    out = {}
    for label, (tp, fp, fn_) in totals.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn_) if tp + fn_ else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = (p, r, f)
    return out


def main() -> None:
    details = "--details" in sys.argv
    for name, corpus in CORPORA.items():
        if not (corpus / "labels.yaml").exists():
            continue
        res = evaluate(corpus, details)
        n = len(yaml.safe_load((corpus / "labels.yaml").read_text()))
        print(f"\n{name}: {n} labelled answers")
        print(f"{'':10} {'precision':>9} {'recall':>7} {'F1':>6}")
        for label, (p, r, f) in res.items():
            print(f"{label:10} {p:9.3f} {r:7.3f} {f:6.3f}")
        print(f"F1 ratio engine/baseline: {res['engine'][2] / res['baseline'][2]:.2f}x")


if __name__ == "__main__":
    main()
