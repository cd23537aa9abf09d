"""Properties that must hold for any input, checked on generated text (hypothesis)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlsd_drill import bank, yamlio
from mlsd_drill.answer import parse_markdown
from mlsd_drill.errors import BankError
from mlsd_drill.scoring import score

RUBRIC = bank.load().rubric_for("fraud-detection")
WORDS = st.sampled_from(
    "the no not velocity features labels chargebacks p99 latency a/b test skip don't - , . ; : \n \n\n "
    "## Data # Serving PR-AUC real-time fall-back calibration GBDT w/o 6k/s R@10 % & @ ' \" [bold] "
    "50k 2,000 1.2B thirty thousand million a an every day second 05 7".split(" ")
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=120).map(" ".join)))
def test_scoring_any_text_is_safe_and_bounded(text: str) -> None:
    result = score(parse_markdown(text), RUBRIC)
    assert 0.0 <= result.percent <= 100.0
    assert all(0.0 <= v <= 100.0 for v in result.stages.values())
    for r in result.items:
        assert (r.evidence is not None) == r.hit


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_bank_loader_never_crashes(text: str) -> None:
    try:
        doc = yamlio.loads(text, Path("generated.yaml"))
    except BankError as e:
        assert "generated.yaml" in str(e)  # a one-line message naming the file
        assert "\n" not in str(e)
        return
    q, problems = bank.check_question(doc)
    assert q is not None or problems or doc.value is None
