"""Would a static sentence-embedding matcher help the scorer? A probe, not a feature.

Each rubric item is credited when the engine credits it, or when some sentence of
the answer lies within a cosine threshold of the item's text or of one of its
signals, embedded with WordLlama (a torch-free static embedding model whose
weights ship inside its wheel). Printed: precision, recall and F1 over the
labelled corpora for the engine alone and for the engine plus the embedding
matcher at several thresholds, with how many correct and wrong credits each
threshold adds.

Needs `pip install wordllama` (not a dependency of mlsd-drill); without it the
probe says so and exits.

Usage: python benchmarks/semantic_probe.py [--bank DIR]  (default: each corpus's own bank)
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

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


def main() -> None:
    try:
        wordllama = importlib.import_module("wordllama")
    except ImportError:
        print("semantic probe skipped: `pip install wordllama` to run it")
        return
    # the wheel holds its weights and tokenizer; pointing the cache at the package
    # finds both without a download
    model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    args = sys.argv[1:]
    given = bank.load([Path(args[args.index("--bank") + 1])]) if "--bank" in args else None
    rows = []  # (labelled covered, engine credits, best similarity)
    for corpus in CORPORA.values():
        if given is not None and (corpus / "bank").is_dir():
            continue  # a corpus written for its own bank is not scored with another
        b = given or bank_for(corpus)
        for name, spec in label_sets(corpus).get("labels", {}).items():
            rubric = b.rubric_for(spec["question"])
            text = (corpus / name).read_text()
            got = engine(text, rubric)
            sents = sentences(text)
            emb = model.embed(sents, norm=True) if sents else None
            for it in rubric.items:
                anchors = [it.text] + [" ".join(sig).replace("|", " ") for sig in it.signals]
                best = float((emb @ model.embed(anchors, norm=True).T).max()) if emb is not None else 0.0
                rows.append((it.id in spec["covers"], it.id in got, best))
    print(f"{len(rows)} (answer, item) pairs over {len(CORPORA)} corpora, first labels")
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
