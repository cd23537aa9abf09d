"""Scoring cost in machine instructions: a figure a shared, noisy machine cannot blur.

Wall-clock medians on a shared VM move by 20% from one minute to the next; the number of
instructions a score takes does not. This runs the scoring of the 5,000-word answer from
scoring_speed.py under valgrind's callgrind, once with no scoring and once with N scores,
and prints the difference per score, beside the naive substring matcher measured the
same way in the same run.

Needs valgrind (`apt install valgrind`); without it the script says so and exits.
Also the 5,000 words of typed answers from scoring_speed.py. Takes about six minutes on two cores.

Usage: python benchmarks/scoring_instructions.py [N]   (default N = 10)
"""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(what: str, n: int) -> None:
    """Inside valgrind: load everything, score once (warm caches), then n more times."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.scoring_quality import naive
    from benchmarks.scoring_speed import answer_words, given, rubric_60, typed_words
    from mlsd_drill.answer import parse_markdown
    from mlsd_drill.scoring import compile_rubric, score

    rub = rubric_60()
    told = given()
    compile_rubric(rub)
    text = typed_words(5000) if what.endswith("-typed") else answer_words(5000, random.Random(7))

    def engine() -> None:
        score(parse_markdown(text), rub, told)

    def baseline() -> None:
        naive(text, rub)

    run = engine if what.startswith("engine") else baseline
    run()
    for _ in range(n):
        run()


def instructions(what: str, n: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__, "--child", what, str(n)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=True,
    ).stderr
    m = re.search(r"Collected : (\d+)", out)
    if not m:
        raise SystemExit(f"valgrind printed no instruction count:\n{out[-2000:]}")
    return int(m.group(1))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
        return
    if shutil.which("valgrind") is None:
        print("valgrind is not installed: no instruction counts (apt install valgrind)")
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    # the first run after a change of mlsd (or of its bank) rebuilds the bank cache in the
    # data folder: a run whose instructions count nothing but that, so no measured run does
    instructions("baseline", 0)
    per = {}
    for what in ("engine", "baseline", "engine-typed", "baseline-typed"):
        per[what] = (instructions(what, n) - instructions(what, 0)) / n
        text = "typed answers (test corpora)" if what.endswith("-typed") else "answer from reference notes"
        print(f"{what:14s}: {per[what] / 1e6:7.1f} M instructions per score of the 5,000-word {text}")
    for kind in ("", "-typed"):
        print(f"engine{kind} / naive substring baseline{kind}: {per['engine' + kind] / per['baseline' + kind]:.2f}x")


if __name__ == "__main__":
    main()
