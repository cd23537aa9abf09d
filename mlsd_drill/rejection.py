"""Reading rejections: does a sentence turn down the point it names?

Functions over `text.Sentence` (each verdict is kept on the sentence). The scorer
asks `rejects(sentence, start, end)` for a phrase found at content words [start,
end) of a sentence that holds a possible cue (`Sentence.has_cue`). Two kinds of
rejection are read:

- a cue before the point, in its clause: "no velocity features", "I'd skip
  A/B testing", "not worried about a feedback loop"; unless it embraces a remedy
  ("no leakage", "features don't leak"), states a requirement ("must not exceed
  100 ms", "make sure we don't show blocked people", "never deploy without a
  validation gate"), names an alternative ("click vs no click"), lists a
  filter's criteria ("filter: not sold out, not already registered") or sits
  in a condition ("if the model times out, ...");
- a verdict after the point: "A/B testing is overkill", "OCR can wait",
  "drift detection - no", "X, but I don't think we need it", "that's a
  different team's problem", "Graph embeddings, node2vec - overkill."

Sentences marked `refused_from` (a question answered with a refusal: "No", "I
wouldn't bother", "Not my problem"; a line listed under
"Things I'd skip for v1:") reject everything from that word on.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from mlsd_drill.text import (
    ALTERNATIVE_WORDS,
    AVOID_CUES,
    CHOOSING_WORDS,
    CONDITION_LEADS,
    CONDITION_WORDS,
    CUE_REACH,
    ELSEWHERE_WORDS,
    LONE_VERDICTS,
    NEGATION_BIGRAMS,
    NEGATION_CUES,
    NEGATION_REACH,
    NOT_NEGATION_AFTER,
    NOT_REMEDY_GAP,
    POST_NEGATED_WORDS,
    POST_REJECTIONS,
    PROBLEM_STEMS,
    REMEDY_CUES,
    REQUIREMENT_WORDS,
    STOPWORDS,
    SUBJECTS,
    TIME_UNITS,
    TOO_WORDS,
    Sentence,
    object_follows,
    stem,
)

# "avoid skew by logging features", "no leakage with point-in-time joins": what follows one of
# these after a problem is the remedy.
_MEANS = frozenset({"with", "by", "using", "via", "through"})
# Words that may follow a remedied problem without taking over the phrase.
_LINKS = frozenset("from with between across through when if so because since by and or".split())
# "drift monitoring I'd skip": the point first, then who skips it.
_SKIPS = frozenset({"skip", "skipped", "ignore", "leave"})
_SKIPPERS = SUBJECTS | {"be", "been", "can", "could", "would", "will", "d", "ll"}
# "make sure we never show blocked people": a requirement, not a rejection
_ASSURANCE = frozenset({"sure", "ensure", "ensures", "ensuring", "guarantee", "guarantees"})
# "we don't count a win until the other person accepts": a condition on the point
_UNTIL = frozenset({"until", "unless", "till", "without"})
# "OCR can wait", "re-ranking is out for v1"
_DEFERRERS = frozenset({"can", "could", "will", "should", "ll", "is", "are", "also", "s"})
# "but I don't think we need it": a dismissal points back with one of these.
_BACK_REFS = frozenset({"it", "that", "this", "them", "one"})
_NOT = frozenset({"not", "never"})
_NOT_AFTER = _NOT | {"hardly", "barely"}  # said after the point: "X is hardly worth it"
_SOFTENERS = frozenset({"strictly", "necessarily"})  # "not strictly needed" is still wanted
_ONLY = frozenset({"only", "just", "solely", "purely", "exclusively"})
_DOUBLE_NEGATIVES = frozenset({"not", "never", "no", "nothing", "nobody", "none"})
# "Calibration: skip." - a verdict standing alone after the point
# "Shadow mode (not for v1)", "drift alerts - not now", "not in the MVP", "not yet": deferred
# ("users who have not watched anything yet" defers nothing)
_NOT_YET = frozenset({"v1", "now", "mvp", "launch"})


def _defines(words: list[str], j: int) -> bool:
    """Does the negation at j open what a definition says: "... i.e. no login for 30 days",
    "churned = no login for 30 days" ("=" before a negation is read as "i.e.")? ("Batch
    scoring means no real-time features" states a consequence: "means" is no sign.)"""
    return words[max(0, j - 2) : j] == ["i", "e"]


def _deferred(after_not: list[str]) -> bool:
    """Do the words after a "not" defer the point: "not now", "not yet", "not for v1",
    "not in the MVP", "not at launch"?"""
    if not after_not:
        return False
    first = after_not[0]
    return first in ("now", "yet", "initially") or (
        first in ("for", "in", "at") and bool(_NOT_YET.intersection(after_not[1:]))
    )
# "so we don't get a feedback loop", "we do not end up in a feedback loop": a problem not
# wanted is a remedy sought ("not worried about a feedback loop" still dismisses it)
_NOT_WANTED = NOT_REMEDY_GAP | frozenset(
    "want wanna end up in into with create cause introduce allow risk fall run a an the any to".split()
)
# "Candidate filter: within the radius, not sold out, not already registered"
_FILTER_WORDS = frozenset(
    "filter filters filtered filtering exclude excludes excluded excluding eligible eligibility".split()
)
_OWNED = frozenset({"team", "problem", "story", "conversation", "project", "issue", "discussion", "job"})


def rejects(sent: Sentence, start: int, end: int, own: Collection[int] = ()) -> bool:
    """Does the sentence reject content words [start, end)? Words at positions `own` are part
    of the point itself and reject nothing: the "never" of [declined, never learn] in "we never
    learn the outcome of transactions we declined"."""
    if own:
        return _rejects(sent, start, end, own)
    # many signals of a rubric name the same words: each span is judged once per answer
    got = sent.verdicts.get((start, end))
    if got is None:
        got = sent.verdicts[start, end] = _rejects(sent, start, end, own)
    return got


# The words that can decide anything in `_cue_before` (with any word that starts with
# "skip") and in the reading after the point in `_verdict_after`: a window without one
# decides nothing, and is not read word by word. A word that a new rule of either
# reader turns on belongs here too.
_BEFORE_WORDS = (
    NEGATION_CUES
    | AVOID_CUES
    | REMEDY_CUES
    | {"forget", "over"}
    | {bigram.split()[0] for bigram in NEGATION_BIGRAMS}
)
_AFTER_WORDS = (
    LONE_VERDICTS
    | ELSEWHERE_WORDS
    | POST_REJECTIONS
    | _OWNED
    | _SKIPS
    | {"but", "wait", "out", "too", "not", "never", "hardly", "barely"}
)


def _rejects(sent: Sentence, start: int, end: int, own: Collection[int]) -> bool:
    if sent.refused_from is not None and sent.content[start] >= sent.refused_from:
        return True  # "A random holdout? No - ..."
    verdict = _cue_before(sent, start, end, own)
    return _verdict_after(sent, start, end, own) if verdict is None else verdict


def _cue_before(sent: Sentence, start: int, end: int, own: Collection[int] = ()) -> bool | None:
    """A cue before the point, in its clause: True rejects it, False embraces it
    ("no leakage"), None when no cue decides."""
    words, clause = sent.words, sent.clause
    rs = sent.content[start]
    window = words[max(0, rs - NEGATION_REACH) : rs]
    if _BEFORE_WORDS.isdisjoint(window) and not any(w.startswith("skip") for w in window):
        return None
    re_ = sent.content[end - 1]
    cl = clause[rs]
    # "no leakage", "avoid skew": rejecting a problem is embracing its remedy, unless
    # the problem word only qualifies what follows ("no drift detection")
    nxt_word = words[re_ + 1] if re_ + 1 < len(words) and clause[re_ + 1] == cl else None
    ends_free = nxt_word is None or nxt_word in STOPWORDS or nxt_word in _LINKS
    # ... or when the point only names which problem: "avoid point-in-time leakage",
    # "no position bias" turn down the problem, not the point-in-time join or the position
    remedy = (sent.stems[end - 1] in PROBLEM_STEMS and ends_free) or (
        nxt_word is not None and stem(nxt_word) in PROBLEM_STEMS
    )
    problem_first = ends_free and sent.stems[start] in PROBLEM_STEMS
    quoted = sent.quoted  # "not interested", "report spam": a quoted name rejects nothing
    means = False  # the point is the means against a problem: "avoid leakage with point-in-time joins"
    for j in range(rs - 1, max(0, rs - NEGATION_REACH) - 1, -1):
        if clause[j] != cl:
            break
        if j in quoted or j in own:
            continue
        w = words[j]
        nxt = words[j + 1] if j + 1 < len(words) else ""
        if w in _MEANS and j > 0 and clause[j - 1] == cl and stem(words[j - 1]) in PROBLEM_STEMS:
            means = True
            continue
        if means and w in REMEDY_CUES:
            return False
        if (w.startswith("skip") or w in AVOID_CUES or w == "forget") and _NOT.intersection(
            words[max(0, j - 2) : j]
        ):
            return False  # "we won't skip the A/B test", "never ignore drift": a double negative insists
        if j + 1 < rs and f"{w} {nxt}" in NEGATION_BIGRAMS:
            return True
        if w == "over" and _DETERMINERS.issuperset(words[j + 1 : rs]) and _prefers(words, clause, j):
            return True  # "I'd go with GBDT over a deep model": the one passed over
        if (
            w in NEGATION_CUES
            and (
                nxt not in NOT_NEGATION_AFTER or words[j + 2 : j + 3] == ["sleep"]
            )  # "not losing sleep over"
            and not (w == "no" and j > 0 and words[j - 1] in ALTERNATIVE_WORDS)
            and not _defines(words, j)  # "churn means no renewal within 30 days"
            and not (w.startswith("skip") and _names_time(words, j + 1))
            and rs - j <= CUE_REACH.get(w, NEGATION_REACH)
            and not (j > 0 and words[j - 1] in REQUIREMENT_WORDS)
            and not _ASSURANCE.intersection(
                words[max(0, j - 4) : j]
            )  # "make sure we don't show blocked people"
            and not _UNTIL.intersection(
                w2 for w2, c2 in zip(words[j + 1 :], clause[j + 1 :], strict=False) if c2 == cl
            )
            and not (w in ("no", "without") and j > 0 and words[j - 1] in CONDITION_WORDS)
            and not (w == "without" and (_negated_before(words, clause, j) or _counterfactual(sent, j)))
            and not (w in _NOT and _states_a_limit(words, clause, j))
            and not _states_a_filter(words, j)
            and not _in_condition(words, clause, j)
        ):
            if (
                w in ("not", "never")
                and problem_first
                and all(x in NOT_REMEDY_GAP for x in words[j + 1 : rs])
            ):
                return False
            if w in ("not", "never") and remedy and all(x in _NOT_WANTED for x in words[j + 1 : rs]):
                return False  # "so we don't get a feedback loop", "we don't want training-serving skew"
            if w == "not" and (words[max(0, j - 2) : j] == ["no", "reason"] or _dismissal_denied(sent, end)):
                return False  # "no reason not to log impressions", "I don't think X is overkill"
            if w in _NOT and not _ONLY.isdisjoint(words[j + 1 : rs]):
                return False  # "I wouldn't rely only on offline metrics": not on them alone
            if w.startswith("skip") and _dismissal_denied(sent, end):
                return False  # "skipping the A/B test would be a mistake"
            if w in ("no", "not") and _built_after(sent.words, sent.content[end - 1]):
                return False  # "we don't have a feature store yet, so we'd build one"
            if (
                w in ("not", "no", "without")
                and (nxt in _DOING or (j > 0 and words[j - 1] in _DOING))
                and _risky_after(sent, end)
            ):
                return False  # "not having a fallback is risky": a case for it
            return not (remedy and w in REMEDY_CUES)
        if w in AVOID_CUES:
            return not (remedy and w in REMEDY_CUES)
    return None


def _verdict_after(sent: Sentence, start: int, end: int, own: Collection[int] = ()) -> bool:
    """Is the point turned down after it is named ("X is overkill", "X can wait",
    "X - no", "X, but I don't think we need it")?"""
    words, clause, quoted = sent.words, sent.clause, sent.quoted
    rs = sent.content[start]
    re_ = sent.content[end - 1]
    cl = clause[rs]
    after = re_ + 1
    if _AFTER_WORDS.isdisjoint(words[after : re_ + 11]) and not (rs > 0 and words[rs - 1] in ELSEWHERE_WORDS):
        return _closing_verdict(sent, cl)
    if rs > 0 and words[rs - 1] in ELSEWHERE_WORDS and any(x in _OWNED for x in words[after : after + 2]):
        return True  # "that's a separate onboarding problem"
    first = after
    while first < len(words) and words[first] in _FILLERS:
        first += 1  # "a two-tower model - actually no, a GBDT"
    for k in range(first, min(len(words), first + 3)):
        if words[k] in LONE_VERDICTS and _stands_alone(words, clause, first, k) and (
            k + 1 == len(words) or clause[k + 1] != clause[k] or words[k + 1] == "for"
        ):
            return True  # "drift detection - no, ...", "Calibration: skip (for v1)": a lone verdict
        if clause[k] != cl and words[k] not in _VERDICT_LEADS:
            break  # "A/B test: we'd skip" reads on
    if _closing_verdict(sent, cl):
        return True  # "Graph embeddings, node2vec, personalised PageRank - overkill."
    for j in range(after, min(len(words), re_ + 11)):
        if j in quoted or j in own:
            continue
        w = words[j]
        if w == "but":
            return _dismissed_after_but(words, j + 1)
        if clause[j] == cl and w in ELSEWHERE_WORDS and any(x in _OWNED for x in words[j + 1 : j + 3]):
            return True  # "... is a different team's problem", "a separate onboarding problem"
        if (
            j - re_ <= 4
            and words[j - 1] in _DEFERRERS
            and (
                w == "wait"
                or (
                    w == "out"
                    and (j + 1 == len(words) or clause[j + 1] != clause[j] or words[j + 1] == "for")
                )
            )
        ):
            return True  # "image spam and OCR can wait", "diversity re-ranking is also out for v1"
        if clause[j] != cl and j > after + 1 and w not in ("not", "never"):
            continue  # past a comma only an explicit "not needed" / "not our problem" counts
        if clause[j] == cl and _dismisses(words, j):
            return True  # "A/B tests are overkill", "sliding-window counters are too expensive"
        if w == "out" and (
            words[j + 1 : j + 3] == ["of", "scope"] or words[j + 1 : j + 4] == ["of", "the", "question"]
        ):
            return True
        if w in _OWNED and "not" in words[j + 1 : j + 3]:
            return True  # "keyword stuffing is trust-and-safety's job, not the ranker's"
        if (
            w in _SKIPS
            and clause[j] == cl
            and words[j - 1] in _SKIPPERS
            and sum(1 for c in clause[j + 1 : j + 7] if c == cl) <= 5
        ):
            return True  # "drift monitoring I'd skip (for v1)", "calibration can be skipped"
        if (
            w in _NOT_AFTER
            and not _SOFTENERS.intersection(words[j + 1 : j + 2])  # "a cache helps, though it's not strictly needed"
            and any(
                x in POST_NEGATED_WORDS and not _has_own_object(words, clause, k)
                for k, x in enumerate(words[j + 1 : j + 5], j + 1)
            )
        ):
            return True  # "X isn't needed", "X is hardly worth it", "X doesn't pay off"
        if w == "not" and j - re_ <= 4 and _deferred(words[j + 1 : j + 4]):
            return True  # "Shadow mode (not for v1)", "Shadow mode - not now"
    return False


# Verbs whose object follows them: "we don't need a deep model" turns the model down, not
# the trees named before it ("gradient boosted trees; we won't build a deep model", "it won't
# issue refunds"), while "X - we don't need it (for v1)" points back at X.
_OBJECT_VERBS = frozenset({"need", "build", "issue", "care", "bother", "worry"})


# "go with X over Y", "prefer X over Y": Y is passed over. Only after a verb of choosing,
# with X between: "aggregated over a window", "go over the results" pass nothing over.
_DETERMINERS = frozenset({"a", "an", "the", "any"})


def _prefers(words: list[str], clause: list[int], j: int) -> bool:
    """Is the "over" at j the "over" of a choice made earlier in its clause?"""
    cl = clause[j]
    for k in range(j - 2, max(-1, j - 8), -1):
        if clause[k] != cl:
            return False
        if words[k] in CHOOSING_WORDS:
            return words[k] not in ("go", "going", "went") or words[k + 1] == "with"
    return False


def _has_own_object(words: list[str], clause: list[int], k: int) -> bool:
    """Is the word at k a verb with an object of its own in its clause?"""
    return words[k] in _OBJECT_VERBS and object_follows(words, k, clause)


def _closing_verdict(sent: Sentence, cl: int) -> bool:
    """Does the sentence end in a clause of its own that dismisses the list before it?

    "Graph embeddings, node2vec, personalised PageRank - overkill." turns down
    the whole list; in "Card-not-present fraud; p99 under 100 ms; no A/B test -
    overkill." only the A/B test: a semicolon ends the reach of the verdict.
    """
    words, clause = sent.words, sent.clause
    last = clause[-1]
    if last == cl or last - cl > 4 or any(c in sent.hard_breaks for c in range(cl + 1, last)):
        return False
    tail: list[int] = []  # the last clause's words, read from the end (clause numbers only grow)
    for k in range(len(words) - 1, -1, -1):
        if clause[k] != last:
            break
        if len(tail) == 3:
            return False  # a clause of its own, not a verdict
        tail.append(k)
    return any(_dismisses(words, k) for k in tail if words[k] in POST_REJECTIONS)


def _dismissed_after_but(words: list[str], k: int) -> bool:
    """Does "but" start a dismissal of what came before ("X, but I don't think we need it")?"""
    tail = words[k : k + 8]
    if not any(w in _BACK_REFS for w in tail):
        return False
    for i, w in enumerate(tail):
        if w in POST_REJECTIONS and _dismisses(tail, i):
            return True  # "but it's overkill"
        if w in ("not", "never") and any(x in POST_NEGATED_WORDS for x in tail[i + 1 : i + 5]):
            return True  # "but I don't think we need it", "but it's not worth it"
    return False


def _in_condition(words: list[str], clause: list[int], j: int) -> bool:
    """Is the cue at j inside a condition ("if the scorer doesn't answer in time, ...")?"""
    cl = clause[j]
    k = j - 1
    while k >= 0 and clause[k] == cl:
        if words[k] in CONDITION_LEADS:
            return True
        k -= 1
    return False


def _states_a_filter(words: list[str], j: int) -> bool:
    """Is the "not" at j one of the criteria of a filter ("Candidate filter: within
    the radius, not sold out, not already registered"), rather than a rejection?"""
    return words[j] == "not" and bool(_FILTER_WORDS.intersection(words[:j]))


# "never show an ad twice to one user", "don't show two posts by one author in a row": a
# negated repeat is a rule the design keeps ("not worried about users already registered"
# still turns them down)
_REPEATS = frozenset({"twice", "again", "repeatedly", "consecutively", "consecutive"})
_WOULD = re.compile(r"\b(?:would|could|might)\b|\b(?:i|we|you|they|it|that|there|he|she)['\u2019]d\b", re.IGNORECASE)


# Words that stand between a point and the verdict on it: "X - actually no, Y"
_FILLERS = frozenset({"actually", "hmm", "um", "uh", "well", "wait", "oh"})
# ... and the only words a lone verdict may follow it by: "A/B test: we'd skip", but "roll
# back if precision dropped" drops nothing
_VERDICT_LEADS = frozenset({"i", "we", "would", "will", "just", "probably", "simply", "can", "could", "should"})


def _stands_alone(words: list[str], clause: list[int], first: int, k: int) -> bool:
    """Does the verdict at k follow the point directly, open a clause of its own ("drift
    detection - no"), or follow only a subject ("A/B test: we'd skip")?"""
    return clause[k] != clause[k - 1] or all(x in _VERDICT_LEADS for x in words[first:k])


def _dismissal_denied(sent: Sentence, end: int) -> bool:
    """Does a dismissal follow the point in its clause ("I don't think X is overkill"), so
    that the "not" before denies the dismissal rather than the point?"""
    words, clause = sent.words, sent.clause
    re_ = sent.content[end - 1]
    cl = clause[re_]
    for j in range(re_ + 1, len(words)):
        if clause[j] != cl:
            return False
        if _dismisses(words, j):
            return True
    return False


# "not having a fallback is risky", "running without a holdout would be a mistake"
_DOING = frozenset({"having", "doing", "using", "running", "building", "keeping"})
_RISKY = frozenset({"risky", "dangerous", "unsafe", "risk", "mistake", "reckless"})


def _risky_after(sent: Sentence, end: int) -> bool:
    """Is going without the point called a risk, in its clause, after it?"""
    words, clause = sent.words, sent.clause
    re_ = sent.content[end - 1]
    return any(w in _RISKY for w, c in zip(words[re_ + 1 :], clause[re_ + 1 :], strict=False) if c == clause[re_])


# "we don't have a feature store yet, so we'd build one": an absence the answer then fills
_BUILD = frozenset(
    "build builds building add adding set setting create creating introduce introducing stand standing".split()
)
_BUILT = frozenset({"one", "it", "them"})
# ... said as a plan, not as a cost ("building one takes a quarter")
_PLANNERS = SUBJECTS | frozenset("so then first is will would ll d to can could should must".split())


def _built_after(words: list[str], re_: int) -> bool:
    """Do the words after a point said to be missing plan to build it ("so we'd build one",
    "step one is building it", "we'd set one up")?"""
    return any(
        w in _BUILD and words[k - 1] in _PLANNERS and not _BUILT.isdisjoint(words[k + 1 : k + 3])
        for k, w in enumerate(words[re_ + 1 :], re_ + 1)
    )


# "too expensive to run on every candidate", "too slow for the full list": what is too costly
# is doing it everywhere, not the point itself (it then runs on the top 50)
_EVERYWHERE = frozenset({"every", "all", "each", "whole", "full", "entire"})


def _dismisses(words: list[str], j: int) -> bool:
    """Does the word at j dismiss what it is said of ("overkill", "too expensive")?"""
    if words[j] in POST_REJECTIONS:
        if words[j] == "mistake":  # "X would be a mistake", not "the costlier mistake" (an error)
            return words[max(0, j - 2) : j] in (["be", "a"], ["is", "a"], ["was", "a"])
        if words[j] == "idea":  # "X is a bad idea", not "the idea is to ..."
            return j > 0 and words[j - 1] in ("bad", "terrible", "poor")
        # "grade each result as exact, similar or irrelevant": one of the grades, not a verdict
        return not (j > 0 and words[j - 1] in ("or", "vs", "versus"))
    return (
        words[j] == "too"
        and j + 1 < len(words)
        and words[j + 1] in TOO_WORDS
        and _EVERYWHERE.isdisjoint(words[max(0, j - 4) : j])  # "running it on every candidate is too slow"
        and _EVERYWHERE.isdisjoint(words[j + 2 : j + 8])
    )


def _states_a_limit(words: list[str], clause: list[int], j: int) -> bool:
    """Does the "not" or "never" at j state a limit on repeats rather than reject?"""
    cl = clause[j]
    tail = [w for w, c in zip(words[j + 1 :], clause[j + 1 :], strict=False) if c == cl]
    if not _REPEATS.isdisjoint(tail):
        return True
    return any(
        tail[k : k + 3] in (["in", "a", "row"], ["back", "to", "back"]) or tail[k : k + 2] == ["more", "than"]
        for k in range(len(tail))
    )


def _counterfactual(sent: Sentence, j: int) -> bool:
    """Does the sentence open with "without" and say what would happen then ("Without a
    feature store, we'd have training-serving skew")? It argues for what it names."""
    opens = all(w in STOPWORDS or w in ("and", "but", "so") for w in sent.words[:j])
    if not opens:
        return False
    if _WOULD.search(sent.text):
        return True
    # "Without a feature store, training-serving skew creeps in": the next clause opens on
    # the problem that follows
    words, clause = sent.words, sent.clause
    nxt = [k for k in range(j, len(words)) if clause[k] == clause[j] + 1][:4]
    return any(stem(words[k]) in PROBLEM_STEMS for k in nxt)


def _negated_before(words: list[str], clause: list[int], j: int) -> bool:
    """Is "without" at j the second half of a double negative ("I would not deploy
    a model without an evaluation gate", "nothing ships without an A/B test")?"""
    cl = clause[j]
    return any(words[k] in _DOUBLE_NEGATIVES for k in range(max(0, j - 10), j) if clause[k] == cl)


def _names_time(words: list[str], k: int) -> bool:
    """Do the words from k on name a stretch of time ("a month", "two weeks", "day")?"""
    if k < len(words) and words[k] in TIME_UNITS:
        return True
    return (
        k + 1 < len(words)
        and (words[k] in ("a", "an", "one", "the") or words[k].isdigit())
        and words[k + 1] in TIME_UNITS
    )
