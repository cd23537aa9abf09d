"""Generate a large synthetic bank (for the loading benchmark and its test)."""

from __future__ import annotations

import sys
from pathlib import Path

STAGES = ("clarify", "data", "model", "serve", "monitor")


def generate(root: Path, n: int) -> Path:
    (root / "questions").mkdir(parents=True, exist_ok=True)
    (root / "rubrics").mkdir(parents=True, exist_ok=True)
    for i in range(n):
        qid = f"gen-question-{i:05d}"
        followups = "".join(f"  - stage: {s}\n    ask: What about {s} case {i}?\n" for s in STAGES)
        reference = "".join(
            f"  {s}: |\n    Notes for {s} of case {i}, covering latency and labels.\n" for s in STAGES
        )
        (root / "questions" / f"{qid}.yaml").write_text(
            f"id: {qid}\ntitle: Generated case {i}\nprompt: |\n  Design system number {i}.\n"
            f"tags: [gen, t{i % 7}]\ndifficulty: {('easy', 'medium', 'hard')[i % 3]}\n"
            f"followups:\n{followups}reference:\n{reference}"
        )
        items = "".join(
            f"  - id: item-{s}-{k}\n    stage: {s}\n    text: Point {k} of {s}\n    weight: {1 + k % 3}\n"
            f"    signals: [signal {s} {k}, [alpha {k}, beta {s}]]\n    why: Because {s} matters.\n"
            for s in STAGES
            for k in range(8)
        )
        (root / "rubrics" / f"{qid}.yaml").write_text(f"question: {qid}\nitems:\n{items}")
    return root


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
