"""Scoring quality on the labelled corpus: precision, recall and F1 of the engine
against a naive baseline (lower-cased substring matching of the signals), on
the same answers and the same human labels.

Where a corpus has a second, independent labelling (labels-b.yaml), the engine is
scored against both, and the agreement of the two human labellers is printed as
the ceiling to read the engine against. Where a third judge settled the items the
two disagreed on (labels-majority.yaml: the majority of three judgements, the
third judge blind to the other two and to the engine), the engine is scored
against that too, and the pooled figure over every corpus uses it.

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
    "corpus3": ROOT / "tests" / "corpus3",  # 28 answers: the seven other questions
    "corpus4": ROOT / "tests" / "corpus4",  # 30 answers: all fifteen questions, six styles
    "corpus5": ROOT / "tests" / "corpus5",  # 30 answers: all fifteen questions, eight styles, written blind
    "corpus6": ROOT / "tests" / "corpus6",  # 30 answers: all fifteen questions, written after session 3
    # 30 answers: all fifteen questions, nine voices, nine layouts, written after session 4 (held out)
    "corpus7": ROOT / "tests" / "corpus7",
    # 30 answers: all fifteen questions, nine new voices, labelled against today's item texts (held out)
    "corpus8": ROOT / "tests" / "corpus8",
    # 30 answers: all fifteen questions, typed stage by stage as in a drill, ten voices (held out)
    "corpus9": ROOT / "tests" / "corpus9",
    # 30 answers: all fifteen questions, ten more voices, labelled after the content review (held out)
    "corpus10": ROOT / "tests" / "corpus10",
    # 30 answers: all fifteen questions, ten more voices (staff, nervous, infra, statistician, checklist,
    # minimalist, markdown, conversational, domain expert, questions back), written in session 7 (held out)
    "corpus11": ROOT / "tests" / "corpus11",
    # 16 answers: all fifteen questions, eight layouts (notes one point per line, design-doc
    # headings, tables, transcripts, pseudo-code, hard-wrapped prose...), written blind in session 10
    "corpus12": ROOT / "tests" / "corpus12",
    # 16 answers: all fifteen questions, eight new layouts (Q/A with oneself, nested outlines,
    # SQL and code snippets, war stories, tutorial voice, Slack, one request's journey, a
    # researcher light on serving), written blind in session 12 (held out)
    "corpus13": ROOT / "tests" / "corpus13",
    # 12 answers to three questions of a bank someone else wrote from docs/bank-format.md alone
    "corpus-outside": ROOT / "tests" / "corpus-outside",
}


def bank_for(corpus: Path) -> bank.Bank:
    """The bank a corpus is scored with: its own (`<corpus>/bank`) or the bundled one."""
    own = corpus / "bank"
    return bank.load([own if own.is_dir() else ROOT])


def naive(text: str, rubric: Rubric) -> set[str]:
    """Lower-cased substring matching: a phrase anywhere; a list's phrases in one paragraph."""
    low = text.lower()
    paragraphs = [p for p in re.split(r"\n\s*\n", low) if p.strip()]
    def found(signals: tuple[tuple[str, ...], ...]) -> bool:
        for sig in signals:
            parts = [[a.strip() for a in p.lower().split("|")] for p in sig]  # "a|b": either
            if (len(parts) == 1 and any(a in low for a in parts[0])) or (
                len(parts) > 1
                and any(all(any(a in para for a in alts) for alts in parts) for para in paragraphs)
            ):
                return True
        return False

    # an item of parts: a whole-point signal, or every part's signals somewhere
    return {
        it.id
        for it in rubric.items
        if found(it.signals) or (it.parts and all(found(sigs) for _, sigs in it.parts))
    }


def engine(text: str, rubric: Rubric) -> set[str]:
    return {r.item.id for r in score(parse_markdown(text), rubric).items if r.hit}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def label_sets(corpus: Path) -> dict[str, dict[str, dict]]:  # type: ignore[type-arg]
    """labels.yaml, any second, independent labelling (labels-b.yaml), and, where a third
    judge settled their disagreements (adjudication.yaml), the majority of the three."""
    sets = {p.stem: yaml.safe_load(p.read_text()) for p in sorted(corpus.glob("labels*.yaml"))}
    settled = corpus / "adjudication.yaml"
    if settled.exists():
        sets["labels-majority"] = majority(sets["labels"], sets["labels-b"], yaml.safe_load(settled.read_text()))
    # a common item that a question's own item replaces is no longer on that question's
    # rubric: its labels (kept in the files as the labellers wrote them) are set aside
    b = bank_for(corpus)
    replaced = {qid: set(b.rubric_for(qid).replaced) for qid in b.questions}
    for labels in sets.values():
        for spec in labels.values():
            gone = replaced.get(spec["question"], set())
            spec["covers"] = [i for i in spec["covers"] if i not in gone]
    return sets


def majority(first: dict, second: dict, verdicts: list[dict]) -> dict:  # type: ignore[type-arg]
    """Where the two labellers agree, their label; where they differ, the third judge's."""
    settled = {(v["answer"], v["item"]): v["covered"] for v in verdicts}
    out = {}
    for name, spec in first.items():
        a, b = set(spec["covers"]), set(second[name]["covers"])
        disputed = a ^ b
        missing = [i for i in disputed if (name, i) not in settled]
        if missing:
            raise SystemExit(f"adjudication.yaml: no verdict for {name} {sorted(missing)}")
        covers = (a & b) | {i for i in disputed if settled[name, i]}
        out[name] = {"question": spec["question"], "covers": sorted(covers)}
    return out


