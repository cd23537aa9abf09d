"""Properties that must hold for any input, checked on generated text (hypothesis)."""

from __future__ import annotations

import copy
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


# Documents shaped like banks written in any style: the keys of the format, the keys other
# authors use for them, stage names, weights and levels as words, in any nesting.
_BANK_WORDS = (
    "id title prompt tags difficulty stages followups reference rubric items question text why signals parts "
    "weight level replaces stage keywords look_for idea phase importance seniority topics scenario ID Signals "
    "clarify data model serve monitor Serving Data & features Model Training high low L5 junior Medium 3 "
    "* churn a-b x"
).split()
_SCALARS = st.one_of(st.sampled_from(_BANK_WORDS), st.integers(-3, 5), st.none(), st.booleans(), st.text(max_size=12))
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(_BANK_WORDS), inner, max_size=6)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCS, st.sampled_from(["churn.yaml", "common.yaml", "My Case.yaml"]))
def test_bank_files_of_any_shape_are_read_or_refused_never_crash(value: object, name: str) -> None:
    """Whatever shape a question or rubric file has, reading it gives a result or problems
    with lines, never an exception."""
    for check in (bank.check_question_file, bank.check_rubric):
        doc = yamlio.Located(value=copy.deepcopy(value), file=Path(name))
        got = check(doc)
        problems = got[-1]
        assert all(p.line >= 0 for p in problems)
        assert got[0] is not None or problems


def _every_rule_word() -> list[str]:
    """Each word the text and rejection modules name in a set of words (cues, verdicts,
    subjects, time units...): the vocabulary a rejection rule can turn on."""
    from mlsd_drill import rejection, text

    found: set[str] = set()
    for module in (text, rejection):
        for value in vars(module).values():
            if isinstance(value, frozenset) and all(isinstance(w, str) for w in value):
                found |= {piece for w in value for piece in w.split()}
    return sorted(found)


RULE_WORDS = st.sampled_from([*_every_rule_word(), "velocity", "features", "drift", "calibration", ",", ";", "-"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(RULE_WORDS, min_size=2, max_size=24).map(" ".join))
def test_reading_a_rejection_skips_only_windows_that_decide_nothing(sentence: str) -> None:
    """The rejection reader passes over a window without a deciding word. Read in full, word by
    word, every span of any sentence made of rule words gets the same verdict."""
    from mlsd_drill import rejection
    from mlsd_drill.text import analyse

    class Everything(frozenset[str]):
        def isdisjoint(self, other: object) -> bool:
            return False  # no window is passed over

    for sent in analyse([("data", sentence)]):
        n = len(sent.stems)
        spans = [(s, e) for s in range(n) for e in range(s + 1, min(n, s + 3) + 1)]
        quick = [rejection._rejects(sent, s, e, ()) for s, e in spans]
        saved = rejection._BEFORE_WORDS, rejection._AFTER_WORDS
        rejection._BEFORE_WORDS = rejection._AFTER_WORDS = Everything()
        try:
            full = [rejection._rejects(sent, s, e, ()) for s, e in spans]
        finally:
            rejection._BEFORE_WORDS, rejection._AFTER_WORDS = saved
        assert quick == full, sent.text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab .!?\"')]\n\t", max_size=30))
def test_sentences_end_where_a_look_behind_would_end_them(piece: str) -> None:
    """Sentence ends are found without a look-behind (tried at every letter, it was slow):
    the same pieces as the plain reading "after . ! or ?, closing marks and a space"."""
    import re

    from mlsd_drill.text import _SENT_END

    parts = _SENT_END.split(piece)
    pieces = list(map(str.__add__, parts[0::2], [*parts[1::2], ""]))
    assert pieces == re.split(r"(?<=[.!?])[\"')\]]*\s+(?=\S)", piece)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_accents_fold_run_by_run_as_in_the_whole_text(text: str) -> None:
    """Only runs of non-ASCII characters are folded (going through every character was
    slow): the result is the one of folding the whole text."""
    import unicodedata

    from mlsd_drill.text import fold_accents

    whole = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    assert fold_accents(text) == whole


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from("a b w o yes no not pos neg lr won't x@ r@ p@ / - -> => \u2192 = . 5 ( ,".split()), max_size=12))
def test_typing_rewrites_find_what_a_word_boundary_pattern_finds(words: list[str]) -> None:
    """The rewrites of typing variants are written to open with their literal (a leading
    \\b, or an optional space, made re try every position of an answer): they replace
    what the plain patterns did."""
    import re

    from mlsd_drill.text import _at_word

    for sep in (" ", "", "  "):
        text = sep.join(words)
        for literal, rest in (("won't", r"\b"), ("a", r"\s*/\s*b\b"), ("w/", r"(?=\s)"), ("no", r"(t?)-(?=[a-z])"), ("r@", "")):
            plain = re.compile(rf"\b{re.escape(literal)}{rest}")
            assert _at_word(literal, rest).sub("#", text) == plain.sub("#", text)
        arrow = re.compile(r"[-=\u2192](?:(?<=-)-*>|(?<==)=*>|(?<=\u2192))")
        assert arrow.sub(" ; ", text).split() == re.sub(r"\s*(?:-+>|=+>|\u2192)\s*", " ; ", text).split()
        # "a - - b": the plain pattern took the space between the dashes with the first one,
        # and left the second (a lone dash is no word): the same words and clause breaks
        assert _words(re.sub(r"-(?<=\s-)-*\s", " ; ", text)) == _words(re.sub(r"\s-+\s", " ; ", text))
        no_rp = re.compile(r"@(?<!\br@)(?<!\bp@)")
        assert no_rp.sub(" at ", text) == re.sub(r"(?<!\br)(?<!\bp)@", " at ", text)


def _words(text: str) -> list[str]:
    """The words and clause breaks a rewritten text gives (dashes are no word; two
    breaks in a row are one)."""
    words = [w for w in text.split() if w.strip("-")]
    return [w for k, w in enumerate(words) if not (w == ";" and k and words[k - 1] == ";")]
