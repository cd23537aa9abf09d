"""Scoring speed: a 5,000-word answer against a 60-item rubric (median), and how
the time grows with answer length (it should be linear).

Baseline in the same run: the naive substring matcher from scoring_quality.py.
Usage: python benchmarks/scoring_speed.py
Target: median <= 20 ms for 5,000 words x 60 items.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoring_quality import naive  # noqa: E402
from mlsd_drill import bank  # noqa: E402
from mlsd_drill.answer import parse_markdown  # noqa: E402
from mlsd_drill.model import Rubric  # noqa: E402
from mlsd_drill.scoring import compile_rubric, score  # noqa: E402


def given() -> tuple[str, ...]:
    """The question's own text, which a drill and `mlsd score` pass to the scorer too."""
    return bank.load([ROOT]).questions["fraud-detection"].given


def rubric_60() -> Rubric:
    b = bank.load([ROOT])
    items = list(b.rubric_for("fraud-detection").items) + list(b.rubric_for("ad-click-prediction").items)
    return Rubric("bench", tuple(items[:60]))


def answer_words(n: int, rng: random.Random) -> str:
    """Realistic text: sentences drawn from the bank's reference notes, shuffled and repeated."""
    b = bank.load([ROOT])
    sentences: list[str] = []
    for q in b.questions.values():
        for note in q.reference.values():
            sentences += [s.strip() for s in note.replace("\n", " ").split(". ") if s.strip()]
    stages = ["Clarify", "Data", "Model", "Serving", "Monitoring"]
    out: list[str] = []
    count = 0
    k = 0
    while count < n:
        if k % 40 == 0:
            out.append(f"\n## {stages[(k // 40) % 5]}\n")
        s = rng.choice(sentences) + "."
        out.append(s + (" " if k % 4 else "\n\n"))
        count += len(s.split())
        k += 1
    return "".join(out)


def typed_words(n: int) -> str:
    """Answers as candidates type them: the labelled answers of the test corpora (bullets,
    arrows, contractions, typos, curly quotes), one after another up to n words."""
    parts: list[str] = []
    count = 0
    for path in sorted(ROOT.glob("tests/corpus*/*.md")):
        text = path.read_text(encoding="utf-8")
        parts.append(text)
        count += len(text.split())
        if count >= n:
            break
    return "\n\n".join(parts)


def paired_median_ms(fn, other, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Medians of two functions run in turn, so that both meet the same load on a shared machine."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for f, out in ((fn, times[0]), (other, times[1])):
            t = time.perf_counter()
            f()
            out.append((time.perf_counter() - t) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    rng = random.Random(7)
    rub = rubric_60()
    told = given()
    compile_rubric(rub)  # compiled once per rubric and cached, as in a drill
    print(f"rubric: {len(rub.items)} items, {sum(len(i.signals) for i in rub.items)} signals")
    results = {}
    for n in (1000, 2500, 5000, 10000):
        text = answer_words(n, rng)
        words = len(text.split())
        ms, base = paired_median_ms(
            lambda text=text: score(parse_markdown(text), rub, told), lambda text=text: naive(text, rub), 31
        )
        results[n] = ms
        print(
            f"{words:6d} words: engine {ms:6.1f} ms   naive substring baseline {base:5.1f} ms   ratio {ms / base:4.1f}x"
        )
    print(f"growth 5,000 -> 10,000 words: {results[10000] / results[5000]:.2f}x (linear = 2.0x)")
    print(f"growth 1,000 -> 10,000 words: {results[10000] / results[1000]:.2f}x (linear = 10x)")
    print(f"5,000-word median: {results[5000]:.1f} ms (target <= 20 ms)")
    # the text above is drawn from the bank's reference notes, written as prose; answers as
    # people type them have more arrows, dashes, quotes and lists for the scorer to read
    typed = typed_words(5000)
    ms, base = paired_median_ms(lambda: score(parse_markdown(typed), rub, told), lambda: naive(typed, rub), 31)
    print(
        f"{len(typed.split()):6d} words of typed answers (test corpora): engine {ms:6.1f} ms   "
        f"naive substring baseline {base:5.1f} ms   ratio {ms / base:4.1f}x"
    )
    # a fresh process has an empty stem cache: time the first scoring too
    from mlsd_drill import text as textmod

    textmod._STEM_CACHE.clear()
    text = answer_words(5000, random.Random(99))
    t = time.perf_counter()
    score(parse_markdown(text), rub, told)
    print(f"5,000 words, cold stem cache: {(time.perf_counter() - t) * 1000:.1f} ms")
    # text no one types but people paste: a minified blob or a long base64 string is one
    # huge "word"; it must cost about what its length in ordinary words would
    normal = answer_words(2000, random.Random(5))
    for chars in (10_000, 100_000):
        blob = normal + "\n\n" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(chars))
        ms, base = paired_median_ms(
            lambda blob=blob: score(parse_markdown(blob), rub, told), lambda: score(parse_markdown(normal), rub, told), 5
        )
        print(f"2,000 words plus one {chars:,}-letter word: {ms:6.1f} ms, {ms / base:4.1f}x the words alone")


if __name__ == "__main__":
    main()
