"""The labelled answer corpora behind benchmarks/scoring_quality.py stay usable."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from benchmarks.scoring_quality import bank_for

ROOT = Path(__file__).resolve().parent.parent
CORPORA = sorted(p.parent for p in (ROOT / "tests").glob("corpus*/labels.yaml"))
LABEL_SETS = sorted((ROOT / "tests").glob("corpus*/labels*.yaml"))


@pytest.mark.parametrize("path", LABEL_SETS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_label_names_a_real_answer_and_real_items(path: Path) -> None:
    corpus = path.parent
    b = bank_for(corpus)
    labels = yaml.safe_load(path.read_text())
    answers = {p.name for p in corpus.glob("*.md")}
    assert set(labels) == answers, "every answer labelled, every label an answer"
    for name, spec in labels.items():
        rubric = b.rubric_for(spec["question"])
        # labels written before a common item was replaced by the question's own item stay valid
        ids = {it.id for it in rubric.items} | set(rubric.replaced)
        covers = spec["covers"]
        assert len(covers) == len(set(covers)), f"{name}: an item listed twice"
        assert set(covers) <= ids, f"{name}: unknown items {sorted(set(covers) - ids)}"


def test_there_are_enough_labelled_answers() -> None:
    total = sum(len(yaml.safe_load((c / "labels.yaml").read_text())) for c in CORPORA)
    assert len(CORPORA) >= 3 and total >= 75


ADJUDICATED = sorted(p.parent for p in (ROOT / "tests").glob("corpus*/adjudication.yaml"))


@pytest.mark.parametrize("corpus", ADJUDICATED, ids=lambda p: p.name)
def test_the_third_judge_settles_exactly_the_disagreements(corpus: Path) -> None:
    from benchmarks.scoring_quality import majority as majority_of

    first = yaml.safe_load((corpus / "labels.yaml").read_text())
    second = yaml.safe_load((corpus / "labels-b.yaml").read_text())
    verdicts = yaml.safe_load((corpus / "adjudication.yaml").read_text())
    disputed = {(n, i) for n in first for i in set(first[n]["covers"]) ^ set(second[n]["covers"])}
    assert {(v["answer"], v["item"]) for v in verdicts} == disputed
    assert all(isinstance(v["covered"], bool) and v["reason"].strip() for v in verdicts)
    majority = majority_of(first, second, verdicts)
    for name, spec in first.items():
        agreed = set(spec["covers"]) & set(second[name]["covers"])
        assert agreed <= set(majority[name]["covers"]), name