def evaluate(corpus: Path, details: bool = False, labels_file: str = "labels") -> dict[str, list[int]]:
    """Engine and baseline tp, fp, fn against one label set of a corpus."""
    labels = label_sets(corpus)[labels_file]
    b = bank_for(corpus)
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
    return totals


def human_agreement(sets: dict[str, dict[str, dict]]) -> tuple[float, float, float] | None:  # type: ignore[type-arg]
    """How far a second labeller agrees with the first (the first taken as truth)."""
    if "labels-b" not in sets:
        return None
    first, second = sets["labels"], sets["labels-b"]
    tp = fp = fn = 0
    for name, spec in first.items():
        a, b = set(spec["covers"]), set(second[name]["covers"])
        tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
    return prf(tp, fp, fn)


def by_style() -> dict[str, list[int]]:
    """Engine tp, fp, fn per answer style, over every corpus (the style ends each file name)."""
    out: dict[str, list[int]] = {}
    for corpus in CORPORA.values():
        sets = label_sets(corpus)
        if "labels" not in sets:
            continue
        b = bank_for(corpus)
        for name, spec in sets["labels"].items():
            style = name.removesuffix(".md").rsplit("-", 1)[-1]
            truth = set(spec["covers"])
            got = engine((corpus / name).read_text(), b.rubric_for(spec["question"]))
            t = out.setdefault(style, [0, 0, 0])
            t[0] += len(got & truth)
            t[1] += len(got - truth)
            t[2] += len(truth - got)
    return out


def check_marks() -> dict[str, list[int]]:
    """Per corpus: credits marked "check" (found by one signal only) right and wrong, and the
    other credits right and wrong, against the majority labels where a corpus has them."""
    out: dict[str, list[int]] = {}
    for cname, corpus in CORPORA.items():
        sets = label_sets(corpus)
        labels = sets.get("labels-majority") or sets.get("labels")
        if not labels:
            continue
        b = bank_for(corpus)
        t = out.setdefault(cname, [0, 0, 0, 0])
        for name, spec in labels.items():
            truth = set(spec["covers"])
            for r in score(parse_markdown((corpus / name).read_text()), b.rubric_for(spec["question"])).items:
                if r.hit:
                    t[(0 if r.check else 2) + (r.item.id not in truth)] += 1
    return out


def print_check_marks() -> None:
    rows = check_marks()
    rows["all"] = [sum(col) for col in zip(*rows.values(), strict=True)]
    print('\ncredits marked "?" (found by a single signal, or only under another stage) against the rest:')
    print(f"{'corpus':15} {'marked':>6} {'wrong':>6} {'others':>6} {'wrong':>6} {'wrong credits marked':>21}")
    for cname, (mr, mw, orr, ow) in rows.items():
        print(
            f"{cname:15} {mr + mw:6d} {mw / max(1, mr + mw):6.0%} {orr + ow:6d} {ow / max(1, orr + ow):6.0%}"
            f" {mw / max(1, mw + ow):21.0%}"
        )


def print_table(totals: dict[str, list[int]]) -> None:
    res = {label: prf(*t) for label, t in totals.items()}
    print(f"{'':10} {'precision':>9} {'recall':>7} {'F1':>6}")
    for label, (p, r, f) in res.items():
        print(f"{label:10} {p:9.3f} {r:7.3f} {f:6.3f}")
    print(f"F1 ratio engine/baseline: {res['engine'][2] / res['baseline'][2]:.2f}x")


def main() -> None:
    details = "--details" in sys.argv
    pooled = {"engine": [0, 0, 0], "baseline": [0, 0, 0]}
    pooled_answers = 0
    for name, corpus in CORPORA.items():
        sets = label_sets(corpus)
        if not sets:
            continue
        n = len(next(iter(sets.values())))
        results = {}
        for labels_file in sorted(sets):
            results[labels_file] = evaluate(corpus, details, labels_file)
            print(f"\n{name}: {n} labelled answers, {labels_file}.yaml")
            print_table(results[labels_file])
        best = "labels-majority" if "labels-majority" in sets else "labels"
        for label, t in results[best].items():
            pooled[label] = [a + b for a, b in zip(pooled[label], t, strict=True)]
        pooled_answers += n
        agree = human_agreement(sets)
        if agree:
            p, r, f = agree
            print(f"two human labellers agree with each other: precision {p:.3f} recall {r:.3f} F1 {f:.3f}")
    print(f"\nall corpora pooled: {pooled_answers} answers (majority labels where a corpus has them)")
    print_table(pooled)
    print("\nengine by answer style, all corpora (first labels):")
    print(f"{'style':12} {'answers':>7} {'precision':>9} {'recall':>7} {'F1':>6}")
    counts: dict[str, int] = {}
    for corpus in CORPORA.values():
        for name in label_sets(corpus).get("labels", {}):
            style = name.removesuffix(".md").rsplit("-", 1)[-1]
            counts[style] = counts.get(style, 0) + 1
    for style, t in sorted(by_style().items(), key=lambda kv: -prf(*kv[1])[2]):
        p, r, f = prf(*t)
        print(f"{style:12} {counts[style]:7d} {p:9.3f} {r:7.3f} {f:6.3f}")
    print_check_marks()


if __name__ == "__main__":
    main()
