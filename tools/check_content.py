"""Score each case study's reference notes, and a shallow answer, with the real engine.

Usage: python tools/check_content.py [--bank DIR] [ID ...]
(--bank: check your own bank instead of the bundled one.)
A question passes when its reference notes earn at least 85% of the rubric
weight and the shallow answer at most 30%. Missed items are listed so that
signals or notes can be fixed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mlsd_drill import bank as bank_mod  # noqa: E402
from mlsd_drill.errors import BankError  # noqa: E402
from mlsd_drill.model import STAGES, Answer, Section  # noqa: E402
from mlsd_drill.scoring import score  # noqa: E402

SHALLOW = {
    "clarify": "I would ask what the product needs and how many users there are.",
    "data": "We collect data from logs, clean it and build some features.",
    "model": "I would train a neural network and check accuracy on a test set.",
    "serve": "Deploy the model behind an API and make it fast.",
    "monitor": "Monitor the model and retrain it when accuracy drops.",
}


def main() -> int:
    args = sys.argv[1:]
    where = ROOT
    if args[:1] == ["--bank"] and len(args) > 1:
        where, args = Path(args[1]), args[2:]
    b = bank_mod.load([where])
    for w in b.warnings:
        print("WARNING", w)
    ids = args or sorted(b.questions)
    failed = 0
    for qid in ids:
        q = b.questions.get(qid)
        if q is None:
            print(f"FAIL {qid}: no such question in {where}")
            failed += 1
            continue
        try:
            rubric = b.rubric_for(qid)
        except BankError as e:
            print(f"FAIL {qid}: {e}")
            failed += 1
            continue
        ref = Answer(tuple(Section(s, q.reference.get(s, "")) for s in STAGES))
        r = score(ref, rubric)
        shallow = score(Answer.from_stages(SHALLOW), rubric)
        ok = r.percent >= 85 and shallow.percent <= 30
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {qid}: reference {r.percent:.0f}%  shallow {shallow.percent:.0f}%")
        for it in r.missed:
            rej = f"  (rejected in: {it.rejected})" if it.rejected else ""
            print(f"     reference misses {it.item.id} [{it.item.stage}]{rej}")
        for it in shallow.covered:
            print(f"     shallow credits {it.item.id}: {it.evidence}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
