"""The bundled bank: the checks that keep fifteen case studies honest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mlsd_drill import bank
from mlsd_drill.model import STAGES, Answer, Section
from mlsd_drill.scoring import score
from tools.check_content import SHALLOW  # the same shallow answer the content tool uses

B = bank.load()
IDS = sorted(B.questions)


def test_fifteen_case_studies() -> None:
    assert len(IDS) == 15
    for qid in ("ad-click-prediction", "fraud-detection", "video-recommendations", "rag-support-assistant"):
        assert qid in IDS


def test_every_file_validates(bundled: Path) -> None:
    problems = bank.validate([bundled]).problems
    assert problems == []


@pytest.mark.parametrize("qid", IDS)
def test_rubric_shape(qid: str) -> None:
    own = B.rubrics[qid].items
    assert len(own) >= 35
    per_stage = Counter(i.stage for i in own)
    assert all(per_stage[s] >= 5 for s in STAGES), per_stage
    levels = Counter(i.level for i in own)
    assert levels["senior"] + levels["staff"] >= len(own) / 5
    assert levels["staff"] >= 1
    assert len({i.weight for i in own}) >= 2  # weights carry meaning
    signal_sets = [frozenset(i.signals) for i in own]
    assert len(set(signal_sets)) == len(signal_sets), "two items credited by exactly the same signals"
    assert all(i.why.strip() and i.text.strip() for i in own)
    # an item standing for a common point does not raise its bar: the common items are
    # mid-level, and a senior item in their place would take the point from mid answers
    common = {c.id: c for c in B.common[B.questions[qid].bank]}
    for i in own:
        for cid in i.replaces:
            assert i.level == common[cid].level == "mid", (i.id, cid)


@pytest.mark.parametrize("qid", IDS)
def test_question_shape(qid: str) -> None:
    q = B.questions[qid]
    fu = Counter(f.stage for f in q.followups)
    assert all(fu[s] >= 2 for s in STAGES), fu
    assert all(q.reference.get(s) for s in STAGES)
    assert all(st.prompt and st.hints for st in q.stages)


@pytest.mark.parametrize("qid", IDS)
def test_reference_answer_earns_most_of_the_rubric(qid: str) -> None:
    q = B.questions[qid]
    ref = Answer(tuple(Section(s, q.reference[s]) for s in STAGES))
    result = score(ref, B.rubric_for(qid))
    assert result.percent >= 85, [r.item.id for r in result.missed]


@pytest.mark.parametrize("qid", IDS)
def test_shallow_answer_scores_low(qid: str) -> None:
    result = score(Answer.from_stages(SHALLOW), B.rubric_for(qid))
    assert result.percent <= 30
    assert result.level is None


def test_common_rubric_is_shared() -> None:
    common = B.common[B.questions[IDS[0]].bank]
    assert len(common) >= 8
    assert {i.stage for i in common} == set(STAGES)
    for qid in IDS:
        # every question is scored on each common point: the item itself or its own item for it
        rubric = B.rubric_for(qid)
        stands = {i.id for i in rubric.items} | {c for i in rubric.items for c in i.replaces}
        assert {c.id for c in common} <= stands, qid


@pytest.mark.parametrize(
    ("qid", "item", "stage", "sentence", "credited"),
    [
        # a point made by keeping something out: its own "never" makes it
        ("fraud-detection", "pii-protection", "data", "We never store raw card numbers.", True),
        ("fraud-detection", "pii-protection", "data", "Raw card numbers stay out of the logs.", True),
        ("fraud-detection", "pii-protection", "data", "We use raw card numbers as a feature.", False),
        ("similar-listings", "same-market-negatives", "data", "Never sample negatives from other markets.", True),
        ("event-recommendation", "eligibility-filters", "serve", "Sold-out and past events are never recommended.", True),
        ("people-you-may-know", "privacy-sensitive-links", "clarify", "We never suggest people who opted out of contact-based suggestions.", True),
        ("people-you-may-know", "privacy-sensitive-links", "clarify", "We suggest people even if they opted out.", False),
        ("video-recommendations", "abuse", "monitor", "We don't train on views from bots.", True),
        ("video-recommendations", "abuse", "monitor", "We train on all views, bots included.", False),
        ("ad-click-prediction", "privacy-consent", "clarify", "We never use sensitive attributes like religion or health for targeting.", True),
        ("ad-click-prediction", "privacy-consent", "clarify", "We use sensitive attributes such as religion as targeting features.", False),
        # ... and one made by putting something off ("as later additions")
        ("fraud-detection", "sequence-graph-models", "model", "A GNN over shared devices is a v2 idea, not for v1.", True),
        ("fraud-detection", "sequence-graph-models", "model", "No GNN: too slow to serve and no gain.", False),
        # naming the bad practice, the prompt's own words or an unrelated sense of a word is no point
        ("fraud-detection", "point-in-time-correctness", "data", "We use the dispute flag and account closure as features.", False),
        ("fraud-detection", "point-in-time-correctness", "data", "Never use the dispute flag: it leaks the outcome.", True),
        ("visual-image-search", "photo-privacy", "clarify", "We run face recognition to identify the person.", False),
        ("visual-image-search", "photo-privacy", "clarify", "No face recognition on query photos.", True),
        ("harmful-content-detection", "multimodal-fusion", "model", "Late fusion: we average the text and image classifier scores.", False),
        ("harmful-content-detection", "multimodal-fusion", "model", "Early fusion of the text and image embeddings in one MLP.", True),
        ("news-feed-ranking", "fanout-inventory", "serve", "We push the model to production behind a canary.", False),
        ("eta-prediction", "asymmetric-cost", "clarify", "We err on the side of showing an earlier time.", False),
        ("people-you-may-know", "two-sided-decision", "clarify", "On the other side, latency matters.", False),
        ("video-recommendations", "latency-breakdown", "serve", "We train on many GPUs in parallel.", False),
        ("video-recommendations", "latency-breakdown", "serve", "Call the candidate sources in parallel, each with a timeout.", True),
        ("video-recommendations", "diversity-rerank", "model", "Candidate generation, then ranking, then re-ranking.", False),
        ("event-recommendation", "temporal-split", "model", "We ship it next week.", False),
    ],
)
def test_naming_the_wrong_practice_earns_no_point(qid: str, item: str, stage: str, sentence: str, credited: bool) -> None:
    result = score(Answer((Section(stage, sentence),)), B.rubric_for(qid))
    assert {r.item.id: r.hit for r in result.items}[item] is credited
