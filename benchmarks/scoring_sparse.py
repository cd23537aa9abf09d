"""Scoring quality when the bank gives few signals per item, as a bank written by
someone else often does: every item of the bundled rubrics cut to its first K
signals (and each part of an item to its first K // 2), scored on all the
labelled answers that use the bundled bank, engine beside the naive baseline.

The bundled signals list many ways of saying each point; a newcomer's bank lists
a handful. What the engine reads beyond the letters of a signal - stems,
compounds, typos, abbreviations, words in another order - is worth most there,
and so is what it refuses (negations).

Usage: python benchmarks/scoring_sparse.py [K ...]   (default: 2 4 8 and all)
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoring_quality import CORPORA, engine, label_sets, naive, prf  # noqa: E402
from mlsd_drill import bank  # noqa: E402
from mlsd_drill.model import Rubric  # noqa: E402


def cut(rubric: Rubric, k: int | None) -> Rubric:
    """The rubric with every item's signals cut to the first k (None: all)."""
    if k is None:
        return rubric
    items = tuple(
        replace(it, signals=it.signals[:k], parts=tuple((name, sigs[: max(1, k // 2)]) for name, sigs in it.parts))
        for it in rubric.items
    )
    return replace(rubric, items=items)


def main() -> None:
    ks: list[int | None] = [int(a) for a in sys.argv[1:]] or [2, 4, 8, None]
    b = bank.load([ROOT])
    answers = []
    for corpus in CORPORA.values():
        if (corpus / "bank").is_dir():
            continue  # scored with a bank of its own, not the bundled one
        sets = label_sets(corpus)
        labels = sets.get("labels-majority") or sets["labels"]
        for name, spec in sorted(labels.items()):
            answers.append(((corpus / name).read_text(encoding="utf-8"), spec["question"], set(spec["covers"])))
    print(f"{len(answers)} labelled answers, bundled bank")
    for k in ks:
        rubrics = {q: cut(b.rubric_for(q), k) for q in {a[1] for a in answers}}
        signals = sum(len(it.signals) for r in rubrics.values() for it in r.items) / sum(
            len(r.items) for r in rubrics.values()
        )
        row = []
        for matcher in (engine, naive):
            tp = fp = fn = 0
            for text, q, truth in answers:
                got = matcher(text, rubrics[q])
                tp += len(got & truth)
                fp += len(got - truth)
                fn += len(truth - got)
            row.append(prf(tp, fp, fn))
        (p, r, f), (np_, nr, nf) = row
        print(
            f"{'all' if k is None else k:>3} signals per item (mean {signals:4.1f}): "
            f"engine P {p:.3f} R {r:.3f} F1 {f:.3f}   naive P {np_:.3f} R {nr:.3f} F1 {nf:.3f}   "
            f"F1 ratio {f / nf:.2f}x"
        )


if __name__ == "__main__":
    main()
