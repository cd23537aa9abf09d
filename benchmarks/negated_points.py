"""Points whose substance is a prohibition ("never store raw card numbers", "no random
split"): are they credited when said in their negated form, and refused when the bad
practice is stated approvingly? One sentence per case, scored alone under its stage.

Baseline in the same run: the naive substring matcher from scoring_quality.py.
Usage: python benchmarks/negated_points.py [-v]   (-v lists the cases the engine gets wrong)
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoring_quality import naive  # noqa: E402
from mlsd_drill import bank  # noqa: E402
from mlsd_drill.answer import parse_markdown  # noqa: E402
from mlsd_drill.scoring import score  # noqa: E402

CASES = Path(__file__).with_name("negated_points.txt")


def main() -> None:
    b = bank.load([ROOT])
    tally: dict[str, Counter[tuple[str, bool]]] = {"engine": Counter(), "naive": Counter()}
    wrong = []
    for line in CASES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        qid, item, stage, kind, sentence = (x.strip() for x in line.split("|", 4))
        rubric = b.rubric_for(qid)
        text = f"## {stage}\n{sentence}\n"
        want = kind in ("neg", "pos")
        got = {r.item.id: r.hit for r in score(parse_markdown(text), rubric).items}[item]
        tally["engine"][kind, got == want] += 1
        tally["naive"][kind, (item in naive(text, rubric)) == want] += 1
        if got != want:
            wrong.append(f"  {kind} {qid} {item}: {sentence}")
    for who, t in tally.items():
        parts = [f"{kind} {t[kind, True]}/{t[kind, True] + t[kind, False]}" for kind in ("neg", "bad", "pos")]
        print(f"{who:6s} right: " + "   ".join(parts))
    print("neg: the point said in its negated form, credited; bad: the bad practice stated, refused")
    if "-v" in sys.argv:
        print("\n".join(wrong))


if __name__ == "__main__":
    main()
